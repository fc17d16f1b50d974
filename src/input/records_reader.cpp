// patients.csv and services.csv: column maps, field checks and reject reasons.
#include "input/records_reader.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdint>

#include "input/csv.h"
#include "input/validators.h"
#include "model/service.h"
#include "model/text.h"

namespace otp {
namespace {

std::string Quote(std::string_view v) {
  // Values quoted in reasons are controlled-vocabulary words, ids or dates of service, never
  // names, MBIs, addresses, birth, admission or discharge dates; capped so that a garbage
  // field cannot flood a message.
  std::string s = "\"";
  s += TruncateUtf8(v, 64);
  if (v.size() > 64) s += "…";
  return s + "\"";
}


// ---- patients ---------------------------------------------------------------------------------
enum PatientCol : size_t {
  kPatientId, kPFacilityId, kMbi, kLastName, kFirstName, kMiddleInitial, kBirthDate, kSex,
  kAddressLine1, kCity, kState, kZip, kAdmissionDate, kDischargeDate, kProgram, kPayer,
  kDiagnosis, kPlanCounselingMinutes, kPatientColCount
};

std::vector<CsvColumn> PatientColumns() {
  return {{"patient_id", true},     {"facility_id", true},   {"mbi", false},
          {"last_name", true},      {"first_name", true},    {"middle_initial", false},
          {"birth_date", true},     {"sex", true},           {"address_line1", true},
          {"city", true},           {"state", true},         {"zip", true},
          {"admission_date", true}, {"discharge_date", false}, {"program", false},
          {"payer", true},          {"diagnosis", true},     {"plan_counseling_minutes", false}};
}

struct Problem {
  std::string column, reason;
};

// Every field of the row, the columns this reader ignores included, is UTF-8 text without
// control characters (interface.md §1.3): checked before anything else, so that no other reason
// quotes a bad byte, and no bad byte reaches the ledger's ids, the workbook or the 837P.
std::optional<Problem> CleanText(const CsvTable& t) {
  if (auto e = t.TextProblem()) return Problem{std::move(e->column), std::move(e->reason)};
  return std::nullopt;
}

// An id for a Reject (the workbook's Rejected sheet shows it): only when it is clean text.
std::string IdForReject(std::string_view v) { return TextFieldProblem(v).empty() ? std::string(v) : std::string(); }

// Checks one patients.csv row; on success fills `p`. The first problem found is returned.
std::optional<Problem> CheckPatient(const CsvTable& t, const Config& config, Patient& p) {
  auto need = [&](size_t col) -> std::optional<Problem> {
    if (t.Get(col).empty()) return Problem{t.ColumnName(col), t.ColumnName(col) + " is required"};
    return std::nullopt;
  };
  // A required text field that the 837P must carry (names, street, city).
  auto need_text = [&](size_t col) -> std::optional<Problem> {
    if (auto e = need(col)) return e;
    if (!HasX12Text(t.Get(col)))
      return Problem{t.ColumnName(col), t.ColumnName(col) +
                                            " has no letter or digit (A-Z, 0-9 or an accented Latin letter)"};
    return std::nullopt;
  };
  if (auto e = CleanText(t)) return e;
  if (auto e = need(kPatientId)) return e;
  p.patient_id = t.Get(kPatientId);
  if (auto e = need(kPFacilityId)) return e;
  p.facility_id = t.Get(kPFacilityId);
  if (!config.FindFacility(p.facility_id))
    return Problem{"facility_id", "facility_id " + Quote(p.facility_id) + " is not a <facility> in the configuration"};

  if (auto e = need(kPayer)) return e;
  auto payer = ParsePayer(t.Get(kPayer));
  if (!payer)
    return Problem{"payer", "payer " + Quote(t.Get(kPayer)) +
                                " is not medicare, medicare_advantage, medicaid, commercial or self"};
  p.payer = *payer;

  std::string_view mbi = t.Get(kMbi);
  if (mbi.empty()) {
    if (p.payer == Payer::kMedicare) return Problem{"mbi", "mbi is required for a medicare patient"};
    p.mbi.clear();
  } else {
    auto m = NormalizeMbi(mbi);
    if (!m) return Problem{"mbi", "invalid MBI format (11 characters, CMS MBI format, upper case)"};
    p.mbi = std::move(*m);
  }

  if (auto e = need_text(kLastName)) return e;
  if (auto e = need_text(kFirstName)) return e;
  p.last_name = t.Get(kLastName);
  p.first_name = t.Get(kFirstName);
  p.middle_initial = t.Get(kMiddleInitial);

  if (auto e = need(kBirthDate)) return e;
  auto bd = Date::Parse(t.Get(kBirthDate));
  if (!bd) return Problem{"birth_date", "birth_date is not a real date (YYYY-MM-DD)"};
  p.birth_date = *bd;

  if (auto e = need(kSex)) return e;
  std::string_view sex = t.Get(kSex);
  if (sex != "M" && sex != "F" && sex != "U") return Problem{"sex", "sex must be M, F or U"};
  p.sex = sex[0];

  if (auto e = need_text(kAddressLine1)) return e;
  if (auto e = need_text(kCity)) return e;
  if (auto e = need(kState)) return e;
  if (auto e = need(kZip)) return e;
  p.address.line1 = t.Get(kAddressLine1);
  p.address.city = t.Get(kCity);
  p.address.state = t.Get(kState);
  if (!IsValidStateCode(p.address.state))
    return Problem{"state", "state is not a US state or territory code (two upper-case letters)"};
  auto zip = NormalizeZip(t.Get(kZip));
  if (!zip) return Problem{"zip", "zip must be 5 or 9 digits"};
  p.address.zip = std::move(*zip);

  if (auto e = need(kAdmissionDate)) return e;
  auto adm = Date::Parse(t.Get(kAdmissionDate));
  if (!adm) return Problem{"admission_date", "admission_date is not a real date (YYYY-MM-DD)"};
  p.admission_date = *adm;
  std::string_view dis = t.Get(kDischargeDate);
  if (dis.empty()) {
    p.discharge_date.reset();
  } else {
    auto d = Date::Parse(dis);
    if (!d) return Problem{"discharge_date", "discharge_date is not a real date (YYYY-MM-DD)"};
    if (*d < *adm) return Problem{"discharge_date", "discharge_date is before admission_date"};
    p.discharge_date = *d;
  }

  // An empty program is the column's default, maintenance (interface.md §1.2).
  std::optional<Program> program =
      t.Get(kProgram).empty() ? Program::kMaintenance : ParseProgram(t.Get(kProgram));
  if (!program)
    return Problem{"program", "program " + Quote(t.Get(kProgram)) + " is not maintenance, withdrawal or interim"};
  p.program = *program;

  if (auto e = need(kDiagnosis)) return e;
  auto dx = NormalizeIcd10(t.Get(kDiagnosis));
  if (!dx) return Problem{"diagnosis", "diagnosis is not an ICD-10-CM code (e.g. F11.20)"};
  p.diagnosis = std::move(*dx);

  std::string_view minutes = t.Get(kPlanCounselingMinutes);
  if (minutes.empty()) {
    p.plan_counseling_minutes = 0;
  } else {
    if (!AllDigits(minutes) || minutes.size() > 5)
      return Problem{"plan_counseling_minutes", "plan_counseling_minutes " + Quote(minutes) +
                                                    " is not a non-negative whole number of minutes"};
    int v = std::stoi(std::string(minutes));
    if (v > 7 * 24 * 60)
      return Problem{"plan_counseling_minutes", "plan_counseling_minutes " + Quote(minutes) +
                                                    " is more than the minutes in a week"};
    p.plan_counseling_minutes = v;
  }
  return std::nullopt;
}

// ---- services ---------------------------------------------------------------------------------
enum ServiceCol : size_t {
  kRecordId, kSFacilityId, kSPatientId, kServiceDate, kService, kQuantity, kModality,
  kPractitionerNpi, kFlags, kServiceColCount
};

std::vector<CsvColumn> ServiceColumns() {
  return {{"record_id", true},    {"facility_id", true}, {"patient_id", true},
          {"service_date", true}, {"service", true},     {"quantity", false},
          {"modality", false},    {"practitioner_npi", false}, {"flags", false}};
}

constexpr size_t kMaxRecordId = 64;

const char* UnitWord(const std::string& unit, int64_t micros) {
  // "1 day", "28 days", "0.5 mg", "1 minute".
  if (unit == "days") return micros == kMicrosPerUnit ? "day" : "days";
  if (unit == "minutes") return micros == kMicrosPerUnit ? "minute" : "minutes";
  if (unit == "count") return "";
  return unit.c_str();
}

std::string Amount(const QuantityBound& b, int64_t micros) {
  std::string s = MicrosText(micros);
  const char* unit = UnitWord(b.unit, micros);
  if (*unit) s.append(" ").append(unit);
  return s;
}

// SC-6: the quantity column as an exact decimal within its digits and its service's bound
// (codes/limits.xml). An empty quantity is 1 (interface.md §1.3) and meets the same bound.
std::optional<Problem> CheckQuantity(std::string_view qty, Service service, const QuantityBounds& bounds,
                                     double& out) {
  const QuantityBound& b = bounds.Of(service);
  int64_t micros = kMicrosPerUnit;
  if (!qty.empty()) {
    const DecimalRead d = ReadDecimal(qty, bounds.max_integer_digits, bounds.max_decimals);
    const std::string q = "quantity " + Quote(qty);
    switch (d.problem) {
      case DecimalProblem::kNone: break;
      case DecimalProblem::kEmpty: break;  // not reached: qty is not empty
      case DecimalProblem::kNegative: return Problem{"quantity", q + " is negative"};
      case DecimalProblem::kSign:
        return Problem{"quantity", q + " is not a number: write digits and at most one decimal point, no sign"};
      case DecimalProblem::kExponent:
        return Problem{"quantity", q + " is not a number: write the digits out, no exponent"};
      case DecimalProblem::kNotANumber:
        return Problem{"quantity", q + " is not a number: digits and at most one decimal point"};
      case DecimalProblem::kTooManyDigits:
        return Problem{"quantity", q + " has " + std::to_string(d.integer_digits) +
                                       " digits before the decimal point; at most " +
                                       std::to_string(bounds.max_integer_digits) +
                                       " (codes/limits.xml quantity.max_integer_digits)"};
      case DecimalProblem::kTooManyDecimals:
        return Problem{"quantity", q + " has " + std::to_string(d.decimals) + " decimals; at most " +
                                       std::to_string(bounds.max_decimals) +
                                       " (codes/limits.xml quantity.max_decimals)"};
    }
    micros = d.micros;
  }
  if (micros < b.min_micros || micros > b.max_micros) {
    const bool low = micros < b.min_micros;
    std::string what = qty.empty() ? "quantity is empty, which means 1," : "quantity " + Quote(qty) + " is";
    return Problem{"quantity", what + (low ? " below " : " above ") + Amount(b, low ? b.min_micros : b.max_micros) +
                                   ", the " + (low ? "least" : "most") + " a " + std::string(ServiceName(service)) +
                                   " row may have (codes/limits.xml " + b.limit_id + ")"};
  }
  out = static_cast<double>(micros) / static_cast<double>(kMicrosPerUnit);
  return std::nullopt;
}

std::optional<Problem> CheckService(const CsvTable& t, const Config& config, const QuantityBounds& bounds,
                                    const PatientTable& patients, ServiceRecord& r) {
  if (auto e = CleanText(t)) return e;
  std::string_view rid = t.Get(kRecordId);
  if (rid.empty()) return Problem{"record_id", "record_id is required"};
  if (rid.size() > kMaxRecordId)
    return Problem{"record_id", "record_id is " + std::to_string(rid.size()) + " characters, at most 64 are allowed"};
  r.record_id = rid;

  std::string_view fid = t.Get(kSFacilityId);
  if (fid.empty()) return Problem{"facility_id", "facility_id is required"};
  r.facility_id = fid;
  if (!config.FindFacility(r.facility_id))
    return Problem{"facility_id", "facility_id " + Quote(fid) + " is not a <facility> in the configuration"};

  std::string_view pid = t.Get(kSPatientId);
  if (pid.empty()) return Problem{"patient_id", "patient_id is required"};
  r.patient_id = pid;
  if (!patients.Find(fid, pid)) {
    if (patients.WasRejected(fid, pid))
      return Problem{"patient_id", "patient_id " + Quote(pid) + " has a rejected row in the patients file"};
    return Problem{"patient_id", "patient_id " + Quote(pid) + " is not in the patients file for facility " + Quote(fid)};
  }

  std::string_view date = t.Get(kServiceDate);
  if (date.empty()) return Problem{"service_date", "service_date is required"};
  auto d = Date::Parse(date);
  if (!d) return Problem{"service_date", "service_date " + Quote(date) + " is not a real date (YYYY-MM-DD)"};
  r.service_date = *d;

  std::string_view word = t.Get(kService);
  if (word.empty()) return Problem{"service", "service is required"};
  auto s = ParseService(word);
  if (!s) return Problem{"service", "service " + Quote(word) + " is not a word of the service vocabulary"};
  r.service = *s;

  if (auto e = CheckQuantity(t.Get(kQuantity), r.service, bounds, r.quantity)) return e;

  std::string_view mod = t.Get(kModality);
  auto m = ParseModality(mod);
  if (!m) return Problem{"modality", "modality " + Quote(mod) + " is not in_person, video or audio"};
  r.modality = *m;

  std::string_view npi = t.Get(kPractitionerNpi);
  if (!npi.empty() && !IsValidNpi(npi))
    return Problem{"practitioner_npi", "practitioner_npi " + Quote(npi) +
                                           " is not a valid NPI (10 digits, Luhn check with prefix 80840)"};
  r.practitioner_npi = npi;

  r.flags = 0;
  std::string_view flags = t.Get(kFlags);
  while (!flags.empty()) {
    size_t semi = flags.find(';');
    std::string_view f = flags.substr(0, semi);
    flags = semi == std::string_view::npos ? std::string_view() : flags.substr(semi + 1);
    while (!f.empty() && (f.front() == ' ' || f.front() == '\t')) f.remove_prefix(1);
    while (!f.empty() && (f.back() == ' ' || f.back() == '\t')) f.remove_suffix(1);
    if (f.empty()) continue;
    if (f == "dose_justified") r.flags |= kFlagDoseJustified;
    else if (f == "medically_necessary") r.flags |= kFlagMedicallyNecessary;
    else if (f == "sma168_exception") r.flags |= kFlagSma168Exception;
    else
      return Problem{"flags", "flag " + Quote(f) +
                                  " is not dose_justified, medically_necessary or sma168_exception"};
  }
  return std::nullopt;
}

}  // namespace

std::string PatientKey(std::string_view facility_id, std::string_view patient_id) {
  std::string k;
  k.reserve(facility_id.size() + 1 + patient_id.size());
  k.append(facility_id).push_back('\x1F');
  k.append(patient_id);
  return k;
}

namespace {
// The lookup key built in a reused buffer: Find runs once per service row.
std::string_view LookupKey(std::string_view facility_id, std::string_view patient_id) {
  thread_local std::string buf;
  buf.assign(facility_id).push_back('\x1F');
  buf.append(patient_id);
  return buf;
}
}  // namespace

const Patient* PatientTable::Find(std::string_view facility_id, std::string_view patient_id) const {
  auto it = index.find(LookupKey(facility_id, patient_id));
  return it == index.end() ? nullptr : &patients[it->second];
}

bool PatientTable::WasRejected(std::string_view facility_id, std::string_view patient_id) const {
  return rejected.find(LookupKey(facility_id, patient_id)) != rejected.end();
}

void PatientTable::Reindex() {
  index.clear();
  index.reserve(patients.size());
  for (size_t i = 0; i < patients.size(); ++i)
    index.emplace(PatientKey(patients[i].facility_id, patients[i].patient_id), i);
}

Result<PatientTable> ReadPatients(const std::string& file_name, std::string_view content,
                                  const Config& config, Reporter& reporter) {
  auto opened = CsvTable::Open(file_name, content, PatientColumns(), reporter);
  if (!opened.ok()) return opened.status();
  CsvTable t = std::move(opened).value();
  PatientTable table;
  // Room for every line up front: grown by doubling, the table of a chain's patients would be
  // moved whole into fresh memory at each step.
  const auto lines = static_cast<size_t>(std::count(content.begin(), content.end(), '\n'));
  table.patients.reserve(lines);
  table.index.reserve(lines);
  while (t.Next()) {
    Patient p;
    std::optional<Problem> problem = CheckPatient(t, config, p);
    std::string key;
    if (!problem) {
      key = PatientKey(p.facility_id, p.patient_id);
      auto it = table.index.find(std::string_view(key));
      if (it != table.index.end())
        problem = Problem{"patient_id", "patient_id " + Quote(p.patient_id) + " repeats line " +
                                            std::to_string(table.patients[it->second].source.line) +
                                            " of facility " + Quote(p.facility_id)};
    }
    if (problem) {
      Reject r = t.MakeReject(problem->column, problem->reason);
      r.record_id = IdForReject(t.Get(kPatientId));
      r.facility_id = IdForReject(t.Get(kPFacilityId));
      if (!r.record_id.empty() && !r.facility_id.empty())
        table.rejected.insert(PatientKey(r.facility_id, r.record_id));
      reporter.OnReject(r);
      continue;
    }
    p.source = SourceRef{file_name, t.line()};
    table.index.emplace(std::move(key), table.patients.size());
    table.patients.push_back(std::move(p));
  }
  // A patient with an accepted row is not "rejected", even if another of its rows was.
  for (auto it = table.rejected.begin(); it != table.rejected.end();) {
    if (table.index.count(*it)) it = table.rejected.erase(it); else ++it;
  }
  table.rows_read = t.rows_read();
  return table;
}

std::string ServiceContentHash(const ServiceRecord& r) {
  // Each field as normalised text, separated by U+001F; the date as its day number and the
  // quantity in shortest round-trip form, so "80" and "80.0" hash alike.
  char qty[32];
  std::string_view q(qty, static_cast<size_t>(std::to_chars(qty, qty + sizeof qty, r.quantity).ptr - qty));
  char day[16];
  std::string_view d(day, static_cast<size_t>(std::to_chars(day, day + sizeof day, r.service_date.days()).ptr - day));
  char flags[16];
  std::string_view f(flags, static_cast<size_t>(std::to_chars(flags, flags + sizeof flags, r.flags).ptr - flags));
  const std::string_view sep("\x1F", 1);
  uint64_t h = Fnv1a(r.facility_id);
  for (std::string_view part : {sep, std::string_view(r.patient_id), sep, d, sep, ServiceName(r.service), sep, q,
                                sep, ModalityName(r.modality), sep, std::string_view(r.practitioner_npi), sep, f})
    h = Fnv1a(part, h);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<size_t>(i)] = kHex[h & 0xF];
  return out;
}

