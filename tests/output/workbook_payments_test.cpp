// The Payments sheet (interface.md §4): a claim a row with its status, acknowledgments, payment,
// adjustments and their words, what is outstanding and its age; below the claims, outside the
// autofilter, the accounts receivable per facility by age band and the payments' provider-level
// adjustments; none of it without claims; the tables on a part of their own when the rows left
// do not hold them; and the Summary's payments line per facility.
#include <gtest/gtest.h>

#include <filesystem>
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

PaymentRow Claim(const std::string& facility, const std::string& id, int age, int64_t billed, int64_t paid,
                 int64_t outstanding) {
  PaymentRow p;
  p.facility_id = facility;
  p.claim_id = id;
  p.patient_id = "P1";
  p.month = "2026-09";
  p.written = D(2026, 11, 30) - age;
  p.file = facility + "-000000001.837";
  p.status = outstanding ? "accepted" : "paid";
  p.acknowledgments = "999 acknowledged 2026-11-11; 277CA accepted 2026-11-12";
  p.billed = Money::Cents(billed);
  p.paid = Money::Cents(paid);
  p.contractual = Money::Cents(billed - paid - outstanding);
  p.outstanding = Money::Cents(outstanding);
  p.age_days = age;
  return p;
}

// The row number of the first row whose column A says `text`; "" when none.
std::string RowSaying(const std::string& sheet, const std::string& text) {
  std::smatch m;
  const std::regex re("<row r=\"(\\d+)\"[^>]*><c r=\"A\\d+\"[^>]*><is><t[^>]*>" + text);
  return std::regex_search(sheet, m, re) ? m[1].str() : "";
}

class PaymentsSheet : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    path_ = dir_ + "/compliance.xlsx";
    d_.from = D(2026, 8, 1);
    d_.to = D(2026, 11, 30);
    d_.as_of = D(2026, 11, 30);
    PaymentRow paid = Claim("HRC01", "C000000001", 10, 156195, 153070, 0);
    paid.payer_claim_number = "0226315801001";
    paid.adjustments = "CO-253 31.25";
    paid.adjustment_words = "CO-253: Sequestration - reduction in federal payment";
    paid.last_event = D(2026, 11, 25);
    PaymentRow waiting = Claim("HRC01", "C000000002", 45, 10000, 0, 10000);
    waiting.patient_id = "=1+2";  // text that looks like a formula stays text
    PaymentRow old = Claim("HRC02", "C000000078", 200, 5000, 0, 5000);
    old.status = "rejected";
    d_.payments = {paid, waiting, old};
    d_.provider_adjustments = {{"HRC01", D(2026, 12, 1), "011822026120101", "WO", "WO: Overpayment Recovery",
                                "0226315801001", "C000000001", Money::Cents(7800), "4-835.x12"}};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const WorkbookOptions& o = {}) {
    Status st = WriteWorkbook(d_, kTemplates, fs_, path_, o);
    EXPECT_TRUE(st.ok()) << st.message();
    return path_;
  }
  ReportData d_;
  std::string dir_, path_;
  PosixFileSystem fs_;
};

TEST_F(PaymentsSheet, AClaimARowWithWhatCameBackInRealDatesAndMoney) {
  const std::string p = SheetNamed(Write(), "Payments");
  const std::vector<std::string> headers = {
      "Facility", "Claim ID", "Patient ID", "Month", "Written", "837P file", "Status", "Acknowledgments",
      "Payer claim number", "Billed", "Paid", "Adjustments", "Adjustments in words", "Patient responsibility",
      "Outstanding", "Age (days)", "Last event"};
  for (size_t c = 0; c < headers.size(); ++c)
    EXPECT_EQ(CellText(p, std::string(1, static_cast<char>('A' + c)) + "1"), headers[c]);
  EXPECT_EQ(CellText(p, "A2"), "HRC01");
  EXPECT_EQ(CellText(p, "B2"), "C000000001");
  EXPECT_EQ(CellText(p, "E2"), "46346") << "2026-11-20 as a date";
  EXPECT_EQ(FormatOfCell(path_, p, "E2"), "yyyy-mm-dd");
  EXPECT_EQ(CellText(p, "H2"), "999 acknowledged 2026-11-11; 277CA accepted 2026-11-12");
  EXPECT_EQ(CellText(p, "I2"), "0226315801001");
  EXPECT_EQ(CellText(p, "K2"), "1530.7");
  EXPECT_EQ(FormatOfCell(path_, p, "K2"), "$#,##0.00");
  EXPECT_EQ(CellText(p, "L2"), "CO-253 31.25");
  EXPECT_NE(CellText(p, "M2").find("Sequestration"), std::string::npos);
  EXPECT_EQ(CellText(p, "O2"), "0");
  EXPECT_EQ(CellText(p, "P2"), "10");
  EXPECT_EQ(FormatOfCell(path_, p, "Q2"), "yyyy-mm-dd");
  EXPECT_EQ(CellText(p, "Q3"), "") << "nothing came back: no last event";
  EXPECT_EQ(CellText(p, "C3"), "=1+2");
  EXPECT_EQ(p.find("<f>"), std::string::npos) << "no formula, ever";
  EXPECT_NE(p.find("<autoFilter ref=\"A1:Q4\""), std::string::npos) << "the claims only, not the tables below";
}

