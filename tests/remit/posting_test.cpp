// Posting 999, 277CA and 835 files to the claims this ledger wrote (remit/posting.h), on the
// hand-made responses of fixtures/x12 and on variations built here.
#include <gtest/gtest.h>

#include "remit_fixture.h"

namespace otp::testing {
namespace {

// An 835 paying C000000012 in full less the fee schedule: the payment the reversal takes back.
std::string FirstPaymentOfC12(const std::string& isa13 = "000005010", const std::string& gs06 = "5010",
                              const std::string& paid = "240") {
  Envelope e;
  e.isa13 = isa13;
  e.gs06 = gs06;
  const std::string adj = std::to_string(300 - std::stoi(paid));
  return Interchange({"BPR*I*" + paid + "*C*ACH*CCP*01*011000015*DA*123456789*1999999999**01*021000021*DA*987654321*20260115",
                      "TRN*1*EFT0005010*1999999999", "N1*PR*MEDICARE JURISDICTION E",
                      "N1*PE*HARBOR RECOVERY CENTER*XX*1234567893", "LX*1",
                      "CLP*C000000012*1*300*" + paid + "**MB*26005000001", "NM1*QC*1*DOE*JANE****MI*1EG4TE5MK73",
                      "SVC*HC:G2067*300*" + paid + "**1", "DTM*472*20260105", "CAS*CO*45*" + adj},
                     e);
}

TEST_F(RemitTest, Ack999AcceptedAcknowledgesEveryClaimOfTheInterchangeAndLeavesThemWritten) {
  const FileOutcome out = PostFixture("ours-999-accepted.x12");
  ASSERT_TRUE(out.refused.ok());
  EXPECT_EQ(out.recorded, 1);
  EXPECT_EQ(out.claim_events, 2);
  EXPECT_EQ(Account("C000000012").status, "written");
  EXPECT_EQ(Account("C000000012").history.back().event, "acknowledged");
  EXPECT_EQ(Account("C000000021").history.size(), 1u);  // another interchange: untouched
  EXPECT_EQ(out.items_opened, 0);
}

TEST_F(RemitTest, Ack999RejectedRejectsTheInterchangesClaimsAndOpensAnItemForEach) {
  const FileOutcome out = PostFixture("ours-999-rejected.x12");
  EXPECT_EQ(Account("C000000012").status, "rejected");
  EXPECT_EQ(Account("C000000013").status, "rejected");
  EXPECT_EQ(OpenItems("claim-rejected").size(), 2u);
  EXPECT_EQ(out.items_opened, 2);
}

TEST_F(RemitTest, ClaimAck277AcceptsWithThePayerClaimNumberAndRejectsWithItsCodes) {
  PostFixture("ours-277ca.x12");
  const ClaimAccount c12 = Account("C000000012"), c13 = Account("C000000013");
  EXPECT_EQ(c12.status, "accepted");
  EXPECT_EQ(c12.payer_claim_number, "26006000001");
  EXPECT_EQ(c13.status, "rejected");
  const std::vector<WorkItem> items = OpenItems("claim-rejected");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].code, "C000000013");
  EXPECT_NE(items[0].reason.find("A7"), std::string::npos);
  EXPECT_NE(items[0].next_step.find("otpbatch resubmit"), std::string::npos);
  EXPECT_EQ(items[0].amount, Money::Cents(30000));
}

TEST_F(RemitTest, PartialPaymentKeepsTheDeductibleAsPatientResponsibility) {
  PostFixture("ours-835-deductible.x12");
  const ClaimAccount a = Account("C000000021");
  EXPECT_EQ(a.status, "partially_paid");
  EXPECT_EQ(a.paid, Money::Cents(15000));
  EXPECT_EQ(a.patient_responsibility, Money::Cents(10000));
  ASSERT_EQ(a.adjustments.size(), 2u);
  EXPECT_EQ(a.adjustments[0].group + "-" + a.adjustments[0].reason, "CO-45");
  EXPECT_EQ(a.adjustments[1].group + "-" + a.adjustments[1].reason, "PR-1");
  EXPECT_EQ(a.Outstanding(), Money());
  EXPECT_EQ(a.payer_claim_number, "26019000001");
}

TEST_F(RemitTest, DenialOpensADeniedItemWithTheReasonInWords) {
  PostFixture("ours-835-denial.x12");
  EXPECT_EQ(Account("C000000022").status, "denied");
  const std::vector<WorkItem> items = OpenItems("claim-denied");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].reason, "CO-50");
  EXPECT_NE(items[0].detail.find("N115"), std::string::npos);
  EXPECT_EQ(items[0].amount, Money::Cents(30000));
}

