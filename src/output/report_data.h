// ReportData: everything the compliance workbook and summary.json show, as plain values.
// `otpbatch run` fills it from the night's run, `otpbatch report` from the ledger alone; the
// writers (workbook.h, summary.h) only lay it out and decide nothing.
// Patient identity here is the EHR's patient_id only: no names, MBIs or birth dates.
#pragma once

#include <climits>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/claim.h"
#include "model/date.h"
#include "model/money.h"
#include "model/status.h"
#include "model/types.h"

namespace otp {

// One credential of one facility on the as-of date (PG-1).
struct CredentialStatus {
  std::string facility_id, kind, number;
  std::string status;           // current | expiring | lapsed | superseded | renewal-on-file | not-yet-effective
  std::optional<Date> expires;  // nullopt = open-ended
  int days_to_expiry = INT_MAX; // expires - as_of, negative once lapsed; INT_MAX when open
};

// One claim line, as the Claims and the Audit sheets show it: a view into a claim and its line,
// valid while the ClaimSource hands it over.
struct ClaimRow {
  const Claim* claim = nullptr;
  const ClaimLine* line = nullptr;
  int line_no = 0;  // 1-based position in the claim as shown (a ledger report keeps only the period's lines)
  Money claim_total;  // the whole claim's total as sent (CLM02), whichever of its lines are shown
};

// The claim lines a report shows, in claim order: held in memory (SetClaims: `report`, tests)
// or read back from the file a night spilled them to as it billed (output/claim_spill.h), so a
// night of millions of lines does not hold them all while the workbook is written.
class ClaimSource {
 public:
  virtual ~ClaimSource() = default;
  virtual int64_t lines() const = 0;
  // Calls fn for every line, in order; the row's pointers are valid during the call only. A
  // failure to read them back stops the calls.
  virtual Status ForEach(const std::function<void(const ClaimRow&)>& fn) const = 0;
};

// The claim lines of `claims`, held in memory. `sent_totals` names, by claim id, the total of a
// claim of which only some lines are held (a report's period); any other claim's total is the
// sum of its lines.
class ClaimsInMemory : public ClaimSource {
 public:
  explicit ClaimsInMemory(std::vector<Claim> claims, std::map<std::string, Money> sent_totals = {})
      : claims_(std::move(claims)), sent_totals_(std::move(sent_totals)) {
    for (const Claim& c : claims_) lines_ += static_cast<int64_t>(c.lines.size());
  }
  int64_t lines() const override { return lines_; }
  Status ForEach(const std::function<void(const ClaimRow&)>& fn) const override {
    for (const Claim& c : claims_) {
      auto sent = sent_totals_.find(c.claim_id);
      const Money total = sent != sent_totals_.end() ? sent->second : c.Total();
      for (size_t i = 0; i < c.lines.size(); ++i) fn(ClaimRow{&c, &c.lines[i], static_cast<int>(i + 1), total});
    }
    return Status::Ok();
  }

