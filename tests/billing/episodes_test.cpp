// EP-1 (patient and weekday cycles, gaps, history), EP-2 (open episodes), EP-3 (dates of service).
#include "billing_fixture.h"

namespace otp::testing {
namespace {

class Episodes : public BillingTest {};

TEST_F(Episodes, EP1_PatientCycleStartsOnFirstService) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-08", SV::kMethadoneDose);
  Add("2026-01-13", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.episodes.size(), 1u);
  EXPECT_EQ(r.episodes[0].start, D("2026-01-07"));
  EXPECT_EQ(r.episodes[0].end, D("2026-01-13"));
  EXPECT_EQ(r.episodes[0].status, "billed");
  EXPECT_EQ(r.episodes[0].bundle_code, "G2067");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2067");
  EXPECT_EQ(r.lines[0].dos, D("2026-01-07"));
  EXPECT_EQ(r.lines[0].units, 1);
  EXPECT_EQ(r.lines[0].charge, M("277.29"));
  EXPECT_EQ(r.lines[0].rule_id, "BU-2");
  EXPECT_EQ(r.lines[0].source_record_ids, (std::vector<std::string>{"R1", "R2", "R3"}));
  for (const auto& o : r.outcomes) EXPECT_EQ(o.outcome, Outcome::kBilled);
}

TEST_F(Episodes, EP1_NextEpisodeStartsDayAfterWhenItHasService) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-16", SV::kMethadoneDose);  // inside 01-14..01-20
  Add("2026-01-21", SV::kMethadoneDose);  // inside 01-21..01-27
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.episodes.size(), 3u);
  EXPECT_EQ(r.episodes[1].start, D("2026-01-14"));
  EXPECT_EQ(r.episodes[2].start, D("2026-01-21"));
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[1].dos, D("2026-01-14"));  // EP-3: the day after the previous period
  EXPECT_EQ(r.lines[1].episode_start, D("2026-01-14"));
  EXPECT_EQ(r.lines[2].dos, D("2026-01-21"));
}

TEST_F(Episodes, EP1_GapOfSevenDaysRestartsCycle) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-21", SV::kMethadoneDose);  // 01-14..01-20 has no service
  Add("2026-02-04", SV::kMethadoneDose);  // 01-28..02-03 has no service either
  auto r = Bill("2026-03-01");
  ASSERT_EQ(r.episodes.size(), 3u);
  EXPECT_EQ(r.episodes[1].start, D("2026-01-21"));
  EXPECT_EQ(r.episodes[1].end, D("2026-01-27"));
  EXPECT_EQ(r.episodes[2].start, D("2026-02-04"));
}

TEST_F(Episodes, EP1_WeekdayMondayCycle) {
  facility.cycle.patient = false;
  facility.cycle.weekday = 1;  // Monday
  Add("2026-01-07", SV::kMethadoneDose);  // Wednesday
  Add("2026-01-11", SV::kMethadoneDose);  // Sunday: same calendar week
  Add("2026-01-12", SV::kMethadoneDose);  // Monday: next week
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.episodes.size(), 2u);
  EXPECT_EQ(r.episodes[0].start, D("2026-01-05"));
  EXPECT_EQ(r.episodes[0].end, D("2026-01-11"));
  EXPECT_EQ(r.episodes[1].start, D("2026-01-12"));
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].dos, D("2026-01-07"));
  EXPECT_EQ(r.lines[0].episode_start, D("2026-01-05"));
  EXPECT_EQ(r.lines[0].source_record_ids.size(), 2u);
  EXPECT_EQ(r.lines[1].dos, D("2026-01-12"));
}

TEST_F(Episodes, EP1_WeekdayCycleOpenWeekWaits) {
  facility.cycle.patient = false;
  facility.cycle.weekday = 1;
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-12", SV::kMethadoneDose);
  auto r = Bill("2026-01-18");  // week of 01-12 ends on 01-18: not before as-of
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(OutcomeOf(r, "R2").outcome, Outcome::kOpen);
}

TEST_F(Episodes, EP1_ComplianceEventsNeverStartAnEpisode) {
  Add("2026-01-05", SV::kPhysicalExam);
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-15", SV::kCarePlan);  // would continue into 01-14..01-20 if it counted
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.episodes.size(), 1u);
  EXPECT_EQ(r.episodes[0].start, D("2026-01-07"));
  EXPECT_EQ(OutcomeOf(r, "R1").outcome, Outcome::kNotBillable);
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "compliance-event");
  EXPECT_EQ(OutcomeOf(r, "R3").reason, "compliance-event");
  EXPECT_EQ(r.lines[0].source_record_ids, (std::vector<std::string>{"R2"}));
}

TEST_F(Episodes, EP1_ContinuesNumberingFromHistory) {
  history.last_episode_end = D("2026-01-13");
  Add("2026-01-16", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.episodes.size(), 1u);
  EXPECT_EQ(r.episodes[0].start, D("2026-01-14"));
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].dos, D("2026-01-14"));  // EP-3: consecutive with the episode on record
  EXPECT_EQ(r.lines[0].episode_start, D("2026-01-14"));
}

TEST_F(Episodes, EP1_LateRecordInsideDecidedEpisodeIsHeld) {
  Decided("2026-01-07");
  Add("2026-01-10", SV::kCounselingIndividual, 30);
  Add("2026-01-14", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  EXPECT_EQ(OutcomeOf(r, "R1").outcome, Outcome::kHeld);
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "late-record");
  ASSERT_EQ(r.lines.size(), 1u);  // never a second bundle for 01-07..01-13
  EXPECT_EQ(r.lines[0].episode_start, D("2026-01-14"));
  EXPECT_EQ(r.lines[0].source_record_ids, (std::vector<std::string>{"R2"}));
  ASSERT_NE(FindHold(r, "late-record"), nullptr);
  EXPECT_EQ(CountFindings(r, "CL-7"), 1);
}

