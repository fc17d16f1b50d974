// The subcommands of `otpbatch`, one class each: Setup() declares the options and --help text
// on a CLI11 subcommand and only parses; Run() does the work and returns an exit status
// (exit_codes.h). They are registered in one place, AllCommands().
#pragma once

#include <memory>
#include <vector>

namespace CLI { class App; }

namespace otp {

class Command {
 public:
  virtual ~Command() = default;
  virtual const char* name() const = 0;
  virtual void Setup(CLI::App& app) = 0;
  virtual int Run() = 0;
};

std::unique_ptr<Command> MakeInitCommand();
std::unique_ptr<Command> MakeRunCommand();
std::unique_ptr<Command> MakeReportCommand();
std::unique_ptr<Command> MakeExplainCommand();
std::unique_ptr<Command> MakeQueueCommand();
std::unique_ptr<Command> MakeCloseCommand();
std::unique_ptr<Command> MakeIngestCommand();
std::unique_ptr<Command> MakeClaimsCommand();
std::unique_ptr<Command> MakeResubmitCommand();
std::unique_ptr<Command> MakeCheckConfigCommand();
std::unique_ptr<Command> MakeCheckCommand();
std::unique_ptr<Command> MakeSynthCommand();

std::vector<std::unique_ptr<Command>> AllCommands();

// The program with all subcommands, for main() and for tests that drive the CLI in-process.
int Main(int argc, char** argv);

}  // namespace otp
