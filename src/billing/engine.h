// The billing engine: one patient's undecided service rows + what earlier nights billed →
// episodes (EP-1..3), the bundle (BU-1..5), add-ons (AD-1..7, TH-1), program gates (CL-2),
// diagnosis (CL-3), payer (CL-1) and prices (CL-5), each line carrying its sources and rule.
// Pure: no files, no ledger, no clock — the as-of date is an argument.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/claim.h"
#include "model/types.h"

namespace otp {

class RuleBook;

// What the ledger remembers of one patient from earlier nights (CL-7 once-only state).
struct PatientHistory {
  std::optional<Date> last_episode_end;  // the latest end of a decided episode: rows up to it are late (CL-7)
  std::vector<CoverageWindow> windows;                        // drug days already paid (BU-4)
  std::vector<Date> intakes_billed;                           // G2076 dates of service (AD-1)
  std::map<std::string, std::vector<Date>> overdose_billed;   // G2215/G1028/G2216/G0532 → dates (AD-4)
  // The decided episodes that end on or after the earliest open row's date minus a week, by
  // start: what a take-home add-on waiting on later weeks (TH-1) is decided against.
  std::vector<Episode> episodes;
};

enum class Outcome {
  kBilled,       // on a claim line tonight
  kHeld,         // not billed, reason given; a person must act
  kNotBillable,  // never billed, reason given (payer, compliance-only event, …)
  kOpen,         // its episode has not ended before --as-of (EP-2), or its take-home add-on waits
                 // for later weeks to end (TH-1, reason kAwaitingWeeks): decided on a later night
};

// The reason of an open take-home row whose episode is decided but whose add-on waits for the
// weeks its additional days reach into to end (TH-1). The caller keeps it with the row and
// hands it back (BillingInput::awaiting).
inline constexpr const char* kAwaitingWeeks = "takehome-awaiting-weeks";

struct RowOutcome {
  Outcome outcome = Outcome::kOpen;
  std::string reason;   // hold / not-billable reason word; "" for billed and open
  // kHeld in a week whose bundle is held: the week is decided again each night (the row stays
  // undecided in the ledger) until its cause is gone, then billed that night, once.
  bool again = false;
};

struct BillingInput {
  const Facility* facility = nullptr;
  const Patient* patient = nullptr;
  // This patient's undecided rows: new tonight, or open from an earlier night. Any order.
  std::vector<const ServiceRecord*> records;
  // Parallel to records (or empty: none): the row is a take-home kept open with kAwaitingWeeks.
  std::vector<char> awaiting;
  PatientHistory history;
  Date as_of;
};

struct BillingResult {
  std::vector<Episode> episodes;          // episodes decided tonight (ended before as_of)
  std::vector<ClaimLine> lines;           // priced lines to bill tonight
  std::vector<Hold> holds;
  std::vector<Finding> findings;          // BU-4-overlap, TH-1-cap, and one per hold
  std::vector<CoverageWindow> new_windows;
  std::vector<RowOutcome> outcomes;       // parallel to BillingInput::records
};

// Whether a billed line is read back on later nights (AD-1's intakes, AD-4's overdose
// medications, and for the pre-submission edits the take-home add-ons): the caller keeps such
// lines by patient and hands them back in PatientHistory through AddToHistory.
bool KeptInHistory(const ClaimLine& line, const RuleBook& rules);
void AddToHistory(PatientHistory& history, const std::string& code, Date dos, const RuleBook& rules);

// Bills one patient. Every row gets exactly one outcome:
//  - kOpen kAwaitingWeeks: a take-home row whose episode was billed but whose additional days
//    reach into weeks that have not all ended (TH-1);
//  - kHeld with `again` for every row of a week whose bundle is held (its diagnosis, a
//    credential, a rate, a duplicate MBI): the week is decided again on every later night, with
//    any row that arrives for it, from PatientHistory::episodes (status held); a row dated in such
//    a week is never late;
//  - kNotBillable "compliance-event" (physical_exam, psychosocial_assessment, care_plan: they
//    never start or continue an episode) or "payer" (CL-1, patient not Part B fee-for-service);
//  - kOpen while its episode ends on or after as_of (EP-2);
//  - kHeld with the hold reason: late-record (dated on or before the end of the latest decided
//    episode in history), no-oud-diagnosis, addon-without-bundle, intake-repeat,
//    audio-methadone-intake, takehome-mismatch, overdose-med-repeat, code-not-in-force,
//    gate:<credential kind>, no-price;
//  - kBilled when it is a source of a billed line, or a row of an episode whose bundle was billed
//    that makes no line of its own (counseling under the G2080 threshold, IOP under the minimum,
//    take-home days inside the episode, …): the bundle covers it.
// Each hold gives one Hold and one Finding (rule_id = the rule that held it: CL-7 late-record,
// CL-3, BU-5, AD-1, AD-4, AD-7, TH-1, CL-2 gates, CL-5 no-price, or for code-not-in-force the
// rule that chose the code); BU-4-overlap and TH-1-cap are findings without a hold. Finding::key
// = facility|patient|rule|episode start|first record id, stable across re-runs.
// Windows opened tonight (G2069/G2073/G0533/G2070/G2072 injections and implants, G2078/G2079
// billed take-home days) are returned in new_windows and already apply to later episodes.
// The caller derives intakes/overdose dates billed tonight from the lines (G2076, G2215, …).
BillingResult BillPatient(const BillingInput& in, const RuleBook& rules);

// CL-4: one claim per patient per calendar month of DOS, at most `max_lines` lines each
// (codes/limits.xml claim.max_lines), lines sorted by DOS then code. claim_id is left empty:
// the ledger assigns it. claim.diagnosis = the patient's diagnosis without the dot.
std::vector<Claim> AssembleClaims(const Patient& patient, std::vector<ClaimLine> lines,
                                  const RuleBook& rules);
std::vector<Claim> AssembleClaims(const Patient& patient, std::vector<ClaimLine> lines,
                                  size_t max_lines);
// The same with the contract's 50 lines (billing-rules.md CL-4), for callers without a RuleBook.
inline constexpr size_t kContractMaxLines = 50;
std::vector<Claim> AssembleClaims(const Patient& patient, std::vector<ClaimLine> lines);

}  // namespace otp
