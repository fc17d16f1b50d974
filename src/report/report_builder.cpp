// ReportData from a night's decisions or from the ledger.
#include "report/report_builder.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "ledger/ledger.h"
#include "report/payment_rows.h"
#include "report/work_rows.h"
#include "rules/rulebook.h"

namespace otp {
namespace {

// Held rows without a work item (a ledger from before the queue) take what fixes them from
// codes/reasons.xml.
void FillNextSteps(ReportData& r, const RuleBook& rules) {
  for (HeldRow& h : r.held)
    if (h.next_step.empty())
      if (const ReasonText* why = rules.FindReason("hold", h.reason)) h.next_step = why->next_step;
}

// Facility findings first (a lapsed credential holds every claim), then by severity, date, rule.
void OrderFindings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::make_tuple(!a.patient_id.empty(), static_cast<int>(a.severity), a.date, a.rule_id) <
           std::make_tuple(!b.patient_id.empty(), static_cast<int>(b.severity), b.date, b.rule_id);
  });
}

std::vector<std::string> FacilitiesOf(const Config& config) {
  std::vector<std::string> out;
  for (const auto& f : config.facilities) out.push_back(f.name.empty() ? f.id : f.id + " " + f.name);
  return out;
}

RetentionSummary Retain(const std::vector<Patient>& patients, Date from, Date to, Date as_of, const RuleBook& rules) {
  Retention x = RetentionMetric(patients, from, to, as_of, rules);
  return {x.admissions, x.retained};
}

// The service rows the runs whose as-of date is in [from, to] rejected, from the summaries
// those runs stored in the ledger (a rejected row has no date the ledger can trust). A summary
// that does not read back is a damaged ledger.
Status AddRunRejects(Ledger& ledger, Date from, Date to, RunCounts& c) {
  OTP_ASSIGN_OR_RETURN(const std::vector<std::string> summaries, ledger.RunSummaries(from, to));
  for (const std::string& summary : summaries) {
    RunCounts run;
    OTP_TRY(AddSummaryCounts(summary, run));
    c.rejected += run.rejected;
  }
  return Status::Ok();
}

// What became of the service rows dated in [from, to]. A row kept open for a hold reason is held
// (its week waits for a person); one kept open without one waits for its episode to end. A row
// of a status this otpbatch does not know is accepted but in no outcome, so the counts do not
// add up and the Summary says so.
Status CountPeriodRows(Ledger& ledger, const RuleBook& rules, Date from, Date to, RunCounts& c) {
  OTP_ASSIGN_OR_RETURN(const std::vector<OutcomeCount> outcomes, ledger.RowOutcomesBetween(from, to));
  for (const OutcomeCount& o : outcomes) {
    c.accepted += o.rows;
    const bool held = o.status == "held" || (o.status == "open" && rules.FindReason("hold", o.reason));
    if (held) {
      c.held += o.rows;
      c.held_by_reason[o.reason] += o.rows;
    } else if (o.status == "open") {
      c.open += o.rows;
    } else if (o.status == "billed") {
      c.billed += o.rows;
    } else if (o.status == "not-billable") {
      c.not_billable += o.rows;
      c.not_billable_by_reason[o.reason] += o.rows;
    }
  }
  OTP_TRY(AddRunRejects(ledger, from, to + 1, c));
  c.service_rows_read = c.accepted + c.rejected;
  return Status::Ok();
}

// The claims with a line dated in [from, to], cut to those lines; each keeps its whole total and
// the name of the file it was sent in.
Status AddPeriodClaims(Ledger& ledger, Date from, Date to, ReportData& r) {
  OTP_ASSIGN_OR_RETURN(std::vector<StoredClaim> stored, ledger.ClaimsBetween(from, to));
  OTP_ASSIGN_OR_RETURN(const auto paths, ledger.InterchangePaths());
  std::vector<Claim> claims;
  std::map<std::string, Money> totals;
  for (auto& sc : stored) {
    Claim& c = sc.claim;
    totals[c.claim_id] = c.Total();
    auto path = paths.find(sc.interchange);
    if (path != paths.end()) c.file = std::filesystem::path(path->second).filename().string();
    std::erase_if(c.lines, [&](const ClaimLine& l) { return l.dos < from || l.dos > to; });
    claims.push_back(std::move(c));
  }
  SetClaims(r, std::move(claims), std::move(totals));
  return Status::Ok();
}

