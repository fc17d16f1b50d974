// Rows dated on or before a patient's last decided week: decided again with a held week,
// decided in a week of their own when no decided week covers theirs, or held as late (CL-7).
#include <map>

#include "billing/biller.h"
#include "rules/rulebook.h"

namespace otp::billing {

// Decides a week; when its bundle is held, its rows' outcomes and holds say that the week is
// decided again on the next night (its rows stay undecided in the ledger) until the cause is gone.
void PatientBiller::DecideWeek(const EpisodePlan& plan) {
  const size_t holds_before = out_.holds.size();
  DecideEpisode(plan);
  if (out_.episodes.empty() || out_.episodes.back().status != "held") return;
  for (size_t r : plan.rows)
    if (out_.outcomes[r].outcome == Outcome::kHeld) out_.outcomes[r].again = true;
  for (size_t h = holds_before; h < out_.holds.size(); ++h) out_.holds[h].week = plan.start;
}

// The week a late row is decided in: its held week (decided again), or the week it would make
// when no decided week overlaps that one (a week nobody billed, as when its only row was
// rejected on the night the weeks around it were decided); nullopt: the row is late.
std::optional<EpisodePlan> PatientBiller::WeekOfLateRow(Date d) const {
  const int len = lim_.episode_days;
  if (const Episode* e = DecidedEpisodeOn(d)) {
    if (e->status != "held") return std::nullopt;
    return EpisodePlan{e->start, e->end, e->bundle_dos.value_or(e->start), {}};
  }
  const Date start = fac_.cycle.patient ? PatientCycleStart(d) : d - ((d.weekday() - fac_.cycle.weekday + 7) % 7);
  const Date end = start + (len - 1);
  bool follows = false;  // a decided week ends the day before: no restart (EP-3)
  for (const Episode& e : in_.history.episodes) {
    if (e.start <= end && start <= e.end) return std::nullopt;
    if (e.end + 1 == start) follows = true;
  }
  return EpisodePlan{start, end, follows ? start : d, {}};
}

// EP-1 on the patient's cycle: the week after the latest decided week that ends before `d`
// when `d` falls in it (the cycle continues), else a new cycle from `d`.
Date PatientBiller::PatientCycleStart(Date d) const {
  std::optional<Date> before;
  for (const Episode& e : in_.history.episodes)
    if (e.end < d && (!before || *before < e.end)) before = e.end;
  return before && d - *before <= lim_.episode_days ? *before + 1 : d;
}

// The weeks the late rows are decided in, by start; the rows of none are held as late.
std::vector<EpisodePlan> PatientBiller::LateWeeks(const std::vector<size_t>& late) {
  std::map<int32_t, EpisodePlan> weeks;
  for (size_t i : late) {  // by date
    const Date d = DateOf(i);
    EpisodePlan* into = nullptr;
    for (auto& [start, w] : weeks)
      if (w.start <= d && d <= w.end) into = &w;
    if (!into) {
      std::optional<EpisodePlan> w = WeekOfLateRow(d);
      if (!w) {
        HoldLate(i);
        continue;
      }
      into = &weeks.emplace(w->start.days(), std::move(*w)).first->second;
    }
    into->rows.push_back(i);
  }
  std::vector<EpisodePlan> out;
  for (auto& [start, w] : weeks) out.push_back(std::move(w));
  return out;
}

void PatientBiller::HoldLate(size_t i) {
  Pending p;
  p.dos = DateOf(i);
  p.rows = {i};
  p.hold_rule = "CL-7";
  episode_start_ = p.dos;
  HoldLine(p, "late-record", LateDetail(i));
}

// What the late row would change on its week's claim, for the person who decides whether to
// ask for a reopening (never a second bundle).
std::string PatientBiller::LateDetail(size_t i) const {
  const ServiceRecord& r = Rec(i);
  const Episode* e = DecidedEpisodeOn(r.service_date);
  if (!e) return "record dated " + r.service_date.Iso() + ", before weeks already decided";
  std::string week = "its week " + e->start.Iso() + " to " + e->end.Iso();
  if (e->status != "billed") return week + " was decided without a claim (" + e->status + ": " + e->reason + ")";
  week += " was billed " + e->bundle_code;
  const ServiceBilling& b = rules_.BillingOf(r.service);
  switch (b.role) {
    case ServiceRole::kDrug:
      if (b.code == e->bundle_code) return week + ", which pays for this dose: the claim would not change";
      return week + "; with this dose the week could bill " + b.code + ": the claim may change";
    case ServiceRole::kBundleService:
      return week + ", which includes this service: the claim would not change";
    case ServiceRole::kTakeHome:
      return week + "; this take-home could add a take-home add-on line: the claim may change";
    default:
      return week + "; this service could add a " + b.code + " line: the claim may change";
  }
}

}  // namespace otp::billing
