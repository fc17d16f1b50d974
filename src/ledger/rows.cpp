// The ledger's service rows: offering rows, the bulk load, outcomes and the reads a night's
// pass makes of them.
#include <algorithm>
#include <optional>

#include "ledger/ledger.h"
#include "ledger/schema.h"
#include "ledger/sqlite_db.h"
#include "ledger/statements.h"

namespace otp {

using ledger_schema::kRowCols;

namespace ledger_rows {

ServiceRecord RowFrom(sql::Stmt& s) {
  ServiceRecord r;
  r.facility_id = s.View(0);
  r.record_id = s.View(1);
  r.patient_id = s.View(2);
  r.service_date = s.DateAt(3);
  if (auto service = ParseService(s.View(4))) r.service = *service;
  else s.Fail(Status::Corrupt("the ledger holds a service row of a service this otpbatch does not know"));
  r.quantity = s.Real(5);
  if (auto modality = ParseModality(s.View(6))) r.modality = *modality;
  else s.Fail(Status::Corrupt("the ledger holds a service row of a modality this otpbatch does not know"));
  r.practitioner_npi = s.View(7);
  r.flags = static_cast<unsigned>(s.Int(8));
  r.content_hash = s.View(9);
  r.source.file = s.View(10);
  r.source.line = s.Int(11);
  return r;
}

void BindRow(sql::Stmt& s, const ServiceRecord& r) {
  s.Bind(1, r.facility_id).Bind(2, r.record_id).Bind(3, r.patient_id).Bind(4, r.service_date);
  s.Bind(5, ServiceName(r.service)).Bind(6, r.quantity).Bind(7, ModalityName(r.modality));
  s.Bind(8, r.practitioner_npi).Bind(9, static_cast<int64_t>(r.flags)).Bind(10, r.content_hash);
  s.Bind(11, r.source.file).Bind(12, r.source.line);
}

}  // namespace ledger_rows

namespace {
using ledger_rows::BindRow;
using ledger_rows::RowFrom;

// The columns every whole-row read selects: the record, then rowid, first_run and whether open.
const std::string& WholeRowSelect() {
  static const std::string s =
      std::string("SELECT ") + kRowCols + ", rowid, first_run, status = 'open', reason FROM service_rows ";
  return s;
}

StoredRow WholeRow(sql::Stmt& s) {
  StoredRow row;
  row.record = RowFrom(s);
  row.rowid = s.Int(12);
  row.first_run = s.Int(13);
  row.open = s.Int(14) != 0;
  if (row.open) row.reason = s.Text(15);
  return row;
}

bool DayThenRowid(const StoredRow& a, const StoredRow& b) {
  if (a.record.service_date != b.record.service_date) return a.record.service_date < b.record.service_date;
  return a.rowid < b.rowid;
}

bool PatientLess(const ServiceRecord& a, const ServiceRecord& b) {
  if (a.facility_id != b.facility_id) return a.facility_id < b.facility_id;  // SQLite's BINARY order
  return a.patient_id < b.patient_id;
}

bool SamePatient(const ServiceRecord& a, const ServiceRecord& b) {
  return a.facility_id == b.facility_id && a.patient_id == b.patient_id;
}
}  // namespace

Result<bool> Ledger::BeginNight(bool may_bulk_load) {
  bulk_ = false;
  sql::Stmt n(*db_, "SELECT NOT EXISTS (SELECT 1 FROM service_rows)");
  const bool empty = n.Step() && n.Int(0) != 0;
  OTP_TRY(n.Done());
  if (empty && may_bulk_load) {
    // Leaving WAL needs the only connection; a reader attached to the empty ledger keeps it
    // in WAL, and the night is then written as any other.
    sql::Stmt m(*db_, "PRAGMA journal_mode=DELETE");
    bulk_ = m.Step() && m.Text(0) == "delete";
    (void)m.Done();
  }
  OTP_TRY(Begin());
  if (!bulk_) return false;
  OTP_TRY(db_->Exec(ledger_schema::kDropRowIndexes));
  // Tonight's rows are staged in a temporary table and stored by StoreStagedRows in
  // (facility, patient, date, line) order: the pass then reads the table front to back.
  OTP_TRY(db_->Exec("DROP TABLE IF EXISTS temp.staging"));
  OTP_TRY(db_->Exec(std::string("CREATE TEMP TABLE staging AS SELECT ") + kRowCols +
                    ", first_run FROM main.service_rows WHERE 0"));
  staging_ = std::make_unique<sql::Stmt>(*db_, "INSERT INTO temp.staging VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)");
  OTP_TRY(staging_->status());
  return true;
}

void Ledger::NoteStored(const ServiceRecord& r) {
  auto [it, added] = staged_first_.try_emplace(r.facility_id, r.service_date);
  if (!added && r.service_date < it->second) it->second = r.service_date;
}

Result<RowOffer> Ledger::OfferRow(const ServiceRecord& r, int64_t run_id) {
  if (staging_) {  // a bulk load: the ledger held no row, and the reader lets a record through once
    BindRow(*staging_, r);
    OTP_TRY(staging_->Bind(13, run_id).Run());
    NoteStored(r);
    return RowOffer{RowState::kNew, 0, {}};
  }
  // Insert first: most rows are new, and a conflict costs no more than the look-up would.
  auto& ins = st_->insert_row;
  BindRow(ins, r);
  OTP_TRY(ins.Bind(13, run_id).Run());
  if (db_->Changes() > 0) return RowOffer{RowState::kNew, db_->LastInsertId(), {}};
  auto& f = st_->find_row;
  f.Bind(1, r.facility_id).Bind(2, r.record_id);
  const bool found = f.Step();
  const std::string hash = found ? f.Text(0) : "", status = found ? f.Text(1) : "";
  const std::string changed = found ? f.Text(2) : "", patient = found ? f.Text(4) : "";
  const int64_t rowid = found ? f.Int(3) : 0;
  OTP_TRY(f.Done());
  if (!found) return Status::Internal("ledger: row " + r.record_id + " neither inserted nor found");
  const bool open = status == "open";
  if (hash == r.content_hash) return RowOffer{open ? RowState::kOpen : RowState::kAlreadyDecided, rowid, {}};
  if (!open) {
    // A person looks at a changed decided row once per changed version.
    if (changed == r.content_hash) return RowOffer{RowState::kAlreadyDecided, rowid, {}};
    OTP_TRY(st_->note_change.Bind(1, r.facility_id).Bind(2, r.record_id).Bind(3, r.content_hash).Run());
    return RowOffer{RowState::kChangedDecided, rowid, {}};
  }
  auto& up = st_->update_row;
  BindRow(up, r);
  OTP_TRY(up.Run());
  return RowOffer{RowState::kChangedOpen, rowid, patient};
}

Status Ledger::AddReject(const Reject& r, int64_t run_id) {
  auto& s = st_->add_reject;
  s.Bind(1, run_id).Bind(2, r.file).Bind(3, r.line).Bind(4, r.column).Bind(5, r.reason).Bind(6, r.record_id);
  return s.Bind(7, r.facility_id).Bind(8, r.raw).Run();
}

Status Ledger::StoreStagedRows(Date recent_from) {
  if (!bulk_ || !staging_) return Status::Ok();
  staging_.reset();
  const std::string insert = std::string("INSERT INTO main.service_rows (") + kRowCols + ", first_run, status) SELECT " +
                             kRowCols + ", first_run, 'open' FROM temp.staging WHERE service_date ";
  const std::string order = " ?1 ORDER BY facility_id, patient_id, service_date, source_line";
  OTP_TRY(sql::Stmt(*db_, insert + "<" + order).Bind(1, recent_from).Run());
  {
    sql::Stmt last(*db_, "SELECT ifnull(max(rowid), 0) FROM service_rows");
    recent_from_ = last.Step() ? last.Int(0) + 1 : 1;
    OTP_TRY(last.Done());
  }
  OTP_TRY(sql::Stmt(*db_, insert + ">=" + order).Bind(1, recent_from).Run());
  OTP_TRY(db_->Exec("DROP TABLE temp.staging"));
  // A duplicate record fails this build and the night rolls back (the reader drops a file's
  // duplicates first). The dated index waits for the outcomes (FinishIndexes).
  return db_->Exec(ledger_schema::kRecordIndex);
}

Status Ledger::FinishIndexes() {
  if (!bulk_) return Status::Ok();
  OTP_TRY(db_->Exec(ledger_schema::kDatedIndex));
  OTP_TRY(db_->Exec(ledger_schema::kOpenIndex));
  return db_->Exec(ledger_schema::kOnceIndex);
}

Result<RowStats> Ledger::Stats() {
  RowStats stats;
  sql::Stmt n(*db_, "SELECT (SELECT count(*) FROM service_rows WHERE status = 'open'), "
                    "(SELECT ifnull(max(rowid), 0) FROM service_rows)");
  if (n.Step()) {
    stats.open = n.Int(0);
    stats.max_rowid = n.Int(1);
  }
  OTP_TRY(n.Done());
  OTP_ASSIGN_OR_RETURN(stats.dated_index, HasIndex("service_rows_dated"));
  return stats;
}

Result<std::vector<StoredRow>> Ledger::ReadRows(sql::Stmt& s) {
  std::vector<StoredRow> out;
  while (s.Step()) out.push_back(WholeRow(s));
  OTP_TRY(s.Done());
  return out;
}

Result<std::vector<StoredRow>> Ledger::OpenRows() { return OpenRows({}, nullptr); }

Result<std::vector<StoredRow>> Ledger::OpenRows(const std::vector<std::string>& plain, const KeepFn& keep) {
  OTP_ASSIGN_OR_RETURN(const RowStats stats, Stats());
  std::vector<StoredRow> open;
  open.reserve(static_cast<size_t>(stats.open));  // a night may hold a week of every patient's rows
  auto& s = st_->open_rows;
  while (s.Step()) {
    if (keep) {
      const std::string_view reason = s.View(14);
      const bool is_plain = std::find(plain.begin(), plain.end(), reason) != plain.end();
      if (!is_plain && !keep(s.View(0), s.View(2), s.Int(12))) continue;
    }
    StoredRow& row = open.emplace_back();
    row.record = RowFrom(s);
    row.rowid = s.Int(12);
    row.first_run = s.Int(13);
    row.open = true;
    row.reason = s.Text(14);
  }
  OTP_TRY(s.Done());
  std::sort(open.begin(), open.end(), [](const StoredRow& a, const StoredRow& b) {
    if (!SamePatient(a.record, b.record)) return PatientLess(a.record, b.record);
    return DayThenRowid(a, b);
  });
  return open;
}

Result<std::vector<StoredRow>> Ledger::OpenRowsOf(const std::string& fid, const std::string& pid) {
  sql::Stmt s(*db_, WholeRowSelect() + "WHERE status = 'open' AND facility_id = ?1 AND patient_id = ?2");
  s.Bind(1, fid).Bind(2, pid);
  OTP_ASSIGN_OR_RETURN(std::vector<StoredRow> rows, ReadRows(s));
  std::sort(rows.begin(), rows.end(), DayThenRowid);
  return rows;
}

Result<std::vector<WaitingPatient>> Ledger::WaitingPatients(const std::vector<std::string>& plain) {
  std::string not_plain;
  for (size_t i = 0; i < plain.size(); ++i) not_plain += (i ? ", ?" : "?") + std::to_string(i + 1);
  sql::Stmt s(*db_, "SELECT facility_id, patient_id, count(*), max(service_date), group_concat(DISTINCT reason) "
                    "FROM service_rows WHERE status = 'open'" +
                        (plain.empty() ? std::string() : " AND reason NOT IN (" + not_plain + ")") +
                        " GROUP BY facility_id, patient_id");
  for (size_t i = 0; i < plain.size(); ++i) s.Bind(static_cast<int>(i + 1), plain[i]);
  std::vector<WaitingPatient> out;
  while (s.Step()) {
    WaitingPatient w{s.Text(0), s.Text(1), s.Int(2), s.DateAt(3), {}};
    for (auto& r : SplitIds(s.View(4), ',')) w.reasons.insert(std::move(r));
    out.push_back(std::move(w));
  }
  OTP_TRY(s.Done());
  return out;
}

Status Ledger::ScanAllRows(const PatientRowsFn& fn) {
  // Two runs in (facility, patient) order, merged patient by patient. After a bulk load's
  // StoreStagedRows nothing is decided yet and the rows are stored in two parts, each in
  // patient order: the runs are the two parts, read by rowid. Otherwise the decided rows (a
  // walk over the table, sorted by SQLite) and the open rows.
  OTP_ASSIGN_OR_RETURN(const bool dated, HasIndex("service_rows_dated"));
  const bool by_rowid = !dated;
  if (by_rowid && !bulk_) return Status::Corrupt("the ledger has lost its index service_rows_dated");
  const std::string& cols = WholeRowSelect();
  sql::Stmt run_a(*db_, by_rowid ? cols + "WHERE status = 'open' AND rowid >= ?1 ORDER BY rowid"
                                 : cols + "NOT INDEXED WHERE status <> 'open' ORDER BY facility_id, patient_id, service_date");
  sql::Stmt run_b(*db_, cols + "WHERE status = 'open' " +
                            (by_rowid ? "AND rowid < ?1 ORDER BY rowid" : "ORDER BY facility_id, patient_id, service_date"));
  if (by_rowid) {
    run_a.Bind(1, recent_from_);
    run_b.Bind(1, recent_from_);
  }
  sql::Stmt* runs[2] = {&run_a, &run_b};
  std::optional<StoredRow> heads[2];
  // A row that does not read back ends its run (Done() then says why): it never reaches `fn`.
  auto advance = [&](int i) {
    heads[i].reset();
    if (!runs[i]->Step()) return;
    StoredRow row = WholeRow(*runs[i]);
    if (runs[i]->status().ok()) heads[i] = std::move(row);
  };
  advance(0);
  advance(1);
  std::vector<StoredRow> rows;
  Status status;
  while (status.ok() && run_a.status().ok() && run_b.status().ok() && (heads[0] || heads[1])) {
    const int first = !heads[0] || (heads[1] && PatientLess(heads[1]->record, heads[0]->record)) ? 1 : 0;
    const ServiceRecord key = heads[first]->record;
    rows.clear();
    for (int i : {0, 1})
      while (heads[i] && SamePatient(heads[i]->record, key)) {
        rows.push_back(std::move(*heads[i]));
        advance(i);
      }
    std::sort(rows.begin(), rows.end(), DayThenRowid);
    status = fn(rows);
  }
  OTP_TRY(run_a.Done());
  OTP_TRY(run_b.Done());
  return status;
}

Status Ledger::DecidedOnDay(const std::string& fid, const std::string& pid, Date day, std::vector<RowRef>& out) {
  auto& s = st_->day_of;
  OTP_TRY(s.status());
  s.Bind(1, fid).Bind(2, day).Bind(3, pid);
  while (s.Step()) {
    RowRef ref;
    if (auto service = ParseService(s.View(0))) ref.service = *service;
    else s.Fail(Status::Corrupt("the ledger holds a service row of a service this otpbatch does not know"));
    ref.rowid = s.Int(1);
    out.push_back(ref);
  }
  return s.Done();
}

Status Ledger::RowsById(const std::vector<int64_t>& rowids, std::vector<StoredRow>& out) {
  sql::Stmt s(*db_, WholeRowSelect() + "WHERE rowid = ?1");
  for (int64_t id : rowids) {
    s.Bind(1, id);
    while (s.Step()) out.push_back(WholeRow(s));
    OTP_TRY(s.Done());
  }
  return Status::Ok();
}

Result<std::vector<Date>> Ledger::DecidedDays(const std::string& fid) {
  // A seek per day found: a row dated years away by mistake adds one day, not one per
  // calendar day between.
  sql::Stmt next(*db_, "SELECT min(service_date) FROM service_rows INDEXED BY service_rows_dated "
                       "WHERE facility_id = ?1 AND service_date > ?2 AND status <> 'open'");
  std::vector<Date> days;
  std::string after;  // before every date
  for (;;) {
    next.Bind(1, fid).Bind(2, after);
    const bool more = next.Step() && !next.IsNull(0);
    if (more) {
      days.push_back(next.DateAt(0));
      after = next.Text(0);
    }
    OTP_TRY(next.Done());
    if (!more) return days;
  }
}

Result<std::optional<Date>> Ledger::FirstServiceDate(const std::string& fid) {
  if (bulk_) {  // the ledger held no row before tonight's
    auto it = staged_first_.find(fid);
    return it == staged_first_.end() ? std::nullopt : std::optional<Date>(it->second);
  }
  std::optional<Date> first;
  for (const char* sql : {"SELECT min(service_date) FROM service_rows INDEXED BY service_rows_dated "
                          "WHERE facility_id = ?1 AND status <> 'open'",
                          "SELECT min(service_date) FROM service_rows INDEXED BY service_rows_open "
                          "WHERE status = 'open' AND facility_id = ?1"}) {
    sql::Stmt s(*db_, sql);
    s.Bind(1, fid);
    std::optional<Date> d;
    if (s.Step()) d = s.OptDateAt(0);
    OTP_TRY(s.Done());
    if (d && (!first || *d < *first)) first = d;
  }
  return first;
}

Status Ledger::SetOutcomes(std::vector<RowDecision> decisions,
                           const std::vector<std::pair<std::string, std::string>>& verdicts, int64_t run_id) {
  // In rowid order: the table's pages front to back, and the dated index's entries day after
  // day at the end of each facility's.
  std::sort(decisions.begin(), decisions.end(),
            [](const RowDecision& a, const RowDecision& b) { return a.rowid < b.rowid; });
  sql::Stmt s(*db_, "UPDATE service_rows SET status=?1, reason=?2, decided_run=?3 WHERE rowid=?4");
  for (const auto& d : decisions) {
    if (d.verdict >= verdicts.size()) return Status::Internal("ledger: an outcome names no verdict");
    const auto& [status, reason] = verdicts[d.verdict];
    OTP_TRY(s.Bind(1, status).Bind(2, reason).Bind(3, run_id).Bind(4, d.rowid).Run());
  }
  return Status::Ok();
}

Status Ledger::SetOutcome(const std::string& fid, const std::string& rid, const std::string& status,
                          const std::string& reason, int64_t run_id) {
  return st_->set_outcome.Bind(1, fid).Bind(2, rid).Bind(3, status).Bind(4, reason).Bind(5, run_id).Run();
}

}  // namespace otp
