// `otpbatch resubmit`: a rejected claim's lines billed again on a new claim the next night
// (remit/resubmit.h).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/open_ledger.h"
#include "cli/system_clock_env.h"
#include "ledger/lock.h"
#include "model/text.h"
#include "platform/clock.h"
#include "platform/fs.h"
#include "remit/resubmit.h"

namespace otp {
namespace {

class ResubmitCommand : public Command {
 public:
  const char* name() const override { return "resubmit"; }
  void Setup(CLI::App& app) override {
    auto* c = app.add_subcommand("resubmit",
        "Bill a rejected claim's lines again: the next night writes them on a new claim, which the ledger ties\n"
        "to the old one. Correct what the rejection names (patients.csv, facility.xml) before that night.");
    c->add_option("--db", db_, "the SQLite ledger")->required();
    c->add_option("--claim", claim_, "the rejected claim's id (CLM01), e.g. C000000012")->required();
    c->add_option("--by", by_, "who asks")->required();
  }
  int Run() override {
    auto clock = MakeProcessClock();
    int exit = kExitOk;
    auto ledger = OpenLedger("resubmit", db_, LedgerAccess::kWrite, exit);
    if (!ledger) return exit;
    auto lock = LedgerLock::Acquire(db_, clock->Now());
    if (!lock.ok()) return Fail("resubmit", lock.status());
    auto asked = AskResubmission(*ledger, claim_, by_, clock->Now());
    if (!asked.ok()) return Fail("resubmit", asked.status());
    PosixFileSystem fs;
    Ledger::CloseAndStamp(std::move(ledger), fs);  // the next run need not check the file again
    std::cerr << "otpbatch resubmit: " << AsciiUpper(claim_)
              << (asked.value() ? " will be billed again on a new claim by the next night's run"
                                : " was asked for before; nothing changed")
              << "\n";
    return kExitOk;
  }

 private:
  std::string db_, claim_, by_;
};

}  // namespace

std::unique_ptr<Command> MakeResubmitCommand() { return std::make_unique<ResubmitCommand>(); }

}  // namespace otp
