// Hostile-input battery for the readers: malformed CSV (unbalanced quotes, wrong column counts,
// NUL bytes, binary junk, a 10 MB field, empty and header-only files, BOM and CRLF), unreal
// dates, invalid MBIs and NPIs, duplicate ids, names full of X12 separators, and hostile
// facility.xml files. Every case checks three things: a bad row is a Reject naming file, line
// and column (a file-level problem is an error Status naming the file); every other row is
// still read; and the counts add up (rows_read = accepted + identical duplicates + rejects).
// The last tests check that no reason or warning quotes a patient's name, MBI or birth date.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "input/csv.h"
#include "input/facility_reader.h"
#include "input/records_reader.h"
#include "codes_bounds.h"

namespace otp {
namespace {

Config TestConfig() {
  auto r = ReadFacilityFile(std::string(OTP_SOURCE_DIR) + "/fixtures/test/facility_valid.xml", nullptr);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : Config{};
}

const std::string kPatientHeader =
    "patient_id,facility_id,mbi,last_name,first_name,middle_initial,birth_date,sex,address_line1,"
    "city,state,zip,admission_date,discharge_date,program,payer,diagnosis,plan_counseling_minutes";
const std::string kServiceHeader =
    "record_id,facility_id,patient_id,service_date,service,quantity,modality,practitioner_npi,flags";

enum PatientField : size_t {
  kId, kFacility, kMbi, kLast, kFirst, kMiddle, kBirth, kSex, kLine1, kCity, kState, kZip,
  kAdmission, kDischarge, kProgram, kPayer, kDiagnosis, kMinutes
};

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

std::vector<std::string> GoodPatientFields(const std::string& id) {
  return {id,        "HRC01",      "1EG4TE5MK73", "DOE", "JOHN", "Q",           "1970-05-01", "M", "1 ELM ST",
          "LOS ANGELES", "CA",      "90001",       "2025-01-02", "", "maintenance", "medicare",   "F11.20", "60"};
}

std::string Join(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + CsvField(fields[i]);
  return out;
}

// A patient row for `id`: the good row with field `index` set to `value` (quoted as needed).
std::string PatientRow(const std::string& id, size_t index = kId, const std::string& value = "") {
  auto f = GoodPatientFields(id);
  if (index != kId) f.at(index) = value;
  return Join(f);
}

std::string ServiceRow(const std::string& rid, const std::string& pid = "P0",
                       const std::string& date = "2026-03-02", const std::string& service = "methadone_dose",
                       const std::string& qty = "80", const std::string& npi = "1245319599") {
  return rid + ",HRC01," + pid + "," + date + "," + service + "," + qty + ",in_person," + npi + ",";
}

std::string Lines(const std::vector<std::string>& lines, const char* eol = "\n") {
  std::string out;
  for (const auto& l : lines) out += l + eol;
  return out;
}

void ExpectCountsAdd(const PatientTable& t, const CollectingReporter& rep) {
  EXPECT_EQ(t.rows_read, static_cast<int64_t>(t.patients.size() + rep.rejects.size()))
      << "patients: rows_read must be accepted + rejected";
}

void ExpectCountsAdd(const ServiceRead& s, const CollectingReporter& rep) {
  EXPECT_EQ(s.rows_read, static_cast<int64_t>(s.records.size()) + s.duplicates_identical +
                             static_cast<int64_t>(rep.rejects.size()))
      << "services: rows_read must be accepted + identical duplicates + rejected";
}

std::vector<std::string> Ids(const PatientTable& t) {
  std::vector<std::string> ids;
  for (const auto& p : t.patients) ids.push_back(p.patient_id);
  return ids;
}

std::vector<std::string> Ids(const ServiceRead& s) {
  std::vector<std::string> ids;
  for (const auto& r : s.records) ids.push_back(r.record_id);
  return ids;
}

using Strings = std::vector<std::string>;

// Reads `content` as patients.csv; the table must open.
PatientTable Patients(const std::string& content, CollectingReporter& rep, const Config& cfg) {
  auto r = ReadPatients("patients.csv", content, cfg, rep);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : PatientTable{};
}

// Patients P0 and P1, both good, for the services tests.
PatientTable TwoPatients(const Config& cfg) {
  CollectingReporter rep;
  PatientTable t = Patients(Lines({kPatientHeader, PatientRow("P0"), PatientRow("P1")}), rep, cfg);
  EXPECT_EQ(t.patients.size(), 2u);
  return t;
}

ServiceRead Services(const std::string& content, CollectingReporter& rep, const Config& cfg,
                     const PatientTable& patients) {
  auto r = ReadServices("services.csv", content, cfg, CodesBounds(), patients, rep);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : ServiceRead{};
}

void ExpectReject(const Reject& r, const std::string& file, int64_t line, const std::string& column,
                  const std::string& reason_part) {
  EXPECT_EQ(r.file, file);
  EXPECT_EQ(r.line, line) << r.reason;
  EXPECT_EQ(r.column, column) << r.reason;
  EXPECT_NE(r.reason.find(reason_part), std::string::npos) << "reason: " << r.reason << "\nwanted: " << reason_part;
  EXPECT_LE(r.raw.size(), kMaxRawBytes);
}

// ---- CSV structure ------------------------------------------------------------------------------

TEST(Hostile, UnbalancedQuoteMidFileLosesNoLaterRow) {
  // Line 3 opens a quote it never closes; line 5 has a properly quoted address. The reader must
  // not pair line 3's quote with line 5's and swallow line 4 into one broken record.
  Config cfg = TestConfig();
  CollectingReporter rep;
  std::string broken = "P1,HRC01,1EG4TE5MK73,\"DOE,JOHN,Q,1970-05-01,M,1 ELM ST,LOS ANGELES,CA,90001,"
                       "2025-01-02,,maintenance,medicare,F11.20,60";
  PatientTable t = Patients(Lines({kPatientHeader, PatientRow("P0"), broken, PatientRow("P2"),
                                   PatientRow("P3", kLine1, "8302 MAPLE ST, APT 7"), PatientRow("P4")}),
                            rep, cfg);
  EXPECT_EQ(Ids(t), (Strings{"P0", "P2", "P3", "P4"}));
  ASSERT_EQ(rep.rejects.size(), 1u);
  ExpectReject(rep.rejects[0], "patients.csv", 3, "", "quote");
  EXPECT_EQ(t.rows_read, 5);
  ExpectCountsAdd(t, rep);
  ASSERT_NE(t.Find("HRC01", "P3"), nullptr);
  EXPECT_EQ(t.Find("HRC01", "P3")->address.line1, "8302 MAPLE ST, APT 7");
  EXPECT_EQ(t.Find("HRC01", "P4")->source.line, 6);
}

TEST(Hostile, UnbalancedQuoteOnLastLine) {
  Config cfg = TestConfig();
  PatientTable patients = TwoPatients(cfg);
  CollectingReporter rep;
  ServiceRead s = Services(
      Lines({kServiceHeader, ServiceRow("S1"), ServiceRow("S2"), "S3,HRC01,P0,\"2026-03-02,methadone_dose,80,,,"}),
      rep, cfg, patients);
  EXPECT_EQ(Ids(s), (Strings{"S1", "S2"}));
  ASSERT_EQ(rep.rejects.size(), 1u);
  ExpectReject(rep.rejects[0], "services.csv", 4, "", "unbalanced quote");
  ExpectCountsAdd(s, rep);
}

TEST(Hostile, TextAfterClosingQuoteRejectsOnlyThatRow) {
  Config cfg = TestConfig();
  CollectingReporter rep;
  PatientTable t = Patients(Lines({kPatientHeader, PatientRow("P0"),
                                   "P1,HRC01,1EG4TE5MK73,\"DOE\"X,JOHN,Q,1970-05-01,M,1 ELM ST,LOS ANGELES,CA,"
                                   "90001,2025-01-02,,maintenance,medicare,F11.20,60",
                                   PatientRow("P2")}),
                            rep, cfg);
  EXPECT_EQ(Ids(t), (Strings{"P0", "P2"}));
  ASSERT_EQ(rep.rejects.size(), 1u);
  ExpectReject(rep.rejects[0], "patients.csv", 3, "", "after the closing quote");
  ExpectCountsAdd(t, rep);
}

TEST(Hostile, WrongColumnCounts) {
  Config cfg = TestConfig();
  PatientTable patients = TwoPatients(cfg);
  CollectingReporter rep;
  ServiceRead s = Services(Lines({kServiceHeader, ServiceRow("S1"),
                                  "S2,HRC01,P0,2026-03-02,methadone_dose,80,in_person,1245319599",  // 8
                                  ServiceRow("S3") + ",extra",                                       // 10
                                  "S4",                                                              // 1
                                  ServiceRow("S5")}),
                           rep, cfg, patients);
  EXPECT_EQ(Ids(s), (Strings{"S1", "S5"}));
  ASSERT_EQ(rep.rejects.size(), 3u);
  ExpectReject(rep.rejects[0], "services.csv", 3, "", "row has 8 fields, the header has 9");
  ExpectReject(rep.rejects[1], "services.csv", 4, "", "row has 10 fields, the header has 9");
  ExpectReject(rep.rejects[2], "services.csv", 5, "", "row has 1 fields, the header has 9");
  EXPECT_EQ(s.rows_read, 5);
  ExpectCountsAdd(s, rep);
}

TEST(Hostile, NulBytesAreRejected) {
  Config cfg = TestConfig();
  CollectingReporter rep;
  std::string nul_name = PatientRow("P1", kLast, std::string("DO\0E", 4));
  std::string nul_id = std::string("P\0", 2) + "2" + PatientRow("", kId).substr(0);  // "P\02,HRC01,…"
  PatientTable t = Patients(Lines({kPatientHeader, PatientRow("P0"), nul_name, nul_id, PatientRow("P3")}), rep, cfg);
  EXPECT_EQ(Ids(t), (Strings{"P0", "P3"}));
  ASSERT_EQ(rep.rejects.size(), 2u);
  ExpectReject(rep.rejects[0], "patients.csv", 3, "last_name", "last_name holds a control character (U+0000 NUL) at byte 3");
  ExpectReject(rep.rejects[1], "patients.csv", 4, "patient_id", "patient_id holds a control character (U+0000 NUL) at byte 2");
  EXPECT_EQ(rep.rejects[0].record_id, "P1");
  EXPECT_EQ(rep.rejects[1].record_id, "") << "an id holding a NUL is not kept as an id";
  ExpectCountsAdd(t, rep);
}

// Deterministic junk: every byte value but '\n' (so the line count is known), ',' and '"'.
std::string Junk(size_t n, uint32_t seed) {
  std::string s;
  while (s.size() < n) {
    seed = seed * 1664525u + 1013904223u;
    char c = static_cast<char>(seed >> 24);
    if (c != '\n' && c != ',' && c != '"') s += c;
  }
  return s;
}

TEST(Hostile, BinaryJunkLinesAreRejectedAndReadingGoesOn) {
  Config cfg = TestConfig();
  PatientTable patients = TwoPatients(cfg);
  CollectingReporter rep;
  ServiceRead s = Services(Lines({kServiceHeader, ServiceRow("S1"), Junk(300, 1), Junk(5000, 2),
                                  ServiceRow("S2", "P1"), Junk(9, 3) + ",,,,,,,,", ServiceRow("S3")}),
                           rep, cfg, patients);
  EXPECT_EQ(Ids(s), (Strings{"S1", "S2", "S3"}));
  ASSERT_EQ(rep.rejects.size(), 3u);
  EXPECT_EQ(rep.rejects[0].line, 3);
  EXPECT_EQ(rep.rejects[1].line, 4);
  EXPECT_LE(rep.rejects[1].raw.size(), kMaxRawBytes);
  // The 9-field junk row fails on its first field (record_id) or on NUL: either way it names line 6.
  EXPECT_EQ(rep.rejects[2].line, 6);
  for (const auto& r : rep.rejects) EXPECT_FALSE(r.reason.empty());
  EXPECT_EQ(s.records[2].source.line, 7);
  ExpectCountsAdd(s, rep);
}

TEST(Hostile, WholeFileOfJunkNeverCrashesAndCountsAdd) {
  Config cfg = TestConfig();
  PatientTable patients = TwoPatients(cfg);
  for (uint32_t seed = 1; seed <= 50; ++seed) {
    // Junk with newlines, quotes and commas too, after a valid header.
    std::string junk;
    uint32_t x = seed;
    for (int i = 0; i < 2000; ++i) {
      x = x * 1664525u + 1013904223u;
      junk += static_cast<char>(x >> 24);
    }
    CollectingReporter rep;
    auto r = ReadServices("services.csv", kServiceHeader + "\n" + junk, cfg, CodesBounds(), patients, rep);
    ASSERT_TRUE(r.ok()) << r.status().message();
    ExpectCountsAdd(*r, rep);
    for (const auto& rej : rep.rejects) {
      EXPECT_EQ(rej.file, "services.csv");
      EXPECT_GE(rej.line, 2);
      EXPECT_FALSE(rej.reason.empty());
    }
    CollectingReporter rep2;
    auto p = ReadPatients("patients.csv", junk, cfg, rep2);  // junk as the header: a clean error
    if (!p.ok()) {
      EXPECT_NE(p.status().message().find("patients.csv"), std::string::npos);
    }
  }
}

TEST(Hostile, TenMegabyteFields) {
  Config cfg = TestConfig();
  PatientTable patients = TwoPatients(cfg);
  const std::string big(10 * 1024 * 1024, 'A');
  CollectingReporter rep;
  ServiceRead s = Services(Lines({kServiceHeader, ServiceRow("S1"), ServiceRow(big),
                                  ServiceRow("S3", "P0", "2026-03-02", "\"" + big + "\""),
                                  ServiceRow("S4", "P0", "2026-03-02", "methadone_dose", big), ServiceRow("S5")}),
                           rep, cfg, patients);
  EXPECT_EQ(Ids(s), (Strings{"S1", "S5"}));
  ASSERT_EQ(rep.rejects.size(), 3u);
  ExpectReject(rep.rejects[0], "services.csv", 3, "record_id", "at most 64");
  ExpectReject(rep.rejects[1], "services.csv", 4, "service", "not a word of the service vocabulary");
  ExpectReject(rep.rejects[2], "services.csv", 5, "quantity", "not a number");
  for (const auto& r : rep.rejects) {
    EXPECT_LT(r.reason.size(), 300u) << "a giant field must not flood the reason";
    EXPECT_EQ(r.raw.size(), kMaxRawBytes);
  }
  EXPECT_TRUE(rep.rejects[0].record_id.empty()) << "an over-long record_id is not kept as an id";
  ExpectCountsAdd(s, rep);

  // A 10 MB quoted address with a comma is legal text: read whole, and the next row still has
  // its line. The same with a line break inside is read as one record, then refused for the
  // control character (U+000A), and the row after it keeps its line too.
  CollectingReporter prep;
  PatientTable t = Patients(Lines({kPatientHeader, PatientRow("P0", kLine1, big + ", " + big),
                                   PatientRow("P1", kLine1, big + ",\n" + big), PatientRow("P2")}),
                            prep, cfg);
  EXPECT_EQ(Ids(t), (Strings{"P0", "P2"}));
  EXPECT_EQ(t.patients[0].address.line1.size(), 2 * big.size() + 2);
  EXPECT_EQ(t.patients[1].source.line, 5);
  ASSERT_EQ(prep.rejects.size(), 1u);
  ExpectReject(prep.rejects[0], "patients.csv", 3, "address_line1", "(U+000A line feed) at byte 10485762");
  EXPECT_LT(prep.rejects[0].reason.size(), 300u);
  ExpectCountsAdd(t, prep);
}

TEST(Hostile, EmptyFilesAreAFileLevelError) {
  Config cfg = TestConfig();
  PatientTable patients = TwoPatients(cfg);
  for (const std::string& content : {std::string(), std::string("\xEF\xBB\xBF"), std::string("\n\r\n\n")}) {
    CollectingReporter rep;
    auto p = ReadPatients("patients.csv", content, cfg, rep);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(p.status().message().find("patients.csv"), std::string::npos);
    EXPECT_NE(p.status().message().find("empty"), std::string::npos) << p.status().message();
    auto s = ReadServices("services.csv", content, cfg, CodesBounds(), patients, rep);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.status().message().find("services.csv"), std::string::npos);
    EXPECT_TRUE(rep.rejects.empty());
  }
}

TEST(Hostile, MissingRequiredColumnOrBrokenHeaderIsAFileLevelError) {
  Config cfg = TestConfig();
  PatientTable patients = TwoPatients(cfg);
  CollectingReporter rep;
  auto s = ReadServices("services.csv", "record_id,facility_id,service_date,service\nS1,HRC01,2026-03-02,x\n", cfg,
                        CodesBounds(), patients, rep);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("services.csv"), std::string::npos);
  EXPECT_NE(s.status().message().find("\"patient_id\""), std::string::npos);
  auto h = ReadServices("services.csv", "record_id,\"facility_id\n", cfg, CodesBounds(), patients, rep);
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.status().message().find("services.csv:1"), std::string::npos) << h.status().message();
  auto n = ReadServices("services.csv", std::string("record_id,facility\0_id\n", 24), cfg, CodesBounds(), patients, rep);
  ASSERT_FALSE(n.ok());
}