// codes/carc.xml marks the fee schedule's reduction (CO-45) denial="no": the item names only
// the adjustment that denied.
TEST_F(RemitTest, DenialItemNamesOnlyTheDenyingAdjustments) {
  std::string denial = Fixture("x12/ours-835-denial.x12");
  const std::string cas = "CAS*CO*50*300~";
  ASSERT_NE(denial.find(cas), std::string::npos);
  denial.replace(denial.find(cas), cas.size(), "CAS*CO*50*250**45*50~");
  const FileOutcome out = Post("denial-with-a-reduction.835", denial);
  Ok(out.refused);
  const std::vector<WorkItem> items = OpenItems("claim-denied");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].reason, "CO-50");
  EXPECT_EQ(items[0].detail.find("CO-45"), std::string::npos) << items[0].detail;
}

TEST_F(RemitTest, ReversalAndItsNewAdjudicationAreBothKeptAndTheNetIsPaid) {
  Post("first.835", FirstPaymentOfC12());
  EXPECT_EQ(Account("C000000012").paid, Money::Cents(24000));
  PostFixture("ours-835-reversal.x12");
  const ClaimAccount a = Account("C000000012");
  EXPECT_EQ(a.status, "paid");
  EXPECT_EQ(a.paid, Money::Cents(26000));
  ASSERT_EQ(a.adjustments.size(), 1u);
  EXPECT_EQ(a.adjustments[0].amount, Money::Cents(4000));
  EXPECT_EQ(a.payer_claim_number, "26020000003");
  std::vector<std::string> events;
  for (const AccountEvent& h : a.history) events.push_back(h.event);
  EXPECT_EQ(events, (std::vector<std::string>{"written", "paid", "reversed", "paid"}));
}

TEST_F(RemitTest, ReversalAloneLeavesTheClaimReversedAndOutstanding) {
  Post("first.835", FirstPaymentOfC12());
  // Only the reversal of the reversal file: the new adjudication has not come yet.
  Envelope e;
  e.isa13 = "000005011";
  e.gs06 = "5011";
  Post("reversal.835", Interchange({"BPR*I*240*D*ACH*CCP*01*011000015*DA*123456789*1999999999**01*021000021*DA*987654321*20260118",
                                    "TRN*1*EFT0005011*1999999999", "N1*PR*MEDICARE JURISDICTION E",
                                    "N1*PE*HARBOR RECOVERY CENTER*XX*1234567893", "LX*1",
                                    "CLP*C000000012*22*-300*-240**MB*26005000001",
                                    "NM1*QC*1*DOE*JANE****MI*1EG4TE5MK73", "SVC*HC:G2067*-300*-240",
                                    "DTM*472*20260105", "CAS*CO*45*-60"},
                                   e));
  const ClaimAccount a = Account("C000000012");
  EXPECT_EQ(a.status, "reversed");
  EXPECT_EQ(a.paid, Money());
  EXPECT_EQ(a.Outstanding(), Money::Cents(30000));
}

TEST_F(RemitTest, OverpaymentRecoveryNamesTheEarlierClaimAndLinesMatchDespiteAnAddedModifier) {
  PostFixture("ours-835-plb-wo.x12");
  const std::vector<PaymentAdjustment> plb = Val(ledger_->PaymentAdjustments());
  ASSERT_EQ(plb.size(), 2u);
  EXPECT_EQ(plb[0].reason, "WO");
  EXPECT_EQ(plb[0].claim_id, "C000000012");
  EXPECT_EQ(plb[0].amount, Money::Cents(6000));
  EXPECT_EQ(plb[1].reason, "L6");
  EXPECT_EQ(plb[1].amount, Money::Cents(-125));
  const std::vector<ClaimEvent> events = Val(ledger_->EventsOf("C000000030"));
  ASSERT_EQ(events.size(), 1u);
  ASSERT_EQ(events[0].lines.size(), 1u);
  EXPECT_EQ(events[0].lines[0].line_no, 1);
  EXPECT_EQ(events[0].lines[0].matched_by, "code and date");
  EXPECT_EQ(Account("C000000030").status, "paid");
}

// ours-835-plb-wo.x12 with its WO's reference laid out as a Medicare contractor's: `first` in
// positions 1-19, `second` from position 20.
std::string WoReferencing(const std::string& first, const std::string& second) {
  std::string wo = Fixture("x12/ours-835-plb-wo.x12");
  const std::string ref = "WO:C000000012*";
  EXPECT_NE(wo.find(ref), std::string::npos);
  std::string reference = first;
  reference.resize(19, ' ');
  return wo.replace(wo.find(ref), ref.size(), "WO:" + reference + second + "*");
}

