// HeldWeeksDue (held_weeks.h).
#include "night/held_weeks.h"

#include "billing/engine.h"
#include "night/configure.h"

namespace otp {

Result<HeldWeeks> HeldWeeksDue(Ledger& ledger, const NightInputs& in, int64_t run_id) {
  HeldWeeks out;
  out.plain = {"", kAwaitingWeeks};
  OTP_ASSIGN_OR_RETURN(const std::vector<WaitingPatient> waiting, ledger.WaitingPatients(out.plain));
  if (waiting.empty()) return out;
  OTP_ASSIGN_OR_RETURN(const std::string last_rules, ledger.LastRules());
  const bool rules_changed = last_rules != in.rules_fingerprint;
  OTP_ASSIGN_OR_RETURN(const std::set<PatientOf> changed, ledger.PatientsOfRun(run_id));
  for (const WaitingPatient& w : waiting) {
    const PatientOf key{w.facility_id, w.patient_id};
    out.waiting.emplace(key, w.last);
    bool due = rules_changed || changed.count(key) > 0;
    for (const std::string& reason : w.reasons) {
      const ReasonText* r = in.rules.FindReason("hold", reason);
      if (!r || !r->decided_again_on_change) due = true;
    }
    if (due) out.due.insert(key);
    else out.skipped_rows += w.rows;
  }
  return out;
}

}  // namespace otp