TEST(Hostile, HeaderOnly) {
  Config cfg = TestConfig();
  CollectingReporter rep;
  PatientTable t = Patients(kPatientHeader, rep, cfg);  // no line ending either
  EXPECT_EQ(t.rows_read, 0);
  EXPECT_TRUE(t.patients.empty());
  ServiceRead s = Services(kServiceHeader + "\r\n\r\n", rep, cfg, t);
  EXPECT_EQ(s.rows_read, 0);
  EXPECT_TRUE(s.records.empty());
  EXPECT_TRUE(rep.rejects.empty());
  EXPECT_TRUE(rep.warnings.empty());
}

TEST(Hostile, BomAndCrlf) {
  Config cfg = TestConfig();
  CollectingReporter rep;
  std::string content = "\xEF\xBB\xBF" + Lines({kPatientHeader, PatientRow("P0", kLine1, "1 ELM ST\r\nAPT 2"),
                                                PatientRow("P1", kMinutes, "30"), "",
                                                PatientRow("P2", kMinutes, "X").replace(
                                                    PatientRow("P2", kMinutes, "X").size() - 1, 1, "\"15\""),
                                                PatientRow("P3", kLine1, "1 ELM ST, APT 2")},
                                               "\r\n");
  PatientTable t = Patients(content, rep, cfg);
  EXPECT_TRUE(rep.warnings.empty()) << rep.warnings.front();  // the BOM is not part of "patient_id"
  // A quoted field holding CRLF is one record (the rows after keep their lines), refused for the
  // line break: no field is multi-line text.
  ASSERT_EQ(rep.rejects.size(), 1u);
  ExpectReject(rep.rejects[0], "patients.csv", 2, "address_line1",
               "address_line1 holds a control character (U+000D carriage return) at byte 9");
  EXPECT_EQ(rep.rejects[0].record_id, "P0");
  EXPECT_EQ(Ids(t), (Strings{"P1", "P2", "P3"}));
  EXPECT_EQ(t.patients[0].plan_counseling_minutes, 30);       // last field: no '\r' left on it
  EXPECT_EQ(t.patients[0].source.line, 4);
  EXPECT_EQ(t.patients[1].source.line, 6);  // after the blank line
  EXPECT_EQ(t.patients[1].plan_counseling_minutes, 15);
  EXPECT_EQ(t.patients[2].source.line, 7);  // a quoted last field before CRLF does not skip a line
  EXPECT_EQ(t.patients[2].address.line1, "1 ELM ST, APT 2");  // inside quotes: kept as written
  ExpectCountsAdd(t, rep);
}

