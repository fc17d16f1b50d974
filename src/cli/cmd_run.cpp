// `otpbatch run`: the nightly job (night.h does the work).
#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "night/night.h"
#include "cli/system_clock_env.h"
#include "platform/clock.h"
#include "platform/fs.h"
#include "platform/stop.h"

namespace otp {
namespace {

class RunCommand : public Command {
 public:
  const char* name() const override { return "run"; }
  void Setup(CLI::App& app) override {
    auto* c = app.add_subcommand("run",
        "The nightly job: read the facility file, patients and services; build the episodes that ended before\n"
        "--as-of; check compliance; bill; write the 837P files, the compliance workbook and summary.json under\n"
        "OUT/<as-of>/; record everything in the ledger. Re-running the same night bills nothing twice.");
    c->add_option("--config", opt_.config, "facility.xml")->required();
    c->add_option("--patients", opt_.patients, "patients.csv")->required();
    c->add_option("--services", opt_.services, "services.csv")->required();
    as_of_option_ = c->add_option("--as-of", as_of_, "YYYY-MM-DD: bill episodes that ended before this date (default: today)");
    c->add_option("--db", opt_.db, "the SQLite ledger")->capture_default_str();
    c->add_option("--out", opt_.out, "output folder")->capture_default_str();
    c->add_option("--data", opt_.data_dir, "folder holding codes/ and templates/ (default: the installed ones)");
    c->add_flag("--dry-run", opt_.dry_run, "decide and print the summary, but write and commit nothing");
  }
  int Run() override {
    // SIGTERM and SIGINT stop the night cleanly (its files taken back, nothing committed),
    // before the night starts any thread.
    stop::Install();
    auto clock_ptr = MakeProcessClock();
    const Clock& clock = *clock_ptr;
    auto d = DateOption("as-of", as_of_, as_of_option_->count() > 0, clock);
    if (!d) return kExitUsage;
    opt_.as_of = *d;
    PosixFileSystem fs;
    Progress("otpbatch run: as of " + d->Iso());
    NightResult r = RunNight(opt_, clock, fs);
    if (r.recovered_files > 0)
      std::cerr << "otpbatch run: removed " << r.recovered_files
                << " file(s) an interrupted earlier run had published but never committed\n";
    constexpr size_t kShown = 20;  // the rest are in the ledger's run summary counts
    for (size_t i = 0; i < r.warnings.size() && i < kShown; ++i)
      std::cerr << "otpbatch run: warning: " << r.warnings[i] << "\n";
    if (r.warnings.size() > kShown)
      std::cerr << "otpbatch run: warning: … and " << r.warnings.size() - kShown << " more\n";
    const int exit = ExitCodeFor(r.status, r.attention);
    std::cerr << LogLine(clock, *d, exit, r) << "\n";
    if (r.status.ok()) {
      if (opt_.dry_run) std::cout << r.summary_json;
      for (const auto& f : r.files) Progress("  wrote " + f);
    }
    return exit;
  }

  // The one line a run leaves in cron's log: when, the night, the exit status, what it did and
  // where its files are. Never PHI.
  std::string LogLine(const Clock& clock, Date as_of, int exit, const NightResult& r) const {
    std::ostringstream line;
    line << UtcStamp(clock.Now()) << " otpbatch run: as of " << as_of.Iso() << ", exit " << exit << ": ";
    if (!r.status.ok()) return line.str() + r.status.message();
    const auto& c = r.counts;
    line << c.service_rows_read << " service rows read: " << c.billed << " billed, " << c.held << " held, "
         << c.not_billable << " not billable, " << c.already_processed << " already processed, " << c.open
         << " waiting for their episode to end, " << c.rejected << " rejected; " << c.claims << " claims, " << c.lines
         << " lines, charges " << c.total_charges.ToString() << "; work items: " << r.work_opened << " opened, "
         << r.work_resolved << " resolved, " << r.work_open << " open; ";
    if (opt_.dry_run) line << "dry run: nothing written";
    else line << "files in " << r.out_dir;
    return line.str();
  }

 private:
  NightOptions opt_;
  std::string as_of_;
  CLI::Option* as_of_option_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> MakeRunCommand() { return std::make_unique<RunCommand>(); }

}  // namespace otp
