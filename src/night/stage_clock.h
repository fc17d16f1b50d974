// With OTPBATCH_PROFILE set, the wall time, resident and peak memory of each stage of a night
// go to stderr (bench/ reads them); the lines name stages only, never data.
#pragma once

#include <chrono>

namespace otp {

class StageClock {
 public:
  StageClock();
  // Ends the stage that began at the last mark (or at construction).
  void Mark(const char* stage);
  // One side of a stage whose two sides run at once: its own wall time, indented under it.
  void Side(const char* what, double seconds) const;
  static double Since(std::chrono::steady_clock::time_point t);

 private:
  bool on_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace otp