// ---- field values ---------------------------------------------------------------------------------

TEST(Hostile, UnrealDates) {
  Config cfg = TestConfig();
  CollectingReporter rep;
  PatientTable t = Patients(Lines({kPatientHeader,
                                   PatientRow("P0", kBirth, "1970-02-30"),       // line 2
                                   PatientRow("P1", kBirth, "1900-02-29"),       // 1900 is not a leap year
                                   PatientRow("P2", kAdmission, "2025-13-01"),   // month 13
                                   PatientRow("P3", kDischarge, "2025-04-31"),   // April has 30 days
                                   PatientRow("P4", kBirth, "0000-00-00"),
                                   PatientRow("P5", kBirth, "1970-5-1"),         // not YYYY-MM-DD
                                   PatientRow("P6", kBirth, "2000-02-29"),       // real: 2000 is a leap year
                                   PatientRow("P7", kAdmission, "2025-01-02T00:00"),
                                   PatientRow("P8", kDischarge, "2024-12-31")}),  // before admission
                            rep, cfg);
  EXPECT_EQ(Ids(t), (Strings{"P6"}));
  ASSERT_EQ(rep.rejects.size(), 8u);
  ExpectReject(rep.rejects[0], "patients.csv", 2, "birth_date", "not a real date");
  ExpectReject(rep.rejects[1], "patients.csv", 3, "birth_date", "not a real date");
  ExpectReject(rep.rejects[2], "patients.csv", 4, "admission_date", "not a real date");
  ExpectReject(rep.rejects[3], "patients.csv", 5, "discharge_date", "not a real date");
  ExpectReject(rep.rejects[4], "patients.csv", 6, "birth_date", "not a real date");
  ExpectReject(rep.rejects[5], "patients.csv", 7, "birth_date", "not a real date");
  ExpectReject(rep.rejects[6], "patients.csv", 9, "admission_date", "not a real date");
  ExpectReject(rep.rejects[7], "patients.csv", 10, "discharge_date", "before admission_date");
  ExpectCountsAdd(t, rep);

  PatientTable patients = TwoPatients(cfg);
  CollectingReporter srep;
  ServiceRead s = Services(Lines({kServiceHeader, ServiceRow("S1", "P0", "2026-02-29"),
                                  ServiceRow("S2", "P0", "2028-02-29"), ServiceRow("S3", "P0", "2026-00-10"),
                                  ServiceRow("S4", "P0", "")}),
                           srep, cfg, patients);
  EXPECT_EQ(Ids(s), (Strings{"S2"}));
  ASSERT_EQ(srep.rejects.size(), 3u);
  ExpectReject(srep.rejects[0], "services.csv", 2, "service_date", "\"2026-02-29\" is not a real date");
  ExpectReject(srep.rejects[1], "services.csv", 4, "service_date", "not a real date");
  ExpectReject(srep.rejects[2], "services.csv", 5, "service_date", "service_date is required");
  ExpectCountsAdd(s, srep);
}

