// One run's hold on a ledger: an exclusive flock on "<db>.lock" that names its pid and start
// time. The kernel releases it when the process dies, so a stale lock never blocks.
#pragma once

#include <ctime>
#include <memory>
#include <string>

#include "model/status.h"

namespace otp {

class LedgerLock {
 public:
  // kBusy with "held by pid N since T" when another live run holds it (the only kBusy there
  // is); kInvalidArgument when the lock file cannot be made.
  static Result<std::unique_ptr<LedgerLock>> Acquire(const std::string& db_path, std::time_t now);
  ~LedgerLock();
  LedgerLock(const LedgerLock&) = delete;
  LedgerLock& operator=(const LedgerLock&) = delete;

 private:
  explicit LedgerLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace otp
