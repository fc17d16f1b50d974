// `otpbatch queue`: the open work items, oldest first by id — what a person must act on.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/open_ledger.h"
#include "cli/system_clock_env.h"
#include "cli/work_text.h"
#include "platform/clock.h"
#include "platform/fs.h"
#include "work/queue.h"

namespace otp {
namespace {

class QueueCommand : public Command {
 public:
  const char* name() const override { return "queue"; }
  void Setup(CLI::App& app) override {
    auto* c = app.add_subcommand("queue",
        "The open work items: holds, open findings, rejected input rows, rejected and denied claims and\n"
        "unmatched or unreadable remittances, each with an id, what to do next,\n"
        "the amount at stake and its age. Close one with `otpbatch close --item ID`; see its trail with\n"
        "`otpbatch explain --item ID`.");
    c->add_option("--db", db_, "the SQLite ledger")->required();
    c->add_flag("--json", json_, "one JSON object per line per item");
    as_of_option_ = c->add_option("--as-of", as_of_, "YYYY-MM-DD: count ages to this day (default: today)");
  }
  int Run() override {
    auto clock = MakeProcessClock();
    auto today = DateOption("as-of", as_of_, as_of_option_->count() > 0, *clock);
    if (!today) return kExitUsage;
    int exit = kExitOk;
    auto ledger = OpenLedger("queue", db_, LedgerAccess::kRead, exit);
    if (!ledger) return exit;
    auto items = ledger->Items(ItemState::kOpen);
    if (!items.ok()) return Fail("queue", items.status());
    for (const WorkItem& w : items.value()) {
      if (json_) std::cout << ItemJson(w, *today).dump() << "\n";
      else std::cout << ItemLine(w, *today) << "\n    next: " << w.next_step << "\n";
    }
    if (!json_) std::cerr << "otpbatch queue: " << items.value().size() << " open item(s)\n";
    return kExitOk;
  }

 private:
  std::string db_, as_of_;
  CLI::Option* as_of_option_ = nullptr;
  bool json_ = false;
};

class CloseCommand : public Command {
 public:
  const char* name() const override { return "close"; }
  void Setup(CLI::App& app) override {
    auto* c = app.add_subcommand("close",
        "A person closes an open work item (a finding reviewed, a hold written off); who, when and why are\n"
        "kept. Closing a held week writes it off: no later night bills it.");
    c->add_option("--db", db_, "the SQLite ledger")->required();
    c->add_option("--item", item_, "the item id, e.g. W000012")->required();
    c->add_option("--by", by_, "who closes it")->required();
    c->add_option("--note", note_, "why")->required();
  }
  int Run() override {
    const std::optional<int64_t> id = ParseItemId(item_);
    if (!id) {
      std::cerr << "otpbatch close: --item: \"" << item_ << "\" is not a work item id (e.g. W000012)\n";
      return kExitUsage;
    }
    auto clock = MakeProcessClock();
    int exit = kExitOk;
    auto ledger = OpenLedger("close", db_, LedgerAccess::kWrite, exit);
    if (!ledger) return exit;
    Status s = CloseWorkItem(*ledger, *id, by_, note_, clock->Now());
    if (!s.ok()) return Fail("close", s);
    PosixFileSystem fs;
    Ledger::CloseAndStamp(std::move(ledger), fs);  // the next run need not check the file again
    std::cerr << "otpbatch close: " << ItemId(*id) << " closed\n";
    return kExitOk;
  }

 private:
  std::string db_, item_, by_, note_;
};

}  // namespace

std::unique_ptr<Command> MakeQueueCommand() { return std::make_unique<QueueCommand>(); }
std::unique_ptr<Command> MakeCloseCommand() { return std::make_unique<CloseCommand>(); }

}  // namespace otp
