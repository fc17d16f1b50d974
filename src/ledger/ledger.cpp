// The ledger: opening, transactions, runs, patients, counters and per-patient state.
// Service rows are in rows.cpp, decisions and claims in decisions.cpp, reading back in
// read_back.cpp.
#include "ledger/ledger.h"

#include "ledger/schema.h"
#include "ledger/sqlite_db.h"
#include "ledger/statements.h"

namespace otp {

using ledger_schema::kRowCols;

Ledger::Statements::Statements(sql::Db& db)
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
      open_rows(db, std::string("SELECT ") + kRowCols + ", rowid, first_run, reason FROM service_rows WHERE status = 'open'"),
      upsert_patient(db,
                     "INSERT INTO patients VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21) "
                     "ON CONFLICT (facility_id, patient_id) DO UPDATE SET mbi=?3, last_name=?4, first_name=?5, "
                     "middle_initial=?6, birth_date=?7, sex=?8, address_line1=?9, city=?10, state=?11, zip=?12, "
                     "admission_date=?13, discharge_date=?14, program=?15, payer=?16, diagnosis=?17, "
                     "plan_counseling_minutes=?18, source_file=?19, source_line=?20, run_id=?21 "
                     // A patient as on record is not written again (every night sends every
                     // patient): run_id is the run that last changed it.
                     "WHERE (mbi, last_name, first_name, middle_initial, birth_date, sex, address_line1, city, state, "
                     "zip, admission_date, discharge_date, program, payer, diagnosis, plan_counseling_minutes, "
                     "source_file, source_line) IS NOT (?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)"),
      load_patient(db, "SELECT * FROM patients WHERE facility_id=?1 AND patient_id=?2"),
      all_patients(db, "SELECT * FROM patients ORDER BY facility_id, patient_id"),
      add_reject(db, "INSERT INTO rejects (run_id, file, line, column_name, reason, record_id, facility_id, raw) "
                     "VALUES (?1,?2,?3,?4,?5,?6,?7,?8)"),
      add_episode(db, "INSERT INTO episodes VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) "
                      "ON CONFLICT (facility_id, start_date, patient_id) DO UPDATE SET end_date = excluded.end_date, "
                      "bundle_code = excluded.bundle_code, status = excluded.status, reason = excluded.reason, "
                      "run_id = excluded.run_id, bundle_dos = excluded.bundle_dos WHERE episodes.status = 'held'"),
      move_last_episode(db, "INSERT INTO episode_last VALUES (?1,?2,?3) ON CONFLICT (facility_id, patient_id) "
                            "DO UPDATE SET end_date = excluded.end_date WHERE excluded.end_date > end_date"),
      last_episode_end(db, "SELECT end_date FROM episode_last WHERE facility_id=?1 AND patient_id=?2"),
      add_hold(db, "INSERT INTO holds VALUES (?1,?2,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12) ON CONFLICT (key) DO UPDATE "
                   "SET run_id = excluded.run_id, date = excluded.date, code = excluded.code, reason = excluded.reason, "
                   "detail = excluded.detail, "
                   "record_ids = excluded.record_ids, amount_cents = excluded.amount_cents, finding = excluded.finding"),
      add_finding(db, "INSERT OR IGNORE INTO findings VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"),
      add_window(db, "INSERT OR IGNORE INTO windows VALUES (?1,?2,?3,?4,?5,?6,?7)"),
      windows_of(db, "SELECT from_date, to_date, code, source_record_id FROM windows "
                     "WHERE facility_id=?1 AND patient_id=?2 ORDER BY from_date, rowid"),
      next_counter(db, "INSERT INTO counters VALUES (?1, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 "
                       "RETURNING value"),
      add_claim(db, "INSERT INTO claims VALUES (?1,?2,?3,?4,?5,?6,?7)"),
      add_line(db, "INSERT INTO claim_lines VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)"),
      add_patient_line(db, "INSERT INTO patient_lines VALUES (?1,?2,?3,?4,?5,?6,?7)"),
      add_source(db, "INSERT INTO line_sources VALUES (?1,?2,?3,?4,?5)"),
      add_interchange(db, "INSERT INTO interchanges VALUES (?1,?2,?3,?4,?5)"),
      find_claim(db, "SELECT c.claim_id, c.run_id, c.facility_id, c.patient_id, c.diagnosis, c.interchange, "
                     "r.as_of FROM claims c LEFT JOIN runs r ON r.run_id = c.run_id WHERE c.claim_id = ?1"),
      lines_of(db, "SELECT line_no, code, modifiers, dos, units, unit_cents, charge_cents, rule_id, rate_ref, "
                   "practitioner_npi, episode_start, edits FROM claim_lines WHERE claim_id = ?1 ORDER BY line_no"),
      sources_of(db, "SELECT record_id FROM line_sources WHERE claim_id = ?1 AND line_no = ?2 ORDER BY rowid"),
      set_state(db, "INSERT OR REPLACE INTO patient_state VALUES (?1, ?2, ?3)"),
      forget_state(db, "DELETE FROM patient_state WHERE facility_id = ?1 AND patient_id = ?2"),
      day_of(db, "SELECT service, rowid FROM service_rows INDEXED BY service_rows_dated "
                 "WHERE facility_id = ?1 AND service_date = ?2 AND patient_id = ?3 AND status <> 'open'") {}

Status Ledger::Statements::Check() {
  for (sql::Stmt* s : {&find_row, &note_change, &insert_row, &update_row, &set_outcome, &open_rows, &upsert_patient,
                       &load_patient, &all_patients, &add_reject, &add_episode, &move_last_episode, &last_episode_end,
                       &add_hold, &add_finding, &add_window, &windows_of, &next_counter, &add_claim, &add_line,
                       &add_patient_line, &add_source, &add_interchange, &find_claim, &lines_of, &sources_of,
                       &set_state, &forget_state})
    OTP_TRY(s->status());
  return Status::Ok();
}

const char* RowStateName(RowState s) {
  switch (s) {
    case RowState::kNew: return "new";
    case RowState::kOpen: return "open";
    case RowState::kAlreadyDecided: return "already-processed";
    case RowState::kChangedOpen: return "changed-open";
    case RowState::kChangedDecided: return "changed-decided";
  }
  return "?";
}

Ledger::Ledger(std::unique_ptr<sql::Db> db) : db_(std::move(db)) {}
Ledger::~Ledger() {
  staging_.reset();
  st_.reset();
  db_.reset();
}

Status Ledger::Close() {
  staging_.reset();
  st_.reset();
  return db_->Close();
}

Status Ledger::PrepareStatements() {
  st_ = std::make_unique<Statements>(*db_);
  return st_->Check();
}

Status Ledger::Begin() { return db_->Exec("BEGIN IMMEDIATE"); }

Status Ledger::InTransaction(const std::function<Status()>& work) {
  OTP_TRY(Begin());
  Status s = work();
  if (!s.ok()) {
    Rollback();
    return s;
  }
  return Commit();
}

Status Ledger::Commit() {
  // Staged rows not yet stored would vanish with the temporary table.
  if (staging_) return Status::Internal("ledger: a bulk load's rows were staged but never stored; nothing committed");
  OTP_TRY(db_->Exec("COMMIT"));
  return EndTransaction();
}

void Ledger::Rollback() {
  (void)db_->Exec("ROLLBACK");
  (void)EndTransaction();
}

// A bulk load ends with its transaction: back to WAL.
Status Ledger::EndTransaction() {
  staged_first_.clear();
  if (!bulk_) return Status::Ok();
  bulk_ = false;
  staging_.reset();
  recent_from_ = 0;
  // Still in rollback-journal mode if this fails: correct, only readers wait; the next Open
  // sets WAL again.
  return db_->Exec("PRAGMA journal_mode=WAL");
}

Result<bool> Ledger::HasIndex(const char* name) {
  sql::Stmt x(*db_, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1");
  x.Bind(1, name);
  const bool found = x.Step();
  OTP_TRY(x.Done());
  return found;
}

// ---- runs

Result<int64_t> Ledger::StartRun(Date as_of, std::time_t now, bool dry_run, const std::string& inputs) {
  sql::Stmt s(*db_, "INSERT INTO runs (as_of, started_at, dry_run, status, inputs) VALUES (?1, ?2, ?3, 'running', ?4)");
  OTP_TRY(s.Bind(1, as_of).Bind(2, static_cast<int64_t>(now)).Bind(3, dry_run ? 1 : 0).Bind(4, inputs).Run());
  return db_->LastInsertId();
}

Status Ledger::FinishRun(int64_t run_id, std::time_t now, const std::string& status, const std::string& summary) {
  sql::Stmt s(*db_, "UPDATE runs SET finished_at = ?2, status = ?3, summary = ?4 WHERE run_id = ?1");
  return s.Bind(1, run_id).Bind(2, static_cast<int64_t>(now)).Bind(3, status).Bind(4, summary).Run();
}

Result<bool> Ledger::RunFinished(int64_t run_id, std::time_t started_at) {
  sql::Stmt s(*db_, "SELECT 1 FROM runs WHERE run_id = ?1 AND started_at = ?2 AND finished_at IS NOT NULL");
  s.Bind(1, run_id).Bind(2, static_cast<int64_t>(started_at));
  const bool found = s.Step();
  OTP_TRY(s.Done());
  return found;
}

Result<std::vector<std::string>> Ledger::RunSummaries(Date from, Date to) {
  sql::Stmt s(*db_, "SELECT summary FROM runs WHERE as_of BETWEEN ?1 AND ?2 AND dry_run = 0 "
                    "AND finished_at IS NOT NULL AND summary IS NOT NULL ORDER BY run_id");
  s.Bind(1, from).Bind(2, to);
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  OTP_TRY(s.Done());
  return out;
}

Status Ledger::SetRunRules(int64_t run_id, const std::string& fingerprint) {
  sql::Stmt s(*db_, "UPDATE runs SET rules = ?2 WHERE run_id = ?1");
  return s.Bind(1, run_id).Bind(2, fingerprint).Run();
}

Result<std::string> Ledger::LastRules() {
  sql::Stmt s(*db_, "SELECT rules FROM runs WHERE dry_run = 0 AND finished_at IS NOT NULL AND summary IS NOT NULL "
                    "ORDER BY run_id DESC LIMIT 1");
  std::string rules = s.Step() ? s.Text(0) : "";
  OTP_TRY(s.Done());
  return rules;
}

Result<std::vector<NightRun>> Ledger::RunsOfNight(Date as_of) {
  sql::Stmt s(*db_, "SELECT run_id, summary FROM runs WHERE as_of = ?1 AND dry_run = 0 "
                    "AND finished_at IS NOT NULL AND summary IS NOT NULL ORDER BY run_id");
  s.Bind(1, as_of);
  std::vector<NightRun> out;
  while (s.Step()) out.push_back({s.Int(0), s.Text(1)});
  OTP_TRY(s.Done());
  return out;
}

// ---- patients

Result<std::set<std::pair<std::string, std::string>>> Ledger::PatientsOfRun(int64_t run_id) {
  sql::Stmt s(*db_, "SELECT facility_id, patient_id FROM patients WHERE run_id = ?1");
  s.Bind(1, run_id);
  std::set<std::pair<std::string, std::string>> out;
  while (s.Step()) out.emplace(s.Text(0), s.Text(1));
  OTP_TRY(s.Done());
  return out;
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
  p.birth_date = s.DateAt(6);
  const std::string sex = s.Text(7);
  if (sex.size() == 1 && (sex == "M" || sex == "F" || sex == "U")) p.sex = sex[0];
  else s.Fail(Status::Corrupt("the ledger holds a patient whose sex is not M, F or U"));
  p.address.line1 = s.Text(8);
  p.address.city = s.Text(9);
  p.address.state = s.Text(10);
  p.address.zip = s.Text(11);
  p.admission_date = s.DateAt(12);
  p.discharge_date = s.OptDateAt(13);
  if (auto program = ParseProgram(s.View(14))) p.program = *program;
  else s.Fail(Status::Corrupt("the ledger holds a patient whose program it does not know"));
  if (auto payer = ParsePayer(s.View(15))) p.payer = *payer;
  else s.Fail(Status::Corrupt("the ledger holds a patient whose payer it does not know"));
  p.diagnosis = s.Text(16);
  p.plan_counseling_minutes = static_cast<int>(s.Int(17));
  p.source.file = s.Text(18);
  p.source.line = s.Int(19);
  return p;
}
}  // namespace

Status Ledger::UpsertPatient(const Patient& p, int64_t run_id) {
  auto& s = st_->upsert_patient;
  s.Bind(1, p.facility_id).Bind(2, p.patient_id).Bind(3, p.mbi).Bind(4, p.last_name).Bind(5, p.first_name);
  s.Bind(6, p.middle_initial).Bind(7, p.birth_date).Bind(8, std::string(1, p.sex));
  s.Bind(9, p.address.line1).Bind(10, p.address.city).Bind(11, p.address.state).Bind(12, p.address.zip);
  s.Bind(13, p.admission_date).Bind(14, p.discharge_date);
  s.Bind(15, ProgramName(p.program)).Bind(16, PayerName(p.payer)).Bind(17, p.diagnosis);
  s.Bind(18, p.plan_counseling_minutes).Bind(19, p.source.file).Bind(20, p.source.line).Bind(21, run_id);
  return s.Run();
}

Result<std::optional<Patient>> Ledger::LoadPatient(const std::string& fid, const std::string& pid) {
  auto& s = st_->load_patient;
  s.Bind(1, fid).Bind(2, pid);
  std::optional<Patient> p;
  if (s.Step()) p = PatientFrom(s);
  OTP_TRY(s.Done());
  return p;
}

Result<std::vector<Patient>> Ledger::AllPatients() {
  std::vector<Patient> out;
  {
    // Sized first: a Patient is large, and growing the vector would move every one.
    sql::Stmt n(*db_, "SELECT count(*) FROM patients");
    if (n.Step()) out.reserve(static_cast<size_t>(n.Int(0)));
    OTP_TRY(n.Done());
  }
  auto& s = st_->all_patients;
  while (s.Step()) out.push_back(PatientFrom(s));
  OTP_TRY(s.Done());
  return out;
}

// ---- counters, interchanges

Result<int64_t> Ledger::NextCounter(const std::string& name) {
  auto& s = st_->next_counter;
  s.Bind(1, name);
  const bool stepped = s.Step();
  const int64_t v = stepped ? s.Int(0) : 0;
  OTP_TRY(s.Done());
  if (!stepped) return Status::Internal("ledger: counter " + name + " did not advance");
  return v;
}

Result<bool> Ledger::RaiseCounter(const std::string& name, int64_t used) {
  sql::Stmt s(*db_, "INSERT INTO counters VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = excluded.value "
                    "WHERE value < excluded.value");
  OTP_TRY(s.Bind(1, name).Bind(2, used).Run());
  return db_->Changes() > 0;
}

Status Ledger::AddInterchange(const Interchange& x, int64_t run_id) {
  OTP_TRY(st_->add_interchange.Bind(1, x.control).Bind(2, run_id).Bind(3, x.facility_id).Bind(4, x.path)
              .Bind(5, x.content).Run());
  sql::Stmt sent(*db_, "INSERT INTO sent_groups VALUES (?1,?2,?3,?4)");
  return sent.Bind(1, x.control).Bind(2, x.group_control).Bind(3, x.reference).Bind(4, x.transaction_control).Run();
}

// ---- per-patient state

Result<std::vector<PatientState>> Ledger::PatientStates() {
  sql::Stmt s(*db_, "SELECT facility_id, patient_id, state FROM patient_state ORDER BY facility_id, patient_id");
  std::vector<PatientState> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), std::string(s.BlobView(2))});
  OTP_TRY(s.Done());
  return out;
}

Status Ledger::SetPatientState(const PatientState& p) {
  return st_->set_state.Bind(1, p.facility_id).Bind(2, p.patient_id).BindBlob(3, p.state).Run();
}

Status Ledger::ForgetPatientState(const std::string& fid, const std::string& pid) {
  return st_->forget_state.Bind(1, fid).Bind(2, pid).Run();
}

}  // namespace otp
