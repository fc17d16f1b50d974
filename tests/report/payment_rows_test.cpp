// The Payments sheet's rows from a ledger with recorded responses: each claim's status,
// acknowledgments, payment, adjustments in words, outstanding and age, the PLBs of the
// payments that paid them; for `report` the claims of the period, for a night the claims not
// yet settled and those settled lately, and none before anything came back.
#include "report/payment_rows.h"

#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "report/report_builder.h"
#include "rules/code_words.h"
#include "rules/rulebook.h"
#include "scratch_dir.h"
#include "status_helpers.h"

namespace otp {
namespace {

const RuleBook& Rules() {
  static const RuleBook rules = Val(RuleBook::Load(std::string(OTP_SOURCE_DIR) + "/codes"));
  return rules;
}
const CodeWords& Words() {
  static const CodeWords words = Val(CodeWords::Load(std::string(OTP_SOURCE_DIR) + "/codes"));
  return words;
}

ClaimLine Line(const char* dos, int64_t cents) {
  ClaimLine l;
  l.code = "G2067";
  l.dos = D(dos);
  l.unit_price = l.charge = Money::Cents(cents);
  l.rule_id = "BU-2";
  l.episode_start = l.dos;
  return l;
}

ClaimEvent Ack(const std::string& claim, const char* source, const char* event, const char* date,
               const char* code = "") {
  ClaimEvent e;
  e.claim_id = claim;
  e.response = std::string(source) + "|" + claim + "|" + date;
  e.source = source;
  e.event = event;
  e.date = D(date);
  e.file = std::string(source) + ".x12";
  e.status_code = code;
  return e;
}

// An 835 for a claim of two lines of 300.00: line 1 paid less the deductible (`deductible`) and
// sequestration, line 2 paid less sequestration or (`deny_line_2`) denied CO-97.
ClaimEvent Payment(const std::string& claim, const std::string& trace, const char* date, int64_t deductible,
                   bool deny_line_2) {
  ClaimEvent e;
  e.claim_id = claim;
  e.response = "835|01182|" + trace;
  e.source = "835";
  e.date = D(date);
  e.file = "835-" + trace + ".x12";
  e.status_code = "1";
  e.payer_claim_number = "ICN-" + claim;
  const int64_t seq1 = (30000 - deductible) * 2 / 100, seq2 = deny_line_2 ? 0 : 600;
  EventLine l1{1, "G2067", "", D("2026-10-05"), Money::Cents(30000), Money::Cents(30000 - deductible - seq1), 1000,
               "code, modifiers and date"};
  EventLine l2{2, "G2067", "", D("2026-10-12"), Money::Cents(30000), Money::Cents(deny_line_2 ? 0 : 30000 - seq2),
               1000, "code, modifiers and date"};
  e.lines = {l1, l2};
  if (deductible) e.adjustments.push_back({1, "PR", "1", Money::Cents(deductible)});
  e.adjustments.push_back({1, "CO", "253", Money::Cents(seq1)});
  e.adjustments.push_back(deny_line_2 ? EventAdjustment{2, "CO", "97", Money::Cents(30000)}
                                      : EventAdjustment{2, "CO", "253", Money::Cents(seq2)});
  e.charge = Money::Cents(60000);
  e.paid = l1.paid + l2.paid;
  e.patient_responsibility = Money::Cents(deductible);
  e.event = deductible || deny_line_2 ? "partially_paid" : "paid";
  return e;
}

// Claims of two lines (2026-10-05, 2026-10-12; 600.00) written by the night of 2026-10-20:
// C1 (F1) paid with the deductible, C2 (F1) a line denied, C3 (F2) accepted only, C4 (F2)
// rejected by its 277CA; C5 (F1), written by the night of 2025-06-02, paid long ago. The
// second payment also recovered 50.00 from C1 (PLB WO); another payment paid 12.00 of interest
// on no claim of these.
class Payments : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = Val(Ledger::Create((dir_.path() / "t.db").string()));
    Ok(ledger_->Begin());
    const int64_t old_night = Val(ledger_->StartRun(D("2025-06-02"), 0, false, ""));
    const int64_t night = Val(ledger_->StartRun(D("2026-10-20"), 0, false, ""));
    Ok(ledger_->AddClaim({"C5", "F1", "P5", "F1120", {Line("2025-05-05", 30000), Line("2025-05-12", 30000)}},
                         old_night, 1, nullptr));
    for (auto [id, f] : {std::pair{"C1", "F1"}, std::pair{"C2", "F1"}, std::pair{"C3", "F2"}, std::pair{"C4", "F2"}})
      Ok(ledger_->AddClaim({id, f, "P1", "F1120", {Line("2026-10-05", 30000), Line("2026-10-12", 30000)}}, night,
                           std::string(f) == "F1" ? 2 : 3, nullptr));
    Ok(ledger_->AddInterchange({2, "F1", "/out/2026-10-20/F1-000000002.837", "", 2, "000000002", "0001"}, night));
    Ok(ledger_->AddInterchange({3, "F2", "/out/2026-10-20/F2-000000003.837", "", 3, "000000003", "0001"}, night));
    for (const char* id : {"C1", "C2", "C3", "C4"}) Val(ledger_->AddClaimEvent(Ack(id, "999", "acknowledged", "2026-10-21")));
    for (const char* id : {"C1", "C2", "C3"}) Val(ledger_->AddClaimEvent(Ack(id, "277CA", "accepted", "2026-10-22")));
    Val(ledger_->AddClaimEvent(Ack("C4", "277CA", "rejected", "2026-10-22", "A6:562:82")));
    Val(ledger_->AddClaimEvent(Payment("C1", "T1", "2026-11-05", 28300, false)));
    Val(ledger_->AddClaimEvent(Payment("C2", "T1", "2026-11-05", 0, true)));
    Val(ledger_->AddClaimEvent(Payment("C5", "T0", "2025-06-20", 0, false)));
    Ok(ledger_->AddPaymentAdjustment({"835|01182|T1", 0, "F1", "1234567893", D("2026-12-31"), "WO", "ICN-C1", "C1",
                                      Money::Cents(5000), D("2026-11-05"), "835-T1.x12"}));
    Ok(ledger_->AddPaymentAdjustment({"835|01182|T9", 0, "F1", "1234567893", D("2026-12-31"), "L6", "", "",
                                      Money::Cents(-1200), D("2026-11-06"), "835-T9.x12"}));
    Ok(ledger_->Commit());
  }
  const PaymentRow& Row(const ReportData& r, const std::string& id) {
    for (const PaymentRow& p : r.payments)
      if (p.claim_id == id) return p;
    throw std::runtime_error("no row " + id);
  }
  std::vector<std::string> Ids(const ReportData& r) {
    std::vector<std::string> ids;
    for (const PaymentRow& p : r.payments) ids.push_back(p.claim_id);
    return ids;
  }

