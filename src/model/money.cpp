// Exact decimal parsing, printing and scaling for Money and Factor.
#include "model/money.h"

#include <cstdio>

namespace otp {
namespace {
// Parses [-]digits[.digits] with at most `scale` decimals into an integer scaled by 10^scale.
std::optional<int64_t> ParseScaled(std::string_view t, int scale) {
  if (t.empty()) return std::nullopt;
  bool neg = false;
  if (t[0] == '-') { neg = true; t.remove_prefix(1); }
  if (t.empty()) return std::nullopt;
  int64_t whole = 0, frac = 0;
  int frac_digits = 0;
  bool seen_dot = false, seen_digit = false;
  for (char c : t) {
    if (c == '.') {
      if (seen_dot) return std::nullopt;
      seen_dot = true;
    } else if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (seen_dot) {
        if (++frac_digits > scale) return std::nullopt;
        frac = frac * 10 + (c - '0');
      } else {
        if (whole > 1'000'000'000'000LL) return std::nullopt;
        whole = whole * 10 + (c - '0');
      }
    } else {
      return std::nullopt;
    }
  }
  if (!seen_digit) return std::nullopt;
  for (int i = frac_digits; i < scale; ++i) frac *= 10;
  int64_t mult = 1;
  for (int i = 0; i < scale; ++i) mult *= 10;
  int64_t v = whole * mult + frac;
  return neg ? -v : v;
}
}  // namespace

std::optional<Money> Money::Parse(std::string_view text) {
  auto v = ParseScaled(text, 2);
  if (!v) return std::nullopt;
  return Cents(*v);
}

std::string Money::ToString() const {
  int64_t a = cents_ < 0 ? -cents_ : cents_;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", cents_ < 0 ? "-" : "",
                static_cast<long long>(a / 100), static_cast<long long>(a % 100));
  return buf;
}

std::optional<Factor> Factor::Parse(std::string_view text) {
  auto v = ParseScaled(text, 3);
  if (!v || *v <= 0) return std::nullopt;
  return Factor{*v};
}

std::string Factor::ToString() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(thousandths / 1000),
                static_cast<long long>(thousandths % 1000));
  return buf;
}

Money Scale(Money amount, Factor factor) {
  // cents × thousandths / 1000, half-up (away from zero for the non-negative amounts we bill).
  int64_t p = amount.cents() * factor.thousandths;
  int64_t q = p >= 0 ? (p + 500) / 1000 : -((-p + 500) / 1000);
  return Money::Cents(q);
}

}  // namespace otp