TEST(Hostile, InvalidMbis) {
  Config cfg = TestConfig();
  CollectingReporter rep;
  PatientTable t = Patients(Lines({kPatientHeader,
                                   PatientRow("P0", kMbi, "1EG4TE5MK7"),     // 10 characters
                                   PatientRow("P1", kMbi, "1EG4TE5MK733"),   // 12 characters
                                   PatientRow("P2", kMbi, "1eg4te5mk73"),    // lower case
                                   PatientRow("P3", kMbi, "1SG4TE5MK73"),    // S is never used
                                   PatientRow("P4", kMbi, "0EG4TE5MK73"),    // first digit 1-9
                                   PatientRow("P5", kMbi, ""),               // medicare needs one
                                   PatientRow("P6", kMbi, "1EG4-TE5-MK73"),  // print form: valid
                                   PatientRow("P7", kMbi, "1EG4TE5MK73\x01")}),
                            rep, cfg);
  EXPECT_EQ(Ids(t), (Strings{"P6"}));
  EXPECT_EQ(t.patients[0].mbi, "1EG4TE5MK73");
  ASSERT_EQ(rep.rejects.size(), 7u);
  for (size_t i = 0; i < 7; ++i)
    ExpectReject(rep.rejects[i], "patients.csv", static_cast<int64_t>(i < 6 ? i + 2 : 9), "mbi",
                 i == 5   ? "mbi is required for a medicare patient"
                 : i == 6 ? "mbi holds a control character (U+0001) at byte 12"
                          : "invalid MBI format");
  ExpectCountsAdd(t, rep);
}

