// `otpbatch check`: the full check of a ledger, for an operator to run weekly (a run itself
// makes only SQLite's quick check). Exit 0 when the ledger is whole, 2 when it is damaged or is
// no ledger; docs/operations.md says what to do then.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "ledger/ledger.h"

namespace otp {
namespace {

class CheckCommand : public Command {
 public:
  const char* name() const override { return "check"; }
  void Setup(CLI::App& app) override {
    auto* c = app.add_subcommand("check",
        "Check a whole ledger: SQLite's integrity check (every page, every index against its table) and the\n"
        "ledger's own promises (no source row billed twice, claim totals, control numbers). Reads only; reads\n"
        "the whole file. Exit 0: whole; 2: damaged, or not a ledger.");
    c->add_option("--db", db_, "the SQLite ledger")->required();
  }
  int Run() override {
    auto ledger = Ledger::Open(db_, LedgerAccess::kRead);
    if (!ledger.ok()) return Fail(ledger.status());
    auto checked = ledger.value()->Check();
    if (!checked.ok()) return Fail(checked.status());
    const LedgerCheck& c = checked.value();
    std::cout << "ledger " << db_ << "  id " << ledger.value()->id() << "\n";
    for (const auto& [table, rows] : c.counts) std::cout << "  " << table << ": " << rows << " rows\n";
    for (const auto& p : c.problems) std::cout << "PROBLEM: " << p << "\n";
    if (!c.problems.empty()) {
      std::cerr << "otpbatch check: " << db_ << " is damaged (" << c.problems.size()
                << " problem(s)); docs/operations.md, \"A damaged ledger\", says what to do\n";
      return kExitUsage;
    }
    std::cerr << "otpbatch check: " << db_ << " is whole\n";
    return kExitOk;
  }

 private:
  int Fail(const Status& s) {
    std::cerr << "otpbatch check: " << s.message() << "\n";
    return ExitCodeFor(s.code());
  }
  std::string db_;
};

}  // namespace

std::unique_ptr<Command> MakeCheckCommand() { return std::make_unique<CheckCommand>(); }

}  // namespace otp