// A Medicare contractor's WO reference (CR 7499): the demand letter's claim control number in
// positions 1-19, our CLM01 in positions 20-39.
TEST_F(RemitTest, MedicareWoReferenceNamesOurClaimInPositions20To39) {
  Post("medicare-wo.835", WoReferencing("2226012345678", "C000000012"));
  const std::vector<PaymentAdjustment> plb = Val(ledger_->PaymentAdjustments());
  ASSERT_EQ(plb.size(), 2u);
  EXPECT_EQ(plb[0].reference, "2226012345678      C000000012");
  EXPECT_EQ(plb[0].claim_id, "C000000012");
  EXPECT_TRUE(OpenItems("remit-unmatched").empty());
}

// A claim control number that fills positions 1-19 to the last character: the split is at 19.
TEST_F(RemitTest, MedicareWoReferenceWithAFullClaimControlNumber) {
  Post("medicare-wo.835", WoReferencing("2226012345678901234", "C000000012"));
  EXPECT_EQ(Val(ledger_->PaymentAdjustments())[0].claim_id, "C000000012");
  EXPECT_TRUE(OpenItems("remit-unmatched").empty());
}

// The beneficiary's number in positions 20-39 (no Patient Control Number): the claim is found by
// the payer claim number in positions 1-19.
TEST_F(RemitTest, MedicareWoReferenceFoundByThePayerClaimNumberInPositions1To19) {
  PostFixture("ours-277ca.x12");  // C000000012's payer claim number: 26006000001
  Post("medicare-wo.835", WoReferencing("26006000001", "1EG4TE5MK73"));
  EXPECT_EQ(Val(ledger_->PaymentAdjustments())[0].claim_id, "C000000012");
  EXPECT_TRUE(OpenItems("remit-unmatched").empty());
}

// Positions 1-19 and 20-39 naming two different claims of ours: not guessed, a person decides,
// told which two and what to do.
TEST_F(RemitTest, WoReferenceNamingTwoClaimsIsUnmatched) {
  Post("two-claims-wo.835", WoReferencing("C000000021", "C000000012"));
  EXPECT_EQ(Val(ledger_->PaymentAdjustments())[0].claim_id, "");
  const std::vector<WorkItem> items = OpenItems("remit-unmatched");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_NE(items[0].detail.find("PLB WO: Overpayment Recovery) of 60.00 names two claims of ours, C000000012 "
                                 "(positions 20-39 of its reference) and C000000021 (positions 1-19)"),
            std::string::npos)
      << items[0].detail;
  EXPECT_EQ(items[0].next_step.rfind("Find which of the two claims the demand letter is about. Medicare took back", 0),
            0u)
      << items[0].next_step;
  EXPECT_EQ(items[0].amount, Money::Cents(6000));
}

// A WO naming a claim this ledger did not write: the item says so, with the WO's next step.
TEST_F(RemitTest, WoNamingAClaimNotOursIsUnmatchedWithItsNextStep) {
  Post("foreign-wo.835", WoReferencing("", "X999"));
  const std::vector<WorkItem> items = OpenItems("remit-unmatched");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_NE(items[0].detail.find("names claim X999, which this ledger did not write"),
            std::string::npos)
      << items[0].detail;
  EXPECT_EQ(items[0].next_step.rfind("Medicare took back an overpayment", 0), 0u) << items[0].next_step;
}

TEST_F(RemitTest, TheSameFileTwiceChangesNothing) {
  PostFixture("ours-277ca.x12");
  PostFixture("ours-835-deductible.x12");
  const size_t events = EventCount();
  const size_t items = Val(ledger_->Items(std::nullopt)).size();
  const FileOutcome again = PostFixture("ours-835-deductible.x12");
  const FileOutcome again277 = PostFixture("ours-277ca.x12");
  EXPECT_EQ(again.known, 1);
  EXPECT_EQ(again.recorded, 0);
  EXPECT_EQ(again277.known, 1);
  EXPECT_EQ(EventCount(), events);
  EXPECT_EQ(Val(ledger_->Items(std::nullopt)).size(), items);
  EXPECT_EQ(Account("C000000021").paid, Money::Cents(15000));
}