 private:
  std::vector<Claim> claims_;
  std::map<std::string, Money> sent_totals_;
  int64_t lines_ = 0;
};

// An episode or line that was not billed, with the reason word and a one-line detail.
struct HeldRow {
  std::string facility_id, patient_id;
  Date date;
  std::string code, reason, detail;
  std::vector<std::string> record_ids;
  std::string next_step = {};  // what a person does now, in plain words ("" until the queue says)
  Money amount_at_stake = {};  // what the held lines would have been billed
  std::string item_id = {};    // its work item (Work sheet), "" when none
};

// One open item of the work queue (interface.md §2 `queue`; the Work sheet): a hold, an open
// finding, a rejected input row, a rejected or denied claim, an unmatched remittance.
struct WorkRow {
  std::string id;     // stable across nights, e.g. W000123
  std::string kind;   // hold | finding | rejected-row | claim-rejected | claim-denied | remit-unmatched
  std::string facility_id, patient_id;  // patient "" for a facility's item
  std::string reason;                   // the reason word or rule id
  std::string next_step;                // plain words: what a person does now
  std::string detail;
  Money amount_at_stake;
  Date opened;
  int age_days = 0;
};

// A finding's state in the work queue: open, or closed by a person or by the data.
struct FindingState {
  bool open = true;
  std::string item_id, closed_by, note;
  std::optional<Date> closed_on;
};

// One claim's account after it was sent (the Payments sheet, interface.md §4): what the
// acknowledgments and remittances said, and what is still outstanding.
struct PaymentRow {
  std::string facility_id, claim_id, patient_id;
  std::string month;             // YYYY-MM of its first date of service
  Date written;                  // the night that wrote it
  std::string file;              // the 837P it went out in
  std::string status;            // written | accepted | rejected | paid | partially_paid | denied | reversed | resubmitted
  std::string acknowledgments;   // "999 acknowledged 2026-11-11; 277CA accepted 2026-11-12"
  std::string payer_claim_number;
  Money billed, paid;
  std::string adjustments;       // net per group and reason: "CO-253 31.25; PR-1 283.00"
  std::string adjustment_words;  // the same codes in words, one a line
  Money patient_responsibility, outstanding;
  int age_days = 0;              // from `written` to the as-of date (a night) or the period's end
  std::optional<Date> last_event;  // the latest response or resubmission; none: nothing came back
  // The adjustments by what they mean for the A/R (they add up to all of them).
  Money contractual, denied, other_adjusted, deductible, other_patient;
};

// A provider-level adjustment (835 PLB) of a payment that paid a claim on the Payments sheet.
struct ProviderAdjustmentRow {
  std::string facility_id;  // the payee the 835 paid, "" when unknown
  Date date;                // the payment's
  std::string trace;        // the payment's EFT or check trace (TRN02)
  std::string reason;       // PLB03-1: WO (an overpayment recovered), L6 (interest) …
  std::string reason_words;  // "WO: Overpayment Recovery" (codes/plb-reasons.xml)
  std::string reference;    // PLB03-2 as sent
  std::string claim_id;     // the claim of ours the reference names, "" when none
  Money amount;             // positive takes money from the facility
  std::string file;
};

// The run's counts. Service rows: accepted + rejected == service_rows_read, and
// billed + held + not_billable + already_processed + open == accepted (CountsAddUp, summary.h).
struct RunCounts {
  int64_t patient_rows_read = 0, patient_rows_rejected = 0;
  int64_t service_rows_read = 0, accepted = 0, rejected = 0;
  int64_t billed = 0, held = 0, not_billable = 0, already_processed = 0;
  int64_t open = 0;  // accepted rows whose episode has not ended before the as-of date
  int64_t claims = 0, lines = 0;
  Money total_charges;
  std::map<std::string, int64_t> held_by_reason, not_billable_by_reason, findings_by_rule;
  std::map<std::string, Money> charges_by_code;
};

// One entry of the Reference sheet: a code, rule id, reason word or kind of work item, in words
// (codes/codes.xml, rules.xml, reasons.xml). The workbook lists those its other sheets use.
struct ReferenceRow {
  std::string kind;       // what the id is: "HCPCS code", "rule", "hold reason", …
  std::string id;         // G2067, PA-1, no-oud-diagnosis, rejected-row
  std::string words;      // what it means
  std::string source;     // the citation or source it comes from, "" when none
  std::string next_step;  // what a person does about it, "" when nothing
};

// RT-1: admissions in the period and how many stayed at least 90 days.
// (Not named RetentionMetric: compliance/checks.h has a function of that name.)
struct RetentionSummary {
  int64_t admissions = 0, retained_90_days = 0;
};

struct ReportData {
  std::string title;       // e.g. "HARBOR RECOVERY CENTER compliance workbook"; "" = template's
  Date from, to, as_of;    // the period shown (run: the episodes billed) and the as-of date
  // `otpbatch report`: a period read from the ledger, not a night. It has no as-of date (as_of is
  // not shown), and its row counts are the ledger's rows dated in the period (no "already
  // processed", no patient rows: those are a night's).
  bool period_report = false;
  std::vector<std::string> facilities;  // "HRC01 HARBOR RECOVERY CENTER", or the id alone when no name is known
  RunCounts counts;
  // Claim lines priced from a rate or GAF not verified against CMS's file (ClaimLine::PriceUnverified),
  // and their charges: the Summary says so and the Claims sheet marks each (FillClaimCounts).
  int64_t unverified_lines = 0;
  Money unverified_charges;
  // The claim lines shown (shared: a copy of ReportData reads the same ones). The Claims sheet
  // and the Audit sheet (claim line → the source records and the rule that chose the code: what
  // `explain` prints) lay them out. Never null: none until SetClaims or a night's spill.
  std::shared_ptr<const ClaimSource> claims = std::make_shared<const ClaimsInMemory>(std::vector<Claim>{});
  std::vector<HeldRow> held;
  std::vector<WorkRow> work;       // the open work queue (Work sheet)
  std::vector<Finding> findings;
  std::map<std::string, FindingState> finding_states;  // by Finding::key; absent → open
  // The Payments sheet: a report's claims with a date of service in the period; a night's claims
  // of the last year not yet settled and those settled lately (remit/accounts.h NightAccounts).
  // Empty until responses are ingested: the sheet says so.
  std::vector<PaymentRow> payments;
  std::vector<ProviderAdjustmentRow> provider_adjustments;  // of the payments that paid them
  // A re-run of a night already committed: the report shows the night, rebuilt from the ledger
  // (counts: the night's first run's rows; claims, holds, findings and rejects of all its runs),
  // and `run_counts` holds what this run itself did (summary.json's top level).
  bool rerun = false;
  std::optional<RunCounts> run_counts;
  std::vector<CredentialStatus> credentials;
  std::vector<Reject> rejects;   // Reject::raw is never written to the workbook
  RetentionSummary retention;
  std::vector<std::string> files;  // output files written by this run (summary.json lists them)
  // Every code, rule, reason and kind of item the rule book knows, in words; the Reference sheet
  // shows those the other sheets use.
  std::vector<ReferenceRow> reference;
};

inline void SetClaims(ReportData& r, std::vector<Claim> claims, std::map<std::string, Money> sent_totals = {}) {
  r.claims = std::make_shared<const ClaimsInMemory>(std::move(claims), std::move(sent_totals));
}

}  // namespace otp
