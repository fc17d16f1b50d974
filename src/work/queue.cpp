// UpdateQueue and CloseWorkItem (queue.h).
#include "work/queue.h"

#include <map>

#include "model/text.h"
#include "rules/rulebook.h"

namespace otp {
namespace {

std::string NextStep(const RuleBook& rules, std::string_view kind, std::string_view id) {
  const ReasonText* r = rules.FindReason(kind, id);
  return r ? r->next_step : std::string("Review it and close it with a note.");
}

// A rejected row's identity when no record id could be read: its text's hash.
std::string RawHash(const std::string& raw) { return Hex64(Fnv1a(raw)); }

}  // namespace

std::vector<Hold> MergeHolds(std::vector<Hold> holds) {
  std::map<std::string, size_t> at;
  std::vector<Hold> out;
  for (Hold& h : holds) {
    auto [it, added] = at.try_emplace(HoldKey(h), out.size());
    if (added) {
      out.push_back(std::move(h));
      continue;
    }
    Hold& m = out[it->second];
    if (h.amount) m.amount = m.amount.value_or(Money()) + *h.amount;
    for (auto& id : h.record_ids) m.record_ids.push_back(std::move(id));
  }
  return out;
}

WorkItem ItemOfHold(const Hold& h, const RuleBook& rules) {
  WorkItem w;
  w.cause = "hold|" + HoldKey(h);
  w.kind = "hold";
  w.facility_id = h.facility_id;
  w.patient_id = h.patient_id;
  w.date = h.date;
  w.code = h.code;
  w.reason = h.reason;
  w.detail = h.detail;
  w.next_step = NextStep(rules, "hold", h.reason);
  w.amount = h.amount;
  w.record_ids = h.record_ids;
  w.finding = h.finding;
  w.week = h.week;
  w.renews = h.week.has_value();
  return w;
}

WorkItem ItemOfFinding(const Finding& f, const RuleBook& rules) {
  WorkItem w;
  w.cause = "finding|" + f.key;
  w.kind = "finding";
  w.facility_id = f.facility_id;
  w.patient_id = f.patient_id;
  w.date = f.date;
  w.code = f.rule_id;
  w.reason = f.rule_id;
  w.detail = std::string(SeverityName(f.severity)) + ": " + f.detail;
  w.next_step = NextStep(rules, "finding", f.rule_id);
  w.finding = f.key;
  const ReasonText* r = rules.FindReason("finding", f.rule_id);
  w.renews = r && r->resolved_by_data;
  return w;
}

WorkItem ItemOfReject(const Reject& r, const std::string& file_kind, const RuleBook& rules) {
  WorkItem w;
  const std::string what = r.record_id.empty() ? "row " + RawHash(r.raw) : r.record_id;
  w.cause = "reject|" + r.facility_id + "|" + file_kind + "|" + what + "|" + r.column;
  w.kind = "rejected-row";
  w.facility_id = r.facility_id;
  w.patient_id = file_kind == "patients" ? r.record_id : std::string();
  w.reason = r.column.empty() ? std::string("row") : r.column;
  w.detail = r.file + " line " + std::to_string(r.line) + (r.column.empty() ? "" : ", column " + r.column) + ": " +
             r.reason;
  w.next_step = NextStep(rules, "item", "rejected-row");
  if (!r.record_id.empty()) w.record_ids = {r.record_id};
  w.file_kind = file_kind;
  return w;
}

namespace {

Status Raise(Ledger& ledger, const WorkItem& w, int64_t run_id, Date as_of, QueueChange& change) {
  OTP_ASSIGN_OR_RETURN(const bool opened, ledger.RaiseItem(w, run_id, as_of));
  if (!opened) return Status::Ok();
  ++change.opened;
  if (w.kind == "hold" || w.kind == "rejected-row") ++change.opened_for_attention;
  return Status::Ok();
}

// Why an open item not raised tonight has ended, or "" when it has not: a finding its rule
// raises every night its cause stands, or a rejected row whose record the ledger now holds.
Result<std::string> Ended(Ledger& ledger, const WorkItem& w, Date as_of) {
  if (w.kind == "finding" && w.renews) return "not found again on " + as_of.Iso();
  if (w.kind == "rejected-row" && w.record_ids.size() == 1) {
    OTP_ASSIGN_OR_RETURN(const bool read, ledger.HoldsRecord(w.facility_id, w.file_kind, w.record_ids.front()));
    if (read) return "the record was read without this error on " + as_of.Iso();
  }
  return std::string();
}

// The items of held weeks tonight decided otherwise end (billed, not billable, …).
Status EndUnheldWeeks(Ledger& ledger, const NightWork& night, int64_t run_id, Date as_of, QueueChange& change) {
  for (const Hold& week : night.unheld_weeks) {
    OTP_ASSIGN_OR_RETURN(const std::optional<WorkItem> w, ledger.ItemOfCause("hold|" + HoldKey(week)));
    if (!w || w->state != ItemState::kOpen || w->seen_run == run_id) continue;
    OTP_TRY(ledger.ResolveItem(w->id, run_id, as_of, "its week was decided again on " + as_of.Iso() + ": " + week.reason));
    ++change.resolved;
  }
  return Status::Ok();
}

}  // namespace

Result<QueueChange> UpdateQueue(Ledger& ledger, const NightWork& night, const RuleBook& rules, int64_t run_id,
                                Date as_of) {
  QueueChange change;
  std::set<std::string> hold_findings;
  for (const Hold& h : night.holds) {
    OTP_TRY(Raise(ledger, ItemOfHold(h, rules), run_id, as_of, change));
    if (!h.finding.empty()) hold_findings.insert(h.finding);
  }
  for (const Finding& f : night.findings)  // a hold's finding is worked as the hold
    if (!hold_findings.count(f.key)) OTP_TRY(Raise(ledger, ItemOfFinding(f, rules), run_id, as_of, change));
  for (const Reject& r : night.rejects) {
    const std::string kind = r.file == night.patients_file ? "patients" : "services";
    OTP_TRY(Raise(ledger, ItemOfReject(r, kind, rules), run_id, as_of, change));
  }
  OTP_TRY(EndUnheldWeeks(ledger, night, run_id, as_of, change));
  OTP_ASSIGN_OR_RETURN(std::vector<WorkItem> open, ledger.OpenItemsOf("finding", true));
  OTP_ASSIGN_OR_RETURN(std::vector<WorkItem> rejected, ledger.OpenItemsOf("rejected-row", false));
  for (auto& w : rejected) open.push_back(std::move(w));
  for (const WorkItem& w : open) {
    if (w.seen_run == run_id || !night.facilities.count(w.facility_id)) continue;
    OTP_ASSIGN_OR_RETURN(const std::string why, Ended(ledger, w, as_of));
    if (why.empty()) continue;
    OTP_TRY(ledger.ResolveItem(w.id, run_id, as_of, why));
    ++change.resolved;
  }
  OTP_ASSIGN_OR_RETURN(change.open_now, ledger.CountItems(ItemState::kOpen));
  return change;
}

Status CloseWorkItem(Ledger& ledger, int64_t id, const std::string& by, const std::string& note, std::time_t now) {
  if (by.empty() || note.empty()) return Status::InvalidArgument("close needs a name (--by) and a reason (--note)");
  OTP_ASSIGN_OR_RETURN(const std::optional<WorkItem> item, ledger.FindItem(id));
  if (!item) return Status::NotFound("there is no work item " + ItemId(id));
  if (item->state != ItemState::kOpen)
    return Status::InvalidArgument("work item " + ItemId(id) + " is " + ItemStateName(item->state) + " already");
  const std::string at = UtcStamp(now);
  const Date today = UtcDate(now);
  return ledger.InTransaction([&]() -> Status {
    if (item->week) OTP_TRY(ledger.WriteOffWeek(item->facility_id, item->patient_id, *item->week));
    return ledger.CloseItem(id, by, note, at, today).status();
  });
}

int AgeDays(const WorkItem& w, Date today) { return std::max(0, today - w.opened_on); }

}  // namespace otp
