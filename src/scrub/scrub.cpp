// The pre-submission edits, one function each.
#include "scrub/scrub.h"

#include <algorithm>
#include <cctype>

#include "rules/rulebook.h"

namespace otp {
namespace {

bool Overlaps(Date a_from, Date a_to, Date b_from, Date b_to) { return !(a_to < b_from || b_to < a_from); }

class Scrubber {
 public:
  Scrubber(const ScrubInput& in, const RuleBook& rules) : in_(in), rules_(rules) {
    for (int i = 0; i < kServiceCount; ++i) {
      const ServiceBilling& b = rules.BillingOf(static_cast<Service>(i));
      if (b.code.empty()) continue;
      roles_[b.code] = b.role;
      if (!b.coverage_limit.empty()) spacing_[b.code] = static_cast<int>(rules.LimitValue(b.coverage_limit));
    }
  }

  std::vector<EditVerdict> Run() {
    std::vector<EditVerdict> out;
    for (const ClaimLine& l : *in_.lines) {
      EditVerdict v;
      using Edit = std::string (Scrubber::*)(const ClaimLine&) const;
      for (auto [id, edit] : {std::pair<const char*, Edit>{"SC-1", &Scrubber::Sc1}, {"SC-2", &Scrubber::Sc2},
                              {"SC-3", &Scrubber::Sc3}, {"SC-4", &Scrubber::Sc4}, {"SC-5", &Scrubber::Sc5}}) {
        if (std::string why = (this->*edit)(l); !why.empty()) {
          v.failed = id;
          v.detail = std::move(why);
          break;
        }
        v.passed.push_back(id);
      }
      if (v.ok()) passed_.push_back(&l);
      out.push_back(std::move(v));
    }
    return out;
  }

 private:
  bool IsBundle(const std::string& code) const {
    const CodeDef* c = rules_.Code(code);
    return c && (c->kind == CodeKind::kDrugBundle || c->kind == CodeKind::kNonDrugBundle);
  }
  bool IsDrugBundle(const std::string& code) const {
    const CodeDef* c = rules_.Code(code);
    return c && c->kind == CodeKind::kDrugBundle;
  }
  bool HasRole(const std::string& code, ServiceRole role) const {
    auto it = roles_.find(code);
    return it != roles_.end() && it->second == role;
  }
  // EP-3's one exception: in a weekday cycle, the week that begins treatment carries its first
  // day seen, and the next week its first day, fewer than 7 days later.
  bool FirstWeekException(Date earlier, Date later) const {
    const EpisodeCycle& c = in_.facility->cycle;
    if (c.patient) return false;
    const Date week_start = earlier - ((earlier.weekday() - c.weekday + 7) % 7);
    return earlier != week_start && later == week_start + 7;
  }
  // The windows a line opened: tonight's of its code from one of its source rows.
  bool OpenedBy(const CoverageWindow& w, const ClaimLine& l) const {
    return w.code == l.code &&
           std::find(l.source_record_ids.begin(), l.source_record_ids.end(), w.source_record_id) !=
               l.source_record_ids.end();
  }

  std::string Sc1(const ClaimLine& l) const;
  std::string Sc2(const ClaimLine& l) const;
  std::string Sc3(const ClaimLine& l) const;
  std::string Sc4(const ClaimLine& l) const;
  std::string Sc5(const ClaimLine& l) const;
  std::string TakeHomeDaysPaidTwice(const ClaimLine& l) const;
  std::string WindowsOverlap(const ClaimLine& l) const;

