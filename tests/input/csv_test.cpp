// CSV reader and header-mapped table: RFC 4180 quoting, line numbers, BOM, CRLF, malformed rows.
#include "input/csv.h"

#include <gtest/gtest.h>

namespace otp {
namespace {

std::vector<CsvRecord> ReadAll(std::string_view text) {
  CsvReader r(text);
  std::vector<CsvRecord> out;
  CsvRecord rec;
  while (r.Next(rec)) {
    CsvRecord copy;
    copy.line = rec.line;
    copy.error = rec.error;
    copy.raw = rec.raw;
    out.push_back(copy);
    // Fields may point into rec's buffer: keep them as strings through `unescaped`.
    std::string joined;
    for (auto f : rec.fields) { joined += std::string(f); joined += '|'; }
    out.back().unescaped = joined;
  }
  return out;
}

TEST(Csv, SplitsPlainFieldsAndKeepsEmptyOnes) {
  auto recs = ReadAll("a,b,c\n1,,3\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].unescaped, "a|b|c|");
  EXPECT_EQ(recs[1].unescaped, "1||3|");
  EXPECT_EQ(recs[1].line, 2);
  EXPECT_EQ(recs[1].raw, "1,,3");
}

TEST(Csv, QuotedFieldsHoldCommasAndDoubledQuotes) {
  auto recs = ReadAll("x,\"a, b\",\"say \"\"hi\"\"\",\"\"\n");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].error, "");
  EXPECT_EQ(recs[0].unescaped, "x|a, b|say \"hi\"||");
}

TEST(Csv, EmbeddedNewlineKeepsPhysicalLineNumbers) {
  auto recs = ReadAll("h1,h2\n1,\"two\nlines\"\n2,x\n\"a\r\nb\r\nc\",y\r\n3,z\n");
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(recs[1].line, 2);
  EXPECT_EQ(recs[1].unescaped, "1|two\nlines|");
  EXPECT_EQ(recs[2].line, 4);
  EXPECT_EQ(recs[3].line, 5);
  EXPECT_EQ(recs[3].unescaped, "a\r\nb\r\nc|y|");
  EXPECT_EQ(recs[4].line, 8);
}

TEST(Csv, SkipsBomAndHandlesCrlf) {
  auto recs = ReadAll("\xEF\xBB\xBFid,name\r\n7,seven\r\n8,eight");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].unescaped, "id|name|");
  EXPECT_EQ(recs[1].unescaped, "7|seven|");
  EXPECT_EQ(recs[1].raw, "7,seven");
  EXPECT_EQ(recs[2].unescaped, "8|eight|");
  EXPECT_EQ(recs[2].line, 3);
}

