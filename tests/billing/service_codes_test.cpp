// The service → code map of codes/services.xml as billing reads it through the RuleBook: the
// contract of billing-rules.md "Codes" (each word's code, role and coverage window), and the two
// codes billed for an episode as a whole.
#include "billing_fixture.h"

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
    EXPECT_EQ(Rules().BillingOf(*s).code, code) << word;
    EXPECT_FALSE(Rules().BillingOf(*s).source.empty()) << word;
  }
}

TEST(ServiceCodes, RolesFollowTheVocabularyGroups) {
  for (int i = 0; i < kServiceCount; ++i) {
    auto s = static_cast<Service>(i);
    auto role = Rules().BillingOf(s).role;
    switch (GroupOf(s)) {
      case ServiceGroup::kOnSiteMedication: EXPECT_EQ(role, ServiceRole::kDrug) << ServiceName(s); break;
      case ServiceGroup::kTakeHome: EXPECT_EQ(role, ServiceRole::kTakeHome) << ServiceName(s); break;
      case ServiceGroup::kBundleService: EXPECT_EQ(role, ServiceRole::kBundleService) << ServiceName(s); break;
      case ServiceGroup::kComplianceOnly: EXPECT_EQ(role, ServiceRole::kComplianceOnly) << ServiceName(s); break;
      case ServiceGroup::kAddOn:
        EXPECT_NE(role, ServiceRole::kDrug);
        EXPECT_NE(role, ServiceRole::kBundleService);
        break;
    }
  }
  EXPECT_EQ(Rules().BillingOf(Service::kIntake).role, ServiceRole::kIntake);
  EXPECT_EQ(Rules().BillingOf(Service::kPeriodicAssessment).role, ServiceRole::kAssessment);
  EXPECT_EQ(Rules().BillingOf(Service::kIopService).role, ServiceRole::kIop);
  EXPECT_EQ(Rules().BillingOf(Service::kNalmefeneNasal).role, ServiceRole::kOverdoseMed);
  EXPECT_EQ(Rules().BillingOf(Service::kPeerSupport).role, ServiceRole::kTimedSupport);
}

TEST(ServiceCodes, BU4_CoverageWindowsOfInjectionsAndImplants) {
  const std::pair<Service, const char*> expected[] = {
      {Service::kBuprenorphineInjectionWeekly, "injection_weekly.coverage_days"},
      {Service::kBuprenorphineInjectionMonthly, "injection_monthly.coverage_days"},
      {Service::kBuprenorphineImplantInsert, "implant.coverage_days"},
      {Service::kBuprenorphineImplantInsertRemove, "implant.coverage_days"},
      {Service::kNaltrexoneInjection, "naltrexone.coverage_days"},
  };
  for (const auto& [s, limit] : expected) EXPECT_EQ(Rules().BillingOf(s).coverage_limit, limit) << ServiceName(s);
  for (Service s : {Service::kMethadoneDose, Service::kBuprenorphineOralDose, Service::kBuprenorphineImplantRemove,
                    Service::kOtherMoudDose})
    EXPECT_EQ(Rules().BillingOf(s).coverage_limit, "") << ServiceName(s);
}

TEST(ServiceCodes, TH1_TakeHomesSupplementTheirOwnBundle) {
  EXPECT_EQ(Rules().BillingOf(Service::kMethadoneTakehome).takehome_bundle, "G2067");
  EXPECT_EQ(Rules().BillingOf(Service::kBuprenorphineTakehome).takehome_bundle, "G2068");
  EXPECT_EQ(Rules().BillingOf(Service::kMethadoneDose).takehome_bundle, "");
}

TEST(ServiceCodes, FlagsForCounselingMethadoneAndUnitsFromQuantity) {
  for (int i = 0; i < kServiceCount; ++i) {
    auto s = static_cast<Service>(i);
    const ServiceBilling& b = Rules().BillingOf(s);
    EXPECT_EQ(b.counseling, IsCounseling(s)) << ServiceName(s);  // AD-3 counts what PA-8 counts
    EXPECT_EQ(b.methadone, s == Service::kMethadoneDose || s == Service::kMethadoneTakehome) << ServiceName(s);
    EXPECT_EQ(b.units_from_quantity, s == Service::kNaloxoneInjection) << ServiceName(s);
  }
}

TEST(ServiceCodes, EveryCodeExistsInCodesXmlAndCoverageLimitsExist) {
  for (int i = 0; i < kServiceCount; ++i) {
    const auto& b = Rules().BillingOf(static_cast<Service>(i));
    if (!b.code.empty()) {
      EXPECT_NE(Rules().Code(b.code), nullptr) << b.code;
    }
    if (!b.coverage_limit.empty()) {
      EXPECT_NE(Rules().FindLimit(b.coverage_limit), nullptr) << b.coverage_limit;
    }
  }
}

TEST(ServiceCodes, EpisodeCodesOfBU3AndAD3) {
  EXPECT_EQ(Rules().NonDrugBundleCode(), "G2074");
  EXPECT_EQ(Rules().CounselingBeyondPlanCode(), "G2080");
  EXPECT_EQ(Rules().Code(Rules().NonDrugBundleCode())->kind, CodeKind::kNonDrugBundle);
  EXPECT_EQ(Rules().Code(Rules().CounselingBeyondPlanCode())->kind, CodeKind::kAddOn);
}

}  // namespace
}  // namespace otp::testing
