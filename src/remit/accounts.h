// The accounts of many claims at once (claim_account.h), for `claims`, the Payments sheet and
// `report`: claims with a date of service in a period, their events and resubmissions read
// once, their 837P file's name filled in.
#pragma once

#include <vector>

#include "ledger/ledger.h"
#include "remit/claim_account.h"

namespace otp {

// By claim id.
Result<std::vector<ClaimAccount>> ClaimAccounts(Ledger& ledger, Date from, Date to);

// The statuses interface.md §2 names, in order.
const std::vector<std::string>& ClaimStatuses();

}  // namespace otp