TEST(Csv, BlankLinesAreSkippedButCounted) {
  auto recs = ReadAll("a\n\n\r\nb\n\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].line, 4);
}

TEST(Csv, UnbalancedQuoteRejectsOneLineAndResumes) {
  auto recs = ReadAll("h\n\"open\nnext\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_NE(recs[1].error.find("unbalanced quote"), std::string::npos);
  EXPECT_EQ(recs[1].line, 2);
  EXPECT_EQ(recs[1].raw, "\"open");
  EXPECT_EQ(recs[2].error, "");
  EXPECT_EQ(recs[2].line, 3);
  EXPECT_EQ(recs[2].unescaped, "next|");
}

TEST(Csv, TextAfterClosingQuoteIsAnErrorANulByteIsNot) {
  // The splitter is byte-agnostic: a NUL is a byte of its field, which CsvTable::TextProblem
  // then refuses naming the column (a record error could not name it).
  std::string text = std::string("a,b\n1,x") + std::string(1, '\0') + "y\n\"q\"z,2\n3,4\n";
  auto recs = ReadAll(text);
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[1].error, "");
  EXPECT_EQ(recs[1].unescaped, std::string("1|x\0y|", 6));
  EXPECT_NE(recs[2].error.find("after the closing quote"), std::string::npos);
  EXPECT_EQ(recs[3].error, "");
  EXPECT_EQ(recs[3].line, 4);
}

TEST(Csv, TruncateUtf8KeepsWholeCharacters) {
  EXPECT_EQ(TruncateUtf8("abc", 10), "abc");
  EXPECT_EQ(TruncateUtf8("ab\xC3\xA9", 3), "ab");  // é is two bytes: not cut in half
  EXPECT_EQ(TruncateUtf8(std::string(5000, 'x')).size(), kMaxRawBytes);
}

std::vector<CsvColumn> Cols() { return {{"id", true}, {"name", true}, {"note", false}}; }

TEST(CsvTable, FindsColumnsByNameInAnyOrderAndTrimsHeaderNames) {
  CollectingReporter rep;
  auto t = CsvTable::Open("f.csv", " name , id\n Ann ,1\n", Cols(), rep);
  ASSERT_TRUE(t.ok()) << t.status().message();
  CsvTable table = std::move(t).value();
  ASSERT_TRUE(table.Next());
  EXPECT_EQ(table.Get(0), "1");
  EXPECT_EQ(table.Get(1), "Ann");
  EXPECT_EQ(table.Get(2), "");
  EXPECT_FALSE(table.HasColumn(2));
  EXPECT_FALSE(table.Next());
  EXPECT_EQ(table.rows_read(), 1);
  EXPECT_TRUE(rep.warnings.empty());
}

TEST(CsvTable, UnknownColumnIsOneWarning) {
  CollectingReporter rep;
  auto t = CsvTable::Open("f.csv", "id,name,colour,Name\n1,a,red,b\n", Cols(), rep);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(rep.warnings.size(), 2u);  // header names are case-sensitive: "Name" is unknown
  EXPECT_EQ(rep.warnings[0], "f.csv:1: unknown column \"colour\" is ignored");
  EXPECT_EQ(rep.warnings[1], "f.csv:1: unknown column \"Name\" is ignored");
}

TEST(CsvTable, MissingRequiredColumnMakesTheFileUnusable) {
  CollectingReporter rep;
  auto t = CsvTable::Open("services.csv", "id,note\n1,x\n", Cols(), rep);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("services.csv"), std::string::npos);
  EXPECT_NE(t.status().message().find("\"name\""), std::string::npos);
}

TEST(CsvTable, EmptyFileIsAnError) {
  CollectingReporter rep;
  EXPECT_FALSE(CsvTable::Open("f.csv", "", Cols(), rep).ok());
  EXPECT_FALSE(CsvTable::Open("f.csv", "\xEF\xBB\xBF", Cols(), rep).ok());
}

TEST(CsvTable, WrongColumnCountIsRejectedAndReadingGoesOn) {
  CollectingReporter rep;
  auto t = CsvTable::Open("f.csv", "id,name\n1,a,extra\n2\n3,c\n", Cols(), rep);
  ASSERT_TRUE(t.ok());
  CsvTable table = std::move(t).value();
  ASSERT_TRUE(table.Next());
  EXPECT_EQ(table.Get(0), "3");
  EXPECT_EQ(table.line(), 4);
  EXPECT_FALSE(table.Next());
  EXPECT_EQ(table.rows_read(), 3);
  ASSERT_EQ(rep.rejects.size(), 2u);
  EXPECT_EQ(rep.rejects[0].file, "f.csv");
  EXPECT_EQ(rep.rejects[0].line, 2);
  EXPECT_EQ(rep.rejects[0].column, "");
  EXPECT_EQ(rep.rejects[0].reason, "row has 3 fields, the header has 2");
  EXPECT_EQ(rep.rejects[0].raw, "1,a,extra");
  EXPECT_EQ(rep.rejects[1].line, 3);
  EXPECT_EQ(rep.rejects[1].reason, "row has 1 fields, the header has 2");
}

TEST(CsvTable, RawOfARejectedRowIsCappedAt4KiB) {
  CollectingReporter rep;
  std::string text = "id,name\n" + std::string(10000, 'x') + "\n";
  auto t = CsvTable::Open("f.csv", text, Cols(), rep);
  ASSERT_TRUE(t.ok());
  CsvTable table = std::move(t).value();
  EXPECT_FALSE(table.Next());
  ASSERT_EQ(rep.rejects.size(), 1u);
  EXPECT_EQ(rep.rejects[0].raw.size(), 4096u);
}

}  // namespace
}  // namespace otp
