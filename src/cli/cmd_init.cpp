// `otpbatch init`: makes a new, empty ledger, and nothing else. Every other command refuses a
// --db that is not a ledger, so a mistyped path can never start a second one.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "ledger/ledger.h"

namespace otp {
namespace {

class InitCommand : public Command {
 public:
  const char* name() const override { return "init"; }
  void Setup(CLI::App& app) override {
    auto* c = app.add_subcommand("init",
        "Make a new, empty ledger at --db, with an identity of its own (a random ledger id). Refused (exit 2)\n"
        "when anything is already at that path. Every other command needs a ledger made this way.");
    c->add_option("--db", db_, "the SQLite ledger to make")->required();
  }
  int Run() override {
    auto made = Ledger::Create(db_);
    if (!made.ok()) {
      std::cerr << "otpbatch init: " << made.status().message() << "\n";
      return ExitCodeFor(made.status().code());
    }
    std::cerr << "otpbatch init: made the ledger " << db_ << " (ledger id " << made.value()->id() << ")\n";
    return kExitOk;
  }

 private:
  std::string db_;
};

}  // namespace

std::unique_ptr<Command> MakeInitCommand() { return std::make_unique<InitCommand>(); }

}  // namespace otp
