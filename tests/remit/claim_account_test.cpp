// A claim's account (remit/claim_account.h) split for the A/R: the patient's share as the
// deductible (PR-1) or other, the payer's as denied where it paid nothing, else contractual
// (CO) or other; a reversal undoing what it reverses; the payments that touched the claim.
#include "remit/claim_account.h"

#include <gtest/gtest.h>

#include "status_helpers.h"

namespace otp {
namespace {

ClaimHead Head() {
  return {"C000000001", "HRC01", "P1", D("2026-11-10"), D("2026-09-01"), Money::Cents(50000),
          "/srv/out/2026-11-10/HRC01-000000001.837"};
}

EventLine Svc(int line_no, int64_t charge, int64_t paid) {
  EventLine l;
  l.line_no = line_no;
  l.code = "G2067";
  l.charge = Money::Cents(charge);
  l.paid = Money::Cents(paid);
  l.matched_by = "code, modifiers and date";
  return l;
}

// An 835 adjudication of the claim: lines 1 (300.00) and 2 (200.00).
ClaimEvent Adjudication(const std::string& response, const char* date, std::vector<EventLine> lines,
                        std::vector<EventAdjustment> adjustments, int64_t patient = 0) {
  ClaimEvent e;
  e.claim_id = "C000000001";
  e.response = response;
  e.event = "adjudicated";
  e.source = "835";
  e.date = D(date);
  e.status_code = "1";
  for (const EventLine& l : lines) {
    e.charge += l.charge;
    e.paid += l.paid;
  }
  e.patient_responsibility = Money::Cents(patient);
  e.lines = std::move(lines);
  e.adjustments = std::move(adjustments);
  e.event = AdjudicationStatus(e);
  return e;
}

// Every amount negated: the payer takes the adjudication back (CLP02 22).
ClaimEvent Reversal(ClaimEvent e, const std::string& response, const char* date) {
  e.response = response;
  e.date = D(date);
  e.status_code = "22";
  e.event = "reversed";
  e.charge = Money() - e.charge;
  e.paid = Money() - e.paid;
  e.patient_responsibility = Money() - e.patient_responsibility;
  for (EventLine& l : e.lines) l.charge = Money() - l.charge, l.paid = Money() - l.paid;
  for (EventAdjustment& a : e.adjustments) a.amount = Money() - a.amount;
  return e;
}

TEST(ClaimAccountSplit, DeductibleContractualDeniedAndOtherAddUpToTheAdjustments) {
  // Line 1: 300.00, PR-1 100.00, CO-253 4.00, paid 196.00. Line 2: 200.00 denied CO-97.
  // Claim level: OA-23 1.00 taken from what was paid (CLP04 195.00).
  ClaimEvent e = Adjudication("835|01182|T1", "2026-11-25", {Svc(1, 30000, 19600), Svc(2, 20000, 0)},
                              {{1, "PR", "1", Money::Cents(10000)}, {1, "CO", "253", Money::Cents(400)},
                               {2, "CO", "97", Money::Cents(20000)}, {0, "OA", "23", Money::Cents(100)}},
                              10000);
  e.paid = Money::Cents(19500);
  const ClaimAccount a = AccountOf(Head(), {e}, std::nullopt);
  EXPECT_EQ(a.status, "partially_paid");
  EXPECT_EQ(a.split.deductible, Money::Cents(10000));
  EXPECT_EQ(a.split.other_patient, Money());
  EXPECT_EQ(a.split.contractual, Money::Cents(400));
  EXPECT_EQ(a.split.denied, Money::Cents(20000)) << "CO-97 on the line paid nothing";
  EXPECT_EQ(a.split.other, Money::Cents(100)) << "OA at claim level of a claim that was paid";
  Money all;
  for (const EventAdjustment& x : a.adjustments) all += x.amount;
  EXPECT_EQ(a.split.Total(), all);
  EXPECT_EQ(a.Outstanding(), Money()) << "the 835 balances: billed = paid + adjustments";
  EXPECT_EQ(a.payments, std::vector<std::string>{"835|01182|T1"});
}

TEST(ClaimAccountSplit, AClaimDeniedWholeIsDeniedAtClaimLevelToo) {
  ClaimEvent e = Adjudication("835|01182|T1", "2026-11-25", {Svc(1, 30000, 0), Svc(2, 20000, 0)},
                              {{0, "CO", "96", Money::Cents(50000)}});
  e.status_code = "4";
  e.event = AdjudicationStatus(e);
  const ClaimAccount a = AccountOf(Head(), {e}, std::nullopt);
  EXPECT_EQ(a.status, "denied");
  EXPECT_EQ(a.split.denied, Money::Cents(50000));
  EXPECT_EQ(a.split.contractual, Money());
  EXPECT_EQ(a.Outstanding(), Money());
}

TEST(ClaimAccountSplit, AReversalTakesBackWhatItReversesAndTheNewAdjudicationCounts) {
  const ClaimEvent first = Adjudication("835|01182|T1", "2026-11-25", {Svc(1, 30000, 19600), Svc(2, 20000, 19600)},
                                        {{1, "PR", "1", Money::Cents(10000)}, {1, "CO", "253", Money::Cents(400)},
                                         {2, "CO", "253", Money::Cents(400)}},
                                        10000);
  const ClaimEvent back = Reversal(first, "835|01182|T2", "2026-12-01");
  const ClaimEvent again = Adjudication("835|01182|T2", "2026-12-01", {Svc(1, 30000, 29400), Svc(2, 20000, 19600)},
                                        {{1, "CO", "253", Money::Cents(600)}, {2, "CO", "253", Money::Cents(400)}});
  ClaimEvent b = back, g = again;
  b.id = 2, g.id = 3;
  const ClaimAccount a = AccountOf(Head(), {first, b, g}, std::nullopt);
  EXPECT_EQ(a.status, "paid");
  EXPECT_EQ(a.paid, Money::Cents(49000));
  EXPECT_EQ(a.split.deductible, Money()) << "the deductible taken back by the reversal";
  EXPECT_EQ(a.split.contractual, Money::Cents(1000));
  EXPECT_EQ(a.split.denied, Money());
  EXPECT_EQ(a.Outstanding(), Money());
  EXPECT_EQ(a.payments, (std::vector<std::string>{"835|01182|T1", "835|01182|T2"}));
}

TEST(ClaimAccountHead, MonthFromTheFirstDateOfServiceFileWithoutItsFolderAndHistoryWithSources) {
  ClaimEvent ack;
  ack.event = "acknowledged";
  ack.source = "999";
  ack.date = D("2026-11-11");
  ack.status_code = "A";
  ack.file = "1-999.x12";
  const ClaimAccount a = AccountOf(Head(), {ack}, std::nullopt);
  EXPECT_EQ(a.month, "2026-09");
  EXPECT_EQ(a.file, "HRC01-000000001.837");
  EXPECT_EQ(a.billed, Money::Cents(50000));
  EXPECT_EQ(a.status, "written");
  ASSERT_EQ(a.history.size(), 2u);
  EXPECT_EQ(a.history[0].event, "written");
  EXPECT_EQ(a.history[0].source, "");
  EXPECT_EQ(a.history[1].source, "999");
  EXPECT_EQ(a.history[1].code, "A");
  EXPECT_EQ(a.Outstanding(), Money::Cents(50000));
}

TEST(ClaimAccountHead, AStoredClaimGivesTheSameAccountAsItsHead) {
  StoredClaim sc;
  sc.claim.claim_id = "C000000001";
  sc.claim.facility_id = "HRC01";
  sc.claim.patient_id = "P1";
  sc.claim.file = "HRC01-000000001.837";
  ClaimLine l1, l2;
  l1.dos = D("2026-09-08");
  l1.charge = Money::Cents(30000);
  l2.dos = D("2026-09-01");
  l2.charge = Money::Cents(20000);
  sc.claim.lines = {l1, l2};
  sc.written_on = D("2026-11-10");
  const ClaimHead h = HeadOf(sc);
  EXPECT_EQ(h.billed, Money::Cents(50000));
  EXPECT_EQ(h.first_dos, D("2026-09-01"));
  const ClaimAccount a = AccountOf(sc, {}, std::nullopt);
  EXPECT_EQ(a.month, "2026-09");
  EXPECT_EQ(a.file, "HRC01-000000001.837");
}

}  // namespace
}  // namespace otp