  const ScrubInput& in_;
  const RuleBook& rules_;
  std::map<std::string, ServiceRole> roles_;  // code → the role of the service billed by it
  std::map<std::string, int> spacing_;        // drug bundle code → the days its drug covers
  std::vector<const ClaimLine*> passed_;      // tonight's lines that passed, in order
};

// SC-1: bundle lines at least 7 days apart (EP-3's exception aside); a long-acting drug's lines
// (G2069, G2073, the implant) at least its coverage apart, measured on the days of drug they
// pay for (the injection), as EP-3 may date the bundle earlier in its week.
std::string Scrubber::Sc1(const ClaimLine& l) const {
  if (!IsBundle(l.code)) return "";
  std::vector<std::pair<std::string, Date>> others;
  for (const Episode& e : in_.history.episodes)
    if (e.status == "billed" && e.bundle_dos) others.emplace_back(e.bundle_code, *e.bundle_dos);
  for (const ClaimLine* p : passed_)
    if (IsBundle(p->code)) others.emplace_back(p->code, p->dos);
  for (const auto& [code, dos] : others) {
    const int apart = std::abs(l.dos - dos);
    if (apart < 7 && !FirstWeekException(std::min(l.dos, dos), std::max(l.dos, dos)))
      return l.code + " on " + l.dos.Iso() + " is " + std::to_string(apart) + " days from " + code + " on " +
             dos.Iso() + ": bundles are billed once per 7 days";
  }
  const auto spacing = spacing_.find(l.code);
  if (spacing == spacing_.end()) return "";
  for (const CoverageWindow& w : *in_.windows) {
    if (!OpenedBy(w, l)) continue;
    for (const auto* windows : {in_.windows, &in_.history.windows})
      for (const CoverageWindow& o : *windows)
        if (o.code == l.code && !OpenedBy(o, l) && std::abs(w.from - o.from) < spacing->second)
          return l.code + " pays drug from " + w.from.Iso() + ", " + std::to_string(std::abs(w.from - o.from)) +
                 " days from the one from " + o.from.Iso() + ": its drug covers " + std::to_string(spacing->second) +
                 " days";
  }
  return "";
}

// SC-2 (a): a take-home add-on's days never fall in a later week that billed a drug bundle.
std::string Scrubber::TakeHomeDaysPaidTwice(const ClaimLine& l) const {
  auto later_drug_bundle = [&](const Episode& e, const CoverageWindow& w) {
    return e.status == "billed" && IsDrugBundle(e.bundle_code) && l.episode_start < e.start &&
           Overlaps(e.start, e.end, w.from, w.to);
  };
  for (const CoverageWindow& w : *in_.windows) {
    if (!OpenedBy(w, l)) continue;
    for (const auto* episodes : {in_.episodes, &in_.history.episodes})
      for (const Episode& e : *episodes)
        if (later_drug_bundle(e, w))
          return l.code + " pays " + w.from.Iso() + ".." + w.to.Iso() + ", which the " + e.bundle_code +
                 " of the week from " + e.start.Iso() + " also pays";
  }
  return "";
}

// SC-2 (b): the windows a line opened overlap no window of another line.
std::string Scrubber::WindowsOverlap(const ClaimLine& l) const {
  for (const CoverageWindow& w : *in_.windows) {
    if (!OpenedBy(w, l)) continue;
    for (const auto* windows : {in_.windows, &in_.history.windows})
      for (const CoverageWindow& o : *windows)
        if (&o != &w && !OpenedBy(o, l) && Overlaps(w.from, w.to, o.from, o.to))
          return l.code + " covers " + w.from.Iso() + ".." + w.to.Iso() + ", already paid by " + o.code + " (" +
                 o.from.Iso() + ".." + o.to.Iso() + ")";
  }
  return "";
}

std::string Scrubber::Sc2(const ClaimLine& l) const {
  if (HasRole(l.code, ServiceRole::kTakeHome))
    if (std::string why = TakeHomeDaysPaidTwice(l); !why.empty()) return why;
  if (std::string why = WindowsOverlap(l); !why.empty()) return why;
  if (!IsDrugBundle(l.code)) return "";
  // SC-2 (c): a drug bundle for a week whose every day another line already paid.
  const Date end = l.episode_start + 6;
  for (Date d = l.episode_start; d <= end; d = d + 1) {
    bool covered = false;
    for (const auto* windows : {in_.windows, &in_.history.windows})
      for (const CoverageWindow& w : *windows)
        covered = covered || (!OpenedBy(w, l) && w.from <= d && d <= w.to);
    if (!covered) return "";
  }
  return l.code + " for the week from " + l.episode_start.Iso() + ", whose every day of drug was already paid";
}

// SC-3: no other patient id with the same MBI in treatment during the line's week.
std::string Scrubber::Sc3(const ClaimLine& l) const {
  const Date end = l.episode_start + 6;
  for (const SharedBeneficiary& s : in_.shared_mbi) {
    const Date until = s.discharge.value_or(Date::FromDays(INT32_MAX));
    if (Overlaps(l.episode_start, end, s.admission, until))
      return "the MBI of patient " + in_.patient->patient_id + " is also patient " + s.patient_id + " of facility " +
             s.facility_id + ", in treatment the same week: one beneficiary must have one patient id";
  }
  return "";
}

// SC-4: intake once per admission; take-home units per episode; overdose medications per 30 days.
std::string Scrubber::Sc4(const ClaimLine& l) const {
  std::vector<BilledLine> same;  // this code, billed before (earlier nights and tonight)
  for (const BilledLine& b : in_.history.lines)
    if (b.code == l.code) same.push_back(b);
  for (const ClaimLine* p : passed_)
    if (p->code == l.code) same.push_back({p->code, p->dos, p->units});
  if (HasRole(l.code, ServiceRole::kIntake)) {
    for (const BilledLine& b : same)
      if (!(b.dos < in_.patient->admission_date))
        return l.code + " already billed on " + b.dos.Iso() + " in the admission of " +
               in_.patient->admission_date.Iso();
  } else if (HasRole(l.code, ServiceRole::kTakeHome)) {
    int units = l.units;
    for (const BilledLine& b : same)
      if (!(b.dos < l.episode_start) && !(l.episode_start + 6 < b.dos)) units += b.units;
    const int max = static_cast<int>(rules_.LimitValue("takehome.max_units"));
    if (units > max)
      return std::to_string(units) + " units of " + l.code + " for the week from " + l.episode_start.Iso() +
             ": at most " + std::to_string(max);
  } else if (HasRole(l.code, ServiceRole::kOverdoseMed)) {
    const int days = static_cast<int>(rules_.LimitValue("overdose_med.repeat_days"));
    bool necessary = false;
    for (const auto& id : l.source_record_ids) {
      auto f = in_.record_flags.find(id);
      necessary = necessary || (f != in_.record_flags.end() && (f->second & kFlagMedicallyNecessary));
    }
    for (const BilledLine& b : same)
      if (std::abs(l.dos - b.dos) < days && !necessary)
        return l.code + " already billed on " + b.dos.Iso() + ", within " + std::to_string(days) +
               " days, and no source row is marked medically necessary";
  }
  return "";
}

// SC-5: the line as a whole: code, price, units, diagnosis, date.
std::string Scrubber::Sc5(const ClaimLine& l) const {
  const CodeDef* c = rules_.Code(l.code);
  if (!c || !c->InForce(l.dos)) return l.code + " is not in force on " + l.dos.Iso();
  if (l.units < 1 || l.units > c->max_units)
    return std::to_string(l.units) + " units of " + l.code + ": from 1 to " + std::to_string(c->max_units);
  auto price = rules_.PriceOf(l.code, l.dos, in_.facility->locality, *in_.facility);
  if (!price.ok()) return "no price for " + l.code + " on " + l.dos.Iso() + ": " + price.status().message();
  if (!(Money() < price->unit) || l.unit_price != price->unit || l.charge != price->unit * l.units)
    return l.code + " charged " + l.charge.ToString() + " for " + std::to_string(l.units) + " units; the price is " +
           price->unit.ToString() + " a unit";
  std::string dx;
  for (char ch : in_.patient->diagnosis)
    if (ch != '.') dx.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  if (dx.rfind("F11", 0) != 0) return "the patient's diagnosis " + dx + " is not an opioid use disorder (F11.*)";
  if (!(l.dos < in_.as_of)) return "the date of service " + l.dos.Iso() + " is not before the as-of date";
  return "";
}

}  // namespace

std::string SharedMbiKey(const std::string& facility_id, const std::string& patient_id) {
  return facility_id + '\x1f' + patient_id;
}

SharedMbis SharedBeneficiaries(const std::vector<Patient>& patients) {
  std::map<std::string, std::vector<const Patient*>> by_mbi;
  for (const Patient& p : patients)
    if (p.payer == Payer::kMedicare && !p.mbi.empty()) by_mbi[p.mbi].push_back(&p);
  SharedMbis out;
  for (const auto& [mbi, group] : by_mbi) {
    if (group.size() < 2) continue;
    for (const Patient* p : group)
      for (const Patient* o : group)
        if (o != p)
          out[SharedMbiKey(p->facility_id, p->patient_id)].push_back(
              {o->facility_id, o->patient_id, o->admission_date, o->discharge_date});
  }
  return out;
}

std::vector<EditVerdict> Scrub(const ScrubInput& in, const RuleBook& rules) {
  Scrubber s(in, rules);
  return s.Run();
}

std::string ScrubClaimMonth(const Claim& claim) {
  for (const ClaimLine& l : claim.lines)
    if (l.dos.year() != claim.lines.front().dos.year() || l.dos.month() != claim.lines.front().dos.month())
      return "claim lines of " + claim.lines.front().dos.Iso() + " and " + l.dos.Iso() + " in one claim";
  return "";
}

}  // namespace otp
