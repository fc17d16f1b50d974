// The exit status `otpbatch run` gives a night's result (cli/exit_codes.h).
#pragma once

#include "cli/exit_codes.h"
#include "night/night.h"

namespace otp {
inline int ExitOf(const NightResult& r) { return ExitCodeFor(r.status, r.attention); }
}  // namespace otp
