// `otpbatch ingest`: files that came back after the 837Ps, posted to the ledger (posting.h).
// Every file is read before anything is written, so a name that cannot be opened stops the
// ingest with nothing recorded. Then one run row names the ingest, and each file is posted in
// its own transaction: a file is recorded whole or not at all, and a later file's failure
// leaves the earlier ones recorded (ingesting them again changes nothing).
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "remit/posting.h"

namespace otp {

class FileSystem;

struct IngestSummary {
  int64_t run_id = 0;
  std::vector<FileOutcome> files;
  int64_t ItemsOpened() const;
  int Refused() const;  // files that did not read
};

// kInvalidArgument naming the path when a file cannot be read; nothing is written then.
Result<IngestSummary> IngestFiles(Ledger& ledger, FileSystem& fs, const std::vector<std::string>& paths,
                                  const RuleBook& rules, const CodeWords& words, std::time_t now);

}  // namespace otp
