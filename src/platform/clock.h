// Clock: the one place "now" comes from, so tests and --as-of control time. Rules never read
// it: they take the as-of date as an argument. Only timestamps in envelopes and logs use it.
#pragma once

#include <ctime>

namespace otp {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::time_t Now() const = 0;  // seconds since the epoch, UTC
};

class SystemClock : public Clock {
 public:
  std::time_t Now() const override { return std::time(nullptr); }
};

class FixedClock : public Clock {
 public:
  explicit FixedClock(std::time_t t) : t_(t) {}
  std::time_t Now() const override { return t_; }
 private:
  std::time_t t_;
};

}  // namespace otp
