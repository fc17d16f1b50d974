// BillPatient and the claims of CL-4. The rules themselves are in biller.h's parts: episodes
// (episodes.cpp), the bundle (bundle.cpp), take-homes (takehome.cpp), add-ons (addons.cpp) and
// each line's checks and price (lines.cpp).
#include "billing/engine.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "billing/biller.h"
#include "rules/rulebook.h"

namespace otp {
namespace billing {

Limits::Limits(const RuleBook& r)
    : episode_days(static_cast<int>(r.LimitValue("episode.days"))),
      takehome_max_units(static_cast<int>(r.LimitValue("takehome.max_units"))),
      takehome_max_days(static_cast<int>(r.LimitValue("takehome.max_days"))),
      takehome_days_per_unit(static_cast<int>(r.LimitValue("takehome.days_per_unit"))),
      counseling_unit_minutes(static_cast<int>(r.LimitValue("counseling.unit_minutes"))),
      timed_unit_minutes(static_cast<int>(r.LimitValue("timed_support.unit_minutes"))),
      iop_min_services(static_cast<int>(r.LimitValue("iop.min_services"))),
      overdose_repeat_days(static_cast<int>(r.LimitValue("overdose_med.repeat_days"))),
      provisional_max_days(static_cast<int>(r.LimitValue("provisional.max_days"))) {}

PatientBiller::PatientBiller(const BillingInput& in, const RuleBook& rules)
    : in_(in), rules_(rules), fac_(*in.facility), pat_(*in.patient), lim_(rules), decided_(in.records.size(), false) {
  out_.outcomes.resize(in.records.size());
  for (const auto& w : in.history.windows) windows_.Add(w.from, w.to, w.code);
  for (Date d : in.history.intakes_billed)
    if (d >= pat_.admission_date) intake_billed_ = true;
  overdose_ = in.history.overdose_billed;
  for (auto& [code, dates] : overdose_) std::sort(dates.begin(), dates.end());
  last_end_ = in.history.last_episode_end;
}

bool PatientBiller::IsDrugBundle(const std::string& code) const {
  const CodeDef* c = rules_.Code(code);
  return c && c->kind == CodeKind::kDrugBundle;
}

BillingResult PatientBiller::Run() {
  std::vector<size_t> awaiting, late;
  const std::vector<size_t> order = Classify(awaiting, late);
  const std::vector<EpisodePlan> plans =
      PlanEpisodes(order, [this](size_t i) { return DateOf(i); }, fac_.cycle, lim_.episode_days, last_end_);
  AwaitingFromEarlierNights(awaiting);
  for (const EpisodePlan& plan : LateWeeks(late)) DecideWeek(plan);  // before the weeks after them
  for (const EpisodePlan& plan : plans)
    if (plan.end < in_.as_of) DecideWeek(plan);  // EP-2: an episode is decided once it has ended
  for (const TakeHomeGroup& g : takehome_groups_) DecideTakeHome(g);
  return std::move(out_);
}

// Rows that are never billed, rows dated before the last decided week (`late`: decided again
// with a held week, in a week of their own, or held as late; late.cpp), and the rest, which make
// episodes (returned in date order).
std::vector<size_t> PatientBiller::Classify(std::vector<size_t>& awaiting, std::vector<size_t>& late) {
  std::vector<size_t> order;
  order.reserve(in_.records.size());
  for (size_t i = 0; i < in_.records.size(); ++i) {
    const ServiceRecord& r = Rec(i);
    if (!IsBillable(r.service)) {
      SetNotBillable(i, "compliance-event");
    } else if (Awaiting(i)) {
      awaiting.push_back(i);
    } else if (last_end_ && r.service_date <= *last_end_) {
      if (pat_.payer != Payer::kMedicare) SetNotBillable(i, "payer");  // CL-1: nothing for a person to act on
      else late.push_back(i);
    } else {
      order.push_back(i);
    }
  }
  auto by_date = [&](size_t a, size_t b) {
    const ServiceRecord& x = Rec(a);
    const ServiceRecord& y = Rec(b);
    if (x.service_date != y.service_date) return x.service_date < y.service_date;
    if (x.record_id != y.record_id) return x.record_id < y.record_id;
    return a < b;
  };
  std::sort(order.begin(), order.end(), by_date);
  std::sort(awaiting.begin(), awaiting.end(), by_date);
  std::sort(late.begin(), late.end(), by_date);
  return order;
}

}  // namespace billing

namespace {
// The role of the service that bills `code`, for the codes a service maps to.
std::optional<ServiceRole> RoleOfCode(std::string_view code, const RuleBook& rules) {
  for (int i = 0; i < kServiceCount; ++i) {
    const auto& b = rules.BillingOf(static_cast<Service>(i));
    if (b.code == code) return b.role;
  }
  return std::nullopt;
}
}  // namespace

bool KeptInHistory(const ClaimLine& line, const RuleBook& rules) {
  const std::optional<ServiceRole> role = RoleOfCode(line.code, rules);
  return role == ServiceRole::kIntake || role == ServiceRole::kOverdoseMed || role == ServiceRole::kTakeHome;
}

void AddToHistory(PatientHistory& h, const std::string& code, Date dos, const RuleBook& rules) {
  const std::optional<ServiceRole> role = RoleOfCode(code, rules);
  if (role == ServiceRole::kIntake) h.intakes_billed.push_back(dos);
  else if (role == ServiceRole::kOverdoseMed) h.overdose_billed[code].push_back(dos);
}

BillingResult BillPatient(const BillingInput& in, const RuleBook& rules) {
  if (!in.facility || !in.patient) return {};
  billing::PatientBiller b(in, rules);
  return b.Run();
}

std::vector<Claim> AssembleClaims(const Patient& patient, std::vector<ClaimLine> lines,
                                  size_t max_lines) {
  std::stable_sort(lines.begin(), lines.end(), [](const ClaimLine& a, const ClaimLine& b) {
    if (a.dos != b.dos) return a.dos < b.dos;
    return a.code < b.code;
  });
  if (max_lines == 0) max_lines = 1;
  std::vector<Claim> claims;
  int cur_month = -1;
  for (auto& l : lines) {
    int month = l.dos.year() * 12 + l.dos.month();
    if (claims.empty() || month != cur_month || claims.back().lines.size() >= max_lines) {
      Claim c;
      c.facility_id = patient.facility_id;
      c.patient_id = patient.patient_id;
      c.diagnosis = billing::NormalDiagnosis(patient.diagnosis);
      claims.push_back(std::move(c));
      cur_month = month;
    }
    claims.back().lines.push_back(std::move(l));
  }
  return claims;
}

std::vector<Claim> AssembleClaims(const Patient& patient, std::vector<ClaimLine> lines) {
  return AssembleClaims(patient, std::move(lines), kContractMaxLines);
}

std::vector<Claim> AssembleClaims(const Patient& patient, std::vector<ClaimLine> lines,
                                  const RuleBook& rules) {
  return AssembleClaims(patient, std::move(lines),
                        static_cast<size_t>(rules.LimitValue("claim.max_lines")));
}

}  // namespace otp
