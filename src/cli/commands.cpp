// Registration of the subcommands and the one place where exceptions become exit codes.
#include "cli/commands.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/exit_codes.h"
#include "platform/stop.h"

namespace otp {

std::vector<std::unique_ptr<Command>> AllCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(MakeInitCommand());
  v.push_back(MakeRunCommand());
  v.push_back(MakeReportCommand());
  v.push_back(MakeExplainCommand());
  v.push_back(MakeQueueCommand());
  v.push_back(MakeCloseCommand());
  v.push_back(MakeIngestCommand());
  v.push_back(MakeClaimsCommand());
  v.push_back(MakeResubmitCommand());
  v.push_back(MakeCheckConfigCommand());
  v.push_back(MakeCheckCommand());
  v.push_back(MakeSynthCommand());
  return v;
}

int Main(int argc, char** argv) {
  // A write past the file-size limit (ulimit -f) fails with EFBIG and is reported like any
  // failed write, instead of SIGXFSZ ending the process without a word.
  stop::IgnoreFileSizeSignal();
  CLI::App app{"otpbatch: Medicare OTP weekly-bundle billing (X12 837P) and 42 CFR Part 8 compliance checks.\n"
               "Exit status: 0 ok; 1 internal failure (nothing committed); 2 usage or configuration error\n"
               "(nothing written; also a ledger that is missing, empty, foreign or damaged); 3 completed, and this\n"
               "run added rejected rows or holds; 4 another run holds the ledger's lock."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "otpbatch 0.1.0");
  auto commands = AllCommands();
  for (auto& c : commands) c->Setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  for (auto& c : commands) {
    if (app.got_subcommand(c->name())) {
      try {
        return c->Run();
      } catch (const std::exception& e) {
        std::cerr << "otpbatch " << c->name() << ": internal error: " << e.what() << "\n";
        return kExitInternal;
      }
    }
  }
  return kExitUsage;
}

}  // namespace otp
