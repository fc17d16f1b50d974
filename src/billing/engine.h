// The billing engine: one patient's undecided service rows + what earlier nights billed →
// episodes (EP-1..3), the bundle (BU-1..5), add-ons (AD-1..7, TH-1), program gates (CL-2),
// diagnosis (CL-3), payer (CL-1) and prices (CL-5), each line carrying its sources and rule.
// Pure: no files, no ledger, no clock — the as-of date is an argument.
#pragma once

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
  std::vector<std::pair<Date, Date>> billed_episodes;         // decided episodes, sorted by start
  std::vector<CoverageWindow> windows;                        // drug days already paid (BU-4)
  std::vector<Date> intakes_billed;                           // G2076 dates of service (AD-1)
  std::map<std::string, std::vector<Date>> overdose_billed;   // G2215/G1028/G2216/G0532 → dates (AD-4)
};

enum class Outcome {
  kBilled,       // on a claim line tonight
  kHeld,         // not billed, reason given; a person must act
  kNotBillable,  // never billed, reason given (payer, compliance-only event, …)
  kOpen,         // its episode has not ended before --as-of (EP-2): decided on a later night
};

struct RowOutcome {
  Outcome outcome = Outcome::kOpen;
  std::string reason;   // hold / not-billable reason word; "" for billed and open
};

struct BillingInput {
  const Facility* facility = nullptr;
  const Patient* patient = nullptr;
  // This patient's undecided rows: new tonight, or open from an earlier night. Any order.
  std::vector<const ServiceRecord*> records;
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

BillingResult BillPatient(const BillingInput& in, const RuleBook& rules);

// CL-4: one claim per patient per calendar month of DOS, at most 50 lines each, lines in
// date order. claim_id is left empty: the ledger assigns it.
std::vector<Claim> AssembleClaims(const Patient& patient, std::vector<ClaimLine> lines);

}  // namespace otp