TEST(Hostile, InvalidNpis) {
  Config cfg = TestConfig();
  PatientTable patients = TwoPatients(cfg);
  CollectingReporter rep;
  ServiceRead s = Services(Lines({kServiceHeader, ServiceRow("S1", "P0", "2026-03-02", "methadone_dose", "80", "1245319598"),
                                  ServiceRow("S2", "P0", "2026-03-02", "methadone_dose", "80", "124531959"),
                                  ServiceRow("S3", "P0", "2026-03-02", "methadone_dose", "80", "12453195990"),
                                  ServiceRow("S4", "P0", "2026-03-02", "methadone_dose", "80", "12453I9599"),
                                  ServiceRow("S5", "P0", "2026-03-02", "methadone_dose", "80", "-245319599"),
                                  ServiceRow("S6", "P0", "2026-03-02", "methadone_dose", "80", "")}),
                           rep, cfg, patients);
  EXPECT_EQ(Ids(s), (Strings{"S6"}));
  ASSERT_EQ(rep.rejects.size(), 5u);
  for (size_t i = 0; i < 5; ++i)
    ExpectReject(rep.rejects[i], "services.csv", static_cast<int64_t>(i + 2), "practitioner_npi", "not a valid NPI");
  ExpectCountsAdd(s, rep);
}

