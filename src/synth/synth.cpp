// The synthesizer: one chain of clinics, its patients, and a day-by-day stream of service
// rows shaped like a real OTP's EHR export (daily methadone dosing with a take-home ladder,
// buprenorphine, injections, counseling, drug tests, intake and assessments).
//
// Determinism: the facility list draws from stream 0 of the seed and patient i from stream
// i + 1, so a patient's rows do not depend on how many draws other patients made. Services are
// generated day by day, patient by patient, so rows come out in date order and record ids of
// each facility increase down the file.
#include "synth/synth.h"

#include "input/validators.h"
#include "model/types.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdio>
#include <limits>
#include <ostream>
#include <sstream>
#include <string_view>
#include <vector>

#include "synth/prng.h"

namespace otp {
namespace {

using synth::Rng;

constexpr int kMaxPatients = 10'000'000;
constexpr int kMaxDays = 3660;
constexpr int kMaxFacilities = 50;
constexpr int32_t kNever = INT32_MAX;

// ---- fixed lists ------------------------------------------------------------------------------
// Sites: a Medicare payment locality (gaf_CY2025.csv: state + locality number, or "national"),
// its Part B contractor (MAC number from the same file) and a plausible clinic address.
struct Site {
  const char* locality;
  const char* mac;
  const char* mac_name;
  const char* city;
  const char* state;
  const char* zip5;
};
constexpr std::array<Site, 25> kSites = {{
    {"CA-18", "01182", "NORIDIAN JE PART B", "LOS ANGELES", "CA", "90013"},
    {"CA-75", "01112", "NORIDIAN JE PART B", "EUREKA", "CA", "95501"},
    {"NY-01", "13202", "NGS JK PART B", "NEW YORK", "NY", "10035"},
    {"TX-99", "04412", "NOVITAS JH PART B", "LUBBOCK", "TX", "79401"},
    {"WA-02", "02402", "NORIDIAN JF PART B", "SEATTLE", "WA", "98104"},
    {"MA-01", "14212", "NGS JK PART B", "BOSTON", "MA", "02118"},
    {"FL-04", "09102", "FIRST COAST JN PART B", "MIAMI", "FL", "33125"},
    {"OH-00", "15202", "CGS J15 PART B", "COLUMBUS", "OH", "43215"},
    {"IL-16", "06102", "NGS J6 PART B", "CHICAGO", "IL", "60612"},
    {"PA-01", "12502", "NOVITAS JL PART B", "PHILADELPHIA", "PA", "19134"},
    {"MI-01", "08202", "WPS J8 PART B", "DETROIT", "MI", "48201"},
    {"GA-01", "10212", "PALMETTO JJ PART B", "ATLANTA", "GA", "30303"},
    {"CA-72", "01182", "NORIDIAN JE PART B", "SAN DIEGO", "CA", "92101"},
    {"TX-18", "04412", "NOVITAS JH PART B", "HOUSTON", "TX", "77002"},
    {"OR-01", "02302", "NORIDIAN JF PART B", "PORTLAND", "OR", "97209"},
    {"KY-00", "15102", "CGS J15 PART B", "LOUISVILLE", "KY", "40202"},
    {"MD-01", "12302", "NOVITAS JL PART B", "BALTIMORE", "MD", "21201"},
    {"NJ-01", "12402", "NOVITAS JL PART B", "NEWARK", "NJ", "07102"},
    {"NC-00", "11502", "PALMETTO JM PART B", "RALEIGH", "NC", "27601"},
    {"national", "05202", "WPS J5 PART B", "TOPEKA", "KS", "66603"},
    {"NY-99", "13282", "NGS JK PART B", "ALBANY", "NY", "12207"},
    {"TN-35", "10312", "PALMETTO JJ PART B", "NASHVILLE", "TN", "37203"},
    {"CO-01", "04112", "NOVITAS JH PART B", "DENVER", "CO", "80202"},
    {"AZ-00", "03102", "NORIDIAN JF PART B", "PHOENIX", "AZ", "85004"},
    {"MN-00", "06202", "NGS J6 PART B", "MINNEAPOLIS", "MN", "55401"},
}};

struct Chain { const char* name; const char* prefix; const char* billing; };
constexpr std::array<Chain, 4> kChains = {{
    {"HARBOR RECOVERY CENTER", "HRC", "HARBOR RECOVERY BILLING"},
    {"NEW DAWN TREATMENT", "NDT", "NEW DAWN BILLING OFFICE"},
    {"BRIDGEWAY OTP", "BWO", "BRIDGEWAY BILLING"},
    {"CLEARPATH CLINIC", "CPC", "CLEARPATH BILLING"},
}};

constexpr std::array<const char*, 16> kStreets = {
    "MAIN ST", "HARBOR BLVD", "OAK AVE", "MAPLE ST", "CEDAR RD", "ELM ST", "PINE ST", "LAKE DR",
    "PARK AVE", "RIVER RD", "HILL ST", "WASHINGTON AVE", "LINCOLN WAY", "MARKET ST", "CENTER ST",
    "ORCHARD LN"};
// Patients: NATO alphabet surnames, so nobody mistakes a row for a real person.
constexpr std::array<const char*, 26> kLastNames = {
    "ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT", "GOLF", "HOTEL", "INDIA",
    "JULIET", "KILO", "LIMA", "MIKE", "NOVEMBER", "OSCAR", "PAPA", "QUEBEC", "ROMEO",
    "SIERRA", "TANGO", "UNIFORM", "VICTOR", "WHISKEY", "XRAY", "YANKEE", "ZULU"};
constexpr std::array<const char*, 26> kFirstNames = {
    "ADA", "BEN", "CARA", "DAN", "EVE", "FINN", "GIA", "HAL", "IVY", "JON", "KAI", "LEA", "MAX",
    "NIA", "OTTO", "PIA", "QUINN", "REX", "SKY", "TOM", "UMA", "VAL", "WES", "XENA", "YUL", "ZOE"};
constexpr std::array<const char*, 8> kPractitionerLast = {
    "SAMPLE", "EXAMPLE", "PLACEHOLDER", "FICTION", "MOCKWELL", "TESTER", "DEMOSKI", "SYNTHE"};
constexpr std::array<const char*, 8> kPractitionerFirst = {
    "ALEX", "JORDAN", "TAYLOR", "MORGAN", "CASEY", "RILEY", "JAMIE", "ROBIN"};
constexpr std::array<const char*, 3> kAccreditors = {"CARF", "JOINT COMMISSION", "COA"};
constexpr std::string_view kMbiAlpha = "ACDEFGHJKMNPQRTUVWXY";  // no S L O I B Z
constexpr std::string_view kMbiAlnum = "0123456789ACDEFGHJKMNPQRTUVWXY";

// ---- small helpers ----------------------------------------------------------------------------
int Weekday(int32_t days) { return static_cast<int>(((days % 7) + 7 + 4) % 7); }  // 1970-01-01 was a Thursday

std::string Digits(Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng.Below(10)));
  return s;
}

