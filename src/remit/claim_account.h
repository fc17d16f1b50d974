// A claim's account: what became of it after its 837P, derived from the events the ledger
// keeps (model/remittance.h) — its status (interface.md §2 `claims`), what was paid, adjusted
// and left to the patient, and its history. Pure: the same claim and events give the same
// account, whatever order the files were ingested in.
//
// Status, strongest evidence first:
//  - billed again on a new claim (`resubmit`): resubmitted;
//  - else the latest 835 adjudication (by payment date, then the order the payer sent it, so
//    a reversal comes before its new adjudication): CLP02 22 reversed; CLP02 4 denied; paid
//    when something was paid, nothing is left to the patient and no line was denied;
//    partially_paid when something was paid or left to the patient; otherwise denied;
//  - else the latest 277CA that accepted or rejected it: accepted or rejected;
//  - else a 999 that rejected its transaction: rejected;
//  - else written (a 999 that accepted the file, or a 277CA that only received it, leave it so).
// Amounts are the net of every 835 for the claim (a reversal's negated amounts included):
// paid, patient responsibility, and the adjustments summed per (group, reason), zeros dropped.
// The same adjustments are split for the A/R (AdjustmentSplit): the patient's share (PR) as the
// Part B deductible (PR-1) or other; the payer's as denied when the payer paid nothing on the
// line it adjusts (or, for a claim-level adjustment or one on a service line not tied to a line
// of ours, on the whole claim), else contractual (CO) or other (OA, PI, CR).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "model/remittance.h"

namespace otp {

struct AccountEvent {  // one line of a claim's history
  Date date;
  std::string event;   // written, acknowledged, accepted, rejected, paid, partially_paid, denied, reversed, resubmitted
  std::string file;
  std::string detail;
  std::string source = {};  // 999 | 277CA | 835; "" for written and resubmitted
  std::string code = {};    // the response's status code (IK5, STC list, CLP02)
};

// A claim's net adjustments by what they mean for the A/R; they add up to all its adjustments.
struct AdjustmentSplit {
  Money contractual;    // CO on what the payer paid (fee schedule, sequestration …)
  Money denied;         // group CO, OA, PI or CR on what the payer paid nothing for
  Money other;          // OA, PI, CR on what the payer paid
  Money deductible;     // PR-1: the Part B deductible
  Money other_patient;  // any other PR: coinsurance, copay …
  Money Total() const { return contractual + denied + other + deductible + other_patient; }
};

struct ClaimAccount {
  std::string claim_id, facility_id, patient_id;
  std::string month;                 // YYYY-MM of the claim's first date of service
  Date written_on;                   // the night that wrote it
  std::string file;                  // its 837P
  Money billed;
  std::string status;
  std::string payer_claim_number;    // the latest CLP07, else REF*1K, else ""
  Money paid, patient_responsibility;
  std::vector<EventAdjustment> adjustments;  // net per (group, reason), claim and lines together
  AdjustmentSplit split;                     // the same, by what they mean for the A/R
  std::vector<std::string> payments;         // the 835 responses (keys) that adjudicated or reversed it
  std::vector<AccountEvent> history;         // by date
  std::string replaced_by;           // the new claim that bills it again, when resubmitted
  std::string replaces;              // the rejected claim it bills again, when it is such a claim
  std::string rejection, denial;     // the latest reject's or denial's codes, "" when none
  // What the payer has not yet settled: billed − paid − every adjustment; nothing for a
  // claim billed again on a new one.
  Money Outstanding() const;
  bool Adjudicated() const;  // an 835 decided it (paid, partially paid or denied)
};

// `events` are the claim's; `again` its resubmission, if any.
ClaimAccount AccountOf(const ClaimHead& claim, const std::vector<ClaimEvent>& events,
                       const std::optional<Resubmission>& again);
// The same for a claim read whole; its file is claim.claim.file (the caller's to fill).
ClaimAccount AccountOf(const StoredClaim& claim, const std::vector<ClaimEvent>& events,
                       const std::optional<Resubmission>& again);
ClaimHead HeadOf(const StoredClaim& claim);

// Whether an 835 denied a line: it paid nothing on a charged line, and not because the whole
// charge is the patient's to pay (a line that went to the Part B deductible is not denied).
bool LineDenied(const ClaimEvent& e, const EventLine& line);
// The charges of the lines LineDenied says were denied.
Money DeniedCharges(const ClaimEvent& e);

// The status a single 835 adjudication gives (the rules above).
std::string AdjudicationStatus(const ClaimEvent& e);

}  // namespace otp
