// CL-1 payer, CL-2 program gates, CL-3 diagnosis, CL-4 claim shape, CL-5 prices, code dates,
// and the bookkeeping every run relies on (one outcome per row, stable finding keys).
#include "billing_fixture.h"

#include <set>

namespace otp::testing {
namespace {

class Claims : public BillingTest {};

TEST_F(Claims, CL1_MedicaidEpisodeNotBillable) {
  patient.payer = Payer::kMedicaid;
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-07", SV::kIntake);
  auto r = Bill("2026-02-01");
  EXPECT_TRUE(r.lines.empty());
  EXPECT_TRUE(r.holds.empty());
  ASSERT_EQ(r.episodes.size(), 1u);
  EXPECT_EQ(r.episodes[0].status, "not-billable");
  EXPECT_EQ(r.episodes[0].reason, "payer");
  for (const auto& o : r.outcomes) {
    EXPECT_EQ(o.outcome, Outcome::kNotBillable);
    EXPECT_EQ(o.reason, "payer");
  }
}

TEST_F(Claims, CL1_MedicareAdvantageNotBillable) {
  patient.payer = Payer::kMedicareAdvantage;
  Add("2026-01-07", SV::kBuprenorphineOralDose);
  auto r = Bill("2026-02-01");
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "payer");
}

TEST_F(Claims, CL1_ComplianceEventOfOtherPayerStaysComplianceEvent) {
  patient.payer = Payer::kSelf;
  Add("2026-01-07", SV::kCarePlan);
  Add("2026-01-07", SV::kToxicologyTest);
  auto r = Bill("2026-02-01");
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "compliance-event");
  EXPECT_EQ(OutcomeOf(r, "R2").reason, "payer");
}

TEST_F(Claims, CL2_LapsedDeaRegistrationHoldsLinesOnLaterDates) {
  facility.credentials[2] = Cred("dea-registration", "2020-01-01", "2026-01-09");
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-10", SV::kPeriodicAssessment);  // DEA lapsed the day before
  Add("2026-01-14", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].dos, D("2026-01-07"));
  EXPECT_EQ(OutcomeOf(r, "R2").reason, "gate:dea-registration");
  EXPECT_EQ(OutcomeOf(r, "R3").reason, "gate:dea-registration");
  EXPECT_EQ(CountFindings(r, "CL-2"), 2);
  EXPECT_EQ(r.episodes[1].status, "held");
  EXPECT_EQ(r.episodes[1].reason, "gate:dea-registration");
}

TEST_F(Claims, CL2_RenewalCoversTheDate) {
  facility.credentials[3] = Cred("state-license", "2025-01-01", "2025-12-31");
  facility.credentials.push_back(Cred("state-license", "2026-01-01", "2026-12-31"));
  Add("2025-12-29", SV::kMethadoneDose);
  Add("2026-01-02", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_TRUE(r.holds.empty());
}

TEST_F(Claims, CL2_ProvisionalCertificationOnlyWithinOneYear) {
  facility.credentials[0] = Cred("samhsa-certification", "2025-01-07", "2027-12-31", "provisional");
  Add("2026-01-06", SV::kMethadoneDose);  // day 365 of the term (effective + 364): covered
  Add("2026-01-13", SV::kMethadoneDose);  // after the one-year term
  Add("2026-01-20", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].dos, D("2026-01-06"));
  EXPECT_EQ(OutcomeOf(r, "R3").reason, "gate:samhsa-certification");
}

TEST_F(Claims, CL2_AccreditationRequiredWithFullCertification) {
  facility.credentials[1] = Cred("accreditation", "2020-01-01", "2025-12-31");
  Add("2026-01-07", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "gate:accreditation");
}

TEST_F(Claims, CL2_MedicareEnrollmentNotYetEffective) {
  facility.credentials[4] = Cred("medicare-enrollment", "2026-01-10");
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-14", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].dos, D("2026-01-14"));
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "gate:medicare-enrollment");
  ASSERT_NE(FindHold(r, "gate:medicare-enrollment"), nullptr);
  EXPECT_EQ(FindHold(r, "gate:medicare-enrollment")->code, "G2067");
}

