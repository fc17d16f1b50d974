// Ledger implementation: schema, migrations, and the prepared statements behind each call.
#include "ledger/ledger.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <ctime>
#include <limits>
#include <span>
#include <sstream>
#include <tuple>

#include "ledger/sqlite_db.h"

namespace otp {
namespace {

// The codes History reads of a patient's billed lines: intakes (AD-1) and the overdose codes
// (AD-4). AddClaim copies such lines into history_lines; the upgrade to v7 copies the lines
// already billed.
constexpr std::array<std::string_view, 5> kHistoryCodes = {"G2076", "G2215", "G1028", "G2216", "G0532"};
bool IsHistoryCode(std::string_view code) {
  return std::find(kHistoryCodes.begin(), kHistoryCodes.end(), code) != kHistoryCodes.end();
}
// The episodes table's columns (kSchema; Migrate copies a v4 ledger's episodes into it).
#define OTP_EPISODES_TABLE \
  "(facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL, " \
  "bundle_code TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL, run_id INTEGER NOT NULL, " \
  "PRIMARY KEY (facility_id, start_date, patient_id)) WITHOUT ROWID"
constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  run_id INTEGER PRIMARY KEY, as_of TEXT NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER,
  dry_run INTEGER NOT NULL, status TEXT NOT NULL, inputs TEXT NOT NULL, summary TEXT);
CREATE TABLE IF NOT EXISTS patients (
  facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, mbi TEXT, last_name TEXT, first_name TEXT,
  middle_initial TEXT, birth_date TEXT, sex TEXT, address_line1 TEXT, city TEXT, state TEXT, zip TEXT,
  admission_date TEXT, discharge_date TEXT, program TEXT, payer TEXT, diagnosis TEXT,
  plan_counseling_minutes INTEGER, source_file TEXT, source_line INTEGER, run_id INTEGER,
  PRIMARY KEY (facility_id, patient_id));
CREATE TABLE IF NOT EXISTS service_rows (
  facility_id TEXT NOT NULL, record_id TEXT NOT NULL, patient_id TEXT NOT NULL, service_date TEXT NOT NULL,
  service TEXT NOT NULL, quantity REAL NOT NULL, modality TEXT NOT NULL, practitioner_npi TEXT NOT NULL,
  flags INTEGER NOT NULL, content_hash TEXT NOT NULL, source_file TEXT, source_line INTEGER,
  first_run INTEGER NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', decided_run INTEGER,
  changed_hash TEXT NOT NULL DEFAULT '');  -- v2: the changed content last held record-changed
-- (facility_id, record_id) is unique: service_rows_record (kRecordIndex, made by Migrate).
-- Ledgers of earlier versions have it as the table's PRIMARY KEY instead.
-- Its indexes service_rows_dated and service_rows_open: kDatedIndex, kOpenIndex (Migrate).
CREATE TABLE IF NOT EXISTS rejects (
  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, file TEXT, line INTEGER, column_name TEXT, reason TEXT,
  record_id TEXT, facility_id TEXT, raw TEXT);
-- v5: kept in (facility, start_date, patient) order (WITHOUT ROWID), a night's episodes, all
-- starting in the last weeks, go to the end of each facility's entries: a few hundred pages on
-- the night that bills most patients' week. Before v5 a rowid table keyed by patient first, with
-- its key's index and episodes_end: two B-trees written one leaf per billed patient (20,000
-- pages of that night at a chain's year). A patient's latest end is kept in episode_last.
CREATE TABLE IF NOT EXISTS episodes )SQL" OTP_EPISODES_TABLE R"SQL(;
-- v5: the latest end of each patient's episodes (History), kept by AddEpisodes: one small row per
-- patient instead of an index of every episode by patient.
CREATE TABLE IF NOT EXISTS episode_last (
  facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, end_date TEXT NOT NULL,
  PRIMARY KEY (facility_id, patient_id)) WITHOUT ROWID;
-- A patient's claims are not indexed by patient (claims_by_patient until v5, written one leaf
-- per billed patient): History finds a patient's billed codes in history_lines.
CREATE TABLE IF NOT EXISTS claims (
  claim_id TEXT PRIMARY KEY, run_id INTEGER NOT NULL, facility_id TEXT NOT NULL, patient_id TEXT NOT NULL,
  diagnosis TEXT NOT NULL, total_cents INTEGER NOT NULL, interchange INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS claim_lines (
  claim_id TEXT NOT NULL, line_no INTEGER NOT NULL, code TEXT NOT NULL, modifiers TEXT NOT NULL,
  dos TEXT NOT NULL, units INTEGER NOT NULL, unit_cents INTEGER NOT NULL, charge_cents INTEGER NOT NULL,
  rule_id TEXT NOT NULL, rate_ref TEXT NOT NULL, practitioner_npi TEXT NOT NULL, episode_start TEXT NOT NULL,
  PRIMARY KEY (claim_id, line_no));
CREATE INDEX IF NOT EXISTS claim_lines_dos ON claim_lines (dos);
-- v7: each billed line of an intake or overdose code (History; the codes: kHistoryCodes)
-- with its claim's patient, in (facility, patient, date) order: a night's book reads it front to
-- back, where the partial index claim_lines_history (by claim, until v6) needed a claim look-up
-- per line and a sort (0.22-0.31 s of every night at a chain's year). A few hundred lines a night.
CREATE TABLE IF NOT EXISTS history_lines (
  facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, dos TEXT NOT NULL, code TEXT NOT NULL,
  claim_id TEXT NOT NULL, line_no INTEGER NOT NULL,
  PRIMARY KEY (facility_id, patient_id, dos, claim_id, line_no)) WITHOUT ROWID;
-- once only (CL-7): a source row feeds at most one line of a given code, ever.
CREATE TABLE IF NOT EXISTS line_sources (
  claim_id TEXT NOT NULL, line_no INTEGER NOT NULL, facility_id TEXT NOT NULL, record_id TEXT NOT NULL,
  code TEXT NOT NULL);
-- ... by the unique index line_sources_once (kOnceIndex, made by Migrate; a table constraint in
-- ledgers of earlier versions).
CREATE INDEX IF NOT EXISTS line_sources_claim ON line_sources (claim_id, line_no);
CREATE TABLE IF NOT EXISTS holds (
  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, facility_id TEXT, patient_id TEXT, date TEXT, code TEXT,
  reason TEXT, detail TEXT, record_ids TEXT);
CREATE TABLE IF NOT EXISTS findings (
  key TEXT PRIMARY KEY, run_id INTEGER NOT NULL, rule_id TEXT NOT NULL, citation TEXT, severity TEXT,
  facility_id TEXT, patient_id TEXT, date TEXT, detail TEXT);
CREATE TABLE IF NOT EXISTS windows (
  facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, from_date TEXT NOT NULL, to_date TEXT NOT NULL,
  code TEXT NOT NULL, source_record_id TEXT NOT NULL, run_id INTEGER NOT NULL,
  UNIQUE (facility_id, source_record_id, code));
-- Within v7: the coverage windows by (facility, end), with every column (History's book reads the index
-- only): a night reads the windows that end on or after its patients' earliest open rows (the
-- last weeks' pages, unless an old open row reaches further back: 196 of 1,067 pages at a
-- chain's year), and the windows it adds go to the end of each facility's entries. By
-- patient (windows_patient, before) each night read every window of the ledger, a table
-- look-up each (20 MB of the 100 MB the night that bills most patients' week read at a chain's
-- year), and wrote a leaf of the index per billed patient.
CREATE INDEX IF NOT EXISTS windows_by_end ON windows (facility_id, to_date, patient_id, from_date, code,
  source_record_id);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
-- v4: each facility's first date of service (FirstServiceDate), moved by the rows stored since.
CREATE TABLE IF NOT EXISTS facility_first (facility_id TEXT PRIMARY KEY, first_date TEXT NOT NULL);
-- per patient, what the care checks last judged it on and the as-of date of that judgement
-- (Ledger::CareBases): a night judges again only the days it has not judged on this basis.
-- v6: with the CareFacts of that judgement (Ledger::CareFacts: first_dose … counseling_rowid);
-- first_day_terms: the terms PA-6 judged the first dose day on (Ledger::CareBasisRow).
-- v8: checks, the rows PA-1..PA-4 read (CareFacts::checks, as EncodeChecks writes them; NULL:
-- kept before v8, read from service_rows_checks).
CREATE TABLE IF NOT EXISTS care_basis (
  facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, basis TEXT NOT NULL, judged_through TEXT NOT NULL,
  first_dose TEXT, counseling_date TEXT, counseling_service TEXT, counseling_rowid INTEGER, first_day_terms TEXT,
  checks BLOB,
  PRIMARY KEY (facility_id, patient_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS interchanges (
  control INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, facility_id TEXT NOT NULL, path TEXT NOT NULL,
  content TEXT NOT NULL, published INTEGER NOT NULL DEFAULT 0);
)SQL";

std::string JoinIds(const std::vector<std::string>& v, char sep = ' ') {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += sep;
    s += v[i];
  }
  return s;
}
std::vector<std::string> SplitIds(const std::string& s, char sep = ' ') {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep))
    if (!cur.empty()) out.push_back(cur);
  return out;
}
Date D(std::string_view s) {
  // A patient's rows repeat the same few dates: the last one parsed is kept (per thread).
  thread_local char last[10] = {0};
  thread_local Date last_date;
  if (s.size() == sizeof last && std::memcmp(s.data(), last, sizeof last) == 0) return last_date;
  Date d = Date::Parse(s).value_or(Date());
  if (s.size() == sizeof last) {
    std::memcpy(last, s.data(), sizeof last);
    last_date = d;
  }
  return d;
}

// A patient's rows as the pass hands them over: by date of service, then rowid.
bool DayThenRowid(const LedgerRow& a, const LedgerRow& b) {
  if (a.record.service_date != b.record.service_date) return a.record.service_date < b.record.service_date;
  return a.rowid < b.rowid;
}

Severity ParseSeverity(const std::string& s) {
  if (s == "violation") return Severity::kViolation;
  if (s == "info") return Severity::kInfo;
  return Severity::kWarning;
}

