// One run's hold on a ledger: an exclusive flock on "<db>.lock" that names its pid and start
// time. The kernel releases it when the process dies, so a stale lock never blocks. The lock
// file is only ever a plain file of this user: it is opened without following a link, made
// with O_EXCL, and refused when it is a link, another kind of file, another user's, or has a
// second name (a hard link), so that writing the note can never change another file.
#pragma once

#include <ctime>
#include <memory>
#include <string>

#include "model/status.h"

namespace otp {

class LedgerLock {
 public:
  // kBusy with "held by pid N since T" when another live run holds it (the only kBusy there
  // is); kInvalidArgument when the lock file cannot be made or is not a plain file of ours.
  static Result<std::unique_ptr<LedgerLock>> Acquire(const std::string& db_path, std::time_t now);
  // The same lock, taken only when its file exists already, and without a note (nothing is
  // written); nullptr when there is no lock file (no run has ever held it). For a run that
  // writes nothing (--dry-run), and for a run's first look, before it has checked its ledger.
  static Result<std::unique_ptr<LedgerLock>> AcquireWithoutWriting(const std::string& db_path);
  // Writes the holder's note into a lock taken without one.
  void Note(std::time_t now);
  ~LedgerLock();
  LedgerLock(const LedgerLock&) = delete;
  LedgerLock& operator=(const LedgerLock&) = delete;

 private:
  explicit LedgerLock(int fd) : fd_(fd) {}
  int fd_;
  bool noted_ = false;  // the note is ours to clear (set by Note)
};

}  // namespace otp
