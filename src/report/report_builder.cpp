// ReportData from a night's decisions or from the ledger.
#include "report/report_builder.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "ledger/ledger.h"
#include "report/work_rows.h"
#include "rules/rulebook.h"

namespace otp {
namespace {

RetentionSummary Retain(const std::vector<Patient>& patients, Date from, Date to, Date as_of, const RuleBook& rules) {
  Retention x = RetentionMetric(patients, from, to, as_of, rules);
  return {x.admissions, x.retained};
}

// The input-row counts of a period: the sums of the summaries of the runs whose as-of date
// falls in it (each run stores its summary.json in the ledger's runs table). A summary that
// does not read back is a damaged ledger.
Status AddRunCounts(Ledger& ledger, Date from, Date to, RunCounts& c) {
  OTP_ASSIGN_OR_RETURN(const std::vector<std::string> summaries, ledger.RunSummaries(from, to));
  for (const std::string& summary : summaries) OTP_TRY(AddSummaryCounts(summary, c));
  return Status::Ok();
}

}  // namespace

Status AddSummaryCounts(const std::string& summary, RunCounts& c) {
  auto j = nlohmann::json::parse(summary, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::Corrupt("the ledger holds a run summary that is not JSON");
  auto n = [&](const char* section, const char* key) -> int64_t {
    auto s = j.find(section);
    if (s == j.end() || !s->is_object()) return 0;
    auto v = s->find(key);
    return v != s->end() && v->is_number_integer() ? v->get<int64_t>() : 0;
  };
  c.patient_rows_read += n("patients", "rows_read");
  c.patient_rows_rejected += n("patients", "rows_rejected");
  c.service_rows_read += n("services", "rows_read");
  c.accepted += n("services", "accepted");
  c.rejected += n("services", "rejected");
  c.billed += n("services", "billed");
  c.held += n("services", "held");
  c.not_billable += n("services", "not_billable");
  c.already_processed += n("services", "already_processed");
  c.open += n("services", "open");
  for (auto [name, target] : {std::pair{"held_by_reason", &c.held_by_reason},
                               std::pair{"not_billable_by_reason", &c.not_billable_by_reason}}) {
    auto m = j.find(name);
    if (m != j.end() && m->is_object())
      for (auto& [k, v] : m->items())
        if (v.is_number_integer()) (*target)[k] += v.get<int64_t>();
  }
  return Status::Ok();
}

std::vector<CredentialStatus> ToCredentialStatus(const std::vector<CredentialState>& states) {
  std::vector<CredentialStatus> out;
  for (const auto& s : states)
    out.push_back({s.facility_id, s.kind, s.number, s.status, s.expires, s.days_to_expiry});
  return out;
}

Status FillClaimCounts(ReportData& r) {
  r.counts.total_charges = Money();
  r.counts.charges_by_code.clear();
  r.counts.lines = r.claims->lines();
  std::set<std::string> ids;
  OTP_TRY(r.claims->ForEach([&](const ClaimRow& c) {
    ids.insert(c.claim->claim_id);
    r.counts.total_charges += c.line->charge;
    r.counts.charges_by_code[c.line->code] += c.line->charge;
  }));
  r.counts.claims = static_cast<int64_t>(ids.size());
  return Status::Ok();
}

Result<ReportData> BuildRunReport(Date as_of, const Config& config, std::shared_ptr<const ClaimSource> claims,
                          const std::vector<Finding>& findings,
                          const std::vector<CredentialState>& credentials, const std::vector<Reject>& rejects,
                          const std::vector<Patient>& patients, const RuleBook& rules) {
  ReportData r;
  r.title = config.facilities.size() == 1 ? config.facilities[0].name : config.submitter.name;
  r.as_of = as_of;
  r.to = as_of - 1;
  r.from = as_of - 365;
  r.claims = std::move(claims);
  OTP_TRY(r.claims->ForEach([&](const ClaimRow& c) { r.from = std::min(r.from, c.line->dos); }));
  r.findings = findings;
  r.credentials = ToCredentialStatus(credentials);
  r.rejects = rejects;
  r.retention = Retain(patients, as_of - 365, as_of - 1, as_of, rules);
  OTP_TRY(FillClaimCounts(r));
  return r;
}

Result<ReportData> BuildLedgerReport(Ledger& ledger, const Config* config, Date from, Date to, const RuleBook& rules) {
  ReportData r;
  r.title = config && !config->facilities.empty() ? config->submitter.name : "otpbatch ledger report";
  r.from = from;
  r.to = to;
  r.as_of = to + 1;
  std::vector<Claim> claims;
  OTP_ASSIGN_OR_RETURN(std::vector<StoredClaim> stored, ledger.ClaimsBetween(from, to));
  for (auto& sc : stored) {
    // Keep only the lines whose DOS is inside the period.
    auto& lines = sc.claim.lines;
    lines.erase(std::remove_if(lines.begin(), lines.end(), [&](const ClaimLine& l) { return l.dos < from || l.dos > to; }),
                lines.end());
    claims.push_back(std::move(sc.claim));
  }
  SetClaims(r, std::move(claims));
  OTP_ASSIGN_OR_RETURN(r.findings, ledger.FindingsBetween(from, to));
  OTP_ASSIGN_OR_RETURN(const std::vector<Hold> holds, ledger.HoldsBetween(from, to));
  OTP_TRY(AddWork(r, ledger, holds, to + 1));
  OTP_ASSIGN_OR_RETURN(r.rejects, ledger.RejectsOfRuns(from, to + 1));
  if (config) {
    std::vector<CredentialState> states;
    for (const auto& f : config->facilities)
      for (auto& s : CredentialStates(f, to, rules)) states.push_back(std::move(s));
    r.credentials = ToCredentialStatus(states);
  }
  OTP_ASSIGN_OR_RETURN(const std::vector<Patient> patients, ledger.AllPatients());
  r.retention = Retain(patients, from, to, to + 1, rules);
  OTP_TRY(AddRunCounts(ledger, from, to + 1, r.counts));
  for (const auto& f : r.findings) ++r.counts.findings_by_rule[f.rule_id];
  OTP_TRY(FillClaimCounts(r));
  return r;
}

}  // namespace otp
