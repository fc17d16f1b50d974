// A small structural checker for the 837P interchanges we write: envelope control numbers and
// counts, the HL tree, LX numbering, claim totals and mandatory elements. It is a safety net
// for tests and for the run before a file is kept, not a full implementation-guide validator
// (scripts/x12-validate runs an independent parser in CI). Messages name segment positions and
// tags, never data values that could identify a patient.
#pragma once

#include <string_view>

#include "model/status.h"

namespace otp {

// Ok, or InvalidArgument describing the first problem found, e.g.
// "segment 41 (SE): SE01 is 38 but the transaction has 39 segments".
Status Check837Structure(std::string_view x12);

}  // namespace otp
