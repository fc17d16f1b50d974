// ReportData: everything the compliance workbook and summary.json show, as plain values.
// `otpbatch run` fills it from the night's run, `otpbatch report` from the ledger alone; the
// writers (workbook.h, summary.h) only lay it out and decide nothing.
// Patient identity here is the EHR's patient_id only: no names, MBIs or birth dates.
#pragma once

#include <climits>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/money.h"
#include "model/types.h"

namespace otp {

// One credential of one facility on the as-of date (PG-1).
struct CredentialStatus {
  std::string facility_id, kind, number;
  std::string status;           // current | expiring | lapsed | superseded | renewal-on-file | not-yet-effective
  std::optional<Date> expires;  // nullopt = open-ended
  int days_to_expiry = INT_MAX; // expires - as_of, negative once lapsed; INT_MAX when open
};

// One claim line (the Claims sheet has one row per line).
struct ClaimRow {
  std::string claim_id, facility_id, patient_id;
  Date dos;
  std::string code;
  std::vector<std::string> modifiers;
  int units = 1;
  Money charge;
};

// An episode or line that was not billed, with the reason word and a one-line detail.
struct HeldRow {
  std::string facility_id, patient_id;
  Date date;
  std::string code, reason, detail;
  std::vector<std::string> record_ids;
};

// Claim line → the source records and the rule that chose the code (what `explain` prints).
struct AuditRow {
  std::string claim_id;
  int line_no = 0;
  std::string code;
  std::vector<std::string> source_record_ids;
  std::string rule_id, rate_ref;
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

// RT-1: admissions in the period and how many stayed at least 90 days.
// (Not named RetentionMetric: compliance/checks.h has a function of that name.)
struct RetentionSummary {
  int64_t admissions = 0, retained_90_days = 0;
};

struct ReportData {
  std::string title;       // e.g. "HARBOR RECOVERY CENTER compliance workbook"; "" = template's
  Date from, to, as_of;    // the period shown (run: the episodes billed) and the as-of date
  RunCounts counts;
  std::vector<ClaimRow> claims;
  std::vector<HeldRow> held;
  std::vector<Finding> findings;
  std::vector<CredentialStatus> credentials;
  std::vector<Reject> rejects;   // Reject::raw is never written to the workbook
  std::vector<AuditRow> audit;
  RetentionSummary retention;
  std::vector<std::string> files;  // output files written by this run (summary.json lists them)
};

}  // namespace otp
