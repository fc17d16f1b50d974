// Ties an 835 claim's service lines to the claim's lines; see line_match.h.
#include "remit/line_match.h"

#include <cstdlib>
#include <functional>

namespace otp {
namespace {

const X12Procedure& Submitted(const RemitServiceLine& s) {
  return s.submitted_procedure ? *s.submitted_procedure : s.procedure;
}

std::optional<Date> DateOf(const RemitServiceLine& s, const RemitClaim& c) {
  return s.service_from ? s.service_from : c.statement_from;
}

using Test = std::function<bool(const RemitServiceLine&, const ClaimLine&)>;

struct Pass {
  const char* by;
  Test same;
};

std::vector<Pass> Passes(const RemitClaim& c) {
  auto code = [](const RemitServiceLine& s, const ClaimLine& l) { return Submitted(s).code == l.code; };
  auto date = [&c](const RemitServiceLine& s, const ClaimLine& l) { return DateOf(s, c) == l.dos; };
  return {
      {"code, modifiers and date",
       [=](const RemitServiceLine& s, const ClaimLine& l) {
         return code(s, l) && date(s, l) && Submitted(s).modifiers == l.modifiers;
       }},
      {"code and date", [=](const RemitServiceLine& s, const ClaimLine& l) { return code(s, l) && date(s, l); }},
      {"code and charge",
       [=](const RemitServiceLine& s, const ClaimLine& l) {
         return code(s, l) && std::llabs(s.charge.cents()) == l.charge.cents();
       }},
  };
}

// The one line not taken whose code is the SVC's; -1 when none or several.
int OnlyLineOfCode(const Claim& claim, const RemitServiceLine& s, const std::vector<bool>& taken) {
  int found = -1;
  for (size_t i = 0; i < claim.lines.size(); ++i) {
    if (taken[i] || claim.lines[i].code != Submitted(s).code) continue;
    if (found >= 0) return -1;
    found = static_cast<int>(i);
  }
  return found;
}

}  // namespace

std::vector<LineMatch> MatchLines(const Claim& claim, const RemitClaim& paid) {
  std::vector<LineMatch> out(paid.lines.size());
  std::vector<bool> taken(claim.lines.size(), false);
  for (const Pass& pass : Passes(paid))
    for (size_t s = 0; s < paid.lines.size(); ++s) {
      if (out[s].line_no > 0) continue;
      for (size_t i = 0; i < claim.lines.size(); ++i)
        if (!taken[i] && pass.same(paid.lines[s], claim.lines[i])) {
          taken[i] = true;
          out[s] = {static_cast<int>(i) + 1, pass.by};
          break;
        }
    }
  for (size_t s = 0; s < paid.lines.size(); ++s) {
    if (out[s].line_no > 0) continue;
    const int only = OnlyLineOfCode(claim, paid.lines[s], taken);
    if (only < 0) continue;
    taken[static_cast<size_t>(only)] = true;
    out[s] = {only + 1, "code"};
  }
  return out;
}

}  // namespace otp
