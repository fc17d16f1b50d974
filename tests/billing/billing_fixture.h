// Shared helpers for the billing tests: the real RuleBook from codes/, a facility with every
// credential current (locality "national", so charges are the national CY2026 sums), a
// Medicare patient, and a small builder for service rows.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <ostream>
#include <string>
#include <vector>

#include "billing/engine.h"
#include "model/types.h"
#include "rules/rulebook.h"

namespace otp {
// Readable dates and amounts in assertion failures.
inline void PrintTo(const Date& d, std::ostream* os) { *os << d.Iso(); }
inline void PrintTo(const Money& m, std::ostream* os) { *os << m.ToString(); }
}  // namespace otp

namespace otp::testing {

inline const RuleBook& Rules() {
  static const RuleBook* rb = [] {
    auto r = RuleBook::Load(OTP_SOURCE_DIR "/codes");
    if (!r.ok()) {
      ADD_FAILURE() << "RuleBook::Load: " << r.status().message();
      std::abort();
    }
    return new RuleBook(std::move(r).value());
  }();
  return *rb;
}

inline Date D(const char* iso) { return *Date::Parse(iso); }
inline Money M(const char* text) { return *Money::Parse(text); }

inline Credential Cred(const char* kind, const char* from, const char* to = nullptr,
                       const char* status = "") {
  Credential c;
  c.kind = kind;
  c.status = status;
  c.effective = D(from);
  if (to) c.expires = D(to);
  return c;
}

class BillingTest : public ::testing::Test {
 protected:
  BillingTest() {
    facility.id = "HRC01";
    facility.npi = "1234567893";
    facility.locality = "national";
    facility.credentials = {
        Cred("samhsa-certification", "2020-01-01", "2030-12-31", "full"),
        Cred("accreditation", "2020-01-01", "2030-12-31"),
        Cred("dea-registration", "2020-01-01", "2030-12-31"),
        Cred("state-license", "2020-01-01", "2030-12-31"),
        Cred("medicare-enrollment", "2020-01-01"),
    };
    patient.patient_id = "P1";
    patient.facility_id = "HRC01";
    patient.admission_date = D("2025-12-01");
    patient.payer = Payer::kMedicare;
    patient.diagnosis = "F1120";
  }

  // Adds a service row; record ids are R1, R2, … in the order added unless given.
  ServiceRecord& Add(const char* date, Service s, double quantity = 1,
                     Modality modality = Modality::kInPerson, std::string id = "") {
    ServiceRecord r;
    r.record_id = id.empty() ? "R" + std::to_string(rows.size() + 1) : id;
    r.facility_id = facility.id;
    r.patient_id = patient.patient_id;
    r.service_date = D(date);
    r.service = s;
    r.quantity = quantity;
    r.modality = modality;
    rows.push_back(r);
    return rows.back();
  }

  BillingResult Bill(const char* as_of) {
    BillingInput in;
    in.facility = &facility;
    in.patient = &patient;
    for (const auto& r : rows) in.records.push_back(&r);
    in.awaiting.assign(awaiting.begin(), awaiting.end());
    in.awaiting.resize(rows.size(), 0);
    in.history = history;
    in.as_of = D(as_of);
    BillingResult res = BillPatient(in, Rules());
    EXPECT_EQ(res.outcomes.size(), rows.size());
    return res;
  }

  // The lines with this code.
  static std::vector<ClaimLine> Lines(const BillingResult& r, const std::string& code) {
    std::vector<ClaimLine> out;
    for (const auto& l : r.lines)
      if (l.code == code) out.push_back(l);
    return out;
  }
  static const Hold* FindHold(const BillingResult& r, const std::string& reason) {
    for (const auto& h : r.holds)
      if (h.reason == reason) return &h;
    return nullptr;
  }
  static int CountFindings(const BillingResult& r, const std::string& rule) {
    return static_cast<int>(std::count_if(r.findings.begin(), r.findings.end(),
                                          [&](const Finding& f) { return f.rule_id == rule; }));
  }
  // The starts of the episodes decided.
  static std::vector<Date> Starts(const BillingResult& r) {
    std::vector<Date> s;
    for (const auto& e : r.episodes) s.push_back(e.start);
    return s;
  }
  // A week decided on an earlier night (as HistoryBook reads it from the ledger): the history
  // holds the episode and its end is the latest decided.
  void Decided(const char* start, const std::string& status = "billed") {
    const Date s = D(start);
    history.episodes.push_back({facility.id, patient.patient_id, s, s + 6, status == "billed" ? "G2067" : "",
                                status, status == "held" ? "no-oud-diagnosis" : "", s});
    if (!history.last_episode_end || *history.last_episode_end < s + 6) history.last_episode_end = s + 6;
  }
  // Outcome of the row with this record id.
  RowOutcome OutcomeOf(const BillingResult& r, const std::string& id) const {
    for (size_t i = 0; i < rows.size(); ++i)
      if (rows[i].record_id == id) return r.outcomes[i];
    ADD_FAILURE() << "no row " << id;
    return {};
  }

  Facility facility;
  Patient patient;
  std::deque<ServiceRecord> rows;  // deque: stable addresses while adding
  PatientHistory history;
  std::vector<char> awaiting;  // parallel to rows: kept open awaiting later weeks (TH-1)
};

using SV = Service;

}  // namespace otp::testing
