// The work queue in a report (interface.md §4 Work, Held, Findings): the open items, each held
// row with its item, what fixes it and the amount at stake, and each finding open or closed.
#pragma once

#include <vector>

#include "ledger/ledger.h"
#include "model/claim.h"
#include "model/status.h"
#include "output/report_data.h"

namespace otp {

// Appends `holds` to r.held (each with its work item's id and next step when it has one, and
// its amount), fills r.work with the items open now (age counted to `today`) and
// r.finding_states for r.findings. Call after r.findings is set.
Status AddWork(ReportData& r, Ledger& ledger, const std::vector<Hold>& holds, Date today);

// The open item as a Work sheet row.
WorkRow WorkRowOf(const WorkItem& w, Date today);

}  // namespace otp
