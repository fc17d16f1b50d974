// The 277CA reader (claim_status_277ca.h): the imsweb samples, our own acknowledgment with an
// accepted claim, a rejected claim and a rejected line, the category classification, and the
// HL tree and loop errors it refuses.
#include "input/claim_status_277ca.h"

#include <gtest/gtest.h>

#include "input/x12_test_util.h"

namespace otp {
namespace {

using testing::Envelope277CA;
using testing::Fixture;
using testing::Interchange;
using testing::OnlyTransaction;

Date D(const char* iso) { return *Date::Parse(iso); }
Money M(const char* text) { return *Money::Parse(text); }

// A minimal 277CA around the patient level `claim`.
std::vector<std::string> Tree(const std::vector<std::string>& claim) {
  std::vector<std::string> body = {"BHT*0085*08*R1*20260106*0800*TH",
                                   "HL*1**20*1",
                                   "NM1*PR*2*PAYER*****PI*01112",
                                   "TRN*1*T1",
                                   "HL*2*1*21*1",
                                   "NM1*41*2*SUBMITTER*****46*SUB12345",
                                   "TRN*2*000000012",
                                   "STC*A1:19*20260106*WQ*300",
                                   "HL*3*2*19*1",
                                   "NM1*85*2*CLINIC*****XX*1234567893",
                                   "HL*4*3*PT",
                                   "NM1*QC*1*DOE*JANE****MI*1EG4TE5MK73"};
  body.insert(body.end(), claim.begin(), claim.end());
  return body;
}

std::string ErrorOf(const std::vector<std::string>& body) {
  auto r = Read277CA(OnlyTransaction(Interchange(body, Envelope277CA())));
  EXPECT_FALSE(r.ok()) << "accepted";
  return r.ok() ? "" : r.status().message();
}

TEST(ClaimStatus, ImswebRejectedSampleIsARejectedClaim) {
  auto r = Read277CA(OnlyTransaction(Fixture("x12-samples/imsweb-x12_277CA_rejected.txt")));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->reference, "3920394930203");
  EXPECT_EQ(r->created, D("2011-03-11"));
  EXPECT_EQ(r->payer_name, "NYSDOH");
  EXPECT_EQ(r->payer_id, "141797357");
  EXPECT_EQ(r->received, D("2011-03-11"));
  EXPECT_EQ(r->processed, D("2011-03-11"));
  ASSERT_EQ(r->batches.size(), 1u);
  const ClaimStatus277Batch& b = r->batches[0];
  EXPECT_EQ(b.receiver_id, "ETIN");
  EXPECT_EQ(b.batch_id, "11200001");
  ASSERT_EQ(b.statuses.size(), 1u);
  EXPECT_EQ(b.statuses[0].status.category, "A1");
  EXPECT_EQ(b.statuses[0].Outcome(), AckOutcome::kReceived);
  EXPECT_EQ(b.accepted_count, 1);
  EXPECT_EQ(b.accepted_amount, M("199.14"));
  ASSERT_EQ(b.claims.size(), 1u);
  const ClaimStatus277Claim& c = b.claims[0];
  EXPECT_EQ(c.claim_id, "3920394930203");
  EXPECT_EQ(c.billing_provider_id, "123456789");
  ASSERT_EQ(c.statuses.size(), 1u);
  // STC01 is A7|562|85 here: ISA16 is '|'.
  EXPECT_EQ(c.statuses[0].status.category, "A7");
  EXPECT_EQ(c.statuses[0].status.code, "562");
  EXPECT_EQ(c.statuses[0].status.entity, "85");
  EXPECT_EQ(c.statuses[0].date, D("2011-03-11"));
  EXPECT_EQ(c.statuses[0].action, "WQ");
  EXPECT_EQ(c.statuses[0].amount, M("199.14"));
  EXPECT_EQ(c.Outcome(), AckOutcome::kRejected);
  EXPECT_EQ(c.payer_claim_number, "1107000000001120");
  EXPECT_EQ(c.clearinghouse_trace, "");
  EXPECT_EQ(c.service_from, D("2009-03-11"));
  EXPECT_EQ(c.service_to, D("2009-03-11"));
  EXPECT_TRUE(c.lines.empty());
}

TEST(ClaimStatus, ImswebAcceptedSampleIsRefusedForItsServiceDateInTheYear1001) {
  auto r = Read277CA(OnlyTransaction(Fixture("x12-samples/imsweb-x12_277CA_accepted.txt")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "segment 24 (DTP): DTP03 is not a real date CCYYMMDD in 1900-9999");
}

TEST(ClaimStatus, ImswebAcceptedSampleWithItsDateMendedIsAnAcceptedClaim) {
  auto r =
      Read277CA(OnlyTransaction(Fixture("x12-samples/derived/imsweb-x12_277CA_accepted.date-fixed.txt")));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->reference, "000000674");
  const ClaimStatus277Batch& b = r->batches.at(0);
  EXPECT_EQ(b.batch_id, "000000674");
  EXPECT_EQ(b.statuses.at(0).amount, M("125"));  // sent as 125.0
  const ClaimStatus277Claim& c = b.claims.at(0);
  EXPECT_EQ(c.claim_id, "5781");
  EXPECT_EQ(c.billing_provider_id, "1234567890");
  EXPECT_EQ(c.statuses.at(0).status.category, "A2");
  EXPECT_EQ(c.statuses.at(0).status.code, "20");
  EXPECT_EQ(c.statuses.at(0).status.entity, "");
  EXPECT_EQ(c.Outcome(), AckOutcome::kAccepted);
  EXPECT_EQ(c.payer_claim_number, "1107000000014420");
  EXPECT_EQ(c.service_from, D("2011-03-01"));
}

TEST(ClaimStatus, OursTiesTheBatchToBht03AndEachClaimToClm01) {
  auto r = Read277CA(OnlyTransaction(Fixture("x12/ours-277ca.x12")));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->batches.size(), 1u);
  const ClaimStatus277Batch& b = r->batches[0];
  EXPECT_EQ(b.batch_id, "000000012");  // BHT03 of our interchange 12
  EXPECT_EQ(b.receiver_id, "SUB12345");
  EXPECT_EQ(b.accepted_count, 1);
  EXPECT_EQ(b.rejected_count, 1);
  EXPECT_EQ(b.accepted_amount, M("300"));
  EXPECT_EQ(b.rejected_amount, M("300"));
  ASSERT_EQ(b.claims.size(), 2u);