TEST_F(RemitTest, APaymentSentAgainInAnotherEnvelopeIsNeverPostedTwice) {
  Post("first.835", FirstPaymentOfC12());
  const FileOutcome again = Post("first-resent.835", FirstPaymentOfC12("000009999", "9999"));
  EXPECT_EQ(again.known, 1);
  EXPECT_EQ(Account("C000000012").paid, Money::Cents(24000));
}

TEST_F(RemitTest, ThePaymentTraceAgainWithOtherAmountsIsAConflictNotApplied) {
  Post("first.835", FirstPaymentOfC12());
  const FileOutcome other = Post("changed.835", FirstPaymentOfC12("000009998", "9998", "250"));
  EXPECT_EQ(other.conflicts, 1);
  EXPECT_EQ(other.claim_events, 0);
  EXPECT_EQ(Account("C000000012").paid, Money::Cents(24000));
  ASSERT_EQ(OpenItems("remit-unmatched").size(), 1u);
  EXPECT_EQ(OpenItems("remit-unmatched")[0].reason, "conflict");
}

TEST_F(RemitTest, ATruncatedFileIsRefusedWholeNamingTheSegmentAndOpensOneItem) {
  const std::string whole = Fixture("x12/ours-835-deductible.x12");
  const std::string cut = whole.substr(0, whole.find("CAS*CO*45"));
  const FileOutcome out = Post("cut.835", cut);
  EXPECT_FALSE(out.refused.ok());
  EXPECT_NE(out.refused.message().find("segment"), std::string::npos);
  EXPECT_EQ(EventCount(), 0u);
  EXPECT_TRUE(Val(ledger_->Responses()).empty());
  EXPECT_EQ(OpenItems("remit-unreadable").size(), 1u);
  Post("cut.835", cut);
  EXPECT_EQ(OpenItems("remit-unreadable").size(), 1u);
}

TEST_F(RemitTest, TwoInterchangesInOneFileAreBothPosted) {
  const FileOutcome out =
      Post("both.x12", Fixture("x12/ours-999-accepted.x12") + Fixture("x12/ours-835-deductible.x12"));
  EXPECT_EQ(out.transactions, 2);
  EXPECT_EQ(out.recorded, 2);
  EXPECT_EQ(Account("C000000021").status, "partially_paid");
  EXPECT_EQ(Account("C000000013").history.back().event, "acknowledged");
}

TEST_F(RemitTest, APaymentForAClaimThisLedgerDidNotWriteIsUnmatchedWithItsAmount) {
  std::string bytes = Fixture("x12/ours-835-deductible.x12");
  bytes.replace(bytes.find("C000000021"), 10, "C000000099");
  const FileOutcome out = Post("theirs.835", bytes);
  EXPECT_EQ(out.unmatched, 1);
  EXPECT_EQ(out.claim_events, 0);
  const std::vector<WorkItem> items = OpenItems("remit-unmatched");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].amount, Money::Cents(15000));
}

TEST_F(RemitTest, APaymentNamingAnotherMemberIdIsNotPostedToTheClaim) {
  std::string bytes = Fixture("x12/ours-835-deductible.x12");
  bytes.replace(bytes.find("1EG4TE5MK73"), 11, "9ZZ9ZZ9ZZ99");
  const FileOutcome out = Post("other-member.835", bytes);
  EXPECT_EQ(out.unmatched, 1);
  EXPECT_EQ(Account("C000000021").status, "written");
}

TEST_F(RemitTest, AClaimAcceptedAfterItsRejectionEndsTheRejectionsItem) {
  PostFixture("ours-999-rejected.x12");
  ASSERT_EQ(OpenItems("claim-rejected").size(), 2u);
  PostFixture("ours-277ca.x12");  // accepts C000000012, rejects C000000013 again
  const std::vector<WorkItem> open = OpenItems("claim-rejected");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].code, "C000000013");
}

TEST_F(RemitTest, ThirdPartySamplesReadAndNameNoClaimOfOurs) {
  for (const char* name : {"imsweb-x12_999_accepted.iea-fixed.txt", "imsweb-x12_277CA_accepted.date-fixed.txt",
                           "lfh-managed-care.bpr16-fixed.835", "lfh-secondary-payment.bpr16-isa16-fixed.835"}) {
    const FileOutcome out = Post(name, Fixture(std::string("x12-samples/derived/") + name));
    EXPECT_TRUE(out.refused.ok()) << name << ": " << out.refused.message();
    EXPECT_EQ(out.claim_events, 0) << name;
    EXPECT_GT(out.unmatched, 0) << name;
  }
}

}  // namespace
}  // namespace otp::testing
