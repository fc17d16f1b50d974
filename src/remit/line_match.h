// Ties the service lines of an 835 claim (SVC) to the lines of the claim as this ledger wrote
// it. Payers echo what they paid, not always what was sent: SVC06 carries the submitted
// procedure when the payer changed SVC01, and some drop a modifier they did not price (the
// unmatched-line bug of OpenEMR #7293). So each SVC is tried, in order, against the lines not
// yet taken: the procedure as submitted with its modifiers and date; the code and date without
// modifiers; the code and charge; the code alone when only one such line is left. A line is
// taken at most once; an SVC nothing matches keeps line_no -1 and is reported, never guessed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "input/remit_835.h"
#include "model/claim.h"

namespace otp {

struct LineMatch {
  int line_no = -1;  // 1-based line of the claim; -1 when none
  std::string by;    // how: "code, modifiers and date", "code and date", "code and charge", "code"
};

// One LineMatch per SVC of `paid`, in its order. `statement_from` dates an SVC sent without
// its own DTM.
std::vector<LineMatch> MatchLines(const Claim& claim, const RemitClaim& paid);

}  // namespace otp
