// The 999 reader (ack_999.h): the imsweb samples, our own acknowledgments, and every order,
// code and count error it refuses.
#include "input/ack_999.h"

#include <gtest/gtest.h>

#include "input/x12_test_util.h"

namespace otp {
namespace {

using testing::Envelope999;
using testing::Fixture;
using testing::Interchange;
using testing::OnlyTransaction;

Result<Ack999> Read(const std::vector<std::string>& body) {
  return Read999(OnlyTransaction(Interchange(body, Envelope999())));
}

std::string ErrorOf(const std::vector<std::string>& body) {
  auto r = Read(body);
  EXPECT_FALSE(r.ok()) << "accepted";
  return r.ok() ? "" : r.status().message();
}

TEST(Ack999, ImswebRejectedSampleIsReadAsSent) {
  // ISA16 is '|' here: IK401-style composites would split on it, not on ':'.
  auto r = Read999(OnlyTransaction(Fixture("x12-samples/imsweb-x12_999_rejected.txt")));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->functional_id, "HC");
  EXPECT_EQ(r->group_control, "28");
  EXPECT_EQ(r->version, "005010X223A2");
  ASSERT_EQ(r->transactions.size(), 1u);
  const Ack999Transaction& t = r->transactions[0];
  EXPECT_EQ(t.transaction_id, "837");
  EXPECT_EQ(t.control, "0028");
  EXPECT_EQ(t.version, "");
  EXPECT_EQ(t.status, 'R');
  EXPECT_FALSE(t.Accepted());
  EXPECT_EQ(t.error_codes, std::vector<std::string>{"5"});
  ASSERT_EQ(t.errors.size(), 1u);
  EXPECT_EQ(t.errors[0].segment_id, "NM");
  EXPECT_EQ(t.errors[0].position, 17);
  EXPECT_EQ(t.errors[0].loop_id, "");
  EXPECT_EQ(t.errors[0].error_code, "1");
  EXPECT_TRUE(t.errors[0].elements.empty());
  EXPECT_EQ(r->group_status, 'R');
  EXPECT_FALSE(r->GroupAccepted());
  EXPECT_EQ(r->included, 1);
  EXPECT_EQ(r->received, 1);
  EXPECT_EQ(r->accepted, 0);
}

TEST(Ack999, ImswebAcceptedSampleIsRefusedForItsIea02) {
  auto r = ReadX12(Fixture("x12-samples/imsweb-x12_999_accepted.txt"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "segment 10 (IEA): IEA02 does not match ISA13 000000286");
}

TEST(Ack999, ImswebAcceptedSampleWithIea02MendedIsRead) {
  auto r = Read999(OnlyTransaction(Fixture("x12-samples/derived/imsweb-x12_999_accepted.iea-fixed.txt")));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->functional_id, "HC");
  EXPECT_EQ(r->group_control, "17456");
  ASSERT_EQ(r->transactions.size(), 1u);
  EXPECT_EQ(r->transactions[0].control, "0001");
  EXPECT_EQ(r->transactions[0].version, "005010X223A2");
  EXPECT_EQ(r->transactions[0].status, 'A');
  EXPECT_TRUE(r->transactions[0].Accepted());
  EXPECT_TRUE(r->transactions[0].errors.empty());
  EXPECT_EQ(r->group_status, 'A');
  EXPECT_TRUE(r->GroupAccepted());
  EXPECT_EQ(r->accepted, 1);
}

TEST(Ack999, OurAcceptanceNamesTheGroupAndTransactionWeSent) {
  auto r = Read999(OnlyTransaction(Fixture("x12/ours-999-accepted.x12")));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->group_control, "12");  // the GS06 of our 837
  EXPECT_EQ(r->version, "005010X222A1");
  EXPECT_EQ(r->transactions.at(0).control, "0001");  // its ST02
  EXPECT_TRUE(r->transactions.at(0).Accepted());
}

TEST(Ack999, OurRejectionCarriesTheSegmentElementAndClaimInError) {
  auto r = Read999(OnlyTransaction(Fixture("x12/ours-999-rejected.x12")));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Ack999Transaction& t = r->transactions.at(0);
  EXPECT_EQ(t.status, 'R');
  ASSERT_EQ(t.errors.size(), 1u);
  const Ack999SegmentError& e = t.errors[0];
  EXPECT_EQ(e.segment_id, "CLM");
  EXPECT_EQ(e.position, 23);
  EXPECT_EQ(e.loop_id, "2300");
  EXPECT_EQ(e.error_code, "8");
  ASSERT_EQ(e.contexts.size(), 1u);
  EXPECT_EQ(e.contexts[0].name, "CLM01");
  EXPECT_EQ(e.contexts[0].reference, "C000000013");
  ASSERT_EQ(e.elements.size(), 1u);
  EXPECT_EQ(e.elements[0].position, 5);
  EXPECT_EQ(e.elements[0].component, 3);
  EXPECT_EQ(e.elements[0].repetition, 0);
  EXPECT_EQ(e.elements[0].element_reference, "1325");
  EXPECT_EQ(e.elements[0].error_code, "7");
  EXPECT_EQ(e.elements[0].bad_value, "9");
  EXPECT_EQ(r->group_status, 'R');
}

