// ReferenceOf (report_builder.h): the rule book's words as the Reference sheet shows them.
#include "report/report_builder.h"
#include "rules/rulebook.h"

namespace otp {
namespace {

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