// The rows the time-bound care checks read whole (PA-1..PA-4: physical_exam,
// psychosocial_assessment, care_plan, toxicology_test), by patient. Since v8 each patient's are
// kept with its care basis (CareFacts::checks), and an incremental night reads this index only
// for a basis kept before (its existence also tells ForEachPatient that IndexCareRows has run).
// kChecksWhere is the index's WHERE word for word: SQLite uses a partial index only for a query
// whose WHERE has its terms. Built by IndexCareRows at the end of a night, not in kSchema: a
// first night's million rows are indexed in one sorted build instead of one random insert
// each. It covers what the pass reads of a row (date, service, rowid; quantity and flags, which
// the pass read before v8, are left as they were rather than rebuild the index), so it reads
// the index only. It replaces the wider
// service_rows_care_v2 (which also held take-home and counseling rows, a third of the ledger:
// PA-5 now reads only the days it has not judged, PA-8 only the last counseling day) and the
// first service_rows_care; IndexCareRows drops both.
#define OTP_CHECKS_WHERE \
  "service IN ('physical_exam', 'psychosocial_assessment', 'care_plan', 'toxicology_test')"
constexpr const char* kChecksWhere = OTP_CHECKS_WHERE;
constexpr const char* kChecksIndex =
    "CREATE INDEX IF NOT EXISTS service_rows_checks ON service_rows "
    "(facility_id, patient_id, service_date, service, quantity, flags) WHERE " OTP_CHECKS_WHERE;
#undef OTP_CHECKS_WHERE
// care_basis.checks (v8): for each CheckRow in order, a letter for its service, its date as the
// days since the one before (the first: since 1970-01-01, zigzag for a date before it), and its
// rowid, each number as an unsigned LEB128 varint: about 6 bytes a row where text would take 20.
// The letters, not the enum's values, so that a new service cannot change what is kept.
constexpr std::pair<Service, char> kCheckLetters[] = {{Service::kPhysicalExam, 'e'},
                                                      {Service::kPsychosocialAssessment, 'a'},
                                                      {Service::kCarePlan, 'p'},
                                                      {Service::kToxicologyTest, 't'}};
// The services kChecksWhere names (those kCheckLetters has a letter for).
bool IsCheckService(Service s) {
  return std::any_of(std::begin(kCheckLetters), std::end(kCheckLetters), [&](const auto& l) { return l.first == s; });
}
void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
bool GetVarint(std::string_view& in, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}
std::string EncodeChecks(const std::vector<Ledger::CheckRow>& rows) {
  std::string out;
  out.reserve(rows.size() * 7);
  int64_t day = 0;
  for (const auto& r : rows) {
    for (const auto& [service, letter] : kCheckLetters)
      if (service == r.service) out.push_back(letter);
    const int64_t delta = r.date.days() - day;
    PutVarint(out, delta >= 0 ? static_cast<uint64_t>(delta) * 2 : static_cast<uint64_t>(-delta) * 2 - 1);
    PutVarint(out, static_cast<uint64_t>(r.rowid));
    day = r.date.days();
  }
  return out;
}
// False, with `out` empty, when `in` is not what EncodeChecks writes.
bool DecodeChecks(std::string_view in, std::vector<Ledger::CheckRow>& out) {
  out.clear();
  const auto fail = [&] {
    out.clear();
    return false;
  };
  int64_t day = 0;
  while (!in.empty()) {
    const char letter = in.front();
    in.remove_prefix(1);
    Ledger::CheckRow r;
    const auto* known = std::find_if(std::begin(kCheckLetters), std::end(kCheckLetters),
                                     [&](const auto& l) { return l.second == letter; });
    uint64_t zigzag = 0, rowid = 0;
    if (known == std::end(kCheckLetters) || !GetVarint(in, zigzag) || !GetVarint(in, rowid)) return fail();
    day += (zigzag & 1) ? -static_cast<int64_t>(zigzag >> 1) - 1 : static_cast<int64_t>(zigzag >> 1);
    r.service = known->first;
    r.date = Date::FromDays(static_cast<int32_t>(day));
    r.rowid = static_cast<int64_t>(rowid);
    if (!out.empty() && !(out.back() < r)) return fail();  // in order, each once
    out.push_back(r);
  }
  return true;
}
// The unique indexes that make a record and a (record, code) line source once only. Separate
// indexes, not table constraints, so that a bulk load can build them once, sorted, after the
// rows are in (a duplicate then fails the build, and the night rolls back). Ledgers made
// before have them as table constraints (sqlite_autoindex_*), which stay.
constexpr const char* kRecordIndex =
    "CREATE UNIQUE INDEX IF NOT EXISTS service_rows_record ON service_rows (facility_id, record_id)";
constexpr const char* kOnceIndex =
    "CREATE UNIQUE INDEX IF NOT EXISTS line_sources_once ON line_sources (facility_id, record_id, code)";
// service_rows' other two indexes (Migrate makes them; a bulk load builds them after its rows).
// The decided rows by (facility, date, patient, service) (v6). Open rows are not in it: the pass
// holds every open row anyway, and a row enters the index when it is decided, for most rows the
// night their week is billed. Such a night's rows are all dated in the last weeks: they go to
// the end of each facility's entries, a few hundred pages. Ordered by patient first
// (service_rows_decided, v5) the same night wrote one leaf or more per billed patient, 34,690
// of the 56,005 pages of the night that billed most patients' week at a chain's year. A
// patient's rows are found by (facility, day, patient): the days read whole, the days since its
// last judgement, and for a patient read whole every day of its facility's rows; PA-6 and PA-8
// read what is kept per patient (Ledger::CareFacts) instead of its whole admission. Every
// query of it says `status <> 'open'` (kDecided): SQLite uses a partial index only for a query
// whose WHERE has its terms.
#define OTP_DECIDED "status <> 'open'"
constexpr const char* kDecided = OTP_DECIDED;
constexpr const char* kDatedIndex =
    "CREATE INDEX IF NOT EXISTS service_rows_dated ON service_rows (facility_id, service_date, patient_id, service) "
    "WHERE " OTP_DECIDED;
#undef OTP_DECIDED
constexpr const char* kOpenIndex =
    "CREATE INDEX IF NOT EXISTS service_rows_open ON service_rows (status) WHERE status = 'open'";

// A bulk load stores the rows dated in the last kRecentDays before its as-of date after the
// others (IndexRows): the week the night leaves open, whose rows the next nights decide.
constexpr int kRecentDays = 8;
// Open rows held at once by ForEachPatient's selective pass; above it, one walk over every row.
constexpr int64_t kMaxOpenHeld = 250000;
// Before every date: History's book reaching back this far holds every window of a facility.
constexpr Date kBeforeAll = Date::FromDays(std::numeric_limits<int32_t>::min());

constexpr const char* kRowCols =
    "facility_id, record_id, patient_id, service_date, service, quantity, modality, practitioner_npi, flags, "
    "content_hash, source_file, source_line";

ServiceRecord RowFrom(sql::Stmt& s) {
  ServiceRecord r;
  r.facility_id = s.View(0);
  r.record_id = s.View(1);
  r.patient_id = s.View(2);
  r.service_date = D(s.View(3));
  r.service = ParseService(s.View(4)).value_or(Service::kMethadoneDose);
  r.quantity = s.Real(5);
  r.modality = ParseModality(s.View(6)).value_or(Modality::kInPerson);
  r.practitioner_npi = s.View(7);
  r.flags = static_cast<unsigned>(s.Int(8));
  r.content_hash = s.View(9);
  r.source.file = s.View(10);
  r.source.line = s.Int(11);
  return r;
}

Program ParseProgramName(const std::string& s) {
  if (s == "withdrawal") return Program::kWithdrawal;
  if (s == "interim") return Program::kInterim;
  return Program::kMaintenance;
}
Payer ParsePayerName(const std::string& s) {
  for (Payer p : {Payer::kMedicare, Payer::kMedicareAdvantage, Payer::kMedicaid, Payer::kCommercial, Payer::kSelf})
    if (s == PayerName(p)) return p;
  return Payer::kSelf;
}

}  // namespace

const char* RowStateName(RowState s) {
  switch (s) {
    case RowState::kNew: return "new";
    case RowState::kOpen: return "open";
    case RowState::kAlreadyDecided: return "already-processed";
    case RowState::kChangedOpen: return "changed-open";
    default: return "changed-decided";
  }
}

// ---------------------------------------------------------------------------------------------
Result<std::unique_ptr<LedgerLock>> LedgerLock::Acquire(const std::string& db_path, std::time_t now) {
  std::string path = db_path + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io("cannot open lock file " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[128] = {0};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "another run";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
    return Status::Busy("the ledger " + db_path + " is locked by " + holder);
  }
  char tbuf[32];
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(tbuf, sizeof tbuf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string who = "pid " + std::to_string(::getpid()) + " since " + tbuf + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, who.data(), who.size(), 0) < 0) {
    // The lock is held even if the note cannot be written.
  }
  return std::unique_ptr<LedgerLock>(new LedgerLock(fd, path));
}

LedgerLock::~LedgerLock() {
  if (::ftruncate(fd_, 0) != 0) {
  }
  ::close(fd_);
}

