// BillPatient: one patient's rows → episodes → bundle → add-ons → checks → priced lines.
// Rows are sorted once (date, record id); each episode is a contiguous slice of that order,
// so a patient costs O(n log n). Coverage windows are an interval map (log lookups).
#include "billing/engine.h"

#include "model/text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <optional>

#include "billing/coverage.h"
#include "rules/rulebook.h"

namespace otp {
namespace {

int Floor(double x) { return static_cast<int>(std::floor(x + 1e-9)); }
int Ceil(double x) { return static_cast<int>(std::ceil(x - 1e-9)); }

std::string NormalDiagnosis(std::string_view dx) {
  std::string out;
  for (char c : dx)
    if (c != '.') out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

// The numbers billing needs, read from codes/limits.xml once per call.
struct Limits {
  int episode_days, takehome_max_units, takehome_max_days, takehome_days_per_unit,
      counseling_unit_minutes, timed_unit_minutes, iop_min_services, overdose_repeat_days,
      provisional_max_days;
  explicit Limits(const RuleBook& r)
      : episode_days(static_cast<int>(r.LimitValue("episode.days"))),
        takehome_max_units(static_cast<int>(r.LimitValue("takehome.max_units"))),
        takehome_max_days(static_cast<int>(r.LimitValue("takehome.max_days"))),
        takehome_days_per_unit(static_cast<int>(r.LimitValue("takehome.days_per_unit"))),
        counseling_unit_minutes(static_cast<int>(r.LimitValue("counseling.unit_minutes"))),
        timed_unit_minutes(static_cast<int>(r.LimitValue("timed_support.unit_minutes"))),
        iop_min_services(static_cast<int>(r.LimitValue("iop.min_services"))),
        overdose_repeat_days(static_cast<int>(r.LimitValue("overdose_med.repeat_days"))),
        provisional_max_days(static_cast<int>(r.LimitValue("provisional.max_days"))) {}
};

// A line before its checks: what the rules chose and from which rows.
struct Pending {
  std::string code;
  Date dos;
  int units = 1;
  std::string rule_id;                 // e.g. "AD-1 AD-7"
  std::string hold_rule;               // the rule named on a hold of this line
  std::vector<size_t> rows;            // indexes into BillingInput::records
  std::vector<std::string> modifiers;
};

class PatientBiller {
 public:
  PatientBiller(const BillingInput& in, const RuleBook& rules)
      : in_(in), rules_(rules), fac_(*in.facility), pat_(*in.patient), lim_(rules) {
    out_.outcomes.resize(in.records.size());
    for (const auto& w : in.history.windows) windows_.Add(w.from, w.to, w.code);
    for (Date d : in.history.intakes_billed)
      if (d >= pat_.admission_date) intake_billed_ = true;
    overdose_ = in.history.overdose_billed;
    for (auto& [code, dates] : overdose_) std::sort(dates.begin(), dates.end());
    last_end_ = in.history.last_episode_end;
  }

  BillingResult Run() {
    std::vector<size_t> order;
    order.reserve(in_.records.size());
    for (size_t i = 0; i < in_.records.size(); ++i) {
      const ServiceRecord& r = *in_.records[i];
      if (!IsBillable(r.service)) {
        SetNotBillable(i, "compliance-event");
      } else if (last_end_ && r.service_date <= *last_end_) {
        if (pat_.payer != Payer::kMedicare) {
          SetNotBillable(i, "payer");  // CL-1: nothing for a person to act on
        } else {
          HoldLate(i);
        }
      } else {
        order.push_back(i);
      }
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const ServiceRecord& x = *in_.records[a];
      const ServiceRecord& y = *in_.records[b];
      if (x.service_date != y.service_date) return x.service_date < y.service_date;
      if (x.record_id != y.record_id) return x.record_id < y.record_id;
      return a < b;
    });
    if (fac_.cycle.patient) {
      PatientCycle(order);
    } else {
      WeekdayCycle(order);
    }
    return std::move(out_);
  }

 private:
  const ServiceRecord& Rec(size_t i) const { return *in_.records[i]; }
  Date DateOf(size_t i) const { return in_.records[i]->service_date; }

  // ---- EP-1 --------------------------------------------------------------------------------
  void PatientCycle(const std::vector<size_t>& order) {
    if (order.empty()) return;
    size_t i = 0, n = order.size();
    Date d0 = DateOf(order[0]);
    const int len = lim_.episode_days;
    Date start = (last_end_ && d0 <= *last_end_ + len) ? *last_end_ + 1 : d0;
    while (true) {
      Date end = start + (len - 1);
      size_t j = i;
      while (j < n && DateOf(order[j]) <= end) ++j;
      DecideEpisode(start, end, std::vector<size_t>(order.begin() + i, order.begin() + j));
      if (j == n) break;
      Date next = DateOf(order[j]);
      start = next <= end + len ? end + 1 : next;
      i = j;
    }
  }

  void WeekdayCycle(const std::vector<size_t>& order) {
    size_t i = 0, n = order.size();
    while (i < n) {
      Date d = DateOf(order[i]);
      Date start = d - ((d.weekday() - fac_.cycle.weekday + 7) % 7);  // calendar weeks
      Date end = start + (lim_.episode_days - 1);
      size_t j = i;
      while (j < n && DateOf(order[j]) <= end) ++j;
      DecideEpisode(start, end, std::vector<size_t>(order.begin() + i, order.begin() + j));
      i = j;
    }
  }

  // ---- one episode ---------------------------------------------------------------------------
  void DecideEpisode(Date start, Date end, std::vector<size_t> rows) {
    if (!(end < in_.as_of)) return;  // EP-2: still open, rows stay kOpen
    otp::Episode ep{fac_.id, pat_.patient_id, start, end, "", "", ""};
    episode_start_ = start;

    if (pat_.payer != Payer::kMedicare) {  // CL-1
      for (size_t r : rows) SetNotBillable(r, "payer");
      ep.status = "not-billable";
      ep.reason = "payer";
      out_.episodes.push_back(std::move(ep));
      return;
    }
    if (NormalDiagnosis(pat_.diagnosis).rfind("F11", 0) != 0) {  // CL-3
      Pending p;
      p.dos = DateOf(rows.front());
      p.rows = rows;
      p.hold_rule = "CL-3";
      HoldLine(p, "no-oud-diagnosis", "diagnosis is not an opioid use disorder code (F11.*)");
      ep.status = "held";
      ep.reason = "no-oud-diagnosis";
      out_.episodes.push_back(std::move(ep));
      return;
    }

    // Sort the episode's rows by role (they are already in date order).
    std::vector<size_t> meds_out, meds_in, bundle_services, counseling, intakes, assessments,
        overdose, iop;
    std::map<Service, std::vector<size_t>> takehomes, timed;
    bool methadone = false;
    for (size_t r : rows) {
      const ServiceRecord& rec = Rec(r);
      const auto& b = rules_.BillingOf(rec.service);
      methadone = methadone || b.methadone;
      switch (b.role) {
        case ServiceRole::kDrug:
          (windows_.Covering(rec.service_date) ? meds_in : meds_out).push_back(r);
          break;
        case ServiceRole::kBundleService:
          bundle_services.push_back(r);
          if (b.counseling) counseling.push_back(r);
          break;
        case ServiceRole::kTakeHome: takehomes[rec.service].push_back(r); break;
        case ServiceRole::kIntake: intakes.push_back(r); break;
        case ServiceRole::kAssessment: assessments.push_back(r); break;
        case ServiceRole::kOverdoseMed: overdose.push_back(r); break;
        case ServiceRole::kIop: iop.push_back(r); break;
        case ServiceRole::kTimedSupport: timed[rec.service].push_back(r); break;
        case ServiceRole::kComplianceOnly: break;  // filtered before
      }
    }

    // ---- BU-1..BU-5: the one bundle -------------------------------------------------------
    Pending bundle;
    bundle.dos = DateOf(rows.front());  // EP-3
    std::optional<Service> drug = ChooseDrug(meds_out);
    bool overlap = false;
    if (drug) {
      bundle.code = rules_.BillingOf(*drug).code;
      bundle.rule_id = bundle.hold_rule = "BU-2";
    } else if (!bundle_services.empty() || !meds_in.empty()) {
      bundle.code = rules_.NonDrugBundleCode();
      overlap = !meds_in.empty();
      bundle.rule_id = overlap ? "BU-3 BU-4" : "BU-3";
      bundle.hold_rule = "BU-3";
    } else {  // BU-5: add-ons only
      Pending p;
      p.dos = bundle.dos;
      p.rows = rows;
      p.hold_rule = "BU-5";
      HoldLine(p, "addon-without-bundle", "add-on services without a weekly bundle in the episode");
      ep.status = "held";
      ep.reason = "addon-without-bundle";
      out_.episodes.push_back(std::move(ep));
      return;
    }
    for (size_t r : rows) {  // the medication and bundle services that make the bundle
      ServiceRole role = rules_.BillingOf(Rec(r).service).role;
      if (role == ServiceRole::kDrug || role == ServiceRole::kBundleService) bundle.rows.push_back(r);
    }

    if (overlap) {
      const ServiceRecord& first_in = Rec(meds_in.front());
      const std::string* wcode = windows_.Covering(first_in.service_date);
      AddFinding("BU-4-overlap", Severity::kWarning, first_in.service_date,
                 "on-site medication inside a coverage window already paid (" +
                     (wcode ? *wcode : std::string("?")) + "): billed " + bundle.code + " instead of a drug bundle",
                 first_in.record_id);
    }

    std::string bundle_hold = Check(bundle);
    bool bundle_billed = bundle_hold.empty();
    if (bundle_billed) {
      Bill(bundle);
      if (drug) OpenDrugWindows(*drug, meds_out);
      ep.bundle_code = bundle.code;
      ep.status = "billed";
    } else {
      bundle.hold_rule = HoldRule(bundle_hold, bundle.hold_rule);
      HoldLine(bundle, bundle_hold, HoldDetail(bundle_hold, bundle.code));
      ep.status = "held";
      ep.reason = bundle_hold;
    }
    const std::string& chosen = bundle.code;

    // ---- add-ons --------------------------------------------------------------------------
    // TH-1 take-home
    for (auto& [svc, list] : takehomes) {
      const auto& b = rules_.BillingOf(svc);
      if (chosen != b.takehome_bundle) {
        Pending p;
        p.code = b.code;
        p.dos = DateOf(list.front());
        p.rows = list;
        p.hold_rule = "TH-1";
        HoldLine(p, "takehome-mismatch",
                 chosen == rules_.NonDrugBundleCode() || chosen.empty()
                     ? std::string(ServiceName(Rec(list.front()).service)) + " billed with no " +
                           b.takehome_bundle + " bundle this episode (the bundle is " +
                           (chosen.empty() ? std::string("not billed") : chosen) + "): " + p.code +
                           " is an add-on to " + b.takehome_bundle + " only"
                     : "take-home of a medication other than the episode's bundle " + chosen);
        continue;
      }
      int additional = 0;
      Pending p;
      p.code = b.code;
      p.rule_id = p.hold_rule = "TH-1";
      for (size_t r : list) {
        int extra = (DateOf(r) + Floor(Rec(r).quantity)) - end;
        if (extra > 0) {
          if (p.rows.empty()) p.dos = DateOf(r);
          p.rows.push_back(r);
          additional = std::max(additional, extra);
        }
      }
      if (additional <= 0) continue;  // all supply days inside the episode: covered by the bundle
      int billed_days = std::min(additional, lim_.takehome_max_days);
      const int per = lim_.takehome_days_per_unit;
      p.units = std::min((billed_days + per - 1) / per, lim_.takehome_max_units);
      if (additional > lim_.takehome_max_days) {
        AddFinding("TH-1-cap", Severity::kInfo, p.dos,
                   std::to_string(additional) + " additional take-home days; only " +
                       std::to_string(billed_days) + " can be billed",
                   Rec(p.rows.front()).record_id, "takehome.max_days");
      }
      if (Emit(p, bundle_billed)) {
        AddWindow(end + 1, end + billed_days, p.code, Rec(p.rows.front()).record_id);
      }
    }

    // AD-1 intake (with the AD-7 audio rule)
    for (size_t r : intakes) {
      Pending p = Single(r, rules_.BillingOf(Rec(r).service).code, "AD-1");
      TelehealthModifier(p, {r});
      if (methadone && Rec(r).modality == Modality::kAudio) {
        p.hold_rule = "AD-7";
        HoldLine(p, "audio-methadone-intake", "a methadone intake cannot be delivered by audio only");
      } else if (intake_billed_) {
        HoldLine(p, "intake-repeat", "an intake was already billed in this admission");
      } else if (Emit(p, bundle_billed)) {
        intake_billed_ = true;
      }
    }

    // AD-2 periodic assessment
    for (size_t r : assessments) {
      Pending p = Single(r, rules_.BillingOf(Rec(r).service).code, "AD-2");
      TelehealthModifier(p, {r});
      Emit(p, bundle_billed);
    }

    // AD-3 counseling beyond the plan
    if (!counseling.empty()) {
      double minutes = 0;
      for (size_t r : counseling) minutes += Rec(r).quantity;
      double excess = minutes - pat_.plan_counseling_minutes;
      int units = excess > 0 ? Floor(excess / lim_.counseling_unit_minutes) : 0;
      if (units >= 1) {
        Pending p;
        p.code = rules_.CounselingBeyondPlanCode();
        p.rule_id = p.hold_rule = "AD-3";
        p.dos = DateOf(counseling.front());
        p.units = units;
        p.rows = counseling;
        // The rows past the plan's minutes decide the telehealth modifier.
        std::vector<size_t> beyond;
        double run = 0;
        for (size_t r : counseling) {
          run += Rec(r).quantity;
          if (run > pat_.plan_counseling_minutes) beyond.push_back(r);
        }
        TelehealthModifier(p, beyond);
        Emit(p, bundle_billed);
      }
    }

    // AD-4 naloxone / nalmefene
    for (size_t r : overdose) {
      const auto& b = rules_.BillingOf(Rec(r).service);
      Pending p = Single(r, b.code, "AD-4");
      if (b.units_from_quantity) p.units = std::max(1, Ceil(Rec(r).quantity));
      auto& dates = overdose_[p.code];
      Date d = DateOf(r);
      auto it = std::lower_bound(dates.begin(), dates.end(), d - (lim_.overdose_repeat_days - 1));
      bool repeat = it != dates.end() && *it <= d + (lim_.overdose_repeat_days - 1);
      if (repeat && !Rec(r).Has(kFlagMedicallyNecessary)) {
        HoldLine(p, "overdose-med-repeat",
                 p.code + " already billed within " + std::to_string(lim_.overdose_repeat_days) +
                     " days and the row is not flagged medically_necessary",
                 "overdose_med.repeat_days");
      } else if (Emit(p, bundle_billed)) {
        dates.insert(std::upper_bound(dates.begin(), dates.end(), d), d);
      }
    }

    // AD-5 IOP
    if (!iop.empty() && static_cast<int>(iop.size()) >= lim_.iop_min_services) {
      Pending p;
      p.code = rules_.BillingOf(Rec(iop.front()).service).code;
      p.rule_id = p.hold_rule = "AD-5";
      p.dos = DateOf(iop.front());
      p.rows = iop;
      Emit(p, bundle_billed);
    }

    // AD-6 timed supports
    for (auto& [svc, list] : timed) {
      double minutes = 0;
      for (size_t r : list) minutes += Rec(r).quantity;
      int units = Floor(minutes / lim_.timed_unit_minutes);
      if (units < 1) continue;
      Pending p;
      p.code = rules_.BillingOf(svc).code;
      p.rule_id = p.hold_rule = "AD-6";
      p.dos = DateOf(list.front());
      p.units = units;
      p.rows = list;
      Emit(p, bundle_billed);
    }

    // Rows that made no line of their own are covered by the episode's bundle.
    for (size_t r : rows) {
      auto& o = out_.outcomes[r];
      if (decided_[r]) continue;
      decided_[r] = true;
      if (bundle_billed) {
        o = {Outcome::kBilled, ""};
      } else {
        o = {Outcome::kHeld, bundle_hold};
      }
    }
    out_.episodes.push_back(std::move(ep));
  }

  // BU-2: the medication given on the most days; on a tie, the one given last.
  std::optional<Service> ChooseDrug(const std::vector<size_t>& meds) const {
    struct Tally { int days = 0; Date last; bool any = false; size_t last_pos = 0; };
    std::map<Service, Tally> tally;
    size_t pos = 0;
    for (size_t r : meds) {  // date order
      Tally& t = tally[Rec(r).service];
      if (!t.any || t.last != DateOf(r)) ++t.days;
      t.any = true;
      t.last = DateOf(r);
      t.last_pos = ++pos;
    }
    std::optional<Service> best;
    const Tally* bt = nullptr;
    for (const auto& [s, t] : tally) {
      if (!bt || t.days > bt->days || (t.days == bt->days && t.last_pos > bt->last_pos)) {
        best = s;
        bt = &t;
      }
    }
    return best;
  }

  void OpenDrugWindows(Service drug, const std::vector<size_t>& meds) {
    const auto& b = rules_.BillingOf(drug);
    if (b.coverage_limit.empty()) return;
    int days = static_cast<int>(rules_.LimitValue(b.coverage_limit));
    for (size_t r : meds)
      if (Rec(r).service == drug)
        AddWindow(DateOf(r), DateOf(r) + (days - 1), b.code, Rec(r).record_id);
  }

  void AddWindow(Date from, Date to, const std::string& code, const std::string& record_id) {
    windows_.Add(from, to, code);
    out_.new_windows.push_back(CoverageWindow{fac_.id, pat_.patient_id, from, to, code, record_id});
  }

  Pending Single(size_t r, std::string code, const char* rule) const {
    Pending p;
    p.code = std::move(code);
    p.rule_id = p.hold_rule = rule;
    p.dos = DateOf(r);
    p.rows = {r};
    return p;
  }

  // AD-7: video → 95, audio → 93 when every deciding row was delivered that way (any audio
  // among remote rows → 93); any in-person row → no modifier.
  void TelehealthModifier(Pending& p, const std::vector<size_t>& rows) const {
    if (rows.empty()) return;
    bool audio = false;
    for (size_t r : rows) {
      Modality m = Rec(r).modality;
      if (m == Modality::kInPerson) return;
      audio = audio || m == Modality::kAudio;
    }
    p.modifiers = {audio ? "93" : "95"};
    p.rule_id += " AD-7";
  }

  // ---- CL-2 / CL-5 / code dates -------------------------------------------------------------
  // "" when the line may be billed, else the hold reason.
  std::string Check(const Pending& p) {
    if (!rules_.InForce(p.code, p.dos)) return "code-not-in-force";
    if (const std::string& gate = GateFailure(p.dos); !gate.empty()) return gate;
    auto price = rules_.PriceOf(p.code, p.dos, fac_.locality, fac_);
    if (!price.ok()) {
      price_error_ = price.status().message();  // "no CY2026 rate for G2070", "no facility <charge> …"
      return "no-price";
    }
    price_ = std::move(price).value();
    return "";
  }

  // The rule named on a hold from Check(): the gate (CL-2), the price (CL-5), or for a code
  // not in force the rule that chose the code.
  static std::string HoldRule(const std::string& reason, const std::string& chose) {
    if (reason.rfind("gate:", 0) == 0) return "CL-2";
    if (reason == "no-price") return "CL-5";
    return chose;
  }

  // Lines of one patient share few dates: remember the last answer.
  const std::string& GateFailure(Date d) {
    if (!gate_cache_ || gate_cache_->first != d) gate_cache_.emplace(d, ComputeGateFailure(d));
    return gate_cache_->second;
  }

  std::string ComputeGateFailure(Date d) const {
    bool full_certification = false;
    for (std::string_view kind : kCredentialKinds) {  // CL-2: every kind is a gate
      bool covered = false;
      for (const auto& c : fac_.credentials) {
        if (c.kind != kind || !c.Covers(d)) continue;
        if (kind == kCertificationKind && c.status == "provisional") {
          if (d - c.effective >= lim_.provisional_max_days) continue;
        } else if (kind == kCertificationKind) {
          full_certification = true;
        }
        covered = true;
      }
      // Accreditation is required with full certification (a provisional one precedes it).
      if (!covered && !(kind == kAccreditationKind && !full_certification))
        return "gate:" + std::string(kind);
    }
    return "";
  }

  // Checks and bills a line; holds it otherwise. An add-on whose bundle is not billed is held.
  bool Emit(Pending& p, bool bundle_billed) {
    std::string hold = Check(p);
    p.hold_rule = HoldRule(hold, p.hold_rule);
    if (hold.empty() && !bundle_billed) {
      hold = "addon-without-bundle";
      p.hold_rule = "BU-5";
    }
    if (!hold.empty()) {
      HoldLine(p, hold, HoldDetail(hold, p.code));
      return false;
    }
    Bill(p);
    return true;
  }

  void Bill(const Pending& p) {
    ClaimLine l;
    l.code = p.code;
    l.modifiers = p.modifiers;
    l.dos = p.dos;
    l.units = p.units;
    l.unit_price = price_.unit;
    l.charge = price_.unit * p.units;
    l.rule_id = p.rule_id;
    l.rate_ref = price_.rate_ref;
    l.episode_start = episode_start_;
    for (size_t r : p.rows) {
      l.source_record_ids.push_back(Rec(r).record_id);
      if (l.practitioner_npi.empty()) l.practitioner_npi = Rec(r).practitioner_npi;
      out_.outcomes[r] = {Outcome::kBilled, ""};
      decided_[r] = true;
    }
    out_.lines.push_back(std::move(l));
  }

  std::string HoldDetail(const std::string& reason, const std::string& code) const {
    if (reason == "code-not-in-force") return code + " is not in force on the date of service";
    if (reason == "no-price") return "no price for " + code + ": " + price_error_;
    if (reason.rfind("gate:", 0) == 0)
      return "facility has no current " + reason.substr(5) + " on the date of service";
    if (reason == "addon-without-bundle") return code + " is an add-on and the episode's bundle is not billed";
    return reason;
  }

  void HoldLine(const Pending& p, const std::string& reason, const std::string& detail,
                const char* limit_id = nullptr) {
    Hold h;
    h.facility_id = fac_.id;
    h.patient_id = pat_.patient_id;
    h.date = p.dos;
    h.reason = reason;
    h.detail = detail;
    h.code = p.code;
    for (size_t r : p.rows) {
      h.record_ids.push_back(Rec(r).record_id);
      auto& o = out_.outcomes[r];
      if (!(decided_[r] && o.outcome == Outcome::kBilled)) {
        o = {Outcome::kHeld, reason};
        decided_[r] = true;
      }
    }
    AddFinding(p.hold_rule, Severity::kWarning, p.dos, reason + ": " + detail,
               h.record_ids.empty() ? std::string() : h.record_ids.front(), limit_id);
    out_.holds.push_back(std::move(h));
  }

  void HoldLate(size_t i) {
    Pending p;
    p.dos = DateOf(i);
    p.rows = {i};
    p.hold_rule = "CL-7";
    episode_start_ = p.dos;
    HoldLine(p, "late-record", "record dated inside or before an episode already decided");
  }

  void SetNotBillable(size_t i, const char* reason) {
    out_.outcomes[i] = {Outcome::kNotBillable, reason};
    decided_[i] = true;
  }

  void AddFinding(const std::string& rule, Severity sev, Date date, std::string detail,
                  const std::string& record_id, const char* limit_id = nullptr) {
    Finding f;
    f.rule_id = rule;
    const Limit* lim = limit_id ? rules_.FindLimit(limit_id) : nullptr;
    f.citation = (lim && !lim->citation.empty()) ? lim->citation : rules_.CitationOf(rule);
    f.severity = sev;
    f.facility_id = fac_.id;
    f.patient_id = pat_.patient_id;
    f.date = date;
    f.detail = std::move(detail);
    f.key = FindingKey(fac_.id, pat_.patient_id, rule, episode_start_.Iso(), record_id);
    out_.findings.push_back(std::move(f));
  }

  const BillingInput& in_;
  const RuleBook& rules_;
  const Facility& fac_;
  const Patient& pat_;
  Limits lim_;
  BillingResult out_;
  std::vector<bool> decided_ = std::vector<bool>(in_.records.size(), false);
  billing::WindowSet windows_;
  bool intake_billed_ = false;
  std::map<std::string, std::vector<Date>> overdose_;
  std::optional<Date> last_end_;
  Date episode_start_;
  Price price_;
  std::string price_error_;  // why the last PriceOf failed, for the no-price hold detail
  std::optional<std::pair<Date, std::string>> gate_cache_;
};

}  // namespace

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
  return role == ServiceRole::kIntake || role == ServiceRole::kOverdoseMed;
}

void AddToHistory(PatientHistory& h, const std::string& code, Date dos, const RuleBook& rules) {
  if (RoleOfCode(code, rules) == ServiceRole::kIntake) h.intakes_billed.push_back(dos);
  else h.overdose_billed[code].push_back(dos);
}

BillingResult BillPatient(const BillingInput& in, const RuleBook& rules) {
  if (!in.facility || !in.patient) return {};
  PatientBiller b(in, rules);
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
      c.diagnosis = NormalDiagnosis(patient.diagnosis);
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
