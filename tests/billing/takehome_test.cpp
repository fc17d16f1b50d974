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
  Add("2026-01-08", SV::kBuprenorphineOralDose);  // buprenorphine on two days, methadone on one
  Add("2026-01-13", SV::kMethadoneTakehome, 7);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2068");
  EXPECT_EQ(OutcomeOf(r, "R3").outcome, Outcome::kHeld);
  EXPECT_EQ(OutcomeOf(r, "R3").reason, "takehome-mismatch");
  ASSERT_NE(FindHold(r, "takehome-mismatch"), nullptr);
  EXPECT_EQ(FindHold(r, "takehome-mismatch")->code, "G2078");
  EXPECT_EQ(CountFindings(r, "TH-1"), 1);
  EXPECT_TRUE(r.new_windows.empty());
}

// BU-2: the weekly bundles pay dispensing too. A week whose only medication is a take-home
// handed out bills that medication's bundle (not G2074 with the take-home held), and the days
// the supply reaches past the week are its add-on.
TEST_F(TakeHome, BU2_TH1_TakeHomeOnlyDispensedBillsItsDrugBundle) {
  Add("2026-01-07", SV::kToxicologyTest);
  Add("2026-01-13", SV::kBuprenorphineTakehome, 7);  // 01-14..01-20: all additional
  auto r = Bill("2026-02-01");
  ASSERT_EQ(Lines(r, "G2068").size(), 1u);
  EXPECT_EQ(Lines(r, "G2068")[0].dos, D("2026-01-07"));
  EXPECT_EQ(Lines(r, "G2074").size(), 0u);
  ASSERT_EQ(Lines(r, "G2079").size(), 1u);
  EXPECT_EQ(Lines(r, "G2079")[0].units, 1);
  EXPECT_EQ(OutcomeOf(r, "R2").outcome, Outcome::kBilled);
}

// A week with methadone only as take-home (handed out, and covering its days): G2067.
TEST_F(TakeHome, BU2_MethadoneOnlyAsTakeHomeBillsG2067) {
  Add("2026-01-07", SV::kMethadoneTakehome, 6);  // 01-08..01-13: inside its own week
  Add("2026-01-09", SV::kToxicologyTest);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2067");
  EXPECT_EQ(r.lines[0].source_record_ids, (std::vector<std::string>{"R1", "R2"}));
  EXPECT_EQ(OutcomeOf(r, "R1").outcome, Outcome::kBilled);
}

// BU-2: a take-home's covered days inside its week count as days of its medication.
TEST_F(TakeHome, BU2_CoveredDaysCountForTheMedication) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-08", SV::kMethadoneDose);
  Add("2026-01-09", SV::kBuprenorphineTakehome, 4);  // 01-09 and 01-10..01-13: five days
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2068");
}

// TH-1 (OIG A-09-22-03005): a take-home day that falls in a later week with its own drug bundle
// (doses outside the take-home's days) is paid by that bundle: no add-on for it.
TEST_F(TakeHome, TH1_DaysInALaterDosedWeekArePaidByItsBundle) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-13", SV::kMethadoneTakehome, 1);  // 01-14, the next week's first day
  Add("2026-01-15", SV::kMethadoneDose);          // the next week doses on its own days
  auto r = Bill("2026-02-01");
  EXPECT_EQ(Lines(r, "G2078").size(), 0u);
  EXPECT_EQ(Lines(r, "G2067").size(), 2u);
  EXPECT_EQ(OutcomeOf(r, "R2").outcome, Outcome::kBilled);
  EXPECT_TRUE(r.new_windows.empty());
}

// TH-1: of the additional days, those in a later week that bills its own drug bundle are paid
// by it; the others are billed.
TEST_F(TakeHome, TH1_OnlyTheDaysNoLaterBundlePaysAreBilled) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-13", SV::kMethadoneTakehome, 10);  // 01-14..01-23
  Add("2026-01-16", SV::kToxicologyTest);          // week 01-14..01-20: no drug of its own
  Add("2026-01-25", SV::kMethadoneDose);           // week 01-21..01-27 bills its own G2067
  auto r = Bill("2026-02-01");
  auto th = Lines(r, "G2078");
  ASSERT_EQ(th.size(), 1u);
  EXPECT_EQ(th[0].units, 1);  // 01-14..01-20: 7 days
  ASSERT_EQ(r.new_windows.size(), 1u);
  EXPECT_EQ(r.new_windows[0].from, D("2026-01-14"));
  EXPECT_EQ(r.new_windows[0].to, D("2026-01-20"));
  EXPECT_EQ(Lines(r, "G2074").size(), 1u);  // the counseling week
}

// TH-1: the add-on is decided once every week its days reach into has ended (a week holding its
// last day ends at most six days after it); until then the row stays open and the week's other
// lines are billed without it.
TEST_F(TakeHome, TH1_AddOnWaitsForTheWeeksItReachesInto) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-13", SV::kMethadoneTakehome, 7);  // 01-14..01-20
  Add("2026-01-15", SV::kCounselingIndividual, 30);
  auto r = Bill("2026-01-18");  // week 01-14..01-20 still running
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2067");
  EXPECT_EQ(OutcomeOf(r, "R2").outcome, Outcome::kOpen);
  EXPECT_EQ(OutcomeOf(r, "R2").reason, kAwaitingWeeks);
  EXPECT_EQ(OutcomeOf(r, "R3").outcome, Outcome::kOpen);  // its week has not ended
}

// The next night: the row comes back awaiting, its episode is on record, the week has ended.
TEST_F(TakeHome, TH1_AnAwaitingAddOnIsDecidedOnALaterNight) {
  history.last_episode_end = D("2026-01-13");
  history.episodes = {Episode{"HRC01", "P1", D("2026-01-07"), D("2026-01-13"), "G2067", "billed", "", D("2026-01-07")}};
  Add("2026-01-13", SV::kMethadoneTakehome, 7);
  awaiting = {1};
  Add("2026-01-15", SV::kCounselingIndividual, 30);
  auto r = Bill("2026-01-27");  // the week that holds 01-20 may run to 01-26
  auto th = Lines(r, "G2078");
  ASSERT_EQ(th.size(), 1u);
  EXPECT_EQ(th[0].dos, D("2026-01-13"));
  EXPECT_EQ(th[0].episode_start, D("2026-01-07"));
  EXPECT_EQ(Lines(r, "G2074").size(), 1u);
  EXPECT_EQ(OutcomeOf(r, "R1").outcome, Outcome::kBilled);
  EXPECT_EQ(OutcomeOf(r, "R2").outcome, Outcome::kBilled);
}

}  // namespace
}  // namespace otp::testing
