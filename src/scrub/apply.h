// What the pre-submission edits' verdicts do to a patient's billing: a failed line is held with
// the edit's id as reason (SC-3: `duplicate-beneficiary`), never written; its rows are held, the
// coverage windows it would have opened are not opened, and a failed bundle holds its episode
// and the episode's other lines with it. A line that passed carries the edits it passed (for
// explain and the Audit sheet).
#pragma once

#include <vector>

#include "billing/engine.h"
#include "scrub/scrub.h"

namespace otp {

class RuleBook;

// `verdicts` are Scrub's for result.lines, in order.
void ApplyVerdicts(BillingResult& result, const BillingInput& in, const std::vector<EditVerdict>& verdicts,
                   const RuleBook& rules);

// The hold reason for a failed edit.
std::string HoldReasonOf(const std::string& edit);

}  // namespace otp
