// Field validators: NPI Luhn, MBI format, TIN, state, ZIP, ICD-10-CM shape and OUD, dates.
#include "input/validators.h"

#include <gtest/gtest.h>

namespace otp {
namespace {

TEST(Validators, NpiLuhnWithPrefix80840) {
  EXPECT_TRUE(IsValidNpi("1234567893"));
  EXPECT_TRUE(IsValidNpi("1245319599"));
  EXPECT_TRUE(IsValidNpi("1003000126"));
  EXPECT_FALSE(IsValidNpi("1234567890"));   // wrong check digit
  EXPECT_FALSE(IsValidNpi("1234567894"));
  EXPECT_FALSE(IsValidNpi("1538299981"));
  EXPECT_FALSE(IsValidNpi("123456789"));    // 9 digits
  EXPECT_FALSE(IsValidNpi("12345678933"));  // 11 digits
  EXPECT_FALSE(IsValidNpi("12345678a3"));
  EXPECT_FALSE(IsValidNpi(""));
}

TEST(Validators, MbiCmsFormat) {
  EXPECT_EQ(NormalizeMbi("1EG4TE5MK73"), "1EG4TE5MK73");
  EXPECT_EQ(NormalizeMbi("1EG4-TE5-MK73"), "1EG4TE5MK73");
  EXPECT_TRUE(IsValidMbi("9AA0AA0AA00"));
  EXPECT_FALSE(IsValidMbi("1eg4te5mk73"));   // lower case
  EXPECT_FALSE(IsValidMbi("0EG4TE5MK73"));   // position 1 must be 1-9
  EXPECT_FALSE(IsValidMbi("1SG4TE5MK73"));   // S never used
  EXPECT_FALSE(IsValidMbi("1EG4TE5MKZ3"));   // position 10 numeric
  EXPECT_TRUE(IsValidMbi("1E14TE5MK73"));    // position 3 alphanumeric
  EXPECT_FALSE(IsValidMbi("1EGATE5MK73"));   // position 4 numeric
  EXPECT_FALSE(IsValidMbi("1EG4LE5MK73"));   // L never used
  EXPECT_FALSE(IsValidMbi("1EG4TE5M173"));   // position 9 alpha
  EXPECT_FALSE(IsValidMbi("1EG4TE5MK7"));    // 10 characters
  EXPECT_FALSE(IsValidMbi("1EG-4TE5-MK73"));  // dashes in the wrong places
  EXPECT_FALSE(IsValidMbi(""));
}

TEST(Validators, TinIsNineDigits) {
  EXPECT_TRUE(IsValidTin("123456789"));
  EXPECT_FALSE(IsValidTin("12345678"));
  EXPECT_FALSE(IsValidTin("12-3456789"));
  EXPECT_FALSE(IsValidTin("12345678x"));
}

TEST(Validators, StateAndTerritoryCodes) {
  for (const char* s : {"CA", "NY", "DC", "PR", "VI", "GU", "AS", "MP", "WY", "AK"})
    EXPECT_TRUE(IsValidStateCode(s)) << s;
  for (const char* s : {"ca", "XX", "C", "CAL", "", "ZZ"}) EXPECT_FALSE(IsValidStateCode(s)) << s;
}

TEST(Validators, ZipFiveOrNineDigits) {
  EXPECT_EQ(NormalizeZip("90001"), "90001");
  EXPECT_EQ(NormalizeZip("900011234"), "900011234");
  EXPECT_EQ(NormalizeZip("90001-1234"), "900011234");
  EXPECT_FALSE(NormalizeZip("9000"));
  EXPECT_FALSE(NormalizeZip("9000112"));
  EXPECT_FALSE(NormalizeZip("9000A"));
  EXPECT_TRUE(IsValidBillingZip("900011234"));
  EXPECT_TRUE(IsValidBillingZip("90001-1234"));
  EXPECT_FALSE(IsValidBillingZip("90001"));
}

TEST(Validators, Icd10ShapeNormalisedWithoutDot) {
  EXPECT_EQ(NormalizeIcd10("F11.20"), "F1120");
  EXPECT_EQ(NormalizeIcd10("F1120"), "F1120");
  EXPECT_EQ(NormalizeIcd10("f11.20"), "F1120");
  EXPECT_EQ(NormalizeIcd10("F11"), "F11");
  EXPECT_EQ(NormalizeIcd10("T40.2X1A"), "T402X1A");
  EXPECT_EQ(NormalizeIcd10("F10.20"), "F1020");
  EXPECT_FALSE(NormalizeIcd10("F11."));       // a dot needs something after it
  EXPECT_FALSE(NormalizeIcd10("F1.120"));     // dot after the third character only
  EXPECT_FALSE(NormalizeIcd10("F11.20123"));  // at most four after the category
  EXPECT_FALSE(NormalizeIcd10("111.20"));     // starts with a letter
  EXPECT_FALSE(NormalizeIcd10("FF1.20"));     // second character is a digit
  EXPECT_FALSE(NormalizeIcd10("F11-20"));
  EXPECT_FALSE(NormalizeIcd10(""));
}

TEST(Validators, OudDiagnosisIsF11) {
  EXPECT_TRUE(IsOudDiagnosis("F11.20"));
  EXPECT_TRUE(IsOudDiagnosis("F1121"));
  EXPECT_TRUE(IsOudDiagnosis("f11.23"));
  EXPECT_FALSE(IsOudDiagnosis("F10.20"));
  EXPECT_FALSE(IsOudDiagnosis("F1"));
  EXPECT_FALSE(IsOudDiagnosis("Z79.891"));
}

TEST(Validators, DatesMustBeReal) {
  EXPECT_TRUE(ParseIsoDate("2024-02-29"));
  EXPECT_FALSE(ParseIsoDate("2025-02-29"));
  EXPECT_FALSE(ParseIsoDate("2025-02-30"));
  EXPECT_FALSE(ParseIsoDate("02/01/2025"));
}

}  // namespace
}  // namespace otp