namespace {
// The rows of the file seen so far, by (facility, record_id), for the duplicate checks: a
// compact open-addressing table of 24-byte slots, so that memory for a file of millions of rows
// stays far below what keeping the rows themselves would take. A pair is identified by two independent
// hashes (64 + 32 bits: two different pairs would have to agree on 96 bits), its content by
// ServiceContentHash's 64 bits, as before.
class SeenRows {
 public:
  struct Slot {
    uint64_t key = 0, content = 0;
    uint32_t key2 = 0, line = 0;  // line 0: empty (data rows start on line 2)
  };
  explicit SeenRows(size_t expected) { slots_.resize(std::max<size_t>(16, expected + expected / 2 + 1)); }
  // The slot of this pair: filled (line != 0) when the pair was seen, else empty for Put.
  Slot& Find(uint64_t key, uint32_t key2) {
    if (used_ * 3 >= slots_.size() * 2) Grow();
    size_t i = Index(key);
    for (;;) {
      Slot& s = slots_[i];
      if (s.line == 0 || (s.key == key && s.key2 == key2)) return s;
      if (++i == slots_.size()) i = 0;
    }
  }
  void Put(Slot& s, uint64_t key, uint32_t key2, uint64_t content, int64_t line) {
    s = Slot{key, content, key2, static_cast<uint32_t>(std::min<int64_t>(line, UINT32_MAX))};
    ++used_;
  }

