// patients.csv and services.csv readers: accepted rows, each reject reason, duplicates, hashes.
#include "input/records_reader.h"

#include <gtest/gtest.h>

#include "codes_bounds.h"
#include "input/facility_reader.h"

namespace otp {
namespace {

Config TestConfig() {
  auto r = ReadFacilityFile(std::string(OTP_SOURCE_DIR) + "/fixtures/test/facility_valid.xml", nullptr);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.value();
}

const char* kPatientHeader =
    "patient_id,facility_id,mbi,last_name,first_name,middle_initial,birth_date,sex,address_line1,"
    "city,state,zip,admission_date,discharge_date,program,payer,diagnosis,plan_counseling_minutes\n";
const char* kGoodPatient =
    "P1,HRC01,1EG4TE5MK73,DOE,JOHN,Q,1970-05-01,M,1 ELM ST,LOS ANGELES,CA,90001,2025-01-02,,"
    "maintenance,medicare,F11.20,60\n";

// A patients file of the good row for P0 plus `row` (one CSV line).
std::string PatientsWith(const std::string& row) {
  std::string good0 = kGoodPatient;
  good0.replace(0, 2, "P0");
  return std::string(kPatientHeader) + good0 + row;
}

// `kGoodPatient` with field `index` (0-based) replaced by `value`.
std::string PatientRow(size_t index, const std::string& value) {
  std::string row = kGoodPatient;
  row.pop_back();
  std::vector<std::string> f;
  size_t b = 0;
  for (;;) {
    size_t c = row.find(',', b);
    f.push_back(row.substr(b, c == std::string::npos ? std::string::npos : c - b));
    if (c == std::string::npos) break;
    b = c + 1;
  }
  f.at(index) = value;
  std::string out;
  for (size_t i = 0; i < f.size(); ++i) out += (i ? "," : "") + f[i];
  return out + "\n";
}

struct PatientCase {
  size_t field;
  std::string value;
  std::string column;
  std::string reason_part;
};

TEST(ReadPatients, ReadsAllColumns) {
  Config cfg = TestConfig();
  CollectingReporter rep;
  auto r = ReadPatients("patients.csv", PatientsWith(kGoodPatient), cfg, rep);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(rep.rejects.empty());
  EXPECT_EQ(r->rows_read, 2);
  ASSERT_EQ(r->patients.size(), 2u);
  const Patient* p = r->Find("HRC01", "P1");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->mbi, "1EG4TE5MK73");
  EXPECT_EQ(p->last_name, "DOE");
  EXPECT_EQ(p->middle_initial, "Q");
  EXPECT_EQ(p->birth_date.Iso(), "1970-05-01");
  EXPECT_EQ(p->sex, 'M');
  EXPECT_EQ(p->address.zip, "90001");
  EXPECT_EQ(p->admission_date.Iso(), "2025-01-02");
  EXPECT_FALSE(p->discharge_date);
  EXPECT_EQ(p->program, Program::kMaintenance);
  EXPECT_EQ(p->payer, Payer::kMedicare);
  EXPECT_EQ(p->diagnosis, "F1120");
  EXPECT_EQ(p->plan_counseling_minutes, 60);
  EXPECT_EQ(p->source.file, "patients.csv");
  EXPECT_EQ(p->source.line, 3);
  EXPECT_EQ(r->Find("HRC01", "P9"), nullptr);
  EXPECT_EQ(r->Find("OTHER", "P1"), nullptr);
}

TEST(ReadPatients, DefaultsAndNormalisation) {
  Config cfg = TestConfig();
  CollectingReporter rep;
  // Columns in another order, optional ones absent; dashed MBI, ZIP+4 with a dash, lower-case code.
  std::string text =
      "facility_id,patient_id,payer,diagnosis,admission_date,zip,state,city,address_line1,sex,"
      "birth_date,first_name,last_name,mbi\n"
      "HRC01,P7,medicare,f11.23,2025-03-01,90001-1234,CA,LA,1 A ST,F,1980-01-31,ANN,ROE,1EG4-TE5-MK73\n"
      "HRC01,P8,commercial,F10.20,2025-03-01,90001,CA,LA,1 A ST,U,1980-01-31,BO,ROE,\n";
  auto r = ReadPatients("patients.csv", text, cfg, rep);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_TRUE(rep.rejects.empty()) << rep.rejects[0].reason;
  const Patient* p = r->Find("HRC01", "P7");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->mbi, "1EG4TE5MK73");
  EXPECT_EQ(p->address.zip, "900011234");
  EXPECT_EQ(p->diagnosis, "F1123");
  EXPECT_EQ(p->program, Program::kMaintenance);
  EXPECT_EQ(p->plan_counseling_minutes, 0);
  const Patient* q = r->Find("HRC01", "P8");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->payer, Payer::kCommercial);
  EXPECT_EQ(q->mbi, "");
  EXPECT_EQ(q->diagnosis, "F1020");  // not OUD, but not a reject: billing holds it
}

