// The ledger's work items (model/work_item.h): raised by cause, resolved by a night, closed by
// a person.
#include "ledger/ledger.h"
#include "ledger/sqlite_db.h"
#include "ledger/statements.h"

namespace otp {
namespace {

constexpr const char* kItemCols =
    "id, cause, kind, facility_id, patient_id, date, code, reason, detail, next_step, amount_cents, record_ids, "
    "finding, file_kind, week, renews, opened_run, opened_on, seen_run, state, ended_run, ended_on, ended_by, "
    "ended_at, note";

Result<std::vector<WorkItem>> ItemsFrom(sql::Stmt& s) {
  std::vector<WorkItem> out;
  while (s.Step()) {
    WorkItem w;
    w.id = s.Int(0);
    w.cause = s.Text(1);
    w.kind = s.Text(2);
    w.facility_id = s.Text(3);
    w.patient_id = s.Text(4);
    w.date = s.OptDateAt(5);
    w.code = s.Text(6);
    w.reason = s.Text(7);
    w.detail = s.Text(8);
    w.next_step = s.Text(9);
    if (!s.IsNull(10)) w.amount = Money::Cents(s.Int(10));
    w.record_ids = SplitIds(s.View(11), kIdSep);
    w.finding = s.Text(12);
    w.file_kind = s.Text(13);
    w.week = s.OptDateAt(14);
    w.renews = s.Int(15) != 0;
    w.opened_run = s.Int(16);
    w.opened_on = s.DateAt(17);
    w.seen_run = s.Int(18);
    if (auto state = ParseItemState(s.View(19))) w.state = *state;
    else s.Fail(Status::Corrupt("the ledger holds a work item in a state this otpbatch does not know"));
    if (!s.IsNull(20)) w.ended_run = s.Int(20);
    w.ended_on = s.OptDateAt(21);
    w.ended_by = s.Text(22);
    w.ended_at = s.Text(23);
    w.note = s.Text(24);
    out.push_back(std::move(w));
  }
  OTP_TRY(s.Done());
  return out;
}

void BindAmount(sql::Stmt& s, int i, const std::optional<Money>& m) {
  if (m) s.Bind(i, m->cents());
  else s.BindNull(i);
}

}  // namespace

Result<bool> Ledger::RaiseItem(const WorkItem& w, int64_t run_id, Date as_of) {
  sql::Stmt find(*db_, "SELECT id, state FROM work_items WHERE cause = ?1");
  find.Bind(1, w.cause);
  std::optional<std::pair<int64_t, std::string>> known;
  if (find.Step()) known.emplace(find.Int(0), find.Text(1));
  OTP_TRY(find.Done());
  if (!known) {
    sql::Stmt add(*db_, "INSERT INTO work_items VALUES (NULL,?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,"
                        "?16,?17,?16,'open',NULL,NULL,'','','')");
    add.Bind(1, w.cause).Bind(2, w.kind).Bind(3, w.facility_id).Bind(4, w.patient_id).Bind(5, w.date).Bind(6, w.code)
        .Bind(7, w.reason).Bind(8, w.detail).Bind(9, w.next_step).Bind(11, JoinIds(w.record_ids, kIdSep))
        .Bind(12, w.finding).Bind(13, w.file_kind).Bind(14, w.week).Bind(15, w.renews ? 1 : 0).Bind(16, run_id)
        .Bind(17, as_of);
    BindAmount(add, 10, w.amount);
    OTP_TRY(add.Run());
    return true;
  }
  const bool reopen = known->second == ItemStateName(ItemState::kResolved);
  sql::Stmt seen(*db_, "UPDATE work_items SET seen_run = ?2, date = ?3, code = ?4, detail = ?5, next_step = ?6, "
                       "amount_cents = ?7, record_ids = ?8, finding = ?9, week = ?10, renews = ?11, reason = ?12 "
                       "WHERE id = ?1");
  seen.Bind(1, known->first).Bind(2, run_id).Bind(3, w.date).Bind(4, w.code).Bind(5, w.detail).Bind(6, w.next_step)
      .Bind(8, JoinIds(w.record_ids, kIdSep)).Bind(9, w.finding).Bind(10, w.week).Bind(11, w.renews ? 1 : 0)
      .Bind(12, w.reason);
  BindAmount(seen, 7, w.amount);
  OTP_TRY(seen.Run());
  if (!reopen) return false;
  sql::Stmt open(*db_, "UPDATE work_items SET state = 'open', opened_run = ?2, opened_on = ?3, ended_run = NULL, "
                       "ended_on = NULL, ended_by = '', ended_at = '', note = '' WHERE id = ?1");
  OTP_TRY(open.Bind(1, known->first).Bind(2, run_id).Bind(3, as_of).Run());
  return true;
}

Result<std::vector<WorkItem>> Ledger::Items(std::optional<ItemState> state) {
  sql::Stmt s(*db_, std::string("SELECT ") + kItemCols + " FROM work_items" +
                        (state ? " WHERE state = ?1" : "") + " ORDER BY id");
  if (state) s.Bind(1, ItemStateName(*state));
  return ItemsFrom(s);
}

Result<std::vector<WorkItem>> Ledger::OpenItemsOf(const std::string& kind, bool renews) {
  sql::Stmt s(*db_, std::string("SELECT ") + kItemCols +
                        " FROM work_items WHERE state = 'open' AND kind = ?1 AND renews = ?2 ORDER BY id");
  s.Bind(1, kind).Bind(2, renews ? 1 : 0);
  return ItemsFrom(s);
}

Result<std::optional<WorkItem>> Ledger::ItemOfCause(const std::string& cause) {
  sql::Stmt s(*db_, std::string("SELECT ") + kItemCols + " FROM work_items WHERE cause = ?1");
  s.Bind(1, cause);
  OTP_ASSIGN_OR_RETURN(std::vector<WorkItem> found, ItemsFrom(s));
  if (found.empty()) return std::optional<WorkItem>();
  return std::optional<WorkItem>(std::move(found.front()));
}

Result<int64_t> Ledger::CountItems(ItemState state) {
  sql::Stmt s(*db_, "SELECT count(*) FROM work_items WHERE state = ?1");
  s.Bind(1, ItemStateName(state));
  const int64_t n = s.Step() ? s.Int(0) : 0;
  OTP_TRY(s.Done());
  return n;
}

Result<std::optional<WorkItem>> Ledger::FindItem(int64_t id) {
  sql::Stmt s(*db_, std::string("SELECT ") + kItemCols + " FROM work_items WHERE id = ?1");
  s.Bind(1, id);
  OTP_ASSIGN_OR_RETURN(std::vector<WorkItem> found, ItemsFrom(s));
  if (found.empty()) return std::optional<WorkItem>();
  return std::optional<WorkItem>(std::move(found.front()));
}

Result<std::vector<WorkItem>> Ledger::ItemsOfFinding(const std::string& finding_key) {
  sql::Stmt s(*db_, std::string("SELECT ") + kItemCols + " FROM work_items WHERE finding = ?1 ORDER BY id");
  s.Bind(1, finding_key);
  return ItemsFrom(s);
}

Status Ledger::ResolveItem(int64_t id, int64_t run_id, Date on, const std::string& note) {
  sql::Stmt s(*db_, "UPDATE work_items SET state = 'resolved', ended_run = ?2, ended_on = ?3, note = ?4 "
                    "WHERE id = ?1 AND state = 'open'");
  return s.Bind(1, id).Bind(2, run_id).Bind(3, on).Bind(4, note).Run();
}

Result<bool> Ledger::CloseItem(int64_t id, const std::string& by, const std::string& note, const std::string& at,
                               Date on) {
  sql::Stmt s(*db_, "UPDATE work_items SET state = 'closed', ended_on = ?2, ended_by = ?3, ended_at = ?4, note = ?5 "
                    "WHERE id = ?1 AND state = 'open'");
  OTP_TRY(s.Bind(1, id).Bind(2, on).Bind(3, by).Bind(4, at).Bind(5, note).Run());
  return db_->Changes() > 0;
}

Result<bool> Ledger::HoldsRecord(const std::string& fid, const std::string& file_kind, const std::string& record_id) {
  sql::Stmt s(*db_, file_kind == "patients"
                        ? "SELECT EXISTS (SELECT 1 FROM patients WHERE facility_id = ?1 AND patient_id = ?2)"
                        : "SELECT EXISTS (SELECT 1 FROM service_rows WHERE facility_id = ?1 AND record_id = ?2)");
  s.Bind(1, fid).Bind(2, record_id);
  const bool found = s.Step() && s.Int(0) != 0;
  OTP_TRY(s.Done());
  return found;
}

Status Ledger::WriteOffWeek(const std::string& fid, const std::string& pid, Date start) {
  sql::Stmt episode(*db_, "UPDATE episodes SET status = 'closed' WHERE facility_id = ?1 AND start_date = ?2 "
                          "AND patient_id = ?3 AND status = 'held' RETURNING end_date");
  episode.Bind(1, fid).Bind(2, start).Bind(3, pid);
  std::optional<Date> end;
  if (episode.Step()) end = episode.DateAt(0);
  OTP_TRY(episode.Done());
  if (!end) return Status::Ok();  // billed or written off already
  sql::Stmt rows(*db_, "UPDATE service_rows SET status = 'held' WHERE facility_id = ?1 AND patient_id = ?2 "
                       "AND service_date BETWEEN ?3 AND ?4 AND status = 'open'");
  return rows.Bind(1, fid).Bind(2, pid).Bind(3, start).Bind(4, *end).Run();
}

}  // namespace otp
