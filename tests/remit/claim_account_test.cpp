// A claim's status and amounts from its events (remit/claim_account.h): pure.
#include <gtest/gtest.h>

#include "remit/claim_account.h"
#include "status_helpers.h"

namespace otp {
namespace {

StoredClaim Billed300() {
  StoredClaim sc;
  ClaimLine l;
  l.code = "G2067";
  l.dos = D("2026-01-05");
  l.charge = Money::Cents(30000);
  sc.claim = Claim{"C1", "F", "P", "F1120", {l}};
  sc.written_on = D("2026-01-12");
  return sc;
}

ClaimEvent Event(const char* source, const char* event, const char* date, int64_t id) {
  ClaimEvent e;
  e.source = source;
  e.event = event;
  e.date = D(date);
  e.id = id;
  return e;
}

ClaimEvent Payment(const char* clp02, int64_t charge, int64_t paid, int64_t patient, const char* date, int64_t id) {
  ClaimEvent e = Event("835", "", date, id);
  e.status_code = clp02;
  e.charge = Money::Cents(charge);
  e.paid = Money::Cents(paid);
  e.patient_responsibility = Money::Cents(patient);
  e.lines.push_back({1, "G2067", "", D("2026-01-05"), Money::Cents(charge), Money::Cents(paid), 1000, "code"});
  e.event = AdjudicationStatus(e);
  return e;
}

TEST(ClaimAccount, WrittenUntilSomethingDecides) {
  EXPECT_EQ(AccountOf(Billed300(), {}, std::nullopt).status, "written");
  EXPECT_EQ(AccountOf(Billed300(), {Event("999", "acknowledged", "2026-01-13", 1)}, std::nullopt).status, "written");
  EXPECT_EQ(AccountOf(Billed300(), {Event("277CA", "acknowledged", "2026-01-13", 1)}, std::nullopt).status, "written");
}

TEST(ClaimAccount, A277CAOutranksA999AndAnAdjudicationOutranksBothWhateverTheOrder) {
  const ClaimEvent rejected999 = Event("999", "rejected", "2026-01-13", 1);
  const ClaimEvent accepted = Event("277CA", "accepted", "2026-01-14", 2);
  EXPECT_EQ(AccountOf(Billed300(), {rejected999, accepted}, std::nullopt).status, "accepted");
  // The 835 ingested before a late 277CA that rejects: the payment decides.
  const ClaimEvent paid = Payment("1", 30000, 30000, 0, "2026-01-20", 3);
  const ClaimEvent late = Event("277CA", "rejected", "2026-01-25", 4);
  EXPECT_EQ(AccountOf(Billed300(), {paid, late}, std::nullopt).status, "paid");
}

TEST(ClaimAccount, AdjudicationStatuses) {
  EXPECT_EQ(Payment("1", 30000, 29400, 0, "2026-01-20", 1).event, "paid");
  EXPECT_EQ(Payment("1", 30000, 20000, 10000, "2026-01-20", 1).event, "partially_paid");
  EXPECT_EQ(Payment("1", 30000, 0, 30000, "2026-01-20", 1).event, "partially_paid");  // all to the deductible
  EXPECT_EQ(Payment("4", 30000, 0, 0, "2026-01-20", 1).event, "denied");
  EXPECT_EQ(Payment("1", 30000, 0, 0, "2026-01-20", 1).event, "denied");
  EXPECT_EQ(Payment("22", -30000, -29400, 0, "2026-01-20", 1).event, "reversed");
}

TEST(ClaimAccount, AmountsAreTheNetOfEveryPaymentAndZeroAdjustmentsAreDropped) {
  ClaimEvent first = Payment("1", 30000, 24000, 0, "2026-01-20", 1);
  first.adjustments = {{1, "CO", "45", Money::Cents(6000)}};
  ClaimEvent reversal = Payment("22", -30000, -24000, 0, "2026-02-01", 2);
  reversal.adjustments = {{1, "CO", "45", Money::Cents(-6000)}};
  ClaimEvent again = Payment("1", 30000, 25000, 0, "2026-02-01", 3);
  again.adjustments = {{1, "CO", "253", Money::Cents(5000)}};
  const ClaimAccount a = AccountOf(Billed300(), {first, reversal, again}, std::nullopt);
  EXPECT_EQ(a.status, "paid");
  EXPECT_EQ(a.paid, Money::Cents(25000));
  ASSERT_EQ(a.adjustments.size(), 1u);
  EXPECT_EQ(a.adjustments[0].reason, "253");
  EXPECT_EQ(a.Outstanding(), Money());
}

TEST(ClaimAccount, ResubmittedOutranksEverythingAndOwesNothing) {
  const Resubmission r{"C1", "Dana", "2026-01-20T10:00:00Z", "C9", 5};
  const ClaimAccount a = AccountOf(Billed300(), {Event("277CA", "rejected", "2026-01-14", 1)}, r);
  EXPECT_EQ(a.status, "resubmitted");
  EXPECT_EQ(a.replaced_by, "C9");
  EXPECT_EQ(a.Outstanding(), Money());
  EXPECT_EQ(a.history.back().event, "resubmitted");
  EXPECT_EQ(a.history.back().date, D("2026-01-20"));
  // Asked for but not yet written: still rejected.
  EXPECT_EQ(AccountOf(Billed300(), {Event("277CA", "rejected", "2026-01-14", 1)},
                      Resubmission{"C1", "Dana", "2026-01-20T10:00:00Z", "", 0})
                .status,
            "rejected");
}

TEST(ClaimAccount, MonthAndOutstandingBeforeAnyPayment) {
  const ClaimAccount a = AccountOf(Billed300(), {}, std::nullopt);
  EXPECT_EQ(a.month, "2026-01");
  EXPECT_EQ(a.Outstanding(), Money::Cents(30000));
}

}  // namespace
}  // namespace otp
