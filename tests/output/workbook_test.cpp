// The compliance workbook (interface.md §4): sheets and their order, frozen headers, autofilter,
// real dates and currency, formula-looking text kept as text, the row-limit split, mode 0600,
// and no file left behind when publishing fails. The .xlsx is opened with `unzip -p`.
// What each sheet shows: workbook_sheets_test.cpp; how they print: workbook_print_test.cpp.
#include "output/workbook.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "xlsx_parts.h"

namespace otp {
namespace {

namespace fsys = std::filesystem;
using namespace xlsx;

const std::string kTemplates = std::string(OTP_SOURCE_DIR) + "/templates";

// A one-line claim.
Claim OneLine(const std::string& id, Date dos, const std::string& code, int units, int64_t cents) {
  Claim c;
  c.claim_id = id;
  c.facility_id = "HRC01";
  c.patient_id = "P001";
  ClaimLine l;
  l.dos = dos;
  l.code = code;
  l.units = units;
  l.charge = Money::Cents(cents);
  c.lines.push_back(l);
  return c;
}

ReportData Sample() {
  ReportData d;
  d.title = "HRC01 compliance workbook";
  d.from = Date::FromYmd(2026, 1, 1);
  d.to = Date::FromYmd(2026, 1, 31);
  d.as_of = Date::FromYmd(2026, 2, 1);
  RunCounts& c = d.counts;
  c.patient_rows_read = 3;
  c.service_rows_read = 20;
  c.accepted = 18;
  c.rejected = 2;
  c.billed = 12;
  c.held = 3;
  c.not_billable = 1;
  c.already_processed = 0;
  c.open = 2;
  c.claims = 2;
  c.lines = 2;
  c.total_charges = Money::Cents(27729 + 30000);
  c.charges_by_code = {{"G2067", Money::Cents(27729)}, {"G2075", Money::Cents(30000)}};
  c.held_by_reason = {{"late-record", 3}};
  c.findings_by_rule = {{"PA-1", 1}};

  // The first line's audit trail shows on the Audit sheet.
  Claim first = OneLine("HRC01-0001", Date::FromYmd(2026, 1, 5), "G2067", 1, 27729);
  first.lines[0].source_record_ids = {"R1", "R2", "R3"};
  first.lines[0].rule_id = "BU-2";
  first.lines[0].rate_ref = "CY2026 G2067 national";
  Claim evil = OneLine("=SUM(A1)", Date::FromYmd(2026, 1, 12), "G2075", 1, 30000);
  evil.patient_id = "+1234";
  evil.lines[0].modifiers = {"95"};
  SetClaims(d, {first, evil});

  HeldRow h;
  h.facility_id = "HRC01";
  h.patient_id = "P002";
  h.date = Date::FromYmd(2026, 1, 19);
  h.code = "G2067";
  h.reason = "late-record";
  h.detail = "@cmd arrived after the episode was billed";
  h.record_ids = {"R10", "R11"};
  d.held.push_back(h);

  Finding f;
  f.rule_id = "PA-1";
  f.citation = "42 CFR 8.12(f)(2)";
  f.severity = Severity::kViolation;
  f.facility_id = "HRC01";
  f.patient_id = "P003";
  f.date = Date::FromYmd(2026, 1, 20);
  f.detail = "-no physical exam within 14 days of admission";
  d.findings.push_back(f);

  CredentialStatus lapsed{"HRC01", "state-license", "OTP-5521", "lapsed", Date::FromYmd(2026, 1, 30), -2};
  CredentialStatus open{"HRC01", "medicare-enrollment", "PTAN123", "current", std::nullopt, INT_MAX};
  d.credentials = {lapsed, open};

  Reject r;
  r.file = "services.csv";
  r.line = 7;
  r.column = "service_date";
  r.reason = "not a real date: 2026-02-30";
  r.record_id = "R77";
  r.facility_id = "HRC01";
  r.raw = "R77,HRC01,P001,2026-02-30,SECRETRAWTEXT";
  d.rejects.push_back(r);

  d.retention.admissions = 8;
  d.retention.retained_90_days = 6;
  return d;
}

class WorkbookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(std::system("command -v unzip >/dev/null 2>&1"), 0) << "these tests read the .xlsx with unzip";
    dir_ = MakeTempDir();
    path_ = dir_ + "/compliance-2026-02-01.xlsx";
  }
  void TearDown() override { fsys::remove_all(dir_); }
  std::string dir_, path_;
  PosixFileSystem fs_;
};

TEST_F(WorkbookTest, WritesTheTenSheetsInContractOrder) {
  ASSERT_TRUE(WriteWorkbook(Sample(), kTemplates, fs_, path_).ok());
  EXPECT_EQ(SheetNames(path_),
            (std::vector<std::string>{"Summary", "Work", "Claims", "Payments", "Held", "Findings", "Credentials",
                                      "Rejected", "Audit", "Reference"}));
}

