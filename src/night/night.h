// The nightly run (`otpbatch run`) with its outside world injected: the clock and the file
// system come in, so tests can fix time and inject faults. It is a sequence of stages, each a
// unit of its own with an explicit state handed to the next:
//   Configure (configure.h)  codes/, facility.xml, patients; the services file's header
//   Ingest (ingest.h)        patients and service rows into the ledger, rejects reported
//   Pass (pass.h)            patient by patient: episodes, codes and edits (billing/), care
//                            checks (compliance/), claims numbered and written (claim_files.h)
//   Program checks           credentials (PG-1, PG-2), findings recorded
//   Outputs (outputs.h)      the workbook, summary.json and the rows' outcomes
//   Commit                   the ledger commits; only then are the files the night's
//   Close                    the ledger closed and stamped as checked (ledger/stamp.h), so that
//                            the next night need not check a file no one has touched since
// A bad configuration stops the run before anything is written (exit 2). Any failure after
// the lock rolls the ledger back and removes what the run published: nothing half-done
// survives.
#pragma once

#include <string>
#include <vector>

#include "model/date.h"
#include "model/status.h"
#include "output/report_data.h"

namespace otp {

class Clock;
class FileSystem;

struct NightOptions {
  std::string config, patients, services;
  Date as_of;
  std::string db = "otpbatch.db";
  std::string out = "out";
  std::string data_dir;   // holds codes/ and templates/; "" = default resolution
  bool dry_run = false;
};

struct NightResult {
  // Ok when the night committed (or, in a dry run, completed); else why nothing was committed.
  // The message never holds PHI.
  Status status;
  // The night added rejected rows or holds: the workbook lists them (exit 3).
  bool attention = false;
  std::string summary_json;   // the run's summary (also written to out/<as-of>/summary.json)
  RunCounts counts;
  std::vector<std::string> files;
  std::vector<std::string> warnings;  // what the readers tolerated (unknown columns, identical duplicates)
  int64_t work_opened = 0, work_resolved = 0, work_open = 0;  // the work queue after the night
  std::string out_dir;        // OUT/<as-of>
  int recovered_files = 0;    // files of an interrupted earlier run that were removed first
};

NightResult RunNight(const NightOptions& options, const Clock& clock, FileSystem& fs);

}  // namespace otp
