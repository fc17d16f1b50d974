// Bytes (interface.md §1.3): every field of patients.csv and services.csv, the columns the reader
// ignores included, must be UTF-8 text without control characters; otherwise the row is rejected
// naming the column and the kind of fault, never quoting the bytes, and every other row goes on.
// Tab: spaces and tabs around a field are padding and trimmed (as before); a tab inside a value
// is a control character like the others.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codes_bounds.h"
#include "input/csv.h"
#include "input/facility_reader.h"
#include "input/records_reader.h"
#include "input/validators.h"

namespace otp {
namespace {

Config TestConfig() {
  auto r = ReadFacilityFile(std::string(OTP_SOURCE_DIR) + "/fixtures/test/facility_valid.xml", nullptr);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : Config{};
}

const std::string kPatientHeader =
    "patient_id,facility_id,mbi,last_name,first_name,middle_initial,birth_date,sex,address_line1,"
    "city,state,zip,admission_date,discharge_date,program,payer,diagnosis,plan_counseling_minutes,note";
const std::vector<std::string> kPatientColumns = {
    "patient_id", "facility_id", "mbi",  "last_name", "first_name", "middle_initial", "birth_date",
    "sex",        "address_line1", "city", "state",   "zip",        "admission_date", "discharge_date",
    "program",    "payer",       "diagnosis", "plan_counseling_minutes", "note"};
const std::string kServiceHeader =
    "record_id,facility_id,patient_id,service_date,service,quantity,modality,practitioner_npi,flags,note";
const std::vector<std::string> kServiceColumns = {"record_id", "facility_id", "patient_id", "service_date",
                                                  "service",   "quantity",    "modality",   "practitioner_npi",
                                                  "flags",     "note"};

std::vector<std::string> GoodPatient(const std::string& id) {
  return {id,       "HRC01", "1EG4TE5MK73", "DOE",        "JOHN", "Q",           "1970-05-01", "M",      "1 ELM ST",
          "LOS ANGELES", "CA", "90001",       "2025-01-02", "",     "maintenance", "medicare",   "F11.20", "60", "x"};
}
std::vector<std::string> GoodService(const std::string& id) {
  return {id, "HRC01", "P0", "2026-03-02", "methadone_dose", "80", "in_person", "1245319599", "", "x"};
}

// A CSV field, quoted when it has to be (RFC 4180).
std::string CsvField(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) {
    q += c;
    if (c == '"') q += '"';
  }
  return q + "\"";
}

std::string Join(const std::vector<std::string>& f) {
  std::string out;
  for (size_t i = 0; i < f.size(); ++i) out += (i ? "," : "") + CsvField(f[i]);
  return out + "\n";
}

// Hostile byte strings, each with the words its reason must hold.
struct Bad {
  const char* name;
  std::string bytes;
  std::string reason;
};
const std::vector<Bad>& BadBytes() {
  static const std::vector<Bad> bad = {
      {"overlong slash (C0 AF)", "A\xC0\xAF", "an overlong encoding at byte 2"},
      {"overlong slash, 3 bytes", "AB\xE0\x80\xAF", "an overlong encoding at byte 3"},
      {"overlong slash, 4 bytes", "\xF0\x80\x80\xAF", "an overlong encoding at byte 1"},
      {"overlong NUL (C0 80)", "X\xC0\x80Y", "an overlong encoding at byte 2"},
      {"high surrogate U+D800", "A\xED\xA0\x80", "a UTF-16 surrogate (U+D800 to U+DFFF) at byte 2"},
      {"low surrogate U+DFFF", "\xED\xBF\xBF", "a UTF-16 surrogate"},
      {"surrogate pair as CESU-8", "\xED\xA0\xBD\xED\xB8\x80", "a UTF-16 surrogate (U+D800 to U+DFFF) at byte 1"},
      {"truncated 2-byte at the end", "JOS\xC3", "a character cut short at byte 4"},
      {"truncated 3-byte then ASCII", "\xE2\x82X", "a character cut short at byte 1"},
      {"truncated 4-byte", "\xF0\x9F\x98", "a character cut short"},
      {"stray continuation byte", "A\x80", "a continuation byte with no character to continue at byte 2"},
      {"0xFF", "A\xFF" "B", "a byte that never occurs in UTF-8 at byte 2"},
      {"0xFE", "\xFE", "never occurs in UTF-8"},
      {"above U+10FFFF", "\xF4\x90\x80\x80", "a code point above U+10FFFF"},
      {"NUL", std::string("A\0B", 3), "a control character (U+0000 NUL) at byte 2"},
      {"ESC", "A\x1B[31mB", "a control character (U+001B escape) at byte 2"},
      {"bell", "\x07", "a control character (U+0007)"},
      {"DEL", "AB\x7F", "a control character (U+007F delete) at byte 3"},
      {"U+0085 next line (C1)", "A\xC2\x85" "B", "a control character (U+0085 next line) at byte 2"},
      {"U+009B CSI (C1)", "\xC2\x9B", "a control character (U+009B)"},
      {"tab inside", "A\tB", "a control character (U+0009 tab) at byte 2"},
      {"line feed inside", "A\nB", "a control character (U+000A line feed) at byte 2"},
      {"carriage return inside", "A\rB", "a control character (U+000D carriage return) at byte 2"},
      {"BOM in the middle", "AB\xEF\xBB\xBF" "CD", "a byte order mark (U+FEFF) at byte 3"},
      {"U+FFFE", "A\xEF\xBF\xBE", "holds U+FFFE, which is not a character at byte 2"},
      {"U+FFFF", "\xEF\xBF\xBF", "holds U+FFFF"},
  };
  return bad;
}

// The reason is clean text itself and holds none of the bad bytes.
void ExpectCleanReason(const Reject& r, const Bad& b) {
  EXPECT_TRUE(TextFieldProblem(r.reason).empty()) << b.name << ": the reason itself is not clean text";
  for (char c : b.bytes) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || u < 0x20 || u == 0x7F) {
      EXPECT_EQ(r.reason.find(c), std::string::npos) << b.name << ": reason echoes a byte: " << r.reason;
    }
  }
  EXPECT_LT(r.reason.size(), 300u);
}

