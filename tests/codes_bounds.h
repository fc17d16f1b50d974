// The SC-6 quantity bounds of the real codes/ folder, loaded once per test binary: what the
// night hands the records reader (RuleBook::Quantities()).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>

#include "model/quantity.h"
#include "rules/rulebook.h"

namespace otp {

inline const QuantityBounds& CodesBounds() {
  static const QuantityBounds bounds = [] {
    auto rb = RuleBook::Load(OTP_SOURCE_DIR "/codes");
    if (!rb.ok()) {
      ADD_FAILURE() << rb.status().message();
      std::abort();
    }
    return rb->Quantities();
  }();
  return bounds;
}

}  // namespace otp
