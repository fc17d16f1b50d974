// PA-1..PA-8 on hand-made patients, with the day-counting edges of compliance-rules.md.
#include <gtest/gtest.h>

#include "compliance/helpers.h"

namespace otp::testing {
namespace {

// ---- PA-1 -------------------------------------------------------------------------------------
// Admission 2026-09-03: "within 14 days following admission" runs to 09-03 + 14 = 09-17.
TEST(PhysicalExam, PA1_ExamOnAdmissionPlus13IsOnTime) {
  Rows rows;
  rows.Add("2026-09-16", Service::kPhysicalExam);
  EXPECT_TRUE(Check(Pat("2026-09-03"), rows, "2026-10-01", "PA-1").empty());
}

TEST(PhysicalExam, PA1_ExamOnAdmissionPlus14IsOnTime) {
  Rows rows;
  rows.Add("2026-09-17", Service::kPhysicalExam);
  EXPECT_TRUE(Check(Pat("2026-09-03"), rows, "2026-10-01", "PA-1").empty());
}

TEST(PhysicalExam, PA1_ExamOnAdmissionPlus15IsLate) {
  Rows rows;
  rows.Add("2026-09-18", Service::kPhysicalExam);
  auto f = Check(Pat("2026-09-03"), rows, "2026-10-01", "PA-1");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kViolation);
  EXPECT_EQ(f[0].date, D("2026-09-17"));
  EXPECT_EQ(f[0].citation, "42 CFR 8.12(f)(2)");
  EXPECT_EQ(f[0].facility_id, "HRC01");
  EXPECT_EQ(f[0].patient_id, "P1");
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-1|2026-09-17");
  EXPECT_EQ(f[0].detail,
            "no physical exam within 14 days following admission 2026-09-03 (due by 2026-09-17)");
}

TEST(PhysicalExam, PA1_NotDueBeforeAdmissionPlus15) {
  Rows none;
  EXPECT_TRUE(Check(Pat("2026-09-03"), none, "2026-09-16", "PA-1").empty());  // + 13
  EXPECT_TRUE(Check(Pat("2026-09-03"), none, "2026-09-17", "PA-1").empty());  // + 14: still open
  auto f = Check(Pat("2026-09-03"), none, "2026-09-18", "PA-1");              // + 15
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].date, D("2026-09-17"));
}

TEST(PhysicalExam, PA1_ExamBeforeAdmissionDoesNotCount) {
  Rows rows;
  rows.Add("2026-09-02", Service::kPhysicalExam);
  EXPECT_EQ(Check(Pat("2026-09-03"), rows, "2026-10-01", "PA-1").size(), 1u);
}

TEST(PhysicalExam, PA1_DischargedBeforeDeadlineIsNotChecked) {
  Rows none;
  EXPECT_TRUE(
      Check(Pat("2026-09-03", Program::kMaintenance, "2026-09-10"), none, "2026-10-01", "PA-1").empty());
  // Discharged on + 13, the day before the deadline: never due.
  EXPECT_TRUE(
      Check(Pat("2026-09-03", Program::kMaintenance, "2026-09-16"), none, "2026-10-01", "PA-1").empty());
  // Discharged on the deadline day itself: the exam was due.
  EXPECT_EQ(
      Check(Pat("2026-09-03", Program::kMaintenance, "2026-09-17"), none, "2026-10-01", "PA-1").size(),
      1u);
}

TEST(PhysicalExam, PA1_SameKeyOnLaterNights) {
  Rows none;
  auto a = Check(Pat("2026-09-03"), none, "2026-09-20", "PA-1");
  auto b = Check(Pat("2026-09-03"), none, "2026-12-20", "PA-1");
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].key, b[0].key);
}

