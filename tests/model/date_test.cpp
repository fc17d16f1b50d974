// Date and Money: parsing real and unreal dates, calendar fields, exact money and GAF rounding.
#include "model/date.h"
#include "model/money.h"

#include <gtest/gtest.h>

namespace otp {

TEST(Date, ParsesRealDatesOnly) {
  EXPECT_TRUE(Date::Parse("2024-02-29"));
  EXPECT_FALSE(Date::Parse("2023-02-29"));
  EXPECT_FALSE(Date::Parse("2024-13-01"));
  EXPECT_FALSE(Date::Parse("2024-1-01"));
  EXPECT_FALSE(Date::Parse("20240101"));
  EXPECT_FALSE(Date::Parse(""));
  auto d = Date::Parse("2026-11-24");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->Iso(), "2026-11-24");
  EXPECT_EQ(d->Compact(), "20261124");
  EXPECT_EQ(d->weekday(), 2);  // a Tuesday
  EXPECT_EQ((*d + 7).Iso(), "2026-12-01");
  EXPECT_EQ(*Date::Parse("2025-01-01") - *Date::Parse("2024-01-01"), 366);
}

TEST(Date, PrintsEveryDayOfTheCalendarAsItParses) {
  // Every day from 1900-01-01 to 2100-12-31 (leap days, month and year ends): Iso() parses back
  // to the same day, Compact() is Iso() without its dashes, and the fields agree with both.
  const Date first = *Date::Parse("1900-01-01"), last = *Date::Parse("2100-12-31");
  int days = 0;
  for (Date d = first; d <= last; d = d + 1, ++days) {
    const std::string iso = d.Iso();
    ASSERT_EQ(iso.size(), 10u) << iso;
    ASSERT_EQ(Date::Parse(iso), d) << iso;
    ASSERT_EQ(d.Compact(), iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2));
    ASSERT_EQ(std::stoi(iso.substr(0, 4)), d.year());
    ASSERT_EQ(std::stoi(iso.substr(5, 2)), d.month());
    ASSERT_EQ(std::stoi(iso.substr(8, 2)), d.day());
  }
  EXPECT_EQ(days, 73414);  // 201 years, 49 of them leap (1900 and 2100 are not)
  EXPECT_EQ(Date::FromDays(0).Iso(), "1970-01-01");
  EXPECT_EQ(Date::Parse("9999-12-31")->Iso(), "9999-12-31");
  EXPECT_EQ(Date::Parse("2000-02-29")->Compact(), "20000229");
}

TEST(Money, ParsesAndPrintsExactly) {
  EXPECT_EQ(Money::Parse("277.29")->cents(), 27729);
  EXPECT_EQ(Money::Parse("300")->cents(), 30000);
  EXPECT_EQ(Money::Parse("0.5")->cents(), 50);
  EXPECT_FALSE(Money::Parse("1.234"));
  EXPECT_FALSE(Money::Parse("abc"));
  EXPECT_EQ(Money::Cents(-105).ToString(), "-1.05");
  EXPECT_EQ(Money::Cents(27729).ToString(), "277.29");
}

TEST(Money, CL5_ScalesHalfUpToTheCent) {
  // 232.88 × 1.095 = 255.0036 → 255.00
  EXPECT_EQ(Scale(*Money::Parse("232.88"), *Factor::Parse("1.095")).ToString(), "255.00");
  // 0.50 × 1.001 = 0.5005 → 0.50 ; 1.50 × 1.001 = 1.5015 → 1.50; 0.05 × 1.100 = 0.055 → 0.06 (half-up)
  EXPECT_EQ(Scale(*Money::Parse("0.05"), *Factor::Parse("1.1")).ToString(), "0.06");
  EXPECT_EQ(Factor::Parse("1.095")->ToString(), "1.095");
  EXPECT_FALSE(Factor::Parse("1.0951"));
}

}  // namespace otp
