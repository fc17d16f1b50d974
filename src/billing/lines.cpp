// Every line's checks before it is billed: the code in force on its date, the program gates
// (CL-2), a price (CL-5); a line that fails one is held with its reason and one finding per
// cause.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "billing/biller.h"

namespace otp::billing {
namespace {
// The rule named on a hold from Check(): the gate (CL-2), the price (CL-5), or for a code not
// in force the rule that chose the code.
std::string HoldRule(const std::string& reason, const std::string& chose) {
  if (reason.rfind("gate:", 0) == 0) return "CL-2";
  if (reason == "no-price") return "CL-5";
  return chose;
}
}  // namespace

std::string NormalDiagnosis(std::string_view dx) {
  std::string out;
  for (char c : dx)
    if (c != '.') out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

int FloorUnits(double x) { return static_cast<int>(std::floor(x + 1e-9)); }
int CeilUnits(double x) { return static_cast<int>(std::ceil(x - 1e-9)); }

// "" when the line may be billed, else the hold reason.
std::string PatientBiller::Check(const Pending& p) {
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

// Lines of one patient share few dates: the last answer is kept.
const std::string& PatientBiller::GateFailure(Date d) {
  if (!gate_cache_ || gate_cache_->first != d) gate_cache_.emplace(d, ComputeGateFailure(d));
  return gate_cache_->second;
}

// CL-2: every credential kind covers the date; a provisional certification only within its
// term; accreditation is required with full certification (a provisional one precedes it).
std::string PatientBiller::ComputeGateFailure(Date d) const {
  bool full_certification = false;
  for (std::string_view kind : kCredentialKinds) {
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
    if (!covered && !(kind == kAccreditationKind && !full_certification)) return "gate:" + std::string(kind);
  }
  return "";
}

// The first day of the stretch without `kind` that holds `d`: the day after the last coverage
// that ended before it (or a provisional term that ran out), or the day itself when none did.
Date PatientBiller::GateLapseStart(std::string_view kind, Date d) const {
  std::optional<Date> start;
  auto consider = [&](Date x) {
    if (!(d < x) && (!start || *start < x)) start = x;
  };
  for (const auto& c : fac_.credentials) {
    if (c.kind != kind) continue;
    if (c.expires) consider(*c.expires + 1);
    if (kind == kCertificationKind && c.status == "provisional") consider(c.effective + lim_.provisional_max_days);
  }
  return start.value_or(d);
}

// Checks and bills a line; holds it otherwise. An add-on whose bundle is not billed is held.
bool PatientBiller::Emit(Pending& p, bool bundle_billed) {
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

void PatientBiller::Bill(const Pending& p) {
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

std::string PatientBiller::HoldDetail(const std::string& reason, const std::string& code) const {
  if (reason == "code-not-in-force") return code + " is not in force on the date of service";
  if (reason == "no-price") return "no price for " + code + ": " + price_error_;
  if (reason.rfind("gate:", 0) == 0) return "facility has no current " + reason.substr(5) + " on the date of service";
  if (reason == "addon-without-bundle") return code + " is an add-on and the episode's bundle is not billed";
  return reason;
}

// One finding per cause: a lapsed credential is one finding for its facility whatever lines
// it holds; a diagnosis that is not an OUD one, one per patient and diagnosis; any other hold,
// one per episode and first record.
std::string PatientBiller::FindingKeyOf(const Pending& p, const std::string& reason) const {
  if (reason.rfind("gate:", 0) == 0) {
    const std::string kind = reason.substr(5);
    return FindingKey(fac_.id, "", p.hold_rule, kind, GateLapseStart(kind, p.dos).Iso());
  }
  if (reason == "no-oud-diagnosis") return FindingKey(fac_.id, pat_.patient_id, p.hold_rule, NormalDiagnosis(pat_.diagnosis));
  const std::string first = p.rows.empty() ? std::string() : Rec(p.rows.front()).record_id;
  return FindingKey(fac_.id, pat_.patient_id, p.hold_rule, episode_start_.Iso(), first);
}

void PatientBiller::HoldLine(const Pending& p, const std::string& reason, const std::string& detail,
                             const char* limit_id) {
  Hold h;
  h.facility_id = fac_.id;
  h.patient_id = pat_.patient_id;
  h.date = p.dos;
  h.reason = reason;
  h.detail = detail;
  h.code = p.code;
  h.finding = FindingKeyOf(p, reason);
  if (!p.code.empty())
    if (auto price = rules_.PriceOf(p.code, p.dos, fac_.locality, fac_); price.ok())
      h.amount = price->unit * std::max(p.units, 1);
  for (size_t r : p.rows) {
    h.record_ids.push_back(Rec(r).record_id);
    auto& o = out_.outcomes[r];
    if (!(decided_[r] && o.outcome == Outcome::kBilled)) {
      o = {Outcome::kHeld, reason};
      decided_[r] = true;
    }
  }
  const bool gate = reason.rfind("gate:", 0) == 0;
  const std::string what = gate ? "facility " + fac_.id + " has no current " + reason.substr(5) +
                                      " from " + GateLapseStart(reason.substr(5), p.dos).Iso() +
                                      ": its lines are held until it is renewed (the Held sheet lists them)"
                                : reason + ": " + detail;
  AddFinding(p.hold_rule, Severity::kWarning, gate ? GateLapseStart(reason.substr(5), p.dos) : p.dos, what, h.finding,
             limit_id, !gate);
  out_.holds.push_back(std::move(h));
}

void PatientBiller::SetNotBillable(size_t i, const char* reason) {
  out_.outcomes[i] = {Outcome::kNotBillable, reason};
  decided_[i] = true;
}

void PatientBiller::AddWindow(Date from, Date to, const std::string& code, const std::string& record_id) {
  windows_.Add(from, to, code);
  out_.new_windows.push_back(CoverageWindow{fac_.id, pat_.patient_id, from, to, code, record_id});
}

void PatientBiller::AddFinding(const std::string& rule, Severity sev, Date date, std::string detail, std::string key,
                               const char* limit_id, bool of_patient) {
  Finding f;
  f.rule_id = rule;
  const Limit* lim = limit_id ? rules_.FindLimit(limit_id) : nullptr;
  f.citation = (lim && !lim->citation.empty()) ? lim->citation : rules_.CitationOf(rule);
  f.severity = sev;
  f.facility_id = fac_.id;
  f.patient_id = of_patient ? pat_.patient_id : std::string();
  f.date = date;
  f.detail = std::move(detail);
  f.key = std::move(key);
  out_.findings.push_back(std::move(f));
}

}  // namespace otp::billing