// ---------------------------------------------------------------------------------------------
struct Ledger::Statements {
  explicit Statements(sql::Db& db)
      : find_row(db, "SELECT content_hash, status, changed_hash, rowid, patient_id FROM service_rows "
                     "WHERE facility_id = ?1 AND record_id = ?2"),
        note_change(db, "UPDATE service_rows SET changed_hash = ?3 WHERE facility_id = ?1 AND record_id = ?2"),
        insert_row(db, std::string("INSERT INTO service_rows (") + kRowCols +
                           ", first_run, status) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,'open') "
                           "ON CONFLICT (facility_id, record_id) DO NOTHING"),
        update_row(db, "UPDATE service_rows SET patient_id=?3, service_date=?4, service=?5, quantity=?6, modality=?7, "
                       "practitioner_npi=?8, flags=?9, content_hash=?10, source_file=?11, source_line=?12 "
                       "WHERE facility_id=?1 AND record_id=?2"),
        set_outcome(db, "UPDATE service_rows SET status=?3, reason=?4, decided_run=?5 "
                        "WHERE facility_id=?1 AND record_id=?2"),
        open_rows(db, std::string("SELECT ") + kRowCols +
                          " FROM service_rows WHERE status='open' ORDER BY facility_id, patient_id, service_date"),
        upsert_patient(db,
                       "INSERT INTO patients VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21) "
                       "ON CONFLICT (facility_id, patient_id) DO UPDATE SET mbi=?3, last_name=?4, first_name=?5, "
                       "middle_initial=?6, birth_date=?7, sex=?8, address_line1=?9, city=?10, state=?11, zip=?12, "
                       "admission_date=?13, discharge_date=?14, program=?15, payer=?16, diagnosis=?17, "
                       "plan_counseling_minutes=?18, source_file=?19, source_line=?20, run_id=?21 "
                       // A patient as on record is not written again (run_id: the run that last
                       // changed it): every night sends every patient, and rewriting them all
                       // wrote 1,402 pages a night at a chain's 33,000 patients.
                       "WHERE (mbi, last_name, first_name, middle_initial, birth_date, sex, address_line1, city, state, "
                       "zip, admission_date, discharge_date, program, payer, diagnosis, plan_counseling_minutes, "
                       "source_file, source_line) IS NOT (?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)"),
        load_patient(db, "SELECT * FROM patients WHERE facility_id=?1 AND patient_id=?2"),
        all_patients(db, "SELECT * FROM patients ORDER BY facility_id, patient_id"),
        set_care_basis(db, "INSERT OR REPLACE INTO care_basis (facility_id, patient_id, basis, judged_through, "
                           "first_dose, counseling_date, counseling_service, counseling_rowid, first_day_terms, "
                           "checks) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"),
        forget_care_basis(db, "DELETE FROM care_basis WHERE facility_id = ?1 AND patient_id = ?2"),
        add_reject(db, "INSERT INTO rejects (run_id, file, line, column_name, reason, record_id, facility_id, raw) "
                       "VALUES (?1,?2,?3,?4,?5,?6,?7,?8)"),
        episodes_of(db, "SELECT end_date FROM episode_last WHERE facility_id=?1 AND patient_id=?2"),
        windows_of(db, "SELECT from_date, to_date, code, source_record_id FROM windows "
                       "WHERE facility_id=?1 AND patient_id=?2 ORDER BY from_date, rowid"),
        billed_codes_of(db, "SELECT code, dos FROM history_lines WHERE facility_id=?1 AND patient_id=?2 "
                            "ORDER BY dos, claim_id, line_no"),
        add_episode(db, "INSERT INTO episodes VALUES (?1,?2,?3,?4,?5,?6,?7,?8)"),
        move_last_episode(db, "INSERT INTO episode_last VALUES (?1,?2,?3) ON CONFLICT (facility_id, patient_id) "
                              "DO UPDATE SET end_date = excluded.end_date WHERE excluded.end_date > end_date"),
        add_hold(db, "INSERT INTO holds (run_id, facility_id, patient_id, date, code, reason, detail, record_ids) "
                     "VALUES (?1,?2,?3,?4,?5,?6,?7,?8)"),
        add_finding(db, "INSERT OR IGNORE INTO findings VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"),
        add_window(db, "INSERT OR IGNORE INTO windows VALUES (?1,?2,?3,?4,?5,?6,?7)"),
        next_counter(db, "INSERT INTO counters VALUES (?1, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 "
                         "RETURNING value"),
        add_claim(db, "INSERT INTO claims VALUES (?1,?2,?3,?4,?5,?6,?7)"),
        add_line(db, "INSERT INTO claim_lines VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)"),
        add_history_line(db, "INSERT INTO history_lines VALUES (?1,?2,?3,?4,?5,?6)"),
        add_source(db, "INSERT INTO line_sources VALUES (?1,?2,?3,?4,?5)"),
        add_interchange(db, "INSERT INTO interchanges VALUES (?1,?2,?3,?4,?5,0)"),
        mark_published(db, "UPDATE interchanges SET published = 1 WHERE control = ?1"),
        unpublished(db, "SELECT control, facility_id, path, content FROM interchanges WHERE published = 0 "
                        "ORDER BY control"),
        find_claim(db, "SELECT claim_id, run_id, facility_id, patient_id, diagnosis, interchange FROM claims "
                       "WHERE claim_id = ?1"),
        lines_of(db, "SELECT line_no, code, modifiers, dos, units, unit_cents, charge_cents, rule_id, rate_ref, "
                     "practitioner_npi, episode_start FROM claim_lines WHERE claim_id = ?1 ORDER BY line_no"),
        sources_of(db, "SELECT record_id FROM line_sources WHERE claim_id = ?1 AND line_no = ?2 ORDER BY rowid"),
        claims_between(db, "SELECT DISTINCT claim_id FROM claim_lines WHERE dos BETWEEN ?1 AND ?2 ORDER BY claim_id"),
        holds_between(db, "SELECT facility_id, patient_id, date, code, reason, detail, record_ids FROM holds "
                          "WHERE date BETWEEN ?1 AND ?2 ORDER BY date, facility_id, patient_id, id"),
        findings_between(db, "SELECT key, rule_id, citation, severity, facility_id, patient_id, date, detail "
                             "FROM findings WHERE date BETWEEN ?1 AND ?2 ORDER BY date, rule_id, key"),
        rejects_of_runs(db, "SELECT r.file, r.line, r.column_name, r.reason, r.record_id, r.facility_id, r.raw "
                            "FROM rejects r JOIN runs u ON u.run_id = r.run_id "
                            "WHERE u.as_of BETWEEN ?1 AND ?2 ORDER BY r.id"),
        rejects_of_run(db, "SELECT file, line, column_name, reason, record_id, facility_id, raw FROM rejects "
                           "WHERE run_id = ?1 ORDER BY id") {}

