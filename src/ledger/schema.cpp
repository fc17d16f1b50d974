// The ledger's schema, version 1 (docs/ledger.md).
#include "ledger/schema.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>

namespace otp::ledger_schema {
namespace {

constexpr const char* kTables = R"SQL(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs (
  run_id INTEGER PRIMARY KEY, as_of TEXT NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER,
  dry_run INTEGER NOT NULL, status TEXT NOT NULL, inputs TEXT NOT NULL, summary TEXT,
  rules TEXT NOT NULL DEFAULT '');
CREATE TABLE patients (
  facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, mbi TEXT NOT NULL, last_name TEXT NOT NULL,
  first_name TEXT NOT NULL, middle_initial TEXT NOT NULL, birth_date TEXT NOT NULL, sex TEXT NOT NULL,
  address_line1 TEXT NOT NULL, city TEXT NOT NULL, state TEXT NOT NULL, zip TEXT NOT NULL,
  admission_date TEXT NOT NULL, discharge_date TEXT, program TEXT NOT NULL, payer TEXT NOT NULL,
  diagnosis TEXT NOT NULL, plan_counseling_minutes INTEGER NOT NULL, source_file TEXT NOT NULL,
  source_line INTEGER NOT NULL, run_id INTEGER NOT NULL,
  PRIMARY KEY (facility_id, patient_id));
CREATE TABLE service_rows (
  facility_id TEXT NOT NULL, record_id TEXT NOT NULL, patient_id TEXT NOT NULL, service_date TEXT NOT NULL,
  service TEXT NOT NULL, quantity REAL NOT NULL, modality TEXT NOT NULL, practitioner_npi TEXT NOT NULL,
  flags INTEGER NOT NULL, content_hash TEXT NOT NULL, source_file TEXT NOT NULL, source_line INTEGER NOT NULL,
  first_run INTEGER NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', decided_run INTEGER,
  changed_hash TEXT NOT NULL DEFAULT '');
CREATE TABLE rejects (
  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL,
  column_name TEXT NOT NULL, reason TEXT NOT NULL, record_id TEXT NOT NULL, facility_id TEXT NOT NULL,
  raw TEXT NOT NULL);
CREATE TABLE episodes (
  facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL,
  bundle_code TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL, run_id INTEGER NOT NULL,
  bundle_dos TEXT,
  PRIMARY KEY (facility_id, start_date, patient_id)) WITHOUT ROWID;
CREATE TABLE episode_last (
  facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, end_date TEXT NOT NULL,
  PRIMARY KEY (facility_id, patient_id)) WITHOUT ROWID;
CREATE TABLE claims (
  claim_id TEXT PRIMARY KEY, run_id INTEGER NOT NULL, facility_id TEXT NOT NULL, patient_id TEXT NOT NULL,
  diagnosis TEXT NOT NULL, total_cents INTEGER NOT NULL, interchange INTEGER NOT NULL);
CREATE TABLE claim_lines (
  claim_id TEXT NOT NULL, line_no INTEGER NOT NULL, code TEXT NOT NULL, modifiers TEXT NOT NULL,
  dos TEXT NOT NULL, units INTEGER NOT NULL, unit_cents INTEGER NOT NULL, charge_cents INTEGER NOT NULL,
  rule_id TEXT NOT NULL, rate_ref TEXT NOT NULL, practitioner_npi TEXT NOT NULL, episode_start TEXT NOT NULL,
  edits TEXT NOT NULL,
  PRIMARY KEY (claim_id, line_no));
CREATE INDEX claim_lines_dos ON claim_lines (dos);
CREATE TABLE line_sources (
  claim_id TEXT NOT NULL, line_no INTEGER NOT NULL, facility_id TEXT NOT NULL, record_id TEXT NOT NULL,
  code TEXT NOT NULL);
CREATE INDEX line_sources_claim ON line_sources (claim_id, line_no);
CREATE TABLE patient_lines (
  facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, dos TEXT NOT NULL, code TEXT NOT NULL,
  claim_id TEXT NOT NULL, line_no INTEGER NOT NULL, units INTEGER NOT NULL,
  PRIMARY KEY (facility_id, patient_id, dos, claim_id, line_no)) WITHOUT ROWID;
CREATE TABLE holds (
  key TEXT PRIMARY KEY, first_run INTEGER NOT NULL, run_id INTEGER NOT NULL, facility_id TEXT NOT NULL,
  patient_id TEXT NOT NULL, date TEXT NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL, detail TEXT NOT NULL,
  record_ids TEXT NOT NULL, amount_cents INTEGER, finding TEXT NOT NULL, week TEXT);
CREATE INDEX holds_by_date ON holds (date);
CREATE INDEX holds_by_run ON holds (run_id);
CREATE TABLE findings (
  key TEXT PRIMARY KEY, run_id INTEGER NOT NULL, rule_id TEXT NOT NULL, citation TEXT NOT NULL,
  severity TEXT NOT NULL, facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, date TEXT NOT NULL,
  detail TEXT NOT NULL);
CREATE TABLE windows (
  facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, from_date TEXT NOT NULL, to_date TEXT NOT NULL,
  code TEXT NOT NULL, source_record_id TEXT NOT NULL, run_id INTEGER NOT NULL,
  UNIQUE (facility_id, source_record_id, code, from_date));
CREATE INDEX windows_by_end ON windows (facility_id, to_date, patient_id, from_date, code, source_record_id);
CREATE TABLE work_items (
  id INTEGER PRIMARY KEY, cause TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, facility_id TEXT NOT NULL,
  patient_id TEXT NOT NULL, date TEXT, code TEXT NOT NULL, reason TEXT NOT NULL, detail TEXT NOT NULL,
  next_step TEXT NOT NULL, amount_cents INTEGER, record_ids TEXT NOT NULL, finding TEXT NOT NULL,
  file_kind TEXT NOT NULL, week TEXT, renews INTEGER NOT NULL, opened_run INTEGER NOT NULL, opened_on TEXT NOT NULL,
  seen_run INTEGER NOT NULL, state TEXT NOT NULL, ended_run INTEGER, ended_on TEXT, ended_by TEXT NOT NULL,
  ended_at TEXT NOT NULL, note TEXT NOT NULL);
CREATE INDEX work_items_open ON work_items (state, facility_id, kind);
CREATE INDEX work_items_finding ON work_items (finding);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE patient_state (
  facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, state BLOB NOT NULL,
  PRIMARY KEY (facility_id, patient_id)) WITHOUT ROWID;
CREATE TABLE interchanges (
  control INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, facility_id TEXT NOT NULL, path TEXT NOT NULL,
  content TEXT NOT NULL);
)SQL";

