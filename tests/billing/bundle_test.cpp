// BU-1..BU-5: one bundle per episode, the drug bundle by most days (tie → given last), G2074,
// drug coverage windows from history and from the same call, add-ons without a bundle.
#include "billing_fixture.h"

namespace otp::testing {
namespace {

class Bundle : public BillingTest {};

int BundleCount(const BillingResult& r) {
  int n = 0;
  for (const auto& l : r.lines)
    if (auto* c = Rules().Code(l.code); c && c->kind != CodeKind::kAddOn) ++n;
  return n;
}

TEST_F(Bundle, BU1_OneBundlePerEpisodeWithUnitsOne) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-08", SV::kBuprenorphineOralDose);
  Add("2026-01-09", SV::kMethadoneDose);
  Add("2026-01-09", SV::kCounselingGroup, 20);
  Add("2026-01-10", SV::kToxicologyTest);
  patient.plan_counseling_minutes = 60;
  auto r = Bill("2026-02-01");
  EXPECT_EQ(BundleCount(r), 1);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2067");
  EXPECT_EQ(r.lines[0].units, 1);
  EXPECT_EQ(r.lines[0].source_record_ids.size(), 5u);
  for (const auto& o : r.outcomes) EXPECT_EQ(o.outcome, Outcome::kBilled);
}

TEST_F(Bundle, BU1_TwoEpisodesTwoBundles) {
  for (const char* d : {"2026-01-07", "2026-01-09", "2026-01-14", "2026-01-16"})
    Add(d, SV::kBuprenorphineOralDose);
  auto r = Bill("2026-02-01");
  EXPECT_EQ(BundleCount(r), 2);
  EXPECT_EQ(Lines(r, "G2068").size(), 2u);
  EXPECT_EQ(r.lines[0].charge + r.lines[1].charge, M("593.14"));  // 2 × 296.57
}

TEST_F(Bundle, BU2_MedicationOnMostDaysChoosesCode) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-08", SV::kMethadoneDose);
  Add("2026-01-09", SV::kMethadoneDose);
  Add("2026-01-10", SV::kBuprenorphineOralDose);
  Add("2026-01-11", SV::kBuprenorphineOralDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2067");
  EXPECT_EQ(r.lines[0].charge, M("277.29"));
}

TEST_F(Bundle, BU2_TieGoesToMedicationGivenLast) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-08", SV::kMethadoneDose);
  Add("2026-01-09", SV::kBuprenorphineOralDose);
  Add("2026-01-10", SV::kBuprenorphineOralDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2068");
  EXPECT_EQ(r.lines[0].charge, M("296.57"));
  EXPECT_EQ(r.lines[0].rule_id, "BU-2");
}

TEST_F(Bundle, BU2_TieReversedGoesToMethadone) {
  Add("2026-01-07", SV::kBuprenorphineOralDose);
  Add("2026-01-08", SV::kBuprenorphineOralDose);
  Add("2026-01-09", SV::kMethadoneDose);
  Add("2026-01-12", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2067");
}

TEST_F(Bundle, BU2_SeveralDosesOnOneDayCountOnce) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-08", SV::kBuprenorphineOralDose);
  Add("2026-01-06", SV::kToxicologyTest);  // rows come in any order
  Add("2026-01-09", SV::kBuprenorphineOralDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2068");  // 2 days against 1
  EXPECT_EQ(r.lines[0].dos, D("2026-01-06"));
}

TEST_F(Bundle, BU3_NonDrugBundleWithoutMedication) {
  patient.plan_counseling_minutes = 60;
  Add("2026-01-07", SV::kCounselingIndividual, 50);
  Add("2026-01-09", SV::kToxicologyTest);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2074");
  EXPECT_EQ(r.lines[0].charge, M("220.34"));
  EXPECT_EQ(r.lines[0].rule_id, "BU-3");
  EXPECT_EQ(r.episodes[0].bundle_code, "G2074");
}

TEST_F(Bundle, BU3_ToxicologyOnlyWithIntake) {
  Add("2026-01-07", SV::kIntake);
  Add("2026-01-08", SV::kToxicologyTest);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(Lines(r, "G2074").size(), 1u);
  EXPECT_EQ(Lines(r, "G2074")[0].dos, D("2026-01-07"));  // EP-3: the intake day
  EXPECT_EQ(Lines(r, "G2076").size(), 1u);
}

TEST_F(Bundle, BU3_DrugBundleWinsOverNonDrug) {
  Add("2026-01-07", SV::kToxicologyTest);
  Add("2026-01-08", SV::kNaltrexoneInjection);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2073");
  EXPECT_EQ(r.lines[0].charge, M("1760.74"));  // 1520.16 + 240.58
}

TEST_F(Bundle, BU4_WindowFromHistoryBillsG2074AndFinding) {
  history.windows.push_back({"HRC01", "P1", D("2026-01-01"), D("2026-01-28"), "G2069", "OLD1"});
  Add("2026-01-10", SV::kBuprenorphineOralDose);
  Add("2026-01-11", SV::kBuprenorphineOralDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2074");
  EXPECT_EQ(r.lines[0].rule_id, "BU-3 BU-4");
  EXPECT_EQ(r.lines[0].source_record_ids, (std::vector<std::string>{"R1", "R2"}));
  EXPECT_EQ(CountFindings(r, "BU-4-overlap"), 1);
  for (const auto& o : r.outcomes) EXPECT_EQ(o.outcome, Outcome::kBilled);
}

TEST_F(Bundle, BU4_MonthlyInjectionWindowAppliesLaterInSameCall) {
  Add("2026-01-07", SV::kBuprenorphineInjectionMonthly);
  Add("2026-01-15", SV::kBuprenorphineOralDose);  // episode 01-14..01-20, inside 01-07..02-03
  Add("2026-02-04", SV::kBuprenorphineInjectionMonthly);  // day 28: outside the window
  auto r = Bill("2026-03-01");
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[0].code, "G2069");
  EXPECT_EQ(r.lines[0].charge, M("2063.78"));  // 1823.20 + 240.58
  EXPECT_EQ(r.lines[1].code, "G2074");
  EXPECT_EQ(r.lines[2].code, "G2069");
  ASSERT_EQ(r.new_windows.size(), 2u);
  EXPECT_EQ(r.new_windows[0].from, D("2026-01-07"));
  EXPECT_EQ(r.new_windows[0].to, D("2026-02-03"));
  EXPECT_EQ(r.new_windows[0].code, "G2069");
  EXPECT_EQ(r.new_windows[0].source_record_id, "R1");
  EXPECT_EQ(CountFindings(r, "BU-4-overlap"), 1);
}

// A dose on a day the take-home already supplied is not the week's own drug: the week bills
// G2074 (BU-4-overlap) and the take-home's add-on pays the days, which then are covered.
TEST_F(Bundle, BU4_TakeHomeDaysOpenAWindow) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-13", SV::kMethadoneTakehome, 7);  // covers 01-14..01-20: 7 additional days
  Add("2026-01-15", SV::kMethadoneDose);          // inside the take-home's days
  Add("2026-01-21", SV::kMethadoneDose);          // after them
  auto r = Bill("2026-03-01");
  ASSERT_EQ(r.new_windows.size(), 1u);
  EXPECT_EQ(r.new_windows[0].from, D("2026-01-14"));
  EXPECT_EQ(r.new_windows[0].to, D("2026-01-20"));
  EXPECT_EQ(r.new_windows[0].code, "G2078");
  ASSERT_EQ(r.lines.size(), 4u);
  ASSERT_EQ(Lines(r, "G2067").size(), 2u);
  ASSERT_EQ(Lines(r, "G2078").size(), 1u);
  ASSERT_EQ(Lines(r, "G2074").size(), 1u);
  EXPECT_EQ(Lines(r, "G2074")[0].dos, D("2026-01-14"));  // EP-3: the week's first day
  EXPECT_EQ(CountFindings(r, "BU-4-overlap"), 1);
}

TEST_F(Bundle, BU4_ImplantInsertionCovers182Days) {
  facility.charges["G2070"] = M("5000.00");  // no national rate for the implant codes
  Add("2026-01-07", SV::kBuprenorphineImplantInsert);
  Add("2026-07-07", SV::kBuprenorphineOralDose);  // day 181 from insertion: inside
  Add("2026-07-08", SV::kBuprenorphineOralDose);  // 07-07..07-13 episode: first dose inside
  auto r = Bill("2026-08-01");
  ASSERT_EQ(r.new_windows.size(), 0u);  // G2070 has no rate: held no-price, no window
  ASSERT_NE(FindHold(r, "no-price"), nullptr);
  EXPECT_EQ(FindHold(r, "no-price")->code, "G2070");
  // The detail says why, in the rule book's words: no rate for the year, not a missing <charge>.
  EXPECT_NE(FindHold(r, "no-price")->detail.find("no CY"), std::string::npos) << FindHold(r, "no-price")->detail;
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2068");
}

TEST_F(Bundle, BU4_PartlyInsideWindowBillsDrugFromDaysOutside) {
  history.windows.push_back({"HRC01", "P1", D("2026-01-01"), D("2026-01-08"), "G0533", "OLD1"});
  Add("2026-01-07", SV::kBuprenorphineOralDose);
  Add("2026-01-09", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2067");
  EXPECT_EQ(CountFindings(r, "BU-4-overlap"), 0);
}

TEST_F(Bundle, BU5_AddOnsOnlyAreHeld) {
  Add("2026-01-07", SV::kIntake);
  Add("2026-01-08", SV::kPeriodicAssessment);
  auto r = Bill("2026-02-01");
  EXPECT_TRUE(r.lines.empty());
  const Hold* h = FindHold(r, "addon-without-bundle");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->record_ids, (std::vector<std::string>{"R1", "R2"}));
  EXPECT_EQ(OutcomeOf(r, "R1").outcome, Outcome::kHeld);
  EXPECT_EQ(OutcomeOf(r, "R2").reason, "addon-without-bundle");
  ASSERT_EQ(r.episodes.size(), 1u);
  EXPECT_EQ(r.episodes[0].status, "held");
  EXPECT_EQ(CountFindings(r, "BU-5"), 1);
}

// BU-2: a take-home handed out is medication dispensed: a week with nothing else bills its
// drug bundle, and the supply past the week its add-on (TH-1).
TEST_F(Bundle, BU2_TakeHomeOnlyBillsTheDrugBundle) {
  Add("2026-01-07", SV::kMethadoneTakehome, 14);  // 01-08..01-13 inside, 01-14..01-21 additional
  auto r = Bill("2026-02-01");
  ASSERT_EQ(Lines(r, "G2067").size(), 1u);
  ASSERT_EQ(Lines(r, "G2078").size(), 1u);
  EXPECT_EQ(Lines(r, "G2078")[0].units, 2);  // 8 additional days
  EXPECT_EQ(OutcomeOf(r, "R1").outcome, Outcome::kBilled);
}

TEST_F(Bundle, BU5_NaloxoneOnlyIsHeldButNextEpisodeBills) {
  Add("2026-01-07", SV::kNaloxoneNasal4mg);
  Add("2026-01-20", SV::kMethadoneDose);
  Add("2026-01-20", SV::kNaloxoneNasal8mg);
  auto r = Bill("2026-02-01");
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "addon-without-bundle");
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(Lines(r, "G1028").size(), 1u);
  EXPECT_EQ(Lines(r, "G1028")[0].charge, M("127.98"));
}

}  // namespace
}  // namespace otp::testing
