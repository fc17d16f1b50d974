// Events recorded for claims, and the work items they raise or resolve (post_parts.h).
#include <algorithm>

#include "remit/claim_account.h"
#include "model/text.h"
#include "remit/post_parts.h"
#include "rules/code_words.h"
#include "rules/rulebook.h"

namespace otp::remit {
namespace {

std::string NextStep(const RuleBook& rules, const char* kind) {
  const ReasonText* r = rules.FindReason("item", kind);
  return r ? r->next_step : std::string();
}

WorkItem ClaimItem(const StoredClaim& c, const char* kind, const std::string& detail, Money amount) {
  WorkItem w;
  w.cause = std::string(kind) + "|" + c.claim.claim_id;
  w.kind = kind;
  w.facility_id = c.claim.facility_id;
  w.patient_id = c.claim.patient_id;
  if (!c.claim.lines.empty()) w.date = c.claim.lines.front().dos;
  w.code = c.claim.claim_id;
  w.detail = detail;
  w.amount = amount;
  w.record_ids = {c.claim.claim_id};
  return w;
}

struct DenialText {
  std::string codes, words, next_step;
};

// The denial's reasons (the adjustments codes/carc.xml does not mark denial="no") as codes and
// in words, and the first CARC's next step when codes/carc.xml has one.
DenialText DenialWords(const ClaimEvent& e, const CodeWords& words) {
  DenialText d;
  for (const EventAdjustment& a : e.adjustments) {
    const std::string code = a.group + "-" + a.reason;
    if (!words.IsDenial(a.group, a.reason) || (" " + d.codes + " ").find(" " + code + " ") != std::string::npos) continue;
    d.codes += (d.codes.empty() ? "" : " ") + code;
    d.words += (d.words.empty() ? "" : "; ") + words.DescribeAdjustment(a.group, a.reason);
    const CodeWord* w = words.Carc(a.reason);
    if (d.next_step.empty() && w) d.next_step = w->next_step;
  }
  std::string_view remarks = e.remarks;
  std::string seen = " ";
  while (!remarks.empty()) {
    const size_t sp = remarks.find(' ');
    const std::string code(remarks.substr(0, sp));
    if (seen.find(" " + code + " ") == std::string::npos) d.words += "; " + words.DescribeRemark(code);
    seen += code + " ";
    remarks = sp == std::string_view::npos ? std::string_view() : remarks.substr(sp + 1);
  }
  return d;
}

Status Raise(Post& p, WorkItem w, const char* kind) {
  if (w.next_step.empty()) w.next_step = NextStep(p.ctx.rules, kind);
  if (w.reason.empty()) w.reason = kind;
  OTP_ASSIGN_OR_RETURN(const bool opened, p.ledger.RaiseItem(w, p.ctx.run_id, p.ctx.today));
  if (opened) ++p.out.items_opened;
  return Status::Ok();
}

Status Resolve(Post& p, const std::string& cause, const std::string& why) {
  OTP_ASSIGN_OR_RETURN(const std::optional<WorkItem> w, p.ledger.ItemOfCause(cause));
  if (!w || w->state != ItemState::kOpen) return Status::Ok();
  return p.ledger.ResolveItem(w->id, p.ctx.run_id, p.ctx.today, why);
}

Status Rejected(Post& p, const StoredClaim& c, const ClaimAccount& a, const ClaimEvent& e) {
  WorkItem w = ClaimItem(c, "claim-rejected", e.detail, a.billed);
  w.reason = e.source + " " + e.status_code;
  w.next_step = NextStep(p.ctx.rules, "claim-rejected") + " (otpbatch resubmit --db LEDGER --claim " +
                c.claim.claim_id + " --by NAME). The 12-month filing limit counts from the first date of service, " +
                (w.date ? w.date->Iso() : std::string("unknown")) + ".";
  return Raise(p, std::move(w), "claim-rejected");
}

Status Denied(Post& p, const StoredClaim& c, const ClaimEvent& e) {
  const Money denied = e.event == "denied" ? c.claim.Total() : DeniedCharges(e);
  const DenialText why = DenialWords(e, p.ctx.words);
  const std::string what = e.event == "denied" ? "denied" : "paid with a line denied";
  WorkItem w = ClaimItem(c, "claim-denied", "835 " + e.file + ": " + what + (why.words.empty() ? "" : ": " + why.words),
                         denied);
  w.reason = why.codes;
  if (!why.next_step.empty()) w.next_step = why.next_step + " " + NextStep(p.ctx.rules, "claim-denied");
  return Raise(p, std::move(w), "claim-denied");
}

// The claim's items for the status its events give now.
Status Follow(Post& p, const StoredClaim& c, const ClaimEvent& e) {
  OTP_ASSIGN_OR_RETURN(const std::vector<ClaimEvent> events, p.ledger.EventsOf(c.claim.claim_id));
  OTP_ASSIGN_OR_RETURN(const std::optional<Resubmission> again, p.ledger.FindResubmission(c.claim.claim_id));
  const ClaimAccount a = AccountOf(c, events, again);
  const std::string why = a.status + " (" + e.source + " " + e.file + ", " + e.date.Iso() + ")";
  if (a.status == "rejected") return Rejected(p, c, a, e);
  if (a.status != "written") OTP_TRY(Resolve(p, "claim-rejected|" + c.claim.claim_id, why));
  const bool line_denied = e.source == "835" && DeniedCharges(e).cents() > 0;
  if (a.status == "denied" || (a.Adjudicated() && line_denied && e.event != "reversed"))
    return Denied(p, c, e);
  if (a.status == "paid" || a.status == "partially_paid")
    OTP_TRY(Resolve(p, "claim-denied|" + c.claim.claim_id, why));
  return Status::Ok();
}

}  // namespace

Result<std::optional<StoredClaim>> OurClaim(Ledger& ledger, std::string_view id) {
  return ledger.FindClaim(AsciiUpper(id));
}

Status Record(Post& p, const StoredClaim& claim, ClaimEvent e) {
  e.claim_id = claim.claim.claim_id;
  e.response = p.response.key;
  e.seq = p.seq++;
  e.file = p.response.file;
  OTP_TRY(p.ledger.AddClaimEvent(e).status());
  ++p.out.claim_events;
  return Follow(p, claim, e);
}

Status Unmatched(Post& p, const std::string& what, const std::string& detail, std::optional<Money> amount,
                 const std::string& facility_id, const std::string& next_step) {
  WorkItem w;
  w.cause = "remit-unmatched|" + p.response.key + "|" + what;
  w.kind = "remit-unmatched";
  w.facility_id = facility_id;
  w.date = p.response.date;
  w.code = what;
  w.detail = p.response.kind + " " + p.response.file + ": " + detail;
  w.amount = amount;
  w.next_step = next_step;
  ++p.out.unmatched;
  p.out.notes.push_back("  unmatched: " + detail);
  return Raise(p, std::move(w), "remit-unmatched");
}

}  // namespace otp::remit
