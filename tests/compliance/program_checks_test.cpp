// PG-1, PG-2, the credential status rows and RT-1 on hand-made facilities and patients.
#include <gtest/gtest.h>

#include <map>

#include <climits>

#include "compliance/helpers.h"

namespace otp::testing {
namespace {

// The open facility with its state license replaced by one expiring 2026-06-30.
Facility WithStateLicense(std::vector<Credential> licenses) {
  Facility f = OpenFacility();
  std::erase_if(f.credentials, [](const Credential& c) { return c.kind == "state-license"; });
  for (auto& c : licenses) f.credentials.push_back(std::move(c));
  return f;
}

TEST(Credentials, PG1_OpenEndedCredentialsRaiseNothing) {
  EXPECT_TRUE(CheckProgram(OpenFacility(), D("2026-06-01"), Rules()).empty());
}

TEST(Credentials, PG1_WarningFrom90DaysViolationWhenLapsed) {
  const Facility f = WithStateLicense({Cred("state-license", "2025-07-01", "2026-06-30", "OTP-5521")});
  const Date expires = D("2026-06-30");
  // 91 days before expiry: nothing.
  EXPECT_TRUE(CheckProgram(f, expires - 91, Rules()).empty());
  // 90 days: warning dated the expiry day.
  auto w90 = Of(CheckProgram(f, expires - 90, Rules()), "PG-1");
  ASSERT_EQ(w90.size(), 1u);
  EXPECT_EQ(w90[0].severity, Severity::kWarning);
  EXPECT_EQ(w90[0].date, expires);
  EXPECT_EQ(w90[0].patient_id, "");
  EXPECT_EQ(w90[0].citation, "42 CFR 8.11; 21 U.S.C. 823(h); 42 CFR 410.67(c)");
  EXPECT_EQ(w90[0].key, "HRC01||PG-1|2026-06-30|state-license");
  EXPECT_EQ(w90[0].detail,
            "state-license OTP-5521 expires 2026-06-30 (in 90 days, warning at 90); renew it and "
            "record the renewal in facility.xml");
  // 0 days: expires today (inclusive), still a warning with the same key.
  auto w0 = Of(CheckProgram(f, expires, Rules()), "PG-1");
  ASSERT_EQ(w0.size(), 1u);
  EXPECT_EQ(w0[0].severity, Severity::kWarning);
  EXPECT_EQ(w0[0].key, w90[0].key);
  // -1 day: lapsed.
  auto v = Of(CheckProgram(f, expires + 1, Rules()), "PG-1");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].severity, Severity::kViolation);
  EXPECT_EQ(v[0].date, D("2026-07-01"));
  EXPECT_EQ(v[0].key, "HRC01||PG-1|2026-07-01|state-license");
  // A month later it is the same lapse.
  auto v2 = Of(CheckProgram(f, expires + 31, Rules()), "PG-1");
  ASSERT_EQ(v2.size(), 1u);
  EXPECT_EQ(v2[0].key, v[0].key);
}

TEST(Credentials, PG1_LatestCoveringCredentialOfAKindCounts) {
  // Two overlapping licenses: the later expiry decides.
  const Facility f = WithStateLicense({Cred("state-license", "2025-07-01", "2026-06-30", "OLD"),
                                       Cred("state-license", "2026-01-01", "2027-06-30", "NEW")});
  EXPECT_TRUE(CheckProgram(f, D("2026-06-01"), Rules()).empty());
  auto w = Of(CheckProgram(f, D("2027-04-01"), Rules()), "PG-1");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].date, D("2027-06-30"));
}

TEST(Credentials, PG1_RenewalStartingTheNextDayContinuesCoverage) {
  const Facility f = WithStateLicense({Cred("state-license", "2025-07-01", "2026-06-30", "OLD"),
                                       Cred("state-license", "2026-07-01", "2027-06-30", "NEW")});
  EXPECT_TRUE(CheckProgram(f, D("2026-06-15"), Rules()).empty());
  // A renewal that leaves a gap does not.
  const Facility gap = WithStateLicense({Cred("state-license", "2025-07-01", "2026-06-30", "OLD"),
                                         Cred("state-license", "2026-07-03", "2027-06-30", "NEW")});
  auto w = Of(CheckProgram(gap, D("2026-06-15"), Rules()), "PG-1");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].date, D("2026-06-30"));
  // In the gap itself: lapsed since 2026-07-01.
  auto v = Of(CheckProgram(gap, D("2026-07-02"), Rules()), "PG-1");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].severity, Severity::kViolation);
  EXPECT_EQ(v[0].date, D("2026-07-01"));
}

