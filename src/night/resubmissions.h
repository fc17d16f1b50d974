// The claims a person asked to bill again (`otpbatch resubmit`), made ready for tonight: the
// rejected claim's lines on a new claim for the patient as the ledger holds them now (so a
// corrected member id or diagnosis goes out), with the diagnosis the old claim had unless the
// patient's record now gives another opioid use disorder code. A request of a facility not in
// tonight's facility.xml waits for a night that has it. After the night's claims are written,
// the rejection's work item of each old claim ends.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "ledger/ledger.h"
#include "model/types.h"

namespace otp {

Result<std::vector<std::pair<Patient, Claim>>> ClaimsToBillAgain(Ledger& ledger, const Config& config);
// Resolves the claim-rejected item of every claim billed again by run `run_id`.
Status EndRejections(Ledger& ledger, int64_t run_id, Date as_of);

}  // namespace otp
