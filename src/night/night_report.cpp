// NightReport (night_report.h).
#include "night/night_report.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "report/payment_rows.h"
#include "report/report_builder.h"
#include "report/work_rows.h"

namespace otp {
namespace {

// The same bad row read by each run of a night is one rejected row.
Result<std::vector<Reject>> NightRejects(Ledger& ledger, const std::vector<int64_t>& runs) {
  std::vector<Reject> out;
  std::set<std::tuple<std::string, int64_t, std::string, std::string>> seen;
  for (int64_t run : runs) {
    OTP_ASSIGN_OR_RETURN(std::vector<Reject> some, ledger.RejectsOfRun(run));
    for (auto& r : some)
      if (seen.emplace(r.file, r.line, r.column, r.reason).second) out.push_back(std::move(r));
  }
  return out;
}

Result<ReportData> Rebuilt(Ledger& ledger, const NightFacts& f, ReportData r) {
  std::vector<int64_t> runs;
  for (const NightRun& e : f.earlier) runs.push_back(e.run_id);
  runs.push_back(f.run_id);
  r.rerun = true;
  r.run_counts = r.counts;
  r.counts = RunCounts();
  OTP_TRY(AddSummaryCounts(f.earlier.front().summary, r.counts));  // the rows the night decided
  OTP_ASSIGN_OR_RETURN(std::vector<StoredClaim> stored, ledger.ClaimsOfRuns(runs));
  OTP_ASSIGN_OR_RETURN(const auto files, ledger.InterchangePaths());
  std::vector<Claim> claims;
  for (auto& sc : stored) {
    for (const ClaimLine& l : sc.claim.lines) r.from = std::min(r.from, l.dos);
    if (auto f = files.find(sc.interchange); f != files.end())
      sc.claim.file = std::filesystem::path(f->second).filename().string();
    claims.push_back(std::move(sc.claim));
  }
  SetClaims(r, std::move(claims));
  OTP_TRY(FillClaimCounts(r));
  OTP_ASSIGN_OR_RETURN(r.findings, ledger.FindingsOfRuns(runs));
  for (const Finding& x : r.findings) ++r.counts.findings_by_rule[x.rule_id];
  OTP_ASSIGN_OR_RETURN(r.rejects, NightRejects(ledger, runs));
  OTP_ASSIGN_OR_RETURN(const std::vector<Hold> holds, ledger.HoldsOfRuns(runs));
  OTP_TRY(AddWork(r, ledger, holds, f.as_of));
  return r;
}

}  // namespace

Result<ReportData> NightReport(Ledger& ledger, const NightFacts& f) {
  OTP_ASSIGN_OR_RETURN(ReportData r, BuildRunReport(f.as_of, f.config, f.claims, f.added_findings, f.credentials,
                                                    f.rejects, f.patients, f.rules));
  r.counts = f.counts;  // BuildRunReport fills charges and claims
  OTP_TRY(FillClaimCounts(r));
  OTP_TRY(AddNightPayments(r, ledger, f.as_of, f.rules, f.words));
  if (!f.earlier.empty()) return Rebuilt(ledger, f, std::move(r));
  OTP_TRY(AddWork(r, ledger, f.holds, f.as_of));
  return r;
}

}  // namespace otp