// ---- PA-2 -------------------------------------------------------------------------------------
TEST(InitialAssessment, PA2_OneFindingPerMissingItem) {
  Rows none;
  auto f = Check(Pat("2026-09-03"), none, "2026-10-01", "PA-2");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-2|2026-09-17|psychosocial_assessment");
  EXPECT_EQ(f[1].key, "HRC01|P1|PA-2|2026-09-17|care_plan");
  EXPECT_EQ(f[0].citation, "42 CFR 8.12(f)(4)");
  EXPECT_EQ(f[1].detail,
            "no care plan within 14 days following admission 2026-09-03 (due by 2026-09-17)");
}

TEST(InitialAssessment, PA2_AdmissionPlus13And14OnTime) {
  Rows rows;
  rows.Add("2026-09-16", Service::kPsychosocialAssessment)  // + 13
      .Add("2026-09-17", Service::kCarePlan);               // + 14
  EXPECT_TRUE(Check(Pat("2026-09-03"), rows, "2026-10-01", "PA-2").empty());
}

TEST(InitialAssessment, PA2_AdmissionPlus15Late) {
  Rows rows;
  rows.Add("2026-09-17", Service::kPsychosocialAssessment)  // + 14
      .Add("2026-09-18", Service::kCarePlan);               // + 15
  auto f = Check(Pat("2026-09-03"), rows, "2026-10-01", "PA-2");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-2|2026-09-17|care_plan");
}

TEST(InitialAssessment, PA2_NotDueBeforeAdmissionPlus15) {
  Rows none;
  EXPECT_TRUE(Check(Pat("2026-09-03"), none, "2026-09-17", "PA-2").empty());
  EXPECT_EQ(Check(Pat("2026-09-03"), none, "2026-09-18", "PA-2").size(), 2u);
}

TEST(InitialAssessment, PA2_DischargedBeforeDeadlineIsNotChecked) {
  Rows none;
  EXPECT_TRUE(
      Check(Pat("2026-09-03", Program::kMaintenance, "2026-09-16"), none, "2026-10-01", "PA-2").empty());
  EXPECT_EQ(
      Check(Pat("2026-09-03", Program::kMaintenance, "2026-09-17"), none, "2026-10-01", "PA-2").size(),
      2u);
}

// ---- PA-3 -------------------------------------------------------------------------------------
TEST(CarePlanReview, PA3_ReviewAfter90DaysInTime91Late) {
  Rows rows;
  rows.Add("2026-01-01", Service::kCarePlan)
      .Add("2026-04-01", Service::kCarePlan)   // +90: in time
      .Add("2026-07-01", Service::kCarePlan);  // +91: late, due 2026-06-30
  auto f = Check(Pat("2026-01-01"), rows, "2026-07-10", "PA-3");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].date, D("2026-06-30"));
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-3|2026-06-30");
  EXPECT_EQ(f[0].detail,
            "care plan of 2026-04-01 not reviewed within 90 days (due by 2026-06-30; next review "
            "2026-07-01)");
}

TEST(CarePlanReview, PA3_GapFromLastPlanToAsOf) {
  Rows rows;
  rows.Add("2026-01-01", Service::kCarePlan);
  EXPECT_TRUE(Check(Pat("2026-01-01"), rows, "2026-04-01", "PA-3").empty());  // 90 days
  auto f = Check(Pat("2026-01-01"), rows, "2026-04-02", "PA-3");             // 91 days
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].date, D("2026-04-01"));
  // The late review arriving later keeps the same occurrence key.
  rows.Add("2026-04-05", Service::kCarePlan);
  auto g = Check(Pat("2026-01-01"), rows, "2026-04-06", "PA-3");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].key, f[0].key);
}