TEST(ReadPatients, EachRejectReason) {
  const std::vector<PatientCase> cases = {
      {0, "", "patient_id", "required"},
      {1, "NOPE", "facility_id", "not a <facility>"},
      {2, "", "mbi", "required for a medicare patient"},
      {2, "1EG4TE5MK7S", "mbi", "invalid MBI format"},
      {3, "", "last_name", "required"},
      {4, "", "first_name", "required"},
      {6, "1970-02-30", "birth_date", "not a real date"},
      {7, "X", "sex", "M, F or U"},
      {8, "", "address_line1", "required"},
      {10, "XX", "state", "state"},
      {11, "9000", "zip", "5 or 9 digits"},
      {12, "2025-13-01", "admission_date", "not a real date"},
      {13, "2025-02-30", "discharge_date", "not a real date"},
      {13, "2024-12-31", "discharge_date", "before admission_date"},
      {14, "forever", "program", "maintenance, withdrawal or interim"},
      {15, "medicare_b", "payer", "medicare, medicare_advantage"},
      {16, "F11-20", "diagnosis", "ICD-10-CM"},
      {16, "", "diagnosis", "required"},
      {17, "-5", "plan_counseling_minutes", "non-negative"},
      {17, "ten", "plan_counseling_minutes", "non-negative"},
      {17, "20000", "plan_counseling_minutes", "minutes in a week"},
  };
  Config cfg = TestConfig();
  for (const auto& c : cases) {
    CollectingReporter rep;
    auto r = ReadPatients("patients.csv", PatientsWith(PatientRow(c.field, c.value)), cfg, rep);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->rows_read, 2);
    EXPECT_EQ(r->patients.size(), 1u) << c.column;
    ASSERT_EQ(rep.rejects.size(), 1u) << c.column << "=" << c.value;
    const Reject& rj = rep.rejects[0];
    EXPECT_EQ(rj.file, "patients.csv");
    EXPECT_EQ(rj.line, 3);
    EXPECT_EQ(rj.column, c.column) << c.value;
    EXPECT_NE(rj.reason.find(c.reason_part), std::string::npos) << rj.reason;
    EXPECT_FALSE(rj.raw.empty());
  }
}

TEST(ReadPatients, MbiOptionalButValidatedForOtherPayers) {
  Config cfg = TestConfig();
  std::string row = PatientRow(15, "medicaid");
  {
    CollectingReporter rep;
    ReadPatients("patients.csv", PatientsWith(PatientRow(2, "")), cfg, rep);
    ASSERT_EQ(rep.rejects.size(), 1u);  // medicare without MBI
  }
  {
    CollectingReporter rep;
    std::string no_mbi = row;
    no_mbi.replace(no_mbi.find("1EG4TE5MK73"), 11, "");
    auto r = ReadPatients("patients.csv", PatientsWith(no_mbi), cfg, rep);
    EXPECT_TRUE(rep.rejects.empty());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->patients.size(), 2u);
    EXPECT_EQ(r->Find("HRC01", "P1")->payer, Payer::kMedicaid);
  }
  {
    CollectingReporter rep;
    std::string bad_mbi = row;
    bad_mbi.replace(bad_mbi.find("1EG4TE5MK73"), 11, "0000");
    ReadPatients("patients.csv", PatientsWith(bad_mbi), cfg, rep);
    ASSERT_EQ(rep.rejects.size(), 1u);
    EXPECT_EQ(rep.rejects[0].column, "mbi");
  }
}

