// The 999 implementation acknowledgment (005010X231A1) as a plain struct: which functional
// group (AK1: GS01 and GS06 of the 837 it answers) and which transactions (AK2: ST01, ST02)
// were accepted or rejected, with the segment (IK3) and element (IK4) errors found.
//
// Read999 is pure. Segment order is checked: AK1 first; each AK2 loop holds IK3 loops (each
// with its CTX and IK4 segments, IK4 with its CTX) and ends with one IK5; AK9 last. Codes are
// checked against the guide's lists (IK5: A E M R W X; AK9: A E M P R W X). AK9's counts must be
// whole numbers with accepted <= received (received may exceed included when the 837's GE01 was
// wrong); when every received transaction has an AK2, the accepted count must equal the AK2s
// accepted (IK5 A or E). Errors are Status messages "segment N (ID): reason" as in
// x12_reader.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "input/x12_reader.h"
#include "model/status.h"

namespace otp {

// CTX: the business context of an error, e.g. CLM01 and the claim id it names.
struct Ack999Context {
  std::string name;       // CTX01-1: "CLM01", "SITUATIONAL TRIGGER"
  std::string reference;  // CTX01-2: the value of that element (a claim id for CLM01)
};

struct Ack999ElementError {       // IK4
  int64_t position = 0;           // IK401-1: element position in the segment
  int64_t component = 0;          // IK401-2, 0 when not sent
  int64_t repetition = 0;         // IK401-3, 0 when not sent
  std::string element_reference;  // IK402: data element reference number, "" when not sent
  std::string error_code;         // IK403
  std::string bad_value;          // IK404: a copy of the bad element; may hold PHI, never log it
  std::vector<Ack999Context> contexts;
};

struct Ack999SegmentError {  // IK3
  std::string segment_id;    // IK301
  int64_t position = 0;      // IK302: position in the acknowledged transaction, ST = 1
  std::string loop_id;       // IK303, "" when not sent
  std::string error_code;    // IK304, "" when not sent
  std::vector<Ack999Context> contexts;
  std::vector<Ack999ElementError> elements;
};

struct Ack999Transaction {     // one AK2 loop
  std::string transaction_id;  // AK201: "837"
  std::string control;         // AK202: the ST02 acknowledged
  std::string version;         // AK203, "" when not sent
  // IK501: A accepted, E accepted with errors noted, M rejected (message authentication code),
  // R rejected, W rejected (assurance failed validity tests), X rejected (cannot be analysed).
  char status = 'R';
  std::vector<std::string> error_codes;  // IK502 … IK506
  std::vector<Ack999SegmentError> errors;
  bool Accepted() const { return status == 'A' || status == 'E'; }
};

struct Ack999 {
  std::string functional_id;  // AK101: "HC" for an 837
  std::string group_control;  // AK102: the GS06 acknowledged
  std::string version;        // AK103, "" when not sent
  std::vector<Ack999Transaction> transactions;
  char group_status = 'R';                     // AK901: A, E, M, P (partially accepted), R, W, X
  int64_t included = 0;                        // AK902: transaction sets in the acknowledged group
  int64_t received = 0;                        // AK903
  int64_t accepted = 0;                        // AK904
  std::vector<std::string> group_error_codes;  // AK905 … AK909
  bool GroupAccepted() const { return group_status == 'A' || group_status == 'E'; }
};

// Reads one 999 transaction (KindOf says k999).
Result<Ack999> Read999(const X12Transaction& tx);

}  // namespace otp
