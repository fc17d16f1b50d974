// Patients admitted before the ledger's records begin are judged only on what we can see.
#include <gtest/gtest.h>

#include "compliance/helpers.h"

namespace otp::testing {
namespace {

std::vector<Finding> CheckSince(const Patient& p, const Rows& rows, const char* as_of, const char* since,
                                const std::string& rule) {
  return Of(CheckPatient(OpenFacility(), p, rows.Ptrs(), D(as_of), Rules(), D(since)), rule);
}

TEST(RecordsHorizon, PA1_PA2_NotJudgedForAdmissionsBeforeRecordsBegin) {
  Rows rows;
  rows.Add("2026-09-05", Service::kMethadoneDose, 60);
  EXPECT_FALSE(Check(Pat("2026-03-01"), rows, "2026-11-10", "PA-1").empty());  // without a horizon
  EXPECT_TRUE(CheckSince(Pat("2026-03-01"), rows, "2026-11-10", "2026-09-01", "PA-1").empty());
  EXPECT_TRUE(CheckSince(Pat("2026-03-01"), rows, "2026-11-10", "2026-09-01", "PA-2").empty());
  // Admitted after the records begin: judged as usual.
  EXPECT_EQ(CheckSince(Pat("2026-09-03"), rows, "2026-11-10", "2026-09-01", "PA-1").size(), 1u);
}

TEST(RecordsHorizon, PA6_FirstDoseInRecordsIsNotTheFirstDayOfTreatment) {
  Rows rows;
  rows.Add("2026-09-01", Service::kMethadoneDose, 90);
  EXPECT_TRUE(CheckSince(Pat("2026-03-01"), rows, "2026-11-10", "2026-09-01", "PA-6").empty());
  EXPECT_EQ(CheckSince(Pat("2026-09-01"), rows, "2026-11-10", "2026-09-01", "PA-6").size(), 1u);
}

TEST(RecordsHorizon, PA4_ProratesFromTheFirstDayOfRecords) {
  Rows rows;  // records from 2026-09-01: 71 days to 2026-11-10 → floor(8 × 71 / 365) = 1 test required
  rows.Add("2026-09-20", Service::kToxicologyTest);
  EXPECT_TRUE(CheckSince(Pat("2025-01-01"), rows, "2026-11-10", "2026-09-01", "PA-4").empty());
  Rows none;
  auto f = CheckSince(Pat("2025-01-01"), none, "2026-11-10", "2026-09-01", "PA-4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].detail.find("since records began 2026-09-01"), std::string::npos) << f[0].detail;
}

TEST(RecordsHorizon, PA4_WithdrawalAndInterimAdmittedBeforeRecordsAreNotJudged) {
  // Their initial test and interim treatment's first days lie before the records.
  Rows none;
  EXPECT_TRUE(CheckSince(Pat("2026-08-20", Program::kWithdrawal), none, "2026-11-10", "2026-09-01", "PA-4").empty());
  EXPECT_TRUE(CheckSince(Pat("2026-03-01", Program::kInterim), none, "2026-11-10", "2026-09-01", "PA-4").empty());
  EXPECT_EQ(CheckSince(Pat("2026-09-01", Program::kWithdrawal), none, "2026-11-10", "2026-09-01", "PA-4").size(),
            1u);
}

TEST(RecordsHorizon, PA3_ReviewDueNinetyDaysAfterRecordsBegin) {
  Rows rows;
  EXPECT_TRUE(CheckSince(Pat("2025-01-01"), rows, "2026-11-30", "2026-09-01", "PA-3").empty());  // day 91
  auto f = CheckSince(Pat("2025-01-01"), rows, "2026-12-01", "2026-09-01", "PA-3");              // day 92
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].date, D("2026-11-30"));
  Rows reviewed;
  reviewed.Add("2026-10-15", Service::kCarePlan);
  EXPECT_TRUE(CheckSince(Pat("2025-01-01"), reviewed, "2026-12-01", "2026-09-01", "PA-3").empty());
}

TEST(RecordsHorizon, PA8_WaitsForAFullLookback) {
  Rows rows;
  EXPECT_TRUE(CheckSince(Pat("2025-01-01"), rows, "2026-09-20", "2026-09-01", "PA-8").empty());
  EXPECT_EQ(CheckSince(Pat("2025-01-01"), rows, "2026-10-15", "2026-09-01", "PA-8").size(), 1u);
}

}  // namespace
}  // namespace otp::testing
