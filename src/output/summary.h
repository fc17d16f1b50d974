// summary.json: the run's counts in machine-readable form for cron and scripts
// (interface.md §3). It states whether the service-row counts add up, so a script can alarm
// on a row that went missing.
#pragma once

#include <string>

#include "output/report_data.h"

namespace otp {

// accepted + rejected == service_rows_read and
// billed + held + not_billable + already_processed + open == accepted.
bool CountsAddUp(const RunCounts& c);

// The JSON text (2-space indent, keys sorted, trailing newline). Money appears both as exact
// text ("1234.56") and as a number. Write it with FileSystem::WriteAtomic.
std::string SummaryJson(const ReportData& data);

}  // namespace otp
