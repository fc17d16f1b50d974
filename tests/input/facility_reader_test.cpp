// facility.xml reader: the valid fixture, and each configuration error of interface.md §1.1.
#include "input/facility_reader.h"

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace otp {
namespace {

const std::string kFixture = std::string(OTP_SOURCE_DIR) + "/fixtures/test/facility_valid.xml";

std::string FixtureText() {
  std::ifstream in(kFixture, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool KnownLocality(const std::string& id) { return id == "CA-18" || id == "CA-26"; }

// The fixture with the first occurrence of `from` replaced by `to`.
Result<Config> ReadEdited(const std::string& from, const std::string& to) {
  std::string text = FixtureText();
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "fixture lacks: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return ReadFacilityXml("facility.xml", text, KnownLocality);
}

// Expects a configuration error whose message holds every piece of `parts`.
void ExpectConfigError(const Result<Config>& r, std::initializer_list<std::string> parts) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kConfig);
  for (const auto& p : parts) EXPECT_NE(r.status().message().find(p), std::string::npos)
      << "message: " << r.status().message() << "\nmissing: " << p;
}

TEST(FacilityReader, ReadsTheValidFixture) {
  auto r = ReadFacilityFile(kFixture, KnownLocality);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Config& c = *r;
  EXPECT_EQ(c.submitter.name, "HARBOR RECOVERY BILLING");
  EXPECT_EQ(c.submitter.id, "SUB12345");
  EXPECT_EQ(c.submitter.phone, "5555551234");
  EXPECT_EQ(c.receiver.id, "01112");
  EXPECT_EQ(c.receiver.usage, 'T');
  ASSERT_EQ(c.facilities.size(), 1u);
  const Facility& f = c.facilities[0];
  EXPECT_EQ(f.id, "HRC01");
  EXPECT_EQ(f.npi, "1234567893");
  EXPECT_EQ(f.tin, "123456789");
  EXPECT_EQ(f.taxonomy, "261QM2800X");
  EXPECT_EQ(f.locality, "CA-18");
  EXPECT_TRUE(f.cycle.patient);
  EXPECT_EQ(f.address.zip, "900011234");
  EXPECT_EQ(f.address.state, "CA");
  EXPECT_EQ(f.payer_id, "01112");
  ASSERT_EQ(f.credentials.size(), 5u);
  EXPECT_EQ(f.credentials[0].kind, "samhsa-certification");
  EXPECT_EQ(f.credentials[0].status, "full");
  EXPECT_EQ(f.credentials[0].expires->Iso(), "2026-12-31");
  EXPECT_EQ(f.credentials[1].body, "CARF");
  EXPECT_FALSE(f.credentials[4].expires.has_value());
  EXPECT_EQ(f.credentials[4].effective.Iso(), "2020-01-01");
  ASSERT_EQ(f.charges.count("G2075"), 1u);
  EXPECT_EQ(f.charges.at("G2075").cents(), 30000);
  ASSERT_EQ(f.practitioners.size(), 1u);
  EXPECT_EQ(f.practitioners[0].npi, "1245319599");
  EXPECT_EQ(f.practitioners[0].last_name, "SMITH");
  EXPECT_EQ(c.FindFacility("HRC01"), &c.facilities[0]);
}

TEST(FacilityReader, TheOtpTaxonomyGivesNoWarning) {
  std::vector<std::string> warnings;
  auto r = ReadFacilityFile(kFixture, KnownLocality, &warnings);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->facilities[0].taxonomy, kOtpTaxonomy);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST(FacilityReader, AnotherTaxonomyIsWarnedAboutNotRefused) {
  // 261QM0855X (adolescent and children mental health clinic) is a valid code, just not an OTP's:
  // the file is read, the 837P would carry it as written, and the reader says so.
  std::string text = FixtureText();
  const std::string otp = "taxonomy=\"261QM2800X\"";
  text.replace(text.find(otp), otp.size(), "taxonomy=\"261QM0855X\"");
  std::vector<std::string> warnings;
  auto r = ReadFacilityXml("facility.xml", text, KnownLocality, &warnings);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->facilities[0].taxonomy, "261QM0855X");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].rfind("facility.xml:6: <facility id=\"HRC01\"> taxonomy 261QM0855X is not 261QM2800X", 0), 0u)
      << warnings[0];
  EXPECT_NE(warnings[0].find("opioid treatment program"), std::string::npos);
  // A file that fails for another reason hands out no warning: the run stops on the error alone.
  std::vector<std::string> none;
  const std::string tin = "tin=\"123456789\"";
  text.replace(text.find(tin), tin.size(), "tin=\"12345678\"");
  EXPECT_FALSE(ReadFacilityXml("facility.xml", text, KnownLocality, &none).ok());
  EXPECT_TRUE(none.empty());
}

