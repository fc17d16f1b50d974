// Names of the small enums in types.h.
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
std::optional<Program> ParseProgram(std::string_view w) {
  for (Program p : {Program::kMaintenance, Program::kWithdrawal, Program::kInterim})
    if (w == ProgramName(p)) return p;
  return std::nullopt;
}
std::optional<Payer> ParsePayer(std::string_view w) {
  for (Payer p : {Payer::kMedicare, Payer::kMedicareAdvantage, Payer::kMedicaid, Payer::kCommercial, Payer::kSelf})
    if (w == PayerName(p)) return p;
  return std::nullopt;
}
std::optional<Severity> ParseSeverity(std::string_view w) {
  for (Severity s : {Severity::kViolation, Severity::kWarning, Severity::kInfo})
    if (w == SeverityName(s)) return s;
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
