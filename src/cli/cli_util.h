// Small helpers the subcommands share: date options, today's date from the clock, and a
// progress/diagnostic line that goes to stderr (progress only when stderr is a terminal).
#pragma once

#include <optional>
#include <string>

#include "model/date.h"

namespace otp {
class Clock;
// Validates a YYYY-MM-DD option value; prints "otpbatch: --NAME: ..." and returns nullopt. An
// option not given is today when `given` is false; one given empty is an error, never today.
std::optional<Date> DateOption(const std::string& name, const std::string& value, bool given, const Clock& clock);
Date Today(const Clock& clock);
bool StderrIsTerminal();
void Progress(const std::string& line);  // only when stderr is a terminal; never PHI
}  // namespace otp
