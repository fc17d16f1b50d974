// Builds the ReportData the workbook and summary.json lay out: from one night's decisions
// (`run`) or from the ledger alone for any period (`report`). One builder for both, so the
// two workbooks cannot drift apart.
#pragma once

#include <vector>

#include "compliance/checks.h"
#include "model/claim.h"
#include "model/status.h"
#include "output/report_data.h"

namespace otp {

class CodeWords;
class Ledger;
class RuleBook;

// The night's claim lines come from `claims` (the night's spill: output/claim_spill.h). The held
// rows, the Work sheet and the findings' states are the night's to add once its queue is updated
// (AddWork, report/work_rows.h).
Result<ReportData> BuildRunReport(Date as_of, const Config& config, std::shared_ptr<const ClaimSource> claims,
                          const std::vector<Finding>& findings,
                          const std::vector<CredentialState>& credentials, const std::vector<Reject>& rejects,
                          const std::vector<Patient>& patients, const RuleBook& rules);

// Adds the row counts of one run's stored summary.json; a summary that does not read back is a
// damaged ledger (kCorrupt).
Status AddSummaryCounts(const std::string& summary, RunCounts& c);

// Claims, lines, total charges, charges by code, and the lines priced from unverified rates,
// from report.claims.
Status FillClaimCounts(ReportData& report);

// The workbook for [from, to] from the ledger (a period report: no as-of date):
//  - claim lines whose DOS falls in the period (each with its claim's whole total and file);
//  - holds and findings dated in it, rejects of runs whose as-of is in [from, to + 1];
//  - service rows dated in the period by outcome (held: decided held, or kept open for a hold
//    reason of codes/reasons.xml; open: waiting for their episode to end); rejected: the
//    service rows the runs in [from, to + 1] rejected; read = accepted + rejected;
//  - the open work items opened by `to`, aged to `to`, and the state of each finding;
//  - credentials as of `to` when `config` is given; the facilities it names, or else those the
//    ledger holds;
//  - the Payments sheet: the account of each claim with a date of service in the period, aged to
//    `to`, its adjustments in `words` (report/payment_rows.h).
Result<ReportData> BuildLedgerReport(Ledger& ledger, const Config* config, Date from, Date to, const RuleBook& rules,
                                     const CodeWords& words);

// Every code, rule, reason and kind of work item of the rule book, in words (the Reference
// sheet shows those the workbook uses).
std::vector<ReferenceRow> ReferenceOf(const RuleBook& rules);

std::vector<CredentialStatus> ToCredentialStatus(const std::vector<CredentialState>& states);

}  // namespace otp
