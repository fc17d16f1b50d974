// ClaimAccounts; see accounts.h.
#include "remit/accounts.h"

#include <filesystem>
#include <map>

namespace otp {

const std::vector<std::string>& ClaimStatuses() {
  static const std::vector<std::string> kStatuses = {"written", "accepted",       "rejected", "paid",
                                                     "partially_paid", "denied", "reversed", "resubmitted"};
  return kStatuses;
}

Result<std::vector<ClaimAccount>> ClaimAccounts(Ledger& ledger, Date from, Date to) {
  OTP_ASSIGN_OR_RETURN(std::vector<StoredClaim> claims, ledger.ClaimsBetween(from, to));
  OTP_ASSIGN_OR_RETURN(std::vector<ClaimEvent> events, ledger.AllEvents());
  OTP_ASSIGN_OR_RETURN(std::vector<Resubmission> again, ledger.Resubmissions(false));
  OTP_ASSIGN_OR_RETURN(const auto paths, ledger.InterchangePaths());
  std::map<std::string, std::vector<ClaimEvent>, std::less<>> by_claim;
  for (ClaimEvent& e : events) by_claim[e.claim_id].push_back(std::move(e));
  std::map<std::string, Resubmission, std::less<>> asked;
  std::map<std::string, std::string, std::less<>> replaces;  // new claim → the rejected one
  for (Resubmission& r : again) {
    if (!r.new_claim_id.empty()) replaces.emplace(r.new_claim_id, r.claim_id);
    asked.emplace(r.claim_id, std::move(r));
  }
  std::vector<ClaimAccount> out;
  out.reserve(claims.size());
  static const std::vector<ClaimEvent> kNone;
  for (StoredClaim& sc : claims) {
    if (auto p = paths.find(sc.interchange); p != paths.end())
      sc.claim.file = std::filesystem::path(p->second).filename().string();
    const auto e = by_claim.find(sc.claim.claim_id);
    const auto r = asked.find(sc.claim.claim_id);
    out.push_back(AccountOf(sc, e == by_claim.end() ? kNone : e->second,
                            r == asked.end() ? std::nullopt : std::optional<Resubmission>(r->second)));
    if (auto old = replaces.find(sc.claim.claim_id); old != replaces.end()) out.back().replaces = old->second;
  }
  return out;
}

}  // namespace otp
