// The pre-submission edits SC-1 … SC-5 (billing-rules.md): each catches a planted violation and
// passes the lines billing builds; one test per OIG A-09-22-03005 category shows the lines the
// rule book's earlier version produced would have been held before submission.
#include "scrub/scrub.h"

#include "billing/billing_fixture.h"
#include "scrub/apply.h"

namespace otp::testing {
namespace {

class ScrubTest : public BillingTest {
 protected:
  // A line priced as the rate table prices it (national locality).
  ClaimLine Line(const char* code, const char* dos, const char* episode_start, int units = 1,
                 std::vector<std::string> sources = {"R1"}) {
    ClaimLine l;
    l.code = code;
    l.dos = D(dos);
    l.episode_start = D(episode_start);
    l.units = units;
    auto price = Rules().PriceOf(code, l.dos, facility.locality, facility);
    EXPECT_TRUE(price.ok()) << code << ": " << price.status().message();
    if (price.ok()) l.unit_price = price->unit;
    l.charge = l.unit_price * units;
    l.source_record_ids = std::move(sources);
    return l;
  }
  static Episode BilledWeek(const char* start, const char* code, const char* dos = nullptr) {
    const Date s = D(start);
    return Episode{"HRC01", "P1", s, s + 6, code, "billed", "", dos ? D(dos) : s};
  }
  std::vector<EditVerdict> Check(const char* as_of = "2026-03-01") {
    ScrubInput in;
    in.facility = &facility;
    in.patient = &patient;
    in.as_of = D(as_of);
    in.lines = &lines;
    in.episodes = &episodes;
    in.windows = &windows;
    in.record_flags = flags;
    in.history = history_;
    in.shared_mbi = shared;
    return Scrub(in, Rules());
  }
  // The edit the last line failed ("" when it passed every edit).
  std::string LastFailed(const char* as_of = "2026-03-01") { return Check(as_of).back().failed; }

