// `otpbatch claims --json`: each claim's status, payments and history (interface.md §2), one
// JSON object per line, from the ledger alone (read-only).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/open_ledger.h"
#include "cli/system_clock_env.h"
#include "platform/clock.h"
#include "remit/accounts.h"

namespace otp {
namespace {

double Amount(Money m) { return static_cast<double>(m.cents()) / 100.0; }

nlohmann::json AccountJson(const ClaimAccount& a) {
  nlohmann::json adjustments = nlohmann::json::array(), history = nlohmann::json::array();
  for (const EventAdjustment& x : a.adjustments)
    adjustments.push_back({{"group", x.group}, {"reason", x.reason}, {"amount", Amount(x.amount)}});
  for (const AccountEvent& h : a.history)
    history.push_back({{"date", h.date.Iso()}, {"event", h.event}, {"file", h.file}, {"detail", h.detail}});
  nlohmann::json j = {{"claim_id", a.claim_id},
                      {"facility_id", a.facility_id},
                      {"patient_id", a.patient_id},
                      {"month", a.month},
                      {"billed", Amount(a.billed)},
                      {"status", a.status},
                      {"payer_claim_number", a.payer_claim_number},
                      {"paid", Amount(a.paid)},
                      {"adjustments", adjustments},
                      {"patient_responsibility", Amount(a.patient_responsibility)},
                      {"outstanding", Amount(a.Outstanding())},
                      {"written", a.written_on.Iso()},
                      {"file", a.file},
                      {"history", history}};
  if (!a.replaced_by.empty()) j["replaced_by"] = a.replaced_by;
  if (!a.replaces.empty()) j["replaces"] = a.replaces;
  return j;
}

class ClaimsCommand : public Command {
 public:
  const char* name() const override { return "claims"; }
  void Setup(CLI::App& app) override {
    auto* c = app.add_subcommand("claims",
        "Each claim's status (written, accepted, rejected, paid, partially_paid, denied, reversed,\n"
        "resubmitted), payer claim number, paid, adjustments, patient responsibility and history, as one JSON\n"
        "object per line. --from/--to choose claims by date of service.");
    c->add_option("--db", db_, "the SQLite ledger")->required();
    from_option_ = c->add_option("--from", from_, "first date of service, YYYY-MM-DD");
    to_option_ = c->add_option("--to", to_, "last date of service, YYYY-MM-DD");
    c->add_option("--status", status_, "only claims of this status");
    c->add_flag("--json", json_, "JSON lines (the only format)")->required();
  }
  int Run() override {
    auto clock = MakeProcessClock();
    const bool has_from = from_option_->count() > 0, has_to = to_option_->count() > 0;
    auto from = has_from ? DateOption("from", from_, true, *clock) : Date::FromYmd(1900, 1, 1);
    auto to = has_to ? DateOption("to", to_, true, *clock) : Date::FromYmd(9999, 12, 31);
    if (!from || !to) return kExitUsage;
    const auto& known = ClaimStatuses();
    if (!status_.empty() && std::find(known.begin(), known.end(), status_) == known.end()) {
      std::cerr << "otpbatch claims: --status: \"" << status_ << "\" is not a claim status\n";
      return kExitUsage;
    }
    int exit = kExitOk;
    auto ledger = OpenLedger("claims", db_, LedgerAccess::kRead, exit);
    if (!ledger) return exit;
    auto accounts = ClaimAccounts(*ledger, *from, *to);
    if (!accounts.ok()) return Fail("claims", accounts.status());
    for (const ClaimAccount& a : accounts.value())
      if (status_.empty() || a.status == status_) std::cout << AccountJson(a).dump() << "\n";
    return kExitOk;
  }

 private:
  std::string db_, from_, to_, status_;
  CLI::Option *from_option_ = nullptr, *to_option_ = nullptr;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeClaimsCommand() { return std::make_unique<ClaimsCommand>(); }

}  // namespace otp
