// What a night holds before it may write: its lock and its ledger, checked (Ledger::Open), with
// what an interrupted run published but never committed taken back. Every refusal comes before
// anything is written: the lock is taken first when its file exists (which writes nothing until
// the holder's note), the ledger is opened and checked (which writes nothing) and the output
// folder's owner read before a missing lock file is made; a dry run makes no lock file, writes
// no note and takes nothing back.
#pragma once

#include <memory>
#include <string>

#include "ledger/ledger.h"
#include "ledger/lock.h"
#include "model/status.h"

namespace otp {

class Clock;
class FileSystem;
struct NightOptions;

struct NightLedger {
  std::unique_ptr<LedgerLock> lock;  // null only in a dry run on a ledger no run has locked yet
  std::unique_ptr<Ledger> ledger;
  int recovered_files = 0;
  // Set when the ledger's interchange counter was behind the 837P files its folders hold (a
  // ledger restored from a backup): the numbers continue past them, and this says so.
  std::string counter_raised;
};

std::string JournalOf(const std::string& db_path);  // "<db>.publishing"

Result<NightLedger> OpenNightLedger(const NightOptions& opt, const std::string& out_dir, const Clock& clock,
                                    FileSystem& fs);

}  // namespace otp