TEST_F(WorkbookTest, FileHasMode0600AndNoTempLeft) {
  ASSERT_TRUE(WriteWorkbook(Sample(), kTemplates, fs_, path_).ok());
  struct stat st{};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Only the workbook is in the directory: its temporary file and libxlsxwriter's scratch
  // files are gone.
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fsys::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(WorkbookTest, HeaderFrozenAndAutofilterOnEveryListingSheet) {
  ASSERT_TRUE(WriteWorkbook(Sample(), kTemplates, fs_, path_).ok());
  EXPECT_NE(Sheet(path_, 1).find("state=\"frozen\""), std::string::npos) << "Summary";
  for (int n = 2; n <= 10; ++n) {
    std::string xml = Sheet(path_, n);
    EXPECT_NE(xml.find("state=\"frozen\""), std::string::npos) << "sheet" << n;
    EXPECT_NE(xml.find("<autoFilter ref="), std::string::npos) << "sheet" << n;
  }
  // Claims: 13 columns, header + 2 lines.
  EXPECT_NE(SheetNamed(path_, "Claims").find("<autoFilter ref=\"A1:M3\""), std::string::npos);
  EXPECT_NE(SheetNamed(path_, "Claims").find("<pane ySplit=\"1\" topLeftCell=\"A2\""), std::string::npos);
}

TEST_F(WorkbookTest, TextStartingWithFormulaCharactersIsText) {
  ASSERT_TRUE(WriteWorkbook(Sample(), kTemplates, fs_, path_).ok());
  const std::string all = AllXml(path_);
  EXPECT_EQ(all.find("<f>"), std::string::npos) << "no cell may hold a formula";
  EXPECT_EQ(all.find("<f "), std::string::npos);
  std::string claims = SheetNamed(path_, "Claims");
  EXPECT_NE(claims.find("<t>=SUM(A1)</t>"), std::string::npos);
  EXPECT_NE(claims.find("<t>+1234</t>"), std::string::npos);
  EXPECT_NE(all.find("<t>@cmd arrived after the episode was billed</t>"), std::string::npos);
  EXPECT_NE(all.find("<t>-no physical exam within 14 days of admission</t>"), std::string::npos);
}

TEST_F(WorkbookTest, DatesAreExcelDatesAndMoneyIsCurrency) {
  ASSERT_TRUE(WriteWorkbook(Sample(), kTemplates, fs_, path_).ok());
  std::string claims = SheetNamed(path_, "Claims");
  // 2026-01-05 is Excel serial 46027 (2025-01-01 = 45658, + 365 + 4), shown as a date.
  EXPECT_EQ(CellText(claims, "E2"), "46027");
  EXPECT_EQ(FormatOfCell(path_, claims, "E2"), "yyyy-mm-dd");
  EXPECT_EQ(CellText(claims, "I2"), "277.29");
  EXPECT_EQ(FormatOfCell(path_, claims, "I2"), "$#,##0.00");
  EXPECT_EQ(CellText(claims, "H2"), "1");
  EXPECT_EQ(FormatOfCell(path_, claims, "H2"), "#,##0");
}

TEST_F(WorkbookTest, RowLimitContinuesOnNumberedSheets) {
  ReportData d = Sample();
  std::vector<Claim> five;
  for (int i = 1; i <= 5; ++i) five.push_back(OneLine("C" + std::to_string(i), Date::FromYmd(2026, 1, i), "G2067", 1, 100 * i));
  SetClaims(d, std::move(five));
  WorkbookOptions opt;
  opt.max_rows_per_sheet = 3;  // header + 2 lines per sheet: 5 lines → 3 sheets
  ASSERT_TRUE(WriteWorkbook(d, kTemplates, fs_, path_, opt).ok());
  EXPECT_EQ(SheetNames(path_),
            (std::vector<std::string>{"Summary", "Work", "Claims", "Claims (2)", "Claims (3)", "Payments", "Held",
                                      "Findings", "Credentials", "Rejected", "Audit", "Audit (2)", "Audit (3)",
                                      "Reference"}));
  std::string second = SheetNamed(path_, "Claims (2)"), third = SheetNamed(path_, "Claims (3)");
  EXPECT_NE(second.find("<t>C3</t>"), std::string::npos);
  EXPECT_NE(second.find("<t>C4</t>"), std::string::npos);
  EXPECT_EQ(second.find("<t>C5</t>"), std::string::npos);
  EXPECT_NE(third.find("<t>C5</t>"), std::string::npos);
  EXPECT_NE(third.find("<autoFilter ref=\"A1:M2\""), std::string::npos);
  EXPECT_NE(third.find("state=\"frozen\""), std::string::npos);
  EXPECT_NE(third.find("<t>Claim ID</t>"), std::string::npos) << "each part repeats the header";
}

TEST_F(WorkbookTest, FailedPublishLeavesNoFileAndNoTemp) {
  FaultyFileSystem faulty(fs_, FaultPoint::kRename, 1);
  Status st = WriteWorkbook(Sample(), kTemplates, faulty, path_);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kIo);
  EXPECT_EQ(faulty.calls(), 1);
  EXPECT_FALSE(fsys::exists(path_));
  EXPECT_TRUE(fsys::is_empty(dir_));  // no temporary file either
}

