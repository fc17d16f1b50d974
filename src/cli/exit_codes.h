// The documented exit statuses (interface.md §2), the only thing cron reads.
#pragma once

namespace otp {
enum ExitCode : int {
  kExitOk = 0,           // all input accepted and processed
  kExitInternal = 1,     // internal failure: nothing committed
  kExitUsage = 2,        // usage or configuration error: nothing written
  kExitAttention = 3,    // completed, but rows were rejected or episodes held
  kExitLocked = 4,       // another run holds the ledger's lock
};
}  // namespace otp
