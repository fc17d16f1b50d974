// Element readers shared by the X12 transaction readers (ack_999, claim_status_277ca,
// remit_835); internal to src/input. Each returns a Status naming the segment's ordinal and
// id, the element (CLP03, SVC01-2) and the reason. A refused value is never quoted, not even a
// code: when elements shift, a name or a member id lands where a code belongs. Callers quote
// only control numbers and claim ids.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "input/x12_reader.h"
#include "model/date.h"
#include "model/money.h"
#include "model/status.h"

namespace otp::x12 {

// Returns from the enclosing function when `expr` (a Status) is not ok.
#define OTP_X12_TRY(expr)                      \
  do {                                         \
    ::otp::Status otp_x12_st_ = (expr);        \
    if (!otp_x12_st_.ok()) return otp_x12_st_; \
  } while (0)

// "segment 12 (CLP): reason".
Status Fail(const X12Segment& s, std::string_view reason);
// The same for a segment known by its ordinal and id only.
Status FailAt(int64_t ordinal, std::string_view id, std::string_view reason);
// A claim id for a message: itself when it is printable ASCII, else a placeholder (a claim id
// is an element like any other and may hold a control-character separator).
std::string Printable(std::string_view id);
// "CLP03", "SVC01-2".
std::string Ref(const X12Segment& s, size_t n);
std::string Ref(const X12Segment& s, size_t n, size_t c);

// An X12 amount (type R) in cents, exactly: optional '-', digits, optional '.' and decimals;
// decimals past the cent must be zeros ("125.000"). nullopt otherwise.
std::optional<Money> ParseAmount(std::string_view text);
// CCYYMMDD as a real calendar date in 1900…9999 (the range Date::Parse reads).
std::optional<Date> ParseD8(std::string_view text);

// A whole non-negative number of at most 18 digits; nullopt otherwise.
std::optional<int64_t> ParseCount(std::string_view text);

// Element n must be present: copies it to `out`.
Status Need(const X12Segment& s, size_t n, std::string& out);
// Element n must be one of `codes` (the message lists them, not the value found).
Status NeedCode(const X12Segment& s, size_t n, std::initializer_list<std::string_view> codes,
                std::string& out);
Status NeedAmount(const X12Segment& s, size_t n, Money& out);
Status OptAmount(const X12Segment& s, size_t n, std::optional<Money>& out);
Status NeedDate(const X12Segment& s, size_t n, Date& out);
Status OptDate(const X12Segment& s, size_t n, std::optional<Date>& out);
// A required date kept in an optional field (a DTM or DTP that may or may not be sent).
Status NeedDate(const X12Segment& s, size_t n, std::optional<Date>& out);
// Element n is a whole non-negative number (at most 18 digits).
Status NeedCount(const X12Segment& s, size_t n, int64_t& out);
Status OptQuantity(const X12Segment& s, size_t n, std::optional<X12Quantity>& out);
// A DTP/DTM period: element `format` is D8 (one date: from = to) or RD8 (CCYYMMDD-CCYYMMDD,
// from <= to); element `value` holds it.
Status DateOrRange(const X12Segment& s, size_t format, size_t value, Date& from, Date& to);
// A composite procedure (SVC01, SVC06): a known qualifier, a code, modifiers of two characters.
Status ReadProcedure(const X12Segment& s, size_t n, X12Procedure& out);

}  // namespace otp::x12
