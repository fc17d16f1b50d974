// LedgerLock: flock on "<db>.lock".
#include "ledger/lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace otp {
namespace {
std::string Utc(std::time_t t) {
  char buf[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}
}  // namespace

Result<std::unique_ptr<LedgerLock>> LedgerLock::Acquire(const std::string& db_path, std::time_t now) {
  const std::string path = db_path + ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  // A lock that cannot be made (a missing folder, a read-only disk) is the operator's to fix.
  if (fd < 0) return Status::InvalidArgument("cannot make the lock file " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[128] = {0};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "another run";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
    return Status::Busy("the ledger " + db_path + " is locked by " + holder);
  }
  const std::string who = "pid " + std::to_string(::getpid()) + " since " + Utc(now) + "\n";
  // The lock is held even if the note cannot be written: the note only names the holder.
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, who.data(), who.size(), 0);
  return std::unique_ptr<LedgerLock>(new LedgerLock(fd));
}

LedgerLock::~LedgerLock() {
  (void)!::ftruncate(fd_, 0);
  ::close(fd_);
}

}  // namespace otp