// ---- PA-4 -------------------------------------------------------------------------------------
TEST(DrugTests, PA4_ProratedAt100Days) {
  // Admission 2026-01-01; as_of 2026-04-10 is day 100 → floor(8 × 100 / 365) = 2 tests.
  Rows one;
  one.Add("2026-02-01", Service::kToxicologyTest);
  auto f = Check(Pat("2026-01-01"), one, "2026-04-10", "PA-4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kViolation);
  EXPECT_EQ(f[0].citation, "42 CFR 8.12(f)(6)");
  EXPECT_NE(f[0].detail.find("at least 2 required"), std::string::npos) << f[0].detail;
  EXPECT_NE(f[0].detail.find("1 toxicology test in 100 days"), std::string::npos) << f[0].detail;

  Rows two = one;
  two.Add("2026-03-01", Service::kToxicologyTest);
  EXPECT_TRUE(Check(Pat("2026-01-01"), two, "2026-04-10", "PA-4").empty());
}

TEST(DrugTests, PA4_ShortSinceFirstDayARequirementWasUnmet) {
  // No tests: 1 test is required from day 46 (floor(368/365) = 1; day 45: floor(360/365) = 0).
  Rows none;
  EXPECT_TRUE(Check(Pat("2026-01-01"), none, "2026-02-14", "PA-4").empty());  // day 45
  auto f = Check(Pat("2026-01-01"), none, "2026-04-10", "PA-4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].date, D("2026-02-15"));  // day 46
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-4|2026-02-15");
  // Still short a night later: the same occurrence.
  auto g = Check(Pat("2026-01-01"), none, "2026-04-11", "PA-4");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].key, f[0].key);
}

TEST(DrugTests, PA4_FullYearCountsTheLast365DaysAcrossFeb29) {
  // as_of 2024-03-15: the 365-day window starts 2024-03-15 - 364 = 2023-03-17 (2024 is leap).
  Rows rows;
  for (const char* d : {"2023-05-01", "2023-07-01", "2023-09-01", "2023-11-01", "2024-01-02",
                        "2024-02-29", "2024-03-15"})
    rows.Add(d, Service::kToxicologyTest);
  Rows outside = rows;
  outside.Add("2023-03-16", Service::kToxicologyTest);  // a calendar year ago, but 365 days back
  auto f = Check(Pat("2020-01-01"), outside, "2024-03-15", "PA-4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].detail.find("7 toxicology tests in the 365 days to 2024-03-15; at least 8"),
            std::string::npos)
      << f[0].detail;

  Rows inside = rows;
  inside.Add("2023-03-17", Service::kToxicologyTest);
  EXPECT_TRUE(Check(Pat("2020-01-01"), inside, "2024-03-15", "PA-4").empty());
}