// A week nobody billed (its only row was rejected on the night the weeks around it were
// decided) is billed when the corrected row arrives: no decided week covers it.
TEST_F(Episodes, EP1_LateRecordInUndecidedGapWeekIsBilledInAWeekOfItsOwn) {
  Decided("2026-01-01");
  Decided("2026-01-20");
  Add("2026-01-12", SV::kMethadoneDose);  // EP-1: the cycle continues from 01-07
  auto r = Bill("2026-02-01");
  EXPECT_EQ(OutcomeOf(r, "R1").outcome, Outcome::kBilled);
  EXPECT_EQ(Starts(r), (std::vector<Date>{D("2026-01-08")}));
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].dos, D("2026-01-08"));  // EP-3: consecutive with the week before
  EXPECT_TRUE(r.holds.empty());
}

TEST_F(Episodes, EP1_LateRecordMoreThanAWeekAfterADecidedWeekStartsAWeekOfItsOwn) {
  Decided("2026-01-01");
  Decided("2026-01-28");
  Add("2026-01-16", SV::kMethadoneDose);  // 9 days after 01-07: a new cycle from 01-16
  auto r = Bill("2026-02-10");
  EXPECT_EQ(Starts(r), (std::vector<Date>{D("2026-01-16")}));
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].dos, D("2026-01-16"));
}

TEST_F(Episodes, CL7_LateRecordOverlappingADecidedWeekIsHeld) {
  Decided("2026-01-01");
  Decided("2026-01-20");
  Add("2026-01-16", SV::kMethadoneDose);  // its week 01-16 … 01-22 would overlap 01-20
  auto r = Bill("2026-02-01");
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "late-record");
}

// A week held earlier (no OUD diagnosis) is decided again when its row arrives, not held as late.
TEST_F(Episodes, CL7_RowOfAHeldWeekIsDecidedWithTheWeek) {
  Decided("2026-01-07", "held");
  Add("2026-01-09", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  EXPECT_EQ(OutcomeOf(r, "R1").outcome, Outcome::kBilled);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].episode_start, D("2026-01-07"));
  EXPECT_EQ(r.lines[0].dos, D("2026-01-07"));
}

TEST_F(Episodes, EP2_EpisodeEndingOnAsOfStaysOpen) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-09", SV::kMethadoneDose);
  auto open = Bill("2026-01-13");  // episode ends 01-13: not before as-of
  EXPECT_TRUE(open.lines.empty());
  EXPECT_TRUE(open.episodes.empty());
  EXPECT_TRUE(open.holds.empty());
  for (const auto& o : open.outcomes) EXPECT_EQ(o.outcome, Outcome::kOpen);
  auto ended = Bill("2026-01-14");
  ASSERT_EQ(ended.lines.size(), 1u);
  EXPECT_EQ(ended.lines[0].code, "G2067");
}

TEST_F(Episodes, EP2_OnlyEndedEpisodesAreDecided) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-14", SV::kMethadoneDose);
  Add("2026-01-15", SV::kIntake);
  auto r = Bill("2026-01-18");
  ASSERT_EQ(r.episodes.size(), 1u);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(OutcomeOf(r, "R1").outcome, Outcome::kBilled);
  EXPECT_EQ(OutcomeOf(r, "R2").outcome, Outcome::kOpen);
  EXPECT_EQ(OutcomeOf(r, "R3").outcome, Outcome::kOpen);
}

TEST_F(Episodes, EP2_OpenEpisodeOfNonMedicarePatientStaysOpen) {
  patient.payer = Payer::kMedicaid;
  Add("2026-01-07", SV::kMethadoneDose);
  auto r = Bill("2026-01-10");
  EXPECT_EQ(OutcomeOf(r, "R1").outcome, Outcome::kOpen);
}

TEST_F(Episodes, EP3_EpisodeAcrossMonthsBundleDosIsFirstServiceAndClaimsSplit) {
  Add("2026-01-28", SV::kToxicologyTest);
  Add("2026-01-29", SV::kMethadoneDose);
  Add("2026-02-02", SV::kMethadoneDose);
  Add("2026-02-02", SV::kIntake);
  auto r = Bill("2026-03-01");
  ASSERT_EQ(r.lines.size(), 2u);
  auto bundle = Lines(r, "G2067");
  ASSERT_EQ(bundle.size(), 1u);
  EXPECT_EQ(bundle[0].dos, D("2026-01-28"));
  auto intake = Lines(r, "G2076");
  ASSERT_EQ(intake.size(), 1u);
  EXPECT_EQ(intake[0].dos, D("2026-02-02"));
  auto claims = AssembleClaims(patient, r.lines, Rules());
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].lines[0].code, "G2067");
  EXPECT_EQ(claims[0].Total(), M("277.29"));
  EXPECT_EQ(claims[1].lines[0].code, "G2076");
  EXPECT_EQ(claims[1].Total(), M("234.59"));
}

TEST_F(Episodes, EP3_AddOnFromSeveralRowsCarriesFirstDate) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-08", SV::kCareCoordination, 20);
  Add("2026-01-10", SV::kCareCoordination, 20);
  auto r = Bill("2026-02-01");
  auto cc = Lines(r, "G0534");
  ASSERT_EQ(cc.size(), 1u);
  EXPECT_EQ(cc[0].dos, D("2026-01-08"));
  EXPECT_EQ(cc[0].units, 1);
  EXPECT_EQ(cc[0].source_record_ids, (std::vector<std::string>{"R2", "R3"}));
}

}  // namespace
}  // namespace otp::testing
