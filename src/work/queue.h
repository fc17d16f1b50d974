// The work queue (interface.md §2 `queue`, `close`): what a person must act on, kept in the
// ledger as work items (model/work_item.h), one per cause.
//
// A night raises an item for each hold (a held week once, whichever of its lines), each
// finding that is not the reason of a hold, and each rejected input row, and ends the items
// its data resolved:
//  - a held week that tonight decided again and did not hold (night/held_weeks.h says which
//    held weeks a night decides again);
//  - a finding its rule raises every night its cause stands (codes/reasons.xml
//    resolved-by="data": a credential) that tonight did not raise;
//  - a rejected row whose record the ledger now holds and that tonight did not reject again.
// Only the items of facilities configured tonight end: a facility missing from facility.xml
// decides nothing. Every other item stays open until a person closes it (CloseWorkItem).
#pragma once

#include <cstdint>
#include <ctime>
#include <set>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "model/claim.h"
#include "model/status.h"
#include "model/types.h"
#include "model/work_item.h"

namespace otp {

class RuleBook;

struct NightWork {
  std::vector<Hold> holds;        // tonight's, merged (MergeHolds)
  std::vector<Finding> findings;  // every finding raised tonight, new or raised before
  std::vector<Reject> rejects;    // tonight's rejected rows
  std::string patients_file;      // a reject of this file is a patient row; any other a service row
  std::set<std::string> facilities;  // configured tonight
  std::vector<Hold> unheld_weeks;    // held weeks tonight decided and did not hold again
};

struct QueueChange {
  int64_t opened = 0, resolved = 0;
  int64_t opened_for_attention = 0;  // holds and rejected rows opened tonight: exit 3
  int64_t open_now = 0;              // items open after the night
};

Result<QueueChange> UpdateQueue(Ledger& ledger, const NightWork& night, const RuleBook& rules, int64_t run_id,
                                Date as_of);

// One hold per HoldKey: the lines of a held week become one hold, named by its first (billing
// and the edits hold a week's bundle before its other lines), amounts summed, records joined.
std::vector<Hold> MergeHolds(std::vector<Hold> holds);

// The items a night raises (exposed for tests).
WorkItem ItemOfHold(const Hold& h, const RuleBook& rules);
WorkItem ItemOfFinding(const Finding& f, const RuleBook& rules);
WorkItem ItemOfReject(const Reject& r, const std::string& file_kind, const RuleBook& rules);

// A person closes an open item: who, when (`now`) and why are kept. Closing a held week writes
// it off: its rows are decided as held and no night decides it again. kNotFound for an unknown
// item, kInvalidArgument for one not open or an empty name or note.
Status CloseWorkItem(Ledger& ledger, int64_t id, const std::string& by, const std::string& note, std::time_t now);

// Days from an item's opening to `today` (0 at the earliest).
int AgeDays(const WorkItem& w, Date today);

}  // namespace otp