 private:
  size_t Index(uint64_t key) const {
    return static_cast<size_t>((static_cast<unsigned __int128>(key) * slots_.size()) >> 64);
  }
  void Grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old) {
      if (s.line == 0) continue;
      size_t i = Index(s.key);
      while (slots_[i].line != 0)
        if (++i == slots_.size()) i = 0;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

uint64_t HexValue(std::string_view hex) {
  uint64_t v = 0;
  for (char c : hex) v = (v << 4) | static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  return v;
}
}  // namespace

Status CheckServicesHeader(const std::string& file_name, std::string_view content) {
  CollectingReporter quiet;
  auto opened = CsvTable::Open(file_name, content, ServiceColumns(), quiet);
  return opened.ok() ? Status::Ok() : opened.status();
}

Result<ServiceRead> ReadServices(const std::string& file_name, std::string_view content,
                                 const Config& config, const QuantityBounds& bounds,
                                 const PatientTable& patients, Reporter& reporter,
                                 const std::function<bool(ServiceRecord&)>& on_row,
                                 const std::function<void(size_t)>& consumed) {
  auto opened = CsvTable::Open(file_name, content, ServiceColumns(), reporter);
  if (!opened.ok()) return opened.status();
  CsvTable t = std::move(opened).value();
  ServiceRead out;
  // Sized from the file's length (a row is some 70 bytes; it grows if the rows are shorter), not
  // by counting its lines: that would read a mapped file through before its first row.
  SeenRows seen(content.size() / 64);
  int64_t since_told = 0;
  while (t.Next()) {
    if (consumed && ++since_told == 16384) {
      since_told = 0;
      consumed(static_cast<size_t>(t.raw().data() - content.data()));  // this row is still read
    }
    ServiceRecord r;
    std::optional<Problem> problem = CheckService(t, config, bounds, patients, r);
    if (!problem) {
      r.content_hash = ServiceContentHash(r);
      const std::string_view sep("\x1F", 1);
      uint64_t key = Fnv1a(r.record_id, Fnv1a(sep, Fnv1a(r.facility_id)));
      // A second, independent hash of the pair: FNV-1a from another basis, over the reversed order.
      uint64_t k2 = Fnv1a(r.facility_id, Fnv1a(sep, Fnv1a(r.record_id, 0x84222325cbf29ce4ULL)));
      uint32_t key2 = static_cast<uint32_t>(k2 ^ (k2 >> 32));
      uint64_t content_hash = HexValue(r.content_hash);
      SeenRows::Slot& slot = seen.Find(key, key2);
      if (slot.line != 0) {
        if (slot.content == content_hash) {
          ++out.duplicates_identical;
          reporter.OnWarning(file_name, t.line(),
                             "record_id " + Quote(r.record_id) + " repeats line " + std::to_string(slot.line) +
                                 " with identical content; the row is counted once");
          continue;
        }
        problem = Problem{"record_id", "duplicate of line " + std::to_string(slot.line) + ": record_id " +
                                           Quote(r.record_id) + " with different content"};
      } else {
        seen.Put(slot, key, key2, content_hash, t.line());
      }
    }
    if (problem) {
      Reject rej = t.MakeReject(problem->column, problem->reason);
      std::string_view rid = t.Get(kRecordId);
      if (rid.size() <= kMaxRecordId) rej.record_id = IdForReject(rid);
      rej.facility_id = IdForReject(t.Get(kSFacilityId));
      reporter.OnReject(rej);
      continue;
    }
    r.source = SourceRef{file_name, t.line()};
    ++out.accepted;
    if (!on_row(r)) {
      out.stopped = true;
      return out;
    }
  }
  out.rows_read = t.rows_read();
  return out;
}

Result<ServiceRead> ReadServices(const std::string& file_name, std::string_view content,
                                 const Config& config, const QuantityBounds& bounds,
                                 const PatientTable& patients, Reporter& reporter) {
  std::vector<ServiceRecord> records;
  auto read = ReadServices(file_name, content, config, bounds, patients, reporter,
                           [&](ServiceRecord& r) {
                             records.push_back(std::move(r));
                             return true;
                           });
  if (read.ok()) read.value().records = std::move(records);
  return read;
}

}  // namespace otp
