// ApplyVerdicts: failed lines held, passed lines marked.
#include "scrub/apply.h"

#include <algorithm>
#include <set>

#include "model/text.h"
#include "rules/rulebook.h"

namespace otp {
namespace {

struct Failure {
  std::string rule, reason, detail;
  std::string finding;     // the key of the finding that says why
  bool week_held = false;  // the week's bundle failed: the week is held and decided again
};

bool IsBundleCode(const std::string& code, const RuleBook& rules) {
  const CodeDef* c = rules.Code(code);
  return c && (c->kind == CodeKind::kDrugBundle || c->kind == CodeKind::kNonDrugBundle);
}

// The key of the finding a failed edit raises on a line.
std::string EditFindingKey(const BillingInput& in, const ClaimLine& l, const std::string& rule) {
  return FindingKey(in.facility->id, in.patient->patient_id, rule, l.episode_start.Iso(),
                    l.source_record_ids.empty() ? l.code : l.source_record_ids.front());
}

// Each line's failure: its own edit's, or its week's bundle's.
std::vector<std::optional<Failure>> Failures(const BillingResult& r, const BillingInput& in,
                                             const std::vector<EditVerdict>& verdicts, const RuleBook& rules) {
  std::vector<std::optional<Failure>> out(r.lines.size());
  std::map<int32_t, Failure> bundle_failed;  // by episode start
  for (size_t i = 0; i < r.lines.size(); ++i) {
    if (verdicts[i].ok()) continue;
    const ClaimLine& l = r.lines[i];
    out[i] = Failure{verdicts[i].failed, HoldReasonOf(verdicts[i].failed), verdicts[i].detail,
                     EditFindingKey(in, l, verdicts[i].failed), IsBundleCode(l.code, rules)};
    if (out[i]->week_held) bundle_failed[l.episode_start.days()] = *out[i];
  }
  for (size_t i = 0; i < r.lines.size(); ++i) {
    auto b = bundle_failed.find(r.lines[i].episode_start.days());
    if (b == bundle_failed.end()) continue;
    if (!out[i])
      out[i] = Failure{"", b->second.reason, "the week's bundle failed " + b->second.rule + ": " + b->second.detail,
                       b->second.finding, true};
    out[i]->week_held = true;
  }
  return out;
}

void HoldRows(BillingResult& r, const BillingInput& in, const std::vector<std::string>& ids, const Failure& f) {
  for (size_t i = 0; i < in.records.size(); ++i)
    if (std::find(ids.begin(), ids.end(), in.records[i]->record_id) != ids.end())
      r.outcomes[i] = {Outcome::kHeld, f.reason, f.week_held};
}

// A held bundle: its episode held, and its take-homes awaiting later weeks held with it; the
// week's held rows are decided again on the next night (RowOutcome::again).
void HoldEpisode(BillingResult& r, const BillingInput& in, Date start, const std::string& reason) {
  for (Episode& e : r.episodes) {
    if (e.start != start) continue;
    e.status = "held";
    e.reason = reason;
    e.bundle_code.clear();
    for (size_t i = 0; i < in.records.size(); ++i) {
      const Date d = in.records[i]->service_date;
      if (d < e.start || e.end < d) continue;
      if (r.outcomes[i].reason == kAwaitingWeeks) r.outcomes[i] = {Outcome::kHeld, reason};
      if (r.outcomes[i].outcome == Outcome::kHeld) r.outcomes[i].again = true;
    }
  }
}

Hold HoldOf(const BillingInput& in, const ClaimLine& l, const Failure& f) {
  Hold h{in.facility->id, in.patient->patient_id, l.dos, f.reason, f.detail, l.code, l.source_record_ids};
  h.amount = l.charge;
  h.finding = f.finding;
  if (f.week_held) h.week = l.episode_start;
  return h;
}

void HoldLine(BillingResult& r, const BillingInput& in, const ClaimLine& l, const Failure& f, const RuleBook& rules) {
  r.holds.push_back(HoldOf(in, l, f));
  HoldRows(r, in, l.source_record_ids, f);
  std::erase_if(r.new_windows, [&](const CoverageWindow& w) {
    return w.code == l.code &&
           std::find(l.source_record_ids.begin(), l.source_record_ids.end(), w.source_record_id) !=
               l.source_record_ids.end();
  });
  if (IsBundleCode(l.code, rules)) HoldEpisode(r, in, l.episode_start, f.reason);
  if (f.rule.empty()) return;  // held with its week's bundle: that line's finding says why
  Finding x;
  x.rule_id = f.rule;
  x.citation = rules.CitationOf(f.rule);
  x.severity = Severity::kWarning;
  x.facility_id = in.facility->id;
  x.patient_id = in.patient->patient_id;
  x.date = l.dos;
  x.detail = l.code + " held before submission: " + f.detail;
  x.key = f.finding;
  r.findings.push_back(std::move(x));
}

}  // namespace

std::string HoldReasonOf(const std::string& edit) { return edit == "SC-3" ? "duplicate-beneficiary" : edit; }

void ApplyVerdicts(BillingResult& r, const BillingInput& in, const std::vector<EditVerdict>& verdicts,
                   const RuleBook& rules) {
  const std::vector<std::optional<Failure>> failures = Failures(r, in, verdicts, rules);
  // A held week's bundle is held before its other lines: the week's hold is named by it.
  for (size_t i = 0; i < r.lines.size(); ++i)
    if (failures[i] && IsBundleCode(r.lines[i].code, rules)) HoldLine(r, in, r.lines[i], *failures[i], rules);
  std::vector<ClaimLine> kept;
  for (size_t i = 0; i < r.lines.size(); ++i) {
    if (failures[i]) {
      if (!IsBundleCode(r.lines[i].code, rules)) HoldLine(r, in, r.lines[i], *failures[i], rules);
      continue;
    }
    r.lines[i].edits = verdicts[i].passed;
    kept.push_back(std::move(r.lines[i]));
  }
  r.lines = std::move(kept);
}

}  // namespace otp
