// Names of the small enums in types.h, and the words read back.
#include "model/types.h"

namespace otp {
const char* ProgramName(Program p) {
  switch (p) {
    case Program::kWithdrawal: return "withdrawal";
    case Program::kInterim: return "interim";
    default: return "maintenance";
  }
}
const char* PayerName(Payer p) {
  switch (p) {
    case Payer::kMedicareAdvantage: return "medicare_advantage";
    case Payer::kMedicaid: return "medicaid";
    case Payer::kCommercial: return "commercial";
    case Payer::kSelf: return "self";
    default: return "medicare";
  }
}
std::optional<Program> ParseProgram(std::string_view word) {
  for (Program p : {Program::kMaintenance, Program::kWithdrawal, Program::kInterim})
    if (word == ProgramName(p)) return p;
  return std::nullopt;
}
std::optional<Payer> ParsePayer(std::string_view word) {
  for (Payer p : {Payer::kMedicare, Payer::kMedicareAdvantage, Payer::kMedicaid, Payer::kCommercial, Payer::kSelf})
    if (word == PayerName(p)) return p;
  return std::nullopt;
}
std::optional<Severity> ParseSeverity(std::string_view word) {
  for (Severity s : {Severity::kViolation, Severity::kWarning, Severity::kInfo})
    if (word == SeverityName(s)) return s;
  return std::nullopt;
}
const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kViolation: return "violation";
    case Severity::kInfo: return "info";
    default: return "warning";
  }
}
}  // namespace otp
