// The nightly run (`otpbatch run`) as a class with its outside world injected: the clock and
// the file system come in, so tests can fix time and inject faults. Order of work: load
// codes/ and facility.xml (a bad one stops here: exit 2, nothing written) → read patients and
// check the services header → lock the ledger (exit 4) → stream the service rows into the
// ledger as they are read (rejects reported) → one pass over the ledger, patient by patient:
// bill each patient's undecided rows and check each file patient's care; as the pass leaves a
// facility, its claims take their ids and control numbers and go into its 837P file, the ledger
// and a spill file for the workbook → program checks → the workbook and summary.json → commit
// the ledger. Files are written atomically. Memory follows the patients and two facilities'
// claims (a second thread writes one's 837P while the pass goes on with the next), not the rows.
// Any failure before the commit rolls back and removes what this run published: nothing
// half-done survives.
#pragma once

#include <string>

#include "model/date.h"
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
  int exit_code = 0;
  std::string message;        // for stderr when the run did not complete; never holds PHI
  std::string summary_json;   // the run's summary (also written to out/<as-of>/summary.json)
  RunCounts counts;
  std::vector<std::string> files;
  std::vector<std::string> warnings;  // what the readers tolerated (unknown columns, identical duplicates)
  int recovered_files = 0;    // files of an interrupted earlier run that were removed first
};

NightResult RunNight(const NightOptions& options, const Clock& clock, FileSystem& fs);

}  // namespace otp