// An NPI: 9 digits starting with `first`, then the Luhn check digit over "80840" + those 9.
std::string MakeNpi(Rng& rng, char first) {
  std::string n(1, first);
  n += Digits(rng, 8);
  n.push_back(NpiCheckDigit(n));
  return n;
}

// A DEA registration number: 2 letters + 7 digits, the last being the DEA check digit.
std::string MakeDea(Rng& rng, char second_letter) {
  std::string d = Digits(rng, 6);
  int a = (d[0] - '0') + (d[2] - '0') + (d[4] - '0');
  int b = (d[1] - '0') + (d[3] - '0') + (d[5] - '0');
  return std::string("R") + second_letter + d + static_cast<char>('0' + (a + 2 * b) % 10);
}

std::string MakeMbi(Rng& rng) {
  auto alpha = [&] { return kMbiAlpha[rng.Below(static_cast<uint32_t>(kMbiAlpha.size()))]; };
  auto alnum = [&] { return kMbiAlnum[rng.Below(static_cast<uint32_t>(kMbiAlnum.size()))]; };
  auto digit = [&] { return static_cast<char>('0' + rng.Below(10)); };
  std::string m;
  m.push_back(static_cast<char>('1' + rng.Below(9)));
  m.push_back(alpha());
  m.push_back(alnum());
  m.push_back(digit());
  m.push_back(alpha());
  m.push_back(alnum());
  m.push_back(digit());
  m.push_back(alpha());
  m.push_back(alpha());
  m.push_back(digit());
  m.push_back(digit());
  return m;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// RFC 4180: quote a field that holds a comma, quote, CR or LF; double the quotes inside.
void AppendCsvField(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) { out.append(s); return; }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

// ---- the model of a clinic --------------------------------------------------------------------
struct FacilityGen {
  std::string id, name, npi, city, state, zip5;
  std::vector<std::string> practitioner_npis;
};

enum class Med : uint8_t { kMethadone, kBupOral, kBupMonthly, kBupWeekly, kImplant, kNaltrexone };

// What one patient carries from day to day: the profile and the next date of each routine.
struct PatientGen {
  Rng rng{0};
  std::string id;
  int fac = 0;
  int32_t admission = 0, discharge = kNever;  // absolute days; discharge inclusive
  Med med = Med::kMethadone;
  uint8_t stability = 0;      // 0 stays on daily dosing; 1, 2 earn take-homes sooner/longer
  uint8_t prescriber = 0;     // index into the facility's practitioners
  bool peer = false;
  bool methadone_program = true;  // for modality choices: no audio intake for methadone
  int16_t first_dose = 0, target_dose = 0;
  bool first_dose_justified = false;
  int32_t anchor = 0;         // first injection / implant date
  int32_t covered_until = 0;  // medication at hand through this day (take-homes)
  int32_t next_counsel = 0, next_tox = 0, next_pa = 0, next_peer = kNever, last_naloxone = INT32_MIN / 2;
  int32_t pe_day = kNever, psy_day = kNever, cp_day = kNever;
  int32_t iop_from = kNever, iop_to = kNever;
  // Deliberate rule breaks (SynthBreak): the day of each, kNever when the patient has none.
  int32_t repeat_intake = kNever, ladder_break = kNever, naloxone_first = kNever, naloxone_repeat = kNever;
};

// What patients.csv says of a generated patient besides its PatientGen.
struct PatientFields {
  const char* program = "maintenance";
  const char* payer = "medicare";
  const char* diagnosis = "F11.20";
  std::string mbi, middle, line1, zip;
  const char* last = "";
  const char* first = "";
  char sex = 'U';
  Date birth;
  int plan_minutes = 0;
};

bool Breaks(const std::vector<SynthBreak>& breaks, SynthBreak b) {
  return std::find(breaks.begin(), breaks.end(), b) != breaks.end();
}

class Generator {
 public:
  explicit Generator(const SynthOptions& o) : o_(o) {
    o_.patients = std::clamp(o_.patients, 0, kMaxPatients);
    o_.days = std::clamp(o_.days, 0, kMaxDays);
    o_.facilities = std::clamp(o_.facilities, 0, kMaxFacilities);
    start_ = o_.start.days();
    end_ = start_ + o_.days - 1;
  }

  void WriteFacilities(std::ostream& out);
  void WritePatients(std::ostream& out);
  int64_t WriteServices(std::ostream& out);

 private:
  void NewPatient(int index, std::string& csv);
  const char* AdmitPatient(PatientGen& p, const std::vector<SynthBreak>& breaks, uint32_t& prog);
  void ChooseMedication(PatientGen& p, const std::vector<SynthBreak>& breaks, uint32_t prog);
  void Describe(PatientGen& p, const std::vector<SynthBreak>& breaks, PatientFields& out);
  void PlanRoutines(PatientGen& p, const std::vector<SynthBreak>& breaks);
  void PatientDay(PatientGen& p, int32_t day, int wd);
  void Emit(const PatientGen& p, int32_t day, std::string_view service, int quantity,
            std::string_view modality = {}, std::string_view npi = {}, std::string_view flags = {});
  std::string_view MaybeNpi(PatientGen& p, uint32_t per_mille);
  std::string_view TeleModality(PatientGen& p, uint32_t video, uint32_t audio);
  int Tier(const PatientGen& p, int tday) const;
  void Medication(PatientGen& p, int32_t day, int wd, int tday);
  void OralVisit(PatientGen& p, int32_t day, int wd, int tday, bool methadone);
  void Flush(std::ostream& out, bool force);

  SynthOptions o_;
  int32_t start_ = 0, end_ = 0;
  std::string chain_prefix_;
  std::vector<FacilityGen> facilities_;
  std::vector<PatientGen> patients_;
  std::vector<int64_t> record_counters_;
  std::vector<std::array<char, 10>> iso_;  // ISO text of each day of the period
  std::string buf_;
  int64_t rows_ = 0;
};

// ---- facility.xml -----------------------------------------------------------------------------
void Generator::WriteFacilities(std::ostream& out) {
  Rng rng(o_.seed, 0);
  const Chain& chain = kChains[rng.Below(kChains.size())];
  chain_prefix_ = chain.prefix;
  const int n = SynthFacilityCount(o_);

  std::array<int, kSites.size()> order{};
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  for (size_t i = order.size() - 1; i > 0; --i)
    std::swap(order[i], order[rng.Below(static_cast<uint32_t>(i + 1))]);

  const std::string tin = std::to_string(rng.Between(10, 98)) + Digits(rng, 7);
  const Date effective = Date::FromDays(start_ - 400);
  const Date expires = Date::FromDays(start_ + o_.days + 365);
  const std::string eff = effective.Iso(), exp = expires.Iso();
  const Site& first_site = kSites[static_cast<size_t>(order[0])];

  std::ostringstream x;
  x << "<!-- synthetic data written by otpbatch synth (seed " << o_.seed
    << "): every name, number and address is invented -->\n";
  x << "<otpbatch version=\"1\">\n";
  x << "  <submitter name=\"" << XmlEscape(chain.billing) << "\" id=\"SUB" << Digits(rng, 5)
    << "\" contact=\"" << kPractitionerFirst[rng.Below(8)] << " SAMPLE\" phone=\"55555501"
    << Digits(rng, 2) << "\"/>\n";
  x << "  <receiver name=\"" << first_site.mac_name << "\" id=\"" << first_site.mac
    << "\" usage=\"T\"/>\n";

  for (int i = 0; i < n; ++i) {
    const Site& site = kSites[static_cast<size_t>(order[static_cast<size_t>(i) % kSites.size()])];
    FacilityGen f;
    char id[16];
    std::snprintf(id, sizeof id, "%s%02d", chain.prefix, i + 1);
    f.id = id;
    f.name = std::string(chain.name) + " " + site.city;
    if (static_cast<size_t>(i) >= kSites.size()) f.name += " " + std::to_string(i / kSites.size() + 1);
    f.npi = MakeNpi(rng, '1');
    f.city = site.city;
    f.state = site.state;
    f.zip5 = site.zip5;
    const bool weekly = i > 0 && rng.PerMille(200);
    const std::string street = std::to_string(rng.Between(100, 4999)) + " " + kStreets[rng.Below(kStreets.size())];
    const std::string zip = f.zip5 + Digits(rng, 4);

    x << "  <facility id=\"" << f.id << "\" name=\"" << XmlEscape(f.name) << "\" npi=\"" << f.npi
      << "\" tin=\"" << tin << "\"\n            taxonomy=\"" << kOtpTaxonomy << "\" locality=\"" << site.locality
      << "\" episode-cycle=\"" << (weekly ? "weekday:monday" : "patient") << "\">\n";
    x << "    <address line1=\"" << street << "\" city=\"" << site.city << "\" state=\"" << site.state
      << "\" zip=\"" << zip << "\"/>\n";
    x << "    <payer name=\"" << site.mac_name << "\" id=\"" << site.mac << "\"/>\n";
    x << "    <credential kind=\"samhsa-certification\" status=\"full\" number=\"" << site.state << "-"
      << 10001 + i << "-M\" effective=\"" << eff << "\" expires=\"" << exp << "\"/>\n";
    x << "    <credential kind=\"accreditation\" body=\"" << kAccreditors[rng.Below(kAccreditors.size())]
      << "\" effective=\"" << eff << "\" expires=\"" << exp << "\"/>\n";
    x << "    <credential kind=\"dea-registration\" number=\"" << MakeDea(rng, chain.prefix[0])
      << "\" effective=\"" << eff << "\" expires=\"" << exp << "\"/>\n";
    x << "    <credential kind=\"state-license\" number=\"OTP-" << rng.Between(1000, 9999)
      << "\" effective=\"" << eff << "\" expires=\"" << exp << "\"/>\n";
    x << "    <credential kind=\"medicare-enrollment\" number=\"PTAN" << Digits(rng, 6)
      << "\" effective=\"" << eff << "\" expires=\"" << exp << "\"/>\n";
    x << "    <charge code=\"G2075\" amount=\"300.00\"/>\n";
    const int practitioners = rng.Between(3, 5);
    for (int k = 0; k < practitioners; ++k) {
      std::string npi = MakeNpi(rng, '1');
      x << "    <practitioner npi=\"" << npi << "\" last-name=\""
        << kPractitionerLast[rng.Below(kPractitionerLast.size())] << "\" first-name=\""
        << kPractitionerFirst[rng.Below(kPractitionerFirst.size())] << "\"/>\n";
      f.practitioner_npis.push_back(std::move(npi));
    }
    x << "  </facility>\n";
    facilities_.push_back(std::move(f));
  }
  x << "</otpbatch>\n";
  out << x.str();
  record_counters_.assign(facilities_.size(), 0);
}

// ---- patients.csv -----------------------------------------------------------------------------
void Generator::WritePatients(std::ostream& out) {
  std::string csv =
      "patient_id,facility_id,mbi,last_name,first_name,middle_initial,birth_date,sex,"
      "address_line1,city,state,zip,admission_date,discharge_date,program,payer,diagnosis,"
      "plan_counseling_minutes\n";
  patients_.reserve(static_cast<size_t>(o_.patients));
  for (int i = 0; i < o_.patients; ++i) {
    NewPatient(i, csv);
    if (csv.size() > (1u << 20)) { out << csv; csv.clear(); }
  }
  out << csv;
}


// Program, admission and discharge (the first draws of the patient's generator). A patient
// who breaks rules on purpose is admitted inside the period, at least three weeks before its
// end so that the 14-day checks fall due by the next night.
const char* Generator::AdmitPatient(PatientGen& p, const std::vector<SynthBreak>& breaks, uint32_t& prog) {
  Rng& r = p.rng;
  const int days = std::max(o_.days, 1);
  const uint32_t admit_window = static_cast<uint32_t>(breaks.empty() ? days : std::max(1, days - 21));
  prog = r.Below(1000);
  const char* program = prog < 880 ? "maintenance" : prog < 950 ? "withdrawal" : "interim";
  const bool new_admission = r.PerMille(150) || !breaks.empty();
  if (prog < 880) {
    p.admission = new_admission ? start_ + static_cast<int32_t>(r.Below(admit_window))
                                : start_ - 1 - static_cast<int32_t>(std::min(r.Below(1500), r.Below(1500)));
  } else if (prog < 950) {  // withdrawal: a short course
    p.admission = new_admission ? start_ + static_cast<int32_t>(r.Below(admit_window))
                                : start_ - r.Between(0, 25);
  } else {  // interim maintenance: at most 180 days
    p.admission = new_admission ? start_ + static_cast<int32_t>(r.Below(admit_window))
                                : start_ - r.Between(0, 60);
  }
  if (Weekday(p.admission) == 0) p.admission += 1;  // clinics are closed on Sundays
  int32_t discharge = kNever;
  if (prog >= 950) {
    discharge = p.admission + 179;
  } else if (prog >= 880) {
    discharge = p.admission + r.Between(30, 180);
  } else if (r.PerMille(60)) {
    const int32_t from = std::max(p.admission, start_) + 14;
    if (from <= end_) discharge = from + static_cast<int32_t>(r.Below(static_cast<uint32_t>(end_ - from + 1)));
  }
  if (discharge <= end_) p.discharge = discharge;
  return program;
}

// Medication, doses and how fast the patient earns take-homes.
void Generator::ChooseMedication(PatientGen& p, const std::vector<SynthBreak>& breaks, uint32_t prog) {
  Rng& r = p.rng;
  const FacilityGen& f = facilities_[static_cast<size_t>(p.fac)];
  const uint32_t med = r.Below(1000);
  if (prog >= 950) p.med = Med::kMethadone;
  else if (prog >= 880) p.med = med < 700 ? Med::kMethadone : Med::kBupOral;
  else p.med = med < 700 ? Med::kMethadone : med < 900 ? Med::kBupOral : med < 950 ? Med::kBupMonthly
                : med < 980 ? Med::kBupWeekly : med < 990 ? Med::kImplant : Med::kNaltrexone;
  if (!breaks.empty()) p.med = Med::kMethadone;  // the PA-5 / PA-6 breaks need methadone
  p.methadone_program = p.med == Med::kMethadone;
  const uint32_t stab = r.Below(1000);
  p.stability = prog >= 880 ? 0 : stab < 660 ? 0 : stab < 930 ? 1 : 2;
  if (p.med == Med::kMethadone) {
    p.target_dose = static_cast<int16_t>(r.Between(12, 24) * 5);  // 60–120 mg
    const uint32_t fd = r.Below(1000);
    if (fd < 975) p.first_dose = static_cast<int16_t>(r.Between(6, 10) * 5);  // 30–50 mg
    else if (fd < 990) { p.first_dose = 60; p.first_dose_justified = true; }
    else p.first_dose = 55;  // rare: above the first-day limit without a justification
    if (Breaks(breaks, SynthBreak::kHighFirstDose)) { p.first_dose = 55; p.first_dose_justified = false; }
  } else {
    p.target_dose = static_cast<int16_t>(r.Between(4, 12) * 2);  // 8–24 mg buprenorphine
    p.first_dose = static_cast<int16_t>(r.Between(2, 4) * 2);     // 4–8 mg
  }
  p.anchor = p.admission + r.Between(3, 14);
  p.prescriber = static_cast<uint8_t>(r.Below(static_cast<uint32_t>(f.practitioner_npis.size())));
  p.peer = r.PerMille(200);
}

// Payer, identifiers and demographics.
void Generator::Describe(PatientGen& p, const std::vector<SynthBreak>& breaks, PatientFields& out) {
  Rng& r = p.rng;
  const FacilityGen& f = facilities_[static_cast<size_t>(p.fac)];
  uint32_t pay = r.Below(1000);
  if (!breaks.empty()) pay = 0;  // Medicare, so that the billing breaks reach a claim
  out.payer = pay < 900 ? "medicare" : pay < 940 ? "medicare_advantage" : pay < 980 ? "medicaid" : "commercial";
  out.mbi = pay < 940 ? MakeMbi(r) : std::string();
  const uint32_t dx = r.Below(1000);
  out.diagnosis = dx < 800 ? "F11.20" : dx < 900 ? "F1120" : dx < 990 ? "F11.21" : "F10.20";
  if (Breaks(breaks, SynthBreak::kNonOudDiagnosis)) out.diagnosis = "F10.20";  // alcohol use disorder
  const uint32_t plan = r.Below(1000);
  out.plan_minutes = plan < 300 ? 0 : plan < 700 ? 30 : 60;
  out.sex = r.PerMille(600) ? 'M' : 'F';
  const int age = r.Between(24, 82);
  out.birth = Date::FromDays(start_ - age * 365 - static_cast<int32_t>(r.Below(365)));
  out.last = kLastNames[r.Below(kLastNames.size())];
  out.first = kFirstNames[r.Below(kFirstNames.size())];
  if (r.PerMille(600)) out.middle.push_back(static_cast<char>('A' + r.Below(26)));
  out.line1 = std::to_string(r.Between(10, 9999)) + " " + kStreets[r.Below(kStreets.size())];
  if (r.PerMille(80)) out.line1 += ", APT " + std::to_string(r.Between(1, 40));  // exercises CSV quoting
  out.zip = f.zip5;
  if (r.PerMille(500)) out.zip += Digits(r, 4);
}

// Routines: where each stands on the first day of the period (or of treatment), and the
// breaks' days. Those that must happen (intake, naloxone) fall within 14 days of admission,
// before any discharge (at least 14 days after admission) and the period's end.
void Generator::PlanRoutines(PatientGen& p, const std::vector<SynthBreak>& breaks) {
  Rng& r = p.rng;
  const int days = std::max(o_.days, 1);
  const int32_t from = std::max(p.admission, start_);
  if (p.admission >= start_ - 20) {  // admitted recently: the first-days events may fall in the period
    p.pe_day = p.admission + (r.PerMille(970) ? r.Between(0, 3) : r.Between(14, 20));
    p.psy_day = p.admission + (r.PerMille(970) ? r.Between(1, 7) : r.Between(14, 21));
    p.cp_day = p.psy_day + r.Between(0, 3);
  }
  auto open_day = [](int32_t d) { return Weekday(d) == 0 ? d + 1 : d; };  // not on a Sunday
  if (Breaks(breaks, SynthBreak::kLateExam)) p.pe_day = open_day(p.admission + r.Between(15, 21));
  if (Breaks(breaks, SynthBreak::kLatePsychosocial)) {
    p.psy_day = open_day(p.admission + r.Between(15, 21));
    p.cp_day = p.psy_day + r.Between(0, 3);
  }
  if (Breaks(breaks, SynthBreak::kRepeatIntake)) p.repeat_intake = open_day(p.admission + r.Between(7, 12));
  if (Breaks(breaks, SynthBreak::kTakeHomeAboveLadder)) p.ladder_break = p.admission + r.Between(3, 9);
  if (Breaks(breaks, SynthBreak::kNaloxoneRepeat)) {
    p.naloxone_first = open_day(p.admission + r.Between(1, 5));
    p.naloxone_repeat = open_day(p.naloxone_first + r.Between(3, 7));
  }
  p.next_pa = p.admission + r.Between(80, 88);
  while (p.next_pa < start_) p.next_pa += r.Between(80, 88);
  p.next_tox = p.admission >= start_ ? p.admission : from + static_cast<int32_t>(r.Below(25));
  p.next_counsel = p.admission >= start_ ? p.admission + r.Between(1, 4) : from + static_cast<int32_t>(r.Below(7));
  if (p.peer) p.next_peer = from + static_cast<int32_t>(r.Below(7));
  // Patients already on take-homes are somewhere inside their supply on the first day.
  static constexpr std::array<uint32_t, 4> kSupplyDays = {1, 2, 7, 14};
  p.covered_until = p.admission >= start_
                        ? p.admission - 1
                        : start_ - 1 + static_cast<int32_t>(r.Below(kSupplyDays[static_cast<size_t>(Tier(p, start_ - p.admission + 1))]));
  if (r.PerMille(40)) {  // a stretch of intensive outpatient services
    p.iop_from = p.admission >= start_ ? p.admission + 7 : start_ + static_cast<int32_t>(r.Below(static_cast<uint32_t>(days)));
    p.iop_to = p.iop_from + 7 * r.Between(6, 10) - 1;
  }
}

void Generator::NewPatient(int index, std::string& csv) {
  PatientGen p;
  p.rng = Rng(o_.seed, static_cast<uint64_t>(index) + 1);
  char id[24];
  std::snprintf(id, sizeof id, "P%06d", index + 1);
  p.id = id;
  p.fac = static_cast<int>(p.rng.Below(static_cast<uint32_t>(facilities_.size())));
  const FacilityGen& f = facilities_[static_cast<size_t>(p.fac)];
  const std::vector<SynthBreak> breaks = SynthBreaksOf(index);
  uint32_t prog = 0;
  PatientFields row;
  row.program = AdmitPatient(p, breaks, prog);
  ChooseMedication(p, breaks, prog);
  Describe(p, breaks, row);
  PlanRoutines(p, breaks);

  csv += p.id; csv += ','; csv += f.id; csv += ','; csv += row.mbi; csv += ',';
  csv += row.last; csv += ','; csv += row.first; csv += ','; csv += row.middle; csv += ',';
  csv += row.birth.Iso(); csv += ','; csv += row.sex; csv += ',';
  AppendCsvField(csv, row.line1); csv += ','; csv += f.city; csv += ','; csv += f.state; csv += ',';
  csv += row.zip; csv += ','; csv += Date::FromDays(p.admission).Iso(); csv += ',';
  if (p.discharge != kNever) csv += Date::FromDays(p.discharge).Iso();
  csv += ','; csv += row.program; csv += ','; csv += row.payer; csv += ','; csv += row.diagnosis; csv += ',';
  csv += std::to_string(row.plan_minutes); csv += '\n';
  patients_.push_back(std::move(p));
}

// ---- services.csv -----------------------------------------------------------------------------
std::string_view Generator::MaybeNpi(PatientGen& p, uint32_t per_mille) {
  if (!p.rng.PerMille(per_mille)) return {};
  return facilities_[static_cast<size_t>(p.fac)].practitioner_npis[p.prescriber];
}

std::string_view Generator::TeleModality(PatientGen& p, uint32_t video, uint32_t audio) {
  const uint32_t r = p.rng.Below(1000);
  return r < video ? "video" : r < video + audio ? "audio" : "in_person";
}

void Generator::Emit(const PatientGen& p, int32_t day, std::string_view service, int quantity,
                     std::string_view modality, std::string_view npi, std::string_view flags) {
  const FacilityGen& f = facilities_[static_cast<size_t>(p.fac)];
  int64_t n = ++record_counters_[static_cast<size_t>(p.fac)];
  char num[24];
  int len = std::snprintf(num, sizeof num, "%09lld", static_cast<long long>(n));
  std::string& b = buf_;
  b += f.id; b += '-'; b.append(num, static_cast<size_t>(len)); b += ',';
  b += f.id; b += ','; b += p.id; b += ',';
  b.append(iso_[static_cast<size_t>(day - start_)].data(), 10); b += ',';
  b += service; b += ',';
  len = std::snprintf(num, sizeof num, "%d", quantity);
  b.append(num, static_cast<size_t>(len)); b += ',';
  b += modality; b += ','; b += npi; b += ','; b += flags; b += '\n';
  ++rows_;
}

// Take-home level: 0 daily dosing (a Saturday take-home for the Sunday closure), 1 three
// visits a week, 2 weekly, 3 every two weeks. Methadone stays inside the PA-5 ladder
// (7 days in days 1–14, 14 from day 15, 28 from day 31).
int Generator::Tier(const PatientGen& p, int tday) const {
  if (p.med == Med::kMethadone) {
    if (p.stability == 1) return tday > 365 ? 2 : tday > 90 ? 1 : 0;
    if (p.stability == 2) return tday > 540 ? 3 : tday > 180 ? 2 : tday > 60 ? 1 : 0;
    return 0;
  }
  if (p.stability == 1) return tday > 90 ? 2 : 0;
  if (p.stability == 2) return tday > 365 ? 3 : tday > 60 ? 2 : 0;
  return 0;
}

void Generator::OralVisit(PatientGen& p, int32_t day, int wd, int tday, bool methadone) {
  if (day <= p.covered_until || wd == 0) return;  // medication at hand, or clinic closed
  // Take-homes for methadone and oral buprenorphine patients; daily dosing while inducing
  // before an injection or implant.
  const int level = (p.med == Med::kMethadone || p.med == Med::kBupOral) ? Tier(p, tday) : 0;
  if (level == 0 && tday > 1 && p.rng.PerMille(30)) return;  // a missed day
  int dose;
  if (tday <= 1) dose = p.first_dose;
  else if (methadone) dose = std::min<int>(p.target_dose, p.first_dose + 5 * ((tday - 1) / 3));
  else dose = std::min<int>(p.target_dose, p.first_dose + 4 * ((tday - 1) / 2));
  if (!methadone && p.med != Med::kBupOral) dose = std::min(dose, 16);  // induction before an injection
  const bool justified = tday <= 1 && p.first_dose_justified;
  Emit(p, day, methadone ? "methadone_dose" : "buprenorphine_oral_dose", dose, {},
       MaybeNpi(p, 650), justified ? "dose_justified" : "");
  int takehome = 0;
  switch (level) {
    case 0: takehome = wd == 6 ? 1 : 0; break;
    case 1: takehome = wd == 5 ? 2 : 1; break;  // Mon, Wed, Fri visits
    case 2: takehome = 6; break;
    default: takehome = 13; break;
  }
  if (methadone && day >= p.ladder_break) {  // SynthBreak::kTakeHomeAboveLadder
    takehome = 10;
    p.ladder_break = kNever;
  }
  if (takehome > 0) {
    Emit(p, day, methadone ? "methadone_takehome" : "buprenorphine_takehome", takehome, {},
         MaybeNpi(p, 500));
  }
  p.covered_until = day + takehome;
}

void Generator::Medication(PatientGen& p, int32_t day, int wd, int tday) {
  auto every = [&](int period) { return day >= p.anchor && (day - p.anchor) % period == 0; };
  switch (p.med) {
    case Med::kMethadone: OralVisit(p, day, wd, tday, true); break;
    case Med::kBupOral: OralVisit(p, day, wd, tday, false); break;
    case Med::kBupMonthly:
      if (day < p.anchor) OralVisit(p, day, wd, tday, false);
      else if (every(28))
        Emit(p, day, "buprenorphine_injection_monthly", (day - p.anchor) / 28 < 2 ? 300 : 100, {}, MaybeNpi(p, 900));
      break;
    case Med::kBupWeekly:
      if (day < p.anchor) OralVisit(p, day, wd, tday, false);
      else if (every(7)) Emit(p, day, "buprenorphine_injection_weekly", p.target_dose >= 16 ? 24 : 16, {}, MaybeNpi(p, 900));
      break;
    case Med::kImplant:
      if (day < p.anchor) OralVisit(p, day, wd, tday, false);
      else if (day == p.anchor) Emit(p, day, "buprenorphine_implant_insert", 1, {}, MaybeNpi(p, 1000));
      else if (every(182)) Emit(p, day, "buprenorphine_implant_insert_remove", 1, {}, MaybeNpi(p, 1000));
      break;
    case Med::kNaltrexone:
      if (every(28)) Emit(p, day, "naltrexone_injection", 380, {}, MaybeNpi(p, 900));
      break;
  }
}

void Generator::PatientDay(PatientGen& p, int32_t day, int wd) {
  if (day < p.admission || day > p.discharge) return;
  const int tday = day - p.admission + 1;
  const bool weekday = wd >= 1 && wd <= 5;

  if (day == p.admission || day == p.repeat_intake) {
    Emit(p, day, "intake", 1, p.methadone_program ? "in_person" : TeleModality(p, 100, 0), MaybeNpi(p, 1000));
  }
  if (day == p.pe_day) Emit(p, day, "physical_exam", 1, "in_person", MaybeNpi(p, 1000));
  if (day == p.psy_day) Emit(p, day, "psychosocial_assessment", 1, TeleModality(p, 100, 0));
  if (day == p.cp_day) Emit(p, day, "care_plan", 1);
  if (day >= p.next_tox && wd != 0) {
    Emit(p, day, "toxicology_test", 1);
    p.next_tox = day + p.rng.Between(18, 38);
  }
  Medication(p, day, wd, tday);
  if (day >= p.next_counsel && wd != 0) {
    if (p.rng.PerMille(650)) {
      static constexpr std::array<int, 3> kMinutes = {30, 45, 60};
      Emit(p, day, "counseling_individual", kMinutes[p.rng.Below(3)], TeleModality(p, 120, 60));
    } else {
      Emit(p, day, "counseling_group", p.rng.PerMille(700) ? 60 : 90, TeleModality(p, 50, 0));
    }
    p.next_counsel = day + p.rng.Between(3, 7);
  }
  if (day >= p.next_pa && weekday) {
    Emit(p, day, "periodic_assessment", 1, TeleModality(p, 150, 50), MaybeNpi(p, 800));
    Emit(p, day, "care_plan", 1);  // reviewed with the assessment
    p.next_pa = day + p.rng.Between(80, 88);
  }
  if (day == p.naloxone_first || day == p.naloxone_repeat) {  // SynthBreak::kNaloxoneRepeat
    Emit(p, day, "naloxone_nasal_4mg", 1);
    p.last_naloxone = day;
  } else if (wd != 0) {
    if (day == p.admission && p.rng.PerMille(300)) {
      Emit(p, day, "naloxone_nasal_4mg", 1);
      p.last_naloxone = day;
    } else if (p.rng.PerMille(4)) {
      const bool recent = day - p.last_naloxone < 30;
      if (!recent || p.rng.PerMille(200)) {
        Emit(p, day, p.rng.PerMille(900) ? "naloxone_nasal_4mg" : "naloxone_nasal_8mg", 1, {}, {},
             recent ? "medically_necessary" : "");
        p.last_naloxone = day;
      }
    }
  }
  if (weekday) {
    if (day >= p.next_peer) {
      Emit(p, day, "peer_support", p.rng.PerMille(500) ? 30 : 60, TeleModality(p, 100, 50));
      p.next_peer = day + p.rng.Between(5, 9);
    }
    if (p.rng.PerMille(8)) Emit(p, day, "care_coordination", p.rng.PerMille(600) ? 30 : 60);
    if (p.rng.PerMille(3)) Emit(p, day, "patient_navigation", 30);
    if (day >= p.iop_from && day <= p.iop_to && (wd == 1 || wd == 3 || wd == 5)) {
      for (int k = 0; k < 3; ++k) Emit(p, day, "iop_service", 1);
    }
  }
}

void Generator::Flush(std::ostream& out, bool force) {
  if (force || buf_.size() >= (1u << 20)) {
    out.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }
}

int64_t Generator::WriteServices(std::ostream& out) {
  iso_.resize(static_cast<size_t>(o_.days));
  for (int i = 0; i < o_.days; ++i) {
    const std::string s = Date::FromDays(start_ + i).Iso();
    std::copy_n(s.data(), 10, iso_[static_cast<size_t>(i)].data());
  }
  buf_.reserve((1u << 20) + 4096);
  buf_ = "record_id,facility_id,patient_id,service_date,service,quantity,modality,practitioner_npi,flags\n";
  for (int32_t day = start_; day <= end_; ++day) {
    const int wd = Weekday(day);
    for (PatientGen& p : patients_) PatientDay(p, day, wd);
    Flush(out, false);
  }
  Flush(out, true);
  return rows_;
}

}  // namespace

