// The add-ons of an episode (AD-1 … AD-7), billed beside its bundle.
#include <algorithm>

#include "billing/biller.h"

namespace otp::billing {

Pending PatientBiller::Single(size_t r, std::string code, const char* rule) const {
  Pending p;
  p.code = std::move(code);
  p.rule_id = p.hold_rule = rule;
  p.dos = DateOf(r);
  p.rows = {r};
  return p;
}

// AD-7: a modifier when every deciding row was delivered remotely — the audio one if any was
// by audio only, else the video one (codes/services.xml <telehealth-modifier>); any in-person
// row → no modifier.
void PatientBiller::TelehealthModifier(Pending& p, const std::vector<size_t>& rows) const {
  if (rows.empty()) return;
  Modality m = Modality::kVideo;
  for (size_t r : rows) {
    const Modality x = Rec(r).modality;
    if (x == Modality::kInPerson) return;
    if (x == Modality::kAudio) m = Modality::kAudio;
  }
  if (const std::string* code = rules_.TelehealthModifier(m)) {
    p.modifiers = {*code};
    p.rule_id += " AD-7";
  }
}

// AD-1 intake, once per admission (with AD-7's audio rule).
void PatientBiller::Intakes(const EpisodeRows& roles, bool bundle_billed) {
  for (size_t r : roles.intakes) {
    Pending p = Single(r, rules_.BillingOf(Rec(r).service).code, "AD-1");
    TelehealthModifier(p, {r});
    if (roles.methadone && Rec(r).modality == Modality::kAudio) {
      p.hold_rule = "AD-7";
      HoldLine(p, "audio-methadone-intake", "a methadone intake cannot be delivered by audio only");
    } else if (intake_billed_) {
      HoldLine(p, "intake-repeat", "an intake was already billed in this admission");
    } else if (Emit(p, bundle_billed)) {
      intake_billed_ = true;
    }
  }
}

// AD-3: counseling minutes in the episode above the care plan's, in whole units.
void PatientBiller::Counseling(const EpisodeRows& roles, bool bundle_billed) {
  if (roles.counseling.empty()) return;
  double minutes = 0;
  for (size_t r : roles.counseling) minutes += Rec(r).quantity;
  const double excess = minutes - pat_.plan_counseling_minutes;
  const int units = excess > 0 ? FloorUnits(excess / lim_.counseling_unit_minutes) : 0;
  if (units < 1) return;
  Pending p;
  p.code = rules_.CounselingBeyondPlanCode();
  p.rule_id = p.hold_rule = "AD-3";
  p.dos = DateOf(roles.counseling.front());
  p.units = units;
  p.rows = roles.counseling;
  // The rows past the plan's minutes decide the telehealth modifier.
  std::vector<size_t> beyond;
  double run = 0;
  for (size_t r : roles.counseling) {
    run += Rec(r).quantity;
    if (run > pat_.plan_counseling_minutes) beyond.push_back(r);
  }
  TelehealthModifier(p, beyond);
  Emit(p, bundle_billed);
}

// AD-4: naloxone and nalmefene, once per 30 days per code unless medically necessary.
void PatientBiller::OverdoseMeds(const EpisodeRows& roles, bool bundle_billed) {
  for (size_t r : roles.overdose) {
    const ServiceBilling& b = rules_.BillingOf(Rec(r).service);
    Pending p = Single(r, b.code, "AD-4");
    if (b.units_from_quantity) p.units = std::max(1, CeilUnits(Rec(r).quantity));
    auto& dates = overdose_[p.code];
    const Date d = DateOf(r);
    const auto it = std::lower_bound(dates.begin(), dates.end(), d - (lim_.overdose_repeat_days - 1));
    const bool repeat = it != dates.end() && *it <= d + (lim_.overdose_repeat_days - 1);
    if (repeat && !Rec(r).Has(kFlagMedicallyNecessary)) {
      HoldLine(p, "overdose-med-repeat",
               p.code + " already billed within " + std::to_string(lim_.overdose_repeat_days) +
                   " days and the row is not marked medically necessary",
               "overdose_med.repeat_days");
    } else if (Emit(p, bundle_billed)) {
      dates.insert(std::upper_bound(dates.begin(), dates.end(), d), d);
    }
  }
}

void PatientBiller::AddOns(const EpisodeRows& roles, bool bundle_billed) {
  Intakes(roles, bundle_billed);
  for (size_t r : roles.assessments) {  // AD-2
    Pending p = Single(r, rules_.BillingOf(Rec(r).service).code, "AD-2");
    TelehealthModifier(p, {r});
    Emit(p, bundle_billed);
  }
  Counseling(roles, bundle_billed);
  OverdoseMeds(roles, bundle_billed);
  if (!roles.iop.empty() && static_cast<int>(roles.iop.size()) >= lim_.iop_min_services) {  // AD-5
    Pending p;
    p.code = rules_.BillingOf(Rec(roles.iop.front()).service).code;
    p.rule_id = p.hold_rule = "AD-5";
    p.dos = DateOf(roles.iop.front());
    p.rows = roles.iop;
    Emit(p, bundle_billed);
  }
  for (const auto& [svc, list] : roles.timed) {  // AD-6
    double minutes = 0;
    for (size_t r : list) minutes += Rec(r).quantity;
    const int units = FloorUnits(minutes / lim_.timed_unit_minutes);
    if (units < 1) continue;
    Pending p;
    p.code = rules_.BillingOf(svc).code;
    p.rule_id = p.hold_rule = "AD-6";
    p.dos = DateOf(list.front());
    p.units = units;
    p.rows = list;
    Emit(p, bundle_billed);
  }
}

}  // namespace otp::billing