// The facilities the config names, then any other the ledger holds (by id alone).
Status AddFacilities(Ledger& ledger, const Config* config, ReportData& r) {
  std::set<std::string> named;
  if (config) {
    r.facilities = FacilitiesOf(*config);
    for (const auto& f : config->facilities) named.insert(f.id);
  }
  OTP_ASSIGN_OR_RETURN(const std::vector<std::string> ids, ledger.FacilityIds());
  for (const auto& id : ids)
    if (!named.count(id)) r.facilities.push_back(id);
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
  r.unverified_lines = 0;
  r.unverified_charges = Money();
  r.counts.lines = r.claims->lines();
  std::set<std::string> ids;
  OTP_TRY(r.claims->ForEach([&](const ClaimRow& c) {
    ids.insert(c.claim->claim_id);
    r.counts.total_charges += c.line->charge;
    r.counts.charges_by_code[c.line->code] += c.line->charge;
    if (c.line->PriceUnverified()) {
      ++r.unverified_lines;
      r.unverified_charges += c.line->charge;
    }
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
  r.facilities = FacilitiesOf(config);
  r.as_of = as_of;
  r.to = as_of - 1;
  r.from = as_of - 365;
  r.claims = std::move(claims);
  OTP_TRY(r.claims->ForEach([&](const ClaimRow& c) { r.from = std::min(r.from, c.line->dos); }));
  r.findings = findings;
  OrderFindings(r.findings);
  r.credentials = ToCredentialStatus(credentials);
  r.rejects = rejects;
  r.retention = Retain(patients, as_of - 365, as_of - 1, as_of, rules);
  r.reference = ReferenceOf(rules);
  OTP_TRY(FillClaimCounts(r));
  return r;
}

Result<ReportData> BuildLedgerReport(Ledger& ledger, const Config* config, Date from, Date to, const RuleBook& rules,
                                     const CodeWords& words) {
  ReportData r;
  r.period_report = true;
  r.title = config && !config->facilities.empty() ? config->submitter.name : "otpbatch ledger report";
  r.from = from;
  r.to = to;
  r.as_of = to + 1;  // not shown: the day after the period, for the checks that need one
  OTP_TRY(AddFacilities(ledger, config, r));
  OTP_TRY(AddPeriodClaims(ledger, from, to, r));
  OTP_ASSIGN_OR_RETURN(r.findings, ledger.FindingsBetween(from, to));
  OrderFindings(r.findings);
  OTP_ASSIGN_OR_RETURN(const std::vector<Hold> holds, ledger.HoldsBetween(from, to));
  OTP_TRY(AddWork(r, ledger, holds, to));
  // The queue is the ledger's now; a period shows the items that existed by its end.
  std::erase_if(r.work, [&](const WorkRow& w) { return to < w.opened; });
  FillNextSteps(r, rules);
  OTP_ASSIGN_OR_RETURN(r.rejects, ledger.RejectsOfRuns(from, to + 1));
  if (config) {
    std::vector<CredentialState> states;
    for (const auto& f : config->facilities)
      for (auto& s : CredentialStates(f, to, rules)) states.push_back(std::move(s));
    r.credentials = ToCredentialStatus(states);
  }
  OTP_ASSIGN_OR_RETURN(const std::vector<Patient> patients, ledger.AllPatients());
  r.retention = Retain(patients, from, to, to + 1, rules);
  OTP_TRY(CountPeriodRows(ledger, rules, from, to, r.counts));
  for (const auto& f : r.findings) ++r.counts.findings_by_rule[f.rule_id];
  r.reference = ReferenceOf(rules);
  OTP_TRY(FillClaimCounts(r));
  OTP_TRY(AddPeriodPayments(r, ledger, from, to, words));
  return r;
}

}  // namespace otp
