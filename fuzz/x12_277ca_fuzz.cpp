// libFuzzer target for the 277CA reader: a whole file, or a transaction body put in a 277CA
// envelope (x12_read_common.h); every transaction goes through Read277CA. Invariants: a refusal
// names a segment; an accepted 277CA has at least one batch, every batch a TRN02 and an STC,
// every claim a TRN02 (its CLM01) and an STC, every line an STC; actions are WQ or U; service
// periods run forwards; and a claim is rejected exactly when one of its categories is.
#include <cstddef>
#include <cstdint>

#include "input/claim_status_277ca.h"
#include "x12_read_common.h"

using namespace otp;
using otp::fuzz::Check;

namespace {

bool AnyRejected(const std::vector<ClaimStatus277>& statuses) {
  for (const auto& s : statuses) {
    if (ClassifyCategory(s.status.category) == AckOutcome::kRejected) return true;
    for (const auto& m : s.more)
      if (ClassifyCategory(m.category) == AckOutcome::kRejected) return true;
  }
  return false;
}

void CheckStatuses(const std::vector<ClaimStatus277>& statuses) {
  Check(!statuses.empty(), "a batch, claim or line has an STC");
  for (const auto& s : statuses) {
    Check(s.action == "WQ" || s.action == "U", "STC03 is WQ or U");
    Check(!s.status.category.empty() && !s.status.code.empty(), "STC01 has a category and a code");
  }
}

void CheckPeriod(const std::optional<Date>& from, const std::optional<Date>& to) {
  Check(from.has_value() == to.has_value(), "a service period has both ends");
  if (from) Check(*from <= *to, "a service period runs forwards");
}

void CheckAck(const ClaimAck277& a) {
  Check(!a.batches.empty() && !a.reference.empty(), "a 277CA has BHT03 and a batch");
  for (const auto& b : a.batches) {
    Check(!b.batch_id.empty(), "a batch has its TRN02");
    CheckStatuses(b.statuses);
    for (const auto& c : b.claims) {
      Check(!c.claim_id.empty(), "a claim has its TRN02");
      CheckStatuses(c.statuses);
      CheckPeriod(c.service_from, c.service_to);
      Check((c.Outcome() == AckOutcome::kRejected) == AnyRejected(c.statuses),
            "rejected exactly when a category is");
      for (const auto& l : c.lines) {
        CheckStatuses(l.statuses);
        CheckPeriod(l.service_from, l.service_to);
        Check(!l.procedure.code.empty(), "a line has a procedure code");
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = ReadX12(fuzz::FileOf(data, size, fuzz::k277CA));
  if (!file.ok()) {
    fuzz::CheckRefusal(file.status());
    return 0;
  }
  for (const auto& ic : *file)
    for (const auto& g : ic.groups)
      for (const auto& tx : g.transactions) {
        auto a = Read277CA(tx);
        if (a.ok())
          CheckAck(*a);
        else
          fuzz::CheckRefusal(a.status());
      }
  return 0;
}
