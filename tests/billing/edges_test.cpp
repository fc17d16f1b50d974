// Edges of the episode and bundle rules that the other billing tests leave implicit: the
// seventh day after an episode (continues) against the eighth (restarts), with and without
// history; weekday cycles across a month end and with a decided week; late records on the
// last day of a decided episode (CL-7); one bundle however many kinds of medication (BU-1);
// the last day of a coverage window from an earlier night (BU-4); take-home line dates (EP-3).
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "billing_fixture.h"

namespace otp::testing {
namespace {

class Edges : public BillingTest {};

TEST_F(Edges, EP1_ServiceOnSeventhDayAfterEndContinuesEighthRestarts) {
  Add("2026-01-07", SV::kMethadoneDose);  // 01-07 … 01-13
  Add("2026-01-20", SV::kMethadoneDose);  // end + 7: inside 01-14 … 01-20
  Add("2026-01-28", SV::kMethadoneDose);  // 01-20 + 8: 01-21 … 01-27 is empty → restarts
  auto r = Bill("2026-03-01");
  EXPECT_EQ(Starts(r), (std::vector<Date>{D("2026-01-07"), D("2026-01-14"), D("2026-01-28")}));
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[1].dos, D("2026-01-14"));  // EP-3: the consecutive episode's first day
  EXPECT_EQ(r.lines[1].episode_start, D("2026-01-14"));
}

TEST_F(Edges, EP1_HistorySeventhDayContinuesEighthRestarts) {
  history.last_episode_end = D("2026-01-13");
  Add("2026-01-20", SV::kMethadoneDose);
  auto seventh = Bill("2026-03-01");
  EXPECT_EQ(Starts(seventh), (std::vector<Date>{D("2026-01-14")}));
  rows.clear();
  Add("2026-01-21", SV::kMethadoneDose);
  auto eighth = Bill("2026-03-01");
  EXPECT_EQ(Starts(eighth), (std::vector<Date>{D("2026-01-21")}));
  ASSERT_EQ(eighth.lines.size(), 1u);
  EXPECT_EQ(eighth.lines[0].episode_start, D("2026-01-21"));
}

TEST_F(Edges, EP1_WeekdaySundayCycle) {
  facility.cycle.patient = false;
  facility.cycle.weekday = 0;  // Sunday
  Add("2026-01-10", SV::kMethadoneDose);  // Saturday: week 01-04 … 01-10
  Add("2026-01-11", SV::kMethadoneDose);  // Sunday: week 01-11 … 01-17
  auto r = Bill("2026-01-18");
  EXPECT_EQ(Starts(r), (std::vector<Date>{D("2026-01-04"), D("2026-01-11")}));
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].dos, D("2026-01-10"));
  EXPECT_EQ(r.lines[1].dos, D("2026-01-11"));
}

TEST_F(Edges, EP1_WeekdayCycleRowInDecidedWeekIsLate) {
  facility.cycle.patient = false;
  facility.cycle.weekday = 1;
  Decided("2026-01-05");
  Add("2026-01-11", SV::kMethadoneDose);  // Sunday of the decided week
  Add("2026-01-12", SV::kMethadoneDose);  // Monday: the next week
  auto r = Bill("2026-01-19");
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "late-record");
  EXPECT_EQ(Starts(r), (std::vector<Date>{D("2026-01-12")}));
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].source_record_ids, (std::vector<std::string>{"R2"}));
}

