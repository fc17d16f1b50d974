// Exact decimal reading for SC-6 quantities.
#include "model/quantity.h"

#include <algorithm>

namespace otp {

DecimalRead ReadDecimal(std::string_view s, size_t max_integer_digits, size_t max_decimals) {
  DecimalRead out;
  max_integer_digits = std::min<size_t>(max_integer_digits, kQuantityMaxIntegerDigits);
  max_decimals = std::min<size_t>(max_decimals, kQuantityMaxDecimals);
  if (s.empty()) { out.problem = DecimalProblem::kEmpty; return out; }
  if (s.front() == '-') { out.problem = DecimalProblem::kNegative; return out; }
  if (s.front() == '+') { out.problem = DecimalProblem::kSign; return out; }
  // One pass over the whole text: what it is made of decides the reason before any value is
  // formed, so a 10 MB field costs one scan and no number is ever built from too many digits.
  bool dot = false, exponent = false, sign = false, other = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      ++(dot ? out.decimals : out.integer_digits);
    } else if (c == '.' && !dot) {
      dot = true;
    } else if (c == 'e' || c == 'E') {
      exponent = true;
    } else if (c == '+' || c == '-') {
      sign = true;  // only an exponent's sign could explain it ("1e+10")
    } else {
      other = true;
    }
  }
  if (out.integer_digits + out.decimals == 0 || other || (sign && !exponent)) {
    out.problem = DecimalProblem::kNotANumber;
  } else if (exponent) {
    out.problem = DecimalProblem::kExponent;
  } else if (out.integer_digits > max_integer_digits) {
    out.problem = DecimalProblem::kTooManyDigits;
  } else if (out.decimals > max_decimals) {
    out.problem = DecimalProblem::kTooManyDecimals;
  }
  if (out.problem != DecimalProblem::kNone) return out;
  int64_t whole = 0, frac = 0;
  size_t frac_digits = 0;
  bool after = false;
  for (char c : s) {
    if (c == '.') { after = true; continue; }
    if (after) { frac = frac * 10 + (c - '0'); ++frac_digits; }
    else whole = whole * 10 + (c - '0');
  }
  for (; frac_digits < static_cast<size_t>(kQuantityMaxDecimals); ++frac_digits) frac *= 10;
  out.micros = whole * kMicrosPerUnit + frac;
  return out;
}

std::string MicrosText(int64_t micros) {
  std::string s = micros < 0 ? "-" : "";
  uint64_t m = micros < 0 ? 0 - static_cast<uint64_t>(micros) : static_cast<uint64_t>(micros);
  s += std::to_string(m / kMicrosPerUnit);
  uint64_t frac = m % kMicrosPerUnit;
  if (frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, static_cast<size_t>(kQuantityMaxDecimals) - f.size(), '0');
    while (f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s;
}

}  // namespace otp
