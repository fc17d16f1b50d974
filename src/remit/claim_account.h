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
  std::vector<AccountEvent> history;         // by date
  std::string replaced_by;           // the new claim that bills it again, when resubmitted
  std::string replaces;              // the rejected claim it bills again, when it is such a claim
  std::string rejection, denial;     // the latest reject's or denial's codes, "" when none
  // What the payer has not yet settled: billed − paid − every adjustment; nothing for a
  // claim billed again on a new one.
  Money Outstanding() const;
  bool Adjudicated() const;  // an 835 decided it (paid, partially paid or denied)
};

ClaimAccount AccountOf(const StoredClaim& claim, const std::vector<ClaimEvent>& events,
                       const std::optional<Resubmission>& again);

// The status a single 835 adjudication gives (the rules above).
std::string AdjudicationStatus(const ClaimEvent& e);

}  // namespace otp
