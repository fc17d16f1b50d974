// Helpers for the nightly-pipeline billing tests (night_property_test, late_records_test): a
// temporary directory, writing input files, running RunNight with a fixed clock on the real
// file system, and reading the claim lines back from a ledger in a comparable form.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <unistd.h>

#include "night/night.h"
#include "night/exit_of.h"
#include "compliance/care_state.h"
#include "ledger/ledger.h"
#include "ledger/sqlite_db.h"
#include "model/date.h"
#include "platform/clock.h"
#include "platform/fs.h"

namespace otp::nighttest {

// A fresh directory, removed with everything in it at the end. Under /dev/shm when it exists
// (the ledger and the published files fsync on every night: a memory file system keeps the
// hundreds of nights of the property test fast), else under the system temp dir.
class TempDir {
 public:
  TempDir() {
    std::error_code ec;
    std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0
                                     ? std::filesystem::path("/dev/shm")
                                     : std::filesystem::temp_directory_path();
    std::string tmpl = (base / "otp-night-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    if (!p) {
      ADD_FAILURE() << "mkdtemp failed";
      std::abort();
    }
    path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline void WriteText(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  ASSERT_TRUE(f.good()) << path;
}

inline Date Day(const char* iso) { return *Date::Parse(iso); }

// One claim line in a form that does not depend on which night or claim carried it.
struct LineKey {
  std::string facility, patient, code, modifiers;
  std::string dos;
  int units = 0;
  int64_t charge_cents = 0;
  std::string sources;  // sorted source record ids, space-separated
  auto Tie() const { return std::tie(facility, patient, code, modifiers, dos, units, charge_cents, sources); }
  bool operator<(const LineKey& o) const { return Tie() < o.Tie(); }
  bool operator==(const LineKey& o) const { return Tie() == o.Tie(); }
};

inline std::ostream& operator<<(std::ostream& os, const LineKey& k) {
  return os << k.facility << "/" << k.patient << " " << k.code << (k.modifiers.empty() ? "" : "-" + k.modifiers)
            << " " << k.dos << " x" << k.units << " " << k.charge_cents << "c [" << k.sources << "]";
}

// Every claim line in the ledger at `db`, read through Ledger::ClaimsBetween.
inline std::vector<LineKey> LedgerLines(const std::string& db) {
  std::vector<LineKey> out;
  auto l = Ledger::Open(db);
  if (!l.ok()) {
    ADD_FAILURE() << "Ledger::Open: " << l.status().message();
    return out;
  }
  auto claims = l.value()->ClaimsBetween(Day("1990-01-01"), Day("2100-12-31"));
  if (!claims.ok()) {
    ADD_FAILURE() << "ClaimsBetween: " << claims.status().message();
    return out;
  }
  for (const auto& sc : claims.value()) {
    for (const auto& line : sc.claim.lines) {
      LineKey k;
      k.facility = sc.claim.facility_id;
      k.patient = sc.claim.patient_id;
      k.code = line.code;
      for (size_t i = 0; i < line.modifiers.size(); ++i) k.modifiers += (i ? ":" : "") + line.modifiers[i];
      k.dos = line.dos.Iso();
      k.units = line.units;
      k.charge_cents = line.charge.cents();
      std::vector<std::string> ids = line.source_record_ids;
      std::sort(ids.begin(), ids.end());
      for (size_t i = 0; i < ids.size(); ++i) k.sources += (i ? " " : "") + ids[i];
      out.push_back(std::move(k));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A single-valued query on the ledger (counts in tests). Returns -1 when the query yields no row.
inline int64_t QueryInt(const std::string& db, const std::string& sql_text) {
  auto d = sql::Db::Open(db, sql::OpenMode::kExisting);
  if (!d.ok()) {
    ADD_FAILURE() << d.status().message();
    return -1;
  }
  std::unique_ptr<sql::Db> owner = std::move(d.value());
  int64_t v = -1;
  {
    sql::Stmt s(*owner, sql_text);
    if (s.Step()) v = s.Int(0);
  }
  return v;
}

// Every row of a query, its columns joined with '|', sorted (whole-table comparisons in tests).
inline std::vector<std::string> QueryRows(const std::string& db, const std::string& sql_text, int columns) {
  std::vector<std::string> out;
  auto d = sql::Db::Open(db, sql::OpenMode::kExisting);
  if (!d.ok()) {
    ADD_FAILURE() << d.status().message();
    return out;
  }
  std::unique_ptr<sql::Db> owner = std::move(d.value());
  {
    sql::Stmt s(*owner, sql_text);
    while (s.Step()) {
      std::string row;
      for (int c = 0; c < columns; ++c) row += (c ? "|" : "") + (s.IsNull(c) ? std::string("NULL") : s.Text(c));
      out.push_back(std::move(row));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// (facility, record id, code) triples that feed more than one claim line; empty when CL-7 holds.
inline std::vector<std::string> DuplicateSources(const std::vector<LineKey>& lines) {
  std::map<std::string, int> seen;
  std::vector<std::string> dups;
  for (const auto& l : lines) {
    std::istringstream ids(l.sources);
    std::string id;
    while (ids >> id)
      if (++seen[l.facility + "|" + id + "|" + l.code] == 2) dups.push_back(l.facility + "|" + id + "|" + l.code);
  }
  return dups;
}

// Input files and a ledger in one temporary directory; Run() runs one night.
class NightFixture {
 public:
  explicit NightFixture(const TempDir& dir, std::string tag = "night")
      : dir_(dir), tag_(std::move(tag)) {}

  std::string config() const { return dir_ / (tag_ + "-facility.xml"); }
  std::string patients() const { return dir_ / (tag_ + "-patients.csv"); }
  std::string services() const { return dir_ / (tag_ + "-services.csv"); }
  std::string db() const { return dir_ / (tag_ + ".db"); }
  std::string out() const { return dir_ / (tag_ + "-out"); }

  void SetConfig(const std::string& xml) const { WriteText(config(), xml); }
  // Later nights read codes/ and templates/ from `dir` instead of the source tree's.
  void SetDataDir(const std::string& dir) { data_dir_ = dir; }
  void SetPatients(const std::string& csv) const { WriteText(patients(), csv); }
  void SetServices(const std::string& csv) const { WriteText(services(), csv); }

  // The first night makes the ledger first, as `otpbatch init` does.
  NightResult Run(Date as_of, bool dry_run = false) const {
    if (!std::filesystem::exists(db())) {
      auto made = Ledger::Create(db());
      if (!made.ok()) ADD_FAILURE() << made.status().message();
    }
    NightOptions o;
    o.config = config();
    o.patients = patients();
    o.services = services();
    o.as_of = as_of;
    o.db = db();
    o.out = out();
    o.data_dir = data_dir_;
    o.dry_run = dry_run;
    FixedClock clock(1767225600);  // 2026-01-01T00:00:00Z: envelopes only
    PosixFileSystem fs;
    return RunNight(o, clock, fs);
  }

  std::vector<LineKey> Lines() const { return LedgerLines(db()); }
  int64_t Count(const std::string& sql_text) const { return QueryInt(db(), sql_text); }
  std::vector<std::string> Rows(const std::string& sql_text, int columns) const {
    return QueryRows(db(), sql_text, columns);
  }
  // Each patient's care state as the ledger keeps it, decoded (compliance/care_state.h), by
  // patient id; a state that does not decode is a test failure.
  std::map<std::string, CareState> CareStates() const {
    std::map<std::string, CareState> out;
    auto l = Ledger::Open(db());
    if (!l.ok()) {
      ADD_FAILURE() << l.status().message();
      return out;
    }
    auto states = l.value()->PatientStates();
    if (!states.ok()) {
      ADD_FAILURE() << states.status().message();
      return out;
    }
    for (const auto& s : states.value()) {
      auto state = DecodeCareState(s.state);
      if (!state.ok()) ADD_FAILURE() << s.patient_id << ": " << state.status().message();
      else out.emplace(s.patient_id, state.value());
    }
    return out;
  }

 private:
  const TempDir& dir_;
  std::string tag_;
  std::string data_dir_ = OTP_SOURCE_DIR;
};

// A facility.xml with one facility whose credentials are current 2020…2030 (locality CA-18,
// episode cycle as given) and the header of patients.csv / services.csv.
inline std::string OneFacilityXml(const std::string& cycle = "patient", const std::string& locality = "CA-18") {
  return R"(<otpbatch version="1">
  <submitter name="TEST BILLING" id="SUB12345" contact="TEST CONTACT" phone="5555551234"/>
  <receiver name="MEDICARE JURISDICTION E" id="01112" usage="T"/>
  <facility id="HRC01" name="HARBOR RECOVERY CENTER" npi="1234567893" tin="123456789"
            taxonomy="261QM2800X" locality=")" + locality + R"(" episode-cycle=")" + cycle + R"(">
    <address line1="123 MAIN ST" city="LOS ANGELES" state="CA" zip="900011234"/>
    <payer name="MEDICARE JURISDICTION E" id="01112"/>
    <credential kind="samhsa-certification" status="full" number="CA-10001-M" effective="2020-01-01" expires="2030-12-31"/>
    <credential kind="accreditation" body="CARF" effective="2020-01-01" expires="2030-12-31"/>
    <credential kind="dea-registration" number="RH1234563" effective="2020-01-01" expires="2030-12-31"/>
    <credential kind="state-license" number="OTP-5521" effective="2020-01-01" expires="2030-12-31"/>
    <credential kind="medicare-enrollment" number="PTAN123" effective="2020-01-01"/>
    <charge code="G2075" amount="300.00"/>
  </facility>
</otpbatch>
)";
}

inline constexpr const char* kPatientsHeader =
    "patient_id,facility_id,mbi,last_name,first_name,middle_initial,birth_date,sex,address_line1,city,state,"
    "zip,admission_date,discharge_date,program,payer,diagnosis,plan_counseling_minutes\n";

// One Medicare patient P1 of HRC01 (fake MBI in CMS format).
inline std::string OnePatientCsv(const std::string& admission = "2026-01-05", int plan_minutes = 0) {
  return std::string(kPatientsHeader) + "P1,HRC01,1EG4TE5MK73,DOE,JANE,,1960-02-03,F,1 TEST ST,LOS ANGELES,CA,90001," +
         admission + ",,maintenance,medicare,F11.20," + std::to_string(plan_minutes) + "\n";
}

inline constexpr const char* kServicesHeader =
    "record_id,facility_id,patient_id,service_date,service,quantity,modality,practitioner_npi,flags\n";

// One services.csv row of P1 at HRC01.
inline std::string Row(const std::string& id, const std::string& date, const std::string& service,
                       const std::string& quantity = "1", const std::string& modality = "in_person",
                       const std::string& flags = "") {
  return id + ",HRC01,P1," + date + "," + service + "," + quantity + "," + modality + ",," + flags + "\n";
}

}  // namespace otp::nighttest