TEST(Ack999, PartialAcceptanceKeepsEachTransactionsStatus) {
  auto r = Read({"AK1*HC*12*005010X222A1", "AK2*837*0001", "IK5*E*I5", "AK2*837*0002", "IK3*SV1*40**8",
                 "IK4*2*782*6", "CTX*SITUATIONAL TRIGGER*SV1*40**2", "IK5*R*5", "AK9*P*2*2*1"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->transactions.size(), 2u);
  EXPECT_TRUE(r->transactions[0].Accepted());  // E: accepted, errors noted
  EXPECT_EQ(r->transactions[0].error_codes, std::vector<std::string>{"I5"});
  EXPECT_FALSE(r->transactions[1].Accepted());
  ASSERT_EQ(r->transactions[1].errors.at(0).elements.size(), 1u);
  EXPECT_EQ(r->transactions[1].errors[0].elements[0].contexts.at(0).name, "SITUATIONAL TRIGGER");
  EXPECT_EQ(r->group_status, 'P');
}

TEST(Ack999, Ak904MustCountTheAcceptedAk2Loops) {
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK2*837*0001", "IK5*A", "AK2*837*0002", "IK5*R", "AK9*P*2*2*2"}),
            "segment 9 (AK9): AK904 is 2 but 1 of the AK2 loops are accepted (IK5 A or E)");
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK9*A*1*1*2"}),
            "segment 5 (AK9): AK904 (accepted) is more than AK903 (received)");
  // Without an AK2 for every transaction received, the count cannot be checked against them.
  EXPECT_TRUE(Read({"AK1*HC*12", "AK9*A*2*2*2"}).ok());
}

TEST(Ack999, SegmentsOutOfOrderAreRefused) {
  EXPECT_EQ(ErrorOf({"AK2*837*0001", "IK5*A", "AK9*A*1*1*1"}), "segment 4 (AK2): AK2 before AK1");
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK2*837*0001", "AK2*837*0002", "IK5*A", "AK9*A*2*2*1"}),
            "segment 6 (AK2): AK2 before the IK5 that ends the previous AK2");
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK2*837*0001", "IK4*2**7", "IK5*R", "AK9*R*1*1*0"}),
            "segment 6 (IK4): IK4 outside an IK3 loop");
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "IK3*NM1*4**8", "AK9*R*1*1*0"}),
            "segment 5 (IK3): IK3 outside an AK2 loop");
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK2*837*0001", "IK5*A", "AK9*A*1*1*1", "IK5*A"}),
            "segment 8 (IK5): a segment after AK9, which ends the 999");
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK2*837*0001", "IK5*A"}),
            "segment 3 (ST): the 999 has no AK9 (or an AK2 without IK5)");
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK2*837*0001", "AK9*R*1*1*0"}),
            "segment 6 (AK9): AK9 before the IK5 that ends the last AK2");
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK5*A", "AK9*A*1*1*1"}),
            "segment 5 (AK5): not a segment of the 999 (005010X231A1)");
}

TEST(Ack999, CodesAndNumbersAreChecked) {
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK2*837*0001", "IK5*Q", "AK9*R*1*1*0"}),
            "segment 6 (IK5): IK501 is not one of A, E, M, R, W, X");
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK9*Z*1*1*0"}),
            "segment 5 (AK9): AK901 is not one of A, E, M, P, R, W, X");
  EXPECT_EQ(ErrorOf({"AK1*HC*1X", "AK9*A*1*1*1"}), "segment 4 (AK1): AK102 is not a whole number");
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK9*A*1*one*1"}), "segment 5 (AK9): AK903 is not a whole number");
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK2*837", "IK5*A", "AK9*A*1*1*1"}), "segment 5 (AK2): AK202 is required");
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK2*837*0001", "IK3*NM1*four", "IK5*R", "AK9*R*1*1*0"}),
            "segment 6 (IK3): IK302 is not a whole number");
  EXPECT_EQ(ErrorOf({"AK1*HC*12", "AK2*837*0001", "IK3*NM1*4", "IK4*x:1**7", "IK5*R", "AK9*R*1*1*0"}),
            "segment 7 (IK4): IK401-1 is not a whole number");
}

}  // namespace
}  // namespace otp
