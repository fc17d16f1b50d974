// `otpbatch ingest`: the 999, 277CA and 835 files that came back, posted to the ledger
// (remit/ingest.h). Exit 3 when the ingest opened work (a rejected or denied claim, something
// unmatched, a file that did not read), 2 when a file cannot be opened or codes/ does not load
// (nothing written), 4 when a run holds the ledger's lock.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/open_ledger.h"
#include "cli/system_clock_env.h"
#include "ledger/lock.h"
#include "platform/clock.h"
#include "platform/data_dirs.h"
#include "platform/fs.h"
#include "remit/ingest.h"
#include "rules/code_words.h"
#include "rules/rulebook.h"

namespace otp {
namespace {

void Print(const IngestSummary& s) {
  for (const FileOutcome& f : s.files) {
    if (!f.refused.ok()) {
      std::cout << f.file << ": NOT READ, nothing recorded: " << f.refused.message() << "\n";
      continue;
    }
    std::cout << f.file << ": " << f.transactions << " transaction(s): " << f.recorded << " recorded, " << f.known
              << " recorded before (nothing changed)";
    if (f.conflicts) std::cout << ", " << f.conflicts << " NOT applied (recorded before with other content)";
    std::cout << "; " << f.claim_events << " claim event(s), " << f.unmatched << " unmatched, paid "
              << f.paid.ToString() << "\n";
    for (const std::string& n : f.notes) std::cout << n << "\n";
  }
}

class IngestCommand : public Command {
 public:
  const char* name() const override { return "ingest"; }
  void Setup(CLI::App& app) override {
    auto* c = app.add_subcommand("ingest",
        "Read X12 999, 277CA and 835 files (any number, any order, several interchanges per file) and record\n"
        "each acknowledgment, claim status and payment against the claims this ledger wrote. The same file\n"
        "again changes nothing; a payment is never posted twice. Rejected and denied claims and anything\n"
        "unmatched join the work queue (`otpbatch queue`); see claims with `otpbatch claims --json`.");
    c->add_option("--db", db_, "the SQLite ledger")->required();
    c->add_option("--data", data_, "folder holding codes/ (the CARC, RARC and claim status words)");
    c->add_option("files", files_, "the 999, 277CA and 835 files")->required();
  }
  int Run() override {
    // A device, a pipe or a folder is no returned file: /dev/zero would be read without end.
    for (const std::string& f : files_) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(f, ec)) {
        std::cerr << "otpbatch ingest: " << f << ": not a regular file; nothing written\n";
        return kExitUsage;
      }
    }
    auto rules = RuleBook::Load(CodesDir(data_));
    if (!rules.ok()) return Fail("ingest", rules.status());
    auto words = CodeWords::Load(CodesDir(data_));
    if (!words.ok()) return Fail("ingest", words.status());
    auto clock = MakeProcessClock();
    int exit = kExitOk;
    auto ledger = OpenLedger("ingest", db_, LedgerAccess::kWrite, exit);
    if (!ledger) return exit;
    auto lock = LedgerLock::Acquire(db_, clock->Now());
    if (!lock.ok()) return Fail("ingest", lock.status());
    PosixFileSystem fs;
    auto done = IngestFiles(*ledger, fs, files_, rules.value(), words.value(), clock->Now());
    if (!done.ok()) return Fail("ingest", done.status());
    Print(done.value());
    Ledger::CloseAndStamp(std::move(ledger), fs);  // the next run need not check the file again
    const int64_t opened = done.value().ItemsOpened();
    std::cerr << "otpbatch ingest: " << files_.size() << " file(s), " << done.value().Refused() << " not read, "
              << opened << " work item(s) opened (run " << done.value().run_id << ")\n";
    return opened > 0 ? kExitAttention : kExitOk;
  }

 private:
  std::string db_, data_;
  std::vector<std::string> files_;
};

}  // namespace

std::unique_ptr<Command> MakeIngestCommand() { return std::make_unique<IngestCommand>(); }

}  // namespace otp
