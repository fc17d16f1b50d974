// Rows and rules across nights, through the whole nightly pipeline (RunNight + the ledger):
// late records (CL-7), changed rows, re-runs, coverage windows that span runs (BU-4), one
// intake per admission (AD-1) and the naloxone 30-day rule (AD-4) when the earlier line was
// billed on an earlier night. One Medicare patient P1 at HRC01, patient episode cycle; the
// first service is Monday 2026-01-05, so episodes are 01-05…01-11, 01-12…01-18, …
#include <gtest/gtest.h>

#include "night/night_fixture_billing.h"
#include "billing/engine.h"

namespace otp::nighttest {
namespace {

// "code dos units" of every claim line, sorted — short, readable expectations.
std::vector<std::string> Codes(const NightFixture& n) {
  std::vector<std::string> out;
  for (const auto& l : n.Lines())
    out.push_back(l.code + (l.modifiers.empty() ? "" : "-" + l.modifiers) + " " + l.dos + " x" +
                  std::to_string(l.units));
  std::sort(out.begin(), out.end());
  return out;
}

class LateRecords : public ::testing::Test {
 protected:
  LateRecords() : night(dir) {
    night.SetConfig(OneFacilityXml());
    night.SetPatients(OnePatientCsv());
  }
  // The outcome the ledger keeps for a row: "status reason".
  std::string OutcomeOf(const std::string& record_id) const {
    auto rows = night.Rows("SELECT status, reason FROM service_rows WHERE record_id = '" + record_id + "'", 2);
    return rows.empty() ? "missing" : rows.front();
  }
  int64_t Claims() const { return night.Count("SELECT COUNT(*) FROM claims"); }
  int64_t Findings(const std::string& rule) const {
    return night.Count("SELECT COUNT(*) FROM findings WHERE rule_id = '" + rule + "'");
  }

