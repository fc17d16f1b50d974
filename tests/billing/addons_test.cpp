// AD-1..AD-7: intake once per admission, periodic assessment, counseling beyond the plan,
// naloxone/nalmefene repeats, IOP, timed supports and telehealth modifiers.
#include "billing_fixture.h"

namespace otp::testing {
namespace {

class AddOns : public BillingTest {};

TEST_F(AddOns, AD1_IntakeBilledWithBundle) {
  Add("2026-01-07", SV::kIntake);
  Add("2026-01-07", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  auto in = Lines(r, "G2076");
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0].charge, M("234.59"));
  EXPECT_EQ(in[0].rule_id, "AD-1");
  EXPECT_TRUE(in[0].modifiers.empty());
}

TEST_F(AddOns, AD1_SecondIntakeInAdmissionFromHistoryIsHeld) {
  history.intakes_billed = {D("2025-12-01")};  // admission 2025-12-01
  Add("2026-01-07", SV::kIntake);
  Add("2026-01-07", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  EXPECT_TRUE(Lines(r, "G2076").empty());
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "intake-repeat");
  EXPECT_EQ(CountFindings(r, "AD-1"), 1);
  EXPECT_EQ(Lines(r, "G2067").size(), 1u);
}

TEST_F(AddOns, AD1_IntakeOfEarlierAdmissionDoesNotCount) {
  patient.admission_date = D("2026-01-05");
  history.intakes_billed = {D("2025-06-01")};
  Add("2026-01-07", SV::kIntake);
  Add("2026-01-07", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  EXPECT_EQ(Lines(r, "G2076").size(), 1u);
}

TEST_F(AddOns, AD1_TwoIntakesInOneCallSecondHeld) {
  Add("2026-01-07", SV::kIntake);
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-15", SV::kIntake);
  Add("2026-01-15", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(Lines(r, "G2076").size(), 1u);
  EXPECT_EQ(Lines(r, "G2076")[0].dos, D("2026-01-07"));
  EXPECT_EQ(OutcomeOf(r, "R3").reason, "intake-repeat");
  EXPECT_EQ(OutcomeOf(r, "R4").outcome, Outcome::kBilled);
}

TEST_F(AddOns, AD2_PeriodicAssessmentOnItsOwnDate) {
  Add("2026-01-07", SV::kBuprenorphineOralDose);
  Add("2026-01-09", SV::kPeriodicAssessment);
  Add("2026-01-16", SV::kBuprenorphineOralDose);
  Add("2026-01-18", SV::kPeriodicAssessment);
  auto r = Bill("2026-02-01");
  auto pa = Lines(r, "G2077");
  ASSERT_EQ(pa.size(), 2u);
  EXPECT_EQ(pa[0].dos, D("2026-01-09"));
  EXPECT_EQ(pa[0].charge, M("151.93"));
  EXPECT_EQ(pa[1].dos, D("2026-01-18"));
  EXPECT_EQ(pa[1].episode_start, D("2026-01-14"));
}

TEST_F(AddOns, AD2_AssessmentWithoutBundleIsHeld) {
  Add("2026-01-09", SV::kPeriodicAssessment);
  auto r = Bill("2026-02-01");
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "addon-without-bundle");
}

TEST_F(AddOns, AD2_PractitionerFromRow) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-09", SV::kPeriodicAssessment).practitioner_npi = "1245319599";
  auto r = Bill("2026-02-01");
  auto pa = Lines(r, "G2077");
  ASSERT_EQ(pa.size(), 1u);
  EXPECT_EQ(pa[0].practitioner_npi, "1245319599");
  EXPECT_EQ(Lines(r, "G2067")[0].practitioner_npi, "");
}

TEST_F(AddOns, AD3_CounselingBeyondPlan) {
  patient.plan_counseling_minutes = 60;
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-08", SV::kCounselingIndividual, 50);
  Add("2026-01-10", SV::kCounselingGroup, 70);  // 120 − 60 = 60 → 2 units
  auto r = Bill("2026-02-01");
  auto c = Lines(r, "G2080");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].units, 2);
  EXPECT_EQ(c[0].unit_price, M("36.97"));
  EXPECT_EQ(c[0].charge, M("73.94"));
  EXPECT_EQ(c[0].dos, D("2026-01-08"));
  EXPECT_EQ(c[0].rule_id, "AD-3");
  EXPECT_EQ(c[0].source_record_ids, (std::vector<std::string>{"R2", "R3"}));
}

