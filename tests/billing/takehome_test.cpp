// TH-1: take-home units = ceil(additional days / 7), at most 3; the cap finding; mismatch.
#include "billing_fixture.h"

namespace otp::testing {
namespace {

class TakeHome : public BillingTest {};

TEST_F(TakeHome, TH1_UnitsAreCeilOfAdditionalDays) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-13", SV::kMethadoneTakehome, 10);  // 01-14..01-23: 10 days after 01-13
  auto r = Bill("2026-02-01");
  auto th = Lines(r, "G2078");
  ASSERT_EQ(th.size(), 1u);
  EXPECT_EQ(th[0].units, 2);
  EXPECT_EQ(th[0].unit_price, M("44.41"));
  EXPECT_EQ(th[0].charge, M("88.82"));
  EXPECT_EQ(th[0].dos, D("2026-01-13"));
  EXPECT_EQ(th[0].rule_id, "TH-1");
  ASSERT_EQ(r.new_windows.size(), 1u);
  EXPECT_EQ(r.new_windows[0].to, D("2026-01-23"));
  EXPECT_EQ(CountFindings(r, "TH-1-cap"), 0);
}

TEST_F(TakeHome, TH1_SupplyInsideEpisodeIsCoveredByBundle) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-08", SV::kMethadoneTakehome, 3);  // 01-09..01-11, inside 01-07..01-13
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2067");
  EXPECT_EQ(OutcomeOf(r, "R2").outcome, Outcome::kBilled);
  EXPECT_TRUE(r.new_windows.empty());
}

TEST_F(TakeHome, TH1_OneAdditionalDayIsOneUnit) {
  Add("2026-01-07", SV::kBuprenorphineOralDose);
  Add("2026-01-12", SV::kBuprenorphineTakehome, 2);  // 01-13 inside, 01-14 additional
  auto r = Bill("2026-02-01");
  auto th = Lines(r, "G2079");
  ASSERT_EQ(th.size(), 1u);
  EXPECT_EQ(th[0].units, 1);
  EXPECT_EQ(th[0].charge, M("63.69"));
  ASSERT_EQ(r.new_windows.size(), 1u);
  EXPECT_EQ(r.new_windows[0].from, D("2026-01-14"));
  EXPECT_EQ(r.new_windows[0].to, D("2026-01-14"));
}

TEST_F(TakeHome, TH1_CapsAtThreeUnitsWithFinding) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-13", SV::kMethadoneTakehome, 28);  // 28 additional days
  auto r = Bill("2026-03-01");
  auto th = Lines(r, "G2078");
  ASSERT_EQ(th.size(), 1u);
  EXPECT_EQ(th[0].units, 3);
  EXPECT_EQ(th[0].charge, M("133.23"));
  EXPECT_EQ(CountFindings(r, "TH-1-cap"), 1);
  ASSERT_EQ(r.new_windows.size(), 1u);  // only the 21 billed days: 01-14..02-03
  EXPECT_EQ(r.new_windows[0].from, D("2026-01-14"));
  EXPECT_EQ(r.new_windows[0].to, D("2026-02-03"));
}

TEST_F(TakeHome, TH1_TwentyOneDaysIsNotCapped) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-13", SV::kMethadoneTakehome, 21);
  auto r = Bill("2026-03-01");
  ASSERT_EQ(Lines(r, "G2078").size(), 1u);
  EXPECT_EQ(Lines(r, "G2078")[0].units, 3);
  EXPECT_EQ(CountFindings(r, "TH-1-cap"), 0);
}

TEST_F(TakeHome, TH1_SeveralTakeHomesOneLineFirstDate) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-12", SV::kMethadoneTakehome, 3);  // to 01-15: 2 additional days
  Add("2026-01-13", SV::kMethadoneTakehome, 7);  // to 01-20: 7 additional days (overlapping)
  auto r = Bill("2026-02-01");
  auto th = Lines(r, "G2078");
  ASSERT_EQ(th.size(), 1u);
  EXPECT_EQ(th[0].units, 1);  // union of days 01-14..01-20 = 7
  EXPECT_EQ(th[0].dos, D("2026-01-12"));
  EXPECT_EQ(th[0].source_record_ids, (std::vector<std::string>{"R2", "R3"}));
}

TEST_F(TakeHome, TH1_MismatchedMedicationIsHeld) {
  Add("2026-01-07", SV::kBuprenorphineOralDose);
  Add("2026-01-13", SV::kMethadoneTakehome, 7);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2068");
  EXPECT_EQ(OutcomeOf(r, "R2").outcome, Outcome::kHeld);
  EXPECT_EQ(OutcomeOf(r, "R2").reason, "takehome-mismatch");
  ASSERT_NE(FindHold(r, "takehome-mismatch"), nullptr);
  EXPECT_EQ(FindHold(r, "takehome-mismatch")->code, "G2078");
  EXPECT_EQ(CountFindings(r, "TH-1"), 1);
  EXPECT_TRUE(r.new_windows.empty());
}

TEST_F(TakeHome, TH1_TakeHomeWithNonDrugBundleIsMismatch) {
  Add("2026-01-07", SV::kToxicologyTest);
  Add("2026-01-13", SV::kBuprenorphineTakehome, 7);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2074");
  EXPECT_EQ(OutcomeOf(r, "R2").reason, "takehome-mismatch");
}

}  // namespace
}  // namespace otp::testing
