// What comes back after an 837P, as the ledger keeps it: each response transaction once
// (a 999, a 277CA or an 835 payment, by what identifies it), the events it brought to each
// claim, the adjustments and service lines of a payment, the provider-level adjustments (PLB),
// and the requests to bill a rejected claim again. src/remit decides these; the ledger stores
// them; the workbook and `claims` read them back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/money.h"

namespace otp {

// One response transaction, keyed by what identifies it (remit/posting.h ResponseKey): the
// same 835 payment sent twice, under any file name or envelope, has one key.
struct ResponseRecord {
  std::string key;
  std::string kind;     // 999 | 277CA | 835
  std::string digest;   // of its content: the same key with other content is a conflict
  std::string file;     // the file name it was first read from (no folder)
  Date date;            // the response's own date: GS04, BHT04 or BPR16
  std::string summary;  // one line for a person: "835 payment EFT123 of 1234.56 on 2026-11-20"
  int64_t run_id = 0;   // the ingest that recorded it
};

// An amount adjusted (CAS), at claim level (line_no 0) or on a line of the claim.
struct EventAdjustment {
  int line_no = 0;      // the claim line it adjusts; 0 for the claim; -1 for a line not matched
  std::string group;    // CO, PR, OA, PI, CR
  std::string reason;   // CARC
  Money amount;         // positive lowers the payment; a reversal's are negated
};

// A service line as the payer paid it (SVC), tied to the claim line it answers.
struct EventLine {
  int line_no = 0;          // the claim's line; -1 when none matched
  std::string code;         // SVC01-2 as paid
  std::string modifiers;    // as paid, space separated
  Date dos;                 // from the SVC's DTM, else the claim's statement date
  Money charge, paid;
  int64_t units_thousandths = 1000;
  std::string matched_by;   // how it was tied: "line control", "code, modifiers and date", …
};

// What a response said about one claim.
struct ClaimEvent {
  int64_t id = 0;               // kept by the store; orders events of one date
  std::string claim_id;         // CLM01, as this ledger wrote it
  std::string response;         // ResponseRecord::key
  int seq = 0;                  // its place in the response (a reversal before its new adjudication)
  // acknowledged (999 or 277CA received/pending), accepted, rejected (999 or 277CA),
  // adjudicated (835: paid, partly paid or denied), reversed (835 CLP02 22)
  std::string event;
  std::string source;           // 999 | 277CA | 835
  Date date;
  std::string file;
  std::string status_code;      // IK5 for a 999; STC category:code[:entity] list; CLP02
  std::string payer_claim_number;  // REF*1K or CLP07
  Money charge, paid, patient_responsibility;  // 835: CLP03, CLP04, CLP05
  std::string remarks;          // RARCs, space separated
  std::string detail;           // one line for a person
  std::vector<EventAdjustment> adjustments;
  std::vector<EventLine> lines;
};

// A provider-level adjustment (PLB) of a payment: interest, a recovery of an earlier
// overpayment (WO, naming the claim it recovers from), a forward balance …
struct PaymentAdjustment {
  std::string response;         // the 835 it came in
  int seq = 0;
  std::string facility_id;      // the payee the 835 paid, "" when unknown
  std::string provider_id;      // PLB01
  Date fiscal_period;           // PLB02
  std::string reason;           // PLB03-1
  std::string reference;        // PLB03-2 as sent
  std::string claim_id;         // the claim the reference names, "" when none of ours
  Money amount;                 // positive takes money from the provider
  Date date;                    // the payment's date
  std::string file;
};

// A person's request to bill a rejected claim's lines again on a new claim (interface.md §2
// `resubmit`); the next night writes the new claim and names it here.
struct Resubmission {
  std::string claim_id;         // the rejected claim
  std::string by, at;           // who asked, when (ISO 8601)
  std::string new_claim_id;     // "" until a night wrote it
  int64_t run_id = 0;           // that night
};

}  // namespace otp