  const ClaimStatus277Claim& ok = b.claims[0];
  EXPECT_EQ(ok.claim_id, "C000000012");
  EXPECT_EQ(ok.billing_provider_id, "1234567893");
  EXPECT_EQ(ok.Outcome(), AckOutcome::kAccepted);
  EXPECT_EQ(ok.payer_claim_number, "26006000001");
  EXPECT_EQ(ok.service_from, D("2026-01-05"));
  EXPECT_EQ(ok.service_to, D("2026-01-11"));

  const ClaimStatus277Claim& bad = b.claims[1];
  EXPECT_EQ(bad.claim_id, "C000000013");
  EXPECT_EQ(bad.Outcome(), AckOutcome::kRejected);
  ASSERT_EQ(bad.statuses.size(), 1u);
  EXPECT_EQ(bad.statuses[0].action, "U");
  ASSERT_EQ(bad.statuses[0].more.size(), 1u);  // STC10
  EXPECT_EQ(bad.statuses[0].more[0].code, "454");
  EXPECT_EQ(bad.payer_claim_number, "");
  EXPECT_EQ(bad.clearinghouse_trace, "CH0000013");
  ASSERT_EQ(bad.lines.size(), 1u);
  const ServiceLineStatus277& l = bad.lines[0];
  EXPECT_EQ(l.procedure.qualifier, "HC");
  EXPECT_EQ(l.procedure.code, "G2067");
  EXPECT_EQ(l.charge, M("300"));
  EXPECT_EQ(l.units->thousandths, 1000);
  EXPECT_EQ(l.line_control_number, "1");
  EXPECT_EQ(l.service_from, D("2026-01-05"));
  EXPECT_EQ(l.Outcome(), AckOutcome::kRejected);
  EXPECT_FALSE(l.statuses.at(0).date.has_value());
}

