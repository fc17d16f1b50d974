// Tests for the 837P writer and its structural checker: a golden interchange, X12Safe, claim
// shape (CL-4), rendering providers and the checker's rejections.
#include "output/x12_837p.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "output/x12_check.h"

namespace otp {
namespace {

constexpr std::time_t kNow = 1770732300;  // 2026-02-10 14:05:00 UTC
const std::string kListedA = "1987654328";
const std::string kListedB = "1555555550";
const std::string kUnlisted = "1777777776";

Money M(const char* s) { return *Money::Parse(s); }
Date D(const char* s) { return *Date::Parse(s); }

Config MakeConfig() {
  Config c;
  c.submitter = {"Harbor Recovery Billing", "SUB12345", "Jane Doe", "(555) 555-1234"};
  c.receiver = {"MEDICARE JURISDICTION E", "01112", 'T'};
  Facility f;
  f.id = "HRC01";
  f.name = "HARBOR RECOVERY CENTER";
  f.npi = "1234567893";
  f.tin = "123456789";
  f.taxonomy = "261QM2800X";
  f.locality = "CA-18";
  f.address = {"123 MAIN ST", "", "LOS ANGELES", "CA", "900011234"};
  f.payer_name = "MEDICARE JURISDICTION E";
  f.payer_id = "01112";
  f.practitioners = {{kListedA, "NGUYEN", "ANNA"}, {kListedB, "PATEL", "RAJ"}};
  c.facilities.push_back(f);
  return c;
}

std::map<std::string, Patient> MakePatients() {
  std::map<std::string, Patient> m;
  Patient p1;
  p1.patient_id = "P001";
  p1.facility_id = "HRC01";
  p1.mbi = "1EG4TE5MK73";
  p1.last_name = "O'Neil*Smith~";  // separators in data must not break the file
  p1.first_name = "Mary:Ann^Jo";
  p1.middle_initial = "q";
  p1.birth_date = D("1970-03-15");
  p1.sex = 'F';
  p1.address = {"12 Élysée Rd\r\nApt 4", "", "Los Angeles", "CA", "90001"};
  p1.diagnosis = "F1120";
  m[p1.patient_id] = p1;
  Patient p2;
  p2.patient_id = "P002";
  p2.facility_id = "HRC01";
  p2.mbi = "2GH5JK6MN84";
  p2.last_name = "GARCIA";
  p2.first_name = "LUIS";
  p2.birth_date = D("1958-11-02");
  p2.sex = 'M';
  p2.address = {"400 OAK AVE", "UNIT 2", "PASADENA", "CA", "91101-2345"};
  p2.diagnosis = "F11.21";
  m[p2.patient_id] = p2;
  return m;
}

ClaimLine Line(const char* code, const char* dos, const char* charge, std::string npi = "",
               std::vector<std::string> mods = {}, int units = 1) {
  ClaimLine l;
  l.code = code;
  l.dos = D(dos);
  l.units = units;
  l.charge = M(charge);
  l.unit_price = M(charge);
  l.practitioner_npi = std::move(npi);
  l.modifiers = std::move(mods);
  return l;
}

Claim MakeClaim(const char* id, const char* patient, std::vector<ClaimLine> lines) {
  Claim c;
  c.claim_id = id;
  c.facility_id = "HRC01";
  c.patient_id = patient;
  c.lines = std::move(lines);
  return c;
}

std::vector<Claim> MakeClaims() {
  return {
      // January, patient 1: practitioner A on two lines → 2310B A; the unlisted NPI's line
      // falls back to the facility as rendering provider (2420A NM1*82*2).
      MakeClaim("HRC01-000001", "P001",
                {Line("G2067", "2026-01-05", "299.40", kListedA),
                 Line("G2076", "2026-01-05", "350.25", kUnlisted, {"95"}),
                 Line("G2067", "2026-01-12", "299.40", kListedA)}),
      // Patient 2 between patient 1's claims: grouping keeps patient 1's claims together.
      MakeClaim("HRC01-000002", "P002",
                {Line("G2074", "2026-01-19", "300.00"),
                 Line("G2080", "2026-01-21", "45.10", kUnlisted, {"95"}, 2)}),
      // February, patient 1: A and B tie → B (first) renders the claim; A's line gets 2420A.
      MakeClaim("HRC01-000003", "P001",
                {Line("G2067", "2026-02-02", "299.40", kListedB),
                 Line("G2080", "2026-02-03", "45.10", kListedA, {"95"})}),
  };
}

std::string Write(const std::vector<Claim>& claims, InterchangeIds ids = {42, 7}) {
  static const Config config = MakeConfig();
  static const std::map<std::string, Patient> patients = MakePatients();
  PatientLookup lookup = [](const std::string& facility, const std::string& id) -> const Patient* {
    auto it = patients.find(id);
    return it != patients.end() && it->second.facility_id == facility ? &it->second : nullptr;
  };
  return Write837P(config, config.facilities[0], claims, lookup, ids, kNow);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

int Count(const std::string& text, const std::string& prefix) {
  int n = 0;
  for (const auto& l : Lines(text)) n += l.rfind(prefix, 0) == 0;
  return n;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

TEST(X12Safe, ReplacesSeparatorsAndUppercases) {
  EXPECT_EQ(X12Safe("a*b~c:d^e"), "A B C D E");
  EXPECT_EQ(X12Safe("o'neil"), "O'NEIL");
  EXPECT_EQ(X12Safe("**~~"), "");
}

TEST(X12Safe, ControlCharactersBecomeOneSpaceAndTrims) {
  EXPECT_EQ(X12Safe("  12 Main St\r\n\tApt 4  "), "12 MAIN ST APT 4");
  EXPECT_EQ(X12Safe(std::string("a\0b", 3)), "A B");
  EXPECT_EQ(X12Safe(""), "");
}

TEST(X12Safe, LatinLettersTransliteratedOtherNonAsciiDropped) {
  EXPECT_EQ(X12Safe("Élodie Müller"), "ELODIE MULLER");
  EXPECT_EQ(X12Safe("Straße"), "STRASSE");
  EXPECT_EQ(X12Safe("O\u2019Brien"), "OBRIEN");               // curly apostrophe: dropped
  EXPECT_EQ(X12Safe("\xE6\x97\xA5\xE6\x9C\xAC abc"), "ABC");  // 日本
  EXPECT_EQ(X12Safe("a\xFF\x80z"), "AZ");                     // invalid UTF-8 bytes dropped
}

TEST(X12Amount, NoTrailingZeros) {
  EXPECT_EQ(X12Amount(M("300.00")), "300");
  EXPECT_EQ(X12Amount(M("299.40")), "299.4");
  EXPECT_EQ(X12Amount(M("277.29")), "277.29");
  EXPECT_EQ(X12Amount(M("0.05")), "0.05");
  EXPECT_EQ(X12Amount(M("0")), "0");
  EXPECT_EQ(X12Amount(M("-5.10")), "-5.1");
}

// Compares `x12` with tests/output/golden/<name>; OTP_UPDATE_GOLDEN=1 rewrites the file instead.
// The golden files are also what scripts/x12-validate checks in CI.
void ExpectGolden(const std::string& name, const std::string& x12) {
  const std::string file = std::string(OTP_SOURCE_DIR) + "/tests/output/golden/" + name;
  if (const char* update = std::getenv("OTP_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(file, std::ios::binary) << x12;
    GTEST_SKIP() << "golden rewritten: " << file;
  }
  std::ifstream in(file, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden " << file << " (run with OTP_UPDATE_GOLDEN=1)";
  std::stringstream golden;
  golden << in.rdbuf();
  auto want = Lines(golden.str()), got = Lines(x12);
  for (size_t i = 0; i < std::min(want.size(), got.size()); ++i)
    ASSERT_EQ(got[i], want[i]) << name << ": first difference at line " << i + 1;
  EXPECT_EQ(got.size(), want.size());
  EXPECT_EQ(x12, golden.str());
}

std::vector<ClaimLine> FiftyLines() {
  std::vector<ClaimLine> lines;
  for (int i = 0; i < 50; ++i) {
    // G2067 and G2080 lines alternating across January; every fifth line by practitioner B.
    char dos[16];
    std::snprintf(dos, sizeof dos, "2026-01-%02d", 1 + i % 31);
    lines.push_back(Line(i % 2 ? "G2080" : "G2067", dos, i % 2 ? "45.10" : "299.40",
                         i % 5 == 0 ? kListedB : kListedA,
                         i % 2 ? std::vector<std::string>{"95"} : std::vector<std::string>{}));
  }
  return lines;
}

TEST(X12_837P, MatchesGolden) { ExpectGolden("basic.837", Write(MakeClaims())); }

TEST(X12_837P, CL4_FiftyLineClaimMatchesGolden) {
  ExpectGolden("fifty-lines.837", Write({MakeClaim("HRC01-000050", "P002", FiftyLines())}, {43, 8}));
}

TEST(X12_837P, GoldenPassesStructureCheck) {
  Status s = Check837Structure(Write(MakeClaims()));
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(X12_837P, EnvelopeControlNumbersAndDates) {
  const auto lines = Lines(Write(MakeClaims(), {42, 7}));
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines[0].size(), 106u);  // ISA is fixed-width, terminator included
  EXPECT_EQ(lines[0],
            "ISA*00*          *00*          *ZZ*SUB12345       *ZZ*01112          "
            "*260210*1405*^*00501*000000042*0*T*:~");
  EXPECT_EQ(lines[1], "GS*HC*SUB12345*01112*20260210*1405*7*X*005010X222A1~");
  EXPECT_EQ(lines[2], "ST*837*0001*005010X222A1~");
  EXPECT_EQ(lines[3], "BHT*0019*00*000000042*20260210*1405*CH~");
  EXPECT_EQ(lines[lines.size() - 2], "GE*1*7~");
  EXPECT_EQ(lines.back(), "IEA*1*000000042~");
  // SE01 counts ST through SE: all lines but ISA, GS, GE, IEA.
  EXPECT_EQ(lines[lines.size() - 3], "SE*" + std::to_string(lines.size() - 4) + "*0001~");
}

TEST(X12_837P, CL1_SubscriberIsThePatientOnMedicarePartB) {
  const std::string x12 = Write(MakeClaims());
  EXPECT_EQ(Count(x12, "SBR*P*18*******MB~"), 2);
  EXPECT_NE(x12.find("NM1*IL*1*O'NEIL SMITH*MARY ANN JO*Q***MI*1EG4TE5MK73~"), std::string::npos);
  EXPECT_NE(x12.find("N3*12 ELYSEE RD APT 4~"), std::string::npos);
  EXPECT_NE(x12.find("NM1*IL*1*GARCIA*LUIS****MI*2GH5JK6MN84~"), std::string::npos);
  EXPECT_NE(x12.find("N4*PASADENA*CA*911012345~"), std::string::npos);
  EXPECT_NE(x12.find("DMG*D8*19581102*M~"), std::string::npos);
  EXPECT_EQ(Count(x12, "NM1*PR*2*MEDICARE JURISDICTION E*****PI*01112~"), 2);
}

TEST(X12_837P, CL4_ClaimsGroupedByPatientInOneHierarchy) {
  const std::string x12 = Write(MakeClaims());
  EXPECT_EQ(Count(x12, "HL*1**20*1~"), 1);
  EXPECT_EQ(Count(x12, "HL*2*1*22*0~"), 1);
  EXPECT_EQ(Count(x12, "HL*3*1*22*0~"), 1);
  EXPECT_EQ(Count(x12, "HL*"), 3);
  // Patient 1's two claims both sit under HL 2, before patient 2's HL 3.
  auto hl3 = x12.find("HL*3*");
  EXPECT_LT(x12.find("CLM*HRC01-000001*"), hl3);
  EXPECT_LT(x12.find("CLM*HRC01-000003*"), hl3);
  EXPECT_GT(x12.find("CLM*HRC01-000002*"), hl3);
}

TEST(X12_837P, CL4_ClaimTotalPos58AndDiagnosisWithoutDot) {
  const std::string x12 = Write(MakeClaims());
  // 299.40 + 350.25 + 299.40 = 949.05; 300.00 + 45.10 = 345.10; 299.40 + 45.10 = 344.50.
  EXPECT_NE(x12.find("CLM*HRC01-000001*949.05***58:B:1*Y*A*Y*Y~"), std::string::npos);
  EXPECT_NE(x12.find("CLM*HRC01-000002*345.1***58:B:1*Y*A*Y*Y~"), std::string::npos);
  EXPECT_NE(x12.find("CLM*HRC01-000003*344.5***58:B:1*Y*A*Y*Y~"), std::string::npos);
  EXPECT_NE(x12.find("HI*ABK:F1121~"), std::string::npos);  // patient 2's F11.21
  EXPECT_EQ(Count(x12, "HI*ABK:F1120~"), 2);
}

TEST(X12_837P, AD7_ModifiersAndUnitsOnServiceLine) {
  const std::string x12 = Write(MakeClaims());
  EXPECT_NE(x12.find("SV1*HC:G2076:95*350.25*UN*1***1~\nDTP*472*D8*20260105~"), std::string::npos);
  EXPECT_NE(x12.find("SV1*HC:G2080:95*45.1*UN*2***1~\nDTP*472*D8*20260121~"), std::string::npos);
  EXPECT_NE(x12.find("SV1*HC:G2074*300*UN*1***1~"), std::string::npos);
}

TEST(X12_837P, CL4_RenderingProviderFromPractitionerList) {
  const std::string x12 = Write(MakeClaims());
  const std::string a = "NM1*82*1*NGUYEN*ANNA****XX*" + kListedA + "~";
  const std::string b = "NM1*82*1*PATEL*RAJ****XX*" + kListedB + "~";
  const std::string facility = "NM1*82*2*HARBOR RECOVERY CENTER*****XX*1234567893~";
  // Claim 1: 2310B is A right after HI; the unlisted NPI's line names the facility.
  EXPECT_NE(x12.find("HI*ABK:F1120~\n" + a + "\nLX*1~"), std::string::npos);
  EXPECT_NE(x12.find("DTP*472*D8*20260105~\n" + facility + "\nLX*3~"), std::string::npos);
  // Claim 2: no listed practitioner → no rendering provider at all.
  // (claim 2 is the last claim in the file: patient 2's HL comes after patient 1's claims)
  EXPECT_EQ(x12.find("NM1*82", x12.find("CLM*HRC01-000002*")), std::string::npos);
  // Claim 3: tie → B first; A's line has its own 2420A.
  EXPECT_NE(x12.find("HI*ABK:F1120~\n" + b + "\nLX*1~"), std::string::npos);
  EXPECT_NE(x12.find("DTP*472*D8*20260203~\n" + a + "\n"), std::string::npos);
  // The unlisted NPI never appears anywhere in the file.
  EXPECT_EQ(x12.find(kUnlisted), std::string::npos);
}

TEST(X12_837P, CL4_FiftyLineClaim) {
  std::vector<ClaimLine> lines;
  for (int i = 0; i < 50; ++i) lines.push_back(Line("G2067", "2026-01-05", "299.40", kListedA));
  const std::string x12 = Write({MakeClaim("HRC01-000050", "P002", lines)});
  EXPECT_EQ(Count(x12, "LX*"), 50);
  EXPECT_EQ(Count(x12, "LX*50~"), 1);
  EXPECT_NE(x12.find("CLM*HRC01-000050*14970***58:B:1"), std::string::npos);  // 50 × 299.40
  Status s = Check837Structure(x12);
  EXPECT_TRUE(s.ok()) << s.message();
  // ST, BHT, 1000A/B (3), 2000A (6), 2000B (7), CLM, HI, 2310B, 50 × 3, SE = 172.
  EXPECT_NE(x12.find("SE*172*0001~"), std::string::npos);
}

TEST(X12_837P, CL4_MoreThanFiftyLinesIsACallerBug) {
  std::vector<ClaimLine> lines(51, Line("G2067", "2026-01-05", "299.40"));
  EXPECT_THROW(Write({MakeClaim("HRC01-000051", "P002", lines)}), std::invalid_argument);
}

TEST(X12_837P, UnknownPatientOrNoClaimsIsACallerBug) {
  EXPECT_THROW(Write({MakeClaim("X", "P999", {Line("G2067", "2026-01-05", "1")})}), std::invalid_argument);
  EXPECT_THROW(Write({}), std::invalid_argument);
  EXPECT_THROW(Write(MakeClaims(), {0, 1}), std::invalid_argument);
  EXPECT_THROW(Write(MakeClaims(), {1'000'000'000, 1}), std::invalid_argument);
}

// ---- the checker must reject what a strict parser would ------------------------------------

void ExpectRejected(const std::string& x12, const std::string& words) {
  Status s = Check837Structure(x12);
  ASSERT_FALSE(s.ok()) << "accepted a broken file; expected: " << words;
  EXPECT_NE(s.message().find(words), std::string::npos) << s.message();
}

TEST(Check837, RejectsWrongSegmentCount) {
  std::string x12 = Write(MakeClaims());
  auto se = x12.find("SE*");
  auto star = x12.find('*', se + 3);
  int n = std::stoi(x12.substr(se + 3, star - se - 3));
  ExpectRejected(x12.replace(se + 3, star - se - 3, std::to_string(n + 1)), "SE01");
}

TEST(Check837, RejectsMismatchedControlNumbers) {
  const std::string x12 = Write(MakeClaims());
  ExpectRejected(Replace(x12, "IEA*1*000000042", "IEA*1*000000043"), "IEA02");
  ExpectRejected(Replace(x12, "GE*1*7~", "GE*1*8~"), "GE02");
  ExpectRejected(Replace(x12, "*0001~\nGE*", "*0002~\nGE*"), "SE02");
}

TEST(Check837, RejectsClaimTotalNotSumOfLines) {
  ExpectRejected(Replace(Write(MakeClaims()), "CLM*HRC01-000001*949.05", "CLM*HRC01-000001*949.06"),
                 "CLM02 is 949.06 but the service lines add up to 949.05");
}

TEST(Check837, RejectsLxGap) {
  ExpectRejected(Replace(Write(MakeClaims()), "LX*2~", "LX*3~"), "LX01 is 3, expected 2");
}

TEST(Check837, RejectsBadHlParent) {
  ExpectRejected(Replace(Write(MakeClaims()), "HL*3*1*22*0", "HL*3*2*22*0"), "parent");
  ExpectRejected(Replace(Write(MakeClaims()), "HL*3*1*22*0", "HL*4*1*22*0"), "HL01 is 4");
}

TEST(Check837, RejectsEmptyMandatoryElementAndTrailingDelimiter) {
  const std::string x12 = Write(MakeClaims());
  ExpectRejected(Replace(x12, "DTP*472*D8*20260105", "DTP*472**20260105"), "DTP02 is empty");
  ExpectRejected(Replace(x12, "REF*EI*123456789~", "REF*EI*123456789*~"), "empty element");
}

TEST(Check837, RejectsShortIsa) {
  ExpectRejected(Replace(Write(MakeClaims()), "SUB12345       *", "SUB12345      *"), "ISA");
  EXPECT_FALSE(Check837Structure("").ok());
  EXPECT_FALSE(Check837Structure("GS*HC~").ok());
}

TEST(Check837, RejectsTruncatedFile) {
  std::string x12 = Write(MakeClaims());
  x12.resize(x12.find("GE*"));
  ExpectRejected(x12, "GE");
}

}  // namespace
}  // namespace otp

namespace otp {
namespace {

// Issue 26: a 277CA names the 837 by BHT03, so each transaction has its own; a payer echoes
// CLM01 as it kept it, and receivers keep 20 characters.
TEST(X12Envelope, BHT03IsTheInterchangeControlNumberAndSTAndSEAreTheOneTransaction) {
  const std::string a = Write(MakeClaims(), {42, 7}), b = Write(MakeClaims(), {43, 8});
  EXPECT_EQ(Count(a, "BHT*0019*00*000000042*"), 1);
  EXPECT_EQ(Count(b, "BHT*0019*00*000000043*"), 1);
  EXPECT_EQ(Count(a, std::string("ST*837*") + InterchangeIds::kTransactionControl + "*"), 1);
  EXPECT_EQ((InterchangeIds{42, 7}.Reference()), "000000042");
}

TEST(X12Envelope, ACLM01LongerThanReceiversKeepFailsTheStructuralCheck) {
  const std::string ok = Write(MakeClaims());
  EXPECT_TRUE(Check837Structure(ok).ok());
  const std::string long_id = Replace(ok, "CLM*HRC01-000001*", "CLM*HRC01-000001-TOO-LONG-X*");
  const Status s = Check837Structure(long_id);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("20 characters"), std::string::npos);
}

}  // namespace
}  // namespace otp
