// Posting what comes back after an 837P (interface.md §2 `ingest`): a 999, 277CA or 835 file
// is read whole (input/x12_return_file.h), each of its transactions is tied to what this ledger
// wrote and recorded once:
//  - a 999's AK1 names the 837's group (GS06) and AK2 its transaction (ST02): every claim of that
//    interchange is acknowledged, or rejected when the transaction or group was rejected;
//  - a 277CA's 2200B TRN02 names the 837 by its BHT03, and each 2200D TRN02 a claim (CLM01):
//    accepted (A2, A5) with the payer's claim number (REF*1K), rejected (A3, A4, A6 … A8), or
//    acknowledged only;
//  - an 835's CLP01 names the claim (CLP07 kept); its SVCs are tied to the claim's lines
//    (remit/line_match.h), its CAS kept per line and claim, its PLBs kept with the claim a WO
//    names (by CLM01 or by the payer's claim number).
// A transaction's key (ResponseKey) is what identifies it, never the file's name: an 835 is its
// payment (payer and TRN trace), a 277CA the payer's BHT03, a 999 what it acknowledges and says.
// A key recorded before with the same content changes nothing; with other content it is
// reported as a conflict and not applied. A claim, a batch or a group this ledger did not write,
// or an 835 claim whose member id differs from the patient's, becomes an unmatched work item
// with its amount; rejected and denied claims become work items with what to do next.
//
// The caller opens one ledger transaction per file: a file that does not read is refused whole
// (its segment and reason in FileOutcome::refused, an item opened for it) and nothing of it is
// recorded; any ledger failure is a Status and the caller rolls back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "model/status.h"

namespace otp {

class CodeWords;
class RuleBook;

struct PostingContext {
  const RuleBook& rules;      // the work items' words (codes/reasons.xml)
  const CodeWords& words;     // CARC, RARC, 277 status and PLB codes in words
  int64_t run_id = 0;         // the ingest's run
  Date today;
};

struct FileOutcome {
  std::string file;             // the name as given
  Status refused;               // not ok: the file did not read, nothing of it was recorded
  int transactions = 0;
  int recorded = 0;             // transactions recorded now
  int known = 0;                // recorded before with the same content: nothing changed
  int conflicts = 0;            // recorded before with other content: not applied
  int claim_events = 0;
  int unmatched = 0;            // claims, batches or groups this ledger did not write
  int64_t items_opened = 0;
  Money paid;                   // CLP04 of the payments recorded now
  std::vector<std::string> notes;  // one line per transaction, for the person who ran it
};

Result<FileOutcome> PostFile(Ledger& ledger, const std::string& name, std::string_view bytes,
                             const PostingContext& ctx);

// The trace (TRN02) of an 835 payment from its response key ("835|<payer>|<trace>"); "" for
// the key of any other response.
std::string PaymentTrace(std::string_view response_key);

}  // namespace otp