TEST(Bytes, TheValidatorAcceptsTextInEveryScript) {
  for (const char* ok : {"", "DOE", "O'NEIL*SMITH~", "\xC3\x89LYS\xC3\xA9" "E", "\xE6\x9D\xB1\xE4\xBA\xAC",
                         "\xF0\x9F\x98\x80", "\xEF\xBF\xBD", "\xC2\xA0", "\xE2\x80\x8B", "\xF4\x8F\xBF\xBD"})
    EXPECT_EQ(TextFieldProblem(ok), "") << ok;
  for (const auto& b : BadBytes()) {
    std::string p = TextFieldProblem(b.bytes);
    EXPECT_NE(p.find(b.reason.substr(0, 20)), std::string::npos) << b.name << ": " << p;
  }
}

TEST(Bytes, EveryPatientColumnRefusesEveryFault) {
  Config cfg = TestConfig();
  for (size_t col = 0; col < kPatientColumns.size(); ++col) {
    for (const auto& b : BadBytes()) {
      std::vector<std::string> row = GoodPatient("P1");
      row[col] = col == 0 ? "P1" + b.bytes : b.bytes;
      CollectingReporter rep;
      auto t = ReadPatients("patients.csv", kPatientHeader + "\n" + Join(GoodPatient("P0")) + Join(row) +
                                                Join(GoodPatient("P2")),
                            cfg, rep);
      ASSERT_TRUE(t.ok()) << t.status().message();
      std::vector<std::string> ids;
      for (const auto& p : t->patients) ids.push_back(p.patient_id);
      EXPECT_EQ(ids, (std::vector<std::string>{"P0", "P2"})) << kPatientColumns[col] << ", " << b.name;
      ASSERT_EQ(rep.rejects.size(), 1u) << kPatientColumns[col] << ", " << b.name;
      const Reject& r = rep.rejects[0];
      EXPECT_EQ(r.line, 3);
      EXPECT_EQ(r.column, kPatientColumns[col]) << b.name << ": " << r.reason;
      EXPECT_EQ(r.reason.rfind(kPatientColumns[col] + " ", 0), 0u) << r.reason;
      EXPECT_NE(r.reason.find(b.reason.substr(0, 24)), std::string::npos) << b.name << ": " << r.reason;
      ExpectCleanReason(r, b);
      // The id is kept for the Rejected sheet only when it is clean itself.
      EXPECT_EQ(r.record_id, col == 0 ? "" : "P1") << b.name;
      EXPECT_EQ(t->rows_read, 3);
    }
  }
}

