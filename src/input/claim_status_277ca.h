// The 277CA health care claim acknowledgment (005010X214) as a plain struct: for each batch of
// claims received (2000B; TRN02 is the BHT03 of the 837 that carried them) and each claim
// (2200D; TRN02 is the claim's CLM01), the payer's status codes, its claim control number
// (REF*1K) and, when sent, line-level statuses.
//
// Read277CA is pure. It checks the HL tree (HL01 unique, HL02 naming an earlier HL one level
// up: 20 information source → 21 information receiver → 19 billing provider → PT patient/claim),
// that each segment sits in a loop where the guide puts it, that every batch and claim has its
// TRN and at least one STC, and the codes and amounts it reads. Names and member ids of patients
// (NM1*QC) are not kept: claims are matched by CLM01, and this struct holds nothing a claim
// match does not need. Errors are Status messages "segment N (ID): reason" as in x12_reader.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "input/x12_reader.h"
#include "model/date.h"
#include "model/money.h"
#include "model/status.h"

namespace otp {

// What a claim status category code (STC01-1, code source 507) says about a claim.
enum class AckOutcome {
  kReceived,  // A0 forwarded, A1 received: not yet accepted nor rejected
  kAccepted,  // A2 accepted into adjudication, A5 split upon acceptance
  kRejected,  // A3 returned as unprocessable, A4 not found, A6 missing information,
              // A7 invalid information, A8 relational field in error
  kOther,     // any other category (pending P*, finalized F*, errors E*, …): kept as sent
};
AckOutcome ClassifyCategory(std::string_view category);

struct ClaimStatusCode {  // a C043 composite: STC01, STC10, STC11
  std::string category;   // -1: A1, A2, A3, A7 …
  std::string code;       // -2: claim status code (code source 508)
  std::string entity;     // -3: entity identifier, "" when not sent
};

struct ClaimStatus277 {  // one STC
  int64_t segment = 0;
  ClaimStatusCode status;             // STC01
  std::vector<ClaimStatusCode> more;  // STC10, STC11 when sent
  std::optional<Date> date;           // STC02 (not used at the billing provider level)
  std::string action;                 // STC03: WQ accepted, U rejected
  std::optional<Money> amount;        // STC04: total charges of the unit acknowledged
  // The outcome of every category in this STC together: rejected if any is a rejection, else
  // accepted if any is an acceptance, else received if any is a receipt, else other.
  AckOutcome Outcome() const;
};

struct ServiceLineStatus277 {        // 2220D
  int64_t segment = 0;               // the SVC
  X12Procedure procedure;            // SVC01
  Money charge;                      // SVC02
  std::string revenue_code;          // SVC04, "" when not sent
  std::optional<X12Quantity> units;  // SVC07
  std::vector<ClaimStatus277> statuses;
  std::string line_control_number;               // REF*FJ, "" when not sent
  std::optional<Date> service_from, service_to;  // DTP*472
  AckOutcome Outcome() const;
};

struct ClaimStatus277Claim {        // 2000D/2200D
  int64_t segment = 0;              // the TRN
  std::string claim_id;             // TRN02: the 837's CLM01
  std::string billing_provider_id;  // NM109 of the 2100C above it (an NPI or TIN)
  std::vector<ClaimStatus277> statuses;
  std::string payer_claim_number;                // REF*1K, "" when not sent
  std::string clearinghouse_trace;               // REF*D9, "" when not sent
  std::optional<Date> service_from, service_to;  // DTP*472 (D8: from = to)
  std::vector<ServiceLineStatus277> lines;
  // The claim's statuses together, as ClaimStatus277::Outcome, lines not included.
  AckOutcome Outcome() const;
};

struct ClaimStatus277Batch {  // 2000B/2200B
  int64_t segment = 0;        // the TRN
  std::string receiver_id;    // 2100B NM109: the submitter's id at the payer
  std::string batch_id;       // TRN02: the BHT03 of the 837 acknowledged
  std::vector<ClaimStatus277> statuses;
  std::optional<int64_t> accepted_count, rejected_count;  // QTY*90, QTY*AA
  std::optional<Money> accepted_amount, rejected_amount;  // AMT*YU, AMT*YY
  std::vector<ClaimStatus277Claim> claims;
};

struct ClaimAck277 {
  std::string reference;                    // BHT03: this 277CA's own id
  Date created;                             // BHT04
  std::string payer_name, payer_id;         // 2100A NM103, NM109
  std::optional<Date> received, processed;  // 2200A DTP*050, DTP*009
  std::vector<ClaimStatus277Batch> batches;
};

// Reads one 277CA transaction (KindOf says k277CA).
Result<ClaimAck277> Read277CA(const X12Transaction& tx);

}  // namespace otp
