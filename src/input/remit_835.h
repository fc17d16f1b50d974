// The 835 health care claim payment/advice (005010X221A1) as a plain struct: the payment (BPR,
// TRN), payer and payee, each claim paid, denied or reversed (CLP01 is our CLM01) with its
// adjustments, service lines and remark codes, and the provider-level adjustments (PLB).
//
// Read835 is pure and refuses a transaction that does not balance, the way the guide requires
// (005010X221A1 §1.10.2.1, quoted in X12 RFI 2601 and stated the same way by every 835
// balancing description we found; an adjustment amount is positive when it lowers the payment):
//   - each service line: SVC02 charge − SVC03 paid = the sum of the line's CAS amounts
//     (§1.10.2.1.1 service line balancing);
//   - each claim: CLP03 charge − CLP04 paid = the sum of its CAS amounts, claim and line level
//     (§1.10.2.1.2 claim balancing);
//   - the transaction: BPR02 = sum of CLP04 − sum of PLB amounts (§1.10.2.1.3), with BPR02 taken
//     as negative when BPR03 is D (debit). A PLB amount is positive when it takes money from the
//     provider (a WO overpayment recovery) and negative when it adds to the payment: the
//     medicare-part-a.835 sample pays 150000.00 for claims of 149998.73 with PLB -1.27.
// Reversals (CLP02 22) carry negated amounts and balance by the same rules.
//
// It also checks segment order (BPR first, then TRN; claims after the payer and payee loops;
// SVC inside a claim; PLB last), required elements and the code lists it relies on (BPR01,
// BPR03, BPR04, CLP02, CAS01). Patients' names are not kept; NM1*QC's id is, to check a claim
// against the patient it was billed for. Errors are "segment N (ID): reason" (x12_reader.h);
// amounts appear in balancing errors since a clerk needs them and they identify no one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "input/x12_reader.h"
#include "model/date.h"
#include "model/money.h"
#include "model/status.h"

namespace otp {

struct RemitAdjustment {  // one reason/amount/quantity triple of a CAS
  std::string group;      // CAS01: CO, PR, OA, PI (CR, removed in 5010, is still read)
  std::string reason;     // CARC: "45", "1", "A2"
  Money amount;           // positive lowers the payment
  std::optional<X12Quantity> quantity;
};

struct RemitAmount {      // AMT
  std::string qualifier;  // B6 allowed, AU coverage, …
  Money amount;
};

struct RemitRemark {      // LQ, or MOA remark codes (qualifier HE)
  std::string qualifier;  // HE: a remittance advice remark code (RARC)
  std::string code;       // "N130", "MA01"
};

struct RemitServiceLine {    // 2110
  int64_t segment = 0;       // the SVC
  X12Procedure procedure;    // SVC01 as paid
  Money charge;              // SVC02
  Money paid;                // SVC03
  std::string revenue_code;  // SVC04, "" when not sent
  // SVC05; not sent means one: the guide sends it only when the units paid are not one.
  std::optional<X12Quantity> units_paid;
  std::optional<X12Procedure> submitted_procedure;  // SVC06: sent when the payer changed SVC01
  std::optional<X12Quantity> submitted_units;       // SVC07
  std::optional<Date> service_from, service_to;     // DTM*472 (both), or DTM*150 / DTM*151
  std::vector<RemitAdjustment> adjustments;         // the line's CAS
  std::string line_control_number;                  // REF*6R, "" when not sent
  std::vector<RemitAmount> amounts;
  std::vector<RemitRemark> remarks;  // LQ
  Money AdjustmentTotal() const;
};

struct RemitClaim {      // 2100
  int64_t segment = 0;   // the CLP
  std::string claim_id;  // CLP01: the CLM01 we sent
  // CLP02: 1, 2, 3 processed as primary, secondary, tertiary; 4 denied; 19, 20, 21 the same
  // and forwarded; 22 reversal of a previous payment; 23 not our claim, forwarded; 25
  // predetermination pricing only.
  std::string status;
  Money charge;                                      // CLP03
  Money paid;                                        // CLP04
  Money patient_responsibility;                      // CLP05, zero when not sent
  std::string filing_indicator;                      // CLP06: MB Medicare Part B, MA Part A, 12 …
  std::string payer_claim_number;                    // CLP07
  std::vector<RemitAdjustment> adjustments;          // claim-level CAS
  std::string patient_id_qualifier;                  // NM1*QC NM108: MI member id, …
  std::string patient_id;                            // NM1*QC NM109
  std::optional<Date> statement_from, statement_to;  // DTM*232, DTM*233
  std::vector<RemitAmount> amounts;
  std::vector<RemitRemark> remarks;  // MOA03 … MOA07 (qualifier HE)
  std::vector<RemitServiceLine> lines;
  bool IsReversal() const { return status == "22"; }
  bool IsDenial() const { return status == "4"; }
  // Claim-level and line-level CAS amounts together.
  Money AdjustmentTotal() const;
};

struct ProviderAdjustment {  // one reason/amount pair of a PLB
  int64_t segment = 0;
  std::string provider_id;  // PLB01
  Date fiscal_period;       // PLB02
  std::string reason;       // PLB03-1: WO overpayment recovery, L6 interest, FB forward balance, …
  std::string reference;    // PLB03-2, "" when not sent: for WO, the claim recovered from
  Money amount;             // positive takes money from the provider
};

struct Remit835 {
  std::string handling_code;            // BPR01: C payment with advice, I advice only, H notification, …
  Money total;                          // BPR02, never negative
  char credit_debit = 'C';              // BPR03
  std::string payment_method;           // BPR04: ACH, CHK, NON, BOP, FWT
  Date payment_date;                    // BPR16
  std::string trace_number;             // TRN02: check or EFT trace
  std::string payer_trace_id;           // TRN03: "1" + the payer's EIN, …
  std::optional<Date> production_date;  // DTM*405
  std::string payer_name;               // N1*PR N102
  std::string payer_id;                 // REF*2U, or N1*PR N104
  std::string payee_name;               // N1*PE N102
  std::string payee_id_qualifier, payee_id;  // N1*PE N103 (XX NPI, FI TIN), N104
  std::vector<RemitClaim> claims;
  std::vector<ProviderAdjustment> provider_adjustments;
};

// Reads one 835 transaction (KindOf says k835), balancing checked.
Result<Remit835> Read835(const X12Transaction& tx);

}  // namespace otp