TEST_F(WorkbookTest, SummaryHasCountsChargesNoticeAndChart) {
  ASSERT_TRUE(WriteWorkbook(Sample(), kTemplates, fs_, path_).ok());
  std::string summary = Sheet(path_, 1);
  EXPECT_NE(summary.find("<t>Service rows read</t>"), std::string::npos);
  EXPECT_NE(summary.find("<t>Charges by code</t>"), std::string::npos);
  EXPECT_NE(summary.find("<t>G2075</t>"), std::string::npos);
  EXPECT_NE(summary.find("<v>300</v>"), std::string::npos);      // G2075 charge
  EXPECT_NE(summary.find("<v>577.29</v>"), std::string::npos);   // total charges
  EXPECT_NE(summary.find("<t>yes</t>"), std::string::npos);      // 18+2 = 20, 12+3+1+0+2 = 18
  EXPECT_NE(summary.find("protected by Federal confidentiality rules (42 CFR part 2)"), std::string::npos);
  EXPECT_NE(summary.find("<mergeCell ref="), std::string::npos);
  bool chart = false;
  for (const auto& m : Members(path_)) chart |= m == "xl/charts/chart1.xml";
  EXPECT_TRUE(chart);
  EXPECT_NE(Unzip(path_, "xl/charts/chart1.xml").find("Summary!$A$"), std::string::npos);
  // The second chart: findings by rule, counted (not money) on its value axis.
  std::string findings_chart = Unzip(path_, "xl/charts/chart2.xml");
  EXPECT_NE(findings_chart.find("Findings by rule"), std::string::npos);
  EXPECT_NE(findings_chart.find("formatCode=\"0\""), std::string::npos);
}

TEST_F(WorkbookTest, RT1_RetentionShareOnSummary) {
  ASSERT_TRUE(WriteWorkbook(Sample(), kTemplates, fs_, path_).ok());
  std::string summary = Sheet(path_, 1);
  EXPECT_NE(summary.find("<v>0.75</v>"), std::string::npos);  // 6 of 8 admissions
  ReportData none = Sample();
  none.retention = {};
  ASSERT_TRUE(WriteWorkbook(none, kTemplates, fs_, path_).ok());
  EXPECT_NE(Sheet(path_, 1).find("<t>n/a</t>"), std::string::npos);
}

TEST_F(WorkbookTest, PG1_CredentialDaysToExpiryHighlighted) {
  ASSERT_TRUE(WriteWorkbook(Sample(), kTemplates, fs_, path_).ok());
  std::string creds = SheetNamed(path_, "Credentials");
  EXPECT_NE(creds.find("<c r=\"F2\" s=\""), std::string::npos);
  EXPECT_TRUE(std::regex_search(creds, std::regex("<c r=\"F2\" s=\"\\d+\"><v>-2</v></c>")));
  EXPECT_NE(creds.find("<t>open</t>"), std::string::npos);  // open-ended credential
  EXPECT_TRUE(std::regex_search(creds, std::regex("<c r=\"E2\" s=\"\\d+\"><v>46052</v></c>")));  // 2026-01-30
  EXPECT_NE(creds.find("<conditionalFormatting sqref=\"F2:F3\">"), std::string::npos);
  EXPECT_NE(creds.find("operator=\"lessThan\""), std::string::npos);
  EXPECT_NE(creds.find("operator=\"lessThanOrEqual\""), std::string::npos);
  std::string findings = SheetNamed(path_, "Findings");
  EXPECT_NE(findings.find("<formula>\"violation\"</formula>"), std::string::npos);
}

TEST_F(WorkbookTest, RejectedRowTextIsNeverWritten) {
  ASSERT_TRUE(WriteWorkbook(Sample(), kTemplates, fs_, path_).ok());
  std::string all = AllXml(path_);
  EXPECT_EQ(all.find("SECRETRAWTEXT"), std::string::npos);
  EXPECT_NE(all.find("<t>not a real date: 2026-02-30</t>"), std::string::npos);
  EXPECT_NE(all.find("<t>R1 R2 R3</t>"), std::string::npos);  // Audit source records
}

