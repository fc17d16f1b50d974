// The Payments sheet's rows (interface.md §4) from the claims' accounts (remit/accounts.h): each
// claim's status, acknowledgments, payment, adjustments with their words, what is outstanding
// and how old the claim is; and the provider-level adjustments (PLB) of the payments that paid
// those claims or name one of them.
#pragma once

#include "ledger/ledger.h"
#include "model/status.h"
#include "output/report_data.h"
#include "remit/claim_account.h"

namespace otp {

class CodeWords;
class RuleBook;

// `report`: the claims with a date of service in [from, to], aged to `to`.
Status AddPeriodPayments(ReportData& r, Ledger& ledger, Date from, Date to, const CodeWords& words);

// A night: the claims remit/accounts.h NightAccounts lists, its window from codes/limits.xml
// (payments.written_days, payments.recent_days), aged to the as-of date.
Status AddNightPayments(ReportData& r, Ledger& ledger, Date as_of, const RuleBook& rules, const CodeWords& words);

// One account as a row, aged from the night that wrote it to `age_to`.
PaymentRow PaymentRowOf(const ClaimAccount& a, Date age_to, const CodeWords& words);

}  // namespace otp
