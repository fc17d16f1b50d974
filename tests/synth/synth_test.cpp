// Tests for the synthesizer (interface.md §2 `otpbatch synth`): determinism, well-formed
// identifiers, the vocabulary, the period, realistic proportions, and that the project's own
// readers accept every row it writes.
#include "synth/synth.h"
#include "codes_bounds.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "input/facility_reader.h"
#include "input/records_reader.h"
#include "input/reporter.h"
#include "model/service.h"
#include "synth/prng.h"

namespace otp {
namespace {

SynthOptions Opts(int patients, int days, const char* start, uint64_t seed) {
  SynthOptions o;
  o.patients = patients;
  o.days = days;
  o.start = *Date::Parse(start);
  o.seed = seed;
  return o;
}

// A plain RFC 4180 splitter, independent of src/input, for looking at the files.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') { field.push_back('"'); ++i; }
      else if (c == '"') quoted = false;
      else field.push_back(c);
    } else if (c == '"') {
      quoted = true; any = true;
    } else if (c == ',') {
      row.push_back(field); field.clear(); any = true;
    } else if (c == '\n') {
      row.push_back(field); field.clear();
      rows.push_back(row); row.clear(); any = false;
    } else if (c != '\r') {
      field.push_back(c); any = true;
    }
  }
  if (any) { row.push_back(field); rows.push_back(row); }
  return rows;
}

// Rows as maps from header name to value.
std::vector<std::map<std::string, std::string>> Records(const std::string& text) {
  auto rows = ParseCsv(text);
  std::vector<std::map<std::string, std::string>> out;
  if (rows.empty()) return out;
  for (size_t r = 1; r < rows.size(); ++r) {
    EXPECT_EQ(rows[r].size(), rows[0].size()) << "row " << r << " has the wrong column count";
    std::map<std::string, std::string> m;
    for (size_t c = 0; c < rows[0].size() && c < rows[r].size(); ++c) m[rows[0][c]] = rows[r][c];
    out.push_back(std::move(m));
  }
  return out;
}

