// A claim's account from its events; see claim_account.h.
#include "remit/claim_account.h"

#include <algorithm>
#include <map>
#include <utility>

namespace otp {
namespace {

bool FromPayment(const ClaimEvent& e) { return e.source == "835"; }
bool Decides(const ClaimEvent& e) { return e.event == "accepted" || e.event == "rejected"; }

// The latest event that `pick` chooses: by date, then the order recorded (events arrive so).
template <typename Pick>
const ClaimEvent* Latest(const std::vector<ClaimEvent>& events, Pick pick) {
  const ClaimEvent* latest = nullptr;
  for (const ClaimEvent& e : events)
    if (pick(e) && (!latest || std::pair(e.date, e.id) >= std::pair(latest->date, latest->id))) latest = &e;
  return latest;
}

std::string StatusOf(const std::vector<ClaimEvent>& events, bool resubmitted) {
  if (resubmitted) return "resubmitted";
  if (const ClaimEvent* paid = Latest(events, FromPayment)) return paid->event;
  if (const ClaimEvent* ack = Latest(events, [](const ClaimEvent& e) { return e.source == "277CA" && Decides(e); }))
    return ack->event;
  if (Latest(events, [](const ClaimEvent& e) { return e.source == "999" && e.event == "rejected"; })) return "rejected";
  return "written";
}

void AddUp(ClaimAccount& a, const std::vector<ClaimEvent>& events) {
  std::map<std::pair<std::string, std::string>, Money> net;
  for (const ClaimEvent& e : events) {
    if (!FromPayment(e)) continue;
    a.paid += e.paid;
    a.patient_responsibility += e.patient_responsibility;
    for (const EventAdjustment& adj : e.adjustments) net[{adj.group, adj.reason}] += adj.amount;
  }
  for (const auto& [key, amount] : net)
    if (amount.cents() != 0) a.adjustments.push_back({0, key.first, key.second, amount});
}

void Name(ClaimAccount& a, const std::vector<ClaimEvent>& events) {
  const ClaimEvent* paid = Latest(events, [](const ClaimEvent& e) { return FromPayment(e) && !e.payer_claim_number.empty(); });
  const ClaimEvent* any = Latest(events, [](const ClaimEvent& e) { return !e.payer_claim_number.empty(); });
  if (paid) a.payer_claim_number = paid->payer_claim_number;
  else if (any) a.payer_claim_number = any->payer_claim_number;
  if (const ClaimEvent* r = Latest(events, [](const ClaimEvent& e) { return e.event == "rejected"; }))
    a.rejection = r->status_code;
  if (const ClaimEvent* d = Latest(events, [](const ClaimEvent& e) { return e.event == "denied"; }))
    a.denial = d->detail;
}

}  // namespace

Money ClaimAccount::Outstanding() const {
  if (status == "resubmitted") return Money();
  Money left = billed - paid;
  for (const EventAdjustment& adj : adjustments) left = left - adj.amount;
  return left;
}

bool ClaimAccount::Adjudicated() const {
  return status == "paid" || status == "partially_paid" || status == "denied";
}

std::string AdjudicationStatus(const ClaimEvent& e) {
  if (e.status_code == "22") return "reversed";
  if (e.status_code == "4") return "denied";
  const bool line_denied = std::any_of(e.lines.begin(), e.lines.end(), [](const EventLine& l) {
    return l.paid.cents() == 0 && l.charge.cents() > 0;
  });
  if (e.paid.cents() > 0 && e.patient_responsibility.cents() == 0 && !line_denied) return "paid";
  if (e.paid.cents() > 0 || e.patient_responsibility.cents() > 0) return "partially_paid";
  return "denied";
}

ClaimAccount AccountOf(const StoredClaim& sc, const std::vector<ClaimEvent>& events,
                       const std::optional<Resubmission>& again) {
  ClaimAccount a;
  a.claim_id = sc.claim.claim_id;
  a.facility_id = sc.claim.facility_id;
  a.patient_id = sc.claim.patient_id;
  a.written_on = sc.written_on;
  a.file = sc.claim.file;
  a.billed = sc.claim.Total();
  if (!sc.claim.lines.empty()) {
    Date first = sc.claim.lines.front().dos;
    for (const ClaimLine& l : sc.claim.lines) first = std::min(first, l.dos);
    a.month = first.Iso().substr(0, 7);
  }
  const bool resubmitted = again && !again->new_claim_id.empty();
  a.status = StatusOf(events, resubmitted);
  AddUp(a, events);
  Name(a, events);
  a.history.push_back({sc.written_on, "written", sc.claim.file, ""});
  for (const ClaimEvent& e : events) a.history.push_back({e.date, e.event, e.file, e.detail});
  std::stable_sort(a.history.begin(), a.history.end(),
                   [](const AccountEvent& x, const AccountEvent& y) { return x.date < y.date; });
  if (resubmitted) {
    a.replaced_by = again->new_claim_id;
    const std::optional<Date> asked = Date::Parse(std::string_view(again->at).substr(0, 10));
    a.history.push_back({asked.value_or(a.history.back().date), "resubmitted", "",
                         "billed again as " + again->new_claim_id + " (asked by " + again->by + ")"});
  }
  return a;
}

}  // namespace otp
