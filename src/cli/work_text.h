// A work item as `queue` and `explain --item` print it: text for a person, JSON for a script
// (interface.md §2 `queue`: id, kind, reason, next_step, amount_at_stake, opened, age_days).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "model/work_item.h"

namespace otp {
std::string ItemLine(const WorkItem& w, Date today);   // one line: id, kind, patient, reason, amount, age
std::string ItemText(const WorkItem& w, Date today);   // every field, one per line
nlohmann::json ItemJson(const WorkItem& w, Date today);
}  // namespace otp
