// OpenLedger (open_ledger.h).
#include "cli/open_ledger.h"

#include <filesystem>
#include <iostream>

#include "cli/exit_codes.h"

namespace otp {

int Fail(const char* command, const Status& s) {
  std::cerr << "otpbatch " << command << ": " << s.message() << "\n";
  return ExitCodeFor(s.code());
}

std::unique_ptr<Ledger> OpenLedger(const char* command, const std::string& db, LedgerAccess access, int& exit) {
  if (!std::filesystem::exists(db)) {
    std::cerr << "otpbatch " << command << ": no ledger at " << db << "\n";
    exit = kExitUsage;
    return nullptr;
  }
  auto ledger = Ledger::Open(db, access);
  if (!ledger.ok()) {
    exit = Fail(command, ledger.status());
    return nullptr;
  }
  return std::move(ledger).value();
}

}  // namespace otp