TEST(DrugTests, PA4_AtOneYearEightAreRequired) {
  // Admission 2025-01-01; as_of 2025-12-31 is day 365: 8 required, 7 given.
  Rows rows;
  for (const char* d : {"2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01", "2025-06-01",
                        "2025-07-01", "2025-08-01"})
    rows.Add(d, Service::kToxicologyTest);
  // Day 364 needs floor(8 × 364 / 365) = 7: met.
  EXPECT_TRUE(Check(Pat("2025-01-01"), rows, "2025-12-30", "PA-4").empty());
  auto f = Check(Pat("2025-01-01"), rows, "2025-12-31", "PA-4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].date, D("2025-12-31"));
}

TEST(DrugTests, PA4_MaintenanceProRataEdgeDay91NeedsOneDay92Two) {
  // Admission 2026-01-01: day 91 = 04-01 needs floor(8 x 91 / 365) = 1, day 92 = 04-02 needs 2.
  Rows one;
  one.Add("2026-01-20", Service::kToxicologyTest);
  EXPECT_TRUE(Check(Pat("2026-01-01"), one, "2026-04-01", "PA-4").empty());
  auto f = Check(Pat("2026-01-01"), one, "2026-04-02", "PA-4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].date, D("2026-04-02"));
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-4|2026-04-02");
  EXPECT_EQ(f[0].detail,
            "1 toxicology test in 92 days since admission 2026-01-01 to 2026-04-02; at least 2 required "
            "(8 per 365 days); short since 2026-04-02");
  Rows two = one;
  two.Add("2026-04-02", Service::kToxicologyTest);  // the second test on day 92 itself
  EXPECT_TRUE(Check(Pat("2026-01-01"), two, "2026-04-02", "PA-4").empty());
}

TEST(DrugTests, PA4_MaintenanceOneFindingPerShortfallNotPerMissingTest) {
  // No test in 200 days: 4 are due (floor(8 x 200 / 365)), one shortfall since day 46.
  Rows none;
  auto f = Check(Pat("2026-01-01"), none, "2026-07-19", "PA-4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-4|2026-02-15");
  EXPECT_NE(f[0].detail.find("0 toxicology tests in 200 days"), std::string::npos) << f[0].detail;
  EXPECT_NE(f[0].detail.find("at least 4 required"), std::string::npos) << f[0].detail;
}

TEST(DrugTests, PA4_MaintenanceATestEndsTheShortfallAndALaterOneIsANewCause) {
  // Short from day 46 (02-15); a test on 02-20 makes it good; short again from day 92 (04-02).
  Rows rows;
  rows.Add("2026-02-20", Service::kToxicologyTest);
  EXPECT_TRUE(Check(Pat("2026-01-01"), rows, "2026-03-01", "PA-4").empty());
  auto f = Check(Pat("2026-01-01"), rows, "2026-04-10", "PA-4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-4|2026-04-02");
  // The same running shortfall on a later night and on a re-run: the same key.
  auto g = Check(Pat("2026-01-01"), rows, "2026-05-10", "PA-4");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].key, f[0].key);
}

TEST(DrugTests, PA4_WithdrawalWithoutATestIsAViolation) {
  Rows none;
  auto f = Check(Pat("2026-01-01", Program::kWithdrawal), none, "2026-01-20", "PA-4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kViolation);
  EXPECT_EQ(f[0].date, D("2026-01-08"));
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-4|2026-01-08|initial_test");
  EXPECT_EQ(f[0].citation,
            "42 CFR 8.12(f)(6), 8.12(j); program policy (the federal text names an initial test, not its day)");
  EXPECT_EQ(f[0].detail,
            "no toxicology test within 7 days following admission 2026-01-01 (withdrawal: initial test due by "
            "2026-01-08)");
  // Later nights: the same occurrence.
  auto g = Check(Pat("2026-01-01", Program::kWithdrawal), none, "2026-03-01", "PA-4");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].key, f[0].key);
}

TEST(DrugTests, PA4_WithdrawalInitialTestOnAdmissionPlus7OnTimePlus8Late) {
  Rows on_time;
  on_time.Add("2026-01-08", Service::kToxicologyTest);
  EXPECT_TRUE(Check(Pat("2026-01-01", Program::kWithdrawal), on_time, "2026-03-01", "PA-4").empty());
  Rows late;
  late.Add("2026-01-09", Service::kToxicologyTest);
  EXPECT_EQ(Check(Pat("2026-01-01", Program::kWithdrawal), late, "2026-03-01", "PA-4").size(), 1u);
  Rows before;
  before.Add("2025-12-31", Service::kToxicologyTest);  // before admission: not this admission's test
  EXPECT_EQ(Check(Pat("2026-01-01", Program::kWithdrawal), before, "2026-03-01", "PA-4").size(), 1u);
}

TEST(DrugTests, PA4_WithdrawalNotDueBeforeAdmissionPlus8) {
  Rows none;
  EXPECT_TRUE(Check(Pat("2026-01-01", Program::kWithdrawal), none, "2026-01-08", "PA-4").empty());
  EXPECT_EQ(Check(Pat("2026-01-01", Program::kWithdrawal), none, "2026-01-09", "PA-4").size(), 1u);
}

