// The service → code table (billing-rules.md "Codes" and the vocabulary of interface.md §1.3).
#include "billing/service_codes.h"

#include <array>

namespace otp::billing {
namespace {
constexpr std::array<ServiceBilling, kServiceCount> kTable = {{
    /* methadone_dose */ {Role::kDrug, "G2067", "", "", false, false, true},
    /* buprenorphine_oral_dose */ {Role::kDrug, "G2068", "", ""},
    /* buprenorphine_injection_weekly */ {Role::kDrug, "G0533", "injection_weekly.coverage_days", ""},
    /* buprenorphine_injection_monthly */ {Role::kDrug, "G2069", "injection_monthly.coverage_days", ""},
    /* buprenorphine_implant_insert */ {Role::kDrug, "G2070", "implant.coverage_days", ""},
    /* buprenorphine_implant_remove */ {Role::kDrug, "G2071", "", ""},
    /* buprenorphine_implant_insert_remove */ {Role::kDrug, "G2072", "implant.coverage_days", ""},
    /* naltrexone_injection */ {Role::kDrug, "G2073", "naltrexone.coverage_days", ""},
    /* other_moud_dose */ {Role::kDrug, "G2075", "", ""},
    /* methadone_takehome */ {Role::kTakeHome, "G2078", "", "G2067", false, false, true},
    /* buprenorphine_takehome */ {Role::kTakeHome, "G2079", "", "G2068"},
    /* counseling_individual */ {Role::kBundleService, "", "", "", false, true},
    /* counseling_group */ {Role::kBundleService, "", "", "", false, true},
    /* toxicology_test */ {Role::kBundleService, "", "", ""},
    /* intake */ {Role::kIntake, "G2076", "", ""},
    /* periodic_assessment */ {Role::kAssessment, "G2077", "", ""},
    /* iop_service */ {Role::kIop, "G0137", "", ""},
    /* naloxone_nasal_4mg */ {Role::kOverdoseMed, "G2215", "", ""},
    /* naloxone_nasal_8mg */ {Role::kOverdoseMed, "G1028", "", ""},
    /* naloxone_injection */ {Role::kOverdoseMed, "G2216", "", "", true},
    /* nalmefene_nasal */ {Role::kOverdoseMed, "G0532", "", ""},
    /* care_coordination */ {Role::kTimedSupport, "G0534", "", ""},
    /* patient_navigation */ {Role::kTimedSupport, "G0535", "", ""},
    /* peer_support */ {Role::kTimedSupport, "G0536", "", ""},
    /* physical_exam */ {Role::kComplianceOnly, "", "", ""},
    /* psychosocial_assessment */ {Role::kComplianceOnly, "", "", ""},
    /* care_plan */ {Role::kComplianceOnly, "", "", ""},
}};
}  // namespace

const ServiceBilling& BillingOf(Service s) { return kTable[static_cast<int>(s)]; }

}  // namespace otp::billing