TEST_F(WorkbookTest, BadTemplateIsConfigErrorAndWritesNothing) {
  std::string tdir = dir_ + "/templates";
  fsys::create_directory(tdir);
  std::ifstream in(kTemplates + "/workbook.xml");
  std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string bad = std::regex_replace(xml, std::regex("field=\"rate_ref\""), "field=\"no_such_field\"");
  ASSERT_NE(bad, xml);
  std::ofstream(tdir + "/workbook.xml") << bad;
  Status st = WriteWorkbook(Sample(), tdir, fs_, path_);
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("no_such_field"), std::string::npos);
  EXPECT_FALSE(fsys::exists(path_));

  std::string missing = std::regex_replace(xml, std::regex("rows=\"audit\""), "rows=\"claims\"");
  std::ofstream(tdir + "/workbook.xml") << missing;
  EXPECT_EQ(WriteWorkbook(Sample(), tdir, fs_, path_).code(), StatusCode::kConfig);
  EXPECT_FALSE(fsys::exists(path_));
}

}  // namespace
}  // namespace otp

namespace otp {
namespace {

// Issue 24, case 3: bytes that are not UTF-8 and characters XML 1.0 cannot hold, wherever they
// come from (a file name, a facility file, a ledger another version wrote), never make a part
// of the workbook malformed: every XML part is parsed by expat (scripts/check_workbook.py
// --xml-only). Each such byte becomes U+FFFD; the text around it stays.
TEST_F(WorkbookTest, HostileBytesNeverMakeAnyPartMalformed) {
  ASSERT_EQ(std::system("command -v python3 >/dev/null 2>&1"), 0) << "the XML check needs python3";
  const std::vector<std::string> hostile = {
      std::string("cut\xC3"), std::string("stray\x80here"), std::string("over\xC0\xAFlong"),
      std::string("surrogate\xED\xA0\x80"), std::string("ff\xFF\xFE"), std::string("nul\x01\x02\x1B\x7F", 8) + "end",
      std::string("not a char \xEF\xBF\xBE"), "]]><x>&amp;</x><!--", std::string("big\xF4\x90\x80\x80")};
  ReportData d = Sample();
  for (size_t i = 0; i < hostile.size(); ++i) {
    Reject r = d.rejects[0];
    r.file = "serv" + hostile[i] + ".csv";
    r.reason = "reason " + hostile[i];
    r.record_id = "R" + hostile[i];
    r.column = hostile[i];
    d.rejects.push_back(r);
    HeldRow h = d.held[0];
    h.detail = hostile[i];
    h.patient_id = "P" + hostile[i];
    d.held.push_back(h);
    Finding f = d.findings[0];
    f.detail = hostile[i];
    d.findings.push_back(f);
    CredentialStatus c = d.credentials[0];
    c.number = hostile[i];
    d.credentials.push_back(c);
  }
  d.title = "title " + hostile[0];
  ASSERT_TRUE(WriteWorkbook(d, kTemplates, fs_, path_).ok());
  const std::string check = "python3 '" + std::string(OTP_SOURCE_DIR) + "/scripts/check_workbook.py' --xml-only '" +
                            path_ + "' 2>&1";
  const std::string said = otp::Run(check + "; echo \"exit $?\"");
  EXPECT_NE(said.find("well-formed"), std::string::npos) << said;
  EXPECT_NE(said.find("exit 0"), std::string::npos) << said;
  const std::string all = AllXml(path_);
  EXPECT_NE(all.find("stray\xEF\xBF\xBDhere"), std::string::npos) << "the byte replaced, the text kept";
  EXPECT_NE(all.find("]]&gt;&lt;x&gt;&amp;amp;&lt;/x&gt;&lt;!--"), std::string::npos);
}

// The Summary's facilities line spans its columns as one merged cell: its text is made
// well-formed like every other (a facility file's name in another encoding).
TEST_F(WorkbookTest, HostileBytesInTheFacilitiesLineBecomeReplacementCharacters) {
  ReportData d = Sample();
  d.facilities = {std::string("HRC01 CAF\xC9 RECOVERY"), std::string("HRC02 nul\x01")};
  ASSERT_TRUE(WriteWorkbook(d, kTemplates, fs_, path_).ok());
  const std::string summary = SheetNamed(path_, "Summary");
  EXPECT_NE(summary.find("HRC01 CAF\xEF\xBF\xBD RECOVERY; HRC02 nul\xEF\xBF\xBD"), std::string::npos);
  EXPECT_EQ(summary.find("\xC9 "), std::string::npos);
  EXPECT_EQ(summary.find('\x01'), std::string::npos);
}

}  // namespace
}  // namespace otp
