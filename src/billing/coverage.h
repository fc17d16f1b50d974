// WindowSet: the drug coverage windows of one patient (BU-4) as disjoint day intervals, so
// "is this dose day already paid for?" is a logarithmic lookup however many windows exist.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "model/date.h"

namespace otp::billing {

class WindowSet {
 public:
  // Adds [from, to] (inclusive), merging with windows it overlaps.
  void Add(Date from, Date to, const std::string& code);
  // The code of a window covering `d`, or nullptr when no window covers it.
  const std::string* Covering(Date d) const;
  bool empty() const { return spans_.empty(); }

 private:
  std::map<int32_t, std::pair<int32_t, std::string>> spans_;  // from → (to, code)
};

}  // namespace otp::billing