// All values of attribute `attr` in the XML text.
std::vector<std::string> XmlAttrs(const std::string& xml, const std::string& attr) {
  std::vector<std::string> out;
  std::regex re("\\s" + attr + "=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

// NPI Luhn check written out here, independently of the generator and of src/input.
bool LuhnNpi(const std::string& npi) {
  if (npi.size() != 10 || !std::all_of(npi.begin(), npi.end(), ::isdigit)) return false;
  std::string full = "80840" + npi;
  int sum = 0;
  bool dbl = false;
  for (size_t i = full.size(); i-- > 0;) {
    int d = full[i] - '0';
    if (dbl) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

// The 0-based index of a synthetic patient id "P000006" (5), and whether its plan has `b`.
int IndexOf(const std::string& patient_id) { return std::stoi(patient_id.substr(1)) - 1; }
bool Breaks(const std::string& patient_id, SynthBreak b) {
  auto v = SynthBreaksOf(IndexOf(patient_id));
  return std::find(v.begin(), v.end(), b) != v.end();
}

const std::regex kMbi("^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y]{2}[0-9]{2}$");

TEST(SynthPrng, SameSeedSameStreamAndStreamsDiffer) {
  synth::Rng a(42, 3), b(42, 3), c(42, 4), d(43, 3);
  uint64_t a1 = a.Next();
  EXPECT_EQ(a1, b.Next());
  EXPECT_NE(a1, c.Next());
  EXPECT_NE(a1, d.Next());
  for (int i = 0; i < 1000; ++i) {
    int v = a.Between(3, 5);
    EXPECT_GE(v, 3);
    EXPECT_LE(v, 5);
  }
}

TEST(SynthHelpers, LuhnCheckOfTheTestItselfIsRight) {
  // 1234567893 is CMS's published example of a valid NPI; changing the last digit breaks it.
  EXPECT_TRUE(LuhnNpi("1234567893"));
  EXPECT_FALSE(LuhnNpi("1234567894"));
  EXPECT_TRUE(std::regex_match("1EG4TE5MK73", kMbi));   // CMS's example MBI
  EXPECT_FALSE(std::regex_match("1EG4TE5MK7S", kMbi));
  EXPECT_FALSE(std::regex_match("0EG4TE5MK73", kMbi));
  EXPECT_FALSE(std::regex_match("1SG4TE5MK73", kMbi));
}

TEST(Synth, SameSeedGivesIdenticalBytes) {
  SynthOptions o = Opts(80, 30, "2026-01-05", 7);
  SynthFiles a = Synthesize(o), b = Synthesize(o);
  EXPECT_EQ(a.facility_xml, b.facility_xml);
  EXPECT_EQ(a.patients_csv, b.patients_csv);
  EXPECT_EQ(a.services_csv, b.services_csv);
  EXPECT_EQ(a.service_rows, b.service_rows);
  EXPECT_GT(a.service_rows, 0);
}

TEST(Synth, StreamingWritesTheSameBytes) {
  SynthOptions o = Opts(50, 21, "2025-03-01", 11);
  SynthFiles a = Synthesize(o);
  std::ostringstream fx, pc, sc;
  int64_t rows = SynthesizeTo(o, fx, pc, sc);
  EXPECT_EQ(rows, a.service_rows);
  EXPECT_EQ(fx.str(), a.facility_xml);
  EXPECT_EQ(pc.str(), a.patients_csv);
  EXPECT_EQ(sc.str(), a.services_csv);
}

TEST(Synth, DifferentSeedGivesDifferentFiles) {
  SynthFiles a = Synthesize(Opts(80, 30, "2026-01-05", 7));
  SynthFiles b = Synthesize(Opts(80, 30, "2026-01-05", 8));
  EXPECT_NE(a.facility_xml, b.facility_xml);
  EXPECT_NE(a.patients_csv, b.patients_csv);
  EXPECT_NE(a.services_csv, b.services_csv);
}

TEST(Synth, FacilityCountFollowsPatients) {
  EXPECT_EQ(SynthFacilityCount(Opts(10, 5, "2026-01-01", 1)), 1);
  EXPECT_EQ(SynthFacilityCount(Opts(49, 5, "2026-01-01", 1)), 1);
  EXPECT_EQ(SynthFacilityCount(Opts(50, 5, "2026-01-01", 1)), 2);    // at least 2 from 50
  EXPECT_EQ(SynthFacilityCount(Opts(800, 5, "2026-01-01", 1)), 2);
  EXPECT_EQ(SynthFacilityCount(Opts(801, 5, "2026-01-01", 1)), 3);   // 1 per ~400
  EXPECT_EQ(SynthFacilityCount(Opts(30000, 5, "2026-01-01", 1)), 50);  // 75, capped
  SynthOptions o = Opts(10, 5, "2026-01-01", 1);
  o.facilities = 4;
  EXPECT_EQ(SynthFacilityCount(o), 4);
  SynthFiles f = Synthesize(o);
  EXPECT_EQ(XmlAttrs(f.facility_xml, "taxonomy").size(), 4u);
}

TEST(Synth, ValidateOptionsRejectsOutOfRange) {
  EXPECT_TRUE(ValidateSynthOptions(Opts(60, 70, "2026-09-01", 42)).ok());
  EXPECT_FALSE(ValidateSynthOptions(Opts(-1, 70, "2026-09-01", 42)).ok());
  EXPECT_FALSE(ValidateSynthOptions(Opts(60, 4000, "2026-09-01", 42)).ok());
  EXPECT_FALSE(ValidateSynthOptions(Opts(60, 70, "1950-01-01", 42)).ok());
  SynthOptions o = Opts(60, 70, "2026-09-01", 42);
  o.facilities = 51;
  EXPECT_EQ(ValidateSynthOptions(o).code(), StatusCode::kInvalidArgument);
}

TEST(Synth, FacilityFileHasValidIdentifiersAndCredentialsOverThePeriod) {
  SynthFiles f = Synthesize(Opts(900, 70, "2026-09-01", 42));  // 3 facilities
  const auto npis = XmlAttrs(f.facility_xml, "npi");
  ASSERT_GE(npis.size(), 3u * 4u);  // each facility's NPI and at least three practitioners
  for (const auto& npi : npis) EXPECT_TRUE(LuhnNpi(npi)) << npi;
  for (const auto& tin : XmlAttrs(f.facility_xml, "tin")) EXPECT_TRUE(std::regex_match(tin, std::regex("[0-9]{9}")));
  for (const auto& zip : XmlAttrs(f.facility_xml, "zip")) EXPECT_TRUE(std::regex_match(zip, std::regex("[0-9]{9}")));
  for (const auto& loc : XmlAttrs(f.facility_xml, "locality"))
    EXPECT_TRUE(loc == "national" || std::regex_match(loc, std::regex("[A-Z]{2}-[0-9]{2}"))) << loc;
  for (const auto& t : XmlAttrs(f.facility_xml, "taxonomy")) EXPECT_EQ(t, "261QM2800X");
  // Credentials: 2026-09-01 - 400 days = 2025-07-28; + 70 + 365 days = 2027-11-10.
  const auto eff = XmlAttrs(f.facility_xml, "effective");
  const auto exp = XmlAttrs(f.facility_xml, "expires");
  EXPECT_EQ(eff.size(), 3u * 5u);
  EXPECT_EQ(exp.size(), 3u * 5u);
  for (const auto& e : eff) EXPECT_EQ(e, "2025-07-28");
  for (const auto& e : exp) EXPECT_EQ(e, "2027-11-10");
  for (const auto& k : {"samhsa-certification", "accreditation", "dea-registration", "state-license",
                        "medicare-enrollment"}) {
    auto kinds = XmlAttrs(f.facility_xml, "kind");
    EXPECT_EQ(std::count(kinds.begin(), kinds.end(), k), 3) << k;
  }
  auto status = XmlAttrs(f.facility_xml, "status");
  EXPECT_EQ(std::count(status.begin(), status.end(), "full"), 3);
  EXPECT_NE(f.facility_xml.find("<charge code=\"G2075\" amount=\"300.00\"/>"), std::string::npos);
  EXPECT_NE(f.facility_xml.find("usage=\"T\""), std::string::npos);
}

TEST(Synth, PatientsHaveValidMbisAndRealisticMix) {
  const int n = 2000;
  SynthFiles f = Synthesize(Opts(n, 30, "2026-01-05", 3));
  auto pats = Records(f.patients_csv);
  ASSERT_EQ(pats.size(), static_cast<size_t>(n));
  const std::vector<std::string> columns = {
      "patient_id", "facility_id", "mbi", "last_name", "first_name", "middle_initial", "birth_date",
      "sex", "address_line1", "city", "state", "zip", "admission_date", "discharge_date", "program",
      "payer", "diagnosis", "plan_counseling_minutes"};
  for (const auto& c : columns) EXPECT_EQ(pats[0].count(c), 1u) << c;
  std::map<std::string, int> payer, program, dx;
  std::set<std::string> ids;
  for (auto& p : pats) {
    ++payer[p["payer"]];
    ++program[p["program"]];
    ++dx[p["diagnosis"]];
    EXPECT_TRUE(ids.insert(p["patient_id"]).second);
    if (p["payer"] == "medicare" || p["payer"] == "medicare_advantage") {
      EXPECT_TRUE(std::regex_match(p["mbi"], kMbi)) << "patient " << p["patient_id"];
    }
    EXPECT_TRUE(Date::Parse(p["birth_date"]).has_value());
    EXPECT_TRUE(Date::Parse(p["admission_date"]).has_value());
    if (!p["discharge_date"].empty()) {
      EXPECT_GE(*Date::Parse(p["discharge_date"]), *Date::Parse(p["admission_date"]));
    }
    EXPECT_TRUE(p["sex"] == "M" || p["sex"] == "F");
    const std::string& m = p["plan_counseling_minutes"];
    EXPECT_TRUE(m == "0" || m == "30" || m == "60");
  }
  EXPECT_GT(payer["medicare"], n * 85 / 100);
  EXPECT_LT(payer["medicare"], n * 95 / 100);
  EXPECT_GT(payer["medicare_advantage"], 0);
  EXPECT_GT(payer["medicaid"], 0);
  EXPECT_GT(payer["commercial"], 0);
  EXPECT_GT(program["maintenance"], n * 80 / 100);
  EXPECT_GT(program["withdrawal"], 0);
  EXPECT_GT(program["interim"], 0);
  EXPECT_GT(dx["F11.20"], n * 70 / 100);
  EXPECT_GT(dx["F1120"], 0);
  EXPECT_GT(dx["F11.21"], 0);
  EXPECT_LT(dx["F10.20"], n * 3 / 100);
  // Some addresses hold a comma and must have been quoted (RFC 4180).
  EXPECT_NE(f.patients_csv.find("\"" ), std::string::npos);
}

TEST(Synth, ServicesUseTheVocabularyStayInThePeriodAndAreOrdered) {
  const int patients = 200, days = 90;
  SynthOptions o = Opts(patients, days, "2026-03-02", 5);
  SynthFiles f = Synthesize(o);
  auto rows = Records(f.services_csv);
  ASSERT_EQ(static_cast<int64_t>(rows.size()), f.service_rows);
  // Roughly 0.5–1.3 rows per patient-day: daily dosing, take-homes, counseling, tests.
  EXPECT_GT(f.service_rows, patients * days / 2);
  EXPECT_LT(f.service_rows, patients * days * 13 / 10);

  const Date first = o.start, last = o.start + (days - 1);
  std::set<std::string> record_ids;
  std::map<std::string, std::string> last_id_of_facility;
  std::set<std::string> services_seen;
  Date prev = first;
  for (auto& r : rows) {
    auto svc = ParseService(r["service"]);
    ASSERT_TRUE(svc.has_value()) << r["service"];
    services_seen.insert(r["service"]);
    EXPECT_TRUE(ParseModality(r["modality"]).has_value()) << r["modality"];
    auto d = Date::Parse(r["service_date"]);
    ASSERT_TRUE(d.has_value());
    EXPECT_GE(*d, first);
    EXPECT_LE(*d, last);
    EXPECT_GE(*d, prev) << "rows are not in date order";
    prev = *d;
    EXPECT_TRUE(record_ids.insert(r["record_id"]).second) << r["record_id"];
    EXPECT_LE(r["record_id"].size(), 64u);
    EXPECT_EQ(r["record_id"].rfind(r["facility_id"] + "-", 0), 0u);
    EXPECT_GT(r["record_id"], last_id_of_facility[r["facility_id"]]);
    last_id_of_facility[r["facility_id"]] = r["record_id"];
    const std::string& q = r["quantity"];
    EXPECT_TRUE(!q.empty() && q[0] != '0' && std::all_of(q.begin(), q.end(), ::isdigit)) << q;
    if (!r["practitioner_npi"].empty()) {
      EXPECT_TRUE(LuhnNpi(r["practitioner_npi"]));
    }
    if (!r["flags"].empty()) {
      EXPECT_TRUE(r["flags"] == "dose_justified" || r["flags"] == "medically_necessary") << r["flags"];
    }
  }
  for (const char* s : {"methadone_dose", "methadone_takehome", "buprenorphine_oral_dose",
                        "counseling_individual", "counseling_group", "toxicology_test", "intake",
                        "physical_exam", "psychosocial_assessment", "care_plan", "periodic_assessment"})
    EXPECT_EQ(services_seen.count(s), 1u) << s << " never generated";
}

TEST(Synth, MedicationMixDosesAndTakeHomesAreRealistic) {
  SynthFiles f = Synthesize(Opts(1500, 60, "2026-01-05", 9));
  auto rows = Records(f.services_csv);
  auto pats = Records(f.patients_csv);
  std::map<std::string, Date> admission;
  for (auto& p : pats) admission[p["facility_id"] + "/" + p["patient_id"]] = *Date::Parse(p["admission_date"]);

  std::map<std::string, std::string> drug_of;  // patient → first on-site medication seen
  int first_days = 0, first_days_within_50 = 0;
  for (auto& r : rows) {
    const std::string key = r["facility_id"] + "/" + r["patient_id"];
    const std::string& s = r["service"];
    const int q = std::stoi(r["quantity"]);
    const Date d = *Date::Parse(r["service_date"]);
    if (s == "methadone_dose") {
      EXPECT_GE(q, 30);
      EXPECT_LE(q, 120);
      if (d == admission[key] && !Breaks(r["patient_id"], SynthBreak::kHighFirstDose)) {
        ++first_days;
        if (q <= 50) ++first_days_within_50;
        else EXPECT_TRUE(q <= 55 || r["flags"] == "dose_justified") << q;
      }
    }
    if (s == "methadone_takehome" || s == "buprenorphine_takehome") {
      EXPECT_GE(q, 1);
      EXPECT_LE(q, 13);
      // PA-5 ladder: at most 7 days in days 1–14, 14 from day 15 (except the planned break).
      const int tday = d - admission[key] + 1;
      if (s == "methadone_takehome" && tday <= 14 && !Breaks(r["patient_id"], SynthBreak::kTakeHomeAboveLadder)) {
        EXPECT_LE(q, 7);
      }
      if (s == "methadone_takehome" && tday <= 30) {
        EXPECT_LE(q, 14);
      }
    }
    if (s == "counseling_individual" || s == "counseling_group") {
      EXPECT_GE(q, 30);
      EXPECT_LE(q, 90);
    }
    if (drug_of.count(key) == 0 && (s == "methadone_dose" || s == "buprenorphine_oral_dose" ||
                                    s.rfind("buprenorphine_injection", 0) == 0 ||
                                    s.rfind("buprenorphine_implant", 0) == 0 || s == "naltrexone_injection"))
      drug_of[key] = s;
  }
  ASSERT_GT(first_days, 20);
  EXPECT_GT(first_days_within_50 * 100, first_days * 90);  // "first day ≤ 50 mostly"
  std::map<std::string, int> mix;
  for (auto& [k, s] : drug_of) ++mix[s];
  const int total = static_cast<int>(drug_of.size());
  EXPECT_GT(mix["methadone_dose"] * 100, total * 60);
  EXPECT_LT(mix["methadone_dose"] * 100, total * 82);
  EXPECT_GT(mix["buprenorphine_oral_dose"] * 100, total * 12);
  EXPECT_GT(mix["buprenorphine_injection_monthly"] + mix["buprenorphine_injection_weekly"], 0);
}

TEST(Synth, EmptyPeriodAndNoPatientsStillWriteHeaders) {
  SynthFiles f = Synthesize(Opts(0, 0, "2026-01-05", 1));
  EXPECT_EQ(f.service_rows, 0);
  EXPECT_EQ(f.services_csv,
            "record_id,facility_id,patient_id,service_date,service,quantity,modality,practitioner_npi,flags\n");
  EXPECT_EQ(ParseCsv(f.patients_csv).size(), 1u);
  EXPECT_EQ(XmlAttrs(f.facility_xml, "taxonomy").size(), 1u);
}

// The project's readers (src/input) accept all three files: no reject, no warning.
void ExpectReadersAcceptAll(const SynthFiles& f, size_t patients, size_t facilities, Date start, int days) {
  auto cfg = ReadFacilityXml("facility.xml", f.facility_xml, {});
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->facilities.size(), facilities);
  for (const auto& fac : cfg->facilities) {
    EXPECT_GE(fac.practitioners.size(), 3u);
    EXPECT_EQ(fac.credentials.size(), 5u);
    for (const auto& c : fac.credentials) {
      EXPECT_TRUE(c.Covers(start)) << c.kind;
      EXPECT_TRUE(c.Covers(start + (days + 364))) << c.kind;  // a year after the period
    }
  }
  CollectingReporter rep;
  auto pats = ReadPatients("patients.csv", f.patients_csv, *cfg, rep);
  ASSERT_TRUE(pats.ok()) << pats.status().message();
  EXPECT_EQ(pats->patients.size(), patients);
  auto svcs = ReadServices("services.csv", f.services_csv, *cfg, CodesBounds(), *pats, rep);
  ASSERT_TRUE(svcs.ok()) << svcs.status().message();
  EXPECT_EQ(static_cast<int64_t>(svcs->records.size()), f.service_rows);
  EXPECT_EQ(svcs->duplicates_identical, 0);
  EXPECT_TRUE(rep.rejects.empty());
  for (const auto& r : rep.rejects) ADD_FAILURE() << r.file << ":" << r.line << " " << r.column << ": " << r.reason;
  for (const auto& w : rep.warnings) ADD_FAILURE() << w;
}

TEST(Synth, ProjectReadersAcceptEveryRow) {
  SynthOptions o = Opts(500, 45, "2026-02-02", 21);
  ExpectReadersAcceptAll(Synthesize(o), 500, 2, o.start, o.days);
}

// ---- deliberate rule breaks (SynthBreak) --------------------------------------------------------
TEST(SynthBreaks, OnePatientInSixteenBreaksTwoRulesInTurn) {
  using B = SynthBreak;
  EXPECT_TRUE(SynthBreaksOf(0).empty());
  EXPECT_TRUE(SynthBreaksOf(4).empty());
  EXPECT_TRUE(SynthBreaksOf(6).empty());
  EXPECT_EQ(SynthBreaksOf(5), (std::vector<B>{B::kLateExam, B::kLatePsychosocial}));
  EXPECT_EQ(SynthBreaksOf(21), (std::vector<B>{B::kHighFirstDose, B::kRepeatIntake}));
  EXPECT_EQ(SynthBreaksOf(37), (std::vector<B>{B::kTakeHomeAboveLadder, B::kNaloxoneRepeat}));
  EXPECT_EQ(SynthBreaksOf(53), (std::vector<B>{B::kNonOudDiagnosis, B::kLateExam}));
  EXPECT_EQ(SynthBreaksOf(69), (std::vector<B>{B::kLatePsychosocial, B::kHighFirstDose}));
  EXPECT_TRUE(SynthBreaksOf(-11).empty());
}

// What one patient's rows show, read back from the files (independently of the generator).
struct PatientFacts {
  std::map<std::string, std::string> row;  // patients.csv
  Date admission;
  std::vector<Date> exams, psychosocial, care_plans, intakes;
  int first_methadone_mg = 0;
  std::string first_methadone_flags;
  int ladder_excess = 0;                 // methadone take-homes above 7 days in days 1–14
  int unflagged_naloxone_repeats = 0;    // a naloxone row within 30 days of the last, no flag
};

std::map<std::string, PatientFacts> Facts(const SynthFiles& f) {
  std::map<std::string, PatientFacts> out;
  for (auto& p : Records(f.patients_csv)) {
    auto& x = out[p["patient_id"]];
    x.row = p;
    x.admission = *Date::Parse(p["admission_date"]);
  }
  std::map<std::string, Date> last_naloxone;
  for (auto& r : Records(f.services_csv)) {
    auto& x = out[r["patient_id"]];
    const Date d = *Date::Parse(r["service_date"]);
    const std::string& s = r["service"];
    if (s == "physical_exam") x.exams.push_back(d);
    if (s == "psychosocial_assessment") x.psychosocial.push_back(d);
    if (s == "care_plan") x.care_plans.push_back(d);
    if (s == "intake") x.intakes.push_back(d);
    if (s == "methadone_dose" && d == x.admission) {
      x.first_methadone_mg = std::stoi(r["quantity"]);
      x.first_methadone_flags = r["flags"];
    }
    if (s == "methadone_takehome" && d - x.admission + 1 <= 14 && std::stoi(r["quantity"]) > 7) ++x.ladder_excess;
    if (s.rfind("naloxone_", 0) == 0) {
      auto it = last_naloxone.find(r["patient_id"]);
      if (it != last_naloxone.end() && d - it->second < 30 && r["flags"] != "medically_necessary")
        ++x.unflagged_naloxone_repeats;
      last_naloxone[r["patient_id"]] = d;
    }
  }
  return out;
}

bool AnyWithin(const std::vector<Date>& dates, Date from, Date to) {
  return std::any_of(dates.begin(), dates.end(), [&](Date d) { return d >= from && d <= to; });
}

// 160 patients: breakers are indices 5, 21, …, 149 (10 of them), every kind at least twice.
TEST(SynthBreaks, PA1_PA2_PA5_PA6_AD1_AD4_CL3_EachPlannedBreakHappens) {
  SynthOptions o = Opts(160, 70, "2026-09-01", 7);
  SynthFiles f = Synthesize(o);
  auto facts = Facts(f);
  ASSERT_EQ(facts.size(), 160u);
  std::map<SynthBreak, int> seen;
  int breakers = 0;
  for (auto& [id, x] : facts) {
    const auto plan = SynthBreaksOf(IndexOf(id));
    if (plan.empty()) continue;
    ++breakers;
    // Admitted inside the period, at least 21 days before its end (day 70 = 2026-11-09);
    // Medicare, methadone (the first visit is a methadone dose).
    EXPECT_GE(x.admission, o.start) << id;
    EXPECT_LE(x.admission, o.start + (70 - 21)) << id;  // 49 days + a Sunday shift
    EXPECT_EQ(x.row["payer"], "medicare") << id;
    EXPECT_GT(x.first_methadone_mg, 0) << id;
    const Date due = x.admission + 14;  // "within 14 days following admission": on or before admission + 14
    for (SynthBreak b : plan) {
      ++seen[b];
      switch (b) {
        case SynthBreak::kLateExam:  // PA-1
          EXPECT_FALSE(AnyWithin(x.exams, x.admission, due)) << id;
          break;
        case SynthBreak::kLatePsychosocial:  // PA-2, both parts
          EXPECT_FALSE(AnyWithin(x.psychosocial, x.admission, due)) << id;
          EXPECT_FALSE(AnyWithin(x.care_plans, x.admission, due)) << id;
          break;
        case SynthBreak::kHighFirstDose:  // PA-6
          EXPECT_EQ(x.first_methadone_mg, 55) << id;
          EXPECT_EQ(x.first_methadone_flags, "") << id;
          break;
        case SynthBreak::kRepeatIntake:  // AD-1
          ASSERT_EQ(x.intakes.size(), 2u) << id;
          EXPECT_EQ(x.intakes[0], x.admission) << id;
          EXPECT_GE(x.intakes[1] - x.admission, 7) << id;
          EXPECT_LE(x.intakes[1] - x.admission, 13) << id;
          break;
        case SynthBreak::kTakeHomeAboveLadder:  // PA-5
          EXPECT_EQ(x.ladder_excess, 1) << id;
          break;
        case SynthBreak::kNaloxoneRepeat:  // AD-4
          EXPECT_GE(x.unflagged_naloxone_repeats, 1) << id;
          break;
        case SynthBreak::kNonOudDiagnosis:  // CL-3
          EXPECT_EQ(x.row["diagnosis"], "F10.20") << id;
          break;
      }
    }
  }
  EXPECT_EQ(breakers, 10);
  for (int k = 0; k < kSynthBreakKinds; ++k) EXPECT_GE(seen[static_cast<SynthBreak>(k)], 2) << "kind " << k;
}

// The billing breaks come only from the plan: nobody else repeats an intake, takes home more
// than the ladder allows, or repeats naloxone within 30 days without the flag.
TEST(SynthBreaks, AD1_AD4_PA5_NoUnplannedBreaks) {
  SynthFiles f = Synthesize(Opts(1500, 60, "2026-01-05", 9));
  int breakers = 0;
  for (auto& [id, x] : Facts(f)) {
    if (!SynthBreaksOf(IndexOf(id)).empty()) { ++breakers; continue; }
    EXPECT_LE(x.intakes.size(), 1u) << id;
    EXPECT_EQ(x.ladder_excess, 0) << id;
    EXPECT_EQ(x.unflagged_naloxone_repeats, 0) << id;
  }
  EXPECT_EQ(breakers, 94);  // indices 5, 21, …, 1493: (1493 - 5) / 16 + 1
}

// fixtures/demo was written with `otpbatch synth --patients 60 --days 70 --start 2026-09-01
// --seed 42`; the synthesizer must still write exactly those bytes (regenerate on purpose).
std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Synth, DemoFixturesMatchTheSynthesizer) {
  SynthOptions o = Opts(60, 70, "2026-09-01", 42);
  SynthFiles f = Synthesize(o);
  const std::string dir = std::string(OTP_SOURCE_DIR) + "/fixtures/demo/";
  EXPECT_EQ(ReadFile(dir + "facility.xml"), f.facility_xml);
  EXPECT_EQ(ReadFile(dir + "patients.csv"), f.patients_csv);
  EXPECT_EQ(ReadFile(dir + "services.csv"), f.services_csv);
  ExpectReadersAcceptAll(f, 60, 2, o.start, o.days);
}

}  // namespace
}  // namespace otp