TEST_F(Claims, CL3_NonOpioidDiagnosisHeld) {
  patient.diagnosis = "F1020";
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-08", SV::kIntake);
  auto r = Bill("2026-02-01");
  EXPECT_TRUE(r.lines.empty());
  for (const auto& o : r.outcomes) EXPECT_EQ(o.reason, "no-oud-diagnosis");
  ASSERT_EQ(r.holds.size(), 1u);
  EXPECT_EQ(r.holds[0].record_ids.size(), 2u);
  EXPECT_EQ(CountFindings(r, "CL-3"), 1);
  EXPECT_EQ(r.episodes[0].reason, "no-oud-diagnosis");
}

TEST_F(Claims, CL3_DottedOpioidDiagnosisAccepted) {
  patient.diagnosis = "f11.20";
  Add("2026-01-07", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  auto claims = AssembleClaims(patient, r.lines);
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].diagnosis, "F1120");
}

TEST_F(Claims, CL3_EachEpisodeHeld) {
  patient.diagnosis = "Z79891";
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-14", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  EXPECT_EQ(r.holds.size(), 2u);
  EXPECT_EQ(r.episodes.size(), 2u);
}

ClaimLine LineOn(const char* dos, const char* code) {
  ClaimLine l;
  l.dos = D(dos);
  l.code = code;
  l.charge = M("10.00");
  return l;
}

TEST_F(Claims, CL4_FiftyLinesPerClaim) {
  std::vector<ClaimLine> lines;
  for (int i = 0; i < 60; ++i) lines.push_back(LineOn(i % 2 ? "2026-01-20" : "2026-01-10", "G2077"));
  auto claims = AssembleClaims(patient, lines, Rules());
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].lines.size(), 50u);
  EXPECT_EQ(claims[1].lines.size(), 10u);
  EXPECT_EQ(claims[0].Total(), M("500.00"));
  EXPECT_EQ(claims[0].lines[0].dos, D("2026-01-10"));
  EXPECT_EQ(claims[0].lines[29].dos, D("2026-01-10"));
  EXPECT_EQ(claims[0].lines[30].dos, D("2026-01-20"));
  EXPECT_EQ(claims[0].patient_id, "P1");
  EXPECT_EQ(claims[0].facility_id, "HRC01");
  EXPECT_TRUE(claims[0].claim_id.empty());
}

TEST_F(Claims, CL4_SplitByMonthAndSortedByDosThenCode) {
  std::vector<ClaimLine> lines = {LineOn("2026-02-03", "G2077"), LineOn("2026-01-31", "G2078"),
                                  LineOn("2026-01-31", "G2067"), LineOn("2026-02-01", "G2074"),
                                  LineOn("2025-12-31", "G2067")};
  auto claims = AssembleClaims(patient, lines, Rules());
  ASSERT_EQ(claims.size(), 3u);
  ASSERT_EQ(claims[0].lines.size(), 1u);
  EXPECT_EQ(claims[0].lines[0].dos, D("2025-12-31"));
  ASSERT_EQ(claims[1].lines.size(), 2u);
  EXPECT_EQ(claims[1].lines[0].code, "G2067");
  EXPECT_EQ(claims[1].lines[1].code, "G2078");
  ASSERT_EQ(claims[2].lines.size(), 2u);
  EXPECT_EQ(claims[2].lines[0].code, "G2074");
  EXPECT_EQ(claims[2].lines[1].code, "G2077");
}

TEST_F(Claims, CL4_NoLinesNoClaims) {
  EXPECT_TRUE(AssembleClaims(patient, {}, Rules()).empty());
}

TEST_F(Claims, CL5_NationalPrices) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-07", SV::kIntake);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(Lines(r, "G2067")[0].unit_price, M("277.29"));  // 44.41 + 232.88
  EXPECT_EQ(Lines(r, "G2076")[0].unit_price, M("234.59"));
  EXPECT_NE(Lines(r, "G2067")[0].rate_ref.find("CY2026"), std::string::npos);
  auto claims = AssembleClaims(patient, r.lines, Rules());
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].Total(), M("511.88"));
}

TEST_F(Claims, CL5_LocalityAdjustsNonDrugComponent) {
  facility.locality = "CA-18";  // GAF 1.095
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-07", SV::kMethadoneTakehome, 13);  // 7 additional days: drug only
  auto r = Bill("2026-02-01");
  // 44.41 + 232.88 × 1.095 (= 255.0036 → 255.00) = 299.41
  EXPECT_EQ(Lines(r, "G2067")[0].charge, M("299.41"));
  EXPECT_EQ(Lines(r, "G2078")[0].charge, M("44.41"));
}