std::vector<SynthBreak> SynthBreaksOf(int patient_index) {
  if (patient_index < 0 || patient_index % kSynthBreakEvery != 5) return {};
  const int k = patient_index / kSynthBreakEvery;
  return {static_cast<SynthBreak>((2 * k) % kSynthBreakKinds),
          static_cast<SynthBreak>((2 * k + 1) % kSynthBreakKinds)};
}

Status ValidateSynthOptions(const SynthOptions& o) {
  if (o.patients < 0 || o.patients > kMaxPatients)
    return Status::InvalidArgument("--patients must be between 0 and 10000000");
  if (o.days < 0 || o.days > kMaxDays) return Status::InvalidArgument("--days must be between 0 and 3660");
  if (o.facilities < 0 || o.facilities > kMaxFacilities)
    return Status::InvalidArgument("--facilities must be between 0 (automatic) and 50");
  if (o.start < Date::FromYmd(1990, 1, 1) || o.start > Date::FromYmd(9000, 1, 1))
    return Status::InvalidArgument("--start must be between 1990-01-01 and 9000-01-01");
  return Status::Ok();
}

int SynthFacilityCount(const SynthOptions& o) {
  int n = std::clamp(o.facilities, 0, kMaxFacilities);
  if (n > 0) return n;
  const int patients = std::clamp(o.patients, 0, kMaxPatients);
  n = std::max(1, (patients + 399) / 400);
  if (patients >= 50) n = std::max(n, 2);
  return std::min(n, kMaxFacilities);
}

int64_t SynthesizeTo(const SynthOptions& o, std::ostream& facility_xml, std::ostream& patients_csv,
                     std::ostream& services_csv) {
  Generator g(o);
  g.WriteFacilities(facility_xml);
  g.WritePatients(patients_csv);
  return g.WriteServices(services_csv);
}

SynthFiles Synthesize(const SynthOptions& o) {
  std::ostringstream fx, pc, sc;
  SynthFiles files;
  files.service_rows = SynthesizeTo(o, fx, pc, sc);
  files.facility_xml = std::move(fx).str();
  files.patients_csv = std::move(pc).str();
  files.services_csv = std::move(sc).str();
  return files;
}

}  // namespace otp