  ScratchDir dir_{"otp-payments"};
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(Payments, AReportShowsEachClaimOfThePeriodWithWhatCameBack) {
  const ReportData r = Val(BuildLedgerReport(*ledger_, nullptr, D("2026-10-01"), D("2026-10-31"), Rules(), Words()));
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"C1", "C2", "C3", "C4"})) << "by facility, then claim";
  const PaymentRow& c1 = Row(r, "C1");
  EXPECT_EQ(c1.facility_id, "F1");
  EXPECT_EQ(c1.month, "2026-10");
  EXPECT_EQ(c1.written, D("2026-10-20"));
  EXPECT_EQ(c1.file, "F1-000000002.837");
  EXPECT_EQ(c1.status, "partially_paid");
  EXPECT_EQ(c1.acknowledgments, "999 acknowledged 2026-10-21; 277CA accepted 2026-10-22");
  EXPECT_EQ(c1.payer_claim_number, "ICN-C1");
  EXPECT_EQ(c1.billed, Money::Cents(60000));
  EXPECT_EQ(c1.paid, Money::Cents(30000 - 28300 - 34 + 29400));
  EXPECT_EQ(c1.adjustments, "CO-253 6.34; PR-1 283.00");
  EXPECT_NE(c1.adjustment_words.find("CO-253: "), std::string::npos) << c1.adjustment_words;
  EXPECT_NE(c1.adjustment_words.find("\nPR-1: Deductible"), std::string::npos) << c1.adjustment_words;
  EXPECT_EQ(c1.patient_responsibility, Money::Cents(28300));
  EXPECT_EQ(c1.deductible, Money::Cents(28300));
  EXPECT_EQ(c1.contractual, Money::Cents(634));
  EXPECT_EQ(c1.outstanding, Money());
  EXPECT_EQ(c1.age_days, 11) << "written 2026-10-20, aged to the period's last day";
  EXPECT_EQ(c1.last_event, D("2026-11-05"));

  const PaymentRow& c2 = Row(r, "C2");
  EXPECT_EQ(c2.denied, Money::Cents(30000)) << "line 2 paid nothing: CO-97";
  EXPECT_EQ(c2.contractual, Money::Cents(600));
  const PaymentRow& c3 = Row(r, "C3");
  EXPECT_EQ(c3.status, "accepted");
  EXPECT_EQ(c3.outstanding, Money::Cents(60000));
  EXPECT_EQ(c3.adjustments, "");
  const PaymentRow& c4 = Row(r, "C4");
  EXPECT_EQ(c4.status, "rejected");
  EXPECT_EQ(c4.acknowledgments, "999 acknowledged 2026-10-21; 277CA rejected 2026-10-22 (A6:562:82)");

  ASSERT_EQ(r.provider_adjustments.size(), 1u) << "the WO of the payment that paid C1; not T9's interest";
  const ProviderAdjustmentRow& wo = r.provider_adjustments[0];
  EXPECT_EQ(wo.reason, "WO");
  EXPECT_EQ(wo.reason_words, "WO: Overpayment Recovery");
  EXPECT_EQ(wo.trace, "T1");
  EXPECT_EQ(wo.claim_id, "C1");
  EXPECT_EQ(wo.amount, Money::Cents(5000));
  EXPECT_EQ(wo.date, D("2026-11-05"));
}