TEST_F(AddOns, AD3_ExcessBelowThirtyMinutesIsCovered) {
  patient.plan_counseling_minutes = 60;
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-08", SV::kCounselingIndividual, 89);  // 29 beyond the plan
  auto r = Bill("2026-02-01");
  EXPECT_TRUE(Lines(r, "G2080").empty());
  EXPECT_EQ(OutcomeOf(r, "R2").outcome, Outcome::kBilled);
}

TEST_F(AddOns, AD3_ZeroPlanFloorsUnits) {
  Add("2026-01-07", SV::kToxicologyTest);
  Add("2026-01-08", SV::kCounselingIndividual, 95);  // floor(95 / 30) = 3
  auto r = Bill("2026-02-01");
  ASSERT_EQ(Lines(r, "G2080").size(), 1u);
  EXPECT_EQ(Lines(r, "G2080")[0].units, 3);
  EXPECT_EQ(Lines(r, "G2080")[0].charge, M("110.91"));
  EXPECT_EQ(Lines(r, "G2074").size(), 1u);
}

TEST_F(AddOns, AD4_RepeatWithinThirtyDaysHeld) {
  history.overdose_billed["G2215"] = {D("2026-01-01")};
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-07", SV::kNaloxoneNasal4mg);  // 6 days after
  auto r = Bill("2026-02-01");
  EXPECT_TRUE(Lines(r, "G2215").empty());
  EXPECT_EQ(OutcomeOf(r, "R2").reason, "overdose-med-repeat");
  EXPECT_EQ(CountFindings(r, "AD-4"), 1);
}

TEST_F(AddOns, AD4_ThirtyDaysLaterIsBilled) {
  history.overdose_billed["G2215"] = {D("2025-12-08")};
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-07", SV::kNaloxoneNasal4mg);  // exactly 30 days after
  Add("2026-01-15", SV::kMethadoneDose);
  Add("2026-01-15", SV::kNaloxoneNasal4mg);  // 8 days after tonight's: held
  Add("2026-01-15", SV::kNalmefeneNasal);    // another code: its own 30 days
  auto r = Bill("2026-02-01");
  auto n = Lines(r, "G2215");
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].dos, D("2026-01-07"));
  EXPECT_EQ(n[0].charge, M("33.74"));
  EXPECT_EQ(OutcomeOf(r, "R4").reason, "overdose-med-repeat");
  ASSERT_EQ(Lines(r, "G0532").size(), 1u);
  EXPECT_EQ(Lines(r, "G0532")[0].charge, M("91.20"));
}

TEST_F(AddOns, AD4_MedicallyNecessaryRepeatIsBilled) {
  history.overdose_billed["G1028"] = {D("2026-01-02")};
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-07", SV::kNaloxoneNasal8mg).flags = kFlagMedicallyNecessary;
  auto r = Bill("2026-02-01");
  ASSERT_EQ(Lines(r, "G1028").size(), 1u);
  EXPECT_EQ(Lines(r, "G1028")[0].charge, M("127.98"));
}

TEST_F(AddOns, AD4_InjectableNaloxoneUnitsAreMgRoundedUp) {
  facility.charges["G2216"] = M("50.00");
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-07", SV::kNaloxoneInjection, 2.5);
  auto r = Bill("2026-02-01");
  auto n = Lines(r, "G2216");
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].units, 3);
  EXPECT_EQ(n[0].charge, M("150.00"));
}

TEST_F(AddOns, AD4_InjectableNaloxoneMinimumOneUnit) {
  facility.charges["G2216"] = M("50.00");
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-07", SV::kNaloxoneInjection, 0.4);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(Lines(r, "G2216").size(), 1u);
  EXPECT_EQ(Lines(r, "G2216")[0].units, 1);
}

TEST_F(AddOns, AD5_IopWithNineRows) {
  Add("2026-01-07", SV::kMethadoneDose);
  for (int i = 0; i < 9; ++i) Add(i < 5 ? "2026-01-08" : "2026-01-09", SV::kIopService);
  auto r = Bill("2026-02-01");
  auto iop = Lines(r, "G0137");
  ASSERT_EQ(iop.size(), 1u);
  EXPECT_EQ(iop[0].units, 1);
  EXPECT_EQ(iop[0].charge, M("826.32"));
  EXPECT_EQ(iop[0].dos, D("2026-01-08"));
  EXPECT_EQ(iop[0].source_record_ids.size(), 9u);
}

