// The care checks of a night (PA-1..PA-8) over the patients of tonight's file, judged
// incrementally. A patient judged on an earlier night on the same basis (CareState) is not
// read whole again: its kept facts are moved by its open rows and by the decided rows dated
// since the judgement, and only the days whose verdict may change are read whole (PA-5's
// take-home days, PA-6's first methadone day unless its verdict stands). A patient with no
// state, or whose basis changed, is read with every row it has.
//
// The rows come from a CareRowSource (the night's adapter over the ledger); the checks
// themselves are checks.h's pure functions. What is kept for the next night is CareState,
// returned as bytes for the caller to store.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compliance/care_state.h"
#include "model/status.h"
#include "model/stored_row.h"
#include "model/types.h"

namespace otp {

class RuleBook;

// Reads of a patient's decided rows.
class CareRowSource {
 public:
  virtual ~CareRowSource() = default;
  virtual Status DecidedOnDay(const std::string& facility_id, const std::string& patient_id, Date day,
                              std::vector<RowRef>& out) = 0;
  virtual Status RowsById(const std::vector<int64_t>& rowids, std::vector<StoredRow>& out) = 0;
  // Each day on which the facility has decided rows, ascending.
  virtual Result<std::vector<Date>> DecidedDays(const std::string& facility_id) = 0;
};

// One patient of tonight's file as the pass reads it.
struct CarePatient {
  std::string facility_id, patient_id;
  size_t index = 0;                 // in tonight's file
  std::optional<Date> from, to;     // the admission as tonight's checks see it
  bool first_dose_day = false;      // PA-6 applies: the admission began inside our records
  bool first_day_judged = false;    // PA-6 judged the kept first day on tonight's terms
  bool whole = true;                // no state on record, or its basis changed: every row
  std::optional<Date> judged_through;
  CareFacts facts;                  // kept (not `whole`)
};

// What the pass read of a patient: its facts over tonight's admission and where PA-6 stands.
// `first_day_stands`: PA-6's verdict on the kept first day stands (the same day, judged on the
// same terms, no open row on it); the rows need not hold that day. `facts_changed`: the facts
// may differ from the kept ones.
struct CareRead {
  CareFacts facts;
  bool first_day_judged = false, first_day_stands = false;
  bool facts_changed = true;
};

// `rows`: on entry, the patient's open rows (whole) by (date, rowid); on return, every row the
// checks need, whole or partial (StoredRow::partial), by (date, rowid), each once.
Result<CareRead> ReadCareRows(const CarePatient& cp, std::vector<StoredRow>& rows, CareRowSource& source);
// For a patient whose every row the caller read (`rows`).
CareRead CareReadOfWhole(const CarePatient& cp, const std::vector<StoredRow>& rows);

// A kept state as the ledger gave it back, decoded.
struct KeptCare {
  std::string facility_id, patient_id;
  CareState state;
};

class CareNight {
 public:
  // `kept`: by (facility, patient). `records_since`: each facility's first date of service in
  // the ledger (a patient admitted before it is not judged on what the ledger cannot show).
  CareNight(const Config& config, const std::vector<Patient>& patients, std::vector<KeptCare> kept, Date as_of,
            const RuleBook& rules, std::map<std::string, std::optional<Date>> records_since);

  // Tonight's patients by (facility, patient), each once.
  const std::vector<CarePatient>& patients() const { return care_; }
  // The patient of `facility_id`/`patient_id` among patients(), or nullptr.
  const CarePatient* Find(const std::string& facility_id, const std::string& patient_id) const;

  // A change to a patient's kept state: the bytes to store, or nullopt to forget it (its
  // facility left facility.xml: its rows were not judged, so the kept facts would miss them).
  struct StateChange {
    std::string facility_id, patient_id;
    std::optional<std::string> state;
  };
  // Judges a patient the pass visited, from the rows read; what to store for it, if anything.
  std::optional<StateChange> Check(const CarePatient& cp, const std::vector<const ServiceRecord*>& rows,
                                   const CareRead& read);
  // Judges the patients the pass did not visit (they have no rows); what to store for them.
  std::vector<StateChange> FinishUnvisited();
  // The findings of every patient judged, in file order.
  std::vector<Finding> TakeFindings();

 private:
  std::optional<StateChange> Judge(size_t i, const std::vector<const ServiceRecord*>& rows, const CareRead& read);

  const Config& config_;
  const std::vector<Patient>& patients_;
  const RuleBook& rules_;
  Date as_of_;
  std::map<std::string, std::optional<Date>> records_since_;
  std::string first_day_terms_;
  std::vector<std::optional<CareState>> kept_;  // by file index
  std::vector<std::string> basis_now_;          // by file index
  std::vector<CarePatient> care_;
  std::vector<char> visited_;                   // by file index
  std::vector<std::vector<Finding>> findings_;  // by file index
};

}  // namespace otp
