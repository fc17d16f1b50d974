// Helpers shared by the subcommands.
#include "cli/cli_util.h"

#include <unistd.h>

#include <ctime>
#include <iostream>

#include "platform/clock.h"

namespace otp {

Date Today(const Clock& clock) {
  std::time_t t = clock.Now();
  std::tm tm{};
  localtime_r(&t, &tm);
  return Date::FromYmd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

std::optional<Date> DateOption(const std::string& name, const std::string& value, bool given, const Clock& clock) {
  if (!given) return Today(clock);
  auto d = Date::Parse(value);
  if (!d) std::cerr << "otpbatch: --" << name << ": \"" << value << "\" is not a real date (YYYY-MM-DD)\n";
  return d;
}

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

void Progress(const std::string& line) {
  if (StderrIsTerminal()) std::cerr << line << "\n";
}

}  // namespace otp
