// Shared pieces of the fuzz targets: a valid facility Config built in code (no file I/O in the
// fuzz loop), the patients.csv header, and Check(), which aborts with a message so that
// libFuzzer records the input as a crash when an invariant breaks.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/quantity.h"
#include "model/types.h"

namespace otp::fuzz {

inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

inline Config MakeConfig() {
  Config c;
  c.submitter = {"HARBOR RECOVERY BILLING", "SUB12345", "JANE DOE", "5555551234"};
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
  f.practitioners = {{"1245319599", "SMITH", "ALEX"}};
  c.facilities.push_back(f);
  return c;
}

// SC-6 bounds in the shape RuleBook::Quantities() gives them (the fuzz build has no rules/): the
// digits of codes/limits.xml and one bound for every word, 0.1 to 1,440, so both sides of a bound
// are reachable.
inline QuantityBounds MakeQuantityBounds() {
  QuantityBounds b;
  b.max_integer_digits = 6;
  b.max_decimals = 3;
  for (auto& q : b.by_service) q = QuantityBound{"quantity.fuzz", "count", 100'000, 1440 * kMicrosPerUnit};
  return b;
}

inline const char* kPatientHeader =
    "patient_id,facility_id,mbi,last_name,first_name,middle_initial,birth_date,sex,address_line1,"
    "city,state,zip,admission_date,discharge_date,program,payer,diagnosis,plan_counseling_minutes\n";
inline const char* kServiceHeader =
    "record_id,facility_id,patient_id,service_date,service,quantity,modality,practitioner_npi,flags\n";

}  // namespace otp::fuzz
