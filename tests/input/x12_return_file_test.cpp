// ReadReturnFile (x12_return_file.h): one file holding interchanges of every kind, each with
// its own separators, read whole with each transaction's origin; or refused whole.
#include "input/x12_return_file.h"

#include <gtest/gtest.h>

#include "input/x12_test_util.h"

namespace otp {
namespace {

using testing::Fixture;

// `x12` with '|' between elements, '>' between components and CRLF after each terminator.
std::string OtherSeparators(const std::string& x12) {
  std::string out;
  for (char c : x12) {
    if (c == '*')
      out += '|';
    else if (c == ':')
      out += '>';
    else if (c == '\n')
      out += "\r\n";
    else
      out += c;
  }
  return out;
}

TEST(X12ReturnFile, ReadsEveryKindInAnyOrderWithItsOrigin) {
  std::string file = OtherSeparators(Fixture("x12/ours-835-deductible.x12")) + Fixture("x12/ours-277ca.x12") +
                     Fixture("x12/ours-999-rejected.x12") + Fixture("x12/ours-835-reversal.x12");
  auto r = ReadReturnFile(file);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->size(), 4u);
  ASSERT_EQ(r->remits.size(), 2u);
  EXPECT_EQ(r->remits[0].origin.interchange_control, "000005001");
  EXPECT_EQ(r->remits[0].origin.group_control, "5001");
  EXPECT_EQ(r->remits[0].origin.transaction_control, "0001");
  EXPECT_EQ(r->remits[0].origin.sender_id, "01112");
  EXPECT_EQ(r->remits[0].origin.usage, 'T');
  EXPECT_EQ(r->remits[0].origin.st_ordinal, 3);
  EXPECT_EQ(r->remits[0].value.claims.at(0).lines.at(0).procedure.code, "G2067");  // read with '>'
  EXPECT_EQ(r->remits[1].origin.interchange_control, "000005004");
  EXPECT_TRUE(r->remits[1].value.claims.at(0).IsReversal());
  ASSERT_EQ(r->claim_acks.size(), 1u);
  EXPECT_EQ(r->claim_acks[0].origin.interchange_control, "000000777");
  EXPECT_EQ(r->claim_acks[0].value.batches.at(0).claims.size(), 2u);
  ASSERT_EQ(r->acks.size(), 1u);
  EXPECT_EQ(r->acks[0].value.group_control, "12");
}

TEST(X12ReturnFile, OneBadTransactionRefusesTheWholeFile) {
  // The second interchange's BPR is the 32nd segment of the file (the first has 28).
  auto r = ReadReturnFile(Fixture("x12/ours-835-deductible.x12") + Fixture("x12/ours-835-unbalanced.x12"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "segment 32 (BPR): BPR02 160.00 is not the claims' CLP04 150.00 less the PLB adjustments 0.00 = "
            "150.00 (835 transaction balancing)");
}

TEST(X12ReturnFile, AnUnknownTransactionRefusesTheWholeFile) {
  testing::Envelope claim;
  claim.functional_id = "HC";
  claim.transaction = "837";
  claim.version = "005010X222A1";
  claim.isa13 = "000000102";
  auto r = ReadReturnFile(Fixture("x12/ours-999-accepted.x12") + testing::Interchange({"BHT*0019"}, claim));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().substr(0, 40), "segment 13 (ST): transaction ST01 837 in");
}

TEST(X12ReturnFile, AFileWithoutTransactionsIsRefused) {
  std::string isa = Fixture("x12/ours-999-accepted.x12").substr(0, 107);
  auto r = ReadReturnFile(isa + "IEA*0*000000501~\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "the file holds no transaction (no ST)");
}

}  // namespace
}  // namespace otp
