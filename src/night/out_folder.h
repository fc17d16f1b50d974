// A night's output folder (OUT/<as-of>) belongs to the ledger that first wrote into it: it holds
// that ledger's id in ".ledger-id" (mode 0600). A run never writes into a folder another ledger
// wrote, so two ledgers can never put interchanges with the same control numbers side by side,
// and a fresh ledger made by mistake is stopped before it bills anything into a used folder.
#pragma once

#include <string>

#include "model/status.h"

namespace otp {

class Publisher;

inline constexpr const char* kLedgerIdFile = ".ledger-id";

// Ok when `dir` does not exist, or is a folder (not a link) marked with `ledger_id`, or holds no
// file otpbatch writes; otherwise kInvalidArgument saying whose it is. Reads only.
Status CheckOutFolder(const std::string& dir, const std::string& ledger_id);

// Marks `dir` (made already) as the ledger's when it is not yet, through the publisher, so
// that a run that fails takes the mark back with its files.
Status MarkOutFolder(Publisher& publisher, const std::string& dir, const std::string& ledger_id);

// The highest interchange control number in the names of the 837P files ("<facility>-<9
// digits>.837") in the night folders under `out` that `ledger_id` marked; 0 when there is none.
// A ledger restored from a backup has a counter behind these: the run moves it past them.
int64_t HighestControlNumber(const std::string& out, const std::string& ledger_id);

}  // namespace otp
