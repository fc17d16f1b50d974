// `otpbatch resubmit`: a person asks for a rejected claim's lines to be billed again. The next
// night writes them on a new claim (night/claim_files.h) that the ledger ties to the old one;
// the old claim is then `resubmitted` and its rejection's work item resolved. Only a rejected
// claim: a denied one was adjudicated, and is appealed or corrected instead.
#pragma once

#include <ctime>
#include <string>

#include "ledger/ledger.h"

namespace otp {

// kNotFound for an unknown claim; kInvalidArgument for a claim that is not rejected, or no
// name. False when it was asked before (nothing changes).
Result<bool> AskResubmission(Ledger& ledger, const std::string& claim_id, const std::string& by, std::time_t now);

}  // namespace otp
