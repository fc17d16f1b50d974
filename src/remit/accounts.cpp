// ClaimAccounts, AccountsOf and NightAccounts; see accounts.h.
#include "remit/accounts.h"

#include <map>

namespace otp {

const std::vector<std::string>& ClaimStatuses() {
  static const std::vector<std::string> kStatuses = {"written", "accepted",       "rejected", "paid",
                                                     "partially_paid", "denied", "reversed", "resubmitted"};
  return kStatuses;
}

Result<std::vector<ClaimAccount>> AccountsOf(Ledger& ledger, const std::vector<ClaimHead>& heads) {
  std::vector<std::string> ids;
  ids.reserve(heads.size());
  for (const ClaimHead& h : heads) ids.push_back(h.claim_id);
  OTP_ASSIGN_OR_RETURN(std::vector<ClaimEvent> events, ledger.EventsOfClaims(ids));
  OTP_ASSIGN_OR_RETURN(std::vector<Resubmission> again, ledger.Resubmissions(false));
  std::map<std::string, std::vector<ClaimEvent>, std::less<>> by_claim;
  for (ClaimEvent& e : events) by_claim[e.claim_id].push_back(std::move(e));
  std::map<std::string, Resubmission, std::less<>> asked;
  std::map<std::string, std::string, std::less<>> replaces;  // new claim → the rejected one
  for (Resubmission& r : again) {
    if (!r.new_claim_id.empty()) replaces.emplace(r.new_claim_id, r.claim_id);
    asked.emplace(r.claim_id, std::move(r));
  }
  std::vector<ClaimAccount> out;
  out.reserve(heads.size());
  static const std::vector<ClaimEvent> kNone;
  for (const ClaimHead& h : heads) {
    const auto e = by_claim.find(h.claim_id);
    const auto r = asked.find(h.claim_id);
    out.push_back(AccountOf(h, e == by_claim.end() ? kNone : e->second,
                            r == asked.end() ? std::nullopt : std::optional<Resubmission>(r->second)));
    if (auto old = replaces.find(h.claim_id); old != replaces.end()) out.back().replaces = old->second;
  }
  return out;
}

Result<std::vector<ClaimAccount>> ClaimAccounts(Ledger& ledger, Date from, Date to) {
  OTP_ASSIGN_OR_RETURN(const std::vector<ClaimHead> heads, ledger.ClaimHeadsBetween(from, to));
  return AccountsOf(ledger, heads);
}

Result<std::vector<ClaimAccount>> NightAccounts(Ledger& ledger, Date as_of, const NightWindow& window) {
  OTP_ASSIGN_OR_RETURN(const bool any, ledger.HasClaimEvents());
  if (!any) return std::vector<ClaimAccount>();
  OTP_ASSIGN_OR_RETURN(const std::vector<ClaimBalance> balances,
                       ledger.ClaimBalances(as_of - window.written_days, as_of));
  const Date recent = as_of - window.recent_days;
  std::vector<std::string> shown;
  for (const ClaimBalance& b : balances) {
    const bool open = !b.resubmitted && b.outstanding.cents() != 0;
    if (open || (b.last_event && recent <= *b.last_event)) shown.push_back(b.claim_id);
  }
  OTP_ASSIGN_OR_RETURN(const std::vector<ClaimHead> heads, ledger.ClaimHeads(shown));
  return AccountsOf(ledger, heads);
}

}  // namespace otp
