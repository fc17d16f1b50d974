// Compliance checks of compliance-rules.md as pure functions: program gates (PG-1, PG-2) and
// credential status rows for one facility, patient checks (PA-1..PA-8) for one patient, and the
// retention metric (RT-1). No files, no ledger, no clock: the as-of date is an argument, and
// every number (days, counts, mg, the take-home ladder) comes from the RuleBook's limits with
// its citation.
//
// Day counting (compliance-rules.md): day 1 is the admission date (PA-5's treatment days);
// "within N days following admission" (PA-1, PA-2, PA-4's initial test) means on or before
// admission + N, so an admission on 2026-01-05 has until 2026-01-19 for a 14-day deadline. A
// deadline is judged once it has passed, on an as-of date after it (the deadline day itself may
// still bring the service), and the finding is dated the deadline. A patient discharged before a
// deadline is not held to it, except PA-4's initial test, then due by the discharge date.
// Each Finding carries a stable occurrence key "facility|patient|rule|date[|item]" so a re-run
// (or a later night that still sees the same occurrence) raises it once only.
#pragma once

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/types.h"

namespace otp {

class RuleBook;

// One row of the workbook's credential table: one per <credential> of the facility, in file order.
struct CredentialState {
  std::string facility_id, kind, number;
  std::string status;  // current | expiring | lapsed | superseded | renewal-on-file | not-yet-effective
  std::optional<Date> expires;
  int days_to_expiry = INT_MAX;  // expires - as_of (negative once lapsed); INT_MAX when open-ended
};

std::vector<CredentialState> CredentialStates(const Facility& f, Date as_of, const RuleBook& rules);

// Status per credential row, judged with the renewals of its kind: current, expiring (the
// kind's coverage ends within pg1.warning_days), lapsed, superseded (expired, but a renewal
// covers as_of), renewal-on-file (not yet in force, but the kind is covered), not-yet-effective.
// PG-1 (per credential kind: lapsed → violation, expiring within pg1.warning_days → warning) and
// PG-2 (provisional SAMHSA certification in force more than provisional.max_days → violation).
std::vector<Finding> CheckProgram(const Facility& f, Date as_of, const RuleBook& rules);

// PA-1..PA-8 for one patient, from all of that patient's rows known so far (any order; rows
// outside the admission [admission_date, min(discharge_date, as_of)] are ignored), as of a date.
// PA-4 by Patient::program: maintenance, the yearly count (pro rata under a year), one finding
// per running shortfall dated its first day; withdrawal, the initial test; interim, the initial
// test and the further tests, judged when interim treatment ends (discharge, or its last
// permitted day), one finding each.
// `records_since`: the first day the ledger holds records for the facility. A patient admitted
// before it is not judged on what we cannot see: PA-1, PA-2 and PA-6 (the admission's first
// days) are skipped, PA-3 and PA-4 count from that day, PA-8 waits for a full look-back.
// `first_day_stands`: PA-6's verdict on the first methadone_dose day stands from an earlier
// night, on FirstDayTerms and that day's rows as they are (Ledger::CareRead): not judged again,
// and `rows` need not hold that day.
std::vector<Finding> CheckPatient(const Facility& f, const Patient& p,
                                  const std::vector<const ServiceRecord*>& rows, Date as_of,
                                  const RuleBook& rules,
                                  std::optional<Date> records_since = std::nullopt,
                                  bool first_day_stands = false);

// What the verdict of a day already judged depends on besides that day's rows — PA-5 judges
// each day from its take-home rows, the admission (treatment day) and the ladder; the other
// checks are judged from rows the pass reads every night. A night whose basis for a patient is
// the one on record need judge again only the days it has not judged (Ledger::ForEachPatient);
// a new admission date, a discharge set or moved, or a new ladder gives a new basis, and every
// day is judged again.
std::string CareBasis(const Patient& p, const RuleBook& rules);

// What PA-6's verdict on a patient's first methadone_dose day depends on besides that day's
// rows and whether PA-6 applies (the admission began inside our records): the first-day limit.
// Kept with the basis of a patient whose first day was judged; a night on the same terms judges
// that day again only when it moved (an earlier dose came) or a row came for it.
std::string FirstDayTerms(const RuleBook& rules);

// RT-1: admissions with admission_date in [from, to] whose outcome is known on as_of, and how
// many of them stayed at least rt1.retention_days (day 1 = admission; the stay ends at
// discharge_date, or as_of while in treatment). A patient still in treatment and not yet that
// many days in is undetermined and left out, so recent admissions do not drag the share down.
struct Retention {
  int64_t admissions = 0, retained = 0;
};
Retention RetentionMetric(const std::vector<Patient>& patients, Date from, Date to, Date as_of,
                          const RuleBook& rules);

}  // namespace otp
