// FillWork and ReferenceOf (report_builder.h): the work queue and the rule book's words as the
// workbook shows them.
#include <map>

#include "ledger/ledger.h"
#include "report/report_builder.h"
#include "rules/rulebook.h"
#include "work/queue.h"

namespace otp {
namespace {

WorkRow ToWorkRow(const WorkItem& w, Date today) {
  WorkRow r;
  r.id = ItemId(w.id);
  r.kind = w.kind;
  r.facility_id = w.facility_id;
  r.patient_id = w.patient_id;
  r.reason = w.reason;
  r.next_step = w.next_step;
  r.detail = w.detail;
  r.amount_at_stake = w.amount.value_or(Money());
  r.opened = w.opened_on;
  r.age_days = AgeDays(w, today);
  return r;
}

FindingState ToFindingState(const WorkItem& w) {
  FindingState s;
  s.open = w.state == ItemState::kOpen;
  s.item_id = ItemId(w.id);
  if (!s.open) {
    s.closed_by = w.ended_by;
    s.closed_on = w.ended_on;
    s.note = w.note;
  }
  return s;
}

// The words the Reference sheet gives each kind of reasons.xml entry (a finding's words are its
// rule's, listed with the rules).
const char* ReasonKindWords(const std::string& kind) {
  if (kind == "hold") return "hold reason";
  if (kind == "open") return "waiting reason";
  if (kind == "not-billable") return "not billable";
  if (kind == "item") return "kind of work item";
  return nullptr;
}

}  // namespace

Status FillWork(ReportData& r, Ledger& ledger, Date today) {
  OTP_ASSIGN_OR_RETURN(const std::vector<WorkItem> items, ledger.Items(std::nullopt));
  // A finding is worked as its own item, or as the hold it is the reason of.
  std::map<std::string, const WorkItem*> of_finding;
  for (const WorkItem& w : items) {
    if (w.state == ItemState::kOpen && !(today < w.opened_on)) r.work.push_back(ToWorkRow(w, today));
    if (w.finding.empty()) continue;
    const WorkItem*& known = of_finding[w.finding];
    if (!known || (w.kind == "finding" && known->kind != "finding")) known = &w;
  }
  for (const Finding& f : r.findings) {
    auto it = of_finding.find(f.key);
    if (it != of_finding.end()) r.finding_states[f.key] = ToFindingState(*it->second);
  }
  return Status::Ok();
}

std::vector<ReferenceRow> ReferenceOf(const RuleBook& rules) {
  std::vector<ReferenceRow> out;
  for (const CodeDef& c : rules.codes()) {
    const std::string in_force =
        "in force " + (c.effective_to ? c.effective_from.Iso() + " to " + c.effective_to->Iso() : "from " + c.effective_from.Iso());
    out.push_back({"HCPCS code", c.code, c.descriptor, in_force, ""});
  }
  for (const RuleText& t : rules.rules()) {
    const ReasonText* what = rules.FindReason("finding", t.id);
    out.push_back({"rule", t.id, t.words, t.citation, what ? what->next_step : ""});
  }
  for (const ReasonText& t : rules.reasons())
    if (const char* kind = ReasonKindWords(t.kind)) out.push_back({kind, t.id, t.words, "", t.next_step});
  return out;
}

}  // namespace otp