TEST(ClaimStatus, CategoriesFollowTheClaimStatusCategoryCodeList) {
  EXPECT_EQ(ClassifyCategory("A0"), AckOutcome::kReceived);
  EXPECT_EQ(ClassifyCategory("A1"), AckOutcome::kReceived);
  EXPECT_EQ(ClassifyCategory("A2"), AckOutcome::kAccepted);
  EXPECT_EQ(ClassifyCategory("A5"), AckOutcome::kAccepted);
  for (const char* c : {"A3", "A4", "A6", "A7", "A8"})
    EXPECT_EQ(ClassifyCategory(c), AckOutcome::kRejected) << c;
  for (const char* c : {"P1", "F1", "E0", "", "a2"}) EXPECT_EQ(ClassifyCategory(c), AckOutcome::kOther) << c;
}

TEST(ClaimStatus, ARejectionInAnyStatusMakesTheClaimRejected) {
  auto r = Read277CA(OnlyTransaction(Interchange(
      Tree({"TRN*2*C1", "STC*A2:20*20260106*WQ*300", "STC*A1:19*20260106*WQ*300******A2:20*A7:21"}),
      Envelope277CA())));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto& c = r->batches[0].claims[0];
  EXPECT_EQ(c.statuses[0].Outcome(), AckOutcome::kAccepted);
  EXPECT_EQ(c.statuses[1].Outcome(), AckOutcome::kRejected);  // by its STC11
  EXPECT_EQ(c.Outcome(), AckOutcome::kRejected);
}

TEST(ClaimStatus, SeveralClaimsUnderOnePatientAndPatientsUnderOneProvider) {
  auto body = Tree({"TRN*2*C1", "STC*A2:20*20260106*WQ*300", "TRN*2*C2", "STC*A3:21*20260106*U*300"});
  body.insert(body.end(), {"HL*5*3*PT", "NM1*QC*1*ROE*RICHARD****MI*2EG4TE5MK74", "TRN*2*C3",
                           "STC*A2:20*20260106*WQ*300"});
  auto r = Read277CA(OnlyTransaction(Interchange(body, Envelope277CA())));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto& claims = r->batches.at(0).claims;
  ASSERT_EQ(claims.size(), 3u);
  EXPECT_EQ(claims[1].claim_id, "C2");
  EXPECT_EQ(claims[1].Outcome(), AckOutcome::kRejected);
  EXPECT_EQ(claims[2].claim_id, "C3");
  EXPECT_EQ(claims[2].billing_provider_id, "1234567893");
}

TEST(ClaimStatus, TheHlTreeMustBeWellFormed) {
  auto body = Tree({"TRN*2*C1", "STC*A2:20*20260106*WQ*300"});
  auto with = [&](size_t index, const std::string& hl) {
    auto b = body;
    b[index] = hl;
    return ErrorOf(b);
  };
  EXPECT_EQ(with(10, "HL*4*2*PT"),
            "segment 14 (HL): HL02 does not name an earlier HL one level up (20, 21, 19, PT)");
  EXPECT_EQ(with(10, "HL*4*9*PT"),
            "segment 14 (HL): HL02 does not name an earlier HL one level up (20, 21, 19, PT)");
  EXPECT_EQ(with(10, "HL*3*3*PT"), "segment 14 (HL): HL01 repeats an earlier HL01");
  EXPECT_EQ(with(10, "HL*4*3*22"), "segment 14 (HL): HL03 is not 20, 21, 19 or PT");
  EXPECT_EQ(with(1, "HL*1*1*20*1"),
            "segment 5 (HL): HL02 does not name an earlier HL one level up (20, 21, 19, PT)");
}