TEST_F(Payments, ANightShowsTheClaimsNotSettledAndThoseSettledLately) {
  ReportData r;
  Ok(AddNightPayments(r, *ledger_, D("2026-11-10"), Rules(), Words()));
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"C1", "C2", "C3", "C4"}))
      << "C1, C2 paid within the last 30 days; C3, C4 outstanding; C5 written over a year ago";
  EXPECT_EQ(Row(r, "C3").age_days, 21);

  ReportData later;
  Ok(AddNightPayments(later, *ledger_, D("2026-12-20"), Rules(), Words()));
  EXPECT_EQ(Ids(later), (std::vector<std::string>{"C3", "C4"})) << "C1, C2 settled over 30 days ago";
  EXPECT_TRUE(later.provider_adjustments.empty());

  ReportData next_year;
  Ok(AddNightPayments(next_year, *ledger_, D("2027-10-21"), Rules(), Words()));
  EXPECT_TRUE(next_year.payments.empty()) << "past the filing limit: the period's report shows them";
}

TEST_F(Payments, ANightBeforeAnythingCameBackShowsNone) {
  ScratchDir other{"otp-payments-none"};
  auto fresh = Val(Ledger::Create((other.path() / "f.db").string()));
  Ok(fresh->Begin());
  const int64_t night = Val(fresh->StartRun(D("2026-10-20"), 0, false, ""));
  Ok(fresh->AddClaim({"C1", "F1", "P1", "F1120", {Line("2026-10-05", 30000)}}, night, 1, nullptr));
  Ok(fresh->Commit());
  ReportData r;
  Ok(AddNightPayments(r, *fresh, D("2026-10-21"), Rules(), Words()));
  EXPECT_TRUE(r.payments.empty()) << "the sheet says no payments yet";
  const ReportData period = Val(BuildLedgerReport(*fresh, nullptr, D("2026-10-01"), D("2026-10-31"), Rules(), Words()));
  ASSERT_EQ(period.payments.size(), 1u) << "a report shows the period's claims, written and waiting";
  EXPECT_EQ(period.payments[0].status, "written");
  EXPECT_EQ(period.payments[0].outstanding, Money::Cents(30000));
  EXPECT_EQ(period.payments[0].last_event, std::nullopt);
}

}  // namespace
}  // namespace otp
