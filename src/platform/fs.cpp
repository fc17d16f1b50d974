// POSIX implementation of FileSystem: temp file, fsync, chmod 0600, rename, fsync of the dir.
#include "platform/fs.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>
#include <fstream>
#include <sstream>

namespace otp {
namespace {
Status Errno(const std::string& what, const std::string& path) {
  return Status::Io(what + " " + path + ": " + std::strerror(errno));
}

// A new temporary file beside `path`, open for writing; -1 with errno when it cannot be made.
// mkostemp(3) makes it 0600 with O_CREAT | O_EXCL, which never follows a link.
int OpenTemp(const std::string& path, std::string& name) {
  name = path + ".tmp-XXXXXX";
  return ::mkostemp(name.data(), O_CLOEXEC);
}

Status SyncDir(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return Errno("cannot open directory", dir);
  ::fsync(fd);
  ::close(fd);
  return Status::Ok();
}
}  // namespace

Status PosixFileSystem::MakeDirs(const std::string& dir) {
  // Every directory this call creates is made 0700, not only the last one ("out" as well as
  // "out/<as-of>"); directories that already exist keep their mode.
  std::vector<std::filesystem::path> created;
  std::error_code ec;
  for (std::filesystem::path p = std::filesystem::path(dir).lexically_normal();
       !p.empty() && !std::filesystem::exists(p, ec); p = p.parent_path()) {
    created.push_back(p);
    if (p == p.parent_path()) break;
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Io("cannot create directory " + dir + ": " + ec.message());
  for (const auto& p : created) ::chmod(p.c_str(), 0700);
  ::chmod(dir.c_str(), 0700);
  return Status::Ok();
}

Result<std::string> PosixFileSystem::MakeTemp(const std::string& path) {
  std::string name;
  const int fd = OpenTemp(path, name);
  if (fd < 0) return Errno("cannot create a temporary file for", path);
  ::close(fd);
  return name;
}

Status PosixFileSystem::WriteAtomic(const std::string& path, std::string_view content) {
  std::string tmp;
  const int fd = OpenTemp(path, tmp);
  if (fd < 0) return Errno("cannot create a temporary file for", path);
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = Errno("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return s;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status s = Errno("cannot sync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  }
  ::close(fd);
  return Publish(tmp, path);
}

Status PosixFileSystem::Publish(const std::string& tmp, const std::string& path) {
  // The temporary file as MakeTemp made it: never a link put in its place.
  int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return Errno("cannot open", tmp);
  if (::fsync(fd) != 0 || ::fchmod(fd, 0600) != 0) {
    Status s = Errno("cannot sync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  }
  ::close(fd);
  // rename(2) replaces whatever is at `path`, a link included, and never writes through it.
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = Errno("cannot move into place", path);
    ::unlink(tmp.c_str());
    return s;
  }
  return SyncDir(path);
}

FileText& FileText::operator=(FileText&& o) noexcept {
  if (this != &o) {
    if (map_) ::munmap(const_cast<char*>(map_), size_);
    text_ = std::move(o.text_);
    map_ = o.map_;
    size_ = o.size_;
    released_ = o.released_;
    o.map_ = nullptr;
    o.size_ = o.released_ = 0;
  }
  return *this;
}

FileText::~FileText() {
  if (map_) ::munmap(const_cast<char*>(map_), size_);
  map_ = nullptr;
}

std::optional<FileText> FileText::Map(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
    ::close(fd);
    return std::nullopt;
  }
  const size_t size = static_cast<size_t>(st.st_size);
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file
  if (p == MAP_FAILED) return std::nullopt;
  ::madvise(p, size, MADV_SEQUENTIAL);
  FileText t;
  t.map_ = static_cast<const char*>(p);
  t.size_ = size;
  return t;
}

void FileText::ReleaseBefore(size_t offset) {
  if (!map_) return;
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t end = std::min(offset, size_) / page * page;
  if (end <= released_) return;
  // MADV_DONTNEED on a private read-only file mapping drops the pages from this process; a
  // later read of them faults them in from the file again, unchanged.
  ::madvise(const_cast<char*>(map_) + released_, end - released_, MADV_DONTNEED);
  released_ = end;
}

Result<FileText> PosixFileSystem::ReadText(const std::string& path) {
  if (auto mapped = FileText::Map(path)) return std::move(*mapped);
  auto text = ReadAll(path);
  if (!text.ok()) return text.status();
  return FileText(std::move(text).value());
}

Result<std::string> PosixFileSystem::ReadAll(const std::string& path) {
  // Straight into one string of the file's size: a services file of ten million rows is held
  // once, not twice (a stringstream would copy it).
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io("cannot read " + path + ": " + std::strerror(errno));
  std::string text;
  std::error_code ec;
  const auto size = std::filesystem::is_regular_file(path, ec) ? std::filesystem::file_size(path, ec) : 0;
  if (!ec && size > 0) {
    text.resize(static_cast<size_t>(size));
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<size_t>(in.gcount()));
  }
  // Whatever is left (a file that grew, or one without a size such as a pipe) is read too.
  if (in && in.peek() != std::char_traits<char>::eof()) {
    std::ostringstream rest;
    rest << in.rdbuf();
    text += rest.str();
  }
  if (in.bad()) return Status::Io("cannot read " + path);
  return text;
}

void RemoveStaleTemps(FileSystem& fs, const std::string& path) {
  const std::filesystem::path p(path);
  const std::filesystem::path dir = p.parent_path().empty() ? std::filesystem::path(".") : p.parent_path();
  const std::string prefix = p.filename().string() + ".tmp-";
  std::error_code ec;
  std::vector<std::string> stale;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().rfind(prefix, 0) == 0) stale.push_back(it->path().string());
  for (const auto& s : stale) (void)fs.Remove(s);
}

bool PosixFileSystem::Exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

Status PosixFileSystem::Remove(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Errno("cannot remove", path);
  return Status::Ok();
}

Status FaultyFileSystem::WriteAtomic(const std::string& path, std::string_view content) {
  if (++calls_ != fail_on_ || point_ == FaultPoint::kNone) return base_.WriteAtomic(path, content);
  if (point_ == FaultPoint::kWrite) return Status::Io("injected fault: no space left on device writing " + path);
  // kSync / kRename: the temporary file was written, then the step failed: it is removed.
  auto tmp = base_.MakeTemp(path);
  if (tmp.ok()) {
    { std::ofstream(tmp.value()) << content; }
    ::unlink(tmp.value().c_str());
  }
  return Status::Io(std::string("injected fault: ") + (point_ == FaultPoint::kSync ? "sync" : "rename") +
                    " failed for " + path);
}

Status FaultyFileSystem::Publish(const std::string& tmp, const std::string& path) {
  if (++calls_ != fail_on_ || point_ == FaultPoint::kNone) return base_.Publish(tmp, path);
  ::unlink(tmp.c_str());
  return Status::Io("injected fault: could not publish " + path);
}

}  // namespace otp
