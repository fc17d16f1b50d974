// How each service word of the vocabulary is billed: the HCPCS code it maps to (the contract
// in billing-rules.md), the role it plays in an episode (drug bundle, take-home, bundle
// service, add-on kind), and which codes/limits.xml limit sets its numbers. Private to
// billing/: the codes, rates and numbers themselves live in codes/.
#pragma once

#include <string_view>

#include "model/service.h"

namespace otp::billing {

enum class Role {
  kDrug,           // on-site medication: chooses the drug bundle (BU-2)
  kTakeHome,       // TH-1
  kBundleService,  // counseling / toxicology: part of the bundle, G2074 without drug (BU-3)
  kIntake,         // AD-1
  kAssessment,     // AD-2
  kOverdoseMed,    // AD-4
  kIop,            // AD-5
  kTimedSupport,   // AD-6
  kComplianceOnly, // never billed, never starts an episode
};

struct ServiceBilling {
  Role role;
  std::string_view code;            // "" for bundle services and compliance-only events
  std::string_view coverage_limit;  // drug: limit id of the coverage window it opens (BU-4), "" none
  std::string_view takehome_bundle; // take-home: the drug bundle it supplements (TH-1)
  bool units_from_quantity = false; // G2216: units = quantity (mg) rounded up, minimum 1
  bool counseling = false;          // counts toward AD-3 minutes
  bool methadone = false;           // AD-7 "methadone intake" detection
};

const ServiceBilling& BillingOf(Service s);

// Codes that no single service word maps to.
inline constexpr std::string_view kDrugFreeBundleCode = "G2074";   // BU-3
inline constexpr std::string_view kCounselingAddOnCode = "G2080";  // AD-3

}  // namespace otp::billing
