// OpenNightLedger (night_ledger.h).
#include "night/night_ledger.h"

#include "night/night.h"
#include "night/out_folder.h"
#include "night/publisher.h"
#include "platform/clock.h"

namespace otp {

std::string JournalOf(const std::string& db_path) { return db_path + ".publishing"; }

namespace {
// Interchange control numbers are never used twice for a receiver: a counter behind the files
// this ledger wrote (it was restored from a backup) is moved past them before the night.
Status KeepControlNumbersUnused(const std::string& out, NightLedger& n) {
  const int64_t used = HighestControlNumber(out, n.ledger->id());
  if (used == 0) return Status::Ok();
  OTP_ASSIGN_OR_RETURN(const bool raised, n.ledger->RaiseCounter("interchange", used));
  if (raised)
    n.counter_raised = "the ledger's interchange control numbers were behind the 837P files it wrote under " + out +
                       " (restored from a backup?): tonight's continue after " + std::to_string(used) +
                       "; docs/operations.md, \"Restoring a backup\", says what else to check";
  return Status::Ok();
}
}  // namespace

Result<NightLedger> OpenNightLedger(const NightOptions& opt, const std::string& out_dir, const Clock& clock,
                                    FileSystem& fs) {
  NightLedger n;
  // The lock first, when its file exists: another run holding it is exit 4 at once, before
  // this one reads a ledger the other is writing. Taking it writes nothing.
  OTP_ASSIGN_OR_RETURN(n.lock, LedgerLock::AcquireWithoutWriting(opt.db));
  OTP_ASSIGN_OR_RETURN(n.ledger, Ledger::Open(opt.db, LedgerAccess::kWrite));
  OTP_TRY(CheckOutFolder(out_dir, n.ledger->id()));
  OTP_TRY(Publisher::CheckJournal(JournalOf(opt.db)));
  if (opt.dry_run) return n;
  if (n.lock) {
    n.lock->Note(clock.Now());
  } else {
    OTP_ASSIGN_OR_RETURN(n.lock, LedgerLock::Acquire(opt.db, clock.Now()));
  }
  Ledger& ledger = *n.ledger;
  auto recovered = Publisher::Recover(fs, JournalOf(opt.db), [&](int64_t run_id, int64_t started) {
    return ledger.RunFinished(run_id, static_cast<std::time_t>(started));
  });
  if (!recovered.ok()) return recovered.status().Prefixed("cannot recover an interrupted run, nothing done");
  n.recovered_files = recovered.value();
  OTP_TRY(KeepControlNumbersUnused(opt.out, n));
  return n;
}

}  // namespace otp
