// Which held weeks a night decides again. A held week's rows stay open with their hold reason
// (billing/engine.h); deciding every one of them every night would make each night pay for every
// week ever held. A week held for a reason that only its patient's record or the rules can change
// (codes/reasons.xml decided-again="on-change") is decided again only on a night that changed
// one of them: the patient's row in patients.csv, facility.xml or codes/ (a fingerprint kept with
// each run), or a row that arrives for the patient dated inside the held weeks. Any other held
// week is decided again every night.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "ledger/ledger.h"
#include "model/status.h"

namespace otp {

struct NightInputs;

using PatientOf = std::pair<std::string, std::string>;  // (facility, patient)

struct HeldWeeks {
  std::set<PatientOf> due;               // decided again tonight
  std::map<PatientOf, Date> waiting;     // every patient with held weeks: its latest held row's date
  int64_t skipped_rows = 0;               // the held rows of the patients not due
  std::vector<std::string> plain;         // the reasons of open rows that are not a held week's

  // Whether an open row's reason is not a held week's.
  bool Plain(std::string_view reason) const { return std::find(plain.begin(), plain.end(), reason) != plain.end(); }
  // The latest held row's date of a patient whose held weeks are not decided again tonight.
  std::optional<Date> LeftHeld(const PatientOf& patient) const {
    const auto w = waiting.find(patient);
    if (w == waiting.end() || due.count(patient)) return std::nullopt;
    return w->second;
  }
};

Result<HeldWeeks> HeldWeeksDue(Ledger& ledger, const NightInputs& in, int64_t run_id);

}  // namespace otp
