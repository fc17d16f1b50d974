// The plain value types that flow through the pipeline: the facility file, patients and
// service rows as read; rejects; episodes, claim lines, holds and findings as decided.
// No behaviour here beyond small helpers: readers fill these, rules read them.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/date.h"
#include "model/money.h"
#include "model/service.h"

namespace otp {

// ---- facility.xml -------------------------------------------------------------------------
struct Address {
  std::string line1, line2, city, state, zip;
};

// The five credential kinds every facility must list: the facility file's contract
// (interface.md §1.1). The one list the facility reader, the program gates (CL-2, in this order
// a failed gate is reported) and PG-1 use. The certification and the accreditation have rules
// of their own: a provisional certification's term, accreditation required with a full one.
inline constexpr std::string_view kCertificationKind = "samhsa-certification";
inline constexpr std::string_view kAccreditationKind = "accreditation";
inline constexpr std::array<std::string_view, 5> kCredentialKinds = {
    kCertificationKind, kAccreditationKind, "dea-registration", "state-license", "medicare-enrollment"};

// The NUCC provider taxonomy of an opioid treatment program (a methadone clinic), which the
// 837P's billing provider carries (PRV*BI*PXC) and the facility file's example shows
// (interface.md §1.1). The facility reader warns about another one; it never refuses it.
inline constexpr std::string_view kOtpTaxonomy = "261QM2800X";

struct Credential {
  std::string kind;        // samhsa-certification, accreditation, dea-registration, state-license, medicare-enrollment
  std::string status;      // samhsa-certification only: full | provisional
  std::string number;
  std::string body;        // accreditation only
  Date effective;
  std::optional<Date> expires;  // inclusive; nullopt = open-ended
  bool Covers(Date d) const { return effective <= d && (!expires || d <= *expires); }
};

struct Practitioner {  // optional <practitioner npi last-name first-name/> (our extension)
  std::string npi, last_name, first_name;
};

struct EpisodeCycle {
  bool patient = true;  // episode-cycle="patient"
  int weekday = 1;      // for weekday:NAME, 0 = Sunday … 6 = Saturday
};

struct Facility {
  std::string id, name, npi, tin, taxonomy, locality;
  EpisodeCycle cycle;
  Address address;
  std::string payer_name, payer_id;
  std::vector<Credential> credentials;
  std::map<std::string, Money> charges;  // contractor-priced code → facility charge
  std::vector<Practitioner> practitioners;
};

struct Submitter { std::string name, id, contact, phone; };
struct Receiver { std::string name, id; char usage = 'T'; };  // usage: T test, P production

struct Config {
  Submitter submitter;
  Receiver receiver;
  std::vector<Facility> facilities;
  const Facility* FindFacility(const std::string& id) const {
    for (const auto& f : facilities) if (f.id == id) return &f;
    return nullptr;
  }
};

// ---- patients.csv / services.csv -------------------------------------------------------------
enum class Program { kMaintenance, kWithdrawal, kInterim };
enum class Payer { kMedicare, kMedicareAdvantage, kMedicaid, kCommercial, kSelf };
// The patients.csv words for a program and a payer (interface.md §1.2), and back. Parse* take
// exactly those words and give nullopt for anything else, the empty field included: a default
// for an empty column is the reader's decision.
const char* ProgramName(Program p);
const char* PayerName(Payer p);
std::optional<Program> ParseProgram(std::string_view word);
std::optional<Payer> ParsePayer(std::string_view word);

// Where a row came from, for every message and for the ledger.
struct SourceRef {
  std::string file;  // the file name as given on the command line
  int64_t line = 0;  // 1-based physical line where the record starts
};

struct Patient {
  std::string patient_id, facility_id, mbi;
  std::string last_name, first_name, middle_initial;
  Date birth_date;
  char sex = 'U';
  Address address;
  Date admission_date;
  std::optional<Date> discharge_date;
  Program program = Program::kMaintenance;
  Payer payer = Payer::kMedicare;
  std::string diagnosis;  // ICD-10-CM without the dot, upper case (F1120)
  int plan_counseling_minutes = 0;
  SourceRef source;
};

struct ServiceRecord {
  std::string record_id, facility_id, patient_id;
  Date service_date;
  Service service = Service::kMethadoneDose;
  double quantity = 1;
  Modality modality = Modality::kInPerson;
  std::string practitioner_npi;
  unsigned flags = 0;
  SourceRef source;
  std::string content_hash;  // of the normalised fields: tells a re-sent row from a changed one
  bool Has(ServiceFlag f) const { return (flags & f) != 0; }
};

// A row that could not be accepted (interface.md §1.3).
struct Reject {
  std::string file;
  int64_t line = 0;
  std::string column;  // the column's header name, or "" for a whole-row problem
  std::string reason;
  std::string record_id;  // when known
  std::string facility_id;
  std::string raw;        // the row's text as read (kept in the ledger, never logged)
};

// ---- decisions ------------------------------------------------------------------------------
enum class Severity { kViolation, kWarning, kInfo };
const char* SeverityName(Severity s);
std::optional<Severity> ParseSeverity(std::string_view word);

struct Finding {
  std::string rule_id;   // PA-1, BU-4-overlap, …
  std::string citation;
  Severity severity = Severity::kWarning;
  std::string facility_id;
  std::string patient_id;  // empty for a facility finding
  Date date;
  std::string detail;
  std::string key;         // occurrence key: a re-run raises the same key once only
};

}  // namespace otp
