// The ledger's checked stamp (stamp.h).
#include "ledger/stamp.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "platform/fs.h"

namespace otp::ledger_stamp {
namespace {

constexpr size_t kHeaderSize = 100;   // SQLite's database header
constexpr off_t kLargestStamp = 4096;  // a stamp is a few hundred bytes: anything larger is not one
constexpr char kFirstLine[] = "otpbatch ledger checked, format 1\n";

int64_t Ns(const struct timespec& t) { return int64_t{t.tv_sec} * 1000000000 + t.tv_nsec; }

std::string Time(const struct timespec& t) {
  char s[40];
  std::snprintf(s, sizeof s, "%lld.%09ld", static_cast<long long>(t.tv_sec), static_cast<long>(t.tv_nsec));
  return s;
}

// One file's line: what a write, a copy or a restore of it changes.
std::string FileLine(const char* name, const struct stat& st) {
  return std::string(name) + " dev=" + std::to_string(st.st_dev) + " ino=" + std::to_string(st.st_ino) +
         " size=" + std::to_string(st.st_size) + " mtime=" + Time(st.st_mtim) + " ctime=" + Time(st.st_ctim) + "\n";
}

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) s += {kDigits[p[i] >> 4], kDigits[p[i] & 15]};
  return s;
}

// The ledger file itself: its stat and its header, read through one descriptor (one inode).
bool LookAtFile(const std::string& db, Look& look) {
  const int fd = ::open(db.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat st {};
  unsigned char header[kHeaderSize];
  const bool read = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
                    ::pread(fd, header, sizeof header, 0) == static_cast<ssize_t>(sizeof header);
  ::close(fd);
  if (!read) return false;
  look.text += FileLine("file", st) + "header " + Hex(header, sizeof header) + "\n";
  look.latest_ctime = Ns(st.st_ctim);
  return true;
}

// A journal SQLite keeps beside the ledger: there (a plain file) or not. An empty one is none:
// SQLite reads no frame from an empty -wal and rolls nothing back from an empty -journal, and a
// reader (report, queue) leaves an empty -wal behind, which must not cost the next night a check.
bool LookAtJournal(const std::string& db, const char* suffix, Look& look) {
  struct stat st {};
  const bool there = ::lstat((db + suffix).c_str(), &st) == 0;
  if (!there && errno != ENOENT) return false;
  if (!there || (S_ISREG(st.st_mode) && st.st_size == 0)) {
    look.text += std::string(suffix) + " none\n";
    return true;
  }
  if (!S_ISREG(st.st_mode)) return false;
  look.text += FileLine(suffix, st);
  look.latest_ctime = std::max(look.latest_ctime, Ns(st.st_ctim));
  return true;
}

std::string TextOf(const std::string& id, const Look& look) { return kFirstLine + ("ledger " + id + "\n") + look.text; }

// The stamp's text and when it was written, if it is a plain file of this user with one name.
bool ReadStamp(const std::string& path, std::string& text, int64_t& written) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat st {};
  bool ours = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() && st.st_nlink == 1 &&
              st.st_size <= kLargestStamp;
  if (ours) {
    text.resize(static_cast<size_t>(st.st_size));
    ours = ::pread(fd, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size());
    written = Ns(st.st_mtim);
  }
  ::close(fd);
  return ours;
}

// Waits, a clock tick at most, until the clock the file system stamps files with has moved past
// `ctime`: a change to the ledger after the stamp then gives it another ctime. The coarse clock
// is the one it stamps with, or one behind it.
bool ClockPast(int64_t ctime) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
  for (;;) {
    struct timespec now {};
    ::clock_gettime(CLOCK_REALTIME_COARSE, &now);
    if (Ns(now) > ctime) return true;
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace

std::string PathOf(const std::string& db) { return db + ".checked"; }

Look LookAt(const std::string& db) {
  Look look;
  look.ok = LookAtFile(db, look) && LookAtJournal(db, "-wal", look) && LookAtJournal(db, "-journal", look);
  return look;
}

bool Vouches(const std::string& db, const std::string& id, const Look& now) {
  std::string text;
  int64_t written = 0;
  if (!now.ok || !ReadStamp(PathOf(db), text, written)) return false;
  // Written in the same clock tick as the file's last change, a later change in that tick would
  // leave the ctime the stamp names: only a stamp written after it is believed.
  return written > now.latest_ctime && text == TextOf(id, now);
}

bool Record(FileSystem& fs, const std::string& db, const std::string& id) {
  const std::string stamp = PathOf(db);
  // Only a writer closing the ledger writes a stamp: a temporary file removed under another one
  // costs it its stamp, never a wrong one.
  RemoveStaleTemps(fs, stamp);
  const Look now = LookAt(db);
  if (now.ok && ClockPast(now.latest_ctime) && fs.WriteAtomic(stamp, TextOf(id, now)).ok() && Vouches(db, id, now))
    return true;
  (void)fs.Remove(stamp);  // one that could not be written whole, or is not believed
  return false;
}

}  // namespace otp::ledger_stamp
