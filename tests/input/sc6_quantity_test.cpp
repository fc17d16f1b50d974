// SC-6 (billing-rules.md; interface.md §1.3): a services.csv quantity must be a plain decimal that
// fits the digits codes/limits.xml allows and lie within its service's bound; otherwise the row is
// rejected as it is read, naming the column, the bound and its limits.xml id, and every other row
// goes on. The bounds are the real codes/ folder's (RuleBook::Quantities()).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "codes_bounds.h"
#include "input/facility_reader.h"
#include "input/records_reader.h"
#include "model/quantity.h"

namespace otp {
namespace {

const char* kPatients =
    "patient_id,facility_id,mbi,last_name,first_name,middle_initial,birth_date,sex,address_line1,"
    "city,state,zip,admission_date,discharge_date,program,payer,diagnosis,plan_counseling_minutes\n"
    "P1,HRC01,1EG4TE5MK73,ZEBULONSKI,QUIXANDRA,Q,1970-05-01,M,1 ELM ST,LOS ANGELES,CA,90001,2025-01-02,,"
    "maintenance,medicare,F11.20,60\n";
const char* kServiceHeader =
    "record_id,facility_id,patient_id,service_date,service,quantity,modality,practitioner_npi,flags\n";

struct Reader {
  Config cfg;
  PatientTable patients;
  Reader() {
    auto c = ReadFacilityFile(std::string(OTP_SOURCE_DIR) + "/fixtures/test/facility_valid.xml", nullptr);
    EXPECT_TRUE(c.ok()) << c.status().message();
    cfg = c.value();
    CollectingReporter rep;
    auto p = ReadPatients("patients.csv", kPatients, cfg, rep);
    EXPECT_TRUE(p.ok() && rep.rejects.empty());
    patients = p.value();
  }
};

const Reader& R() {
  static const Reader r;
  return r;
}

struct Outcome {
  bool accepted = false;
  double quantity = 0;
  Reject reject;
};

// One row of `service` with `quantity`, between two good rows: the good rows are always read.
Outcome Read(const std::string& service, const std::string& quantity) {
  const std::string good = "G1,HRC01,P1,2025-02-03,toxicology_test,1,,,\n";
  const std::string row = "X1,HRC01,P1,2025-02-04," + service + "," + quantity + ",,,\n";
  CollectingReporter rep;
  auto s = ReadServices("services.csv", std::string(kServiceHeader) + good + row + "G2,HRC01,P1,2025-02-05,intake,,,,\n",
                        R().cfg, CodesBounds(), R().patients, rep);
  EXPECT_TRUE(s.ok()) << s.status().message();
  Outcome o;
  if (!s.ok()) return o;
  EXPECT_EQ(s->rows_read, 3);
  EXPECT_EQ(s->rows_read, static_cast<int64_t>(s->records.size() + rep.rejects.size()));
  for (const auto& r : s->records) {
    if (r.record_id == "X1") {
      o.accepted = true;
      o.quantity = r.quantity;
    }
  }
  EXPECT_NE(std::find_if(s->records.begin(), s->records.end(), [](const auto& r) { return r.record_id == "G2"; }),
            s->records.end());
  if (!o.accepted) {
    EXPECT_EQ(rep.rejects.size(), 1u);
    if (!rep.rejects.empty()) o.reject = rep.rejects[0];
  }
  return o;
}

void ExpectAccepted(const std::string& service, const std::string& quantity, double want) {
  Outcome o = Read(service, quantity);
  EXPECT_TRUE(o.accepted) << service << " " << quantity << ": " << o.reject.reason;
  if (o.accepted) {
    EXPECT_EQ(o.quantity, want) << service << " " << quantity;
  }
}

// Rejected on the quantity column with every `parts` in the reason, and never the patient's name.
void ExpectRejected(const std::string& service, const std::string& quantity, const std::vector<std::string>& parts) {
  Outcome o = Read(service, quantity);
  ASSERT_FALSE(o.accepted) << service << " " << quantity << " was accepted as " << o.quantity;
  EXPECT_EQ(o.reject.file, "services.csv");
  EXPECT_EQ(o.reject.line, 3);
  EXPECT_EQ(o.reject.column, "quantity") << o.reject.reason;
  EXPECT_EQ(o.reject.record_id, "X1");
  for (const auto& p : parts)
    EXPECT_NE(o.reject.reason.find(p), std::string::npos) << "want \"" << p << "\" in: " << o.reject.reason;
  for (const char* secret : {"ZEBULONSKI", "QUIXANDRA", "1EG4TE5MK73", "1970-05-01"})
    EXPECT_EQ(o.reject.reason.find(secret), std::string::npos) << o.reject.reason;
  EXPECT_LT(o.reject.reason.size(), 300u) << o.reject.reason;
}

// ---- the bounds, one by one ------------------------------------------------------------------------

TEST(SC6, SC6_MinutesOfTimedServicesAtMost1440) {
  for (const char* s : {"counseling_individual", "counseling_group", "care_coordination", "patient_navigation",
                        "peer_support"}) {
    ExpectAccepted(s, "1440", 1440);
    ExpectAccepted(s, "45", 45);
    ExpectAccepted(s, "1", 1);
    ExpectRejected(s, "1441", {"\"1441\" is above 1440 minutes", std::string("a ") + s + " row",
                               "codes/limits.xml quantity.minutes"});
    ExpectRejected(s, "1440.5", {"above 1440 minutes"});
    ExpectRejected(s, "0", {"\"0\" is below 1 minute", "quantity.minutes"});
  }
}

TEST(SC6, SC6_TakeHomeDaysFrom1To28) {
  ExpectAccepted("methadone_takehome", "28", 28);
  ExpectAccepted("methadone_takehome", "1", 1);
  ExpectAccepted("methadone_takehome", "2.5", 2.5);
  ExpectRejected("methadone_takehome", "29", {"above 28 days", "codes/limits.xml quantity.methadone_takehome_days"});
  ExpectRejected("methadone_takehome", "0", {"below 1 day", "quantity.methadone_takehome_days"});
  ExpectAccepted("buprenorphine_takehome", "28", 28);
  ExpectRejected("buprenorphine_takehome", "29", {"above 28 days", "quantity.buprenorphine_takehome_days"});
  // The take-home of 10,000,000,000 days that used to bill nothing: refused, with the digits named.
  ExpectRejected("methadone_takehome", "10000000000", {"11 digits before the decimal point", "at most 6",
                                                       "quantity.max_integer_digits"});
}

TEST(SC6, SC6_MethadoneDoseMg) {
  ExpectAccepted("methadone_dose", "80", 80);
  ExpectAccepted("methadone_dose", "1000", 1000);
  ExpectAccepted("methadone_dose", "0.5", 0.5);
  ExpectRejected("methadone_dose", "1000.1", {"above 1000 mg", "a methadone_dose row",
                                              "codes/limits.xml quantity.methadone_dose_mg"});
  ExpectRejected("methadone_dose", "80000", {"above 1000 mg"});  // micrograms
  ExpectRejected("methadone_dose", "0.08", {"below 0.5 mg"});     // grams
}

TEST(SC6, SC6_BuprenorphineDosesMg) {
  ExpectAccepted("buprenorphine_oral_dose", "16", 16);
  ExpectAccepted("buprenorphine_oral_dose", "0.2", 0.2);
  ExpectAccepted("buprenorphine_oral_dose", "100", 100);
  ExpectRejected("buprenorphine_oral_dose", "101", {"above 100 mg", "quantity.buprenorphine_oral_dose_mg"});
  ExpectRejected("buprenorphine_oral_dose", "0.008", {"below 0.1 mg"});
  for (const char* s : {"buprenorphine_injection_weekly", "buprenorphine_injection_monthly"}) {
    ExpectAccepted(s, "300", 300);
    ExpectAccepted(s, "", 1);
    ExpectRejected(s, "301", {"above 300 mg", "quantity.buprenorphine_injection_mg"});
  }
  ExpectAccepted("naltrexone_injection", "380", 380);
  ExpectRejected("naltrexone_injection", "381", {"above 380 mg", "quantity.naltrexone_injection_mg"});
  ExpectAccepted("other_moud_dose", "1000", 1000);
  ExpectRejected("other_moud_dose", "1001", {"above 1000 mg", "quantity.other_moud_dose_mg"});
}

TEST(SC6, SC6_NaloxoneInjectionMg) {
  ExpectAccepted("naloxone_injection", "0.4", 0.4);
  ExpectAccepted("naloxone_injection", "10", 10);
  ExpectRejected("naloxone_injection", "10.001", {"above 10 mg", "quantity.naloxone_injection_mg"});
  ExpectRejected("naloxone_injection", "0.3", {"below 0.4 mg"});
  ExpectRejected("naloxone_injection", "400", {"above 10 mg"});  // micrograms
}

TEST(SC6, SC6_CountServicesAtMostTen) {
  for (const char* s : {"toxicology_test", "intake", "periodic_assessment", "iop_service", "naloxone_nasal_4mg",
                        "naloxone_nasal_8mg", "nalmefene_nasal", "buprenorphine_implant_insert",
                        "buprenorphine_implant_remove", "buprenorphine_implant_insert_remove", "physical_exam",
                        "psychosocial_assessment", "care_plan"}) {
    ExpectAccepted(s, "10", 10);
    ExpectAccepted(s, "", 1);
    ExpectRejected(s, "11", {"\"11\" is above 10,", std::string("a ") + s + " row", "quantity.count"});
    ExpectRejected(s, "0", {"below 1,"});
  }
}

TEST(SC6, SC6_EveryServiceHasABoundThatAdmitsTheDefault) {
  for (int i = 0; i < kServiceCount; ++i) {
    const auto s = static_cast<Service>(i);
    const QuantityBound& b = CodesBounds().Of(s);
    EXPECT_FALSE(b.limit_id.empty()) << ServiceName(s);
    EXPECT_GT(b.max_micros, 0) << ServiceName(s);
    // An empty quantity means 1 (interface.md §1.3): today every bound admits it.
    ExpectAccepted(std::string(ServiceName(s)), "", 1);
  }
  EXPECT_EQ(CodesBounds().max_integer_digits, 6u);
  EXPECT_EQ(CodesBounds().max_decimals, 3u);
}

TEST(SC6, SC6_ADefaultBoundAcceptsNothing) {
  // A reader handed no bounds (a QuantityBounds nobody filled) refuses every quantity rather than
  // letting one through unchecked.
  QuantityBounds none;
  CollectingReporter rep;
  auto s = ReadServices("services.csv", std::string(kServiceHeader) + "X1,HRC01,P1,2025-02-04,methadone_dose,80,,,\n",
                        R().cfg, none, R().patients, rep);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->records.empty());
  ASSERT_EQ(rep.rejects.size(), 1u);
  EXPECT_EQ(rep.rejects[0].column, "quantity");
}

// ---- hostile numbers --------------------------------------------------------------------------------

TEST(SC6, SC6_HugeNumbersAreRefusedNotRounded) {
  ExpectRejected("counseling_individual", "999999999999999999999999999999",
                 {"30 digits before the decimal point", "at most 6"});
  ExpectRejected("counseling_individual", "123456789012345", {"15 digits before the decimal point"});
  ExpectRejected("counseling_individual", "1234567", {"7 digits before the decimal point"});
  ExpectRejected("counseling_individual", "100000", {"above 1440 minutes"});  // 6 digits: read, then bounded
  ExpectRejected("peer_support", std::string(5000, '9'), {"5000 digits before the decimal point"});
}

TEST(SC6, SC6_NegativeNumbers) {
  ExpectRejected("methadone_dose", "-80", {"\"-80\" is negative"});
  ExpectRejected("counseling_group", "-0", {"is negative"});
  ExpectRejected("methadone_takehome", "-1e10", {"is negative"});
}

TEST(SC6, SC6_NanAndInfinityText) {
  for (const char* t : {"NaN", "nan", "-nan", "inf", "Inf", "-inf", "Infinity", "INFINITY", "nan(0x1)"}) {
    Outcome o = Read("counseling_individual", t);
    EXPECT_FALSE(o.accepted) << t;
    EXPECT_EQ(o.reject.column, "quantity") << t;
    EXPECT_TRUE(o.reject.reason.find("is not a number") != std::string::npos ||
                o.reject.reason.find("is negative") != std::string::npos)
        << t << ": " << o.reject.reason;
  }
}

TEST(SC6, SC6_ExponentsAreRefused) {
  for (const char* t : {"1e10", "1E3", "1e+10", "1.5e2", "2e0", "1e-3"}) {
    ExpectRejected("counseling_individual", t, {"is not a number", "no exponent"});
  }
}

TEST(SC6, SC6_OneE10MinutesNeverReachesG2080) {
  // 1e10 minutes of counseling would be 333 million G2080 units: refused at the door.
  ExpectRejected("counseling_individual", "1e10", {"no exponent"});
  ExpectRejected("counseling_individual", "10000000000", {"11 digits"});
}

TEST(SC6, SC6_LeadingPlusIsRefused) {
  ExpectRejected("methadone_dose", "+80", {"\"+80\" is not a number", "no sign"});
}

TEST(SC6, SC6_ManyDecimalsAreRefused) {
  ExpectAccepted("methadone_dose", "80.125", 80.125);
  ExpectRejected("methadone_dose", "80.1234", {"4 decimals; at most 3", "quantity.max_decimals"});
  ExpectRejected("methadone_dose", "80.000000000000000000001", {"21 decimals"});
  ExpectRejected("methadone_dose", "80.0000", {"4 decimals"});
}

TEST(SC6, SC6_OtherShapesAreNotNumbers) {
  for (const char* t : {"eighty", "1.2.3", ".", "0x10", "5 5", "1_000", "\xD9\xA3", "12a", "--5"}) {
    Outcome o = Read("counseling_individual", t);
    EXPECT_FALSE(o.accepted) << t;
    EXPECT_EQ(o.reject.column, "quantity") << t;
  }
  ExpectRejected("counseling_individual", ".5", {"below 1 minute"});  // a number, but under the bound
}

TEST(SC6, SC6_PlainForms) {
  ExpectAccepted("methadone_dose", "080", 80);    // leading zero
  ExpectAccepted("methadone_dose", "80.", 80);    // trailing point
  ExpectAccepted("methadone_dose", "000080", 80);  // six digits as written
  ExpectRejected("methadone_dose", "0000080", {"7 digits before the decimal point"});
  ExpectAccepted("buprenorphine_oral_dose", ".5", 0.5);
  ExpectAccepted("methadone_dose", " 80 ", 80);   // surrounding spaces are trimmed like any field
  ExpectAccepted("buprenorphine_oral_dose", "0.1", 0.1);
}

}  // namespace
}  // namespace otp
