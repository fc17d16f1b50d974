// What the care checks keep of a patient between nights, so that a night need not read every
// row of every patient again: the basis of the last judgement (CareBasis: the admission and
// the take-home ladder), the as-of date it was judged through, the terms PA-6 judged the
// first methadone day on, and what the checks read of the patient's rows (CareFacts). The
// bytes are compliance's own format (EncodeCareState); the ledger stores them as they are.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/date.h"
#include "model/service.h"
#include "model/status.h"

namespace otp {

// A row of the services the time-bound checks read (PA-1..PA-4): they need its date only.
struct CheckRow {
  Date date;
  Service service = Service::kToxicologyTest;
  int64_t rowid = 0;
  auto operator<=>(const CheckRow&) const = default;
};

// What the checks read of a patient's rows dated inside its admission: PA-1..PA-4 the rows of
// the services they judge, PA-6 the first methadone_dose day, PA-8 the last counseling row.
struct CareFacts {
  std::optional<Date> first_dose;
  std::optional<Date> counseling_date;
  Service counseling_service = Service::kCounselingIndividual;
  int64_t counseling_rowid = 0;
  std::vector<CheckRow> checks;  // sorted, each row once
  bool operator==(const CareFacts&) const = default;
  // Adds a row dated inside the admission.
  void Add(Date date, Service service, int64_t rowid);
};

// The services whose rows CareFacts::checks keeps.
bool IsCheckService(Service s);

struct CareState {
  std::string basis;            // CareBasis of the judgement
  Date judged_through;          // its as-of date
  std::string first_day_terms;  // FirstDayTerms PA-6 judged the first day on; "" not judged
  CareFacts facts;
  bool operator==(const CareState&) const = default;
};

std::string EncodeCareState(const CareState& s);
// kCorrupt when `bytes` are not what EncodeCareState writes.
Result<CareState> DecodeCareState(std::string_view bytes);

}  // namespace otp
