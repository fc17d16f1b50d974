// TH-1: take-home supplies. A take-home on day d of n days covers d+1 … d+n. The days inside
// its own episode are paid by that episode's bundle; the days after it are additional days.
// An additional day inside a later episode that bills its own drug bundle is paid by that
// bundle; the others are billed as G2078/G2079 on the take-home's episode, at most 21 days in
// 7-day units, once every week the days reach into has ended. Until then the rows stay open
// (kAwaitingWeeks) and their days count as already covered for the later weeks' bundles, so
// that no day of drug is paid twice (BU-4).
#include <algorithm>
#include <map>
#include <set>

#include "billing/biller.h"

namespace otp::billing {
namespace {

// The additional days of `rows` after `episode_end`, sorted, each once; `rows` keeps only the
// rows that have some.
std::vector<Date> AdditionalDays(std::vector<size_t>& rows, Date episode_end,
                                 const std::function<Date(size_t)>& date_of, const std::function<int(size_t)>& supply) {
  std::set<int32_t> days;
  std::vector<size_t> reaching;
  for (size_t r : rows) {
    const Date last = date_of(r) + supply(r);
    if (!(episode_end < last)) continue;
    reaching.push_back(r);
    for (Date d = episode_end + 1; d <= last; d = d + 1) days.insert(d.days());
  }
  rows = std::move(reaching);
  std::vector<Date> out;
  for (int32_t d : days) out.push_back(Date::FromDays(d));
  return out;
}

}  // namespace

void PatientBiller::HoldMismatch(Service svc, const std::vector<size_t>& rows, const std::string& bundle) {
  const ServiceBilling& b = rules_.BillingOf(svc);
  Pending p;
  p.code = b.code;
  p.dos = DateOf(rows.front());
  p.rows = rows;
  p.hold_rule = "TH-1";
  HoldLine(p, "takehome-mismatch",
           ServiceWords(svc) + " dispensed in an episode whose bundle is " +
               (bundle.empty() ? std::string("not billed") : bundle) + ": " + p.code + " is an add-on to " +
               b.takehome_bundle + " only");
}

// The take-homes of an episode just decided: a mismatch is held; supplies that reach past the
// episode make an add-on decided once the later weeks have ended (DecideTakeHome).
void PatientBiller::TakeHomes(const EpisodePlan& plan, const EpisodeRows& roles, const std::string& bundle,
                              bool billed) {
  for (const auto& [svc, all] : roles.takehomes) {
    const ServiceBilling& b = rules_.BillingOf(svc);
    if (bundle != b.takehome_bundle) {
      HoldMismatch(svc, all, bundle);
      continue;
    }
    TakeHomeGroup g{plan.start, plan.end, svc, all, {}};
    g.days = AdditionalDays(g.rows, plan.end, [this](size_t i) { return DateOf(i); },
                            [this](size_t i) { return FloorUnits(Rec(i).quantity); });
    if (g.rows.empty()) continue;  // every day inside the episode: its bundle pays them
    if (!billed) {
      Pending p{b.code, DateOf(g.rows.front()), 1, "TH-1", "TH-1", g.rows, {}};
      Emit(p, false);  // held with the bundle
      continue;
    }
    for (Date d : g.days) takehome_days_.Add(d, d, b.code);
    for (size_t r : g.rows) {
      decided_[r] = true;
      out_.outcomes[r] = {Outcome::kOpen, kAwaitingWeeks};
    }
    takehome_groups_.push_back(std::move(g));
  }
}

// The decided episode of an earlier night that holds day `d`, or nullptr.
const Episode* PatientBiller::DecidedEpisodeOn(Date d) const {
  for (const Episode& e : in_.history.episodes)
    if (e.start <= d && d <= e.end) return &e;
  return nullptr;
}

// Take-homes kept open on earlier nights, grouped again by their episode and service.
void PatientBiller::AwaitingFromEarlierNights(const std::vector<size_t>& rows) {
  std::map<std::pair<int32_t, Service>, std::vector<size_t>> groups;
  for (size_t r : rows) {
    const Episode* e = DecidedEpisodeOn(DateOf(r));
    const ServiceBilling& b = rules_.BillingOf(Rec(r).service);
    if (!e || e->status != "billed" || e->bundle_code != b.takehome_bundle) {
      HoldLate(r);  // its episode is not on record as billing the bundle it belongs to
      continue;
    }
    groups[{e->start.days(), Rec(r).service}].push_back(r);
  }
  for (auto& [key, all] : groups) {
    const Episode& e = *DecidedEpisodeOn(Date::FromDays(key.first));
    TakeHomeGroup g{e.start, e.end, key.second, all, {}};
    g.days = AdditionalDays(g.rows, e.end, [this](size_t i) { return DateOf(i); },
                            [this](size_t i) { return FloorUnits(Rec(i).quantity); });
    for (size_t r : all) decided_[r] = true;
    for (size_t r : all) out_.outcomes[r] = {Outcome::kBilled, ""};  // covered unless it reaches on
    if (g.rows.empty()) continue;
    for (Date d : g.days) takehome_days_.Add(d, d, rules_.BillingOf(g.service).code);
    for (size_t r : g.rows) out_.outcomes[r] = {Outcome::kOpen, kAwaitingWeeks};
    takehome_groups_.push_back(std::move(g));
  }
}

// Every week the additional days reach into has ended. An episode that holds one of them
// starts on or before the last one, so it ends within a week of it; whether it has rows yet or
// not (a week's rows may still come), it has ended once that week has passed.
bool PatientBiller::WeeksEnded(const TakeHomeGroup& g) const {
  return g.days.back() + (lim_.episode_days - 1) < in_.as_of;
}

// A later episode holding `d` billed its own drug bundle, tonight or on an earlier night.
bool PatientBiller::PaidByLaterBundle(const TakeHomeGroup& g, Date d) const {
  auto pays = [&](const Episode& e) {
    return g.episode_end < e.start && e.start <= d && d <= e.end && e.status == "billed" && IsDrugBundle(e.bundle_code);
  };
  return std::any_of(out_.episodes.begin(), out_.episodes.end(), pays) ||
         std::any_of(in_.history.episodes.begin(), in_.history.episodes.end(), pays);
}

void PatientBiller::DecideTakeHome(const TakeHomeGroup& g) {
  if (!WeeksEnded(g)) return;  // its rows stay open, awaiting the weeks
  std::vector<Date> billable;
  for (Date d : g.days)
    if (!windows_.Covering(d) && !PaidByLaterBundle(g, d)) billable.push_back(d);
  for (size_t r : g.rows) out_.outcomes[r] = {Outcome::kBilled, ""};  // paid by the bundles
  if (billable.empty()) return;
  const ServiceBilling& b = rules_.BillingOf(g.service);
  episode_start_ = g.episode_start;
  Pending p{b.code, DateOf(g.rows.front()), 1, "TH-1", "TH-1", g.rows, {}};
  const int days = std::min(static_cast<int>(billable.size()), lim_.takehome_max_days);
  p.units = std::min((days + lim_.takehome_days_per_unit - 1) / lim_.takehome_days_per_unit, lim_.takehome_max_units);
  if (static_cast<int>(billable.size()) > lim_.takehome_max_days)
    AddFinding("TH-1-cap", Severity::kInfo, p.dos,
               std::to_string(billable.size()) + " additional take-home days; only " + std::to_string(days) +
                   " can be billed",
               FindingKey(fac_.id, pat_.patient_id, "TH-1-cap", g.episode_start.Iso(), Rec(g.rows.front()).record_id),
               "takehome.max_days");
  if (!Emit(p, true)) return;
  // The billed days themselves are covered from now on, in runs of consecutive days.
  billable.resize(static_cast<size_t>(days));
  for (size_t i = 0; i < billable.size();) {
    size_t j = i + 1;
    while (j < billable.size() && billable[j] == billable[j - 1] + 1) ++j;
    AddWindow(billable[i], billable[j - 1], p.code, Rec(g.rows.front()).record_id);
    i = j;
  }
}

}  // namespace otp::billing
