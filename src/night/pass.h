// The night's pass over the ledger, patient by patient in (facility, patient) order: each
// patient's open rows are billed (billing/engine.h: episodes, bundle, add-ons, prices), its
// lines pass the pre-submission edits (scrub/scrub.h) or are held, and its claims are handed
// to ClaimFiles; each patient of tonight's file has its care checked
// (compliance/care_pass.h) on the rows the checks need. When many rows are open (a first
// night) or many patients must be read whole, one walk over every row (every held week decided
// again); otherwise the open rows are held — a held week's rows only when it is decided again
// tonight — and each patient of tonight's file is read as CareNight asks.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ledger/ledger.h"
#include "model/status.h"
#include "output/report_data.h"
#include "scrub/scrub.h"

namespace otp {

class CareNight;
class ClaimFiles;
class HistoryBook;
struct CarePatient;
struct CareRead;
struct HeldWeeks;
struct Ingested;
struct NightInputs;

struct PassResult {
  std::vector<RowDecision> decisions;  // every row decided tonight
  std::vector<std::pair<std::string, std::string>> verdicts;  // (status, reason) by index
  std::vector<Hold> holds;
  std::vector<Finding> findings;  // billing's
  std::vector<Hold> unheld_weeks;  // held weeks decided tonight and not held again (facility, patient, week)
};

struct PassContext {
  const NightInputs& in;
  Ledger& ledger;
  HistoryBook& history;
  CareNight& care;
  ClaimFiles& claims;
  const Ingested& ingested;
  const SharedMbis& shared_mbis;  // SC-3
  const HeldWeeks& held_weeks;    // which held weeks are decided again tonight (held_weeks.h)
  int64_t run_id = 0;
  Date as_of;
};

// Fills the outcome counts of `counts` for tonight's rows.
Result<PassResult> RunPass(PassContext ctx, RunCounts& counts);

}  // namespace otp
