// ClaimsToBillAgain and EndRejections; see resubmissions.h.
#include "night/resubmissions.h"

#include "billing/biller.h"
#include "input/validators.h"

namespace otp {
namespace {

Result<std::optional<std::pair<Patient, Claim>>> Again(Ledger& ledger, const Config& config, const Resubmission& r) {
  using Out = std::optional<std::pair<Patient, Claim>>;
  OTP_ASSIGN_OR_RETURN(const std::optional<StoredClaim> old, ledger.FindClaim(r.claim_id));
  if (!old) return Status::Corrupt("a resubmission names claim " + r.claim_id + ", which the ledger does not hold");
  if (!config.FindFacility(old->claim.facility_id)) return Out();
  OTP_ASSIGN_OR_RETURN(std::optional<Patient> patient, ledger.LoadPatient(old->claim.facility_id, old->claim.patient_id));
  if (!patient) return Status::Corrupt("claim " + r.claim_id + " names a patient the ledger does not hold");
  Claim c = old->claim;
  c.claim_id.clear();
  c.file.clear();
  c.replaces = r.claim_id;
  if (IsOudDiagnosis(patient->diagnosis)) c.diagnosis = billing::NormalDiagnosis(patient->diagnosis);
  return Out(std::pair(std::move(*patient), std::move(c)));
}

}  // namespace

Result<std::vector<std::pair<Patient, Claim>>> ClaimsToBillAgain(Ledger& ledger, const Config& config) {
  OTP_ASSIGN_OR_RETURN(const std::vector<Resubmission> pending, ledger.Resubmissions(true));
  std::vector<std::pair<Patient, Claim>> out;
  for (const Resubmission& r : pending) {
    OTP_ASSIGN_OR_RETURN(auto again, Again(ledger, config, r));
    if (again) out.push_back(std::move(*again));
  }
  return out;
}

Status EndRejections(Ledger& ledger, int64_t run_id, Date as_of) {
  OTP_ASSIGN_OR_RETURN(const std::vector<Resubmission> all, ledger.Resubmissions(false));
  for (const Resubmission& r : all) {
    if (r.run_id != run_id) continue;
    OTP_ASSIGN_OR_RETURN(const std::optional<WorkItem> w, ledger.ItemOfCause("claim-rejected|" + r.claim_id));
    if (!w || w->state != ItemState::kOpen) continue;
    OTP_TRY(ledger.ResolveItem(w->id, run_id, as_of, "billed again as " + r.new_claim_id + " on " + as_of.Iso()));
  }
  return Status::Ok();
}

}  // namespace otp