TEST(DrugTests, PA4_WithdrawalShortStayStillOwesItsInitialTest) {
  // Discharged on day 4, before the 7 days ran out: the test was due by the discharge.
  Rows none;
  const Patient p = Pat("2026-01-01", Program::kWithdrawal, "2026-01-04");
  EXPECT_TRUE(Check(p, none, "2026-01-04", "PA-4").empty());  // the discharge day may still bring it
  auto f = Check(p, none, "2026-01-05", "PA-4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].date, D("2026-01-04"));
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-4|2026-01-04|initial_test");
  EXPECT_EQ(f[0].detail,
            "no toxicology test from admission 2026-01-01 to discharge 2026-01-04 (withdrawal: an initial test is "
            "due within 7 days following admission)");
  Rows tested;
  tested.Add("2026-01-03", Service::kToxicologyTest);
  EXPECT_TRUE(Check(p, tested, "2026-02-01", "PA-4").empty());
}

TEST(DrugTests, PA4_WithdrawalIsNotHeldToTheMaintenanceCount) {
  // 200 days with only the initial test: maintenance would need 4.
  Rows rows;
  rows.Add("2026-01-01", Service::kToxicologyTest);
  EXPECT_TRUE(Check(Pat("2026-01-01", Program::kWithdrawal), rows, "2026-07-19", "PA-4").empty());
  EXPECT_EQ(Check(Pat("2026-01-01"), rows, "2026-07-19", "PA-4").size(), 1u);
}

// Interim admission 2026-01-01: the initial test by 01-08, interim treatment ends on day 180,
// 2026-06-29 (pa7.interim_max_days), or at an earlier discharge.
TEST(DrugTests, PA4_InterimInitialAndTwoMoreIsNoFinding) {
  Rows rows;
  rows.Add("2026-01-02", Service::kToxicologyTest)
      .Add("2026-03-01", Service::kToxicologyTest)
      .Add("2026-05-01", Service::kToxicologyTest);
  EXPECT_TRUE(Check(Pat("2026-01-01", Program::kInterim), rows, "2026-07-15", "PA-4").empty());
}

TEST(DrugTests, PA4_InterimInitialAndOneMoreIsAFinding) {
  Rows rows;
  rows.Add("2026-01-02", Service::kToxicologyTest).Add("2026-03-01", Service::kToxicologyTest);
  const Patient p = Pat("2026-01-01", Program::kInterim);
  EXPECT_TRUE(Check(p, rows, "2026-06-29", "PA-4").empty());  // day 180: interim treatment not over
  auto f = Check(p, rows, "2026-06-30", "PA-4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kViolation);
  EXPECT_EQ(f[0].date, D("2026-06-29"));
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-4|2026-06-29|interim_tests");
  EXPECT_EQ(f[0].citation, "42 CFR 8.12(j)");
  EXPECT_EQ(f[0].detail,
            "1 toxicology test besides the initial test during interim treatment 2026-01-01 to 2026-06-29 (2 in "
            "all); an initial test and at least 2 more required");
  auto g = Check(p, rows, "2026-09-30", "PA-4");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].key, f[0].key);
}

TEST(DrugTests, PA4_InterimDischargedEarlyIsJudgedAtDischarge) {
  Rows rows;
  rows.Add("2026-01-02", Service::kToxicologyTest).Add("2026-03-01", Service::kToxicologyTest);
  const Patient p = Pat("2026-01-01", Program::kInterim, "2026-03-15");
  EXPECT_TRUE(Check(p, rows, "2026-03-15", "PA-4").empty());
  auto f = Check(p, rows, "2026-03-16", "PA-4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-4|2026-03-15|interim_tests");
  rows.Add("2026-03-15", Service::kToxicologyTest);  // a third test on the discharge day
  EXPECT_TRUE(Check(p, rows, "2026-03-16", "PA-4").empty());
}

