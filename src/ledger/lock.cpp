// LedgerLock: flock on "<db>.lock".
#include "ledger/lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "model/date.h"

namespace otp {
namespace {
// A lock that cannot be made (a missing folder, a read-only disk) or that is not a plain file
// of ours is the operator's to fix: never "another run" (kBusy).
Status Unusable(const std::string& path, const std::string& why) {
  return Status::InvalidArgument("cannot use the lock file " + path + ": " + why);
}

// The lock file opened for reading and writing: the one there, or a new one (0600, O_EXCL).
// Never through a link. -1 and errno when there is none and `create` is false.
int OpenLockFile(const std::string& path, bool create) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd >= 0 || errno != ENOENT || !create) return fd;
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0 || errno != EEXIST) return fd;  // EEXIST: made by another run just now
  }
  return -1;
}

Status CheckPlainFile(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Unusable(path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return Unusable(path, "it is not a plain file");
  if (st.st_uid != ::geteuid()) return Unusable(path, "it belongs to another user");
  if (st.st_nlink != 1) return Unusable(path, "it has another name (a hard link); remove it when no run is active");
  return Status::Ok();
}

// The lock taken on `fd`, or why not (the file is closed then).
Status Take(int fd, const std::string& path, const std::string& db_path) {
  if (Status s = CheckPlainFile(fd, path); !s.ok()) {
    ::close(fd);
    return s;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return Status::Ok();
  char buf[128] = {0};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  ::close(fd);
  std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "another run";
  while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
  return Status::Busy("the ledger " + db_path + " is locked by " + holder);
}

std::string OpenFailure(int err) {
  return err == ELOOP ? std::string("it is a symbolic link; remove it when no run is active") : std::strerror(err);
}
}  // namespace

Result<std::unique_ptr<LedgerLock>> LedgerLock::Acquire(const std::string& db_path, std::time_t now) {
  const std::string path = db_path + ".lock";
  const int fd = OpenLockFile(path, true);
  if (fd < 0) return Unusable(path, OpenFailure(errno));
  OTP_TRY(Take(fd, path, db_path));
  std::unique_ptr<LedgerLock> lock(new LedgerLock(fd));
  lock->Note(now);
  return lock;
}

void LedgerLock::Note(std::time_t now) {
  const std::string who = "pid " + std::to_string(::getpid()) + " since " + UtcStamp(now) + "\n";
  // The lock is held even if the note cannot be written: the note only names the holder.
  if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, who.data(), who.size(), 0);
  noted_ = true;
}

Result<std::unique_ptr<LedgerLock>> LedgerLock::AcquireWithoutWriting(const std::string& db_path) {
  const std::string path = db_path + ".lock";
  const int fd = OpenLockFile(path, false);
  if (fd < 0 && errno == ENOENT) return std::unique_ptr<LedgerLock>();
  if (fd < 0) return Unusable(path, OpenFailure(errno));
  OTP_TRY(Take(fd, path, db_path));
  return std::unique_ptr<LedgerLock>(new LedgerLock(fd));
}

LedgerLock::~LedgerLock() {
  if (noted_) (void)!::ftruncate(fd_, 0);
  ::close(fd_);
}

}  // namespace otp