TEST_F(PaymentsSheet, BelowTheClaimsTheReceivablesByFacilityAndAgeBandThenThePLBs) {
  const std::string p = SheetNamed(Write(), "Payments");
  const std::string title = RowSaying(p, "Accounts receivable by facility");
  ASSERT_EQ(title, "6") << "after the three claims and a blank row";
  EXPECT_NE(CellText(p, "A6").find("(to 2026-11-30)"), std::string::npos) << CellText(p, "A6");
  EXPECT_EQ(CellText(p, "A7"), "Facility");
  EXPECT_EQ(CellText(p, "K7"), "Outstanding");
  EXPECT_EQ(CellText(p, "L7"), "0-30 days");
  EXPECT_EQ(CellText(p, "P7"), "over 120 days");
  EXPECT_EQ(CellText(p, "A8"), "HRC01");
  EXPECT_EQ(CellText(p, "B8"), "2");
  EXPECT_EQ(CellText(p, "C8"), "1661.95");
  EXPECT_EQ(FormatOfCell(path_, p, "C8"), "$#,##0.00");
  EXPECT_EQ(CellText(p, "J8"), "78") << "the WO recovered from HRC01";
  EXPECT_EQ(CellText(p, "K8"), "100");
  EXPECT_EQ(CellText(p, "L8"), "0") << "the paid claim (10 days) has nothing outstanding";
  EXPECT_EQ(CellText(p, "M8"), "100") << "45 days: 31-60";
  EXPECT_EQ(CellText(p, "A9"), "HRC02");
  EXPECT_EQ(CellText(p, "P9"), "50") << "200 days: over 120";
  EXPECT_EQ(CellText(p, "A10"), "All facilities");
  EXPECT_EQ(CellText(p, "B10"), "3");
  EXPECT_EQ(CellText(p, "K10"), "150");
  EXPECT_EQ(RowSaying(p, "Provider-level adjustments"), "12");
  EXPECT_EQ(CellText(p, "C13"), "Reason");
  EXPECT_EQ(CellText(p, "B14"), "C000000001");
  EXPECT_EQ(CellText(p, "C14"), "WO");
  EXPECT_EQ(CellText(p, "D13"), "Reason in words");
  EXPECT_EQ(CellText(p, "D14"), "WO: Overpayment Recovery");
  EXPECT_EQ(CellText(p, "F14"), "78");
  EXPECT_EQ(CellText(p, "G14"), "011822026120101");
}

TEST_F(PaymentsSheet, NoClaimNoRowsNoReceivables) {
  d_.payments.clear();
  d_.provider_adjustments.clear();
  const std::string p = SheetNamed(Write(), "Payments");
  EXPECT_NE(CellText(p, "A2").find("No payments yet"), std::string::npos);
  EXPECT_EQ(RowSaying(p, "Accounts receivable"), "");
  EXPECT_EQ(p.find("<row r=\"3\""), std::string::npos) << p;
  const std::string s = Sheet(path_, 1);
  const std::string line = RowSaying(s, "Payments by facility");
  ASSERT_NE(line, "");
  EXPECT_EQ(CellText(s, "A" + std::to_string(std::stoi(line) + 2)), "(none)");
}

TEST_F(PaymentsSheet, TablesThatDoNotFitTheRowsLeftGoOnAPartOfTheirOwn) {
  WorkbookOptions small;
  small.max_rows_per_sheet = 3;  // a header and two claims
  const std::string path = Write(small);
  const std::vector<std::string> names = SheetNames(path);
  ASSERT_GE(names.size(), 6u);
  EXPECT_EQ(names[3], "Payments");
  EXPECT_EQ(names[4], "Payments (2)");
  EXPECT_EQ(names[5], "Payments (3)");
  EXPECT_EQ(RowSaying(SheetNamed(path, "Payments (2)"), "Accounts receivable"), "");
  const std::string last = SheetNamed(path, "Payments (3)");
  EXPECT_EQ(CellText(last, "B1"), "Claim ID") << "the same header row";
  EXPECT_EQ(RowSaying(last, "Accounts receivable"), "3");
  EXPECT_NE(last.find("<autoFilter ref=\"A1:Q1\""), std::string::npos);
}

TEST_F(PaymentsSheet, TheSummarySaysWhatEachFacilityWasPaidAndHasOutstanding) {
  const std::string s = Sheet(Write(), 1);
  const std::string line = RowSaying(s, "Payments by facility");
  ASSERT_NE(line, "");
  const int head = std::stoi(line) + 1;
  EXPECT_EQ(CellText(s, "D" + std::to_string(head)), "Paid");
  EXPECT_EQ(CellText(s, "E" + std::to_string(head)), "Outstanding");
  EXPECT_EQ(CellText(s, "A" + std::to_string(head + 1)), "HRC01");
  EXPECT_EQ(CellText(s, "D" + std::to_string(head + 1)), "1530.7");
  EXPECT_EQ(CellText(s, "E" + std::to_string(head + 1)), "100");
  EXPECT_EQ(CellText(s, "A" + std::to_string(head + 3)), "All facilities");
  EXPECT_EQ(CellText(s, "E" + std::to_string(head + 3)), "150");
}

}  // namespace
}  // namespace otp