TEST(DrugTests, PA4_InterimMissingInitialAndFurtherAreTwoCauses) {
  Rows none;
  auto f = Check(Pat("2026-01-01", Program::kInterim), none, "2026-07-15", "PA-4");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-4|2026-01-08|initial_test");
  EXPECT_EQ(f[1].key, "HRC01|P1|PA-4|2026-06-29|interim_tests");
  // No initial test, but two later ones: only the initial test is missing.
  Rows later;
  later.Add("2026-02-01", Service::kToxicologyTest).Add("2026-04-01", Service::kToxicologyTest);
  auto g = Check(Pat("2026-01-01", Program::kInterim), later, "2026-07-15", "PA-4");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].key, "HRC01|P1|PA-4|2026-01-08|initial_test");
}

TEST(DrugTests, PA4_InterimTestsAfterDay180DoNotCount) {
  Rows rows;
  rows.Add("2026-01-02", Service::kToxicologyTest)
      .Add("2026-03-01", Service::kToxicologyTest)
      .Add("2026-06-30", Service::kToxicologyTest);  // day 181
  EXPECT_EQ(Check(Pat("2026-01-01", Program::kInterim), rows, "2026-07-15", "PA-4").size(), 1u);
}

// ---- PA-5 -------------------------------------------------------------------------------------
TEST(TakeHomeLadder, PA5_Day14AllowsSevenDay15AllowsFourteen) {
  Rows ok;
  ok.Add("2026-01-14", Service::kMethadoneTakehome, 7)    // day 14
      .Add("2026-01-15", Service::kMethadoneTakehome, 14);  // day 15
  EXPECT_TRUE(Check(Pat("2026-01-01"), ok, "2026-02-01", "PA-5").empty());

  Rows over;
  over.Add("2026-01-14", Service::kMethadoneTakehome, 8);
  auto f = Check(Pat("2026-01-01"), over, "2026-02-01", "PA-5");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].date, D("2026-01-14"));
  EXPECT_EQ(f[0].citation, "42 CFR 8.12(i)(3) (2024 rule)");
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-5|2026-01-14");
  EXPECT_EQ(f[0].detail,
            "methadone take-home of 8 days supplied on 2026-01-14 (treatment day 14): at most 7 "
            "from day 1 without an SMA-168 exception recorded");
}

TEST(TakeHomeLadder, PA5_Day30AllowsFourteenDay31AllowsTwentyEight) {
  Rows rows;
  rows.Add("2026-01-30", Service::kMethadoneTakehome, 15)   // day 30: over 14
      .Add("2026-01-31", Service::kMethadoneTakehome, 28)   // day 31: at 28
      .Add("2026-02-28", Service::kMethadoneTakehome, 29);  // day 59: over 28
  auto f = Check(Pat("2026-01-01"), rows, "2026-03-31", "PA-5");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].date, D("2026-01-30"));
  EXPECT_NE(f[0].detail.find("at most 14 from day 15"), std::string::npos) << f[0].detail;
  EXPECT_EQ(f[1].date, D("2026-02-28"));
  EXPECT_NE(f[1].detail.find("at most 28 from day 31"), std::string::npos) << f[1].detail;
}

TEST(TakeHomeLadder, PA5_Sma168ExceptionAndBuprenorphineAreNotChecked) {
  Rows rows;
  rows.Add("2026-01-05", Service::kMethadoneTakehome, 14, kFlagSma168Exception)
      .Add("2026-01-06", Service::kBuprenorphineTakehome, 28);
  EXPECT_TRUE(Check(Pat("2026-01-01"), rows, "2026-02-01", "PA-5").empty());
}

TEST(TakeHomeLadder, PA5_SuppliesOnOneDayAddUp) {
  Rows rows;
  rows.Add("2026-01-05", Service::kMethadoneTakehome, 4)
      .Add("2026-01-05", Service::kMethadoneTakehome, 4);
  auto f = Check(Pat("2026-01-01"), rows, "2026-02-01", "PA-5");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].detail.find("of 8 days"), std::string::npos) << f[0].detail;
}