  std::vector<ClaimLine> lines;
  std::vector<Episode> episodes;
  std::vector<CoverageWindow> windows;
  std::map<std::string, unsigned> flags;
  ScrubHistory history_;
  std::vector<SharedBeneficiary> shared;
};

TEST_F(ScrubTest, SC1_BundlesOfAPatientSixDaysApartAreHeld) {
  lines = {Line("G2067", "2026-01-05", "2026-01-05"), Line("G2074", "2026-01-11", "2026-01-11")};
  const auto v = Check();
  EXPECT_TRUE(v[0].ok());
  EXPECT_EQ(v[1].failed, "SC-1");
  EXPECT_NE(v[1].detail.find("6 days"), std::string::npos) << v[1].detail;
}

TEST_F(ScrubTest, SC1_SevenDaysApartPassesEveryEdit) {
  lines = {Line("G2067", "2026-01-05", "2026-01-05"), Line("G2067", "2026-01-12", "2026-01-12")};
  const auto v = Check();
  for (const auto& x : v) {
    EXPECT_TRUE(x.ok()) << x.failed << ": " << x.detail;
    EXPECT_EQ(x.passed, (std::vector<std::string>{"SC-1", "SC-2", "SC-3", "SC-4", "SC-5"}));
  }
}

TEST_F(ScrubTest, SC1_ABundleBilledOnAnEarlierNightCounts) {
  history_.episodes = {BilledWeek("2026-01-05", "G2067")};
  lines = {Line("G2067", "2026-01-10", "2026-01-10")};
  EXPECT_EQ(LastFailed(), "SC-1");
}

// EP-3's one exception: in a weekday cycle the week that begins treatment carries its first day
// seen, and the next week's bundle its first day, fewer than 7 days later.
TEST_F(ScrubTest, SC1_TheFirstWeekOfAWeekdayCycleMayBeCloserThanSevenDays) {
  facility.cycle.patient = false;
  facility.cycle.weekday = 1;  // Monday: 2026-01-05 is a Monday
  lines = {Line("G2067", "2026-01-08", "2026-01-05"), Line("G2067", "2026-01-12", "2026-01-12")};
  EXPECT_EQ(LastFailed(), "");
  lines = {Line("G2067", "2026-01-12", "2026-01-12"), Line("G2067", "2026-01-15", "2026-01-12")};
  EXPECT_EQ(LastFailed(), "SC-1");  // not the exception: a week start, then three days later
}

// Measured on the injections the lines pay for: EP-3 may date a bundle earlier in its week.
TEST_F(ScrubTest, SC1_MonthlyInjectionsAtLeastTwentyEightDaysApart) {
  facility.cycle.patient = false;
  facility.cycle.weekday = 1;  // Mondays
  history_.episodes = {BilledWeek("2026-01-05", "G2069", "2026-01-07")};
  history_.windows = {CoverageWindow{"HRC01", "P1", D("2026-01-07"), D("2026-02-03"), "G2069", "I1"}};
  lines = {Line("G2069", "2026-02-02", "2026-02-02", 1, {"I2"})};
  windows = {CoverageWindow{"HRC01", "P1", D("2026-02-04"), D("2026-03-03"), "G2069", "I2"}};
  EXPECT_EQ(LastFailed(), "");  // dated 26 days after the last, paying 28 days after its injection
  lines = {Line("G2069", "2026-01-26", "2026-01-26", 1, {"I2"})};
  windows = {CoverageWindow{"HRC01", "P1", D("2026-01-30"), D("2026-02-26"), "G2069", "I2"}};
  EXPECT_EQ(LastFailed(), "SC-1");  // an injection 23 days after the last
}

TEST_F(ScrubTest, SC2_TakeHomeDaysThatALaterDrugBundleAlsoPaysAreHeld) {
  episodes = {BilledWeek("2026-01-05", "G2067"), BilledWeek("2026-01-12", "G2067")};
  lines = {Line("G2067", "2026-01-05", "2026-01-05", 1, {"R1"}), Line("G2067", "2026-01-12", "2026-01-12", 1, {"R3"}),
           Line("G2078", "2026-01-11", "2026-01-05", 1, {"R2"})};
  windows = {CoverageWindow{"HRC01", "P1", D("2026-01-12"), D("2026-01-12"), "G2078", "R2"}};
  const auto v = Check();
  EXPECT_EQ(v[2].failed, "SC-2");
  EXPECT_NE(v[2].detail.find("also pays"), std::string::npos) << v[2].detail;
}

TEST_F(ScrubTest, SC2_WindowsOfTwoLinesNeverOverlap) {
  history_.windows = {CoverageWindow{"HRC01", "P1", D("2026-01-05"), D("2026-02-01"), "G2069", "R0"}};
  lines = {Line("G2078", "2026-01-17", "2026-01-12", 1, {"R2"})};
  windows = {CoverageWindow{"HRC01", "P1", D("2026-01-19"), D("2026-01-21"), "G2078", "R2"}};
  EXPECT_EQ(LastFailed(), "SC-2");
  windows = {CoverageWindow{"HRC01", "P1", D("2026-02-02"), D("2026-02-04"), "G2078", "R2"}};
  EXPECT_EQ(LastFailed(), "");
}

TEST_F(ScrubTest, SC2_ADrugBundleForAWeekAlreadyPaidIsHeld) {
  history_.windows = {CoverageWindow{"HRC01", "P1", D("2026-01-05"), D("2026-02-01"), "G2069", "R0"}};
  lines = {Line("G2068", "2026-01-12", "2026-01-12")};
  EXPECT_EQ(LastFailed(), "SC-2");
  lines = {Line("G2068", "2026-01-26", "2026-01-26")};  // 01-26 … 02-01: inside too
  EXPECT_EQ(LastFailed(), "SC-2");
  lines = {Line("G2068", "2026-01-28", "2026-01-28")};  // 02-02 … 02-03 are not
  EXPECT_EQ(LastFailed(), "");
}

TEST_F(ScrubTest, SC3_TheSameBeneficiaryUnderAnotherIdInTreatmentIsHeld) {
  shared = {SharedBeneficiary{"HRC02", "P9", D("2025-11-01"), std::nullopt}};
  lines = {Line("G2067", "2026-01-05", "2026-01-05")};
  const auto v = Check();
  EXPECT_EQ(v[0].failed, "SC-3");
  EXPECT_NE(v[0].detail.find("P9"), std::string::npos);
  EXPECT_EQ(HoldReasonOf("SC-3"), "duplicate-beneficiary");
  shared[0].discharge = D("2025-12-31");  // the other id's treatment ended before the week
  EXPECT_EQ(LastFailed(), "");
}

TEST_F(ScrubTest, SC4_ASecondIntakeInTheAdmissionIsHeld) {
  history_.lines = {BilledLine{"G2076", D("2025-12-02"), 1}};
  lines = {Line("G2067", "2026-01-05", "2026-01-05"), Line("G2076", "2026-01-05", "2026-01-05")};
  EXPECT_EQ(LastFailed(), "SC-4");
  patient.admission_date = D("2026-01-05");  // readmitted: a new admission's intake
  EXPECT_EQ(LastFailed(), "");
}

TEST_F(ScrubTest, SC4_TakeHomeUnitsAtMostThreePerEpisode) {
  history_.lines = {BilledLine{"G2078", D("2026-01-10"), 2}};
  lines = {Line("G2078", "2026-01-11", "2026-01-05", 2, {"R2"})};
  EXPECT_EQ(LastFailed(), "SC-4");
  lines = {Line("G2078", "2026-01-11", "2026-01-05", 1, {"R2"})};
  EXPECT_EQ(LastFailed(), "");
}

TEST_F(ScrubTest, SC4_NaloxoneTwiceInThirtyDaysUnlessMedicallyNecessary) {
  history_.lines = {BilledLine{"G2215", D("2026-01-02"), 1}};
  lines = {Line("G2215", "2026-01-20", "2026-01-19", 1, {"N2"})};
  EXPECT_EQ(LastFailed(), "SC-4");
  flags["N2"] = kFlagMedicallyNecessary;
  EXPECT_EQ(LastFailed(), "");
  flags.clear();
  lines = {Line("G2215", "2026-02-01", "2026-01-26", 1, {"N2"})};  // 30 days later
  EXPECT_EQ(LastFailed(), "");
}

TEST_F(ScrubTest, SC5_EveryLineIsWhatTheRateTableAndTheCodeSay) {
  lines = {Line("G2068", "2026-01-05", "2026-01-05")};
  lines[0].code = "G0533";
  lines[0].dos = lines[0].episode_start = D("2024-06-03");
  EXPECT_EQ(LastFailed(), "SC-5");  // not in force before 2025
  lines = {Line("G2067", "2026-01-05", "2026-01-05")};
  lines[0].charge = lines[0].charge + Money::Cents(1);
  EXPECT_EQ(LastFailed(), "SC-5");  // a charge that is not price × units
  lines = {Line("G2067", "2026-01-05", "2026-01-05")};
  lines[0].unit_price = lines[0].charge = Money::Cents(100);
  EXPECT_EQ(LastFailed(), "SC-5");  // a price that is not the rate table's
}

TEST_F(ScrubTest, SC5_UnitsAboveTheCodesMaximum) {
  lines = {Line("G2080", "2026-01-07", "2026-01-05", 21, {"C1"})};
  EXPECT_EQ(LastFailed(), "SC-5");
  lines = {Line("G2080", "2026-01-07", "2026-01-05", 20, {"C1"})};
  EXPECT_EQ(LastFailed(), "");
}

TEST_F(ScrubTest, SC5_ADateOfServiceOnOrAfterTheAsOfDate) {
  lines = {Line("G2067", "2026-01-05", "2026-01-05")};
  EXPECT_EQ(LastFailed("2026-01-05"), "SC-5");
  EXPECT_EQ(LastFailed("2026-01-06"), "");
}

TEST_F(ScrubTest, SC5_AClaimsLinesInOneMonth) {
  Claim c;
  c.lines = {Line("G2067", "2026-01-26", "2026-01-26"), Line("G2078", "2026-02-01", "2026-01-26")};
  EXPECT_NE(ScrubClaimMonth(c), "");
  c.lines.pop_back();
  EXPECT_EQ(ScrubClaimMonth(c), "");
}

// ---- the OIG's categories (A-09-22-03005), as the rule book's earlier version billed them

// Overlapping bundles: the bundle dated with the week's first service (P000024 of the demo:
// G2074 on 09-30, then 10-03).
TEST_F(ScrubTest, OIG_OverlappingBundlesAreHeldBeforeSubmission) {
  lines = {Line("G2074", "2026-09-30", "2026-09-27"), Line("G2067", "2026-10-03", "2026-10-04")};
  EXPECT_EQ(LastFailed("2026-11-10"), "SC-1");
}

// Take-home duplicates: a 1-day take-home on the week's last day billed G2078 beside the next
// week's G2067, which pays that day (P000002 of the demo).
TEST_F(ScrubTest, OIG_TakeHomeDuplicatesAreHeldBeforeSubmission) {
  episodes = {BilledWeek("2026-01-05", "G2067"), BilledWeek("2026-01-12", "G2067")};
  lines = {Line("G2067", "2026-01-05", "2026-01-05", 1, {"R1"}), Line("G2078", "2026-01-11", "2026-01-05", 1, {"R2"}),
           Line("G2067", "2026-01-12", "2026-01-12", 1, {"R3"})};
  windows = {CoverageWindow{"HRC01", "P1", D("2026-01-12"), D("2026-01-12"), "G2078", "R2"}};
  EXPECT_EQ(Check()[1].failed, "SC-2");
}

TEST_F(ScrubTest, OIG_NoOudDiagnosisIsHeldBeforeSubmission) {
  patient.diagnosis = "F10.20";
  lines = {Line("G2067", "2026-01-05", "2026-01-05")};
  EXPECT_EQ(LastFailed(), "SC-5");
}

TEST_F(ScrubTest, OIG_RepeatedIntakesAreHeldBeforeSubmission) {
  lines = {Line("G2067", "2026-01-05", "2026-01-05"), Line("G2076", "2026-01-05", "2026-01-05", 1, {"K1"}),
           Line("G2067", "2026-01-12", "2026-01-12"), Line("G2076", "2026-01-13", "2026-01-12", 1, {"K2"})};
  EXPECT_EQ(LastFailed(), "SC-4");
}

// ---- what a failed line does to the patient's billing

TEST_F(ScrubTest, AFailedBundleHoldsItsWeekAndItsAddOns) {
  Add("2026-01-05", SV::kMethadoneDose);
  Add("2026-01-05", SV::kIntake);
  Add("2026-01-12", SV::kMethadoneDose);
  BillingInput in;
  in.facility = &facility;
  in.patient = &patient;
  for (const auto& r : rows) in.records.push_back(&r);
  in.as_of = D("2026-02-01");
  BillingResult r = BillPatient(in, Rules());
  ASSERT_EQ(r.lines.size(), 3u);
  std::vector<EditVerdict> v(3);
  const auto first_week = std::find_if(r.lines.begin(), r.lines.end(),
                                       [](const ClaimLine& l) { return l.code == "G2067" && l.dos == D("2026-01-05"); });
  v[first_week - r.lines.begin()] = EditVerdict{{"SC-1"}, "SC-2", "planted"};
  for (auto& x : v)
    if (x.ok()) x.passed = {"SC-1", "SC-2", "SC-3", "SC-4", "SC-5"};
  ApplyVerdicts(r, in, v, Rules());
  ASSERT_EQ(r.lines.size(), 1u);  // the second week's bundle
  EXPECT_EQ(r.lines[0].dos, D("2026-01-12"));
  EXPECT_EQ(r.lines[0].edits.size(), 5u);
  EXPECT_EQ(r.outcomes[0].reason, "SC-2");
  EXPECT_EQ(r.outcomes[1].reason, "SC-2");  // the intake, held with its week's bundle
  EXPECT_EQ(r.outcomes[2].outcome, Outcome::kBilled);
  EXPECT_EQ(r.episodes[0].status, "held");
  EXPECT_EQ(r.episodes[0].reason, "SC-2");
  EXPECT_EQ(std::count_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.rule_id == "SC-2"; }),
            1);  // one finding: the bundle's
}

}  // namespace
}  // namespace otp::testing
