// ReadDecimal and MicrosText: the exact decimals SC-6 reads quantities and bounds with.
#include "model/quantity.h"

#include <gtest/gtest.h>

#include <string>

namespace otp {
namespace {

DecimalRead R(const std::string& s, size_t digits = 6, size_t decimals = 3) { return ReadDecimal(s, digits, decimals); }

TEST(Quantity, PlainDecimalsAreExactMillionths) {
  EXPECT_EQ(R("80").micros, 80'000'000);
  EXPECT_EQ(R("12.5").micros, 12'500'000);
  EXPECT_EQ(R(".5").micros, 500'000);
  EXPECT_EQ(R("5.").micros, 5'000'000);
  EXPECT_EQ(R("0.001").micros, 1'000);
  EXPECT_EQ(R("000080").micros, 80'000'000);
  EXPECT_EQ(R("999999.999").micros, 999'999'999'000);
  EXPECT_EQ(R("123456789.123456", 9, 6).micros, 123'456'789'123'456);
  EXPECT_EQ(R("80").integer_digits, 2u);
  EXPECT_EQ(R("80.25").decimals, 2u);
}

TEST(Quantity, EachProblem) {
  EXPECT_EQ(R("").problem, DecimalProblem::kEmpty);
  EXPECT_EQ(R("-1").problem, DecimalProblem::kNegative);
  EXPECT_EQ(R("+1").problem, DecimalProblem::kSign);
  EXPECT_EQ(R("1e3").problem, DecimalProblem::kExponent);
  EXPECT_EQ(R("1E+3").problem, DecimalProblem::kExponent);
  EXPECT_EQ(R("1.5e-2").problem, DecimalProblem::kExponent);
  for (const char* s : {"NaN", "inf", "1.2.3", ".", "e", "1 2", "0x1", "1-2", "1,5", "\xD9\xA3"})
    EXPECT_EQ(R(s).problem, DecimalProblem::kNotANumber) << s;
  EXPECT_EQ(R("1234567").problem, DecimalProblem::kTooManyDigits);
  EXPECT_EQ(R("1234567").integer_digits, 7u);
  EXPECT_EQ(R("1.2345").problem, DecimalProblem::kTooManyDecimals);
  EXPECT_EQ(R("1.2345").decimals, 4u);
  EXPECT_EQ(R(std::string(100000, '9')).problem, DecimalProblem::kTooManyDigits);
}

TEST(Quantity, TheMechanismCapsTheLimits) {
  // Asked for more than it can hold, it holds 9 integer digits and 6 decimals: never overflows.
  EXPECT_EQ(R("1234567890", 50, 50).problem, DecimalProblem::kTooManyDigits);
  EXPECT_EQ(R("1.1234567", 50, 50).problem, DecimalProblem::kTooManyDecimals);
  EXPECT_EQ(R("999999999.999999", 50, 50).micros, 999'999'999'999'999);
}

TEST(Quantity, MicrosText) {
  EXPECT_EQ(MicrosText(1'440'000'000), "1440");
  EXPECT_EQ(MicrosText(400'000), "0.4");
  EXPECT_EQ(MicrosText(12'500'000), "12.5");
  EXPECT_EQ(MicrosText(1), "0.000001");
  EXPECT_EQ(MicrosText(0), "0");
  EXPECT_EQ(MicrosText(-1'500'000), "-1.5");
}

}  // namespace
}  // namespace otp