// The status rules and net amounts (claim_account.h), from a claim read whole.
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

TEST(ClaimStatus, WrittenUntilSomethingDecides) {
  EXPECT_EQ(AccountOf(Billed300(), {}, std::nullopt).status, "written");
  EXPECT_EQ(AccountOf(Billed300(), {Event("999", "acknowledged", "2026-01-13", 1)}, std::nullopt).status, "written");
  EXPECT_EQ(AccountOf(Billed300(), {Event("277CA", "acknowledged", "2026-01-13", 1)}, std::nullopt).status, "written");
}

TEST(ClaimStatus, A277CAOutranksA999AndAnAdjudicationOutranksBothWhateverTheOrder) {
  const ClaimEvent rejected999 = Event("999", "rejected", "2026-01-13", 1);
  const ClaimEvent accepted = Event("277CA", "accepted", "2026-01-14", 2);
  EXPECT_EQ(AccountOf(Billed300(), {rejected999, accepted}, std::nullopt).status, "accepted");
  // The 835 ingested before a late 277CA that rejects: the payment decides.
  const ClaimEvent paid = Payment("1", 30000, 30000, 0, "2026-01-20", 3);
  const ClaimEvent late = Event("277CA", "rejected", "2026-01-25", 4);
  EXPECT_EQ(AccountOf(Billed300(), {paid, late}, std::nullopt).status, "paid");
}

