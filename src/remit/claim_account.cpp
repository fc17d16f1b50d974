// A claim's account from its events; see claim_account.h.
#include "remit/claim_account.h"

#include <algorithm>
#include <filesystem>
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

// Whether the payer paid nothing on what `adj` adjusts: its line as this event paid it, or, for
// a claim-level adjustment or one on a service line not tied to a line of ours, the claim.
bool PaidNothingOn(const ClaimEvent& e, const EventAdjustment& adj) {
  if (adj.line_no >= 1)
    for (const EventLine& l : e.lines)
      if (l.line_no == adj.line_no) return l.paid.cents() == 0 && l.charge.cents() != 0;
  return e.paid.cents() == 0 && e.charge.cents() != 0;
}

void Split(AdjustmentSplit& s, const ClaimEvent& e, const EventAdjustment& adj) {
  if (adj.group == "PR") (adj.reason == "1" ? s.deductible : s.other_patient) += adj.amount;
  else if (PaidNothingOn(e, adj)) s.denied += adj.amount;
  else if (adj.group == "CO") s.contractual += adj.amount;
  else s.other += adj.amount;
}

void AddUp(ClaimAccount& a, const std::vector<ClaimEvent>& events) {
  std::map<std::pair<std::string, std::string>, Money> net;
  for (const ClaimEvent& e : events) {
    if (!FromPayment(e)) continue;
    a.paid += e.paid;
    a.patient_responsibility += e.patient_responsibility;
    for (const EventAdjustment& adj : e.adjustments) {
      net[{adj.group, adj.reason}] += adj.amount;
      Split(a.split, e, adj);
    }
    if (std::find(a.payments.begin(), a.payments.end(), e.response) == a.payments.end()) a.payments.push_back(e.response);
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

bool LineDenied(const ClaimEvent& e, const EventLine& line) {
  if (line.paid.cents() != 0 || line.charge.cents() <= 0) return false;
  Money patient;
  for (const EventAdjustment& a : e.adjustments)
    if (a.line_no == line.line_no && a.group == "PR") patient += a.amount;
  return patient < line.charge;
}

Money DeniedCharges(const ClaimEvent& e) {
  Money m;
  for (const EventLine& l : e.lines)
    if (LineDenied(e, l)) m += l.charge;
  return m;
}

std::string AdjudicationStatus(const ClaimEvent& e) {
  if (e.status_code == "22") return "reversed";
  if (e.status_code == "4") return "denied";
  const bool line_denied = DeniedCharges(e).cents() > 0;
  if (e.paid.cents() > 0 && e.patient_responsibility.cents() == 0 && !line_denied) return "paid";
  if (e.paid.cents() > 0 || e.patient_responsibility.cents() > 0) return "partially_paid";
  return "denied";
}

ClaimHead HeadOf(const StoredClaim& sc) {
  ClaimHead h{sc.claim.claim_id, sc.claim.facility_id, sc.claim.patient_id, sc.written_on, std::nullopt,
              sc.claim.Total(), sc.claim.file};
  for (const ClaimLine& l : sc.claim.lines)
    if (!h.first_dos || l.dos < *h.first_dos) h.first_dos = l.dos;
  return h;
}

ClaimAccount AccountOf(const StoredClaim& sc, const std::vector<ClaimEvent>& events,
                       const std::optional<Resubmission>& again) {
  return AccountOf(HeadOf(sc), events, again);
}

ClaimAccount AccountOf(const ClaimHead& c, const std::vector<ClaimEvent>& events,
                       const std::optional<Resubmission>& again) {
  ClaimAccount a;
  a.claim_id = c.claim_id;
  a.facility_id = c.facility_id;
  a.patient_id = c.patient_id;
  a.written_on = c.written_on;
  a.file = std::filesystem::path(c.path).filename().string();
  a.billed = c.billed;
  if (c.first_dos) a.month = c.first_dos->Iso().substr(0, 7);
  const bool resubmitted = again && !again->new_claim_id.empty();
  a.status = StatusOf(events, resubmitted);
  AddUp(a, events);
  Name(a, events);
  a.history.push_back({c.written_on, "written", a.file, ""});
  for (const ClaimEvent& e : events)
    a.history.push_back({e.date, e.event, e.file, e.detail, e.source, e.status_code});
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