  sql::Stmt find_row, note_change, insert_row, update_row, set_outcome, open_rows, upsert_patient, load_patient,
      all_patients, set_care_basis, forget_care_basis, add_reject, episodes_of, windows_of, billed_codes_of, add_episode,
      move_last_episode, add_hold, add_finding,
      add_window, next_counter, add_claim, add_line, add_history_line, add_source, add_interchange, mark_published, unpublished,
      find_claim, lines_of, sources_of, claims_between, holds_between, findings_between, rejects_of_runs,
      rejects_of_run;
};

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& path) {
  auto db = sql::Db::Open(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<Ledger> l(new Ledger(db.value()));
  try {
    l->Migrate();
    l->st_ = std::make_unique<Statements>(*l->db_);
  } catch (const sql::Error& e) {
    return Status::Io(e.what());
  }
  return l;
}

Ledger::Ledger(sql::Db* db) : db_(db) {}
Ledger::~Ledger() {
  staging_.reset();
  st_.reset();
  db_.reset();
}

void Ledger::Migrate() {
  // A 64 MiB page cache: a night touches its rows several times (store, bill, check), and the
  // default 2 MiB made each pass read the pages back from disk. Temporary data in files: an
  // index built over ten million rows sorts in runs of the cache's size spilled to SQLite's
  // (unlinked) temporary files, not in 400 MB of memory; small temporaries stay in the cache.
  // threads=2: those sorts use the second core.
  // Pages of 16 KiB (kPageSize) for a new ledger. One that exists keeps its own: SQLite changes
  // it only by VACUUM (docs/operations.md), and the size is asked for only on an empty file, so
  // that no VACUUM on this connection would ever change it unasked.
  {
    sql::Stmt pages(*db_, "PRAGMA page_count");
    const bool empty = pages.Step() && pages.Int(0) == 0;
    pages.Reset();
    if (empty) db_->Exec("PRAGMA page_size=" + std::to_string(kPageSize) + ";");
  }
  db_->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-65536; PRAGMA temp_store=FILE; PRAGMA threads=2;");
  db_->Exec("BEGIN IMMEDIATE");
  // Indexes replaced by others (kSchema and kDatedIndex create the new ones): a large ledger
  // pays one sorted build of each new index the first time a new binary opens it.
  // Indexes no longer kept (v5): claims_by_patient, episodes_end (see kSchema); (v6)
  // service_rows_decided, by patient (kDatedIndex); windows_patient (windows_by_end, within v7).
  db_->Exec("DROP INDEX IF EXISTS service_rows_patient; DROP INDEX IF EXISTS claims_patient; "
            "DROP INDEX IF EXISTS episodes_patient; DROP INDEX IF EXISTS service_rows_by_patient; "
            "DROP INDEX IF EXISTS claims_by_patient; DROP INDEX IF EXISTS episodes_end; "
            "DROP INDEX IF EXISTS service_rows_decided; DROP INDEX IF EXISTS claim_lines_history; "
            "DROP INDEX IF EXISTS windows_patient");
  db_->Exec(kSchema);
  db_->Exec(kDatedIndex);
  db_->Exec(kOpenIndex);
  if (!HasIndex("sqlite_autoindex_service_rows_1")) db_->Exec(kRecordIndex);
  if (!HasIndex("sqlite_autoindex_line_sources_1")) db_->Exec(kOnceIndex);
  {
    sql::Stmt get(*db_, "SELECT value FROM meta WHERE key = 'schema_version'");
    const std::optional<int> version = get.Step() ? std::optional<int>(std::stoi(get.Text(0))) : std::nullopt;
    get.Reset();  // a statement still reading would keep a migration from dropping a table
    if (version) {
      const int v = *version;
      if (v > kSchemaVersion) {
        db_->Exec("ROLLBACK");
        throw sql::Error("ledger schema version " + std::to_string(v) + " is newer than this otpbatch (" +
                         std::to_string(kSchemaVersion) + ")");
      }
      // Migrations from older versions, one step per version.
      if (v < 2) {
        // v2: a row that changed after it was decided is held record-changed once, not every
        // night the EHR sends it again.
        db_->Exec("ALTER TABLE service_rows ADD COLUMN changed_hash TEXT NOT NULL DEFAULT ''");
      }
      // v3: care_basis is made by kSchema above; with no basis on record every patient's care
      // is judged from every row on the first night (one walk over the table).
      // v4: facility_first is made by kSchema above, empty: each facility's first date is
      // counted from the rows once, on the first night.
      if (v < 5) {
        // v5: episodes in (facility, start, patient) order (kSchema), copied once from the rowid
        // table of earlier versions (which kSchema found and left as it was); each patient's
        // latest end into episode_last (made empty by kSchema).
        db_->Exec("CREATE TABLE episodes_v5 " OTP_EPISODES_TABLE "; "
                  "INSERT INTO episodes_v5 SELECT facility_id, patient_id, start_date, end_date, bundle_code, status, "
                  "reason, run_id FROM episodes ORDER BY facility_id, start_date, patient_id; "
                  "DROP TABLE episodes; ALTER TABLE episodes_v5 RENAME TO episodes; "
                  "INSERT INTO episode_last SELECT facility_id, patient_id, max(end_date) FROM episodes "
                  "GROUP BY facility_id, patient_id");
      }
      if (v < 6) {
        // v6: the kept CareFacts (a care_basis made by kSchema above has them already). A v5
        // basis has none: dropped, so that the first night judges every patient from every row.
        if (!HasColumn("care_basis", "first_dose"))
          db_->Exec("ALTER TABLE care_basis ADD COLUMN first_dose TEXT; "
                    "ALTER TABLE care_basis ADD COLUMN counseling_date TEXT; "
                    "ALTER TABLE care_basis ADD COLUMN counseling_service TEXT; "
                    "ALTER TABLE care_basis ADD COLUMN counseling_rowid INTEGER");
        db_->Exec("DELETE FROM care_basis");
      }
      if (v < 7) {
        // v7: the lines History reads, copied once from the claims (history_lines, made empty by
        // kSchema above; claim_lines_history, dropped above, found them until v6).
        sql::Stmt copy(*db_, "INSERT OR IGNORE INTO history_lines SELECT c.facility_id, c.patient_id, l.dos, l.code, "
                             "l.claim_id, l.line_no FROM claim_lines l JOIN claims c ON c.claim_id = l.claim_id "
                             "WHERE l.code IN (?1, ?2, ?3, ?4, ?5)");
        static_assert(kHistoryCodes.size() == 5, "one parameter per code");
        for (size_t i = 0; i < kHistoryCodes.size(); ++i) copy.Bind(static_cast<int>(i) + 1, kHistoryCodes[i]);
        copy.Run();
      }
      // Within v7 (see kSchemaVersion): a basis kept without first_day_terms has none.
      if (!HasColumn("care_basis", "first_day_terms"))
        db_->Exec("ALTER TABLE care_basis ADD COLUMN first_day_terms TEXT");
      // v8: the bases kept before have no checks (NULL): each patient's next judgement reads
      // them from service_rows_checks once, as every night did before.
      if (!HasColumn("care_basis", "checks")) db_->Exec("ALTER TABLE care_basis ADD COLUMN checks BLOB");
      if (v < kSchemaVersion) {
        sql::Stmt put(*db_, "UPDATE meta SET value = ?1 WHERE key = 'schema_version'");
        put.Bind(1, std::to_string(kSchemaVersion)).Run();
      }
    } else {
      sql::Stmt put(*db_, "INSERT INTO meta VALUES ('schema_version', ?1)");
      put.Bind(1, std::to_string(kSchemaVersion)).Run();
    }
  }
  db_->Exec("COMMIT");
}

void Ledger::Begin() { db_->Exec("BEGIN IMMEDIATE"); }
void Ledger::Commit() {
  // Staged rows not yet stored (IndexRows) would vanish with the temporary table.
  if (staging_) throw sql::Error("ledger: a bulk load's rows were staged but never stored; nothing committed");
  // Each facility's kept first date moves with the rows stored since (FirstServiceDate may not
  // have been asked); one whose open rows were replaced is counted again next time.
  {
    sql::Stmt forget(*db_, "DELETE FROM facility_first WHERE facility_id = ?1");
    for (const auto& f : replaced_) forget.Bind(1, f).Run();
    sql::Stmt move(*db_, "UPDATE facility_first SET first_date = ?2 WHERE facility_id = ?1 AND first_date > ?2");
    for (const auto& [f, d] : stored_since_)
      if (!replaced_.contains(f)) move.Bind(1, f).Bind(2, d.Iso()).Run();
  }
  db_->Exec("COMMIT");
  EndTransaction();
}
void Ledger::Rollback() {
  try {
    db_->Exec("ROLLBACK");
  } catch (const sql::Error&) {
  }
  EndTransaction();
}
// What OfferRow noted belongs to the transaction that ended; a bulk load ends with it.
void Ledger::EndTransaction() {
  stored_since_.clear();
  replaced_.clear();
  open_first_.reset();
  EndBulk();
}

bool Ledger::HasIndex(const char* name) {
  sql::Stmt x(*db_, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1");
  x.Bind(1, name);
  bool found = x.Step();
  x.Reset();
  return found;
}

bool Ledger::HasColumn(const char* table, const char* column) {
  sql::Stmt x(*db_, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
  x.Bind(1, table).Bind(2, column);
  bool found = x.Step();
  x.Reset();
  return found;
}

bool Ledger::BeginNight() {
  bulk_ = false;
  bool empty = false;
  {
    sql::Stmt n(*db_, "SELECT NOT EXISTS (SELECT 1 FROM service_rows)");
    empty = n.Step() && n.Int(0) != 0;
    n.Reset();
  }
  if (empty) {
    // Leaving WAL needs the only connection; a reader attached to the empty ledger keeps it.
    try {
      sql::Stmt m(*db_, "PRAGMA journal_mode=DELETE");
      bulk_ = m.Step() && m.Text(0) == "delete";
      m.Reset();
    } catch (const sql::Error&) {
      bulk_ = false;
    }
  }
  Begin();
  if (bulk_) {
    db_->Exec("DROP INDEX IF EXISTS service_rows_dated; DROP INDEX IF EXISTS service_rows_open; "
              "DROP INDEX IF EXISTS service_rows_care; DROP INDEX IF EXISTS service_rows_care_v2; "
              "DROP INDEX IF EXISTS service_rows_checks; "
              "DROP INDEX IF EXISTS service_rows_record; DROP INDEX IF EXISTS line_sources_once;");
    // Tonight's rows are staged in a temporary table (SQLite's temporary file, unlinked) and
    // stored by IndexRows in (facility, patient, date, line) order: the pass then reads the
    // table front to back instead of one random page per row, and SetOutcomes writes it so.
    db_->Exec("DELETE FROM facility_first");  // none is kept without rows; FirstServiceDate takes OfferRow's
    db_->Exec("DROP TABLE IF EXISTS temp.staging");
    db_->Exec(std::string("CREATE TEMP TABLE staging AS SELECT ") + kRowCols +
              ", first_run FROM main.service_rows WHERE 0");
    staging_ = std::make_unique<sql::Stmt>(
        *db_, std::string("INSERT INTO temp.staging VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)"));
  }
  return bulk_;
}

void Ledger::IndexRows(Date as_of) {
  if (!bulk_ || !staging_) return;
  staging_.reset();
  // Two parts, each in (facility, patient, date, line) order: the rows dated before the week
  // the night leaves open, then the rest. The next night decides most of the second part: in
  // one part of the table instead of a page or two of every patient's (the billing night after
  // a 10M bulk load wrote about ten times the pages of a later one).
  const std::string insert = std::string("INSERT INTO main.service_rows (") + kRowCols + ", first_run, status) SELECT " +
                             kRowCols + ", first_run, 'open' FROM temp.staging WHERE service_date ";
  const std::string order = " ?1 ORDER BY facility_id, patient_id, service_date, source_line";
  const std::string cut = (as_of - kRecentDays).Iso();
  sql::Stmt(*db_, insert + "<" + order).Bind(1, cut).Run();
  {
    sql::Stmt last(*db_, "SELECT ifnull(max(rowid), 0) FROM service_rows");
    recent_from_ = last.Step() ? last.Int(0) + 1 : 1;
    last.Reset();
  }
  sql::Stmt(*db_, insert + ">=" + order).Bind(1, cut).Run();
  db_->Exec("DROP TABLE temp.staging");
  // A duplicate record would fail this build (the reader drops a file's duplicates first).
  // service_rows_dated waits for the outcomes (IndexCareRows): every row is open until then,
  // and the pass reads each part in rowid order, which is the (facility, patient) order.
  if (!HasIndex("sqlite_autoindex_service_rows_1")) db_->Exec(kRecordIndex);
}

void Ledger::EndBulk() {
  if (!bulk_) return;
  bulk_ = false;
  staging_.reset();
  recent_from_ = 0;
  try {
    db_->Exec("PRAGMA journal_mode=WAL");
  } catch (const sql::Error&) {
    // Still in rollback-journal mode: correct, only readers wait; the next Open sets WAL.
  }
}

int64_t Ledger::StartRun(Date as_of, std::time_t now, bool dry_run, const std::string& inputs) {
  sql::Stmt s(*db_, "INSERT INTO runs (as_of, started_at, dry_run, status, inputs) VALUES (?1, ?2, ?3, 'running', ?4)");
  s.Bind(1, as_of.Iso()).Bind(2, static_cast<int64_t>(now)).Bind(3, dry_run ? 1 : 0).Bind(4, inputs).Run();
  return db_->LastInsertId();
}

void Ledger::FinishRun(int64_t run_id, std::time_t now, const std::string& status, const std::string& summary) {
  sql::Stmt s(*db_, "UPDATE runs SET finished_at = ?2, status = ?3, summary = ?4 WHERE run_id = ?1");
  s.Bind(1, run_id).Bind(2, static_cast<int64_t>(now)).Bind(3, status).Bind(4, summary).Run();
}

bool Ledger::RunFinished(int64_t run_id, std::time_t started_at) {
  sql::Stmt s(*db_, "SELECT 1 FROM runs WHERE run_id = ?1 AND started_at = ?2 AND finished_at IS NOT NULL");
  s.Bind(1, run_id).Bind(2, static_cast<int64_t>(started_at));
  bool found = s.Step();
  s.Reset();
  return found;
}

void Ledger::UpsertPatient(const Patient& p, int64_t run_id) {
  auto& s = st_->upsert_patient;
  s.Bind(1, p.facility_id).Bind(2, p.patient_id).Bind(3, p.mbi).Bind(4, p.last_name).Bind(5, p.first_name);
  s.Bind(6, p.middle_initial).Bind(7, p.birth_date.Iso()).Bind(8, std::string(1, p.sex));
  s.Bind(9, p.address.line1).Bind(10, p.address.city).Bind(11, p.address.state).Bind(12, p.address.zip);
  s.Bind(13, p.admission_date.Iso());
  if (p.discharge_date) s.Bind(14, p.discharge_date->Iso()); else s.BindNull(14);
  s.Bind(15, ProgramName(p.program)).Bind(16, PayerName(p.payer)).Bind(17, p.diagnosis);
  s.Bind(18, p.plan_counseling_minutes).Bind(19, p.source.file).Bind(20, p.source.line).Bind(21, run_id);
  s.Run();
}

namespace {
Patient PatientFrom(sql::Stmt& s) {
  Patient p;
  p.facility_id = s.Text(0);
  p.patient_id = s.Text(1);
  p.mbi = s.Text(2);
  p.last_name = s.Text(3);
  p.first_name = s.Text(4);
  p.middle_initial = s.Text(5);
  p.birth_date = D(s.Text(6));
  std::string sex = s.Text(7);
  p.sex = sex.empty() ? 'U' : sex[0];
  p.address.line1 = s.Text(8);
  p.address.city = s.Text(9);
  p.address.state = s.Text(10);
  p.address.zip = s.Text(11);
  p.admission_date = D(s.Text(12));
  if (!s.IsNull(13)) p.discharge_date = D(s.Text(13));
  p.program = ParseProgramName(s.Text(14));
  p.payer = ParsePayerName(s.Text(15));
  p.diagnosis = s.Text(16);
  p.plan_counseling_minutes = static_cast<int>(s.Int(17));
  p.source.file = s.Text(18);
  p.source.line = s.Int(19);
  return p;
}

void BindRow(sql::Stmt& s, const ServiceRecord& r) {
  s.Bind(1, r.facility_id).Bind(2, r.record_id).Bind(3, r.patient_id).Bind(4, r.service_date.Iso());
  s.Bind(5, ServiceName(r.service)).Bind(6, r.quantity).Bind(7, ModalityName(r.modality));
  s.Bind(8, r.practitioner_npi).Bind(9, static_cast<int64_t>(r.flags)).Bind(10, r.content_hash);
  s.Bind(11, r.source.file).Bind(12, r.source.line);
}
}  // namespace

void Ledger::NoteStored(const ServiceRecord& r) {
  open_first_.reset();
  auto [it, added] = stored_since_.try_emplace(r.facility_id, r.service_date);
  if (!added && r.service_date < it->second) it->second = r.service_date;
}

RowState Ledger::OfferRow(const ServiceRecord& r, int64_t run_id, int64_t* rowid) {
  if (staging_) {
    // A bulk load: the ledger held no row, and the reader lets a record through once.
    BindRow(*staging_, r);
    staging_->Bind(13, run_id).Run();
    if (rowid) *rowid = 0;
    NoteStored(r);
    return RowState::kNew;
  }
  // Insert first: most rows are new, and a conflict costs no more than the look-up would.
  auto& ins = st_->insert_row;
  BindRow(ins, r);
  ins.Bind(13, run_id).Run();
  if (db_->Changes() > 0) {
    if (rowid) *rowid = db_->LastInsertId();
    NoteStored(r);
    return RowState::kNew;
  }
  auto& f = st_->find_row;
  f.Bind(1, r.facility_id).Bind(2, r.record_id);
  if (!f.Step()) {
    f.Reset();
    throw sql::Error("ledger: row " + r.record_id + " neither inserted nor found");
  }
  std::string hash = f.Text(0), status = f.Text(1), changed = f.Text(2), patient = f.Text(4);
  if (rowid) *rowid = f.Int(3);
  f.Reset();
  bool open = status == "open";
  if (hash == r.content_hash) return open ? RowState::kOpen : RowState::kAlreadyDecided;
  if (!open) {
    // Held record-changed once per changed version; the same change sent again is already processed.
    if (changed == r.content_hash) return RowState::kAlreadyDecided;
    st_->note_change.Bind(1, r.facility_id).Bind(2, r.record_id).Bind(3, r.content_hash).Run();
    return RowState::kChangedDecided;
  }
  auto& up = st_->update_row;
  BindRow(up, r);
  up.Run();
  ForgetCareBasis(r.facility_id, r.patient_id);
  if (patient != r.patient_id) ForgetCareBasis(r.facility_id, patient);
  replaced_.insert(r.facility_id);
  open_first_.reset();
  return RowState::kChangedOpen;
}

void Ledger::AddReject(const Reject& r, int64_t run_id) {
  auto& s = st_->add_reject;
  s.Bind(1, run_id).Bind(2, r.file).Bind(3, r.line).Bind(4, r.column).Bind(5, r.reason).Bind(6, r.record_id);
  s.Bind(7, r.facility_id).Bind(8, r.raw).Run();
}

std::vector<ServiceRecord> Ledger::OpenRows() {
  std::vector<ServiceRecord> out;
  auto& s = st_->open_rows;
  while (s.Step()) out.push_back(RowFrom(s));
  s.Reset();
  return out;
}

void Ledger::ForEachPatient(const std::vector<CarePatient>& care, const PatientRowsFn& fn) {
  // Columns 0..11 as RowFrom reads them, then rowid, first_run, status.
  const std::string cols = std::string("SELECT ") + kRowCols + ", rowid, first_run, status = 'open' FROM service_rows ";
  auto whole_row = [](sql::Stmt& s) {
    LedgerRow row;
    row.record = RowFrom(s);
    row.rowid = s.Int(12);
    row.first_run = s.Int(13);
    row.open = s.Int(14) != 0;
    return row;
  };
  auto read = [&](sql::Stmt& s, std::vector<LedgerRow>& out) {
    while (s.Step()) out.push_back(whole_row(s));
    s.Reset();
  };
  auto key_less = [](const std::string& f1, const std::string& p1, const std::string& f2, const std::string& p2) {
    return f1 < f2 || (f1 == f2 && p1 < p2);  // std::string's order is SQLite's BINARY order
  };

  // A patient's CareFacts: `kept` moved by `rows` dated in [from, to].
  auto facts_of = [](const CarePatient& cp, const std::vector<LedgerRow>& rows, CareFacts kept) {
    if (!cp.from || !cp.to) return CareFacts{};
    for (const auto& r : rows)
      if (r.record.service_date >= *cp.from && r.record.service_date <= *cp.to)
        kept.Add(r.record.service_date, r.record.service, r.rowid);
    return kept;
  };
  auto admitted = [](const CarePatient& cp) { return cp.from && cp.to && *cp.from <= *cp.to; };
  // Whether PA-6 judges the first day of `facts` (CareRead::first_day_judged).
  auto judges_first_day = [&](const CarePatient& cp, const CareFacts& facts) {
    return cp.first_dose_day && admitted(cp) && facts.first_dose.has_value();
  };
  // What a patient of `care` read with every row it has gives: PA-6 judged from them.
  auto read_whole = [&](const CarePatient& cp, const std::vector<LedgerRow>& rows) {
    CareRead r{facts_of(cp, rows, {})};
    r.first_day_judged = judges_first_day(cp, r.facts);
    return r;
  };

  // Many open rows (a fresh ledger, a first night): one walk over every row, in (facility,
  // patient) order, is cheaper than a look-up per patient.
  int64_t open_count = 0, rows_max = 0;
  {
    sql::Stmt n(*db_, "SELECT (SELECT count(*) FROM service_rows WHERE status = 'open'), "
                      "(SELECT ifnull(max(rowid), 0) FROM service_rows)");
    if (n.Step()) {
      open_count = n.Int(0);
      rows_max = n.Int(1);
    }
    n.Reset();
  }
  const bool checks_index = HasIndex("service_rows_checks");
  const auto whole_count = std::count_if(care.begin(), care.end(), [](const CarePatient& c) { return c.whole; });
  // Reading every row of a patient costs a seek per day of its facility's rows and a table
  // look-up per row: when a quarter of tonight's patients need every row (a new ledger version,
  // a changed rule), one walk over the table, sorted, is cheaper.
  if (!checks_index || open_count > kMaxOpenHeld || open_count * 4 > rows_max ||
      static_cast<size_t>(whole_count) * 4 > care.size()) {
    // Two runs in (facility, patient) order, merged patient by patient: the decided rows and the
    // open rows, each sorted by SQLite (the decided ones from a walk over the table: no index
    // gives them by patient; 10M rows sort in about 30 s, in files). On a bulk load's night
    // nothing is decided yet and IndexRows stored the rows in two parts, each in (facility,
    // patient, date, line) order: the two runs are then the two parts, each read in rowid order.
    const bool by_rowid = !HasIndex("service_rows_dated");
    if (by_rowid && !bulk_) throw sql::Error("ledger: service_rows_dated is missing");
    // run_a: the decided rows, or the bulk's second part; run_b: the open rows, or its first.
    sql::Stmt run_a(*db_, by_rowid ? cols + "WHERE status = 'open' AND rowid >= ?1 ORDER BY rowid"
                                   : cols + "NOT INDEXED WHERE " + kDecided +
                                         " ORDER BY facility_id, patient_id, service_date");
    sql::Stmt run_b(*db_, cols + "WHERE status = 'open' " +
                              (by_rowid ? "AND rowid < ?1 ORDER BY rowid" : "ORDER BY facility_id, patient_id, service_date"));
    if (by_rowid) {
      run_a.Bind(1, recent_from_);
      run_b.Bind(1, recent_from_);
    }
    std::optional<LedgerRow> heads[2];
    auto advance = [&](int i) {
      sql::Stmt& s = i == 0 ? run_a : run_b;
      heads[i].reset();
      if (s.Step()) heads[i] = whole_row(s);
    };
    advance(0);
    advance(1);
    std::vector<LedgerRow> rows;
    while (heads[0] || heads[1]) {
      int first = heads[0] ? 0 : 1;
      if (heads[0] && heads[1] &&
          key_less(heads[1]->record.facility_id, heads[1]->record.patient_id, heads[0]->record.facility_id,
                   heads[0]->record.patient_id))
        first = 1;
      const std::string fid = heads[first]->record.facility_id, pid = heads[first]->record.patient_id;
      rows.clear();
      for (int i : {0, 1})
        while (heads[i] && heads[i]->record.facility_id == fid && heads[i]->record.patient_id == pid) {
          rows.push_back(std::move(*heads[i]));
          advance(i);
        }
      // The index orders a day's rows by service, then rowid; the pass hands them over by rowid.
      std::sort(rows.begin(), rows.end(), DayThenRowid);
      CarePatient key;
      key.facility_id = fid;
      key.patient_id = pid;
      const auto cp = std::lower_bound(care.begin(), care.end(), key, [&](const CarePatient& a, const CarePatient& b) {
        return key_less(a.facility_id, a.patient_id, b.facility_id, b.patient_id);
      });
      const bool in_care = cp != care.end() && cp->facility_id == fid && cp->patient_id == pid;
      fn(fid, pid, in_care, rows, in_care ? read_whole(*cp, rows) : CareRead{});
    }
    run_a.Reset();
    run_b.Reset();
    return;
  }

  // Few open rows (an incremental night): hold them, and read each patient of `care` as the
  // contract above says.
  std::vector<LedgerRow> open;
  // Counted above: on the night that bills a week, 155,000 rows of 256 bytes, moved and faulted
  // in again at every doubling without it (0.72-0.85 s to read them, 0.39-0.46 s with it).
  open.reserve(static_cast<size_t>(open_count));
  {
    sql::Stmt s(*db_, cols + "WHERE status = 'open'");
    read(s, open);
  }
  std::sort(open.begin(), open.end(), [&](const LedgerRow& a, const LedgerRow& b) {
    const ServiceRecord &x = a.record, &y = b.record;
    if (x.facility_id != y.facility_id || x.patient_id != y.patient_id)
      return key_less(x.facility_id, x.patient_id, y.facility_id, y.patient_id);
    return DayThenRowid(a, b);
  });
  // A patient's rows of the time-bound checks from their index alone, for a basis kept before
  // v8 (CareFacts::checks_unknown).
  sql::Stmt checks_of(*db_, std::string("SELECT service_date, service, rowid "
                                        "FROM service_rows INDEXED BY service_rows_checks "
                                        "WHERE facility_id = ?1 AND patient_id = ?2 AND ") + kChecksWhere);
  // A row of which the checks read the date and service only (no record id, hash, quantity or
  // source) and never open: an open one is also among `open`, whole, and that copy is the one
  // kept below.
  auto add_partial = [](std::vector<LedgerRow>& out, std::string_view fid, std::string_view pid, Date date,
                        Service service, int64_t rowid) {
    LedgerRow& row = out.emplace_back();
    row.record.facility_id = fid;
    row.record.patient_id = pid;
    row.record.service_date = date;
    row.record.service = service;
    row.rowid = rowid;
    row.partial = true;
  };
  // The decided rows of a patient's day from service_rows_dated alone (a seek, a few entries):
  // their service and rowid; the open ones are held already (`open`), whole. The rows of the
  // days since the last judgement give their take-home days (PA-5) and what they add to the kept
  // CareFacts (PA-6, PA-8); a day read whole, the rowids of its rows, then from the table the
  // rows not already held whole (a checks row or the last counseling row held partial).
  sql::Stmt day_of(*db_, std::string("SELECT service, rowid FROM service_rows INDEXED BY service_rows_dated "
                                     "WHERE facility_id = ?1 AND service_date = ?2 AND patient_id = ?3 AND ") +
                             kDecided);
  sql::Stmt row_of(*db_, cols + "WHERE rowid = ?1");
  // A patient read whole: each day its facility has decided rows on, found once a night (a
  // seek per day: a row dated years away by mistake adds one, not a seek per calendar day).
  std::map<std::string, std::vector<Date>, std::less<>> facility_days;
  sql::Stmt next_day(*db_, std::string("SELECT min(service_date) FROM service_rows INDEXED BY service_rows_dated "
                                       "WHERE facility_id = ?1 AND service_date > ?2 AND ") + kDecided);
  auto days_of = [&](const std::string& fid) -> const std::vector<Date>& {
    auto it = facility_days.find(fid);
    if (it == facility_days.end()) {
      std::vector<Date> found;
      std::string after;  // before every date
      for (;;) {
        next_day.Bind(1, fid).Bind(2, after);
        const bool more = next_day.Step() && !next_day.IsNull(0);
        if (more) {
          found.push_back(D(next_day.View(0)));
          after = next_day.Text(0);
        }
        next_day.Reset();
        if (!more) break;
      }
      it = facility_days.emplace(fid, std::move(found)).first;
    }
    return it->second;
  };
  // `each(service, rowid)` for each decided row of a patient's day.
  auto for_day = [&](const std::string& fid, const std::string& pid, Date d, const auto& each) {
    day_of.Bind(1, fid).Bind(2, d.Iso()).Bind(3, pid);
    while (day_of.Step()) each(ParseService(day_of.View(0)).value_or(Service::kMethadoneDose), day_of.Int(1));
    day_of.Reset();
  };
  // The rows of a patient's day not held whole already (`held`, sorted), appended to `out`.
  std::vector<int64_t> wanted;
  auto read_day = [&](const std::string& fid, const std::string& pid, Date d, const std::vector<int64_t>& held,
                      std::vector<LedgerRow>& out) {
    wanted.clear();
    for_day(fid, pid, d, [&](Service, int64_t id) {
      if (!std::binary_search(held.begin(), held.end(), id)) wanted.push_back(id);
    });
    std::sort(wanted.begin(), wanted.end());
    for (int64_t id : wanted) {
      row_of.Bind(1, id);
      read(row_of, out);
    }
  };
  // Runs ordered by (date of service, rowid) are merged, not sorted: a patient's year of rows is
  // moved once. Ties (the same row in two runs) put the whole copy first, so it is the one kept.
  auto by_day = [](const LedgerRow& a, const LedgerRow& b) {
    if (DayThenRowid(a, b) || DayThenRowid(b, a)) return DayThenRowid(a, b);
    return !a.partial && b.partial;
  };
  // A run out of (date, rowid) order (the kept checks' rows, by date then service; a day's rows
  // as the index gives them) is sorted first: a patient's few dozen rows, cheaper than an ORDER
  // BY, which makes SQLite sort every patient's rows.
  auto merge_from = [&](std::vector<LedgerRow>& rows, std::ptrdiff_t run_start) {
    if (!std::is_sorted(rows.begin() + run_start, rows.end(), by_day))
      std::sort(rows.begin() + run_start, rows.end(), by_day);
    std::inplace_merge(rows.begin(), rows.begin() + run_start, rows.end(), by_day);
  };
  std::vector<LedgerRow> rows;
  std::vector<Date> days;
  std::vector<int64_t> held_whole;
  size_t i = 0, j = 0;
  while (i < open.size() || j < care.size()) {
    const CarePatient* cp = nullptr;
    std::string fid, pid;
    if (j < care.size() && (i >= open.size() || !key_less(open[i].record.facility_id, open[i].record.patient_id,
                                                          care[j].facility_id, care[j].patient_id))) {
      cp = &care[j++];
      fid = cp->facility_id;
      pid = cp->patient_id;
    } else {
      fid = open[i].record.facility_id;
      pid = open[i].record.patient_id;
    }
    rows.clear();
    while (i < open.size() && open[i].record.facility_id == fid && open[i].record.patient_id == pid)
      rows.push_back(std::move(open[i++]));
    CareRead read_of;
    CareFacts& facts = read_of.facts;
    if (cp && cp->whole) {
      // Every row it has: its open ones, and its decided ones, day by day.
      for (Date d : days_of(fid)) read_day(fid, pid, d, {}, rows);
      std::sort(rows.begin(), rows.end(), DayThenRowid);
      read_of = read_whole(*cp, rows);
    } else if (cp) {
      days.clear();
      CareFacts kept = cp->facts;
      if (kept.checks_unknown && admitted(*cp)) {
        // Kept before v8: the checks' rows from their index, once (a seek per patient).
        kept.checks_unknown = false;
        checks_of.Bind(1, fid).Bind(2, pid);
        while (checks_of.Step()) {
          const Date d = D(checks_of.View(0));
          if (d >= *cp->from && d <= *cp->to)
            kept.Add(d, ParseService(checks_of.View(1)).value_or(Service::kToxicologyTest), checks_of.Int(2));
        }
        checks_of.Reset();
      }
      // The kept facts, moved by the open rows and the decided rows dated since the judgement.
      facts = facts_of(*cp, rows, std::move(kept));
      const bool open_on_first_day = std::any_of(
          rows.begin(), rows.end(), [&](const LedgerRow& r) { return r.record.service_date == cp->facts.first_dose; });
      // PA-5: the days of its open take-home rows, and the take-home days since it was judged.
      for (const auto& r : rows)
        if (r.record.service == Service::kMethadoneTakehome) days.push_back(r.record.service_date);
      if (cp->judged_through && cp->to)
        for (Date d = *cp->judged_through + 1; d <= *cp->to; d = d + 1)
          for_day(fid, pid, d, [&](Service service, int64_t id) {
            if (service == Service::kMethadoneTakehome) days.push_back(d);
            if (cp->from && d >= *cp->from) facts.Add(d, service, id);
          });
      // PA-6's verdict on the kept first day stands while the day is the same and no open row
      // (tonight's, or one not decided yet) lies on it: every other row of it was there when
      // it was judged. A row is stored only for a patient of the night's file, open, and read
      // open that night (the night's pass); a decided row is never replaced (OfferRow); an
      // open one replaced makes its patient whole.
      read_of.facts_changed = facts != cp->facts;
      read_of.first_day_judged = judges_first_day(*cp, facts);
      read_of.first_day_stands = read_of.first_day_judged && cp->first_day_judged &&
                                 facts.first_dose == cp->facts.first_dose && !open_on_first_day;
      // PA-6: every row of the first methadone_dose day, unless its verdict stands.
      if (read_of.first_day_judged && !read_of.first_day_stands) days.push_back(*facts.first_dose);
      // PA-1..PA-4: the checks' rows, partial (when one is open, the whole copy held is kept).
      const auto open_end = static_cast<std::ptrdiff_t>(rows.size());
      for (const CheckRow& c : facts.checks) add_partial(rows, fid, pid, c.date, c.service, c.rowid);
      // PA-8: the last counseling row, partial (when it is open, the whole copy held is kept).
      if (admitted(*cp) && facts.counseling_date)
        add_partial(rows, fid, pid, *facts.counseling_date, facts.counseling_service, facts.counseling_rowid);
      merge_from(rows, open_end);
      std::sort(days.begin(), days.end());
      days.erase(std::unique(days.begin(), days.end()), days.end());
      held_whole.clear();
      if (!days.empty())
        for (const auto& r : rows)
          if (!r.partial) held_whole.push_back(r.rowid);
      std::sort(held_whole.begin(), held_whole.end());
      for (Date d : days) {
        const auto before = static_cast<std::ptrdiff_t>(rows.size());
        read_day(fid, pid, d, held_whole, rows);
        if (static_cast<std::ptrdiff_t>(rows.size()) > before) merge_from(rows, before);
      }
      rows.erase(std::unique(rows.begin(), rows.end(),
                             [](const LedgerRow& a, const LedgerRow& b) { return a.rowid == b.rowid; }),
                 rows.end());
    }
    fn(fid, pid, cp != nullptr, rows, read_of);
  }
}

std::vector<Ledger::CareBasisRow> Ledger::CareBases() {
  std::vector<CareBasisRow> out;
  sql::Stmt s(*db_, "SELECT facility_id, patient_id, basis, judged_through, first_dose, counseling_date, "
                    "counseling_service, counseling_rowid, first_day_terms, checks FROM care_basis "
                    "ORDER BY facility_id, patient_id");
  while (s.Step()) {
    CareBasisRow& b = out.emplace_back(CareBasisRow{s.Text(0), s.Text(1), s.Text(2), D(s.View(3)), {}, {}});
    if (!s.IsNull(4)) b.facts.first_dose = D(s.View(4));
    if (!s.IsNull(5)) {
      b.facts.counseling_date = D(s.View(5));
      b.facts.counseling_service = ParseService(s.View(6)).value_or(Service::kCounselingIndividual);
      b.facts.counseling_rowid = s.Int(7);
    }
    if (!s.IsNull(8)) b.first_day_terms = s.Text(8);
    // NULL (kept before v8) or bytes that do not read back: read from the rows again.
    b.facts.checks_unknown = s.IsNull(9) || !DecodeChecks(s.BlobView(9), b.facts.checks);
  }
  s.Reset();
  return out;
}

void Ledger::SetCareBasis(const CareBasisRow& b) {
  auto& s = st_->set_care_basis;
  s.Bind(1, b.facility_id).Bind(2, b.patient_id).Bind(3, b.basis).Bind(4, b.judged_through.Iso());
  const CareFacts& f = b.facts;
  if (f.first_dose) s.Bind(5, f.first_dose->Iso()); else s.BindNull(5);
  if (f.counseling_date)
    s.Bind(6, f.counseling_date->Iso()).Bind(7, std::string(ServiceName(f.counseling_service))).Bind(8, f.counseling_rowid);
  else
    s.BindNull(6).BindNull(7).BindNull(8);
  if (b.first_day_terms.empty()) s.BindNull(9); else s.Bind(9, b.first_day_terms);
  if (f.checks_unknown) s.BindNull(10); else s.BindBlob(10, EncodeChecks(f.checks));
  s.Run();
}

void Ledger::ForgetCareBasis(const std::string& facility_id, const std::string& patient_id) {
  st_->forget_care_basis.Bind(1, facility_id).Bind(2, patient_id).Run();
}

void Ledger::CareFacts::Add(Date date, Service service, int64_t rowid) {
  if (service == Service::kMethadoneDose && (!first_dose || date < *first_dose)) first_dose = date;
  if (IsCheckService(service)) {
    const CheckRow row{date, service, rowid};
    const auto at = std::lower_bound(checks.begin(), checks.end(), row);
    if (at == checks.end() || *at != row) checks.insert(at, row);
    return;
  }
  if (!IsCounseling(service)) return;
  // The last by (date, the service's name, rowid): the order of the index by patient (v5),
  // from which PA-8's row was read before v6.
  const auto place = std::make_tuple(date, ServiceName(service), rowid);
  if (!counseling_date || std::make_tuple(*counseling_date, ServiceName(counseling_service), counseling_rowid) < place) {
    counseling_date = date;
    counseling_service = service;
    counseling_rowid = rowid;
  }
}

void Ledger::IndexCareRows() {
  // The care indexes of earlier versions (narrower, then wider than this one).
  db_->Exec("DROP INDEX IF EXISTS service_rows_care; DROP INDEX IF EXISTS service_rows_care_v2");
  db_->Exec(kChecksIndex);
  if (bulk_) {  // IndexRows built the record index
    db_->Exec(kDatedIndex);
    db_->Exec(kOpenIndex);
    if (!HasIndex("sqlite_autoindex_line_sources_1")) db_->Exec(kOnceIndex);
  }
}

void Ledger::SetOutcomes(std::vector<RowDecision> decisions,
                         const std::vector<std::pair<std::string, std::string>>& verdicts, int64_t run_id) {
  // In rowid order: the table's pages front to back, and service_rows_dated's entries day
  // after day at the end of each facility's (0.6 s for the billing night's 116,244 outcomes at
  // a chain's year, against 0.8-1.1 s patient by patient). The pass's order paid while the
  // index was by patient (v5): a billed week visited each patient's leaf once, not seven times.
  std::sort(decisions.begin(), decisions.end(),
            [](const RowDecision& a, const RowDecision& b) { return a.rowid < b.rowid; });
  sql::Stmt s(*db_, "UPDATE service_rows SET status=?1, reason=?2, decided_run=?3 WHERE rowid=?4");
  for (const auto& d : decisions) {
    const auto& [status, reason] = verdicts.at(d.verdict);
    s.Bind(1, status).Bind(2, reason).Bind(3, run_id).Bind(4, d.rowid).Run();
  }
}

std::optional<Patient> Ledger::LoadPatient(const std::string& fid, const std::string& pid) {
  auto& s = st_->load_patient;
  s.Bind(1, fid).Bind(2, pid);
  std::optional<Patient> p;
  if (s.Step()) p = PatientFrom(s);
  s.Reset();
  return p;
}

std::optional<Date> Ledger::FirstServiceDate(const std::string& facility_id) {
  // Rows are never deleted, and a stored row's date changes only when an open row is replaced:
  // the kept date, moved by the rows stored since, is the least date unless one was replaced.
  std::optional<Date> kept, first;
  {
    sql::Stmt k(*db_, "SELECT first_date FROM facility_first WHERE facility_id = ?1");
    k.Bind(1, facility_id);
    if (k.Step()) kept = Date::Parse(k.Text(0));
    k.Reset();
  }
  if (kept && !replaced_.contains(facility_id)) {
    first = kept;
    if (auto it = stored_since_.find(facility_id); it != stored_since_.end() && it->second < *first)
      first = it->second;
  } else if (bulk_) {
    // A bulk load: the ledger had no row, so the rows stored tonight are all there are.
    if (auto it = stored_since_.find(facility_id); it != stored_since_.end()) first = it->second;
  } else {
    // Counted from the rows: the first decided date (a seek on service_rows_dated), and the least
    // date of the facility's open rows.
    sql::Stmt s(*db_, std::string("SELECT min(service_date) FROM service_rows INDEXED BY service_rows_dated "
                                  "WHERE facility_id = ?1 AND ") + kDecided);
    s.Bind(1, facility_id);
    if (s.Step() && !s.IsNull(0)) first = Date::Parse(s.Text(0));
    s.Reset();
    if (!open_first_) {  // every facility's at once: one read of the open rows
      open_first_.emplace();
      sql::Stmt o(*db_, "SELECT facility_id, min(service_date) FROM service_rows WHERE status = 'open' "
                        "GROUP BY facility_id");
      while (o.Step()) open_first_->emplace(o.Text(0), D(o.View(1)));
      o.Reset();
    }
    if (auto it = open_first_->find(facility_id); it != open_first_->end() && (!first || it->second < *first))
      first = it->second;
    // Counted from every row stored so far: what OfferRow noted is in it.
    replaced_.erase(facility_id);
    if (auto it = stored_since_.find(facility_id); it != stored_since_.end()) stored_since_.erase(it);
  }
  if (first && first != kept) {
    sql::Stmt put(*db_, "INSERT OR REPLACE INTO facility_first (facility_id, first_date) VALUES (?1, ?2)");
    put.Bind(1, facility_id).Bind(2, first->Iso()).Run();
  }
  return first;
}

std::vector<Patient> Ledger::AllPatients() {
  std::vector<Patient> out;
  {
    // Sized first: a Patient is large, and growing the vector moved every one (a chain's
    // 33,000 patients: a tenth of a second a night).
    sql::Stmt n(*db_, "SELECT count(*) FROM patients");
    if (n.Step()) out.reserve(static_cast<size_t>(n.Int(0)));
    n.Reset();
  }
  auto& s = st_->all_patients;
  while (s.Step()) out.push_back(PatientFrom(s));
  s.Reset();
  return out;
}

void Ledger::SetOutcome(const std::string& fid, const std::string& rid, const std::string& status,
                        const std::string& reason, int64_t run_id) {
  st_->set_outcome.Bind(1, fid).Bind(2, rid).Bind(3, status).Bind(4, reason).Bind(5, run_id).Run();
}

namespace {
void AddBilledCode(PatientHistory& h, const std::string& code, Date dos) {
  if (code == "G2076") h.intakes_billed.push_back(dos);
  else h.overdose_billed[code].push_back(dos);
}
// A patient's entries in a HistoryBook vector (sorted by facility, then patient): none, one, or
// a run of them.
template <class Entry>
std::span<const Entry> OfPatient(const std::vector<Entry>& v, const std::string& fid, const std::string& pid) {
  auto first = std::lower_bound(v.begin(), v.end(), std::tie(fid, pid), [](const Entry& e, const auto& key) {
    return std::tie(e.facility_id, e.patient_id) < key;
  });
  auto last = first;
  while (last != v.end() && last->facility_id == fid && last->patient_id == pid) ++last;
  return {first, last};
}
}  // namespace

Ledger::HistoryBook Ledger::ReadHistoryBook() {
  HistoryBook book;
  // history_lines in its key order.
  sql::Stmt codes(*db_, "SELECT facility_id, patient_id, code, dos FROM history_lines "
                        "ORDER BY facility_id, patient_id, dos, claim_id, line_no");
  while (codes.Step()) book.codes.push_back({codes.Text(0), codes.Text(1), codes.Text(2), D(codes.View(3))});
  codes.Reset();
  // Each patient's latest end, in the table's key order: a scan of a small table instead of a
  // seek per patient in the pass (0.1 s of the night that bills a week at 33,000 patients).
  sql::Stmt ends(*db_, "SELECT facility_id, patient_id, end_date FROM episode_last ORDER BY facility_id, patient_id");
  while (ends.Step()) book.last_ends.push_back({ends.Text(0), ends.Text(1), D(ends.View(2))});
  ends.Reset();
  // The windows are read as patients are asked for (History); none when there are none.
  sql::Stmt none(*db_, "SELECT NOT EXISTS (SELECT 1 FROM windows)");
  book.no_windows = none.Step() && none.Int(0) != 0;
  none.Reset();
  return book;
}

// The windows of `fid` that end in [from, the book's reach), or on or after `from` when it holds
// none yet (kBeforeAll: with no lower end): the book then reaches back to `from`.
void Ledger::ReadWindows(HistoryBook::Windows& book, const std::string& fid, Date from) {
  sql::Stmt s(*db_, std::string("SELECT patient_id, from_date, to_date, code, source_record_id, rowid "
                                "FROM windows INDEXED BY windows_by_end WHERE facility_id = ?1 AND to_date >= ?2") +
                        (book.reach ? " AND to_date < ?3" : ""));
  s.Bind(1, fid).Bind(2, from == kBeforeAll ? std::string() : from.Iso());  // '' is before every date
  if (book.reach) s.Bind(3, book.reach->Iso());
  while (s.Step())
    book.by_patient[s.Text(0)].emplace_back(
        s.Int(5), CoverageWindow{fid, s.Text(0), D(s.View(1)), D(s.View(2)), s.Text(3), s.Text(4)});
  s.Reset();
  book.reach = from;
}

PatientHistory Ledger::History(const std::string& fid, const std::string& pid, HistoryBook* book,
                               std::optional<Date> windows_from) {
  PatientHistory h;
  if (book) {
    if (auto ends = OfPatient(book->last_ends, fid, pid); !ends.empty()) h.last_episode_end = ends.front().end;
  } else {
    auto& e = st_->episodes_of;
    e.Bind(1, fid).Bind(2, pid);
    if (e.Step() && !e.IsNull(0)) h.last_episode_end = D(e.View(0));
    e.Reset();
  }
  if (!book) {
    auto& w = st_->windows_of;
    w.Bind(1, fid).Bind(2, pid);
    while (w.Step()) h.windows.push_back({fid, pid, D(w.Text(0)), D(w.Text(1)), w.Text(2), w.Text(3)});
    w.Reset();
  } else if (!book->no_windows) {
    HistoryBook::Windows& read = book->windows[fid];
    // From `windows_from` back to the first day no window kept overlaps what is left out: the
    // windows that end on or after `from` all start on or after it, so none that ends before it
    // touches them.
    Date from = windows_from.value_or(kBeforeAll);
    std::vector<std::pair<int64_t, CoverageWindow>>* mine = nullptr;
    for (;;) {
      if (!read.reach || from < *read.reach) ReadWindows(read, fid, from);
      const auto it = read.by_patient.find(pid);
      if (it == read.by_patient.end()) break;
      mine = &it->second;
      Date earlier = from;
      for (const auto& [rowid, w] : *mine)
        if (w.to >= from && w.from < earlier) earlier = w.from;
      if (earlier == from) break;
      from = earlier;
    }
    if (mine) {
      // In windows_of's order: by start, then in the order they were added.
      std::sort(mine->begin(), mine->end(),
                [](const auto& a, const auto& b) { return std::tie(a.second.from, a.first) < std::tie(b.second.from, b.first); });
      for (const auto& [rowid, w] : *mine)
        if (w.to >= from) h.windows.push_back(w);
    }
  }
  if (book) {
    for (const auto& c : OfPatient(book->codes, fid, pid)) AddBilledCode(h, c.code, c.dos);
    return h;
  }
  auto& b = st_->billed_codes_of;
  b.Bind(1, fid).Bind(2, pid);
  while (b.Step()) AddBilledCode(h, b.Text(0), D(b.View(1)));
  b.Reset();
  return h;
}

void Ledger::AddEpisodes(const std::vector<Episode>& episodes, int64_t run_id) {
  // Each patient's latest end among them, then episode_last moved once per patient (a first
  // night adds a year of a patient's episodes at once: 52 look-ups became one).
  std::map<std::pair<std::string_view, std::string_view>, Date> last;
  for (const auto& e : episodes) {
    st_->add_episode.Bind(1, e.facility_id).Bind(2, e.patient_id).Bind(3, e.start.Iso()).Bind(4, e.end.Iso())
        .Bind(5, e.bundle_code).Bind(6, e.status).Bind(7, e.reason).Bind(8, run_id).Run();
    auto [it, added] = last.try_emplace({e.facility_id, e.patient_id}, e.end);
    if (!added && it->second < e.end) it->second = e.end;
  }
  for (const auto& [key, end] : last)
    st_->move_last_episode.Bind(1, key.first).Bind(2, key.second).Bind(3, end.Iso()).Run();
}

void Ledger::AddHold(const Hold& h, int64_t run_id) {
  st_->add_hold.Bind(1, run_id).Bind(2, h.facility_id).Bind(3, h.patient_id).Bind(4, h.date.Iso()).Bind(5, h.code)
      .Bind(6, h.reason).Bind(7, h.detail).Bind(8, JoinIds(h.record_ids)).Run();
}

bool Ledger::AddFinding(const Finding& f, int64_t run_id) {
  st_->add_finding.Bind(1, f.key).Bind(2, run_id).Bind(3, f.rule_id).Bind(4, f.citation)
      .Bind(5, SeverityName(f.severity)).Bind(6, f.facility_id).Bind(7, f.patient_id).Bind(8, f.date.Iso())
      .Bind(9, f.detail).Run();
  return db_->Changes() > 0;
}

void Ledger::AddWindow(const CoverageWindow& w, int64_t run_id) {
  st_->add_window.Bind(1, w.facility_id).Bind(2, w.patient_id).Bind(3, w.from.Iso()).Bind(4, w.to.Iso())
      .Bind(5, w.code).Bind(6, w.source_record_id).Bind(7, run_id).Run();
}

int64_t Ledger::NextCounter(const std::string& name) {
  auto& s = st_->next_counter;
  s.Bind(1, name);
  if (!s.Step()) throw sql::Error("ledger: counter " + name + " did not advance");
  int64_t v = s.Int(0);
  s.Reset();
  return v;
}

void Ledger::AddClaim(const Claim& c, int64_t run_id, int64_t interchange) {
  st_->add_claim.Bind(1, c.claim_id).Bind(2, run_id).Bind(3, c.facility_id).Bind(4, c.patient_id)
      .Bind(5, c.diagnosis).Bind(6, c.Total().cents()).Bind(7, interchange).Run();
  int n = 0;
  for (const auto& l : c.lines) {
    ++n;
    st_->add_line.Bind(1, c.claim_id).Bind(2, n).Bind(3, l.code).Bind(4, JoinIds(l.modifiers, ':'))
        .Bind(5, l.dos.Iso()).Bind(6, l.units).Bind(7, l.unit_price.cents()).Bind(8, l.charge.cents())
        .Bind(9, l.rule_id).Bind(10, l.rate_ref).Bind(11, l.practitioner_npi).Bind(12, l.episode_start.Iso()).Run();
    for (const auto& rid : l.source_record_ids)
      st_->add_source.Bind(1, c.claim_id).Bind(2, n).Bind(3, c.facility_id).Bind(4, rid).Bind(5, l.code).Run();
    if (IsHistoryCode(l.code))
      st_->add_history_line.Bind(1, c.facility_id).Bind(2, c.patient_id).Bind(3, l.dos.Iso()).Bind(4, l.code)
          .Bind(5, c.claim_id).Bind(6, n).Run();
  }
}

void Ledger::AddInterchange(const Interchange& x, int64_t run_id) {
  st_->add_interchange.Bind(1, x.control).Bind(2, run_id).Bind(3, x.facility_id).Bind(4, x.path)
      .Bind(5, x.content).Run();
}

void Ledger::MarkPublished(int64_t control) { st_->mark_published.Bind(1, control).Run(); }

std::vector<Interchange> Ledger::UnpublishedInterchanges() {
  std::vector<Interchange> out;
  auto& s = st_->unpublished;
  while (s.Step()) out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Text(3), false});
  s.Reset();
  return out;
}

std::optional<StoredClaim> Ledger::FindClaim(const std::string& claim_id) {
  auto& s = st_->find_claim;
  s.Bind(1, claim_id);
  if (!s.Step()) {
    s.Reset();
    return std::nullopt;
  }
  StoredClaim sc;
  sc.claim.claim_id = s.Text(0);
  sc.run_id = s.Int(1);
  sc.claim.facility_id = s.Text(2);
  sc.claim.patient_id = s.Text(3);
  sc.claim.diagnosis = s.Text(4);
  sc.interchange = s.Int(5);
  s.Reset();
  auto& l = st_->lines_of;
  l.Bind(1, claim_id);
  while (l.Step()) {
    ClaimLine line;
    int no = static_cast<int>(l.Int(0));
    line.code = l.Text(1);
    line.modifiers = SplitIds(l.Text(2), ':');
    line.dos = D(l.Text(3));
    line.units = static_cast<int>(l.Int(4));
    line.unit_price = Money::Cents(l.Int(5));
    line.charge = Money::Cents(l.Int(6));
    line.rule_id = l.Text(7);
    line.rate_ref = l.Text(8);
    line.practitioner_npi = l.Text(9);
    line.episode_start = D(l.Text(10));
    sc.claim.lines.push_back(std::move(line));
    sc.line_nos.push_back(no);
  }
  l.Reset();
  for (size_t i = 0; i < sc.claim.lines.size(); ++i) {
    auto& src = st_->sources_of;
    src.Bind(1, claim_id).Bind(2, sc.line_nos[i]);
    while (src.Step()) sc.claim.lines[i].source_record_ids.push_back(src.Text(0));
    src.Reset();
  }
  return sc;
}

std::vector<StoredClaim> Ledger::ClaimsBetween(Date from, Date to) {
  std::vector<std::string> ids;
  auto& s = st_->claims_between;
  s.Bind(1, from.Iso()).Bind(2, to.Iso());
  while (s.Step()) ids.push_back(s.Text(0));
  s.Reset();
  std::vector<StoredClaim> out;
  for (const auto& id : ids)
    if (auto c = FindClaim(id)) out.push_back(std::move(*c));
  return out;
}

std::vector<Hold> Ledger::HoldsBetween(Date from, Date to) {
  std::vector<Hold> out;
  auto& s = st_->holds_between;
  s.Bind(1, from.Iso()).Bind(2, to.Iso());
  while (s.Step())
    out.push_back({s.Text(0), s.Text(1), D(s.Text(2)), s.Text(4), s.Text(5), s.Text(3), SplitIds(s.Text(6))});
  s.Reset();
  return out;
}

std::vector<Finding> Ledger::FindingsBetween(Date from, Date to) {
  std::vector<Finding> out;
  auto& s = st_->findings_between;
  s.Bind(1, from.Iso()).Bind(2, to.Iso());
  while (s.Step()) {
    Finding f;
    f.key = s.Text(0);
    f.rule_id = s.Text(1);
    f.citation = s.Text(2);
    f.severity = ParseSeverity(s.Text(3));
    f.facility_id = s.Text(4);
    f.patient_id = s.Text(5);
    f.date = D(s.Text(6));
    f.detail = s.Text(7);
    out.push_back(std::move(f));
  }
  s.Reset();
  return out;
}

namespace {
std::vector<Reject> RejectsFrom(sql::Stmt& s) {
  std::vector<Reject> out;
  while (s.Step()) {
    Reject r;
    r.file = s.Text(0);
    r.line = s.Int(1);
    r.column = s.Text(2);
    r.reason = s.Text(3);
    r.record_id = s.Text(4);
    r.facility_id = s.Text(5);
    r.raw = s.Text(6);
    out.push_back(std::move(r));
  }
  s.Reset();
  return out;
}
}  // namespace

std::vector<Reject> Ledger::RejectsOfRuns(Date from, Date to) {
  st_->rejects_of_runs.Bind(1, from.Iso()).Bind(2, to.Iso());
  return RejectsFrom(st_->rejects_of_runs);
}

std::vector<Reject> Ledger::RejectsOfRun(int64_t run_id) {
  st_->rejects_of_run.Bind(1, run_id);
  return RejectsFrom(st_->rejects_of_run);
}

}  // namespace otp
