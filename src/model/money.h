// Money: whole cents in a 64-bit integer, so sums are exact; rates and charges are parsed
// from decimal text and printed back with two decimals, never through floating point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otp {

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money Cents(int64_t c) { Money m; m.cents_ = c; return m; }
  // "277.29", "300", "0.5": at most two decimals, optional leading '-'.
  static std::optional<Money> Parse(std::string_view text);

  constexpr int64_t cents() const { return cents_; }
  std::string ToString() const;  // "277.29", "-1.05"
  double ToDouble() const { return static_cast<double>(cents_) / 100.0; }

  constexpr Money operator+(Money o) const { return Cents(cents_ + o.cents_); }
  constexpr Money operator-(Money o) const { return Cents(cents_ - o.cents_); }
  constexpr Money operator*(int64_t n) const { return Cents(cents_ * n); }
  Money& operator+=(Money o) { cents_ += o.cents_; return *this; }
  constexpr auto operator<=>(const Money&) const = default;

 private:
  int64_t cents_ = 0;
};

// A factor with exactly three decimals (a geographic adjustment factor such as 1.095),
// held as thousandths so that amount × factor rounds half-up exactly.
struct Factor {
  int64_t thousandths = 1000;
  static std::optional<Factor> Parse(std::string_view text);
  std::string ToString() const;
};

// amount × factor, rounded half-up to the cent (CL-5).
Money Scale(Money amount, Factor factor);

}  // namespace otp
