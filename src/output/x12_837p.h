// The ANSI X12 837P (005010X222A1) writer: one interchange (ISA/GS/ST … SE/GE/IEA) holding
// one facility's Medicare Part B claims for one receiver. It only formats: billing has already
// decided codes, units, charges and which claims exist (CL-1 … CL-5); this file turns them into
// segments. Layout choices (terminator, money format, rendering provider) are listed below and
// in templates/837p.md.
//
// Format choices:
// - Separators: element `*`, component `:`, repetition `^`, segment `~` followed by a newline
//   (readable; every parser we target skips whitespace between segments).
// - Money is printed as X12 type R without trailing zeros: 300, 299.4, 277.29.
// - Every data value goes through X12Safe (separators and unprintable characters removed,
//   upper case) and is cut to the element's maximum length.
// - Rendering provider: a line's practitioner_npi is resolved against Facility::practitioners.
//   The claim's 2310B is the listed practitioner who renders most of its lines (ties: the first
//   to appear). A line whose rendering provider differs from 2310B gets its own 2420A: another
//   listed practitioner as a person (NM1*82*1), or — when the line's NPI is missing or not
//   listed — the billing facility itself (NM1*82*2), so that no line is silently attributed to
//   a practitioner who did not render it. A claim with no listed practitioner has no 2310B: the
//   billing provider renders.
#pragma once

#include <cstdint>
#include <ctime>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/claim.h"
#include "model/types.h"

namespace otp {

// Control numbers, assigned by the ledger so that they never repeat for a trading partner.
struct InterchangeIds {
  int64_t interchange_control = 0;  // ISA13 and IEA02, 1…999999999, printed as 9 digits
  int64_t group_control = 0;        // GS06 and GE02, 1…999999999
  // BHT03, which a 277CA names the 837 by: ISA13 as 9 digits (one transaction per interchange,
  // so it is unique per transaction as the interchange control number is).
  std::string Reference() const;
  static constexpr const char* kTransactionControl = "0001";  // ST02 and SE02: one transaction
};

// Finds a patient by (facility id, patient id); nullptr when unknown.
using PatientLookup =
    std::function<const Patient*(const std::string& facility_id, const std::string& patient_id)>;

// Makes a value safe to place in an X12 element: each of the separators * ~ : ^ and every
// control character (CR, LF, TAB, …) becomes a space; accented Latin-1 letters written in UTF-8
// become their base letter (É → E, ß → SS); any other non-ASCII character is dropped; runs of
// spaces collapse to one; the result is trimmed and upper-cased.
std::string X12Safe(std::string_view value);

// An X12 amount (type R): "300", "299.4", "277.29", "-5.1".
std::string X12Amount(Money amount);

// Writes the interchange for `claims`, which must all belong to `facility`. Claims are grouped
// by patient (2000B) in order of first appearance, claims keep their given order. `now` (UTC)
// fills ISA09/ISA10, GS04/GS05 and BHT04/BHT05.
//
// Preconditions — a breach is a bug in the caller, reported by std::invalid_argument: at least
// one claim; each claim has 1…50 lines with at most 4 modifiers each and belongs to `facility`;
// each patient is found by `patients`; control numbers are within 1…999999999.
std::string Write837P(const Config& config, const Facility& facility, const std::vector<Claim>& claims,
                      const PatientLookup& patients, const InterchangeIds& ids, std::time_t now);

}  // namespace otp
