// AddWork (work_rows.h).
#include "report/work_rows.h"

#include <map>

#include "work/queue.h"

namespace otp {
namespace {

FindingState StateOf(const WorkItem& w) {
  FindingState s;
  s.open = w.state == ItemState::kOpen;
  s.item_id = ItemId(w.id);
  if (w.state == ItemState::kClosed) s.closed_by = w.ended_by;
  if (w.state == ItemState::kResolved) s.closed_by = "the data";
  s.note = w.note;
  s.closed_on = w.ended_on;
  return s;
}

}  // namespace

WorkRow WorkRowOf(const WorkItem& w, Date today) {
  WorkRow row;
  row.id = ItemId(w.id);
  row.kind = w.kind;
  row.facility_id = w.facility_id;
  row.patient_id = w.patient_id;
  row.reason = w.reason;
  row.next_step = w.next_step;
  row.detail = w.detail;
  row.amount_at_stake = w.amount.value_or(Money());
  row.opened = w.opened_on;
  row.age_days = AgeDays(w, today);
  return row;
}

Status AddWork(ReportData& r, Ledger& ledger, const std::vector<Hold>& holds, Date today) {
  OTP_ASSIGN_OR_RETURN(const std::vector<WorkItem> open, ledger.Items(ItemState::kOpen));
  std::map<std::string, const WorkItem*> by_cause;
  for (const WorkItem& w : open) {
    by_cause[w.cause] = &w;
    r.work.push_back(WorkRowOf(w, today));
  }
  for (const Hold& h : holds) {
    HeldRow row{h.facility_id, h.patient_id, h.date, h.code, h.reason, h.detail, h.record_ids};
    row.amount_at_stake = h.amount.value_or(Money());
    if (auto it = by_cause.find("hold|" + HoldKey(h)); it != by_cause.end()) {
      row.item_id = ItemId(it->second->id);
      row.next_step = it->second->next_step;
    }
    r.held.push_back(std::move(row));
  }
  for (const Finding& f : r.findings) {  // the finding's own item, else the hold it says why of
    OTP_ASSIGN_OR_RETURN(const std::vector<WorkItem> items, ledger.ItemsOfFinding(f.key));
    const WorkItem* item = nullptr;
    for (const WorkItem& w : items)
      if (!item || w.kind == "finding") item = &w;
    if (item) r.finding_states[f.key] = StateOf(*item);
  }
  return Status::Ok();
}

}  // namespace otp
