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

class Ledger;
class RuleBook;

// The night's claim lines come from `claims` (the night's spill: output/claim_spill.h).
Result<ReportData> BuildRunReport(Date as_of, const Config& config, std::shared_ptr<const ClaimSource> claims,
                          const std::vector<Finding>& findings,
                          const std::vector<CredentialState>& credentials, const std::vector<Reject>& rejects,
                          const std::vector<Patient>& patients, const RuleBook& rules);

// Adds the row counts of one run's stored summary.json; a summary that does not read back is a
// damaged ledger (kCorrupt).
Status AddSummaryCounts(const std::string& summary, RunCounts& c);

// Claims, lines, total charges and charges by code, from report.claims.
Status FillClaimCounts(ReportData& report);

// The workbook for [from, to] from the ledger: claim lines whose DOS falls in the period, holds
// and findings dated in it, rejects of runs whose as-of is in it, credentials as of `to`; the
// row counts are the sums of the summaries of the runs whose as-of date is in [from, to + 1].
Result<ReportData> BuildLedgerReport(Ledger& ledger, const Config* config, Date from, Date to, const RuleBook& rules);

std::vector<CredentialStatus> ToCredentialStatus(const std::vector<CredentialState>& states);

}  // namespace otp
