// Hand-made facilities, patients and rows for the compliance tests, and the real RuleBook
// loaded once from codes/.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <deque>
#include <iostream>
#include <string>
#include <vector>

#include "compliance/checks.h"
#include "model/types.h"
#include "rules/rulebook.h"

namespace otp::testing {

inline const RuleBook& Rules() {
  static const RuleBook* book = [] {
    auto r = RuleBook::Load(std::string(OTP_SOURCE_DIR) + "/codes");
    if (!r.ok()) {
      std::cerr << "RuleBook::Load failed: " << r.status().message() << "\n";
      std::abort();
    }
    return new RuleBook(std::move(r).value());
  }();
  return *book;
}

inline Date D(const char* iso) {
  auto d = Date::Parse(iso);
  if (!d) {
    std::cerr << "bad test date " << iso << "\n";
    std::abort();
  }
  return *d;
}

inline Credential Cred(const std::string& kind, const char* effective, const char* expires = nullptr,
                       const std::string& number = "N1", const std::string& status = "") {
  Credential c;
  c.kind = kind;
  c.number = number;
  c.status = status;
  c.effective = D(effective);
  if (expires) c.expires = D(expires);
  return c;
}

// A facility whose five credentials are all open-ended from 2020-01-01.
inline Facility OpenFacility() {
  Facility f;
  f.id = "HRC01";
  f.credentials = {Cred("samhsa-certification", "2020-01-01", nullptr, "CA-10001-M", "full"),
                   Cred("accreditation", "2020-01-01"), Cred("dea-registration", "2020-01-01"),
                   Cred("state-license", "2020-01-01"), Cred("medicare-enrollment", "2020-01-01")};
  return f;
}

inline Patient Pat(const char* admission, Program program = Program::kMaintenance,
                   const char* discharge = nullptr, const std::string& id = "P1") {
  Patient p;
  p.patient_id = id;
  p.facility_id = "HRC01";
  p.admission_date = D(admission);
  if (discharge) p.discharge_date = D(discharge);
  p.program = program;
  return p;
}

// Owns service rows and hands out the pointer list CheckPatient takes.
class Rows {
 public:
  Rows& Add(const char* date, Service s, double quantity = 1, unsigned flags = 0) {
    ServiceRecord r;
    r.record_id = "R" + std::to_string(store_.size() + 1);
    r.facility_id = "HRC01";
    r.patient_id = "P1";
    r.service_date = D(date);
    r.service = s;
    r.quantity = quantity;
    r.flags = flags;
    store_.push_back(r);
    return *this;
  }
  Rows& Add(Date date, Service s, double quantity = 1, unsigned flags = 0) {
    return Add(date.Iso().c_str(), s, quantity, flags);
  }
  std::vector<const ServiceRecord*> Ptrs() const {
    std::vector<const ServiceRecord*> v;
    for (const auto& r : store_) v.push_back(&r);
    return v;
  }

 private:
  std::deque<ServiceRecord> store_;
};

inline std::vector<Finding> Of(const std::vector<Finding>& all, const std::string& rule) {
  std::vector<Finding> v;
  for (const auto& f : all)
    if (f.rule_id == rule) v.push_back(f);
  return v;
}

inline std::vector<Finding> Check(const Patient& p, const Rows& rows, const char* as_of,
                                const std::string& rule) {
  return Of(CheckPatient(OpenFacility(), p, rows.Ptrs(), D(as_of), Rules()), rule);
}

}  // namespace otp::testing
