// The pre-submission edits over synthetic years (billing-rules.md SC-1 … SC-5): what billing
// produces passes every edit — several seeds, both episode cycles, take-homes of every length,
// injections and implants, patients who switch medication — and each edit catches a violation
// planted in what the night reads (the ledger of earlier nights, or the patients' file).
#include <gtest/gtest.h>

#include "billing/engine.h"
#include "night/night_fixture_billing.h"
#include "synth/synth.h"

namespace otp::nighttest {
namespace {

struct Year {
  uint64_t seed;
  bool weekday;
};

SynthFiles YearOf(const Year& y, Date start) {
  SynthOptions so;
  so.patients = 40;
  so.days = 365;
  so.start = start;
  so.seed = y.seed;
  so.facilities = 1;
  SynthFiles files = Synthesize(so);
  if (y.weekday) {
    const std::string patient = "episode-cycle=\"patient\"";
    const size_t at = files.facility_xml.find(patient);
    if (at != std::string::npos) files.facility_xml.replace(at, patient.size(), "episode-cycle=\"weekday:monday\"");
  }
  return files;
}

// Weekly nights over the year, then the night after its last day.
void RunYear(NightFixture& n, Date start) {
  for (Date night = start + 7; night <= start + 366; night = night + 7) {
    NightResult r = n.Run(night);
    ASSERT_TRUE(ExitOf(r) == 0 || ExitOf(r) == 3) << night.Iso() << ": " << r.status.message();
  }
  NightResult r = n.Run(start + 366);
  ASSERT_TRUE(ExitOf(r) == 0 || ExitOf(r) == 3) << r.status.message();
}

class EditsProperty : public ::testing::TestWithParam<Year> {};

TEST_P(EditsProperty, SC_WhatBillingProducesPassesEveryEdit) {
  const Date start = Day("2025-01-06");
  const SynthFiles files = YearOf(GetParam(), start);
  TempDir dir;
  NightFixture n(dir);
  n.SetConfig(files.facility_xml);
  n.SetPatients(files.patients_csv);
  n.SetServices(files.services_csv);
  RunYear(n, start);
  // The year exercises the rules the edits check.
  for (const char* codes : {"('G2078','G2079')", "('G2069','G2073','G0533','G2070','G2072')", "('G2076')",
                            "('G2215','G1028','G2216','G0532')"})
    EXPECT_GT(n.Count(std::string("SELECT COUNT(*) FROM claim_lines WHERE code IN ") + codes), 0) << codes;
  EXPECT_EQ(n.Count("SELECT COUNT(*) FROM holds WHERE reason LIKE 'SC-%' OR reason = 'duplicate-beneficiary'"), 0)
      << n.Rows("SELECT reason || ' ' || detail FROM holds WHERE reason LIKE 'SC-%'", 1).front();
  EXPECT_EQ(n.Count("SELECT COUNT(*) FROM claim_lines WHERE edits <> 'SC-1 SC-2 SC-3 SC-4 SC-5'"), 0);
  // The invariants themselves, read off the ledger: bundles of a patient 7 days apart (but EP-3's
  // first week of a weekday cycle), and no take-home add-on day inside a later drug-bundle week.
  const std::string bundles =
      "(SELECT c.patient_id p, l.dos d FROM claim_lines l JOIN claims c USING (claim_id) WHERE l.code IN "
      "('G2067','G2068','G2069','G2070','G2071','G2072','G2073','G2074','G2075','G0533'))";
  EXPECT_EQ(n.Count("SELECT COUNT(*) FROM " + bundles + " x JOIN " + bundles +
                    " y ON x.p = y.p AND y.d > x.d AND julianday(y.d) - julianday(x.d) < 7 "
                    "AND NOT (strftime('%w', x.d) <> '1' AND strftime('%w', y.d) = '1')"),
            0);
  EXPECT_EQ(n.Count("SELECT COUNT(*) FROM windows w JOIN episodes e ON e.facility_id = w.facility_id AND "
                    "e.patient_id = w.patient_id AND e.status = 'billed' AND e.bundle_code IN "
                    "('G2067','G2068','G2069','G2070','G2072','G2073','G2075','G0533') AND "
                    "e.start_date <= w.to_date AND w.from_date <= e.end_date WHERE w.code IN ('G2078','G2079')"),
            0);
}

INSTANTIATE_TEST_SUITE_P(Years, EditsProperty,
                         ::testing::Values(Year{1, false}, Year{2, true}, Year{3, false}, Year{5, true}),
                         [](const ::testing::TestParamInfo<Year>& i) {
                           return "seed" + std::to_string(i.param.seed) + (i.param.weekday ? "_weekday" : "");
                         });

// The edits read what the night reads, as a second pair of eyes: a violation planted where
// billing does not look is caught before submission — a bundle date on record (SC-1), a second
// patient id with the same MBI (SC-3), take-home units on record (SC-4). SC-2 and SC-5 read what
// billing reads as well; their planted violations are in tests/scrub. Nothing of a held line
// reaches an 837P.
class PlantedViolations : public ::testing::Test {
 protected:
  PlantedViolations() : n(dir) {
    n.SetConfig(OneFacilityXml());
    n.SetPatients(std::string(kPatientsHeader) + Patient("P1", "1EG4TE5MK72") + Patient("P2", "1EG4TE5MK73"));
  }
  static std::string Patient(const char* id, const char* mbi) {
    return std::string(id) + ",HRC01," + mbi + ",DOE,JANE,,1960-02-03,F,1 TEST ST,LOS ANGELES,CA,90001,2026-01-05,,"
           "maintenance,medicare,F11.20,0\n";
  }
  static std::string Dose(const char* id, const char* patient, const char* date, const char* service = "methadone_dose") {
    return std::string(id) + ",HRC01," + patient + "," + date + "," + service + ",40,in_person,,\n";
  }
  // Week 1 (01-05 … 01-11) billed on night 1; week 2 (01-12 … 01-18) with an intake for P2.
  void TwoWeeks() {
    n.SetServices(std::string(kServicesHeader) + Dose("A1", "P1", "2026-01-05") + Dose("B1", "P2", "2026-01-05"));
    ASSERT_LE(ExitOf(n.Run(Day("2026-01-12"))), 3);
    n.SetServices(std::string(kServicesHeader) + Dose("A1", "P1", "2026-01-05") + Dose("B1", "P2", "2026-01-05") +
                  Dose("A2", "P1", "2026-01-13") + Dose("B2", "P2", "2026-01-13") + Dose("K2", "P2", "2026-01-13", "intake"));
  }
  void Sql(const std::string& q) {
    auto db = sql::Db::Open(n.db(), sql::OpenMode::kExisting);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db.value()->Exec(q).ok()) << q;
  }
  std::string HoldOf(const char* record) {
    auto r = n.Rows(std::string("SELECT reason FROM service_rows WHERE record_id = '") + record + "'", 1);
    return r.empty() ? "" : r.front();
  }
  TempDir dir;
  NightFixture n;
};

TEST_F(PlantedViolations, SC1_ABundleOnRecordThreeDaysBeforeIsCaught) {
  TwoWeeks();
  Sql("UPDATE episodes SET bundle_dos = '2026-01-09' WHERE patient_id = 'P1'");
  ASSERT_EQ(ExitOf(n.Run(Day("2026-01-19"))), 3);
  EXPECT_EQ(HoldOf("A2"), "SC-1");
  EXPECT_EQ(HoldOf("B2"), "");  // P2's week passes
  EXPECT_EQ(n.Count("SELECT COUNT(*) FROM findings WHERE rule_id = 'SC-1'"), 1);
}

TEST_F(PlantedViolations, SC3_TheSameMbiUnderTwoPatientIdsIsHeldForBoth) {
  n.SetPatients(std::string(kPatientsHeader) + Patient("P1", "1EG4TE5MK72") + Patient("P2", "1EG4TE5MK72"));
  n.SetServices(std::string(kServicesHeader) + Dose("A1", "P1", "2026-01-05") + Dose("B1", "P2", "2026-01-05"));
  ASSERT_EQ(ExitOf(n.Run(Day("2026-01-12"))), 3);
  EXPECT_EQ(HoldOf("A1"), "duplicate-beneficiary");
  EXPECT_EQ(HoldOf("B1"), "duplicate-beneficiary");
  EXPECT_EQ(n.Count("SELECT COUNT(*) FROM claim_lines"), 0);
  const auto details = n.Rows("SELECT detail FROM holds WHERE reason = 'duplicate-beneficiary' ORDER BY patient_id", 1);
  ASSERT_EQ(details.size(), 2u);
  EXPECT_NE(details[0].find("P2"), std::string::npos);
  EXPECT_NE(details[1].find("P1"), std::string::npos);
}

// SC-4 counts the take-home units of an episode over every night; billing does not read them
// back (it decides a take-home's add-on once): three units on record for the week make
// tonight's fourth one fail.
TEST_F(PlantedViolations, SC4_TakeHomeUnitsOnRecordForTheWeekAreCaught) {
  const std::string week1 = std::string(kServicesHeader) + Dose("A1", "P1", "2026-01-05") +
                            "T1,HRC01,P1,2026-01-11,methadone_takehome,3,in_person,,\n";
  n.SetServices(week1);
  ASSERT_LE(ExitOf(n.Run(Day("2026-01-12"))), 3);
  n.SetServices(week1 + "C2,HRC01,P1,2026-01-15,toxicology_test,1,in_person,,\n");
  ASSERT_LE(ExitOf(n.Run(Day("2026-01-19"))), 3);
  EXPECT_EQ(HoldOf("T1"), kAwaitingWeeks);
  Sql("INSERT INTO patient_lines VALUES ('HRC01', 'P1', '2026-01-10', 'G2078', 'C000000999', 1, 3)");
  ASSERT_EQ(ExitOf(n.Run(Day("2026-01-21"))), 3);
  EXPECT_EQ(HoldOf("T1"), "SC-4");
  EXPECT_EQ(n.Count("SELECT COUNT(*) FROM claim_lines WHERE code = 'G2078'"), 0);
}

}  // namespace
}  // namespace otp::nighttest