TEST_F(Claims, CL5_ContractorPricedUsesFacilityCharge) {
  facility.charges["G2075"] = M("300.00");
  Add("2026-01-07", SV::kOtherMoudDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].code, "G2075");
  EXPECT_EQ(r.lines[0].charge, M("300.00"));
}

TEST_F(Claims, CL5_ContractorPricedWithoutChargeHeldNoPrice) {
  Add("2026-01-07", SV::kOtherMoudDose);
  Add("2026-01-07", SV::kIntake);
  auto r = Bill("2026-02-01");
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "no-price");
  EXPECT_EQ(OutcomeOf(r, "R2").reason, "addon-without-bundle");
  EXPECT_EQ(CountFindings(r, "CL-5"), 1);
  EXPECT_EQ(CountFindings(r, "BU-5"), 1);
}

TEST_F(Claims, CodeNotInForce_WeeklyInjectionBefore2025) {
  Add("2024-06-05", SV::kBuprenorphineInjectionWeekly);
  auto r = Bill("2024-07-01");
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "code-not-in-force");
  ASSERT_NE(FindHold(r, "code-not-in-force"), nullptr);
  EXPECT_EQ(FindHold(r, "code-not-in-force")->code, "G0533");
  EXPECT_EQ(CountFindings(r, "BU-2"), 1);  // the rule that chose the code
}

TEST_F(Claims, CodeNotInForce_WeeklyInjectionIn2026Billed) {
  Add("2026-01-07", SV::kBuprenorphineInjectionWeekly);
  Add("2026-01-10", SV::kBuprenorphineInjectionWeekly);  // inside its own episode: same bundle
  Add("2026-01-14", SV::kBuprenorphineInjectionWeekly);  // window 01-07..01-13 and 01-10..01-16
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].code, "G0533");
  EXPECT_EQ(r.lines[0].charge, M("637.41"));
  EXPECT_EQ(r.lines[1].code, "G2074");  // 01-14 falls in the window of the 01-10 injection
}

TEST_F(Claims, EveryRowHasOneDecidedOutcomeAndFindingKeysAreUnique) {
  history.intakes_billed = {D("2025-12-02")};
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-07", SV::kIntake);
  Add("2026-01-08", SV::kPhysicalExam);
  Add("2026-01-09", SV::kBuprenorphineTakehome, 9);
  Add("2026-01-13", SV::kMethadoneTakehome, 30);
  Add("2026-01-21", SV::kNaloxoneNasal4mg);
  auto r = Bill("2026-03-01");
  for (const auto& o : r.outcomes) {
    EXPECT_NE(o.outcome, Outcome::kOpen);
    if (o.outcome != Outcome::kBilled) {
      EXPECT_FALSE(o.reason.empty());
    }
  }
  std::set<std::string> keys;
  for (const auto& f : r.findings) {
    EXPECT_TRUE(keys.insert(f.key).second) << f.key;
    EXPECT_FALSE(f.citation.empty()) << f.rule_id;
    EXPECT_EQ(f.detail.find("P1|"), std::string::npos);
  }
  // intake-repeat, takehome-mismatch (the buprenorphine take-home's five days in the week
  // choose G2068, BU-2, so the 30-day methadone take-home is the mismatch), addon-without-bundle
  // (naloxone alone)
  EXPECT_EQ(r.holds.size(), 3u);
  EXPECT_EQ(r.findings.size(), 3u);
  auto again = Bill("2026-03-01");
  ASSERT_EQ(again.findings.size(), r.findings.size());
  for (size_t i = 0; i < r.findings.size(); ++i) EXPECT_EQ(again.findings[i].key, r.findings[i].key);
}

}  // namespace
}  // namespace otp::testing

namespace otp::testing {
namespace {

TEST_F(Claims, CL1_LateRecordOfOtherPayerIsNotBillable) {
  patient.payer = Payer::kCommercial;
  history.last_episode_end = D("2026-01-13");
  Add("2026-01-10", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  EXPECT_EQ(OutcomeOf(r, "R1").outcome, Outcome::kNotBillable);
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "payer");
  EXPECT_TRUE(r.holds.empty());
}

}  // namespace
}  // namespace otp::testing
