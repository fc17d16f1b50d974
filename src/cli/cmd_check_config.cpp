// `otpbatch check-config`: validate facility.xml and show each credential's status and days to
// expiry. Exit 0 when every credential is current, 3 when one is expiring (within the PG-1
// warning days) or lapsed, 2 when the file is invalid.
#include <CLI/CLI.hpp>
#include <climits>
#include <cstdio>
#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "platform/data_dirs.h"
#include "cli/exit_codes.h"
#include "compliance/checks.h"
#include "input/facility_reader.h"
#include "cli/system_clock_env.h"
#include "platform/clock.h"
#include "rules/rulebook.h"

namespace otp {
namespace {

class CheckConfigCommand : public Command {
 public:
  const char* name() const override { return "check-config"; }
  void Setup(CLI::App& app) override {
    auto* c = app.add_subcommand("check-config",
        "Validate the facility file and print each facility's credentials with status and days to expiry on\n"
        "--as-of (default today). Exit 0: all current; 3: a credential is expiring or lapsed; 2: invalid file.");
    c->add_option("--config", config_, "facility.xml")->required();
    as_of_option_ = c->add_option("--as-of", as_of_, "YYYY-MM-DD (default: today)");
    c->add_option("--data", data_, "folder holding codes/ and templates/");
  }
  int Run() override {
    auto clock_ptr = MakeProcessClock();
    const Clock& clock = *clock_ptr;
    auto as_of = DateOption("as-of", as_of_, as_of_option_->count() > 0, clock);
    if (!as_of) return kExitUsage;
    auto rules = RuleBook::Load(CodesDir(data_));
    if (!rules.ok()) {
      std::cerr << "otpbatch check-config: " << rules.status().message() << "\n";
      return kExitUsage;
    }
    std::vector<std::string> warnings;
    auto cfg = ReadFacilityFile(
        config_, [&](const std::string& l) { return rules.value().KnowsLocality(l); }, &warnings);
    if (!cfg.ok()) {
      std::cerr << "otpbatch check-config: " << cfg.status().message() << "\n";
      return kExitUsage;
    }
    bool attention = false;
    std::printf("%s: valid; %zu facilit%s; as of %s\n", config_.c_str(), cfg.value().facilities.size(),
                cfg.value().facilities.size() == 1 ? "y" : "ies", as_of->Iso().c_str());
    for (const auto& w : warnings) std::printf("warning: %s\n", w.c_str());
    for (const auto& f : cfg.value().facilities) {
      std::printf("\nfacility %s  %s  NPI %s  locality %s\n", f.id.c_str(), f.name.c_str(), f.npi.c_str(),
                  f.locality.c_str());
      std::printf("  %-22s %-14s %-18s %-12s %s\n", "credential", "number", "status", "expires", "days to expiry");
      for (const auto& s : CredentialStates(f, *as_of, rules.value())) {
        if (s.status == "lapsed" || s.status == "expiring" || s.status == "not-yet-effective") attention = true;
        std::string days = s.days_to_expiry == INT_MAX ? "open-ended" : std::to_string(s.days_to_expiry);
        std::printf("  %-22s %-14s %-18s %-12s %s\n", s.kind.c_str(), s.number.empty() ? "-" : s.number.c_str(),
                    s.status.c_str(), s.expires ? s.expires->Iso().c_str() : "-", days.c_str());
      }
      for (const auto& x : CheckProgram(f, *as_of, rules.value()))
        std::printf("  %s %s: %s\n", x.rule_id.c_str(), SeverityName(x.severity), x.detail.c_str());
    }
    return attention ? kExitAttention : kExitOk;
  }

 private:
  std::string config_, as_of_, data_;
  CLI::Option* as_of_option_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> MakeCheckConfigCommand() { return std::make_unique<CheckConfigCommand>(); }

}  // namespace otp