TEST(ClaimStatus, AdjudicationStatuses) {
  EXPECT_EQ(Payment("1", 30000, 29400, 0, "2026-01-20", 1).event, "paid");
  EXPECT_EQ(Payment("1", 30000, 20000, 10000, "2026-01-20", 1).event, "partially_paid");
  EXPECT_EQ(Payment("1", 30000, 0, 30000, "2026-01-20", 1).event, "partially_paid");  // all to the deductible
  EXPECT_EQ(Payment("4", 30000, 0, 0, "2026-01-20", 1).event, "denied");
  EXPECT_EQ(Payment("1", 30000, 0, 0, "2026-01-20", 1).event, "denied");
  EXPECT_EQ(Payment("22", -30000, -29400, 0, "2026-01-20", 1).event, "reversed");
}

TEST(ClaimStatus, AmountsAreTheNetOfEveryPaymentAndZeroAdjustmentsAreDropped) {
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

TEST(ClaimStatus, ResubmittedOutranksEverythingAndOwesNothing) {
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

TEST(ClaimStatus, MonthAndOutstandingBeforeAnyPayment) {
  const ClaimAccount a = AccountOf(Billed300(), {}, std::nullopt);
  EXPECT_EQ(a.month, "2026-01");
  EXPECT_EQ(a.Outstanding(), Money::Cents(30000));
}

}  // namespace
}  // namespace otp

namespace otp {
namespace {

// A line whose whole charge went to the Part B deductible was adjudicated, not denied.
TEST(ClaimStatus, ALineLeftWhollyToTheDeductibleIsNotDenied) {
  ClaimEvent e;
  e.source = "835";
  e.status_code = "1";
  e.charge = Money::Cents(40000);
  e.paid = Money::Cents(30000);
  e.patient_responsibility = Money::Cents(10000);
  e.lines = {{1, "G2067", "", D("2026-01-05"), Money::Cents(30000), Money::Cents(30000), 1000, "code"},
             {2, "G2080", "", D("2026-01-06"), Money::Cents(10000), Money(), 1000, "code"}};
  e.adjustments = {{2, "PR", "1", Money::Cents(10000)}};
  EXPECT_FALSE(LineDenied(e, e.lines[1]));
  EXPECT_EQ(DeniedCharges(e), Money());
  EXPECT_EQ(AdjudicationStatus(e), "partially_paid");
  e.adjustments = {{2, "CO", "97", Money::Cents(10000)}};
  e.patient_responsibility = Money();
  EXPECT_TRUE(LineDenied(e, e.lines[1]));
  EXPECT_EQ(DeniedCharges(e), Money::Cents(10000));
  EXPECT_EQ(AdjudicationStatus(e), "partially_paid");
}

}  // namespace
}  // namespace otp