TEST(Credentials, PG1_MissingOrNotYetEffectiveKindIsAViolation) {
  Facility f = OpenFacility();
  std::erase_if(f.credentials, [](const Credential& c) { return c.kind == "dea-registration"; });
  auto v = Of(CheckProgram(f, D("2026-06-01"), Rules()), "PG-1");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].severity, Severity::kViolation);
  EXPECT_EQ(v[0].key, "HRC01||PG-1|dea-registration|missing");

  f.credentials.push_back(Cred("dea-registration", "2026-07-01", "2029-06-30"));
  auto n = Of(CheckProgram(f, D("2026-06-01"), Rules()), "PG-1");
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].severity, Severity::kViolation);
  EXPECT_EQ(n[0].key, "HRC01||PG-1|dea-registration|not-yet-effective");
}

TEST(Credentials, PG1_CredentialStatesForTheWorkbook) {
  Facility f = OpenFacility();
  f.credentials = {Cred("samhsa-certification", "2024-01-01", "2026-12-31", "CA-1", "full"),
                   Cred("accreditation", "2024-01-01", "2026-08-30", "ACC"),
                   Cred("dea-registration", "2024-01-01", "2026-05-31", "DEA"),
                   Cred("state-license", "2026-07-01", "2027-06-30", "LIC"),
                   Cred("medicare-enrollment", "2020-01-01", nullptr, "PTAN")};
  auto s = CredentialStates(f, D("2026-06-01"), Rules());
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].status, "current");
  EXPECT_EQ(s[0].days_to_expiry, 213);  // 2026-06-01 → 2026-12-31
  EXPECT_EQ(s[1].status, "expiring");
  EXPECT_EQ(s[1].days_to_expiry, 90);   // 2026-06-01 → 2026-08-30
  EXPECT_EQ(s[2].status, "lapsed");
  EXPECT_EQ(s[2].days_to_expiry, -1);
  EXPECT_EQ(s[3].status, "not-yet-effective");
  EXPECT_EQ(s[4].status, "current");
  EXPECT_EQ(s[4].days_to_expiry, INT_MAX);
  EXPECT_FALSE(s[4].expires.has_value());
  EXPECT_EQ(s[2].facility_id, "HRC01");
  EXPECT_EQ(s[2].kind, "dea-registration");
  EXPECT_EQ(s[2].number, "DEA");
}

TEST(Credentials, PG1_RenewalsSupersedeAndDoNotWarn) {
  Facility f = OpenFacility();
  std::erase_if(f.credentials, [](const Credential& c) { return c.kind == "dea-registration"; });
  f.credentials.push_back(Cred("dea-registration", "2023-04-01", "2026-03-31", "DEA-OLD"));
  f.credentials.push_back(Cred("dea-registration", "2026-04-01", "2029-03-31", "DEA-NEW"));
  f.credentials.push_back(Cred("dea-registration", "2029-04-01", "2032-03-31", "DEA-NEXT"));
  auto s = CredentialStates(f, D("2026-06-01"), Rules());
  std::map<std::string, std::string> by_number;
  for (const auto& x : s)
    if (x.kind == "dea-registration") by_number[x.number] = x.status;
  EXPECT_EQ(by_number["DEA-OLD"], "superseded");
  EXPECT_EQ(by_number["DEA-NEW"], "current");
  EXPECT_EQ(by_number["DEA-NEXT"], "renewal-on-file");
  // Near the end of DEA-NEW the next renewal is already on file: no warning.
  auto near = CredentialStates(f, D("2029-03-01"), Rules());
  for (const auto& x : near)
    if (x.number == "DEA-NEW") { EXPECT_EQ(x.status, "current"); }
  EXPECT_TRUE(Of(CheckProgram(f, D("2029-03-01"), Rules()), "PG-1").empty());
  // Without the renewal the same day is a warning.
  std::erase_if(f.credentials, [](const Credential& c) { return c.number == "DEA-NEXT"; });
  for (const auto& x : CredentialStates(f, D("2029-03-01"), Rules()))
    if (x.number == "DEA-NEW") { EXPECT_EQ(x.status, "expiring"); }
}