TEST(ReadPatients, ReasonsNeverHoldNamesMbisOrBirthDates) {
  Config cfg = TestConfig();
  CollectingReporter rep;
  std::string rows = PatientRow(2, "1EG4TE5MK7S") + PatientRow(6, "1970-02-30") + PatientRow(7, "DOE");
  ReadPatients("patients.csv", PatientsWith(rows), cfg, rep);
  ASSERT_EQ(rep.rejects.size(), 3u);
  for (const Reject& r : rep.rejects) {
    EXPECT_EQ(r.reason.find("1EG4TE5MK7"), std::string::npos) << r.reason;
    EXPECT_EQ(r.reason.find("1970"), std::string::npos) << r.reason;
    EXPECT_EQ(r.reason.find("DOE"), std::string::npos) << r.reason;
    EXPECT_EQ(r.reason.find("JOHN"), std::string::npos) << r.reason;
  }
}

TEST(ReadPatients, DuplicatePatientIdInAFacility) {
  Config cfg = TestConfig();
  CollectingReporter rep;
  auto r = ReadPatients("patients.csv", PatientsWith(std::string(kGoodPatient) + kGoodPatient), cfg, rep);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows_read, 3);
  EXPECT_EQ(r->patients.size(), 2u);
  ASSERT_EQ(rep.rejects.size(), 1u);
  EXPECT_EQ(rep.rejects[0].line, 4);
  EXPECT_EQ(rep.rejects[0].column, "patient_id");
  EXPECT_NE(rep.rejects[0].reason.find("repeats line 3"), std::string::npos);
  EXPECT_EQ(rep.rejects[0].record_id, "P1");
  EXPECT_FALSE(r->WasRejected("HRC01", "P1"));  // its first row was accepted
}

TEST(ReadPatients, MissingRequiredColumnMakesFileUnusable) {
  Config cfg = TestConfig();
  CollectingReporter rep;
  auto r = ReadPatients("patients.csv", "patient_id,facility_id\nP1,HRC01\n", cfg, rep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("patients.csv"), std::string::npos);
  EXPECT_NE(r.status().message().find("\"last_name\""), std::string::npos);
}

// ---- services -------------------------------------------------------------------------------

const char* kServiceHeader = "record_id,facility_id,patient_id,service_date,service,quantity,modality,practitioner_npi,flags\n";

struct Fixture {
  Config cfg = TestConfig();
  PatientTable patients;
  Fixture() {
    CollectingReporter rep;
    // P1 accepted; P2's only row rejected (bad sex).
    std::string p2 = PatientRow(0, "P2");
    p2.replace(p2.find(",M,"), 3, ",Z,");
    auto r = ReadPatients("patients.csv", std::string(kPatientHeader) + kGoodPatient + p2, cfg, rep);
    EXPECT_EQ(rep.rejects.size(), 1u);
    patients = r.value();
  }
  ServiceRead Read(const std::string& rows, CollectingReporter& rep) {
    auto r = ReadServices("services.csv", std::string(kServiceHeader) + rows, cfg, CodesBounds(), patients, rep);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.value();
  }
};

TEST(ReadServices, ReadsAllColumnsAndDefaults) {
  Fixture fx;
  CollectingReporter rep;
  ServiceRead s = fx.Read(
      "R1,HRC01,P1,2025-02-03,methadone_dose,80,,1245319599,dose_justified;sma168_exception\n"
      "R2,HRC01,P1,2025-02-03,counseling_individual,,video,,\n"
      "R3,HRC01,P1,2025-02-04,methadone_takehome,2.5,audio,, medically_necessary ;\n",
      rep);
  ASSERT_TRUE(rep.rejects.empty()) << rep.rejects[0].reason;
  EXPECT_EQ(s.rows_read, 3);
  ASSERT_EQ(s.records.size(), 3u);
  const ServiceRecord& a = s.records[0];
  EXPECT_EQ(a.record_id, "R1");
  EXPECT_EQ(a.facility_id, "HRC01");
  EXPECT_EQ(a.patient_id, "P1");
  EXPECT_EQ(a.service_date.Iso(), "2025-02-03");
  EXPECT_EQ(a.service, Service::kMethadoneDose);
  EXPECT_DOUBLE_EQ(a.quantity, 80);
  EXPECT_EQ(a.modality, Modality::kInPerson);
  EXPECT_EQ(a.practitioner_npi, "1245319599");
  EXPECT_TRUE(a.Has(kFlagDoseJustified));
  EXPECT_TRUE(a.Has(kFlagSma168Exception));
  EXPECT_FALSE(a.Has(kFlagMedicallyNecessary));
  EXPECT_EQ(a.source.file, "services.csv");
  EXPECT_EQ(a.source.line, 2);
  EXPECT_EQ(a.content_hash.size(), 16u);
  EXPECT_DOUBLE_EQ(s.records[1].quantity, 1);
  EXPECT_EQ(s.records[1].modality, Modality::kVideo);
  EXPECT_EQ(s.records[1].flags, 0u);
  EXPECT_DOUBLE_EQ(s.records[2].quantity, 2.5);
  EXPECT_EQ(s.records[2].modality, Modality::kAudio);
  EXPECT_EQ(s.records[2].flags, unsigned(kFlagMedicallyNecessary));
}