TEST(Hostile, InvalidFacilityNpiIsAConfigError) {
  std::string xml = "<otpbatch version=\"1\"><submitter name=\"S\" id=\"S1\" phone=\"5555551234\"/><receiver name=\"R\" id=\"R1\" usage=\"T\"/>\n"
                    "<facility id=\"F1\" name=\"N\" npi=\"1234567890\" tin=\"123456789\" taxonomy=\"261QM2800X\" "
                    "locality=\"national\"/></otpbatch>";
  auto r = ReadFacilityXml("facility.xml", xml, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kConfig);
  EXPECT_NE(r.status().message().find("facility.xml:2:"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("npi"), std::string::npos);
}

TEST(Hostile, DuplicateRecordIds) {
  Config cfg = TestConfig();
  PatientTable patients = TwoPatients(cfg);
  CollectingReporter rep;
  ServiceRead s = Services(Lines({kServiceHeader,
                                  ServiceRow("S1"),                                        // 2
                                  ServiceRow("S1", "P0", "2026-03-02", "methadone_dose", "80.0"),  // identical (80 = 80.0)
                                  ServiceRow("S1", "P0", "2026-03-03"),                    // different date
                                  ServiceRow("S1", "P1"),                                  // different patient
                                  ServiceRow(" S1 "),                                      // trimmed: identical
                                  ServiceRow("s1"),                                        // ids are case-sensitive
                                  ServiceRow("S2")}),
                           rep, cfg, patients);
  EXPECT_EQ(Ids(s), (Strings{"S1", "s1", "S2"}));
  EXPECT_EQ(s.duplicates_identical, 2);
  ASSERT_EQ(rep.warnings.size(), 2u);
  EXPECT_NE(rep.warnings[0].find("services.csv:3:"), std::string::npos) << rep.warnings[0];
  EXPECT_NE(rep.warnings[0].find("repeats line 2"), std::string::npos);
  ASSERT_EQ(rep.rejects.size(), 2u);
  ExpectReject(rep.rejects[0], "services.csv", 4, "record_id", "duplicate of line 2");
  ExpectReject(rep.rejects[1], "services.csv", 5, "record_id", "with different content");
  EXPECT_EQ(rep.rejects[0].record_id, "S1");
  EXPECT_EQ(s.rows_read, 7);
  ExpectCountsAdd(s, rep);
}

TEST(Hostile, DuplicatePatientIdsWithDifferentContent) {
  Config cfg = TestConfig();
  CollectingReporter rep;
  PatientTable t = Patients(Lines({kPatientHeader, PatientRow("P0"), PatientRow("P0", kLast, "ROE"), PatientRow("P1")}),
                            rep, cfg);
  EXPECT_EQ(Ids(t), (Strings{"P0", "P1"}));
  EXPECT_EQ(t.patients[0].last_name, "DOE");  // the first row wins; the second is not merged in
  ASSERT_EQ(rep.rejects.size(), 1u);
  ExpectReject(rep.rejects[0], "patients.csv", 3, "patient_id", "repeats line 2");
  ExpectCountsAdd(t, rep);
}

TEST(Hostile, ServicesOfARejectedPatientAreRejectedWithAReason) {
  Config cfg = TestConfig();
  CollectingReporter prep;
  PatientTable t = Patients(Lines({kPatientHeader, PatientRow("P0"), PatientRow("P1", kBirth, "1970-02-30")}), prep, cfg);
  CollectingReporter rep;
  ServiceRead s = Services(Lines({kServiceHeader, ServiceRow("S1"), ServiceRow("S2", "P1"), ServiceRow("S3", "P9")}),
                           rep, cfg, t);
  EXPECT_EQ(Ids(s), (Strings{"S1"}));
  ASSERT_EQ(rep.rejects.size(), 2u);
  ExpectReject(rep.rejects[0], "services.csv", 3, "patient_id", "has a rejected row in the patients file");
  ExpectReject(rep.rejects[1], "services.csv", 4, "patient_id", "is not in the patients file");
  ExpectCountsAdd(s, rep);
}

TEST(Hostile, NamesWithSeparatorsAndQuotesAreReadExactlyAndANewlineIsRefused) {
  Config cfg = TestConfig();
  CollectingReporter rep;
  PatientTable t = Patients(Lines({kPatientHeader,
                                   PatientRow("P0", kLast, "O'NEIL*SMITH~"),
                                   PatientRow("P1", kFirst, "MARY:ANN^JO"),
                                   PatientRow("P2", kLast, "\"THE \"\"KID\"\"\""),
                                   PatientRow("P3", kFirst, "ANNA\nMARIE"),
                                   PatientRow("P4", kMiddle, "~"),
                                   PatientRow("P5", kCity, "ISA*00*~GS*HC"),
                                   PatientRow("P6")}),
                            rep, cfg);
  // P3's quoted newline keeps the CSV in step, and the row is refused for it (a line break is a
  // control character; no field is multi-line text).
  ASSERT_EQ(rep.rejects.size(), 1u);
  ExpectReject(rep.rejects[0], "patients.csv", 5, "first_name", "first_name holds a control character (U+000A line feed) at byte 5");
  EXPECT_EQ(Ids(t), (Strings{"P0", "P1", "P2", "P4", "P5", "P6"}));
  EXPECT_EQ(t.patients[0].last_name, "O'NEIL*SMITH~");
  EXPECT_EQ(t.patients[1].first_name, "MARY:ANN^JO");
  EXPECT_EQ(t.patients[2].last_name, "\"THE \"\"KID\"\"\"");
  EXPECT_EQ(t.patients[3].middle_initial, "~");
  EXPECT_EQ(t.patients[4].address.city, "ISA*00*~GS*HC");
  EXPECT_EQ(t.patients[3].source.line, 7);  // P3's embedded newline moved every later line by one
  EXPECT_EQ(t.patients[5].source.line, 9);
  ExpectCountsAdd(t, rep);
}

TEST(Hostile, NamesAnEdiFileCannotCarryAreRejected) {
  // A name made only of X12 separators, control characters or non-Latin script would become an
  // empty NM103/NM104 in the 837P; the row is rejected at the door instead, naming the column.
  Config cfg = TestConfig();
  CollectingReporter rep;
  PatientTable t = Patients(Lines({kPatientHeader, PatientRow("P0", kLast, "*~"), PatientRow("P1", kFirst, "^:"),
                                   PatientRow("P2", kLast, "\x01\x02"), PatientRow("P3", kLine1, "~~~"),
                                   PatientRow("P4", kCity, "\xE6\x9D\xB1\xE4\xBA\xAC"),
                                   PatientRow("P5", kLast, "\xC3\x89LYS\xC3\xA9\x45"),  // Élyséé: carried as ELYSEE
                                   PatientRow("P6", kFirst, "\xE6\x9D\x8E X")}),       // one Latin letter is enough
                            rep, cfg);
  EXPECT_EQ(Ids(t), (Strings{"P5", "P6"}));
  ASSERT_EQ(rep.rejects.size(), 5u);
  ExpectReject(rep.rejects[0], "patients.csv", 2, "last_name", "last_name has no letter or digit");
  ExpectReject(rep.rejects[1], "patients.csv", 3, "first_name", "first_name has no letter or digit");
  ExpectReject(rep.rejects[2], "patients.csv", 4, "last_name", "last_name holds a control character (U+0001) at byte 1");
  ExpectReject(rep.rejects[3], "patients.csv", 5, "address_line1", "address_line1 has no letter or digit");
  ExpectReject(rep.rejects[4], "patients.csv", 6, "city", "city has no letter or digit");
  ExpectCountsAdd(t, rep);
}

// ---- privacy ----------------------------------------------------------------------------------------

TEST(Hostile, NoReasonOrWarningQuotesNameMbiOrBirthDate) {
  Config cfg = TestConfig();
  const std::string last = "ZEBULONSKI", first = "QUIXANDRA", mbi = "9AC4TE5MK72", birth = "1961-07-23";
  constexpr size_t kNone = 99;
  auto row = [&](const std::string& id, size_t index, const std::string& value) {
    auto f = GoodPatientFields(id);
    f[kLast] = last;
    f[kFirst] = first;
    f[kMbi] = mbi;
    f[kBirth] = birth;
    if (index != kNone) f.at(index) = value;
    return Join(f);
  };
  std::vector<std::string> lines = {kPatientHeader + ",extra_column"};
  // Each row breaks a different field: the patient's own fields, and fields whose reasons do
  // not quote the value, holding the patient's data where it does not belong.
  const std::vector<std::pair<size_t, std::string>> breaks = {
      {kId, ""},                   {kMbi, mbi + "X"},          {kMbi, last},
      {kBirth, "1961-07-32"},      {kBirth, last},             {kBirth, "19610723"},
      {kSex, last},                {kSex, birth},              {kState, last},
      {kZip, mbi},                 {kZip, birth},              {kAdmission, birth + "x"},
      {kDischarge, last},          {kDischarge, "1961-07-22"}, {kDiagnosis, last},
      {kDiagnosis, mbi},           {kLast, ""},                {kFirst, "*"},
      {kMbi, "9ac4te5mk72"},       {kAdmission, "1961-07-23"}, {kDischarge, "1961-07-23"},
      {kPayer, ""},                {kFacility, "NOPE"}};
  for (size_t i = 0; i < breaks.size(); ++i)
    lines.push_back(row("P" + std::to_string(i), breaks[i].first, breaks[i].second) + ",x");
  lines.push_back(row("PDUP", kNone, "") + ",x");
  lines.push_back(row("PDUP", kNone, "") + ",x");             // duplicate patient_id
  lines.push_back(row("PX", kNone, "") + "," + last + ",x");  // wrong column count
  lines.push_back(row("PQ", kLast, last) + ",\"x");          // unbalanced quote
  CollectingReporter rep;
  PatientTable t = Patients(Lines(lines), rep, cfg);
  ExpectCountsAdd(t, rep);
  // P19 (admission = birth date) is a valid row: everything else is rejected.
  EXPECT_EQ(Ids(t), (Strings{"P19", "PDUP"}));
  EXPECT_EQ(rep.rejects.size(), breaks.size() - 1 + 3);

  // Services for those patients, with errors of their own.
  CollectingReporter srep;
  ServiceRead s = Services(Lines({kServiceHeader, ServiceRow("S1", "P1"), ServiceRow("S2", "P19", "2026-02-30"),
                                  ServiceRow("S3", "PDUP", "2026-03-02", "methadone_dose", "-1"),
                                  ServiceRow("S4", "PDUP"), ServiceRow("S4", "PDUP"), ServiceRow("S4", "P19")}),
                           srep, cfg, t);
  ExpectCountsAdd(s, srep);
  EXPECT_EQ(Ids(s), (Strings{"S4"}));

  std::vector<std::string> messages;
  for (const auto* r : {&rep, &srep}) {
    for (const auto& rej : r->rejects) messages.push_back(rej.reason);
    for (const auto& w : r->warnings) messages.push_back(w);
  }
  ASSERT_GE(messages.size(), 30u);  // rejects and warnings of both files
  for (const auto& m : messages) {
    for (const std::string& secret : {last, first, mbi, std::string("9AC4-TE5-MK72"), birth,
                                      std::string("19610723"), std::string("1961-07-32")}) {
      EXPECT_EQ(m.find(secret), std::string::npos) << "message quotes patient data: " << m;
    }
  }
}

// ---- facility.xml ----------------------------------------------------------------------------------

std::string FacilityText() {
  return "<otpbatch version=\"1\">\n"
         "<submitter name=\"S\" id=\"SUB1\" phone=\"5555551234\"/>\n"
         "<receiver name=\"R\" id=\"R1\" usage=\"T\"/>\n"
         "<facility id=\"F1\" name=\"NAME\" npi=\"1234567893\" tin=\"123456789\" taxonomy=\"261QM2800X\" locality=\"national\">\n"
         "<address line1=\"1 MAIN\" city=\"LA\" state=\"CA\" zip=\"900011234\"/>\n"
         "<payer name=\"P\" id=\"01112\"/>\n"
         "<credential kind=\"samhsa-certification\" status=\"full\" effective=\"2024-01-01\"/>\n"
         "<credential kind=\"accreditation\" effective=\"2024-01-01\"/>\n"
         "<credential kind=\"dea-registration\" effective=\"2024-01-01\"/>\n"
         "<credential kind=\"state-license\" effective=\"2024-01-01\"/>\n"
         "<credential kind=\"medicare-enrollment\" effective=\"2024-01-01\"/>\n"
         "</facility>\n</otpbatch>\n";
}

void ExpectFacilityError(const std::string& content, const std::string& part) {
  auto r = ReadFacilityXml("facility.xml", content, nullptr);
  ASSERT_FALSE(r.ok()) << "accepted: " << content.substr(0, 80);
  EXPECT_EQ(r.status().code(), StatusCode::kConfig);
  EXPECT_EQ(r.status().message().rfind("facility.xml", 0), 0u) << r.status().message();
  EXPECT_NE(r.status().message().find(part), std::string::npos) << r.status().message() << "\nwanted: " << part;
  EXPECT_LT(r.status().message().size(), 1000u);
}

TEST(HostileFacility, TheBaseTextIsValid) {
  auto r = ReadFacilityXml("facility.xml", FacilityText(), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->facilities.at(0).id, "F1");
}

TEST(HostileFacility, EmptyJunkAndTruncatedFiles) {
  ExpectFacilityError("", "facility.xml");
  ExpectFacilityError("\xEF\xBB\xBF", "facility.xml");
  ExpectFacilityError(Junk(4096, 7), "not well-formed XML");
  std::string text = FacilityText();
  ExpectFacilityError(text.substr(0, text.size() / 2), "not well-formed XML");
  ExpectFacilityError("<otpbatch version=\"1\">\n<submitter name=\"S\" id=\"SUB1\">\n</otpbatch>", ":3: not well-formed XML");
  ExpectFacilityError("<other/>", "the root element is <other>");
  for (size_t cut : {size_t{1}, size_t{40}, size_t{300}, text.size() - 5}) {
    auto r = ReadFacilityXml("facility.xml", text.substr(0, cut), nullptr);
    EXPECT_FALSE(r.ok()) << cut;
  }
}

TEST(HostileFacility, NulByteInsideTheFile) {
  std::string text = FacilityText();
  text.insert(text.find("NAME"), std::string(1, '\0'));
  auto r = ReadFacilityXml("facility.xml", text, nullptr);
  // pugixml stops at the NUL: the file is either refused, or read without crossing the NUL.
  if (r.ok()) {
    EXPECT_EQ(r->facilities.at(0).name.find('\0'), std::string::npos);
  } else {
    EXPECT_EQ(r.status().message().rfind("facility.xml", 0), 0u);
  }
}

TEST(HostileFacility, EntitiesAreNeverExpanded) {
  // No DTD processing: an external entity cannot read a file, an entity bomb cannot grow.
  std::string text = FacilityText();
  text.insert(0, "<?xml version=\"1.0\"?>\n<!DOCTYPE otpbatch [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">"
                 "<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n");
  text.replace(text.find("name=\"NAME\""), 11, "name=\"&xxe;&b;\"");
  auto r = ReadFacilityXml("facility.xml", text, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->facilities.at(0).name, "&xxe;&b;");
}

TEST(HostileFacility, HugeAttributeAndDeepNesting) {
  std::string text = FacilityText();
  std::string big(10 * 1024 * 1024, 'N');
  text.replace(text.find("name=\"NAME\""), 11, "name=\"" + big + "\"");
  auto r = ReadFacilityXml("facility.xml", text, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->facilities.at(0).name.size(), big.size());

  // 200 000 nested elements: pugixml parses without recursion; the file is refused, not a crash.
  std::string deep = "<otpbatch version=\"1\">";
  for (int i = 0; i < 200000; ++i) deep += "<x>";
  auto d = ReadFacilityXml("facility.xml", deep, nullptr);
  EXPECT_FALSE(d.ok());
}

TEST(HostileFacility, UnrealDatesAndDuplicateIds) {
  std::string text = FacilityText();
  std::string bad = text;
  bad.replace(bad.find("2024-01-01"), 10, "2025-02-29");
  ExpectFacilityError(bad, "facility.xml:7: <credential kind=\"samhsa-certification\"> attribute effective");
  std::string dup = text;
  size_t f = dup.find("<facility");
  size_t e = dup.find("</facility>") + 12;
  dup.insert(e, dup.substr(f, e - f));
  ExpectFacilityError(dup, "is used by an earlier <facility>");
  std::string zip = text;
  zip.replace(zip.find("900011234"), 9, "9000~");
  ExpectFacilityError(zip, "attribute zip");
}

TEST(HostileFacility, ValuesAnEdiFileCannotCarryAreConfigErrors) {
  // Each of these reaches a mandatory 837P element; made only of separators or control
  // characters it would be written empty, so the configuration is refused up front.
  const std::string text = FacilityText();
  auto edit = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    size_t at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return t.replace(at, from.size(), to);
  };
  ExpectFacilityError(edit("<submitter name=\"S\"", "<submitter name=\"*~\""),
                      "facility.xml:2: <submitter id=\"SUB1\"> attribute name: has no letter or digit");
  ExpectFacilityError(edit("id=\"SUB1\"", "id=\"^^\""), "<submitter id=\"^^\"> attribute id: has no letter or digit");
  ExpectFacilityError(edit("<receiver name=\"R\"", "<receiver name=\":\""), ":3: <receiver");
  ExpectFacilityError(edit("name=\"NAME\"", "name=\"~\""), ":4: <facility id=\"F1\"> attribute name");
  ExpectFacilityError(edit("line1=\"1 MAIN\"", "line1=\"*\""), ":5: <address> attribute line1");
  ExpectFacilityError(edit("city=\"LA\"", "city=\"&#1;\""), ":5: <address> attribute city");
  ExpectFacilityError(edit("<payer name=\"P\" id=\"01112\"", "<payer name=\"P\" id=\"~~\""), ":6: <payer id=\"~~\"> attribute id");
  ExpectFacilityError(edit("</facility>", "<practitioner npi=\"1245319599\" last-name=\"^\" first-name=\"A\"/></facility>"),
                      "attribute last-name: has no letter or digit");
  ExpectFacilityError(edit(" phone=\"5555551234\"", ""), ":2: <submitter id=\"SUB1\"> attribute phone: is required");
  ExpectFacilityError(edit("phone=\"5555551234\"", "phone=\"555-1234\""), "attribute phone: \"555-1234\" has fewer than 10 digits");
  auto ok = ReadFacilityXml("facility.xml", edit("name=\"NAME\"", "name=\"Clínica Ñ*1\""), nullptr);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->facilities.at(0).name, "Clínica Ñ*1");  // read as written; X12Safe cleans it on output
}

}  // namespace
}  // namespace otp
