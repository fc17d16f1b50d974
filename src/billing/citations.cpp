// Citations for billing findings, from the source list of billing-rules.md.
#include "billing/citations.h"

#include <array>
#include <utility>

namespace otp::billing {

std::string_view CitationOf(std::string_view rule_id) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTable = {{
      {"EP-1", "42 CFR 410.67(b)"},
      {"BU-2", "42 CFR 410.67(d)(2)"},
      {"BU-3", "42 CFR 410.67(d)(2)"},
      {"BU-4-overlap", "42 CFR 410.67(d); OIG A-09-22-03005"},
      {"BU-5", "42 CFR 410.67(d)(4)"},
      {"AD-1", "42 CFR 410.67(d)(4)(i)(A); OIG A-09-22-03005"},
      {"AD-3", "42 CFR 410.67(d)(4)(i)(C)"},
      {"AD-4", "42 CFR 410.67(d)(4)(i)(E)"},
      {"AD-5", "42 CFR 410.67(d)(4)(i)(F)"},
      {"AD-6", "42 CFR 410.67(d)(4)(i)(G)"},
      {"AD-7", "42 CFR 410.67(b); CMS OTP Billing and Payment (telehealth)"},
      {"TH-1", "42 CFR 410.67(d)(4)(i)(D)"},
      {"CL-2", "42 U.S.C. 1395x(jjj)(2); 42 CFR 410.67(c); 42 CFR 8.11"},
      {"CL-3", "OIG A-09-22-03005"},
      {"CL-5", "42 CFR 410.67(d)(4)(ii)"},
      {"CL-7", "42 CFR 410.67(b)"},
  }};
  for (const auto& [id, cite] : kTable)
    if (id == rule_id) return cite;
  return "billing-rules.md";
}

}  // namespace otp::billing
