// The night's claims, finished facility by facility as the pass leaves each one: claim ids and
// control numbers from the ledger's counters (the same as numbering every claim first: each
// counter counts on its own), the claims into the ledger and the night's spill (the workbook
// reads them back from it), and the facility's 837P written, given its structural check and
// published by a second thread while the pass goes on with the next facility. At most two
// facilities' claims are held at once. An interchange's ledger row waits for its file.
#pragma once

#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ledger/ledger.h"
#include "model/claim.h"
#include "model/status.h"
#include "model/types.h"

namespace otp {

class ClaimSpill;
class FileSystem;
class Publisher;
class RuleBook;

class ClaimFiles {
 public:
  struct Where {
    std::string out_dir;  // OUT/<as-of>
    bool dry_run = false;
    std::time_t now = 0;  // for the envelopes
  };
  ClaimFiles(const Config& config, const RuleBook& rules, Ledger& ledger, Publisher& publisher, FileSystem& fs, int64_t run_id, Where where,
             std::shared_ptr<ClaimSpill> spill);
  ~ClaimFiles();  // waits for the writer
  ClaimFiles(const ClaimFiles&) = delete;
  ClaimFiles& operator=(const ClaimFiles&) = delete;

  // A patient's claims billed tonight. The pass visits facilities one after the other: the
  // first claim of another facility finishes the one before.
  Status Add(const Patient& patient, std::vector<Claim> claims);
  // Claims billed again tonight (`resubmit`; each names the claim it replaces): written with
  // their facility's claims, or on their own when that facility bills nothing else tonight.
  void BillAgain(std::vector<std::pair<Patient, Claim>> again);
  // Finishes the last facility, waits for its file and flushes the spill.
  Status Finish();
  // Makes the output folder (also when nothing was billed); not in a dry run.
  Status MakeOutDir();

 private:
  Status FinishFacility();
  void TakeAgain(const std::string& facility_id);  // its claims billed again join claims_
  Status Land();  // waits for the writer and records its interchange

  const Config& config_;
  const RuleBook& rules_;
  Ledger& ledger_;
  Publisher& publisher_;
  FileSystem& fs_;
  int64_t run_id_;
  Where where_;
  std::shared_ptr<ClaimSpill> spill_;
  bool out_dir_made_ = false;
  std::vector<Claim> claims_;                // of the facility being billed
  std::map<std::string, Patient> patients_;  // of claims_, by "facility\x1fpatient"
  std::map<std::string, std::vector<std::pair<Patient, Claim>>> again_;  // by facility, not yet written
  std::thread writer_;
  Status written_status_;
  std::optional<Interchange> written_;  // filled by the writer, landed by this thread
};

}  // namespace otp