TEST(Credentials, PG2_ProvisionalCertificationOlderThanOneYear) {
  Facility f = OpenFacility();
  std::erase_if(f.credentials, [](const Credential& c) { return c.kind == "samhsa-certification"; });
  f.credentials.push_back(Cred("samhsa-certification", "2025-01-01", nullptr, "PROV-1", "provisional"));
  // The term is 365 days: 2025-01-01 … 2025-12-31. On 2026-01-01 the CL-2 gate holds billing,
  // and PG-2 is raised the same day (the two rules agree to the day).
  EXPECT_TRUE(Of(CheckProgram(f, D("2025-12-31"), Rules()), "PG-2").empty());
  auto v = Of(CheckProgram(f, D("2026-01-01"), Rules()), "PG-2");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].severity, Severity::kViolation);
  EXPECT_EQ(v[0].date, D("2026-01-01"));
  EXPECT_EQ(v[0].citation, "42 CFR 8.11(e)");
  EXPECT_EQ(v[0].key, "HRC01||PG-2|2026-01-01|PROV-1");

  // Leap year: 365 days from 2024-01-01 end on 2024-12-30; 2024-12-31 is outside the term.
  Facility leap = OpenFacility();
  std::erase_if(leap.credentials, [](const Credential& c) { return c.kind == "samhsa-certification"; });
  leap.credentials.push_back(Cred("samhsa-certification", "2024-01-01", nullptr, "P", "provisional"));
  EXPECT_TRUE(Of(CheckProgram(leap, D("2024-12-30"), Rules()), "PG-2").empty());
  EXPECT_EQ(Of(CheckProgram(leap, D("2024-12-31"), Rules()), "PG-2").size(), 1u);

  // Once full certification is in force the old provisional one no longer matters.
  f.credentials.push_back(Cred("samhsa-certification", "2025-12-01", nullptr, "FULL-1", "full"));
  EXPECT_TRUE(Of(CheckProgram(f, D("2026-01-02"), Rules()), "PG-2").empty());
}

TEST(Retention, RT1_CountsAdmissionsInPeriodRetained90Days) {
  const Date as_of = D("2026-06-30");
  std::vector<Patient> ps = {
      Pat("2026-01-01", Program::kMaintenance, "2026-03-31", "A"),  // day 90 at discharge: retained
      Pat("2026-01-01", Program::kMaintenance, "2026-03-30", "B"),  // day 89: not retained
      Pat("2026-02-15", Program::kMaintenance, nullptr, "C"),       // still in: retained
      Pat("2026-04-02", Program::kMaintenance, nullptr, "D"),       // day 90 on 2026-06-30: retained
      Pat("2026-04-03", Program::kMaintenance, nullptr, "E"),       // day 89 on as_of: undetermined, left out
      Pat("2026-05-01", Program::kMaintenance, "2026-05-20", "H"),  // left after 20 days: not retained
      Pat("2025-12-31", Program::kMaintenance, nullptr, "F"),       // before the period
      Pat("2026-07-01", Program::kMaintenance, nullptr, "G"),       // after the period
  };
  Retention r = RetentionMetric(ps, D("2026-01-01"), D("2026-06-30"), as_of, Rules());
  EXPECT_EQ(r.admissions, 5);  // A B C D H
  EXPECT_EQ(r.retained, 3);    // A C D

  Retention none = RetentionMetric({}, D("2026-01-01"), D("2026-06-30"), as_of, Rules());
  EXPECT_EQ(none.admissions, 0);
  EXPECT_EQ(none.retained, 0);
}

}  // namespace
}  // namespace otp::testing
