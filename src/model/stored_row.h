// A service row as the ledger holds it, and the few fields of a decided row a reader asks for
// by day. Plain values: the ledger fills them, the night's pass hands them to billing and care.
#pragma once

#include <cstdint>
#include <string>

#include "model/types.h"

namespace otp {

struct StoredRow {
  ServiceRecord record;
  int64_t rowid = 0;
  int64_t first_run = 0;  // the run that stored it first
  bool open = false;      // its outcome is not decided yet
  std::string reason;     // why an open row waits, when it says (a take-home awaiting later weeks)
  // Only facility, patient, date, service and rowid are known: a row the care checks kept in
  // their state between nights instead of reading it again. Never open.
  bool partial = false;
};

// A decided row of one patient's day, as the dated index gives it.
struct RowRef {
  Service service = Service::kMethadoneDose;
  int64_t rowid = 0;
};

}  // namespace otp
