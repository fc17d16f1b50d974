// Quantities of services.csv (interface.md §1.3) and their plausible bounds (billing-rules.md
// SC-6). A quantity is read as an exact decimal in millionths, never through a double parse, so
// "1e10", "NaN" or a 15-digit number can neither be mistaken for a number nor overflow. The
// bounds are data (codes/limits.xml, codes/services.xml): RuleBook builds a QuantityBounds and
// the night hands it to the records reader, so input/ needs nothing of rules/.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/service.h"

namespace otp {

// What the mechanism can hold: 9 integer digits and 6 decimals in millionths stay far inside
// int64 (10^15 < 9.2 × 10^18). codes/limits.xml sets the digits a quantity may have within these.
inline constexpr int kQuantityMaxIntegerDigits = 9;
inline constexpr int kQuantityMaxDecimals = 6;
inline constexpr int64_t kMicrosPerUnit = 1'000'000;

enum class DecimalProblem {
  kNone,
  kEmpty,
  kNegative,         // "-5"
  kSign,             // "+5"
  kExponent,         // "1e10", "1E3"
  kNotANumber,       // "NaN", "inf", "12a", "1.2.3", ".", " 5" (anything but digits and one '.')
  kTooManyDigits,    // more integer digits than allowed
  kTooManyDecimals,  // more decimals than allowed
};

struct DecimalRead {
  DecimalProblem problem = DecimalProblem::kNone;
  int64_t micros = 0;      // the value in millionths when problem == kNone
  size_t integer_digits = 0;  // as written, leading zeros included
  size_t decimals = 0;
};

// Reads a non-negative decimal: ASCII digits with at most one '.', at least one digit ("80",
// "12.5", ".5", "5."). No sign, no exponent, no spaces. `max_integer_digits` and `max_decimals`
// are capped at kQuantityMaxIntegerDigits and kQuantityMaxDecimals.
DecimalRead ReadDecimal(std::string_view text, size_t max_integer_digits, size_t max_decimals);

// "1440", "0.4", "12.5": millionths back to the shortest decimal text.
std::string MicrosText(int64_t micros);

// The bound of one service word's quantity: a <quantity-limit> of codes/limits.xml.
struct QuantityBound {
  std::string limit_id;  // "quantity.minutes"
  std::string unit;      // "minutes", "days", "mg" or "count"
  int64_t min_micros = 0, max_micros = 0;  // inclusive
};

// Everything the records reader needs to check a quantity. Default-constructed it accepts no
// quantity at all (0 digits allowed): a reader is never left unbounded by accident.
struct QuantityBounds {
  size_t max_integer_digits = 0;  // limits.xml quantity.max_integer_digits
  size_t max_decimals = 0;        // limits.xml quantity.max_decimals
  std::array<QuantityBound, kServiceCount> by_service{};
  const QuantityBound& Of(Service s) const { return by_service[static_cast<size_t>(s)]; }
};

}  // namespace otp