TEST(FacilityReader, WeekdayCycleAndNationalLocality) {
  std::string text = FixtureText();
  text.replace(text.find("episode-cycle=\"patient\""), 23, "episode-cycle=\"weekday:monday\"");
  text.replace(text.find("locality=\"CA-18\""), 16, "locality=\"national\"");
  auto r = ReadFacilityXml("facility.xml", text, [](const std::string&) { return false; });
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->facilities[0].cycle.patient);
  EXPECT_EQ(r->facilities[0].cycle.weekday, 1);
  auto sun = ReadEdited("episode-cycle=\"patient\"", "episode-cycle=\"weekday:sunday\"");
  ASSERT_TRUE(sun.ok());
  EXPECT_EQ(sun->facilities[0].cycle.weekday, 0);
  auto dflt = ReadEdited(" episode-cycle=\"patient\"", "");
  ASSERT_TRUE(dflt.ok());
  EXPECT_TRUE(dflt->facilities[0].cycle.patient);
}

TEST(FacilityReader, BadFacilityNpiNamesFileLineAndAttribute) {
  auto r = ReadEdited("npi=\"1234567893\"", "npi=\"1234567890\"");
  ExpectConfigError(r, {"facility.xml:6:", "<facility id=\"HRC01\">", "npi", "1234567890", "Luhn"});
}

TEST(FacilityReader, BadPractitionerNpi) {
  ExpectConfigError(ReadEdited("npi=\"1245319599\"", "npi=\"1245319598\""),
                    {"facility.xml:16:", "<practitioner", "npi"});
  ExpectConfigError(ReadEdited(" last-name=\"SMITH\"", ""), {"<practitioner", "last-name", "required"});
}

TEST(FacilityReader, TinMustBeNineDigits) {
  ExpectConfigError(ReadEdited("tin=\"123456789\"", "tin=\"12345678\""), {"tin", "9 digits"});
}

TEST(FacilityReader, BadStateCode) {
  ExpectConfigError(ReadEdited("state=\"CA\"", "state=\"XX\""), {"facility.xml:8:", "<address", "state", "XX"});
}

TEST(FacilityReader, BillingZipNeedsNineDigits) {
  ExpectConfigError(ReadEdited("zip=\"900011234\"", "zip=\"90001\""), {"<address", "zip", "9 digits"});
}

TEST(FacilityReader, EachCredentialKindIsRequired) {
  for (const char* kind : {"samhsa-certification", "accreditation", "dea-registration", "state-license",
                           "medicare-enrollment"}) {
    std::string text = FixtureText();
    std::string needle = std::string("<credential kind=\"") + kind + "\"";
    size_t b = text.find(needle);
    ASSERT_NE(b, std::string::npos);
    size_t e = text.find("/>", b);
    text.erase(b, e + 2 - b);
    auto r = ReadFacilityXml("facility.xml", text, KnownLocality);
    ExpectConfigError(r, {"<facility id=\"HRC01\">", std::string("no <credential kind=\"") + kind + "\">"});
  }
}

TEST(FacilityReader, UnknownCredentialKind) {
  ExpectConfigError(ReadEdited("kind=\"accreditation\"", "kind=\"accreditashun\""), {"kind", "accreditashun"});
}

TEST(FacilityReader, SamhsaStatusFullOrProvisional) {
  ExpectConfigError(ReadEdited("status=\"full\"", "status=\"pending\""),
                    {"facility.xml:10:", "samhsa-certification", "status", "pending"});
  auto prov = ReadEdited("status=\"full\"", "status=\"provisional\"");
  ASSERT_TRUE(prov.ok());
  EXPECT_EQ(prov->facilities[0].credentials[0].status, "provisional");
}

TEST(FacilityReader, UnknownLocality) {
  ExpectConfigError(ReadEdited("locality=\"CA-18\"", "locality=\"CA-99\""), {"locality", "CA-99"});
}

