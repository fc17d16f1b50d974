// How the compliance workbook prints (interface.md §4): every sheet landscape with page numbers
// and the 42 CFR Part 2 footer; listing sheets one page wide with the header row repeated; the
// Summary at full size, within the page's width, broken between sections so that no chart is
// cut and the Part 2 notice is one wrapped range inside the printed width; rows of wrapped text
// tall enough to show it. And the template's print setup is checked before anything is written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "output/workbook.h"
#include "xlsx_parts.h"

namespace otp {
namespace {

using namespace xlsx;
const std::string kTemplates = std::string(OTP_SOURCE_DIR) + "/templates";
Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

// A report with enough on the Summary to need several pages: many codes, holds and findings.
ReportData Busy() {
  ReportData d;
  d.from = D(2026, 1, 1);
  d.to = D(2026, 1, 31);
  d.as_of = D(2026, 2, 1);
  d.facilities = {"HRC01"};
  for (int i = 0; i < 14; ++i) {
    const std::string code = "G20" + std::to_string(60 + i);
    d.counts.charges_by_code[code] = Money::Cents(1000 * (i + 1));
    d.counts.findings_by_rule["PA-" + std::to_string(i + 1)] = i + 1;
  }
  for (const char* reason : {"late-record", "no-oud-diagnosis", "intake-repeat", "no-price"}) {
    HeldRow h;
    h.facility_id = "HRC01";
    h.patient_id = "P1";
    h.reason = reason;
    h.next_step = std::string(300, 'x') + " — " + reason;  // long: wraps over several lines
    d.held.push_back(h);
  }
  d.credentials.push_back({"HRC01", "state-license", "OTP-1", "current", D(2027, 1, 1), 334});
  return d;
}

// The rows a sheet's manual page breaks start a page with (0-based).
std::vector<int> Breaks(const std::string& sheet) {
  std::vector<int> out;
  std::regex brk("<brk id=\"(\\d+)\"");
  for (auto it = std::sregex_iterator(sheet.begin(), sheet.end(), brk); it != std::sregex_iterator(); ++it)
    out.push_back(std::stoi((*it)[1]));
  return out;
}

// Each chart's rows on the Summary (0-based, from and to) from the drawing's anchors.
std::vector<std::pair<int, int>> ChartRows(const std::string& zip) {
  const std::string drawing = Unzip(zip, "xl/drawings/drawing1.xml");
  std::vector<std::pair<int, int>> out;
  std::regex anchor("<xdr:from>.*?<xdr:row>(\\d+)</xdr:row>.*?<xdr:to>.*?<xdr:row>(\\d+)</xdr:row>");
  for (auto it = std::sregex_iterator(drawing.begin(), drawing.end(), anchor); it != std::sregex_iterator(); ++it)
    out.push_back({std::stoi((*it)[1]), std::stoi((*it)[2])});
  return out;
}

class WorkbookPrint : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    path_ = dir_ + "/compliance.xlsx";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  // The template with `from` replaced by `to`, in a folder of its own.
  std::string TemplateWith(const std::string& from, const std::string& to) {
    std::ifstream in(kTemplates + "/workbook.xml");
    std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t at = xml.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) xml.replace(at, from.size(), to);
    const std::string tdir = dir_ + "/templates";
    std::filesystem::create_directories(tdir);
    std::ofstream(tdir + "/workbook.xml") << xml;
    return tdir;
  }
  std::string dir_, path_;
  PosixFileSystem fs_;
};