// ---- PA-6 -------------------------------------------------------------------------------------
TEST(FirstDayDose, PA6_TotalOver50IsAViolation) {
  Rows rows;
  rows.Add("2026-01-03", Service::kMethadoneDose, 40)  // first dose day (not the admission day)
      .Add("2026-01-03", Service::kMethadoneDose, 20)
      .Add("2026-01-04", Service::kMethadoneDose, 80);  // later days are not PA-6
  auto f = Check(Pat("2026-01-01"), rows, "2026-02-01", "PA-6");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].date, D("2026-01-03"));
  EXPECT_EQ(f[0].citation, "42 CFR 8.12(h)(3)(ii)");
  EXPECT_EQ(f[0].detail, "methadone first-day total 60 mg on 2026-01-03 exceeds 50 mg and the dose is not marked as justified");
}

TEST(FirstDayDose, PA6_Exactly50OrJustifiedIsAllowed) {
  Rows fifty;
  fifty.Add("2026-01-01", Service::kMethadoneDose, 30).Add("2026-01-01", Service::kMethadoneDose, 20);
  EXPECT_TRUE(Check(Pat("2026-01-01"), fifty, "2026-02-01", "PA-6").empty());
  Rows justified;
  justified.Add("2026-01-01", Service::kMethadoneDose, 40)
      .Add("2026-01-01", Service::kMethadoneDose, 40, kFlagDoseJustified);
  EXPECT_TRUE(Check(Pat("2026-01-01"), justified, "2026-02-01", "PA-6").empty());
}

// A verdict that stands from an earlier night (Ledger::CareRead): PA-6 is not judged again, and
// nothing else changes; FirstDayTerms names the limit it was judged on.
TEST(FirstDayDose, PA6_AStandingVerdictIsNotJudgedAgain) {
  Rows rows;
  rows.Add("2026-01-01", Service::kMethadoneDose, 80);  // over the limit; no physical exam (PA-1)
  auto keys = [](const std::vector<Finding>& f) {
    std::vector<std::string> k;
    for (const auto& x : f) k.push_back(x.key);
    return k;
  };
  const auto judged = CheckPatient(OpenFacility(), Pat("2026-01-01"), rows.Ptrs(), D("2026-02-01"), Rules());
  const auto standing =
      CheckPatient(OpenFacility(), Pat("2026-01-01"), rows.Ptrs(), D("2026-02-01"), Rules(), std::nullopt, true);
  ASSERT_EQ(Of(judged, "PA-6").size(), 1u);
  EXPECT_TRUE(Of(standing, "PA-6").empty());
  std::vector<std::string> others = keys(judged);
  std::erase_if(others, [](const std::string& k) { return k.find("|PA-6|") != std::string::npos; });
  EXPECT_EQ(keys(standing), others);
  EXPECT_FALSE(others.empty());
  EXPECT_EQ(FirstDayTerms(Rules()), "1|50");
}

TEST(FirstDayDose, PA6_DoseOfAnEarlierAdmissionIsIgnored) {
  Rows rows;
  rows.Add("2025-06-01", Service::kMethadoneDose, 30).Add("2026-01-01", Service::kMethadoneDose, 60);
  auto f = Check(Pat("2026-01-01"), rows, "2026-02-01", "PA-6");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].date, D("2026-01-01"));
}

// ---- PA-7 -------------------------------------------------------------------------------------
TEST(InterimTreatment, PA7_Day180AllowedDay181Violation) {
  Rows none;
  // 2023-01-01 + 179 = 2023-06-29 (day 180); 2023-06-30 is day 181.
  EXPECT_TRUE(Check(Pat("2023-01-01", Program::kInterim), none, "2023-06-29", "PA-7").empty());
  auto f = Check(Pat("2023-01-01", Program::kInterim), none, "2023-06-30", "PA-7");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].date, D("2023-06-30"));
  EXPECT_EQ(f[0].citation, "42 CFR 8.12(j)");
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-7|2023-06-30");
  // Later nights: the same occurrence.
  auto g = Check(Pat("2023-01-01", Program::kInterim), none, "2023-12-31", "PA-7");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].key, f[0].key);
}