TEST(FacilityReader, DatesMustBeReal) {
  ExpectConfigError(ReadEdited("expires=\"2026-06-30\"", "expires=\"2026-06-31\""),
                    {"facility.xml:13:", "state-license", "expires", "2026-06-31", "not a real date"});
  ExpectConfigError(ReadEdited("effective=\"2020-01-01\"", "effective=\"2020-13-01\""), {"effective"});
  ExpectConfigError(ReadEdited(" effective=\"2020-01-01\"", ""), {"effective", "required"});
  ExpectConfigError(ReadEdited("expires=\"2026-06-30\"", "expires=\"2025-06-30\""), {"expires", "before effective"});
}

TEST(FacilityReader, DuplicateFacilityId) {
  std::string text = FixtureText();
  size_t b = text.find("  <facility ");
  size_t e = text.find("</facility>") + std::string("</facility>\n").size();
  std::string facility = text.substr(b, e - b);
  text.insert(e, facility);
  auto r = ReadFacilityXml("facility.xml", text, KnownLocality);
  ExpectConfigError(r, {"facility.xml:18:", "id", "HRC01", "earlier <facility>"});
}

TEST(FacilityReader, TwoFacilitiesAreRead) {
  std::string text = FixtureText();
  size_t b = text.find("  <facility ");
  size_t e = text.find("</facility>") + std::string("</facility>\n").size();
  std::string facility = text.substr(b, e - b);
  facility.replace(facility.find("HRC01"), 5, "HRC02");
  text.insert(e, facility);
  auto r = ReadFacilityXml("facility.xml", text, KnownLocality);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->facilities.size(), 2u);
  EXPECT_EQ(r->facilities[1].id, "HRC02");
}

TEST(FacilityReader, UnknownEpisodeCycle) {
  ExpectConfigError(ReadEdited("episode-cycle=\"patient\"", "episode-cycle=\"weekday:funday\""),
                    {"episode-cycle", "weekday:funday"});
  ExpectConfigError(ReadEdited("episode-cycle=\"patient\"", "episode-cycle=\"monthly\""), {"episode-cycle"});
}

TEST(FacilityReader, BadChargeAmount) {
  ExpectConfigError(ReadEdited("amount=\"300.00\"", "amount=\"3OO\""), {"<charge code=\"G2075\">", "amount"});
  ExpectConfigError(ReadEdited("amount=\"300.00\"", "amount=\"-5\""), {"amount"});
  ExpectConfigError(ReadEdited("amount=\"300.00\"", "amount=\"300.001\""), {"amount"});
}

TEST(FacilityReader, MissingRequiredAttributes) {
  ExpectConfigError(ReadEdited(" taxonomy=\"261QM2800X\"", ""), {"taxonomy", "required"});
  ExpectConfigError(ReadEdited(" name=\"HARBOR RECOVERY CENTER\"", ""), {"<facility", "name", "required"});
  ExpectConfigError(ReadEdited(" city=\"LOS ANGELES\"", ""), {"<address", "city", "required"});
  ExpectConfigError(ReadEdited(" usage=\"T\"", ""), {"<receiver", "usage", "required"});
  ExpectConfigError(ReadEdited("usage=\"T\"", "usage=\"X\""), {"usage", "T (test) or P (production)"});
  ExpectConfigError(ReadEdited("id=\"SUB12345\"", ""), {"<submitter", "id", "required"});
}

TEST(FacilityReader, MissingElements) {
  ExpectConfigError(ReadEdited("<payer name=\"MEDICARE JURISDICTION E\" id=\"01112\"/>", ""), {"no <payer>"});
  ExpectConfigError(ReadEdited("<address line1=\"123 MAIN ST\"", "<addr line1=\"123 MAIN ST\""), {"no <address>"});
}

TEST(FacilityReader, NotWellFormedXml) {
  ExpectConfigError(ReadEdited("</facility>", "</facilty>"), {"facility.xml:", "not well-formed XML"});
  auto r = ReadFacilityXml("facility.xml", "<otpbatch version=\"1\">\n<submitter\n", KnownLocality);
  ExpectConfigError(r, {"not well-formed"});
}

TEST(FacilityReader, VersionMustBeOne) {
  ExpectConfigError(ReadEdited("<otpbatch version=\"1\">", "<otpbatch version=\"2\">"),
                    {"facility.xml:3:", "version", "\"2\""});
  ExpectConfigError(ReadEdited("<otpbatch version=\"1\">", "<otpbatch>"), {"version", "required"});
}

TEST(FacilityReader, MissingFileIsAConfigError) {
  auto r = ReadFacilityFile("/nonexistent/facility.xml", KnownLocality);
  ExpectConfigError(r, {"/nonexistent/facility.xml"});
}

}  // namespace
}  // namespace otp
