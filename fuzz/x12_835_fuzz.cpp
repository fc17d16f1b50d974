// libFuzzer target for the 835 reader: a whole file, or a transaction body put in an 835
// envelope (x12_read_common.h); every transaction goes through Read835. Invariants: a refusal
// names a segment; an accepted 835 balances, recomputed here from the struct (each line: charge
// − paid = its adjustments; each claim: charge − paid = all its adjustments; BPR02, negated for
// a debit, = CLP04s − PLBs), BPR02 is not negative, and the codes are in the guide's lists.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "input/remit_835.h"
#include "x12_read_common.h"

using namespace otp;
using otp::fuzz::Check;

namespace {

void CheckRemit(const Remit835& r) {
  static const std::set<std::string> kStatus = {"1", "2", "3", "4", "19", "20", "21", "22", "23", "25"};
  static const std::set<std::string> kGroups = {"CO", "PR", "OA", "PI", "CR"};
  Check(r.total >= Money(), "BPR02 is not negative");
  Check(r.credit_debit == 'C' || r.credit_debit == 'D', "BPR03 is C or D");
  Money paid, plb;
  for (const auto& c : r.claims) {
    Check(kStatus.count(c.status) == 1, "CLP02 is a claim status code");
    Check(!c.claim_id.empty() && !c.payer_claim_number.empty(), "CLP01 and CLP07 are there");
    Money all;
    for (const auto& a : c.adjustments) Check(kGroups.count(a.group) == 1, "CAS01 is a group code");
    for (const auto& l : c.lines) {
      Check(l.charge - l.paid == l.AdjustmentTotal(), "each line balances");
      for (const auto& a : l.adjustments) Check(kGroups.count(a.group) == 1, "CAS01 is a group code");
      Check(!l.procedure.code.empty(), "SVC01 has a procedure code");
    }
    Check(c.charge - c.paid == c.AdjustmentTotal(), "each claim balances");
    paid += c.paid;
  }
  for (const auto& p : r.provider_adjustments) {
    Check(p.reason.size() == 2, "PLB reasons have two characters");
    plb += p.amount;
  }
  const Money total = r.credit_debit == 'D' ? Money() - r.total : r.total;
  Check(paid - plb == total, "the transaction balances");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = ReadX12(fuzz::FileOf(data, size, fuzz::k835));
  if (!file.ok()) {
    fuzz::CheckRefusal(file.status());
    return 0;
  }
  for (const auto& ic : *file)
    for (const auto& g : ic.groups)
      for (const auto& tx : g.transactions) {
        auto r = Read835(tx);
        if (r.ok())
          CheckRemit(*r);
        else
          fuzz::CheckRefusal(r.status());
      }
  return 0;
}
