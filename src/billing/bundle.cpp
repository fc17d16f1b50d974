// One ended episode: who is billed (CL-1, CL-3), its one bundle (BU-1..BU-5) and what follows
// from it: coverage windows (BU-4), take-homes (TH-1) and add-ons (AD-*).
#include <algorithm>
#include <map>
#include <set>

#include "billing/biller.h"

namespace otp::billing {

EpisodeRows PatientBiller::SortRoles(const std::vector<size_t>& rows) const {
  EpisodeRows r;
  for (size_t i : rows) {
    const ServiceBilling& b = rules_.BillingOf(Rec(i).service);
    r.methadone = r.methadone || b.methadone;
    switch (b.role) {
      case ServiceRole::kDrug: r.drugs.push_back(i); break;
      case ServiceRole::kBundleService:
        r.bundle_services.push_back(i);
        if (b.counseling) r.counseling.push_back(i);
        break;
      case ServiceRole::kTakeHome: r.takehomes[Rec(i).service].push_back(i); break;
      case ServiceRole::kIntake: r.intakes.push_back(i); break;
      case ServiceRole::kAssessment: r.assessments.push_back(i); break;
      case ServiceRole::kOverdoseMed: r.overdose.push_back(i); break;
      case ServiceRole::kIop: r.iop.push_back(i); break;
      case ServiceRole::kTimedSupport: r.timed[Rec(i).service].push_back(i); break;
      case ServiceRole::kComplianceOnly: break;  // never in an episode
    }
  }
  return r;
}

// CL-1: false when the patient's payer is not billed at all (its rows decided here).
bool PatientBiller::DecideEligibility(const EpisodePlan& plan, Episode& ep) {
  if (pat_.payer != Payer::kMedicare) {
    for (size_t r : plan.rows) SetNotBillable(r, "payer");
    ep.status = "not-billable";
    ep.reason = "payer";
    return false;
  }
  return true;
}

// CL-3: a diagnosis that is not an opioid use disorder holds the week's bundle, with every row
// of the week, and names the code it would have billed.
bool PatientBiller::HoldNonOud(const EpisodePlan& plan, Pending& bundle, Episode& ep) {
  const std::string dx = NormalDiagnosis(pat_.diagnosis);
  if (dx.rfind("F11", 0) == 0) return false;
  bundle.rows = plan.rows;
  bundle.hold_rule = "CL-3";
  HoldLine(bundle, "no-oud-diagnosis", "diagnosis on file " + pat_.diagnosis + " is not an opioid use disorder code (F11.*)");
  ep.status = "held";
  ep.reason = "no-oud-diagnosis";
  return true;
}

// BU-2: the medication on the most days of the episode, on-site or dispensed, outside the days
// already paid or awaiting a take-home add-on (BU-4, TH-1); a take-home's covered days inside
// the episode count as days of its medication. On a tie, the one given last.
std::optional<std::string> PatientBiller::ChooseDrug(const EpisodePlan& plan, const EpisodeRows& roles) const {
  struct Tally {
    std::set<int32_t> days;
    Date last_given;
    size_t last_row = 0;
  };
  std::map<std::string, Tally> tally;
  auto count = [&](const std::string& code, Date day, size_t row, bool given) {
    if (InWindow(day)) return;
    Tally& t = tally[code];
    t.days.insert(day.days());
    if (given && (t.days.size() == 1 || !(day < t.last_given))) {
      t.last_given = day;
      t.last_row = row;
    }
  };
  for (size_t r : roles.drugs) count(rules_.BillingOf(Rec(r).service).code, DateOf(r), r, true);
  for (const auto& [svc, rows] : roles.takehomes) {
    const std::string& code = rules_.BillingOf(svc).takehome_bundle;
    for (size_t r : rows) {
      count(code, DateOf(r), r, true);
      const int supply = FloorUnits(Rec(r).quantity);
      for (Date d = DateOf(r) + 1; d <= plan.end && d <= DateOf(r) + supply; d = d + 1) count(code, d, r, false);
    }
  }
  const std::pair<const std::string, Tally>* best = nullptr;
  for (const auto& entry : tally) {
    const Tally& t = entry.second;
    if (t.days.empty()) continue;
    if (!best || t.days.size() > best->second.days.size() ||
        (t.days.size() == best->second.days.size() &&
         std::tie(t.last_given, t.last_row) > std::tie(best->second.last_given, best->second.last_row)))
      best = &entry;
  }
  return best ? std::optional<std::string>(best->first) : std::nullopt;
}

// BU-1..BU-5: the episode's one bundle, or false (BU-5: add-ons only; its rows held here).
bool PatientBiller::ChooseBundle(const EpisodePlan& plan, const EpisodeRows& roles, Pending& bundle) {
  bundle.dos = plan.bundle_dos;  // EP-3
  std::vector<size_t> meds_in;
  for (size_t r : roles.drugs)
    if (InWindow(DateOf(r))) meds_in.push_back(r);
  if (std::optional<std::string> drug = ChooseDrug(plan, roles)) {
    bundle.code = *drug;
    bundle.rule_id = bundle.hold_rule = "BU-2";
  } else if (!roles.bundle_services.empty() || !meds_in.empty()) {
    bundle.code = rules_.NonDrugBundleCode();
    bundle.rule_id = meds_in.empty() ? "BU-3" : "BU-3 BU-4";
    bundle.hold_rule = "BU-3";
  } else {
    Pending p;
    p.dos = plan.bundle_dos;
    p.rows = plan.rows;
    p.hold_rule = "BU-5";
    HoldLine(p, "addon-without-bundle", "add-on services without a weekly bundle in the episode");
    return false;
  }
  // The bundle's sources: the medication given or dispensed and the bundle services.
  bundle.rows = roles.drugs;
  bundle.rows.insert(bundle.rows.end(), roles.bundle_services.begin(), roles.bundle_services.end());
  for (const auto& [svc, rows] : roles.takehomes)
    for (size_t r : rows)
      if (DateOf(r) + FloorUnits(Rec(r).quantity) <= plan.end || bundle.rows.empty()) bundle.rows.push_back(r);
  std::sort(bundle.rows.begin(), bundle.rows.end(), [&](size_t a, size_t b) { return DateOf(a) < DateOf(b); });
  return true;
}

// BU-4-overlap: G2074 because the week's on-site medication fell on days already paid.
void PatientBiller::OverlapFinding(const EpisodePlan& plan, const EpisodeRows& roles, const Pending& bundle) {
  if (bundle.code != rules_.NonDrugBundleCode()) return;
  for (size_t r : roles.drugs) {
    if (!InWindow(DateOf(r))) continue;
    const ServiceRecord& first_in = Rec(r);
    const std::string* wcode = windows_.Covering(first_in.service_date);
    AddFinding("BU-4-overlap", Severity::kWarning, first_in.service_date,
               "on-site medication inside days already paid (" + (wcode ? *wcode : std::string("a take-home")) +
                   "): billed " + bundle.code + " instead of a drug bundle",
               FindingKey(fac_.id, pat_.patient_id, "BU-4-overlap", plan.start.Iso(), first_in.record_id));
    return;
  }
}

// BU-4: each injection or implant the bundle paid for (given outside days already paid)
// covers its days from its date.
void PatientBiller::OpenDrugWindows(const std::string& code, const EpisodeRows& roles) {
  std::vector<size_t> paid;
  for (size_t r : roles.drugs) {
    const ServiceBilling& b = rules_.BillingOf(Rec(r).service);
    if (b.code == code && !b.coverage_limit.empty() && !windows_.Covering(DateOf(r))) paid.push_back(r);
  }
  for (size_t r : paid) {
    const ServiceBilling& b = rules_.BillingOf(Rec(r).service);
    const int days = static_cast<int>(rules_.LimitValue(b.coverage_limit));
    AddWindow(DateOf(r), DateOf(r) + (days - 1), b.code, Rec(r).record_id);
  }
}

// Rows that made no line of their own are covered by the episode's bundle.
void PatientBiller::CoveredByBundle(const std::vector<size_t>& rows, bool billed, const std::string& hold) {
  for (size_t r : rows) {
    if (decided_[r]) continue;
    decided_[r] = true;
    out_.outcomes[r] = billed ? RowOutcome{Outcome::kBilled, ""} : RowOutcome{Outcome::kHeld, hold};
  }
}

void PatientBiller::DecideEpisode(const EpisodePlan& plan) {
  Episode ep{fac_.id, pat_.patient_id, plan.start, plan.end, "", "", "", std::nullopt};
  episode_start_ = plan.start;
  if (!DecideEligibility(plan, ep)) {
    out_.episodes.push_back(std::move(ep));
    return;
  }
  const EpisodeRows roles = SortRoles(plan.rows);
  Pending bundle;
  if (!ChooseBundle(plan, roles, bundle)) {
    ep.status = "held";
    ep.reason = "addon-without-bundle";
    out_.episodes.push_back(std::move(ep));
    return;
  }
  ep.bundle_dos = bundle.dos;  // where a held week's bundle goes once it bills
  if (HoldNonOud(plan, bundle, ep)) {
    out_.episodes.push_back(std::move(ep));
    return;
  }
  OverlapFinding(plan, roles, bundle);
  std::string hold = Check(bundle);
  const bool billed = hold.empty();
  if (billed) {
    Bill(bundle);
    OpenDrugWindows(bundle.code, roles);
    ep.bundle_code = bundle.code;
    ep.status = "billed";
  } else {
    bundle.hold_rule = hold.rfind("gate:", 0) == 0 ? "CL-2" : hold == "no-price" ? "CL-5" : bundle.hold_rule;
    HoldLine(bundle, hold, HoldDetail(hold, bundle.code));
    ep.status = "held";
    ep.reason = hold;
  }
  TakeHomes(plan, roles, bundle.code, billed);
  AddOns(roles, billed);
  CoveredByBundle(plan.rows, billed, hold);
  out_.episodes.push_back(std::move(ep));
}

}  // namespace otp::billing
