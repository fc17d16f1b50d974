// The night's second stage: tonight's patients and service rows into the ledger. A second
// thread reads and checks the services file while this one offers each row to the ledger, so
// memory holds a few thousand rows, not the file. Rejects are recorded with their reasons.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/claim.h"
#include "model/status.h"
#include "output/report_data.h"

namespace otp {

class Ledger;
struct NightInputs;

struct Ingested {
  // Rows stored on an earlier night, offered again tonight and still open (sorted rowids):
  // with the rows new tonight (first_run), the rows whose outcome tonight's counts include.
  std::vector<int64_t> earlier_open;
  std::vector<Hold> holds;            // decided rows whose content changed (record-changed)
  std::vector<std::string> warnings;  // what the readers tolerated
};

// Fills the input-row counts of `counts`. A bulk load's rows are stored when this returns.
Result<Ingested> Ingest(NightInputs& in, Ledger& ledger, int64_t run_id, Date as_of, RunCounts& counts);

}  // namespace otp
