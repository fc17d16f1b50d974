// MakeProcessClock: OTPBATCH_FIXED_TIME or the system clock.
#include "cli/system_clock_env.h"

#include <cstdlib>
#include <string>

namespace otp {
std::unique_ptr<Clock> MakeProcessClock() {
  if (const char* v = std::getenv("OTPBATCH_FIXED_TIME"); v && *v) {
    try {
      return std::make_unique<FixedClock>(static_cast<std::time_t>(std::stoll(v)));
    } catch (const std::exception&) {
    }
  }
  return std::make_unique<SystemClock>();
}
}  // namespace otp
