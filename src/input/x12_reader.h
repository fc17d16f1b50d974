// X12 reader for the files that come back after an 837P: 999, 277CA and 835 interchanges.
// This layer only tokenizes and checks envelopes; ack_999.h, claim_status_277ca.h and
// remit_835.h turn one transaction into a plain struct.
//
// Contract of ReadX12:
// - Separators are taken from each ISA, which is fixed-width (106 characters with its
//   terminator, ISA01…ISA16 at their fixed widths): the element separator is byte 3, the
//   repetition separator ISA11, the component separator ISA16 and the segment terminator the
//   byte after ISA16. Only ISA12 00501 (version 5010) is read.
// - A file may hold several interchanges, each with its own separators. Whitespace (space, tab,
//   CR, LF) before a segment and a UTF-8 BOM at the start are skipped; when the terminator is LF,
//   a CR before it is dropped.
// - Envelopes are checked in full: ISA/GS/ST … SE/GE/IEA in order; SE01 counts ST through SE;
//   SE02 = ST02, GE01 = number of ST, GE02 = GS06, IEA01 = number of GS, IEA02 = ISA13.
// - An error is an InvalidArgument Status "segment N (ID): reason", N being the 1-based
//   ordinal of the segment in the file (the first ISA is 1). Messages name elements (SE01) and
//   control numbers, never other values: these files carry patients' names and ids.
// - All or nothing: a file with any error yields no interchange at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/date.h"
#include "model/status.h"

namespace otp {

struct X12Separators {
  char element = '*';
  char component = ':';
  char repetition = '^';
  char segment = '~';
};

// One segment as sent: its id and its elements (5010 has no release character).
struct X12Segment {
  int64_t ordinal = 0;                // 1-based position in the file
  std::string id;                     // "CLP"
  std::vector<std::string> elements;  // elements[0] is element 01 (CLP01)
  char component = ':';               // the interchange's component separator

  // Element n, 1-based as in CLP03; "" when the segment has fewer elements.
  std::string_view Element(size_t n) const;
  // Component c of element n, both 1-based as in SVC01-2; "" when absent.
  std::string_view Component(size_t n, size_t c) const;
  // The components of element n; empty when the element is empty or absent.
  std::vector<std::string_view> Components(size_t n) const;
};

struct X12Transaction {
  std::string id;       // ST01: "999", "277", "835"
  std::string control;  // ST02 (= SE02)
  std::string version;  // ST03, "" when not sent
  int64_t st_ordinal = 0;
  std::vector<X12Segment> segments;  // the segments between ST and SE
};

struct X12Group {
  std::string functional_id;  // GS01: FA, HN, HP …
  std::string sender;         // GS02
  std::string receiver;       // GS03
  std::string control;        // GS06 (= GE02)
  std::string version;        // GS08: 005010X221A1 …
  std::optional<Date> date;    // GS04 when it is a real CCYYMMDD date (not checked here)
  int64_t gs_ordinal = 0;
  std::vector<X12Transaction> transactions;
};

struct X12Interchange {
  X12Separators separators;
  std::string sender_qualifier, sender_id;      // ISA05, ISA06 without the padding
  std::string receiver_qualifier, receiver_id;  // ISA07, ISA08 without the padding
  std::string control;                          // ISA13 (= IEA02), nine digits
  char usage = 'P';                             // ISA15: P production, T test
  int64_t isa_ordinal = 0;
  std::vector<X12Group> groups;
};

// Reads every interchange of a file; see the contract above.
Result<std::vector<X12Interchange>> ReadX12(std::string_view bytes);

// The transactions otpbatch reads back.
enum class X12Kind {
  k999,    // implementation acknowledgment, GS01 FA, ST01 999, 005010X231A1
  k277CA,  // claim acknowledgment, GS01 HN, ST01 277, 005010X214
  k835,    // claim payment/advice, GS01 HP, ST01 835, 005010X221A1
};
std::string_view KindName(X12Kind kind);  // "999", "277CA", "835"

// The kind of one transaction from its group's GS01 and its ST01, and the version (ST03, or
// GS08 when ST03 is not sent; ST03 must equal GS08 when both are). Anything else, an 837 or a
// 277 that is not 005010X214 for example, is refused naming the ST segment.
Result<X12Kind> KindOf(const X12Group& group, const X12Transaction& tx);

// The one kind of every transaction in a file; refused when the file holds no transaction,
// an unknown one, or transactions of two kinds.
Result<X12Kind> DetectKind(const std::vector<X12Interchange>& file);

// Where a transaction sits in the file it came from: the sender's own control numbers, which
// identify the file to the ledger (not the numbers of the 837 it answers).
struct X12Origin {
  std::string interchange_control;  // ISA13
  std::string group_control;        // GS06
  std::string transaction_control;  // ST02
  std::string sender_id;            // ISA06
  std::string receiver_id;          // ISA08
  char usage = 'P';                 // ISA15
  std::optional<Date> group_date;   // GS04, when a real date
  int64_t st_ordinal = 0;
};
X12Origin OriginOf(const X12Interchange& isa, const X12Group& gs, const X12Transaction& st);

// A composite medical procedure (SVC01, SVC06): qualifier HC (HCPCS/CPT) and others, the
// code, up to four modifiers.
struct X12Procedure {
  std::string qualifier;               // SVC01-1: HC, AD, ER, HP, IV, N4, N6, NU, UI, WK
  std::string code;                    // SVC01-2
  std::vector<std::string> modifiers;  // SVC01-3 … SVC01-6, two characters each
  bool operator==(const X12Procedure&) const = default;
};

// A decimal count (units of service, adjustment quantities) in thousandths, exact.
struct X12Quantity {
  int64_t thousandths = 0;
  // X12 type R: "1", "1.00", "0.5", "-2"; at most three decimals other than trailing zeros.
  static std::optional<X12Quantity> Parse(std::string_view text);
  bool IsWhole() const { return thousandths % 1000 == 0; }
  int64_t Whole() const { return thousandths / 1000; }  // meaningful when IsWhole()
  bool operator==(const X12Quantity&) const = default;
};

}  // namespace otp
