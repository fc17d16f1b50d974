// The citation written on a billing finding, by rule id (billing-rules.md). Where a rule has
// a limit in codes/limits.xml, the limit's own citation is preferred (see engine.cpp).
#pragma once

#include <string_view>

namespace otp::billing {

std::string_view CitationOf(std::string_view rule_id);

}  // namespace otp::billing