TEST_F(AddOns, AD5_EightRowsAreNotEnough) {
  Add("2026-01-07", SV::kMethadoneDose);
  for (int i = 0; i < 8; ++i) Add("2026-01-08", SV::kIopService);
  auto r = Bill("2026-02-01");
  EXPECT_TRUE(Lines(r, "G0137").empty());
  EXPECT_EQ(r.lines.size(), 1u);
}

TEST_F(AddOns, AD5_OncePerEpisode) {
  Add("2026-01-07", SV::kMethadoneDose);
  for (int i = 0; i < 18; ++i) Add("2026-01-08", SV::kIopService);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(Lines(r, "G0137").size(), 1u);
  EXPECT_EQ(Lines(r, "G0137")[0].units, 1);
}

TEST_F(AddOns, AD6_TimedSupportUnitsPerCode) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-08", SV::kPeerSupport, 50);
  Add("2026-01-09", SV::kPeerSupport, 25);       // 75 → 2 units
  Add("2026-01-09", SV::kPatientNavigation, 29); // 0 units: covered
  auto r = Bill("2026-02-01");
  auto ps = Lines(r, "G0536");
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].units, 2);
  EXPECT_EQ(ps[0].charge, M("85.64"));
  EXPECT_EQ(ps[0].dos, D("2026-01-08"));
  EXPECT_TRUE(Lines(r, "G0535").empty());
  EXPECT_EQ(OutcomeOf(r, "R4").outcome, Outcome::kBilled);
}

TEST_F(AddOns, AD6_CodeNotInForceBefore2025) {
  Add("2024-06-05", SV::kMethadoneDose);
  Add("2024-06-06", SV::kCareCoordination, 60);
  auto r = Bill("2024-07-01");
  EXPECT_TRUE(Lines(r, "G0534").empty());
  EXPECT_EQ(OutcomeOf(r, "R2").reason, "code-not-in-force");
  ASSERT_EQ(Lines(r, "G2067").size(), 1u);
}

TEST_F(AddOns, AD6_CareCoordinationSixtyMinutes) {
  Add("2026-01-07", SV::kMethadoneDose);
  Add("2026-01-07", SV::kCareCoordination, 60);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(Lines(r, "G0534").size(), 1u);
  EXPECT_EQ(Lines(r, "G0534")[0].units, 2);
  EXPECT_EQ(Lines(r, "G0534")[0].rule_id, "AD-6");
}

TEST_F(AddOns, AD7_VideoAndAudioModifiers) {
  Add("2026-01-07", SV::kBuprenorphineOralDose);
  Add("2026-01-07", SV::kIntake, 1, Modality::kAudio);
  Add("2026-01-08", SV::kPeriodicAssessment, 1, Modality::kVideo);
  Add("2026-01-09", SV::kCounselingIndividual, 30, Modality::kVideo);
  auto r = Bill("2026-02-01");
  auto in = Lines(r, "G2076");
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0].modifiers, (std::vector<std::string>{"93"}));
  EXPECT_EQ(in[0].rule_id, "AD-1 AD-7");
  auto pa = Lines(r, "G2077");
  ASSERT_EQ(pa.size(), 1u);
  EXPECT_EQ(pa[0].modifiers, (std::vector<std::string>{"95"}));
  auto c = Lines(r, "G2080");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].modifiers, (std::vector<std::string>{"95"}));
  EXPECT_EQ(c[0].rule_id, "AD-3 AD-7");
}

TEST_F(AddOns, AD7_NoModifierOnBundleOrInPerson) {
  Add("2026-01-07", SV::kBuprenorphineOralDose, 1, Modality::kVideo);
  Add("2026-01-07", SV::kIntake);
  auto r = Bill("2026-02-01");
  ASSERT_EQ(r.lines.size(), 2u);
  for (const auto& l : r.lines) EXPECT_TRUE(l.modifiers.empty()) << l.code;
}

TEST_F(AddOns, AD7_AudioMethadoneIntakeHeld) {
  Add("2026-01-07", SV::kIntake, 1, Modality::kAudio);
  Add("2026-01-08", SV::kMethadoneDose);
  auto r = Bill("2026-02-01");
  EXPECT_TRUE(Lines(r, "G2076").empty());
  EXPECT_EQ(OutcomeOf(r, "R1").reason, "audio-methadone-intake");
  EXPECT_EQ(CountFindings(r, "AD-7"), 1);
  EXPECT_EQ(Lines(r, "G2067").size(), 1u);
}

}  // namespace
}  // namespace otp::testing