struct ServiceCase {
  std::string row;
  std::string column;
  std::string reason_part;
};

TEST(ReadServices, EachRejectReason) {
  const std::vector<ServiceCase> cases = {
      {"," "HRC01,P1,2025-02-03,methadone_dose,80,,,", "record_id", "record_id is required"},
      {std::string(65, 'r') + ",HRC01,P1,2025-02-03,methadone_dose,80,,,", "record_id", "65 characters, at most 64"},
      {"R9,NOPE,P1,2025-02-03,methadone_dose,80,,,", "facility_id", "\"NOPE\" is not a <facility>"},
      {"R9,HRC01,P9,2025-02-03,methadone_dose,80,,,", "patient_id", "\"P9\" is not in the patients file"},
      {"R9,HRC01,P2,2025-02-03,methadone_dose,80,,,", "patient_id", "\"P2\" has a rejected row in the patients file"},
      {"R9,HRC01,P1,2025-02-30,methadone_dose,80,,,", "service_date", "service_date \"2025-02-30\" is not a real date"},
      {"R9,HRC01,P1,,methadone_dose,80,,,", "service_date", "required"},
      {"R9,HRC01,P1,2025-02-03,methadone,80,,,", "service", "\"methadone\" is not a word of the service vocabulary"},
      {"R9,HRC01,P1,2025-02-03,methadone_dose,-1,,,", "quantity", "\"-1\" is negative"},
      {"R9,HRC01,P1,2025-02-03,methadone_dose,eighty,,,", "quantity", "\"eighty\" is not a number"},
      {"R9,HRC01,P1,2025-02-03,methadone_dose,1e3,,,", "quantity", "not a number"},
      {"R9,HRC01,P1,2025-02-03,methadone_dose,80,telepathy,,", "modality", "\"telepathy\" is not in_person, video or audio"},
      {"R9,HRC01,P1,2025-02-03,methadone_dose,80,,1234567890,", "practitioner_npi", "not a valid NPI"},
      {"R9,HRC01,P1,2025-02-03,methadone_dose,80,,,dose_justified;urgent", "flags", "\"urgent\" is not dose_justified"},
      {"R9,HRC01,P1,2025-02-03,methadone_dose,80,,", "", "row has 8 fields, the header has 9"},
  };
  for (const auto& c : cases) {
    Fixture fx;
    CollectingReporter rep;
    ServiceRead s = fx.Read("R0,HRC01,P1,2025-02-03,methadone_dose,80,,,\n" + c.row + "\n", rep);
    EXPECT_EQ(s.rows_read, 2) << c.row;
    EXPECT_EQ(s.records.size(), 1u) << c.row;
    ASSERT_EQ(rep.rejects.size(), 1u) << c.row;
    const Reject& r = rep.rejects[0];
    EXPECT_EQ(r.file, "services.csv");
    EXPECT_EQ(r.line, 3);
    EXPECT_EQ(r.column, c.column) << c.row;
    EXPECT_NE(r.reason.find(c.reason_part), std::string::npos) << r.reason;
    EXPECT_EQ(r.raw, c.row);
  }
}

TEST(ReadServices, RejectCarriesRecordAndFacilityIds) {
  Fixture fx;
  CollectingReporter rep;
  fx.Read("R5,HRC01,P1,2025-02-30,methadone_dose,80,,,\n", rep);
  ASSERT_EQ(rep.rejects.size(), 1u);
  EXPECT_EQ(rep.rejects[0].record_id, "R5");
  EXPECT_EQ(rep.rejects[0].facility_id, "HRC01");
}