TEST_F(Edges, EP3_WeekdayWeekAcrossMonthEnd) {
  facility.cycle.patient = false;
  facility.cycle.weekday = 1;
  Add("2026-01-30", SV::kMethadoneDose);  // Friday of the week 01-26 … 02-01
  Add("2026-02-01", SV::kMethadoneDose);
  Add("2026-02-01", SV::kIntake);
  auto r = Bill("2026-02-02");
  ASSERT_EQ(r.episodes.size(), 1u);
  EXPECT_EQ(r.episodes[0].start, D("2026-01-26"));
  auto bundle = Lines(r, "G2067");
  ASSERT_EQ(bundle.size(), 1u);
  EXPECT_EQ(bundle[0].dos, D("2026-01-30"));        // the first service, not the week's Monday
  EXPECT_EQ(Lines(r, "G2076").at(0).dos, D("2026-02-01"));  // add-on: its own date
  auto claims = AssembleClaims(patient, r.lines, Rules());
  ASSERT_EQ(claims.size(), 2u);  // CL-4: a claim never crosses months
  EXPECT_EQ(claims[0].Total(), M("277.29"));
  EXPECT_EQ(claims[1].Total(), M("234.59"));
}

TEST_F(Edges, EP3_TakeHomeLineCarriesFirstRowWithAdditionalDays) {
  Add("2026-01-07", SV::kMethadoneDose);          // episode 01-07 … 01-13
  Add("2026-01-08", SV::kMethadoneTakehome, 2);   // 01-09 … 01-10: inside, no additional day
  Add("2026-01-12", SV::kMethadoneTakehome, 3);   // 01-13 … 01-15: 2 additional days
  Add("2026-01-13", SV::kMethadoneTakehome, 6);   // 01-14 … 01-19: 6 additional days
  auto r = Bill("2026-02-01");
  auto th = Lines(r, "G2078");
  ASSERT_EQ(th.size(), 1u);
  EXPECT_EQ(th[0].dos, D("2026-01-12"));
  EXPECT_EQ(th[0].units, 1);  // ceil(6 / 7): the supplies overlap, days are not summed
  EXPECT_EQ(th[0].source_record_ids, (std::vector<std::string>{"R3", "R4"}));
  ASSERT_EQ(r.new_windows.size(), 1u);
  EXPECT_EQ(r.new_windows[0].from, D("2026-01-14"));
  EXPECT_EQ(r.new_windows[0].to, D("2026-01-19"));
  EXPECT_EQ(OutcomeOf(r, "R2").outcome, Outcome::kBilled);  // covered by the bundle
}

TEST_F(Edges, BU1_ThreeMedicationsOneBundleNoWindowForTheOthers) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-08", SV::kMethadoneDose);
  Add("2026-01-09", SV::kBuprenorphineOralDose);
  Add("2026-01-10", SV::kBuprenorphineInjectionWeekly);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2067");  // methadone on 2 days against 1 and 1
  EXPECT_EQ(r.lines[0].units, 1);
  EXPECT_EQ(r.lines[0].source_record_ids.size(), 4u);
  EXPECT_TRUE(r.new_windows.empty());   // G0533 was not billed: no drug days paid
}

TEST_F(Edges, BU1_MedicationInsideWindowAndBundleServicesMakeOneG2074) {
  history.windows.push_back({"HRC01", "P1", D("2026-01-05"), D("2026-02-01"), "G2069", "OLD1"});
  Add("2026-01-07", SV::kBuprenorphineOralDose);
  Add("2026-01-08", SV::kCounselingIndividual, 20);
  Add("2026-01-09", SV::kToxicologyTest);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2074");
  EXPECT_EQ(r.lines[0].units, 1);
  EXPECT_EQ(r.lines[0].charge, M("220.34"));
  EXPECT_EQ(r.lines[0].source_record_ids, (std::vector<std::string>{"R1", "R2", "R3"}));
  EXPECT_EQ(CountFindings(r, "BU-4-overlap"), 1);
}

