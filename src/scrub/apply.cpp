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
};

bool IsBundleCode(const std::string& code, const RuleBook& rules) {
  const CodeDef* c = rules.Code(code);
  return c && (c->kind == CodeKind::kDrugBundle || c->kind == CodeKind::kNonDrugBundle);
}

// Each line's failure: its own edit's, or its week's bundle's.
std::vector<std::optional<Failure>> Failures(const BillingResult& r, const std::vector<EditVerdict>& verdicts,
                                             const RuleBook& rules) {
  std::vector<std::optional<Failure>> out(r.lines.size());
  std::map<int32_t, Failure> bundle_failed;  // by episode start
  for (size_t i = 0; i < r.lines.size(); ++i) {
    if (verdicts[i].ok()) continue;
    out[i] = Failure{verdicts[i].failed, HoldReasonOf(verdicts[i].failed), verdicts[i].detail};
    if (IsBundleCode(r.lines[i].code, rules)) bundle_failed[r.lines[i].episode_start.days()] = *out[i];
  }
  for (size_t i = 0; i < r.lines.size(); ++i) {
    auto b = bundle_failed.find(r.lines[i].episode_start.days());
    if (out[i] || b == bundle_failed.end()) continue;
    out[i] = Failure{"", b->second.reason, "the week's bundle failed " + b->second.rule + ": " + b->second.detail};
  }
  return out;
}

void HoldRows(BillingResult& r, const BillingInput& in, const std::vector<std::string>& ids, const std::string& reason) {
  for (size_t i = 0; i < in.records.size(); ++i)
    if (std::find(ids.begin(), ids.end(), in.records[i]->record_id) != ids.end())
      r.outcomes[i] = {Outcome::kHeld, reason};
}

// A held bundle: its episode held, and its take-homes awaiting later weeks held with it.
void HoldEpisode(BillingResult& r, const BillingInput& in, Date start, const std::string& reason) {
  for (Episode& e : r.episodes) {
    if (e.start != start) continue;
    e.status = "held";
    e.reason = reason;
    e.bundle_code.clear();
    e.bundle_dos.reset();
    for (size_t i = 0; i < in.records.size(); ++i)
      if (r.outcomes[i].reason == kAwaitingWeeks && !(in.records[i]->service_date < e.start) &&
          !(e.end < in.records[i]->service_date))
        r.outcomes[i] = {Outcome::kHeld, reason};
  }
}

void HoldLine(BillingResult& r, const BillingInput& in, const ClaimLine& l, const Failure& f, const RuleBook& rules) {
  r.holds.push_back({in.facility->id, in.patient->patient_id, l.dos, f.reason, f.detail, l.code, l.source_record_ids});
  HoldRows(r, in, l.source_record_ids, f.reason);
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
  x.key = FindingKey(in.facility->id, in.patient->patient_id, f.rule, l.episode_start.Iso(),
                     l.source_record_ids.empty() ? l.code : l.source_record_ids.front());
  r.findings.push_back(std::move(x));
}

}  // namespace

std::string HoldReasonOf(const std::string& edit) { return edit == "SC-3" ? "duplicate-beneficiary" : edit; }

void ApplyVerdicts(BillingResult& r, const BillingInput& in, const std::vector<EditVerdict>& verdicts,
                   const RuleBook& rules) {
  const std::vector<std::optional<Failure>> failures = Failures(r, verdicts, rules);
  std::vector<ClaimLine> kept;
  for (size_t i = 0; i < r.lines.size(); ++i) {
    if (failures[i]) {
      HoldLine(r, in, r.lines[i], *failures[i], rules);
      continue;
    }
    r.lines[i].edits = verdicts[i].passed;
    kept.push_back(std::move(r.lines[i]));
  }
  r.lines = std::move(kept);
}

}  // namespace otp
