// The accounts of many claims at once (claim_account.h), for `claims`, the Payments sheet and
// `report`: the claims' heads (no lines), their events and resubmissions read once.
#pragma once

#include <vector>

#include "ledger/ledger.h"
#include "remit/claim_account.h"

namespace otp {

// The claims with a date of service in [from, to], by claim id.
Result<std::vector<ClaimAccount>> ClaimAccounts(Ledger& ledger, Date from, Date to);

// The accounts of `heads`, in their order.
Result<std::vector<ClaimAccount>> AccountsOf(Ledger& ledger, const std::vector<ClaimHead>& heads);

// How far back a night's Payments sheet looks (codes/limits.xml payments.*).
struct NightWindow {
  int written_days = 365;  // claims written by the nights of the last this-many days …
  int recent_days = 30;    // … that are not settled, or whose latest response is this recent
};

// The accounts a night's Payments sheet shows, by claim id: the claims written by the nights of
// [as_of − written_days, as_of] that the payer has not settled (something outstanding: written,
// accepted, rejected, reversed, or paid short of what was billed), or whose latest response
// came on or after as_of − recent_days. Settled is decided from ClaimBalances first, so the
// events of a settled claim are never read. A ledger that never recorded a response shows none:
// nothing came back yet (a period's claims are `report`'s). Past the filing limit (42 CFR
// 424.44) a claim cannot be corrected or billed again, so older claims are left to `report`.
Result<std::vector<ClaimAccount>> NightAccounts(Ledger& ledger, Date as_of, const NightWindow& window);

// The statuses interface.md §2 names, in order.
const std::vector<std::string>& ClaimStatuses();

}  // namespace otp
