// What a test does with a Status or Result it expects to succeed: Ok throws the message of a
// failure (a helper outside a TEST body cannot ASSERT), Val returns the value; D reads a date.
#pragma once

#include <stdexcept>
#include <utility>

#include "model/date.h"
#include "model/status.h"

namespace otp {

inline Date D(const char* iso) { return Date::Parse(iso).value(); }

inline void Ok(const Status& s) {
  if (!s.ok()) throw std::runtime_error(s.message());
}

template <typename T>
T Val(Result<T> r) {
  Ok(r.status());
  return std::move(r).value();
}

}  // namespace otp
