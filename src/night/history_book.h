// Billing's view of each patient's past (billing/engine.h PatientHistory), made once a night
// from the ledger's plain reads: the lines billing keeps by patient (intakes, overdose
// medications), each patient's latest episode end, and the coverage windows, which are read
// from each facility's latest back only as far as the patients asked for so far need. A
// snapshot: each patient must be asked for before the night adds its own episodes, claims or
// windows (the pass visits each patient once).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "billing/engine.h"
#include "ledger/ledger.h"
#include "model/status.h"
#include "scrub/scrub.h"

namespace otp {

// A patient's past as billing and the pre-submission edits read it.
struct PatientPast {
  PatientHistory billing;
  ScrubHistory edits;
};

class HistoryBook {
 public:
  static Result<HistoryBook> Read(Ledger& ledger, const RuleBook& rules);

  // `windows_from`: the earliest date billing will look up in the windows (the patient's
  // earliest open row; every window billing adds starts on or after it). The windows that end
  // before it are left out unless a window kept overlaps them: WindowSet merges overlapping
  // windows and keeps the code of the first, so the windows handed over cover each date from
  // `windows_from` on with the same code as all of the patient's would. The decided episodes
  // handed over are those that start on or after kEpisodesBefore days before `windows_from`:
  // far enough for a take-home awaiting later weeks (TH-1) and for bundle lines up to 28 days
  // apart (SC-1).
  static constexpr int kEpisodesBefore = 41;
  Result<PatientPast> Of(const std::string& facility_id, const std::string& patient_id, Date windows_from);

 private:
  HistoryBook(Ledger& ledger, const RuleBook& rules) : ledger_(&ledger), rules_(&rules) {}
  // A facility's windows read so far: those ending on or after `reach`, by patient, with rowids.
  struct Windows {
    std::optional<Date> reach;  // none read yet
    std::map<std::string, std::vector<std::pair<int64_t, CoverageWindow>>, std::less<>> by_patient;
  };
  // A facility's episodes read so far: those starting on or after `reach`, by patient.
  struct Episodes {
    std::optional<Date> reach;
    std::map<std::string, std::vector<Episode>, std::less<>> by_patient;
  };
  Status ReachBack(Windows& w, const std::string& facility_id, Date from);
  Status AddEpisodes(PatientHistory& h, const std::string& facility_id, const std::string& patient_id, Date from);
  Status AddWindows(PatientHistory& h, const std::string& facility_id, const std::string& patient_id, Date from);

  Ledger* ledger_;
  const RuleBook* rules_;
  std::vector<PatientLine> lines_;  // by (facility, patient, dos)
  std::vector<EpisodeEnd> ends_;    // by (facility, patient)
  bool no_windows_ = false;
  std::map<std::string, Windows, std::less<>> windows_;  // by facility
  std::map<std::string, Episodes, std::less<>> episodes_;  // by facility
};

}  // namespace otp
