// The service → code table (billing-rules.md "Codes" and the brief's mapping), and that every
// code it names exists in codes/codes.xml.
#include "billing_fixture.h"
#include "billing/service_codes.h"

namespace otp::testing {
namespace {

TEST(ServiceCodes, EveryServiceMapsToTheContractCode) {
  const std::pair<const char*, const char*> expected[] = {
      {"methadone_dose", "G2067"}, {"buprenorphine_oral_dose", "G2068"},
      {"buprenorphine_injection_monthly", "G2069"}, {"buprenorphine_injection_weekly", "G0533"},
      {"buprenorphine_implant_insert", "G2070"}, {"buprenorphine_implant_remove", "G2071"},
      {"buprenorphine_implant_insert_remove", "G2072"}, {"naltrexone_injection", "G2073"},
      {"other_moud_dose", "G2075"}, {"intake", "G2076"}, {"periodic_assessment", "G2077"},
      {"methadone_takehome", "G2078"}, {"buprenorphine_takehome", "G2079"},
      {"naloxone_nasal_4mg", "G2215"}, {"naloxone_nasal_8mg", "G1028"},
      {"naloxone_injection", "G2216"}, {"nalmefene_nasal", "G0532"}, {"iop_service", "G0137"},
      {"care_coordination", "G0534"}, {"patient_navigation", "G0535"}, {"peer_support", "G0536"},
      {"counseling_individual", ""}, {"counseling_group", ""}, {"toxicology_test", ""},
      {"physical_exam", ""}, {"psychosocial_assessment", ""}, {"care_plan", ""},
  };
  ASSERT_EQ(std::size(expected), static_cast<size_t>(kServiceCount));
  for (const auto& [word, code] : expected) {
    auto s = ParseService(word);
    ASSERT_TRUE(s) << word;
    EXPECT_EQ(billing::BillingOf(*s).code, code) << word;
  }
}

TEST(ServiceCodes, RolesFollowTheVocabularyGroups) {
  for (int i = 0; i < kServiceCount; ++i) {
    auto s = static_cast<Service>(i);
    auto role = billing::BillingOf(s).role;
    switch (GroupOf(s)) {
      case ServiceGroup::kOnSiteMedication: EXPECT_EQ(role, billing::Role::kDrug) << ServiceName(s); break;
      case ServiceGroup::kTakeHome: EXPECT_EQ(role, billing::Role::kTakeHome) << ServiceName(s); break;
      case ServiceGroup::kBundleService: EXPECT_EQ(role, billing::Role::kBundleService) << ServiceName(s); break;
      case ServiceGroup::kComplianceOnly: EXPECT_EQ(role, billing::Role::kComplianceOnly) << ServiceName(s); break;
      case ServiceGroup::kAddOn:
        EXPECT_NE(role, billing::Role::kDrug);
        EXPECT_NE(role, billing::Role::kBundleService);
        break;
    }
  }
}

TEST(ServiceCodes, EveryCodeExistsInCodesXmlAndCoverageLimitsExist) {
  for (int i = 0; i < kServiceCount; ++i) {
    const auto& b = billing::BillingOf(static_cast<Service>(i));
    if (!b.code.empty()) {
      EXPECT_NE(Rules().Code(std::string(b.code)), nullptr) << b.code;
    }
    if (!b.coverage_limit.empty()) {
      EXPECT_NE(Rules().FindLimit(std::string(b.coverage_limit)), nullptr) << b.coverage_limit;
    }
  }
  EXPECT_NE(Rules().Code(std::string(billing::kDrugFreeBundleCode)), nullptr);
  EXPECT_NE(Rules().Code(std::string(billing::kCounselingAddOnCode)), nullptr);
}

}  // namespace
}  // namespace otp::testing