TEST(InterimTreatment, PA7_LeapYearWindowReachesDay181OnJune29) {
  Rows none;
  // 2024 has Feb 29: 2024-01-01 + 180 = 2024-06-29 is day 181.
  EXPECT_TRUE(Check(Pat("2024-01-01", Program::kInterim), none, "2024-06-28", "PA-7").empty());
  auto f = Check(Pat("2024-01-01", Program::kInterim), none, "2024-06-29", "PA-7");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].date, D("2024-06-29"));
}

TEST(InterimTreatment, PA7_OnlyInterimAndOnlyUntilDischarge) {
  Rows none;
  EXPECT_TRUE(Check(Pat("2024-01-01"), none, "2024-12-31", "PA-7").empty());  // maintenance
  // Discharged on day 180: never over.
  EXPECT_TRUE(
      Check(Pat("2024-01-01", Program::kInterim, "2024-06-28"), none, "2024-12-31", "PA-7").empty());
}

// ---- PA-8 -------------------------------------------------------------------------------------
TEST(Counseling, PA8_NoCounselingInLast30Days) {
  Rows rows;
  rows.Add("2026-02-01", Service::kCounselingGroup, 60);
  // Window of 30 days to 2026-03-02 starts 2026-02-01.
  EXPECT_TRUE(Check(Pat("2026-01-01"), rows, "2026-03-02", "PA-8").empty());
  auto f = Check(Pat("2026-01-01"), rows, "2026-03-03", "PA-8");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  EXPECT_EQ(f[0].date, D("2026-03-03"));
  EXPECT_EQ(f[0].citation, "42 CFR 8.12(f)(5), program policy");
  EXPECT_EQ(f[0].key, "HRC01|P1|PA-8|2026-03-03");
}

TEST(Counseling, PA8_OnlyFromDay30ForMaintenancePatientsInTreatment) {
  Rows none;
  EXPECT_TRUE(Check(Pat("2026-01-01"), none, "2026-01-29", "PA-8").empty());  // day 29
  auto f = Check(Pat("2026-01-01"), none, "2026-01-30", "PA-8");              // day 30
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].date, D("2026-01-30"));
  EXPECT_TRUE(Check(Pat("2026-01-01", Program::kWithdrawal), none, "2026-03-01", "PA-8").empty());
  EXPECT_TRUE(
      Check(Pat("2026-01-01", Program::kMaintenance, "2026-02-15"), none, "2026-03-01", "PA-8").empty());
}

TEST(PatientChecks, AdmittedAfterAsOfHasNoFindings) {
  Rows none;
  EXPECT_TRUE(CheckPatient(OpenFacility(), Pat("2026-05-01"), none.Ptrs(), D("2026-04-01"), Rules())
                  .empty());
}

TEST(PatientChecks, FindingsCarryNoPersonalData) {
  Patient p = Pat("2025-01-01");
  p.last_name = "ZZLASTNAME";
  p.first_name = "ZZFIRST";
  p.mbi = "1EG4TE5MK73";
  p.birth_date = D("1961-07-04");
  Rows none;
  auto all = CheckPatient(OpenFacility(), p, none.Ptrs(), D("2026-01-01"), Rules());
  ASSERT_FALSE(all.empty());
  for (const auto& f : all) {
    EXPECT_EQ(f.detail.find("ZZ"), std::string::npos);
    EXPECT_EQ(f.detail.find("1EG4TE5MK73"), std::string::npos);
    EXPECT_EQ(f.detail.find("1961"), std::string::npos);
    EXPECT_FALSE(f.citation.empty()) << f.rule_id;
  }
}

}  // namespace
}  // namespace otp::testing
