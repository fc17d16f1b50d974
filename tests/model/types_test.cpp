// The program and payer words of patients.csv (interface.md §1.2): each name reads back as its
// value, and nothing else is taken, the empty field included.
#include "model/types.h"

#include <gtest/gtest.h>

namespace otp {

TEST(ProgramWords, EveryNameReadsBack) {
  for (Program p : {Program::kMaintenance, Program::kWithdrawal, Program::kInterim}) {
    auto back = ParseProgram(ProgramName(p));
    ASSERT_TRUE(back) << ProgramName(p);
    EXPECT_EQ(*back, p);
  }
  EXPECT_EQ(ParseProgram("interim"), Program::kInterim);
}

TEST(ProgramWords, OnlyTheContractWords) {
  for (const char* bad : {"", "Maintenance", "maintenance ", "methadone", "detox"})
    EXPECT_FALSE(ParseProgram(bad)) << '"' << bad << '"';
}

TEST(PayerWords, EveryNameReadsBack) {
  for (Payer p : {Payer::kMedicare, Payer::kMedicareAdvantage, Payer::kMedicaid, Payer::kCommercial, Payer::kSelf}) {
    auto back = ParsePayer(PayerName(p));
    ASSERT_TRUE(back) << PayerName(p);
    EXPECT_EQ(*back, p);
  }
  EXPECT_EQ(ParsePayer("medicare_advantage"), Payer::kMedicareAdvantage);
}

TEST(PayerWords, OnlyTheContractWords) {
  for (const char* bad : {"", "Medicare", "medicare-advantage", "medicare advantage", "mcr", "selfpay"})
    EXPECT_FALSE(ParsePayer(bad)) << '"' << bad << '"';
}

}  // namespace otp
