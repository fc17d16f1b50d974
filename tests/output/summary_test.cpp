// summary.json (interface.md §3): the counts, money as exact text and as a number, the maps,
// the files written, and whether the service-row counts add up.
#include "output/summary.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace otp {
namespace {

ReportData Sample() {
  ReportData d;
  d.as_of = Date::FromYmd(2026, 2, 1);
  d.from = Date::FromYmd(2026, 1, 1);
  d.to = Date::FromYmd(2026, 1, 31);
  RunCounts& c = d.counts;
  c.patient_rows_read = 4;
  c.patient_rows_rejected = 1;
  c.service_rows_read = 100;
  c.accepted = 97;
  c.rejected = 3;
  c.billed = 80;
  c.held = 5;
  c.not_billable = 4;
  c.already_processed = 6;
  c.open = 2;
  c.claims = 7;
  c.lines = 11;
  c.total_charges = Money::Cents(123456);
  c.held_by_reason = {{"late-record", 2}, {"gate:dea-registration", 3}};
  c.not_billable_by_reason = {{"payer:commercial", 4}};
  c.findings_by_rule = {{"PA-1", 2}, {"PG-1", 1}};
  c.charges_by_code = {{"G2067", Money::Cents(110000)}, {"G2076", Money::Cents(13456)}};
  d.files = {"HRC01-000000001.837", "compliance-2026-02-01.xlsx"};
  d.retention = {10, 4};
  return d;
}

TEST(Summary, FieldsCarryTheCounts) {
  nlohmann::json j = nlohmann::json::parse(SummaryJson(Sample()));
  EXPECT_EQ(j["as_of"], "2026-02-01");
  EXPECT_EQ(j["period"]["from"], "2026-01-01");
  EXPECT_EQ(j["patients"]["rows_read"], 4);
  EXPECT_EQ(j["patients"]["rows_rejected"], 1);
  const auto& s = j["services"];
  EXPECT_EQ(s["rows_read"], 100);
  EXPECT_EQ(s["accepted"], 97);
  EXPECT_EQ(s["rejected"], 3);
  EXPECT_EQ(s["billed"], 80);
  EXPECT_EQ(s["held"], 5);
  EXPECT_EQ(s["not_billable"], 4);
  EXPECT_EQ(s["already_processed"], 6);
  EXPECT_EQ(s["open"], 2);
  EXPECT_EQ(j["claims_written"], 7);
  EXPECT_EQ(j["lines_written"], 11);
  EXPECT_EQ(j["nothing_new_billed"], false);
  EXPECT_EQ(j["total_charges"], "1234.56");
  EXPECT_DOUBLE_EQ(j["total_charges_value"].get<double>(), 1234.56);
  EXPECT_EQ(j["held_by_reason"]["gate:dea-registration"], 3);
  EXPECT_EQ(j["not_billable_by_reason"]["payer:commercial"], 4);
  EXPECT_EQ(j["findings_by_rule"]["PA-1"], 2);
  EXPECT_EQ(j["charges_by_code"]["G2076"]["text"], "134.56");
  EXPECT_DOUBLE_EQ(j["charges_by_code"]["G2067"]["value"].get<double>(), 1100.0);
  EXPECT_EQ(j["files"], nlohmann::json({"HRC01-000000001.837", "compliance-2026-02-01.xlsx"}));
}

// A path is bytes: an --out folder named in another encoding reaches summary.json as U+FFFD,
// never as an exception that stops a run that has done its work (issue 24, case 3).
TEST(Summary, AFileNameThatIsNotUtf8IsWrittenNotThrown) {
  ReportData d = Sample();
  d.files = {std::string("out/caf\xE9/HRC01-000000001.837")};
  std::string text;
  ASSERT_NO_THROW(text = SummaryJson(d));
  EXPECT_EQ(nlohmann::json::parse(text)["files"][0], "out/caf\xEF\xBF\xBD/HRC01-000000001.837");
}

TEST(Summary, CountsAddUpWhenEveryRowIsAccountedFor) {
  // 97 + 3 == 100 and 80 + 5 + 4 + 6 + 2 == 97
  EXPECT_TRUE(CountsAddUp(Sample().counts));
  EXPECT_EQ(nlohmann::json::parse(SummaryJson(Sample()))["counts_add_up"], true);
}

TEST(Summary, CountsDoNotAddUpWhenARowIsMissing) {
  ReportData d = Sample();
  d.counts.billed = 79;  // one accepted row has no outcome
  EXPECT_FALSE(CountsAddUp(d.counts));
  EXPECT_EQ(nlohmann::json::parse(SummaryJson(d))["counts_add_up"], false);
  d = Sample();
  d.counts.rejected = 2;  // one row read is neither accepted nor rejected
  EXPECT_FALSE(CountsAddUp(d.counts));
}

TEST(Summary, SecondRunSaysNothingNewWasBilled) {
  ReportData d = Sample();
  d.counts.claims = 0;
  d.counts.lines = 0;
  d.counts.billed = 0;
  d.counts.already_processed = 86;
  nlohmann::json j = nlohmann::json::parse(SummaryJson(d));
  EXPECT_EQ(j["nothing_new_billed"], true);
  EXPECT_EQ(j["claims_written"], 0);
  EXPECT_EQ(j["counts_add_up"], true);  // 0 + 5 + 4 + 86 + 2 == 97
}

TEST(Summary, RT1_RetentionShare) {
  nlohmann::json j = nlohmann::json::parse(SummaryJson(Sample()));
  EXPECT_EQ(j["retention"]["admissions"], 10);
  EXPECT_EQ(j["retention"]["retained_90_days"], 4);
  EXPECT_DOUBLE_EQ(j["retention"]["share"].get<double>(), 0.4);
  ReportData none = Sample();
  none.retention = {};
  EXPECT_TRUE(nlohmann::json::parse(SummaryJson(none))["retention"]["share"].is_null());
}

TEST(Summary, EmptyMapsAreObjectsAndTextEndsWithNewline) {
  ReportData d;
  std::string text = SummaryJson(d);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  nlohmann::json j = nlohmann::json::parse(text);
  EXPECT_TRUE(j["held_by_reason"].is_object());
  EXPECT_TRUE(j["charges_by_code"].is_object());
  EXPECT_TRUE(j["files"].is_array());
  EXPECT_EQ(j["total_charges"], "0.00");
}

}  // namespace
}  // namespace otp
