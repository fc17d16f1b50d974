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
const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kViolation: return "violation";
    case Severity::kInfo: return "info";
    default: return "warning";
  }
}
}  // namespace otp
