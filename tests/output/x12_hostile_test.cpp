// Hostile names end to end: patients.csv rows whose names and addresses hold X12 separators
// (* ~ : ^), quotes, other scripts or 10 MB of text are read by ReadPatients, billed in hand-made
// claims and written by Write837P; the interchange must still pass Check837Structure, keep one
// segment per terminator, and carry each name as X12Safe makes it. Whatever the reader accepts,
// the writer must be able to write; embedded newlines, control characters and broken UTF-8 the
// reader refuses.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "input/facility_reader.h"
#include "input/records_reader.h"
#include "output/x12_837p.h"
#include "output/x12_check.h"

namespace otp {
namespace {

constexpr std::time_t kNow = 1770732300;  // 2026-02-10 14:05:00 UTC

Config TestConfig() {
  auto r = ReadFacilityFile(std::string(OTP_SOURCE_DIR) + "/fixtures/test/facility_valid.xml", nullptr);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : Config{};
}

const std::string kPatientHeader =
    "patient_id,facility_id,mbi,last_name,first_name,middle_initial,birth_date,sex,address_line1,"
    "city,state,zip,admission_date,discharge_date,program,payer,diagnosis,plan_counseling_minutes\n";

std::string CsvField(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) {
    q += c;
    if (c == '"') q += '"';
  }
  return q + "\"";
}

struct Person {
  std::string last, first, middle, line1, city;
};

std::string Row(const std::string& id, const Person& p) {
  return id + ",HRC01,1EG4TE5MK73," + CsvField(p.last) + "," + CsvField(p.first) + "," + CsvField(p.middle) +
         ",1970-05-01,F," + CsvField(p.line1) + "," + CsvField(p.city) +
         ",CA,90001,2025-01-02,,maintenance,medicare,F11.20,60\n";
}

Claim OneClaim(const std::string& claim_id, const std::string& patient_id) {
  Claim c;
  c.claim_id = claim_id;
  c.facility_id = "HRC01";
  c.patient_id = patient_id;
  c.diagnosis = "F1120";
  ClaimLine l;
  l.code = "G2067";
  l.dos = *Date::Parse("2026-02-02");
  l.units = 1;
  l.unit_price = *Money::Parse("300");
  l.charge = l.unit_price;
  l.practitioner_npi = "1245319599";
  c.lines.push_back(l);
  return c;
}

std::vector<std::vector<std::string>> Segments(const std::string& x12) {
  std::vector<std::vector<std::string>> segs;
  size_t pos = 0;
  while (pos < x12.size()) {
    size_t end = x12.find("~\n", pos);
    if (end == std::string::npos) break;
    std::vector<std::string> seg;
    std::string raw = x12.substr(pos, end - pos);
    size_t b = 0;
    for (;;) {
      size_t e = raw.find('*', b);
      seg.push_back(raw.substr(b, e == std::string::npos ? e : e - b));
      if (e == std::string::npos) break;
      b = e + 1;
    }
    segs.push_back(seg);
    pos = end + 2;
  }
  return segs;
}

// Reads `people` as patients.csv, writes one claim per accepted patient, checks the result.
// Returns the interchange ("" when nothing was accepted).
std::string ReadAndWrite(const std::vector<Person>& people, size_t expect_accepted) {
  Config cfg = TestConfig();
  std::string csv = kPatientHeader;
  for (size_t i = 0; i < people.size(); ++i) csv += Row("P" + std::to_string(i), people[i]);
  CollectingReporter rep;
  auto table = ReadPatients("patients.csv", csv, cfg, rep);
  EXPECT_TRUE(table.ok());
  if (!table.ok()) return "";
  EXPECT_EQ(table->patients.size(), expect_accepted) << (rep.rejects.empty() ? "" : rep.rejects[0].reason);
  EXPECT_EQ(table->rows_read, static_cast<int64_t>(table->patients.size() + rep.rejects.size()));
  if (table->patients.empty()) return "";
  std::vector<Claim> claims;
  for (const auto& p : table->patients) claims.push_back(OneClaim("C" + p.patient_id, p.patient_id));
  const PatientTable& t = *table;
  std::string x12 = Write837P(cfg, cfg.facilities[0], claims,
                              [&t](const std::string& f, const std::string& id) { return t.Find(f, id); },
                              InterchangeIds{7, 7}, kNow);
  Status st = Check837Structure(x12);
  EXPECT_TRUE(st.ok()) << st.message();
  // One segment per terminator: no separator leaked out of a data element. The count: ISA, GS,
  // ST, BHT, 1000A NM1 PER, 1000B NM1, 2000A HL PRV NM1 N3 N4 REF (13), then per patient HL SBR
  // NM1 N3 N4 DMG NM1(PR) CLM HI NM1(2310B) LX SV1 DTP (13), then SE GE IEA.
  auto segs = Segments(x12);
  EXPECT_EQ(segs.size(), 13u + 13u * t.patients.size() + 3u);
  size_t il = 0;
  for (const auto& s : segs) {
    for (const auto& e : s)
      for (char c : e) {
        EXPECT_TRUE(c >= 0x20 && c < 0x7F) << "control or non-ASCII byte in " << s[0];
        if (s[0] != "ISA") {
          EXPECT_NE(c, '~');
          EXPECT_NE(c, '^');
        }
      }
    if (s[0] == "NM1" && s[1] == "IL") {
      ++il;
      EXPECT_EQ(s.size(), 10u) << "NM1*IL must keep its 9 elements";
      EXPECT_EQ(s[8], "MI");
      EXPECT_EQ(s[9], "1EG4TE5MK73");
      EXPECT_FALSE(s[3].empty());
      EXPECT_LE(s[3].size(), 60u);
      EXPECT_LE(s[4].size(), 35u);
    }
    if (s[0] == "N3" || s[0] == "N4") {
      EXPECT_FALSE(s[1].empty());
    }
    if (s[0] == "HI") {
      EXPECT_EQ(s.size(), 2u);
      EXPECT_EQ(s[1], "ABK:F1120");  // the only ':' left is the component separator
    }
  }
  EXPECT_EQ(il, t.patients.size());
  return x12;
}

TEST(X12Hostile, NamesWithSeparatorsSurviveIntoAValid837P) {
  std::vector<Person> people = {
      {"O'NEIL*SMITH~", "MARY:ANN^JO", "~", "12 ELM ST*APT~4", "LOS:ANGELES"},
      {"\"THE \"\"KID\"\"\"", "ANNA MARIE", "Q", "1 ELM ST", "ISA*00*~GS*HC~ST*837"},
      {"de la Cruz", "Zoë", "é", "Calle Ñandú 5", "San José"},
      {"*DOE*", "^JOHN^", ":", "~1 ELM~", "^LA^"}};
  std::string x12 = ReadAndWrite(people, people.size());
  ASSERT_FALSE(x12.empty());
  auto segs = Segments(x12);
  std::vector<std::vector<std::string>> il, n3, n4;
  for (const auto& s : segs) {
    if (s[0] == "NM1" && s[1] == "IL") il.push_back(s);
    if (s[0] == "N3") n3.push_back(s);
    if (s[0] == "N4") n4.push_back(s);
  }
  ASSERT_EQ(il.size(), 4u);
  ASSERT_EQ(n3.size(), 5u);  // the billing provider's address comes first
  EXPECT_EQ(il[0][3], "O'NEIL SMITH");
  EXPECT_EQ(il[0][4], "MARY ANN JO");
  EXPECT_EQ(il[0][5], "");
  EXPECT_EQ(n3[1][1], "12 ELM ST APT 4");
  EXPECT_EQ(n4[1][1], "LOS ANGELES");
  EXPECT_EQ(il[1][3], "\"THE \"\"KID\"\"\"");
  EXPECT_EQ(il[1][4], "ANNA MARIE");
  EXPECT_EQ(n3[2][1], "1 ELM ST");
  EXPECT_EQ(n4[2][1], "ISA 00 GS HC ST 837");
  EXPECT_EQ(il[2][3], "DE LA CRUZ");
  EXPECT_EQ(il[2][4], "ZOE");
  EXPECT_EQ(il[2][5], "E");
  EXPECT_EQ(n3[3][1], "CALLE NANDU 5");
  EXPECT_EQ(n4[3][1], "SAN JOSE");
  EXPECT_EQ(il[3][3], "DOE");
  EXPECT_EQ(il[3][4], "JOHN");
  EXPECT_EQ(n3[4][1], "1 ELM");
  EXPECT_EQ(n4[4][1], "LA");
}

TEST(X12Hostile, ControlBytesAndBrokenUtf8NeverReachTheWriter) {
  // Line breaks, tabs inside a value, C0 and C1 controls, DEL and bytes that are not UTF-8 are
  // refused by the reader (interface.md §1.3, tests/input/bytes_test.cpp): X12Safe, which would
  // turn them into spaces, is a second line of defence only.
  std::string x12 = ReadAndWrite({{"DOE\tSMITH", "JOHN", "", "1 ELM", "LA"},
                                  {"DOE", "ANNA\nMARIE", "", "1 ELM", "LA"},
                                  {"DOE", "JOHN", "", "1 ELM\r\nST", "LA"},
                                  {"DOE", "JOHN\x01\x02", "", "1 ELM", "LA"},
                                  {"DOE", "JOHN", "\x7F", "1 ELM", "LA"},
                                  {"DOE", "JOHN", "", "1\x1B[2J ELM", "LA"},
                                  {"DOE", "JOHN", "", "1 ELM", "LA\x85"},
                                  {"DOE", "JOHN", "", "1 ELM", "LA\xC2\x85"}},
                                 0);
  EXPECT_TRUE(x12.empty());
}

TEST(X12Hostile, TenMegabyteNameIsCutToTheElementLength) {
  std::string big(10 * 1024 * 1024, 'N');
  std::string x12 = ReadAndWrite({{big, big, big, "1 ELM", "LA"}}, 1);
  ASSERT_FALSE(x12.empty());
  EXPECT_LT(x12.size(), 4000u);
  for (const auto& s : Segments(x12)) {
    if (s[0] == "NM1" && s[1] == "IL") {
      EXPECT_EQ(s[3], std::string(60, 'N'));
      EXPECT_EQ(s[4], std::string(35, 'N'));
      EXPECT_EQ(s[5], std::string(25, 'N'));
    }
  }
}

TEST(X12Hostile, NamesWithNothingToCarryAreRejectedBeforeTheWriter) {
  // Accepted, these would give NM103 or N301 empty: Check837Structure would refuse the file.
  std::string x12 = ReadAndWrite({{"*~*", "JOHN", "", "1 ELM", "LA"},
                                  {"DOE", "^^", "", "1 ELM", "LA"},
                                  {"DOE", "JOHN", "", "~:~", "LA"},
                                  {"DOE", "JOHN", "", "1 ELM", "\x01"},
                                  {"\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD", "JOHN", "", "1 ELM", "LA"},  // Иван
                                  {"DOE", "JOHN", "*", "1 ELM", "LA"}},                            // MI may go
                                 1);
  EXPECT_FALSE(x12.empty());
}

TEST(X12Hostile, GeneratedNamesAlwaysGiveAValid837P) {
  // 300 names drawn from separators, quotes, control bytes, UTF-8 pieces and letters: every one
  // the reader accepts must be written into an interchange that passes the structure check.
  // Bytes the reader refuses (controls, broken UTF-8) are drawn one time in 40, so that enough
  // names get through to the writer.
  const std::vector<std::string> pieces = {"*", "~", ":", "^", "\"", "'", ",", " ", "\xC3\xA9", "\xC3\x97",
                                           "\xE2\x82\xAC", "A", "z", "0", "-", ".", "ISA", "~IEA*1*", "\\"};
  const std::vector<std::string> refused = {"\n", "\r\n", "\t", "\x01", "\x7F", "\xFF", "\xC3", "\xC2\x85"};
  uint32_t x = 12345;
  auto next = [&x] {
    x = x * 1664525u + 1013904223u;
    return x >> 8;
  };
  std::vector<Person> people;
  for (int i = 0; i < 300; ++i) {
    Person p;
    for (std::string* f : {&p.last, &p.first, &p.middle, &p.line1, &p.city}) {
      int n = 1 + static_cast<int>(next() % 6);
      for (int k = 0; k < n; ++k)
        *f += next() % 40 == 0 ? refused[next() % refused.size()] : pieces[next() % pieces.size()];
    }
    people.push_back(p);
  }
  Config cfg = TestConfig();
  std::string csv = kPatientHeader;
  for (size_t i = 0; i < people.size(); ++i) csv += Row("P" + std::to_string(i), people[i]);
  CollectingReporter rep;
  auto table = ReadPatients("patients.csv", csv, cfg, rep);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->rows_read, 300);
  EXPECT_EQ(table->rows_read, static_cast<int64_t>(table->patients.size() + rep.rejects.size()));
  ASSERT_GT(table->patients.size(), 20u);  // the draw is not all rejects
  ASSERT_GT(rep.rejects.size(), 10u);      // …nor all accepted
  for (const auto& r : rep.rejects) {
    bool expected = r.reason.find("has no letter or digit") != std::string::npos ||
                    r.reason.find("is required") != std::string::npos ||  // only spaces and tabs
                    r.reason.find("holds a control character") != std::string::npos ||
                    r.reason.find("is not UTF-8 text") != std::string::npos;
    EXPECT_TRUE(expected) << r.reason;
  }
  size_t accepted = table->patients.size();
  std::vector<Person> kept;
  for (const auto& p : table->patients) {
    size_t i = static_cast<size_t>(std::stoul(p.patient_id.substr(1)));
    kept.push_back(people[i]);
  }
  ReadAndWrite(kept, accepted);
}

TEST(X12Hostile, MissingOrUnprintableContactFallsBackToTheSubmitterName) {
  // facility.xml's contact is optional, but PER02 is mandatory for the structure check (found
  // by fuzz/facility_fuzz.cpp): the submitter's name stands in for it.
  for (const std::string contact : {"", "*~^"}) {
    Config cfg = TestConfig();
    cfg.submitter.contact = contact;
    std::string csv = kPatientHeader + Row("P0", {"DOE", "JOHN", "", "1 ELM", "LA"});
    CollectingReporter rep;
    auto table = ReadPatients("patients.csv", csv, cfg, rep);
    ASSERT_TRUE(table.ok());
    const PatientTable& t = *table;
    std::string x12 = Write837P(cfg, cfg.facilities[0], {OneClaim("C1", "P0")},
                                [&t](const std::string& f, const std::string& id) { return t.Find(f, id); },
                                InterchangeIds{7, 7}, kNow);
    EXPECT_TRUE(Check837Structure(x12).ok()) << Check837Structure(x12).message();
    EXPECT_NE(x12.find("PER*IC*HARBOR RECOVERY BILLING*TE*5555551234~"), std::string::npos) << x12.substr(0, 400);
  }
}

}  // namespace
}  // namespace otp
