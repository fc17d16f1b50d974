// What each sheet of the compliance workbook shows a clerk or a compliance officer (interface.md
// §4): the Held sheet's next step, amount and item; the Findings sheet's open or closed state; the
// Claims sheet's line number, claim total, diagnosis, file and unverified-rate mark; the Work,
// Payments, Audit and Reference sheets; and the Summary's re-run line, unverified-rate notice,
// open work by age, held rows by reason, and what a period report leaves out.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "output/workbook.h"
#include "xlsx_parts.h"

namespace otp {
namespace {

using namespace xlsx;
const std::string kTemplates = std::string(OTP_SOURCE_DIR) + "/templates";
Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

ClaimLine Line(Date dos, const std::string& code, int64_t cents, const std::string& rate_ref = "") {
  ClaimLine l;
  l.dos = dos;
  l.code = code;
  l.charge = Money::Cents(cents);
  l.rate_ref = rate_ref;
  l.rule_id = "BU-2";
  l.source_record_ids = {"R1", "R2"};
  return l;
}

// Two claims of P001: C1 with two lines in file HRC01-000000001.837, C2 with one.
std::vector<Claim> TwoClaims() {
  Claim c1;
  c1.claim_id = "C1";
  c1.facility_id = "HRC01";
  c1.patient_id = "P001";
  c1.diagnosis = "F1120";
  c1.file = "HRC01-000000001.837";
  c1.lines = {Line(D(2026, 1, 5), "G2067", 29941, "CY2026 G2067: … = 299.41 [rate unverified]"),
              Line(D(2026, 1, 5), "G2076", 25688, "CY2026 G2076: … = 256.88 [verified]")};
  Claim c2 = c1;
  c2.claim_id = "C2";
  c2.lines = {Line(D(2026, 1, 12), "G2067", 29941, "CY2026 G2067: … = 299.41 [verified]")};
  return {c1, c2};
}

HeldRow NoOudHold(int64_t cents, const std::string& item) {
  HeldRow h;
  h.facility_id = "HRC02";
  h.patient_id = "P054";
  h.date = D(2026, 1, 19);
  h.code = "G2067";
  h.reason = "no-oud-diagnosis";
  h.detail = "diagnosis on file F1020 is not an opioid use disorder code (F11.*)";
  h.next_step = "Have the clinician confirm the diagnosis and correct it in the EHR export (patients.csv).";
  h.amount_at_stake = Money::Cents(cents);
  h.item_id = item;
  h.record_ids = {"R10", "R11"};
  return h;
}

Finding AFinding(const std::string& key, const std::string& rule, Severity sev) {
  Finding f;
  f.key = key;
  f.rule_id = rule;
  f.citation = "42 CFR 8.12(f)(2)";
  f.severity = sev;
  f.facility_id = "HRC01";
  f.patient_id = "P003";
  f.date = D(2026, 1, 20);
  f.detail = "no physical exam within 14 days following admission";
  return f;
}

WorkRow AnItem(const std::string& id, const std::string& kind, int age, int64_t cents) {
  WorkRow w;
  w.id = id;
  w.kind = kind;
  w.facility_id = "HRC01";
  w.patient_id = "P001";
  w.reason = kind == "hold" ? "late-record" : "PA-1";
  w.next_step = "Check the row in the EHR.";
  w.amount_at_stake = Money::Cents(cents);
  w.opened = D(2026, 1, 31) - age;
  w.age_days = age;
  return w;
}

class WorkbookSheets : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    path_ = dir_ + "/compliance.xlsx";
    d_.from = D(2026, 1, 1);
    d_.to = D(2026, 1, 31);
    d_.as_of = D(2026, 2, 1);
    d_.facilities = {"HRC01 HARBOR RECOVERY CENTER"};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write() {
    Status st = WriteWorkbook(d_, kTemplates, fs_, path_);
    EXPECT_TRUE(st.ok()) << st.message();
    return path_;
  }
  ReportData d_;
  std::string dir_, path_;
  PosixFileSystem fs_;
};

TEST_F(WorkbookSheets, HeldShowsTheCodeWhatFixesItTheAmountAtStakeAndItsItem) {
  d_.held = {NoOudHold(28754, "W000007"), NoOudHold(0, "")};
  const std::string held = SheetNamed(Write(), "Held");
  EXPECT_EQ(CellText(held, "D1"), "Code");
  EXPECT_EQ(CellText(held, "G1"), "What fixes it");
  EXPECT_EQ(CellText(held, "H1"), "Amount at stake");
  EXPECT_EQ(CellText(held, "I1"), "Item");
  EXPECT_EQ(CellText(held, "D2"), "G2067");
  EXPECT_EQ(CellText(held, "E2"), "no-oud-diagnosis");
  EXPECT_NE(CellText(held, "F2").find("diagnosis on file F1020"), std::string::npos);
  EXPECT_NE(CellText(held, "G2").find("Have the clinician confirm the diagnosis"), std::string::npos);
  EXPECT_EQ(CellText(held, "H2"), "287.54");
  EXPECT_EQ(FormatOfCell(path_, held, "H2"), "$#,##0.00");
  EXPECT_EQ(CellText(held, "I2"), "W000007");
  EXPECT_EQ(CellText(held, "J2"), "R10 R11");
  EXPECT_EQ(CellText(held, "H3"), "") << "a row with nothing at stake leaves the amount blank, not $0.00";
}

TEST_F(WorkbookSheets, FindingsSayOpenOrClosedWithWhoWhenAndWhy) {
  d_.findings = {AFinding("k-open", "PA-1", Severity::kViolation), AFinding("k-closed", "PA-2", Severity::kWarning),
                 AFinding("k-resolved", "PG-1", Severity::kViolation)};
  d_.finding_states["k-closed"] = {false, "W000002", "ANA RIVERA", "exam done late, documented", D(2026, 1, 25)};
  d_.finding_states["k-resolved"] = {false, "W000003", "the data", "not found again on 2026-01-28", D(2026, 1, 28)};
  const std::string f = SheetNamed(Write(), "Findings");
  EXPECT_EQ(CellText(f, "H1"), "State");
  EXPECT_EQ(CellText(f, "H2"), "open") << "a finding without a state is open";
  EXPECT_EQ(CellText(f, "H3"), "closed");
  EXPECT_EQ(CellText(f, "I3"), "W000002");
  EXPECT_EQ(CellText(f, "J3"), "by ANA RIVERA on 2026-01-25: exam done late, documented");
  EXPECT_EQ(CellText(f, "H4"), "closed") << "resolved by the data";
  EXPECT_EQ(CellText(f, "J4"), "by the data on 2026-01-28: not found again on 2026-01-28");
}

TEST_F(WorkbookSheets, ClaimsShowLineNumberClaimTotalDiagnosisAndFile) {
  SetClaims(d_, TwoClaims());
  const std::string c = SheetNamed(Write(), "Claims");
  const std::vector<std::string> headers = {"Claim ID", "Line", "Facility", "Patient ID", "DOS", "Code", "Modifiers",
                                            "Units", "Charge", "Claim total", "Diagnosis", "File", "Rate"};
  for (size_t i = 0; i < headers.size(); ++i)
    EXPECT_EQ(CellText(c, std::string(1, static_cast<char>('A' + i)) + "1"), headers[i]);
  EXPECT_EQ(CellText(c, "B2"), "1");
  EXPECT_EQ(CellText(c, "B3"), "2");
  EXPECT_EQ(CellText(c, "B4"), "1") << "line numbers restart with each claim";
  EXPECT_EQ(CellText(c, "J2"), "556.29");
  EXPECT_EQ(CellText(c, "J3"), "556.29");
  EXPECT_EQ(FormatOfCell(path_, c, "J2"), "$#,##0.00");
  EXPECT_EQ(CellText(c, "J4"), "299.41");
  EXPECT_EQ(CellText(c, "K2"), "F11.20") << "the diagnosis as people read it";
  EXPECT_EQ(CellText(c, "L2"), "HRC01-000000001.837");
}

TEST_F(WorkbookSheets, ClaimTotalIsTheWholeClaimsWhenAReportShowsSomeOfItsLines) {
  std::vector<Claim> claims = TwoClaims();
  claims[0].lines.pop_back();  // the period holds only the first line
  SetClaims(d_, claims, {{"C1", Money::Cents(55629)}});
  const std::string c = SheetNamed(Write(), "Claims");
  EXPECT_EQ(CellText(c, "I2"), "299.41");
  EXPECT_EQ(CellText(c, "J2"), "556.29");
}

TEST_F(WorkbookSheets, ClaimsOfANightNameTheFileOfTheirFacility) {
  std::vector<Claim> claims = TwoClaims();
  for (Claim& c : claims) c.file.clear();  // a night's spill does not carry it
  SetClaims(d_, claims);
  d_.files = {"out/2026-02-01/HRC02-000000003.837", "out/2026-02-01/HRC01-000000004.837",
              "out/2026-02-01/compliance-2026-02-01.xlsx"};
  const std::string c = SheetNamed(Write(), "Claims");
  EXPECT_EQ(CellText(c, "L2"), "HRC01-000000004.837");
}

TEST_F(WorkbookSheets, UnverifiedRateMarkedOnTheClaimsLinesItTouchesAndOnTheSummary) {
  SetClaims(d_, TwoClaims());
  d_.unverified_lines = 1;
  d_.unverified_charges = Money::Cents(29941);
  Write();
  const std::string c = SheetNamed(path_, "Claims");
  EXPECT_EQ(CellText(c, "M2"), "unverified");
  EXPECT_EQ(CellText(c, "M3"), "");
  EXPECT_EQ(CellText(c, "M4"), "");
  EXPECT_NE(c.find("<formula>\"unverified\"</formula>"), std::string::npos) << "the mark is highlighted";
  const std::string summary = Sheet(path_, 1);
  EXPECT_NE(summary.find("1 claim lines ($299.41) are priced from a rate or geographic factor not yet checked"),
            std::string::npos);

  d_.unverified_lines = 0;
  d_.unverified_charges = Money();
  EXPECT_NE(Sheet(Write(), 1).find("Every price in this workbook comes from a rate and a geographic factor checked"),
            std::string::npos);
}

TEST_F(WorkbookSheets, ReRunSaysSoAtTheTopOfTheSummary) {
  EXPECT_EQ(Sheet(Write(), 1).find("RE-RUN"), std::string::npos) << "a first run says nothing of it";
  d_.rerun = true;
  const std::string summary = Sheet(Write(), 1);
  const size_t rerun = summary.find("RE-RUN: this night had already been run and recorded");
  ASSERT_NE(rerun, std::string::npos);
  EXPECT_NE(summary.find("rebuilt from the ledger"), std::string::npos);
  EXPECT_LT(rerun, summary.find("<t>Run counts</t>")) << "above the counts it explains";
}

TEST_F(WorkbookSheets, PeriodReportShowsNoAsOfDateAndNoNightsCounts) {
  d_.facilities = {"HRC01", "HRC02"};
  std::string summary = Sheet(Write(), 1);
  EXPECT_NE(summary.find("<t>As of</t>"), std::string::npos);
  EXPECT_NE(summary.find("<t>Patient rows read</t>"), std::string::npos);
  d_.period_report = true;
  summary = Sheet(Write(), 1);
  EXPECT_EQ(summary.find("<t>As of</t>"), std::string::npos);
  EXPECT_EQ(summary.find("<t>Patient rows read</t>"), std::string::npos);
  EXPECT_EQ(summary.find("<t>Already processed</t>"), std::string::npos);
  EXPECT_NE(summary.find("<t>Period from</t>"), std::string::npos);
  EXPECT_NE(summary.find("<t>HRC01; HRC02</t>"), std::string::npos) << "the facilities it reports on";
}

TEST_F(WorkbookSheets, WorkListsOpenItemsAndTheSummaryCountsThemByKindAndAge) {
  d_.work = {AnItem("W000001", "hold", 3, 28754), AnItem("W000002", "hold", 45, 10000),
             AnItem("W000003", "finding", 100, 0)};
  Write();
  const std::string w = SheetNamed(path_, "Work");
  EXPECT_EQ(CellText(w, "A2"), "W000001");
  EXPECT_EQ(CellText(w, "B2"), "hold");
  EXPECT_EQ(CellText(w, "F2"), "Check the row in the EHR.");
  EXPECT_EQ(CellText(w, "G2"), "287.54");
  EXPECT_EQ(FormatOfCell(path_, w, "H2"), "yyyy-mm-dd");
  EXPECT_EQ(CellText(w, "I3"), "45");
  EXPECT_EQ(CellText(w, "G4"), "") << "nothing at stake: blank";
  // Summary: finding 1 over 90 days; hold 1 in 0-7 and 1 in 31-90, 2 in all, $387.54.
  const std::string s = Sheet(path_, 1);
  EXPECT_NE(s.find("<t>Open work by kind and age (Work sheet)</t>"), std::string::npos);
  EXPECT_NE(s.find("<t>over 90 days</t>"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(s, m, std::regex("<row r=\"(\\d+)\"[^>]*><c r=\"A\\d+\"[^>]*><is><t>hold</t>")));
  const std::string r = m[1];
  EXPECT_EQ(CellText(s, "B" + r), "1");
  EXPECT_EQ(CellText(s, "C" + r), "0");
  EXPECT_EQ(CellText(s, "D" + r), "1");
  EXPECT_EQ(CellText(s, "F" + r), "2");
  EXPECT_EQ(CellText(s, "G" + r), "387.54");
}

TEST_F(WorkbookSheets, PaymentsSaysItFillsOnceRemittancesAreIngested) {
  const std::string p = SheetNamed(Write(), "Payments");
  EXPECT_EQ(CellText(p, "B1"), "Claim ID");
  EXPECT_NE(CellText(p, "A2").find("remittance advice (835)"), std::string::npos) << p;
  EXPECT_NE(p.find("<mergeCell ref=\"A2:Q2\""), std::string::npos) << "across the sheet, wrapped";
  EXPECT_EQ(p.find("Accounts receivable"), std::string::npos) << "no claim, no A/R";

  PaymentRow paid;
  paid.claim_id = "C1";
  paid.status = "paid";
  paid.billed = Money::Cents(55629);
  paid.paid = Money::Cents(44503);
  paid.adjustments = "CO-45 111.26";
  paid.written = D(2026, 1, 10);
  d_.payments = {paid};
  const std::string q = SheetNamed(Write(), "Payments");
  EXPECT_EQ(CellText(q, "B2"), "C1");
  EXPECT_EQ(CellText(q, "K2"), "445.03");
}

TEST_F(WorkbookSheets, AuditShowsPatientAndDateOfService) {
  SetClaims(d_, TwoClaims());
  const std::string a = SheetNamed(Write(), "Audit");
  EXPECT_EQ(CellText(a, "C1"), "Patient ID");
  EXPECT_EQ(CellText(a, "D1"), "DOS");
  EXPECT_EQ(CellText(a, "C2"), "P001");
  EXPECT_EQ(CellText(a, "D4"), "46034");  // 2026-01-12
  EXPECT_NE(CellText(a, "I2").find("[rate unverified]"), std::string::npos);
}

TEST_F(WorkbookSheets, ReferenceExplainsTheTermsTheWorkbookUsesAndNoOthers) {
  SetClaims(d_, TwoClaims());
  d_.held = {NoOudHold(100, "")};
  d_.findings = {AFinding("k", "PA-1", Severity::kViolation)};
  d_.reference = {{"HCPCS code", "G2067", "Methadone, oral; weekly bundle", "in force from 2020-01-01", ""},
                  {"HCPCS code", "G2079", "Take-home supply of buprenorphine", "in force from 2020-01-01", ""},
                  {"rule", "BU-2", "The bundle is the one for the medication given on the most days.", "42 CFR", ""},
                  {"rule", "PA-1", "A physical examination within 14 days of admission.", "42 CFR 8.12(f)(2)",
                   "Schedule the examination."},
                  {"rule", "PA-8", "Counseling offered.", "42 CFR 8.12(f)(5)", ""},
                  {"hold reason", "no-oud-diagnosis", "The diagnosis on file is not F11.*.", "", "Correct it."}};
  const std::string r = SheetNamed(Write(), "Reference");
  for (const char* used : {"G2067", "BU-2", "PA-1", "no-oud-diagnosis"})
    EXPECT_NE(r.find(std::string("<t>") + used + "</t>"), std::string::npos) << used;
  for (const char* unused : {"G2079", "PA-8"}) EXPECT_EQ(r.find(std::string("<t>") + unused + "</t>"), std::string::npos) << unused;
  EXPECT_NE(r.find("<t>Schedule the examination.</t>"), std::string::npos);
}

TEST_F(WorkbookSheets, SummaryHeldByReasonMatchesTheHeldSheetBesideTheServiceRows) {
  d_.held = {NoOudHold(28754, ""), NoOudHold(28754, "")};
  d_.counts.held = 14;
  d_.counts.held_by_reason = {{"no-oud-diagnosis", 14}};
  const std::string s = Sheet(Write(), 1);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(s, m, std::regex("<row r=\"(\\d+)\"[^>]*><c r=\"A\\d+\"[^>]*><is><t>no-oud-diagnosis</t>")));
  const std::string r = m[1];
  EXPECT_EQ(CellText(s, "B" + r), "2") << "rows on the Held sheet";
  EXPECT_EQ(CellText(s, "C" + r), "14") << "service rows held";
  EXPECT_EQ(CellText(s, "D" + r), "575.08");
}

}  // namespace
}  // namespace otp
