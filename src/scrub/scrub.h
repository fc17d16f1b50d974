// The pre-submission edits (billing-rules.md SC-1 … SC-5; SC-6 is applied at input): invariants
// every claim line must hold before it goes into an 837P — what the MAC's claim edits and an
// OIG auditor would check — over what earlier nights billed for the patient and tonight's
// lines. They read the lines, not how billing chose them: a second pair of eyes, not the same
// logic twice. Pure: no files, no ledger, no clock.
//
//   SC-1  two bundle lines of a patient at least 7 days apart (EP-3's first week of treatment
//         in a weekday cycle aside); two lines of a bundle whose drug covers more days (G2069,
//         G2073, the implant) at least that many days apart
//   SC-2  no day of drug paid twice: a take-home add-on's days never fall in a later episode
//         that billed a drug bundle; coverage windows of different lines never overlap; no drug
//         bundle for an episode whose every day was already paid
//   SC-3  one beneficiary, one patient: no line for a week in which another patient id with the
//         same MBI is in treatment (held `duplicate-beneficiary`)
//   SC-4  intake at most once per admission; take-home add-on units at most 3 per episode;
//         naloxone/nalmefene once per 30 days per code unless medically necessary
//   SC-5  a code in force on the DOS, a positive charge equal to the rate table's or the
//         facility's price × units, units from 1 to the code's maximum, the patient's OUD
//         diagnosis, a DOS before the as-of date; a claim's lines in its month
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/claim.h"
#include "model/types.h"

namespace otp {

class RuleBook;

// A line billed on an earlier night, as the ledger keeps it for the edits.
struct BilledLine {
  std::string code;
  Date dos;
  int units = 1;
};

// What earlier nights billed for the patient.
struct ScrubHistory {
  std::vector<Episode> episodes;        // decided, with bundle code and date (recent ones)
  std::vector<CoverageWindow> windows;  // days of drug already paid
  std::vector<BilledLine> lines;        // intakes, overdose medications, take-home add-ons
};

// Another patient id with the same MBI, and its treatment.
struct SharedBeneficiary {
  std::string facility_id, patient_id;
  Date admission;
  std::optional<Date> discharge;
};

struct ScrubInput {
  const Facility* facility = nullptr;
  const Patient* patient = nullptr;
  Date as_of;
  const std::vector<ClaimLine>* lines = nullptr;             // tonight's, as billing built them
  const std::vector<Episode>* episodes = nullptr;            // decided tonight
  const std::vector<CoverageWindow>* windows = nullptr;      // opened tonight
  std::map<std::string, unsigned> record_flags;              // tonight's source rows: record id → flags
  ScrubHistory history;
  std::vector<SharedBeneficiary> shared_mbi;
};

// A line's verdict: the edits it passed, in order, or the one it failed and why.
struct EditVerdict {
  std::vector<std::string> passed;
  std::string failed;  // "" when it passed every edit
  std::string detail;
  bool ok() const { return failed.empty(); }
};

// For each Medicare patient whose MBI another patient id also has (in one facility or across
// the facilities of the ledger), those other ids: by "facility\x1Fpatient".
using SharedMbis = std::map<std::string, std::vector<SharedBeneficiary>>;
SharedMbis SharedBeneficiaries(const std::vector<Patient>& patients);
std::string SharedMbiKey(const std::string& facility_id, const std::string& patient_id);

// One verdict per line of *in.lines, in order. A line is judged against the lines before it
// that passed (tonight's) and against the history.
std::vector<EditVerdict> Scrub(const ScrubInput& in, const RuleBook& rules);

// SC-5 for an assembled claim: every line's DOS in the claim's month. "" or what is wrong.
std::string ScrubClaimMonth(const Claim& claim);

}  // namespace otp
