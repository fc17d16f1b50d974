// The output folder's owner (out_folder.h).
#include "night/out_folder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "model/text.h"
#include "night/publisher.h"

namespace otp {
namespace {

constexpr size_t kIdSize = 32;

// The id a folder's mark holds; "" when there is no mark. A mark that is a link or not a
// plain, short file is refused: otpbatch never made it.
Result<std::string> ReadMark(const std::string& dir) {
  const std::string path = dir + "/" + kLedgerIdFile;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0 && errno == ENOENT) return std::string();
  if (fd < 0) return Status::InvalidArgument("cannot read " + path + ": " + std::strerror(errno));
  char buf[kIdSize + 2] = {0};
  struct stat st {};
  const bool plain = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  const ssize_t n = plain ? ::read(fd, buf, sizeof buf) : -1;
  ::close(fd);
  std::string id(buf, n > 0 ? static_cast<size_t>(n) : 0);
  if (!id.empty() && id.back() == '\n') id.pop_back();
  if (id.size() != kIdSize) return Status::InvalidArgument(path + " is not a ledger id otpbatch wrote");
  return id;
}

// Whether `dir` holds a file a run writes: an 837P file, a workbook or a summary.
bool HoldsOutputs(const std::string& dir) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.ends_with(".837") || name.ends_with(".xlsx") || name == "summary.json") return true;
  }
  return false;
}

}  // namespace

Status CheckOutFolder(const std::string& dir, const std::string& ledger_id) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) return Status::Ok();  // made by the run, marked then
  if (S_ISLNK(st.st_mode))
    return Status::InvalidArgument("the night's folder " + dir + " is a symbolic link; a run writes only into a folder it made");
  if (!S_ISDIR(st.st_mode)) return Status::InvalidArgument(dir + " is not a folder");
  OTP_ASSIGN_OR_RETURN(const std::string mark, ReadMark(dir));
  if (mark == ledger_id) return Status::Ok();
  if (!mark.empty())
    return Status::InvalidArgument("the folder " + dir + " was written by another ledger (id " + mark +
                                   "), not by this one (id " + ledger_id +
                                   "): is --db the right ledger? A ledger writes only into its own folders");
  if (HoldsOutputs(dir))
    return Status::InvalidArgument("the folder " + dir +
                                   " holds files no ledger marked as its own: move them aside, or give --out a new folder");
  return Status::Ok();
}

namespace {
// The control number in "<facility>-<9 digits>.837"; 0 for any other name.
int64_t ControlNumberOf(const std::string& name) {
  constexpr size_t kDigits = 9;
  const size_t n = name.size();
  if (n < kDigits + 5 || !name.ends_with(".837") || name[n - kDigits - 5] != '-') return 0;
  const std::string digits = name.substr(n - kDigits - 4, kDigits);
  return AllDigits(digits) ? std::stoll(digits) : 0;
}
}  // namespace

int64_t HighestControlNumber(const std::string& out, const std::string& ledger_id) {
  int64_t highest = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator night(out, ec), end; !ec && night != end; night.increment(ec)) {
    std::error_code type_ec;
    if (!night->is_directory(type_ec) || night->is_symlink(type_ec)) continue;
    auto mark = ReadMark(night->path().string());
    if (!mark.ok() || mark.value() != ledger_id) continue;
    std::error_code file_ec;
    for (std::filesystem::directory_iterator f(night->path(), file_ec), fend; !file_ec && f != fend; f.increment(file_ec))
      highest = std::max(highest, ControlNumberOf(f->path().filename().string()));
  }
  return highest;
}

Status MarkOutFolder(Publisher& publisher, const std::string& dir, const std::string& ledger_id) {
  OTP_ASSIGN_OR_RETURN(const std::string mark, ReadMark(dir));
  if (mark == ledger_id) return Status::Ok();
  if (!mark.empty()) return Status::InvalidArgument("the folder " + dir + " was marked by another ledger (id " + mark + ")");
  return publisher.Mark(dir + "/" + kLedgerIdFile, ledger_id + "\n");
}

}  // namespace otp