TEST_F(WorkbookPrint, EverySheetPrintsLandscapeWithPageNumbersAndThePart2Footer) {
  ASSERT_TRUE(WriteWorkbook(Busy(), kTemplates, fs_, path_).ok());
  const std::vector<std::string> names = SheetNames(path_);
  ASSERT_EQ(names.size(), 10u);
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string xml = Sheet(path_, static_cast<int>(i + 1));
    EXPECT_NE(xml.find("orientation=\"landscape\""), std::string::npos) << names[i];
    EXPECT_NE(xml.find("paperSize=\"1\""), std::string::npos) << names[i];
    std::smatch footer;
    ASSERT_TRUE(std::regex_search(xml, footer, std::regex("<oddFooter>([^<]*)</oddFooter>"))) << names[i];
    EXPECT_NE(footer[1].str().find("42 CFR part 2 prohibits unauthorized use or disclosure of these records."),
              std::string::npos)
        << names[i];
    EXPECT_NE(footer[1].str().find("Page &amp;P of &amp;N"), std::string::npos) << names[i];
    EXPECT_NE(xml.find("<oddHeader>&amp;C&amp;A</oddHeader>"), std::string::npos) << "the sheet's name atop each page";
  }
}

TEST_F(WorkbookPrint, ListingSheetsPrintOnePageWideWithTheHeaderRowRepeated) {
  ASSERT_TRUE(WriteWorkbook(Busy(), kTemplates, fs_, path_).ok());
  const std::string book = Unzip(path_, "xl/workbook.xml");
  const std::vector<std::string> names = SheetNames(path_);
  for (size_t i = 1; i < names.size(); ++i) {
    const std::string xml = Sheet(path_, static_cast<int>(i + 1));
    EXPECT_NE(xml.find("<pageSetUpPr fitToPage=\"1\"/>"), std::string::npos) << names[i];
    EXPECT_NE(xml.find("fitToHeight=\"0\""), std::string::npos) << names[i] << ": as many pages long as needed";
    EXPECT_EQ(xml.find("fitToWidth=\""), std::string::npos) << names[i] << ": one page wide (the default)";
    const std::string titles = "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"" + std::to_string(i) +
                               "\">" + names[i] + "!$1:$1</definedName>";
    EXPECT_NE(book.find(titles), std::string::npos) << names[i];
  }
}

TEST_F(WorkbookPrint, SummaryBreaksBetweenSectionsAndNeverInsideAChart) {
  ASSERT_TRUE(WriteWorkbook(Busy(), kTemplates, fs_, path_).ok());
  const std::string summary = Sheet(path_, 1);
  EXPECT_EQ(summary.find("fitToPage"), std::string::npos) << "Excel ignores page breaks on a sheet scaled to fit";
  EXPECT_NE(Unzip(path_, "xl/workbook.xml").find("Summary!$1:$1"), std::string::npos) << "its title row repeats";
  const std::vector<int> breaks = Breaks(summary);
  ASSERT_FALSE(breaks.empty()) << "this Summary is longer than a page";
  const auto charts = ChartRows(path_);
  ASSERT_EQ(charts.size(), 2u);
  for (int b : breaks) {
    for (auto [from, to] : charts) EXPECT_FALSE(from < b && b <= to) << "a break at row " << b << " cuts a chart";
    // A break starts a section: its first row is a section title, after a blank row.
    EXPECT_EQ(CellText(summary, "A" + std::to_string(b)), "") << "row above the break " << b;
  }
}

TEST_F(WorkbookPrint, SummaryColumnsAndChartsFitThePrintedWidth) {
  ASSERT_TRUE(WriteWorkbook(Busy(), kTemplates, fs_, path_).ok());
  const std::string summary = Sheet(path_, 1);
  double chars = 0;
  std::regex col("<col min=\"\\d+\" max=\"\\d+\" width=\"([0-9.]+)\"");
  int columns = 0;
  for (auto it = std::sregex_iterator(summary.begin(), summary.end(), col); it != std::sregex_iterator(); ++it) {
    chars += std::stod((*it)[1]);
    ++columns;
  }
  // Letter landscape less Excel's 0.7" margins: 9.6" = 921 px at 96 dpi; a column w characters
  // wide is about 7w + 5 px in Calibri 11.
  EXPECT_LE(chars * 7 + columns * 5, 921 * 0.9) << "room to spare for a wider font";
  for (auto [from, to] : ChartRows(path_)) EXPECT_GE(from, 0);
  const std::string drawing = Unzip(path_, "xl/drawings/drawing1.xml");
  std::regex to_col("<xdr:to><xdr:col>(\\d+)</xdr:col>");
  for (auto it = std::sregex_iterator(drawing.begin(), drawing.end(), to_col); it != std::sregex_iterator(); ++it)
    EXPECT_LT(std::stoi((*it)[1]), columns) << "a chart reaches past the Summary's columns";
}

