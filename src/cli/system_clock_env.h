// The clock the binary uses: the system clock, or a fixed instant from OTPBATCH_FIXED_TIME
// (seconds since the epoch) so end-to-end tests get byte-identical envelopes. Only envelope
// timestamps and "today" read it; rules take --as-of.
#pragma once

#include <memory>

#include "platform/clock.h"

namespace otp {
std::unique_ptr<Clock> MakeProcessClock();
}  // namespace otp
