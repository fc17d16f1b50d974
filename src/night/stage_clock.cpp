// StageClock: the stage lines of OTPBATCH_PROFILE.
#include "night/stage_clock.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace otp {
namespace {
// A "VmRSS:"-style line of /proc/self/status in KiB; 0 where there is none.
long StatusKb(const char* field) {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  long kb = 0;
  const size_t n = std::strlen(field);
  while (std::fgets(line, sizeof line, f))
    if (std::strncmp(line, field, n) == 0) kb = std::strtol(line + n, nullptr, 10);
  std::fclose(f);
  return kb;
}
}  // namespace

StageClock::StageClock()
    : on_(std::getenv("OTPBATCH_PROFILE") != nullptr), last_(std::chrono::steady_clock::now()) {}

void StageClock::Mark(const char* stage) {
  if (!on_) return;
  const auto now = std::chrono::steady_clock::now();
  std::fprintf(stderr, "otpbatch profile: %-34s %8.3f s  rss %5ld MiB  peak %5ld MiB\n", stage,
               std::chrono::duration<double>(now - last_).count(), StatusKb("VmRSS:") / 1024,
               StatusKb("VmHWM:") / 1024);
  last_ = now;
}

void StageClock::Side(const char* what, double seconds) const {
  if (on_) std::fprintf(stderr, "otpbatch profile:   %-32s %8.3f s\n", what, seconds);
}

double StageClock::Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace otp
