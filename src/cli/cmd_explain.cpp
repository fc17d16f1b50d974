// `otpbatch explain`: for each line of a claim, the source records, the rule that chose the
// code, units, charge and the rate row used — the answer to "why was this billed?".
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "ledger/ledger.h"

namespace otp {
namespace {

class ExplainCommand : public Command {
 public:
  const char* name() const override { return "explain"; }
  void Setup(CLI::App& app) override {
    auto* c = app.add_subcommand("explain",
        "For each line of a claim: the source record ids, the rule ids that chose the code, units, charge and\n"
        "the rate row used.");
    c->add_option("--db", db_, "the SQLite ledger")->required();
    c->add_option("--claim", claim_, "the claim id (CLM01), e.g. C000000012")->required();
  }
  int Run() override {
    // Read-only: it works on a read-only ledger and beside a run that is writing it.
    auto ledger = Ledger::Open(db_, LedgerAccess::kRead);
    if (!ledger.ok()) {
      std::cerr << "otpbatch explain: " << ledger.status().message() << "\n";
      return ExitCodeFor(ledger.status().code());
    }
    auto found = ledger.value()->FindClaim(claim_);
    if (!found.ok()) {
      std::cerr << "otpbatch explain: " << found.status().message() << "\n";
      return ExitCodeFor(found.status().code());
    }
    const std::optional<StoredClaim>& sc = found.value();
    if (!sc) {
      std::cerr << "otpbatch explain: no claim " << claim_ << " in " << db_ << "\n";
      return kExitUsage;
    }
    const Claim& c = sc->claim;
    std::cout << "claim " << c.claim_id << "  facility " << c.facility_id << "  patient " << c.patient_id
              << "  diagnosis " << c.diagnosis << "  total " << c.Total().ToString() << "  interchange "
              << sc->interchange << "  run " << sc->run_id << "\n";
    for (size_t i = 0; i < c.lines.size(); ++i) {
      const ClaimLine& l = c.lines[i];
      std::cout << "line " << sc->line_nos[i] << ": " << l.code;
      for (const auto& m : l.modifiers) std::cout << ":" << m;
      std::cout << "  DOS " << l.dos.Iso() << "  units " << l.units << "  charge " << l.charge.ToString()
                << " (" << l.unit_price.ToString() << " each)\n";
      std::cout << "  rule:    " << l.rule_id << "  (episode starting " << l.episode_start.Iso() << ")\n";
      std::cout << "  rate:    " << l.rate_ref << "\n";
      std::cout << "  edits:   ";
      for (const auto& e : l.edits) std::cout << e << " ";
      std::cout << (l.edits.empty() ? "(none on record)" : "passed") << "\n";
      std::cout << "  sources:";
      for (const auto& r : l.source_record_ids) std::cout << " " << r;
      std::cout << "\n";
      if (!l.practitioner_npi.empty()) std::cout << "  rendering NPI: " << l.practitioner_npi << "\n";
    }
    return kExitOk;
  }

 private:
  std::string db_, claim_;
};

}  // namespace

std::unique_ptr<Command> MakeExplainCommand() { return std::make_unique<ExplainCommand>(); }

}  // namespace otp
