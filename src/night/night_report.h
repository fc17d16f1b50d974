// The report of a night (its workbook and summary.json). A first run reports what it decided; a
// re-run of a night already committed (the same as-of date) reports the whole night rebuilt from
// the ledger — the claims, holds, findings and rejected rows of all its runs — marked as a
// re-run, with its own counts kept for summary.json (interface.md §3): never an empty report.
// Either way its Payments sheet is the ledger's claims not yet settled and those settled lately
// (report/payment_rows.h AddNightPayments).
#pragma once

#include <memory>
#include <vector>

#include "compliance/checks.h"
#include "model/types.h"
#include "ledger/ledger.h"
#include "model/status.h"
#include "output/report_data.h"

namespace otp {

class CodeWords;
class RuleBook;

struct NightFacts {
  Date as_of;
  const Config& config;
  const RuleBook& rules;
  const CodeWords& words;                       // adjustments in words (the Payments sheet)
  std::shared_ptr<const ClaimSource> claims;    // written tonight
  const std::vector<Hold>& holds;               // raised tonight, merged
  const std::vector<Finding>& added_findings;   // first raised tonight
  const std::vector<CredentialState>& credentials;
  const std::vector<Reject>& rejects;           // tonight's
  const std::vector<Patient>& patients;
  const RunCounts& counts;                      // tonight's rows
  int64_t run_id = 0;
  std::vector<NightRun> earlier;                // the night's committed runs before this one
};

Result<ReportData> NightReport(Ledger& ledger, const NightFacts& facts);

}  // namespace otp