TEST(ClaimStatus, EveryBatchAndClaimNeedsItsTraceAndStatus) {
  EXPECT_EQ(ErrorOf(Tree({"TRN*2*C1", "REF*1K*X"})), "segment 16 (TRN): claim C1 has no STC");
  EXPECT_EQ(ErrorOf(Tree({})), "segment 14 (HL): the patient level has no claim (TRN)");
  EXPECT_EQ(ErrorOf(Tree({"STC*A2:20*20260106*WQ*300"})),
            "segment 16 (STC): not a segment of the 277CA (005010X214) in the patient (HL PT) before its "
            "claim's TRN");
  auto body = Tree({"TRN*2*C1", "STC*A2:20*20260106*WQ*300"});
  body.erase(body.begin() + 7);  // the batch's STC
  EXPECT_EQ(ErrorOf(body), "segment 8 (HL): the information receiver has no TRN or no STC");
  EXPECT_EQ(ErrorOf(Tree({"TRN*2*C1", "STC*A2:20*20260106*WQ*300", "SVC*HC:G2067*300", "REF*FJ*1"})),
            "segment 18 (SVC): the service line has no STC");
  EXPECT_EQ(ErrorOf({"BHT*0085*08*R1*20260106*0800*TH"}),
            "segment 3 (ST): the 277CA has no BHT or no information receiver (HL 21)");
  EXPECT_EQ(ErrorOf({"HL*1**20*1"}), "segment 4 (HL): the 277CA must begin with BHT");
}

TEST(ClaimStatus, StatusCodesAmountsAndDatesAreChecked) {
  EXPECT_EQ(ErrorOf(Tree({"TRN*2*C1", "STC*A2*20260106*WQ*300"})),
            "segment 17 (STC): STC01 needs a category (-1) and a status code (-2)");
  EXPECT_EQ(ErrorOf(Tree({"TRN*2*C1", "STC*A2:20*20260106*OK*300"})),
            "segment 17 (STC): STC03 is not one of WQ, U");
  EXPECT_EQ(ErrorOf(Tree({"TRN*2*C1", "STC*A2:20*20260106*WQ*3,00"})),
            "segment 17 (STC): STC04 is not an amount in dollars and cents");
  EXPECT_EQ(ErrorOf(Tree({"TRN*2*C1", "STC*A2:20*20260231*WQ*300"})),
            "segment 17 (STC): STC02 is not a real date CCYYMMDD in 1900-9999");
  EXPECT_EQ(ErrorOf(Tree({"TRN*2*C1", "STC*A2:20*20260106*WQ*300", "DTP*472*RD8*20260111-20260105"})),
            "segment 18 (DTP): DTP03 is not a period CCYYMMDD-CCYYMMDD of real dates, first to last");
  EXPECT_EQ(ErrorOf(Tree({"TRN*1*C1", "STC*A2:20*20260106*WQ*300"})),
            "segment 16 (TRN): TRN01 is not one of 2");
  auto body = Tree({"TRN*2*C1", "STC*A2:20*20260106*WQ*300"});
  body.insert(body.begin() + 4, "DTP*050*D8");
  EXPECT_EQ(ErrorOf(body), "segment 8 (DTP): DTP03 (a date) is required");
  EXPECT_EQ(ErrorOf(Tree({"TRN*2*C1", "STC*A2:20*20260106*WQ*300", "CLP*C1*1*1*1"})),
            "segment 18 (CLP): not a segment of the 277CA (005010X214) in the claim (2200D)");
}

TEST(ClaimStatus, ErrorsDoNotQuoteThePatient) {
  // The patient's name slides into STC03 when an element is lost: the message names STC03 only.
  std::string err = ErrorOf(Tree({"TRN*2*C1", "STC*A7:21*20260106*DOE*300"}));
  EXPECT_NE(err.find("STC03"), std::string::npos) << err;
  EXPECT_EQ(err.find("DOE"), std::string::npos) << err;
}

}  // namespace
}  // namespace otp
