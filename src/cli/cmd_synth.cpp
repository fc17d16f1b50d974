// `otpbatch synth`: writes synthetic facility.xml, patients.csv and services.csv (synth.h).
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/system_clock_env.h"
#include "platform/clock.h"
#include "synth/synth.h"

namespace otp {
namespace {

class SynthCommand : public Command {
 public:
  const char* name() const override { return "synth"; }
  void Setup(CLI::App& app) override {
    auto* c = app.add_subcommand("synth",
        "Write realistic synthetic facility.xml, patients.csv and services.csv covering --days days from --start\n"
        "(default: the days before today). The same options and seed give the same files.");
    c->add_option("--patients", opt_.patients, "number of patients")->required();
    c->add_option("--days", opt_.days, "number of days of services")->required();
    c->add_option("--out", out_, "output folder")->required();
    c->add_option("--start", start_, "first day, YYYY-MM-DD (default: --days days before today)");
    c->add_option("--seed", opt_.seed, "random seed")->capture_default_str();
    c->add_option("--facilities", opt_.facilities, "number of facilities (default: from --patients)");
  }
  int Run() override {
    auto clock_ptr = MakeProcessClock();
    const Clock& clock = *clock_ptr;
    if (start_.empty()) {
      opt_.start = Today(clock) - opt_.days;
    } else {
      auto d = Date::Parse(start_);
      if (!d) {
        std::cerr << "otpbatch synth: --start: \"" << start_ << "\" is not a real date (YYYY-MM-DD)\n";
        return kExitUsage;
      }
      opt_.start = *d;
    }
    if (Status s = ValidateSynthOptions(opt_); !s.ok()) {
      std::cerr << "otpbatch synth: " << s.message() << "\n";
      return kExitUsage;
    }
    std::error_code ec;
    std::filesystem::create_directories(out_, ec);
    if (ec) {
      std::cerr << "otpbatch synth: cannot create " << out_ << ": " << ec.message() << "\n";
      return kExitUsage;
    }
    // Synthetic data holds no real PHI, but it looks like it: keep the same 0600 habit, from
    // the moment each file is created.
    ::umask(077);
    auto open = [&](const char* name) {
      std::string p = out_ + "/" + name;
      std::ofstream f(p, std::ios::binary | std::ios::trunc);
      std::filesystem::permissions(p, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                   std::filesystem::perm_options::replace, ec);
      return f;
    };
    std::ofstream fx = open("facility.xml"), px = open("patients.csv"), sx = open("services.csv");
    int64_t rows = SynthesizeTo(opt_, fx, px, sx);
    fx.close();
    px.close();
    sx.close();
    if (!fx || !px || !sx) {
      std::cerr << "otpbatch synth: could not write all files under " << out_ << "\n";
      return kExitInternal;
    }
    std::cerr << "otpbatch synth: " << opt_.patients << " patients, " << SynthFacilityCount(opt_)
              << " facilities, " << rows << " service rows from " << opt_.start.Iso() << " → " << out_ << "\n";
    return kExitOk;
  }

 private:
  SynthOptions opt_;
  std::string out_, start_;
};

}  // namespace

std::unique_ptr<Command> MakeSynthCommand() { return std::make_unique<SynthCommand>(); }

}  // namespace otp