TEST_F(WorkbookPrint, Part2NoticeIsOneWrappedRangeAcrossTheSummarysColumns) {
  ASSERT_TRUE(WriteWorkbook(Busy(), kTemplates, fs_, path_).ok());
  const std::string summary = Sheet(path_, 1);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(summary, m,
                                std::regex("<row r=\"(\\d+)\" ht=\"([0-9.]+)\"[^>]*><c r=\"A\\d+\" s=\"(\\d+)\"[^>]*>"
                                           "<is><t>This record which has been disclosed to you")));
  const std::string row = m[1];
  EXPECT_GE(std::stod(m[2]), 15.0 * 10) << "tall enough for its lines";
  EXPECT_NE(summary.find("<mergeCell ref=\"A" + row + ":G" + row + "\"/>"), std::string::npos);
  const std::string styles = Unzip(path_, "xl/styles.xml");
  size_t at = styles.find("<cellXfs");
  for (int i = 0; i <= std::stoi(m[3]); ++i) at = styles.find("<xf ", at + 1);
  EXPECT_NE(styles.substr(at, styles.find("</xf>", at) - at).find("wrapText=\"1\""), std::string::npos);
}

TEST_F(WorkbookPrint, RowsOfWrappedTextAreTallEnoughForIt) {
  ASSERT_TRUE(WriteWorkbook(Busy(), kTemplates, fs_, path_).ok());
  const std::string held = SheetNamed(path_, "Held");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(held, m, std::regex("<row r=\"2\" ht=\"([0-9.]+)\" customHeight=\"1\"")));
  // 300 narrow characters and the reason in a column 44 wide: at least 6 lines.
  EXPECT_GE(std::stod(m[1]), 6 * 15.0);
  EXPECT_NE(held.find("<row r=\"1\" ht=\"30\""), std::string::npos) << "the header \"Amount at stake\" wraps";
}

TEST_F(WorkbookPrint, TemplateWithoutAPart2FooterIsRefused) {
  const std::string tdir =
      TemplateWith("footer-left=\"42 CFR part 2 prohibits unauthorized use or disclosure of these records.\"", "");
  Status st = WriteWorkbook(Busy(), tdir, fs_, path_);
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("42 CFR Part 2"), std::string::npos) << st.message();
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(WorkbookPrint, SummarySectionWiderThanTheSummarysColumnsIsRefused) {
  // A fifth age band makes the work table 8 columns wide on a Summary of 7: it would print
  // past the columns the page was laid out for.
  const std::string tdir = TemplateWith("<band label=\"over 90 days\"/>",
                                        "<band up-to=\"180\" label=\"91-180 days\"/><band label=\"over 180 days\"/>");
  Status st = WriteWorkbook(Busy(), tdir, fs_, path_);
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("wider than the sheet's widths"), std::string::npos) << st.message();
}

TEST_F(WorkbookPrint, TemplateWithReferenceBeforeAnotherSheetIsRefused) {
  // Move the Reference sheet first: it must come last to list the terms of the sheets before it.
  std::ifstream in(kTemplates + "/workbook.xml");
  std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t ref = xml.find("  <sheet name=\"Reference\"");
  const size_t end = xml.find("</sheet>", ref) + 9;
  const std::string sheet = xml.substr(ref, end - ref);
  xml.erase(ref, end - ref);
  xml.insert(xml.find("  <sheet name=\"Summary\""), sheet);
  std::filesystem::create_directories(dir_ + "/t");
  std::ofstream(dir_ + "/t/workbook.xml") << xml;
  Status st = WriteWorkbook(Busy(), dir_ + "/t", fs_, path_);
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("must be last"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace otp
