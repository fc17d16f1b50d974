// The Payments sheet's rows; see payment_rows.h.
#include "report/payment_rows.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "remit/accounts.h"
#include "remit/posting.h"
#include "rules/code_words.h"
#include "rules/rulebook.h"

namespace otp {
namespace {

// What the 999s and 277CAs said, in the order they came: "999 acknowledged 2026-11-11; 277CA
// rejected 2026-11-12 (A6:562:82)". A rejection carries its codes (the Work sheet says what
// they mean and what to do).
std::string Acknowledgments(const ClaimAccount& a) {
  std::string out;
  for (const AccountEvent& h : a.history) {
    if (h.source != "999" && h.source != "277CA") continue;
    std::string said = h.source + " " + h.event + " " + h.date.Iso();
    if (h.event == "rejected" && !h.code.empty()) said += " (" + h.code + ")";
    if (out.find(said) != std::string::npos) continue;  // the same said twice (a 999 for two groups)
    out += (out.empty() ? "" : "; ") + said;
  }
  return out;
}

void Adjustments(const ClaimAccount& a, const CodeWords& words, PaymentRow& row) {
  for (const EventAdjustment& x : a.adjustments) {
    row.adjustments += (row.adjustments.empty() ? "" : "; ") + x.group + "-" + x.reason + " " + x.amount.ToString();
    row.adjustment_words += (row.adjustment_words.empty() ? "" : "\n") + words.DescribeAdjustment(x.group, x.reason);
  }
  row.contractual = a.split.contractual;
  row.denied = a.split.denied;
  row.other_adjusted = a.split.other;
  row.deductible = a.split.deductible;
  row.other_patient = a.split.other_patient;
}

std::optional<Date> LastEvent(const ClaimAccount& a) {
  std::optional<Date> last;
  for (const AccountEvent& h : a.history)
    if (h.event != "written" && (!last || *last < h.date)) last = h.date;
  return last;
}

// The PLBs of the payments that paid a claim of `rows` (by the 835 responses of their
// accounts), or that name one of those claims.
Status AddProviderAdjustments(ReportData& r, Ledger& ledger, const std::vector<ClaimAccount>& accounts,
                              const CodeWords& words) {
  std::set<std::string, std::less<>> claims, payments;
  for (const ClaimAccount& a : accounts) {
    claims.insert(a.claim_id);
    payments.insert(a.payments.begin(), a.payments.end());
  }
  OTP_ASSIGN_OR_RETURN(const std::vector<PaymentAdjustment> all, ledger.PaymentAdjustments());
  for (const PaymentAdjustment& p : all) {
    if (!payments.count(p.response) && !(!p.claim_id.empty() && claims.count(p.claim_id))) continue;
    r.provider_adjustments.push_back({p.facility_id, p.date, PaymentTrace(p.response), p.reason,
                                      words.DescribeProviderAdjustment(p.reason), p.reference, p.claim_id, p.amount,
                                      p.file});
  }
  return Status::Ok();
}

// The rows of `accounts` by facility, then claim id, and their payments' PLBs.
Status AddPayments(ReportData& r, Ledger& ledger, std::vector<ClaimAccount> accounts, Date age_to,
                   const CodeWords& words) {
  std::stable_sort(accounts.begin(), accounts.end(), [](const ClaimAccount& x, const ClaimAccount& y) {
    return std::tie(x.facility_id, x.claim_id) < std::tie(y.facility_id, y.claim_id);
  });
  r.payments.clear();
  r.provider_adjustments.clear();
  r.payments.reserve(accounts.size());
  for (const ClaimAccount& a : accounts) r.payments.push_back(PaymentRowOf(a, age_to, words));
  return AddProviderAdjustments(r, ledger, accounts, words);
}

}  // namespace

PaymentRow PaymentRowOf(const ClaimAccount& a, Date age_to, const CodeWords& words) {
  PaymentRow row;
  row.facility_id = a.facility_id;
  row.claim_id = a.claim_id;
  row.patient_id = a.patient_id;
  row.month = a.month;
  row.written = a.written_on;
  row.file = a.file;
  row.status = a.status;
  row.acknowledgments = Acknowledgments(a);
  row.payer_claim_number = a.payer_claim_number;
  row.billed = a.billed;
  row.paid = a.paid;
  Adjustments(a, words, row);
  row.patient_responsibility = a.patient_responsibility;
  row.outstanding = a.Outstanding();
  row.age_days = std::max(0, age_to - a.written_on);
  row.last_event = LastEvent(a);
  return row;
}

Status AddPeriodPayments(ReportData& r, Ledger& ledger, Date from, Date to, const CodeWords& words) {
  OTP_ASSIGN_OR_RETURN(std::vector<ClaimAccount> accounts, ClaimAccounts(ledger, from, to));
  return AddPayments(r, ledger, std::move(accounts), to, words);
}

Status AddNightPayments(ReportData& r, Ledger& ledger, Date as_of, const RuleBook& rules, const CodeWords& words) {
  const NightWindow window{static_cast<int>(rules.LimitValue("payments.written_days")),
                           static_cast<int>(rules.LimitValue("payments.recent_days"))};
  OTP_ASSIGN_OR_RETURN(std::vector<ClaimAccount> accounts, NightAccounts(ledger, as_of, window));
  return AddPayments(r, ledger, std::move(accounts), as_of, words);
}

}  // namespace otp