TEST(Bytes, EveryServiceColumnRefusesEveryFault) {
  Config cfg = TestConfig();
  CollectingReporter prep;
  auto patients = ReadPatients("patients.csv", kPatientHeader + "\n" + Join(GoodPatient("P0")), cfg, prep);
  ASSERT_TRUE(patients.ok() && prep.rejects.empty());
  for (size_t col = 0; col < kServiceColumns.size(); ++col) {
    for (const auto& b : BadBytes()) {
      std::vector<std::string> row = GoodService("S2");
      row[col] = col == 0 ? "S2" + b.bytes : b.bytes;
      CollectingReporter rep;
      auto s = ReadServices("services.csv",
                            kServiceHeader + "\n" + Join(GoodService("S1")) + Join(row) + Join(GoodService("S3")),
                            cfg, CodesBounds(), *patients, rep);
      ASSERT_TRUE(s.ok()) << s.status().message();
      std::vector<std::string> ids;
      for (const auto& r : s->records) ids.push_back(r.record_id);
      EXPECT_EQ(ids, (std::vector<std::string>{"S1", "S3"})) << kServiceColumns[col] << ", " << b.name;
      ASSERT_EQ(rep.rejects.size(), 1u) << kServiceColumns[col] << ", " << b.name;
      const Reject& r = rep.rejects[0];
      EXPECT_EQ(r.line, 3);
      EXPECT_EQ(r.column, kServiceColumns[col]) << b.name << ": " << r.reason;
      EXPECT_NE(r.reason.find(b.reason.substr(0, 24)), std::string::npos) << b.name << ": " << r.reason;
      ExpectCleanReason(r, b);
      EXPECT_EQ(r.record_id, col == 0 ? "" : "S2") << b.name;
      EXPECT_EQ(r.facility_id, col == 1 ? "" : "HRC01") << b.name;
      EXPECT_EQ(s->rows_read, 3);
    }
  }
}

TEST(Bytes, TabsAndSpacesAroundAFieldArePaddingNotContent) {
  Config cfg = TestConfig();
  CollectingReporter prep;
  auto patients = ReadPatients("patients.csv", kPatientHeader + "\n" + Join(GoodPatient("P0")), cfg, prep);
  ASSERT_TRUE(patients.ok());
  std::vector<std::string> row = GoodService("\tS1 \t");
  row[5] = " \t80\t";
  CollectingReporter rep;
  auto s = ReadServices("services.csv", kServiceHeader + "\n" + Join(row), cfg, CodesBounds(), *patients, rep);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->records.size(), 1u) << (rep.rejects.empty() ? "" : rep.rejects[0].reason);
  EXPECT_EQ(s->records[0].record_id, "S1");
  EXPECT_EQ(s->records[0].quantity, 80);
}

TEST(Bytes, TheFirstBadFieldOfARowIsTheOneNamed) {
  Config cfg = TestConfig();
  std::vector<std::string> row = GoodPatient("P1");
  row[3] = "D\x1B" "OE";   // last_name
  row[9] = "L\xFF" "A";    // city
  CollectingReporter rep;
  auto t = ReadPatients("patients.csv", kPatientHeader + "\n" + Join(row), cfg, rep);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(rep.rejects.size(), 1u);
  EXPECT_EQ(rep.rejects[0].column, "last_name");
}

TEST(Bytes, AHeaderThatIsNotCleanTextMakesTheFileUnusable) {
  Config cfg = TestConfig();
  for (const auto& b : BadBytes()) {
    CollectingReporter rep;
    std::string header = kPatientHeader;
    header.replace(header.find(",note"), 5, ",no" + b.bytes + "te");
    if (b.bytes.find('\n') != std::string::npos || b.bytes.find('\r') != std::string::npos) continue;  // another row
    auto t = ReadPatients("patients.csv", header + "\n" + Join(GoodPatient("P0")), cfg, rep);
    ASSERT_FALSE(t.ok()) << b.name;
    EXPECT_NE(t.status().message().find("patients.csv:1: the header row's field 19 "), std::string::npos)
        << t.status().message();
    EXPECT_TRUE(TextFieldProblem(t.status().message()).empty()) << b.name;
    EXPECT_TRUE(rep.warnings.empty()) << b.name << ": " << rep.warnings.front();
    EXPECT_TRUE(rep.rejects.empty());
  }
}

TEST(Bytes, ValidTextInEveryScriptIsAccepted) {
  Config cfg = TestConfig();
  std::vector<std::string> row = GoodPatient("P\xC3\x89" "1");  // PÉ1: ids are text, not ASCII only
  row[3] = "\xC3\x89LYS\xC3\x89" "E";
  row[4] = "\xE6\x9D\x8E X";
  row[8] = "1 ELM ST \xF0\x9F\x8F\xA0";
  row[18] = "\xE2\x80\x9Cnote\xE2\x80\x9D";
  CollectingReporter rep;
  auto t = ReadPatients("patients.csv", kPatientHeader + "\n" + Join(row), cfg, rep);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(rep.rejects.empty()) << rep.rejects.front().reason;
  ASSERT_EQ(t->patients.size(), 1u);
  EXPECT_EQ(t->patients[0].last_name, "\xC3\x89LYS\xC3\x89" "E");
}

}  // namespace
}  // namespace otp
