// The documented exit statuses (interface.md §2), the only thing cron reads, and the one place
// a failure's code becomes one.
#pragma once

#include "model/status.h"

namespace otp {
enum ExitCode : int {
  kExitOk = 0,           // all input accepted and processed
  kExitInternal = 1,     // internal failure: nothing committed
  kExitUsage = 2,        // usage or configuration error; a ledger missing, foreign or damaged: nothing written
  kExitAttention = 3,    // completed, but this run added rejected rows or holds
  kExitLocked = 4,       // another run holds the ledger's lock (only that)
};

inline int ExitCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kConfig:
    case StatusCode::kNotFound:
    case StatusCode::kCorrupt: return kExitUsage;
    case StatusCode::kBusy: return kExitLocked;
    case StatusCode::kIo:
    case StatusCode::kStopped:
    case StatusCode::kInternal: return kExitInternal;
  }
  return kExitInternal;
}
// A run's exit status: its failure's, or 3 when it completed with something for a person.
inline int ExitCodeFor(const Status& status, bool attention) {
  if (!status.ok()) return ExitCodeFor(status.code());
  return attention ? kExitAttention : kExitOk;
}
}  // namespace otp
