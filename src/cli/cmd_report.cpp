// `otpbatch report`: the compliance workbook for a period, from the ledger alone.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "platform/data_dirs.h"
#include "cli/exit_codes.h"
#include "report/report_builder.h"
#include "input/facility_reader.h"
#include "ledger/ledger.h"
#include "output/workbook.h"
#include "cli/system_clock_env.h"
#include "platform/clock.h"
#include "platform/fs.h"
#include "rules/code_words.h"
#include "rules/rulebook.h"

namespace otp {
namespace {

class ReportCommand : public Command {
 public:
  const char* name() const override { return "report"; }
  void Setup(CLI::App& app) override {
    auto* c = app.add_subcommand("report",
        "Write the compliance workbook for a period from the ledger alone: claim lines with a date of service\n"
        "in [--from, --to] and what became of each claim (Payments), holds and findings dated in it, and\n"
        "rejects of the runs in it.");
    c->add_option("--db", db_, "the SQLite ledger")->required();
    c->add_option("--from", from_, "first day, YYYY-MM-DD")->required();
    c->add_option("--to", to_, "last day, YYYY-MM-DD")->required();
    c->add_option("--out", out_, "the workbook to write (.xlsx)")->required();
    c->add_option("--config", config_, "facility.xml, to show credential status as of --to (optional)");
    c->add_option("--data", data_, "folder holding codes/ and templates/");
  }
  int Run() override {
    auto clock_ptr = MakeProcessClock();
    const Clock& clock = *clock_ptr;
    auto from = DateOption("from", from_, true, clock), to = DateOption("to", to_, true, clock);
    if (!from || !to) return kExitUsage;
    if (*to < *from) {
      std::cerr << "otpbatch report: --to is before --from\n";
      return kExitUsage;
    }
    // Read-only: a report works on a read-only ledger and beside a run that is writing it.
    auto ledger = Ledger::Open(db_, LedgerAccess::kRead);
    if (!ledger.ok()) {
      std::cerr << "otpbatch report: " << ledger.status().message() << "\n";
      return ExitCodeFor(ledger.status().code());
    }
    auto rules = RuleBook::Load(CodesDir(data_));
    if (!rules.ok()) {
      std::cerr << "otpbatch report: " << rules.status().message() << "\n";
      return kExitUsage;
    }
    auto words = CodeWords::Load(CodesDir(data_));
    if (!words.ok()) {
      std::cerr << "otpbatch report: " << words.status().message() << "\n";
      return kExitUsage;
    }
    PosixFileSystem fs;
    auto layout = workbook::LoadLayout(fs, TemplatesDir(data_));  // before the work: a bad template stops it
    if (!layout.ok()) {
      std::cerr << "otpbatch report: " << layout.status().message() << "\n";
      return kExitUsage;
    }
    std::optional<Config> config;
    if (!config_.empty()) {
      auto c = ReadFacilityFile(config_, [&](const std::string& l) { return rules.value().KnowsLocality(l); });
      if (!c.ok()) {
        std::cerr << "otpbatch report: " << c.status().message() << "\n";
        return kExitUsage;
      }
      config = c.value();
    }
    auto built =
        BuildLedgerReport(*ledger.value(), config ? &*config : nullptr, *from, *to, rules.value(), words.value());
    if (!built.ok()) {
      std::cerr << "otpbatch report: " << built.status().message() << "\n";
      return ExitCodeFor(built.status().code());
    }
    const ReportData& data = built.value();
    Status s = WriteWorkbook(data, layout.value(), fs, out_);
    if (!s.ok()) {
      std::cerr << "otpbatch report: " << s.message() << "\n";
      return ExitCodeFor(s.code());
    }
    std::cerr << "otpbatch report: " << data.counts.claims << " claims, " << data.counts.lines << " lines, "
              << data.held.size() << " held, " << data.findings.size() << " findings → " << out_ << "\n";
    return kExitOk;
  }

 private:
  std::string db_, from_, to_, out_, config_, data_;
};

}  // namespace

std::unique_ptr<Command> MakeReportCommand() { return std::make_unique<ReportCommand>(); }

}  // namespace otp