TEST_F(Edges, BU4_LastDayOfWindowFromEarlierNightCoversDayAfterDoesNot) {
  history.last_episode_end = D("2026-01-11");
  history.windows.push_back({"HRC01", "P1", D("2026-01-05"), D("2026-02-01"), "G2069", "I1"});
  Add("2026-02-01", SV::kBuprenorphineOralDose);  // episode 02-01 … 02-07, window's last day
  Add("2026-02-09", SV::kBuprenorphineOralDose);  // episode 02-08 … 02-14
  auto r = Bill("2026-02-15");
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].code, "G2074");
  EXPECT_EQ(r.lines[0].rule_id, "BU-3 BU-4");
  EXPECT_EQ(r.lines[1].code, "G2068");
  EXPECT_EQ(r.lines[1].charge, M("296.57"));
  EXPECT_EQ(CountFindings(r, "BU-4-overlap"), 1);
}

// codes/ has no CY2026 rate for the implant codes (they are held no-price), so the 182-day
// implant window is checked with a copy of codes/ that adds a test rate for G2070.
TEST_F(Edges, BU4_ImplantWindowIs182DaysFromInsertion) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("otp-codes-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(OTP_SOURCE_DIR "/codes", dir, fs::copy_options::recursive);
  {
    std::ofstream rates(dir / "rates" / "CY2026.csv", std::ios::app);
    rates << "G2070,1000.00,100.00,test fixture,no\n";
  }
  auto rb = RuleBook::Load(dir.string());
  fs::remove_all(dir);
  ASSERT_TRUE(rb.ok()) << rb.status().message();
  Add("2026-01-07", SV::kBuprenorphineImplantInsert);  // window 01-07 … 07-07 (182 days)
  Add("2026-07-07", SV::kBuprenorphineOralDose);       // day 182 of the window: inside
  Add("2026-07-15", SV::kBuprenorphineOralDose);       // 07-14 … 07-20: after the window
  BillingInput in;
  in.facility = &facility;
  in.patient = &patient;
  for (const auto& r : rows) in.records.push_back(&r);
  in.as_of = D("2026-08-01");
  BillingResult r = BillPatient(in, rb.value());
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[0].code, "G2070");
  EXPECT_EQ(r.lines[0].charge, M("1100.00"));  // 1000.00 + 100.00 x 1.000 (national)
  ASSERT_EQ(r.new_windows.size(), 1u);
  EXPECT_EQ(r.new_windows[0].from, D("2026-01-07"));
  EXPECT_EQ(r.new_windows[0].to, D("2026-07-07"));
  EXPECT_EQ(r.lines[1].code, "G2074");
  EXPECT_EQ(r.lines[2].code, "G2068");
  EXPECT_EQ(CountFindings(r, "BU-4-overlap"), 1);
}

TEST_F(Edges, CL7_RowOnLastDayOfDecidedEpisodeIsLateNextDayIsNot) {
  Decided("2026-01-07");
  Add("2026-01-13", SV::kMethadoneDose);
  Add("2026-01-14", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  EXPECT_EQ(OutcomeOf(r, "R1").outcome, Outcome::kHeld);
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "late-record");
  EXPECT_EQ(OutcomeOf(r, "R2").outcome, Outcome::kBilled);
  EXPECT_EQ(Starts(r), (std::vector<Date>{D("2026-01-14")}));
  const Hold* h = FindHold(r, "late-record");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->record_ids, (std::vector<std::string>{"R1"}));
  EXPECT_EQ(h->date, D("2026-01-13"));
}

TEST_F(Edges, CL7_LateRowDoesNotMoveTheNextEpisode) {
  Decided("2026-01-07");
  Add("2026-01-10", SV::kCounselingGroup, 60);  // late
  Add("2026-01-22", SV::kMethadoneDose);         // 01-14 … 01-20 is empty: a new cycle
  auto r = Bill("2026-02-01");
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "late-record");
  EXPECT_EQ(Starts(r), (std::vector<Date>{D("2026-01-22")}));
  ASSERT_EQ(r.lines.size(), 1u);  // no G2080 from the late counseling either
  EXPECT_EQ(r.lines[0].code, "G2067");
  EXPECT_EQ(CountFindings(r, "CL-7"), 1);
}

}  // namespace
}  // namespace otp::testing
