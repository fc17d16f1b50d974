// Opening the ledger a command names (--db), with the reason on stderr when it cannot be.
#pragma once

#include <memory>
#include <string>

#include "ledger/ledger.h"

namespace otp {
// nullptr when the ledger is missing or cannot be opened; `exit` is then the status to return.
// Readers (queue, explain) open it read-only: they work beside a run and on a read-only file.
std::unique_ptr<Ledger> OpenLedger(const char* command, const std::string& db, LedgerAccess access, int& exit);
// A failure's message on stderr and its exit status.
int Fail(const char* command, const Status& s);
}  // namespace otp