TEST(ReadServices, IdenticalDuplicateIsCountedOnceWithAWarning) {
  Fixture fx;
  CollectingReporter rep;
  // The copy differs only in spelling that normalises away (quantity 80.0, quoted field).
  ServiceRead s = fx.Read(
      "R1,HRC01,P1,2025-02-03,methadone_dose,80,,,\n"
      "R2,HRC01,P1,2025-02-04,methadone_dose,80,,,\n"
      "R1,HRC01,P1,2025-02-03,\"methadone_dose\",80.0,in_person,,\n",
      rep);
  EXPECT_TRUE(rep.rejects.empty());
  EXPECT_EQ(s.rows_read, 3);
  EXPECT_EQ(s.records.size(), 2u);
  EXPECT_EQ(s.duplicates_identical, 1);
  ASSERT_EQ(rep.warnings.size(), 1u);
  EXPECT_EQ(rep.warnings[0], "services.csv:4: record_id \"R1\" repeats line 2 with identical content; the row is counted once");
}

TEST(ReadServices, DuplicateWithDifferentContentIsRejected) {
  Fixture fx;
  CollectingReporter rep;
  ServiceRead s = fx.Read(
      "R1,HRC01,P1,2025-02-03,methadone_dose,80,,,\n"
      "R1,HRC01,P1,2025-02-03,methadone_dose,90,,,\n",
      rep);
  EXPECT_EQ(s.records.size(), 1u);
  EXPECT_DOUBLE_EQ(s.records[0].quantity, 80);
  EXPECT_EQ(s.duplicates_identical, 0);
  ASSERT_EQ(rep.rejects.size(), 1u);
  EXPECT_EQ(rep.rejects[0].line, 3);
  EXPECT_EQ(rep.rejects[0].column, "record_id");
  EXPECT_NE(rep.rejects[0].reason.find("duplicate of line 2"), std::string::npos) << rep.rejects[0].reason;
}

TEST(ReadServices, CountsAddUpToRowsRead) {
  Fixture fx;
  CollectingReporter rep;
  ServiceRead s = fx.Read(
      "R1,HRC01,P1,2025-02-03,methadone_dose,80,,,\n"
      "R1,HRC01,P1,2025-02-03,methadone_dose,80,,,\n"
      "R2,HRC01,P1,2025-02-03,methadone_dose,80,,\n"
      "\"R3,HRC01,P1,2025-02-03,methadone_dose,80,,,\n"
      "R4,HRC01,P1,2025-02-03,care_plan,,,,\n",
      rep);
  EXPECT_EQ(s.rows_read, 5);
  EXPECT_EQ(static_cast<int64_t>(s.records.size()) + s.duplicates_identical +
                static_cast<int64_t>(rep.rejects.size()),
            s.rows_read);
  EXPECT_EQ(s.records.size(), 2u);
}

TEST(ReadServices, ContentHashIsStableAndTellsChangesApart) {
  ServiceRecord a;
  a.facility_id = "HRC01";
  a.patient_id = "P1";
  a.service_date = *Date::Parse("2025-02-03");
  a.quantity = 80;
  ServiceRecord b = a;
  b.record_id = "other";  // the id is not content
  EXPECT_EQ(ServiceContentHash(a), ServiceContentHash(b));
  b.quantity = 81;
  EXPECT_NE(ServiceContentHash(a), ServiceContentHash(b));
  b = a;
  b.flags = kFlagDoseJustified;
  EXPECT_NE(ServiceContentHash(a), ServiceContentHash(b));
  b = a;
  b.service_date = a.service_date + 1;
  EXPECT_NE(ServiceContentHash(a), ServiceContentHash(b));
  // Stable across runs and builds: FNV-1a 64 of fixed text.
  EXPECT_EQ(ServiceContentHash(a), ServiceContentHash(a));
  EXPECT_EQ(ServiceContentHash(a).find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(ReadServices, MissingRequiredColumnMakesFileUnusable) {
  Fixture fx;
  CollectingReporter rep;
  auto r = ReadServices("services.csv", "record_id,facility_id,patient_id,service\n", fx.cfg, CodesBounds(), fx.patients, rep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("services.csv"), std::string::npos);
  EXPECT_NE(r.status().message().find("\"service_date\""), std::string::npos);
}

TEST(ReadServices, UnknownColumnWarnsAndIsIgnored) {
  Fixture fx;
  CollectingReporter rep;
  auto r = ReadServices("services.csv",
                        "record_id,facility_id,patient_id,service_date,service,clinic_room\n"
                        "R1,HRC01,P1,2025-02-03,intake,7\n",
                        fx.cfg, CodesBounds(), fx.patients, rep);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->records.size(), 1u);
  ASSERT_EQ(rep.warnings.size(), 1u);
  EXPECT_NE(rep.warnings[0].find("clinic_room"), std::string::npos);
}

}  // namespace
}  // namespace otp