// What came back after the 837Ps (model/remittance.h), the envelope numbers of each 837P
// that a 999 or a 277CA names, and the claims of each night (claims_by_run: a night's Payments
// sheet reads the claims of the last year's nights, not every claim, and what their 835s left
// outstanding from claim_events_balance alone). IF NOT EXISTS: a ledger made before these
// tables gets them from its next write (Ledger::KeepResponses), inside that write's transaction.
constexpr const char* kResponseTables = R"SQL(
CREATE TABLE IF NOT EXISTS sent_groups (
  control INTEGER PRIMARY KEY, group_control INTEGER NOT NULL UNIQUE, reference TEXT NOT NULL UNIQUE,
  transaction_control TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS responses (
  key TEXT PRIMARY KEY, kind TEXT NOT NULL, digest TEXT NOT NULL, file TEXT NOT NULL, date TEXT NOT NULL,
  summary TEXT NOT NULL, run_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS claim_events (
  id INTEGER PRIMARY KEY, claim_id TEXT NOT NULL, response TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL,
  source TEXT NOT NULL, date TEXT NOT NULL, file TEXT NOT NULL, status_code TEXT NOT NULL,
  payer_claim_number TEXT NOT NULL, charge_cents INTEGER NOT NULL, paid_cents INTEGER NOT NULL,
  patient_cents INTEGER NOT NULL, remarks TEXT NOT NULL, detail TEXT NOT NULL,
  UNIQUE (response, claim_id, seq));
CREATE INDEX IF NOT EXISTS claim_events_claim ON claim_events (claim_id, date, id);
CREATE INDEX IF NOT EXISTS claim_events_payer_number ON claim_events (payer_claim_number);
CREATE TABLE IF NOT EXISTS event_adjustments (
  event_id INTEGER NOT NULL, line_no INTEGER NOT NULL, group_code TEXT NOT NULL, reason TEXT NOT NULL,
  amount_cents INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS event_adjustments_event ON event_adjustments (event_id);
CREATE TABLE IF NOT EXISTS event_lines (
  event_id INTEGER NOT NULL, line_no INTEGER NOT NULL, code TEXT NOT NULL, modifiers TEXT NOT NULL, dos TEXT NOT NULL,
  charge_cents INTEGER NOT NULL, paid_cents INTEGER NOT NULL, units_thousandths INTEGER NOT NULL,
  matched_by TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS event_lines_event ON event_lines (event_id);
CREATE TABLE IF NOT EXISTS payment_adjustments (
  response TEXT NOT NULL, seq INTEGER NOT NULL, facility_id TEXT NOT NULL, provider_id TEXT NOT NULL,
  fiscal_period TEXT NOT NULL, reason TEXT NOT NULL, reference TEXT NOT NULL, claim_id TEXT NOT NULL,
  amount_cents INTEGER NOT NULL, date TEXT NOT NULL, file TEXT NOT NULL,
  PRIMARY KEY (response, seq));
CREATE TABLE IF NOT EXISTS resubmissions (
  claim_id TEXT PRIMARY KEY, by_name TEXT NOT NULL, at TEXT NOT NULL, new_claim_id TEXT NOT NULL, run_id INTEGER);
CREATE INDEX IF NOT EXISTS claims_by_run ON claims (run_id);
CREATE INDEX IF NOT EXISTS claim_events_balance ON claim_events (claim_id, source, charge_cents, date);
)SQL";

// 128 random bits as hex: the ledger's own identity (meta.ledger_id).
Result<std::string> NewLedgerId() {
  unsigned char bytes[16];
  const int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::read(fd, bytes, sizeof bytes) != static_cast<ssize_t>(sizeof bytes)) {
    if (fd >= 0) ::close(fd);
    return Status::Io("cannot read /dev/urandom for the ledger's id");
  }
  ::close(fd);
  std::string id;
  char hex[3];
  for (unsigned char b : bytes) {
    std::snprintf(hex, sizeof hex, "%02x", b);
    id += hex;
  }
  return id;
}

// application_id says "an otpbatch ledger" to anything that reads the file's header;
// user_version is the schema version, as meta holds it.
Status Stamp(sql::Db& db) {
  return db.Exec("PRAGMA application_id=" + std::to_string(kApplicationId) + "; PRAGMA user_version=" +
                 std::to_string(kVersion));
}

Status CreateIn(sql::Db& db) {
  OTP_TRY(db.Exec("BEGIN IMMEDIATE"));
  Status s = db.Exec(kTables);
  if (s.ok()) s = db.Exec(kResponseTables);
  for (const char* index : {kRecordIndex, kDatedIndex, kOpenIndex, kOnceIndex})
    if (s.ok()) s = db.Exec(index);
  if (s.ok()) {
    auto id = NewLedgerId();
    sql::Stmt put(db, "INSERT INTO meta VALUES ('schema_version', ?1), ('ledger_id', ?2)");
    s = id.ok() ? put.Bind(1, std::to_string(kVersion)).Bind(2, id.value()).Run() : id.status();
  }
  if (s.ok()) s = Stamp(db);
  if (!s.ok()) {
    (void)db.Exec("ROLLBACK");
    return s;
  }
  return db.Exec("COMMIT");
}

// meta's value for `key`; nullopt when the row is missing.
Result<std::optional<std::string>> MetaValue(sql::Db& db, const char* key) {
  sql::Stmt get(db, "SELECT value FROM meta WHERE key = ?1");
  get.Bind(1, key);
  std::optional<std::string> value;
  if (get.Step()) value = get.Text(0);
  OTP_TRY(get.Done());
  return value;
}

}  // namespace

Status Create(sql::Db& db) {
  // The page size takes effect only before the file has its first page and leaves WAL mode.
  OTP_TRY(db.Exec("PRAGMA page_size=" + std::to_string(kPageSize)));
  OTP_TRY(SetPragmas(db, true));
  return CreateIn(db);
}

Result<std::string> Identify(sql::Db& db) {
  const Status not_ours = Status::Corrupt("this is not an otpbatch ledger (it has no otpbatch schema version)");
  sql::Stmt has_meta(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  const bool found = has_meta.Step();
  OTP_TRY(has_meta.Done());
  if (!found) return not_ours;
  OTP_ASSIGN_OR_RETURN(const std::optional<std::string> version, MetaValue(db, "schema_version"));
  if (!version) return not_ours;
  if (*version != std::to_string(kVersion))
    return Status::Corrupt("this ledger has schema version " + *version + "; this otpbatch reads version " +
                           std::to_string(kVersion));
  OTP_ASSIGN_OR_RETURN(const std::optional<std::string> id, MetaValue(db, "ledger_id"));
  if (!id || id->size() != 32 || id->find_first_not_of("0123456789abcdef") != std::string::npos)
    return Status::Corrupt("this ledger has no valid ledger id in its meta table");
  return *id;
}

Status KeepResponses(sql::Db& db) { return db.Exec(kResponseTables); }

Result<bool> KeepsResponses(sql::Db& db) {
  sql::Stmt has(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'resubmissions'");
  const bool found = has.Step();
  OTP_TRY(has.Done());
  return found;
}

Status SetPragmas(sql::Db& db, bool writer) {
  // A page cache of 64 MiB: a night touches its rows several times (store, bill, check).
  // Temporary data in files: an index built over millions of rows sorts in runs spilled to
  // SQLite's unlinked temporary files, not in memory. threads=2: those sorts use both cores.
  // cell_size_check: a page whose cells overrun it is reported as damage when read, not used.
  OTP_TRY(db.Exec("PRAGMA cache_size=-65536; PRAGMA temp_store=FILE; PRAGMA threads=2; PRAGMA cell_size_check=ON;"));
  // A reader changes nothing in the file: the journal mode is the writer's to set.
  if (!writer) return Status::Ok();
  return db.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
}

}  // namespace otp::ledger_schema