  TempDir dir;
  NightFixture night;
  // The first week: methadone on Monday to Friday.
  const std::string week1 = Row("R1", "2026-01-05", "methadone_dose", "40") + Row("R2", "2026-01-06", "methadone_dose", "45") +
                            Row("R3", "2026-01-07", "methadone_dose", "50") + Row("R4", "2026-01-08", "methadone_dose", "50") +
                            Row("R5", "2026-01-09", "methadone_dose", "55");
};

TEST_F(LateRecords, CL7_RowArrivingAfterItsEpisodeWasBilledIsHeldLate) {
  night.SetServices(kServicesHeader + week1);
  NightResult r1 = night.Run(Day("2026-01-12"));
  ASSERT_EQ(ExitOf(r1), 0) << r1.status.message();
  ASSERT_EQ(Codes(night), std::vector<std::string>({"G2067 2026-01-05 x1"}));

  // Next night: a counseling row and a dose for days of the billed episode arrive, plus a
  // row dated before the first episode. None may make a second bundle.
  night.SetServices(kServicesHeader + week1 + Row("L1", "2026-01-07", "counseling_individual", "60") +
                    Row("L2", "2026-01-10", "methadone_dose", "55") + Row("L3", "2026-01-02", "toxicology_test"));
  NightResult r2 = night.Run(Day("2026-01-13"));
  EXPECT_EQ(ExitOf(r2), 3);  // held rows need a person
  EXPECT_EQ(r2.counts.held_by_reason["late-record"], 3);
  EXPECT_EQ(r2.counts.already_processed, 5);
  EXPECT_EQ(r2.counts.billed, 0);
  EXPECT_EQ(Codes(night), std::vector<std::string>({"G2067 2026-01-05 x1"}));
  EXPECT_EQ(Claims(), 1);
  EXPECT_EQ(OutcomeOf("L1"), "held|late-record");
  EXPECT_EQ(OutcomeOf("L2"), "held|late-record");
  EXPECT_EQ(OutcomeOf("L3"), "held|late-record");
  EXPECT_EQ(night.Count("SELECT COUNT(*) FROM holds WHERE reason = 'late-record'"), 3);
  EXPECT_EQ(Findings("CL-7"), 3);

  // The third night re-sends them: they stay held, not held again, and nothing is billed.
  NightResult r3 = night.Run(Day("2026-01-14"));
  EXPECT_EQ(r3.counts.already_processed, 8);
  EXPECT_EQ(r3.counts.held, 0);
  EXPECT_EQ(night.Count("SELECT COUNT(*) FROM holds WHERE reason = 'late-record'"), 3);
  EXPECT_EQ(Claims(), 1);
}

TEST_F(LateRecords, CL7_RowOfTheNextEpisodeIsNotLate) {
  // The edge: 01-12 is the day after the billed episode, so it opens the next one.
  night.SetServices(kServicesHeader + week1);
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-12"))), 0);
  night.SetServices(kServicesHeader + week1 + Row("N1", "2026-01-12", "methadone_dose", "55"));
  NightResult r = night.Run(Day("2026-01-19"));
  EXPECT_EQ(ExitOf(r), 0) << r.status.message();
  EXPECT_EQ(r.counts.held, 0);
  EXPECT_EQ(Codes(night), std::vector<std::string>({"G2067 2026-01-05 x1", "G2067 2026-01-12 x1"}));
}

TEST_F(LateRecords, CL7_RowChangedAfterBillingIsHeldRecordChanged) {
  night.SetServices(kServicesHeader + week1);
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-12"))), 0);
  // R3 comes back with another quantity and modality: the ledger keeps the first version.
  std::string changed = week1;
  changed.replace(changed.find("R3,HRC01,P1,2026-01-07,methadone_dose,50"),
                  std::string("R3,HRC01,P1,2026-01-07,methadone_dose,50").size(),
                  "R3,HRC01,P1,2026-01-07,methadone_dose,80");
  night.SetServices(kServicesHeader + changed);
  NightResult r = night.Run(Day("2026-01-13"));
  EXPECT_EQ(ExitOf(r), 3);
  EXPECT_EQ(r.counts.held_by_reason["record-changed"], 1);
  EXPECT_EQ(r.counts.already_processed, 4);
  EXPECT_EQ(Codes(night), std::vector<std::string>({"G2067 2026-01-05 x1"}));
  EXPECT_EQ(night.Count("SELECT CAST(quantity AS INTEGER) FROM service_rows WHERE record_id = 'R3'"), 50);
  EXPECT_EQ(OutcomeOf("R3"), "billed|");
  EXPECT_EQ(night.Count("SELECT COUNT(*) FROM holds WHERE reason = 'record-changed' AND record_ids = 'R3'"), 1);
}

TEST_F(LateRecords, CL7_ReRunOfTheSameNightWritesNoNewClaims) {
  night.SetServices(kServicesHeader + week1 + Row("R6", "2026-01-05", "intake") +
                    Row("R7", "2026-01-13", "methadone_dose", "55"));
  NightResult r1 = night.Run(Day("2026-01-12"));
  ASSERT_EQ(ExitOf(r1), 0) << r1.status.message();
  EXPECT_EQ(r1.counts.billed, 6);
  EXPECT_EQ(r1.counts.open, 1);  // R7: its episode 01-12…01-18 has not ended
  const auto lines = night.Lines();
  ASSERT_EQ(Codes(night), std::vector<std::string>({"G2067 2026-01-05 x1", "G2076 2026-01-05 x1"}));
  const int64_t claims = Claims(), interchanges = night.Count("SELECT COUNT(*) FROM interchanges");

  NightResult r2 = night.Run(Day("2026-01-12"));
  EXPECT_EQ(ExitOf(r2), 0) << r2.status.message();
  EXPECT_EQ(r2.counts.billed, 0);
  EXPECT_EQ(r2.counts.already_processed, 6);
  EXPECT_EQ(r2.counts.open, 1);
  EXPECT_EQ(Claims(), claims);
  EXPECT_EQ(night.Count("SELECT COUNT(*) FROM interchanges"), interchanges);
  EXPECT_EQ(night.Lines(), lines);
  for (const auto& f : r2.files) EXPECT_EQ(f.find(".837"), std::string::npos) << f;
  EXPECT_NE(r2.summary_json.find("\"claims_written\": 0"), std::string::npos) << r2.summary_json;
}

TEST_F(LateRecords, BU4_MonthlyInjectionWindowSpansLaterNights) {
  // Night 1 bills the monthly injection: a window 01-05 … 02-01 (28 days).
  std::string rows = Row("I1", "2026-01-05", "buprenorphine_injection_monthly", "300");
  night.SetServices(kServicesHeader + rows);
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-12"))), 0);
  ASSERT_EQ(Codes(night), std::vector<std::string>({"G2069 2026-01-05 x1"}));
  EXPECT_EQ(night.Rows("SELECT from_date, to_date, code FROM windows", 3),
            std::vector<std::string>({"2026-01-05|2026-02-01|G2069"}));

  // Weeks later, on-site doses arrive on their own nights: inside the window → G2074 + finding.
  rows += Row("D1", "2026-01-13", "buprenorphine_oral_dose", "8") + Row("D2", "2026-01-14", "buprenorphine_oral_dose", "8");
  night.SetServices(kServicesHeader + rows);
  NightResult r2 = night.Run(Day("2026-01-19"));
  EXPECT_EQ(ExitOf(r2), 0) << r2.status.message();
  EXPECT_EQ(Findings("BU-4-overlap"), 1);
  // The window's last day (02-01) still overlaps: its episode 02-01 … 02-07 bills G2074 too.
  rows += Row("D3", "2026-02-01", "buprenorphine_oral_dose", "8");
  night.SetServices(kServicesHeader + rows);
  ASSERT_EQ(ExitOf(night.Run(Day("2026-02-08"))), 0);
  EXPECT_EQ(Findings("BU-4-overlap"), 2);
  // The first day after the window bills the drug again.
  rows += Row("D4", "2026-02-09", "buprenorphine_oral_dose", "8");
  night.SetServices(kServicesHeader + rows);
  ASSERT_EQ(ExitOf(night.Run(Day("2026-02-15"))), 0);
  // EP-3: each consecutive week's bundle carries the day after the week before.
  EXPECT_EQ(Codes(night), std::vector<std::string>({"G2068 2026-02-08 x1", "G2069 2026-01-05 x1",
                                                    "G2074 2026-01-12 x1", "G2074 2026-02-01 x1"}));
  EXPECT_EQ(Findings("BU-4-overlap"), 2);
  auto rule = night.Rows("SELECT rule_id FROM claim_lines WHERE code = 'G2074' AND dos = '2026-01-12'", 1);
  EXPECT_EQ(rule, std::vector<std::string>({"BU-3 BU-4"}));
}

TEST_F(LateRecords, TH1_BU4_TakeHomeAddOnDecidedWhenTheNextWeekEnds) {
  // Night 1: methadone 01-05 with a 10-day take-home → days 01-06 … 01-15; 01-12 … 01-15 are
  // after the episode and reach into the week 01-12 … 01-18, not ended: the bundle is billed,
  // the take-home waits.
  std::string rows = Row("M1", "2026-01-05", "methadone_dose", "40") + Row("T1", "2026-01-05", "methadone_takehome", "10");
  night.SetServices(kServicesHeader + rows);
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-12"))), 0);
  EXPECT_EQ(Codes(night), std::vector<std::string>({"G2067 2026-01-05 x1"}));
  EXPECT_EQ(OutcomeOf("T1"), std::string("open|") + kAwaitingWeeks);
  // Night 2: that week had a dose on 01-15 (a day the take-home supplied) and a drug test: no
  // drug of its own, so G2074 with BU-4-overlap. The take-home still waits: a week holding its
  // last day (01-15) may run to 01-21.
  rows += Row("M2", "2026-01-15", "methadone_dose", "40") + Row("M3", "2026-01-16", "toxicology_test");
  night.SetServices(kServicesHeader + rows);
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-19"))), 0);
  EXPECT_EQ(Codes(night), std::vector<std::string>({"G2067 2026-01-05 x1", "G2074 2026-01-12 x1"}));
  EXPECT_EQ(OutcomeOf("T1"), std::string("open|") + kAwaitingWeeks);
  EXPECT_EQ(Findings("BU-4-overlap"), 1);
  // Night 3: the take-home's four days are its add-on.
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-22"))), 0);
  EXPECT_EQ(Codes(night), std::vector<std::string>({"G2067 2026-01-05 x1", "G2074 2026-01-12 x1",
                                                    "G2078 2026-01-05 x1"}));
  EXPECT_EQ(OutcomeOf("T1"), "billed|");
}

// TH-1 (OIG A-09-22-03005): when the next week doses on days of its own, its G2067 pays the
// take-home's days in it, decided on the night that week ends: no G2078 at all.
TEST_F(LateRecords, TH1_ANextWeekWithItsOwnDosesPaysTheTakeHomeDays) {
  std::string rows = Row("M1", "2026-01-05", "methadone_dose", "40") + Row("T1", "2026-01-11", "methadone_takehome", "1");
  night.SetServices(kServicesHeader + rows);
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-12"))), 0);
  rows += Row("M2", "2026-01-13", "methadone_dose", "40");
  night.SetServices(kServicesHeader + rows);
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-19"))), 0);
  EXPECT_EQ(Codes(night), std::vector<std::string>({"G2067 2026-01-05 x1", "G2067 2026-01-12 x1"}));
  EXPECT_EQ(OutcomeOf("T1"), "billed|");
}

TEST_F(LateRecords, AD1_IntakeOncePerAdmissionAcrossNights) {
  std::string rows = week1 + Row("K1", "2026-01-05", "intake");
  night.SetServices(kServicesHeader + rows);
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-12"))), 0);
  // A second intake in the same admission, a week later and on a later night: held.
  rows += Row("K2", "2026-01-13", "intake") + Row("R8", "2026-01-13", "methadone_dose", "55");
  night.SetServices(kServicesHeader + rows);
  NightResult r2 = night.Run(Day("2026-01-19"));
  EXPECT_EQ(ExitOf(r2), 3);
  EXPECT_EQ(r2.counts.held_by_reason["intake-repeat"], 1);
  EXPECT_EQ(OutcomeOf("K2"), "held|intake-repeat");
  // Readmitted on 02-02 (patients.csv now says so): the new admission's intake is billed.
  night.SetPatients(OnePatientCsv("2026-02-02"));
  rows += Row("K3", "2026-02-02", "intake") + Row("R9", "2026-02-02", "methadone_dose", "30");
  night.SetServices(kServicesHeader + rows);
  NightResult r3 = night.Run(Day("2026-02-09"));
  EXPECT_EQ(r3.counts.held_by_reason["intake-repeat"], 0);
  EXPECT_EQ(OutcomeOf("K3"), "billed|");
  EXPECT_EQ(Codes(night), std::vector<std::string>({"G2067 2026-01-05 x1", "G2067 2026-01-12 x1",
                                                    "G2067 2026-02-02 x1", "G2076 2026-01-05 x1",
                                                    "G2076 2026-02-02 x1"}));
}

TEST_F(LateRecords, AD4_NaloxoneThirtyDaysAcrossNights) {
  std::string rows = week1 + Row("X1", "2026-01-05", "naloxone_nasal_4mg");
  night.SetServices(kServicesHeader + rows);
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-12"))), 0);
  // 15 days later on another night: held; the same day with medically_necessary: billed.
  rows += Row("R8", "2026-01-20", "methadone_dose", "55") + Row("X2", "2026-01-20", "naloxone_nasal_4mg") +
          Row("X3", "2026-01-21", "naloxone_nasal_4mg", "1", "in_person", "medically_necessary");
  night.SetServices(kServicesHeader + rows);
  NightResult r2 = night.Run(Day("2026-01-27"));
  EXPECT_EQ(r2.counts.held_by_reason["overdose-med-repeat"], 1);
  EXPECT_EQ(OutcomeOf("X2"), "held|overdose-med-repeat");
  EXPECT_EQ(OutcomeOf("X3"), "billed|");
  // The edges against the 01-21 line billed last night: day 29 after it (02-19) is a repeat,
  // day 30 (02-20) is not. Both on one night, in the episode 02-17 … 02-23.
  rows += Row("R9", "2026-02-17", "methadone_dose", "55") + Row("X4", "2026-02-19", "naloxone_nasal_4mg") +
          Row("X5", "2026-02-20", "naloxone_nasal_4mg");
  night.SetServices(kServicesHeader + rows);
  NightResult r3 = night.Run(Day("2026-02-24"));
  EXPECT_EQ(OutcomeOf("X4"), "held|overdose-med-repeat");
  EXPECT_EQ(OutcomeOf("X5"), "billed|");
  EXPECT_EQ(night.Count("SELECT COUNT(*) FROM claim_lines WHERE code = 'G2215'"), 3);  // 01-05, 01-21, 02-20
  auto dates = night.Rows("SELECT dos FROM claim_lines WHERE code = 'G2215'", 1);
  EXPECT_EQ(dates, std::vector<std::string>({"2026-01-05", "2026-01-21", "2026-02-20"}));
}

}  // namespace
}  // namespace otp::nighttest
