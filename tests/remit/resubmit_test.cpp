// `resubmit` asks for a rejected claim only (remit/resubmit.h).
#include <gtest/gtest.h>

#include "remit/resubmit.h"
#include "remit_fixture.h"

namespace otp::testing {
namespace {

TEST_F(RemitTest, ResubmitIsAskedOnceForARejectedClaimInAnyCase) {
  PostFixture("ours-277ca.x12");
  EXPECT_TRUE(Val(AskResubmission(*ledger_, "c000000013", "Dana", 1769400000)));
  EXPECT_FALSE(Val(AskResubmission(*ledger_, "C000000013", "Dana", 1769400000)));
  const std::vector<Resubmission> pending = Val(ledger_->Resubmissions(true));
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].claim_id, "C000000013");
  EXPECT_EQ(pending[0].by, "Dana");
}

TEST_F(RemitTest, ResubmitRefusesAClaimThatIsNotRejected) {
  PostFixture("ours-277ca.x12");
  const Result<bool> accepted = AskResubmission(*ledger_, "C000000012", "Dana", 1769400000);
  EXPECT_EQ(accepted.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(accepted.status().message().find("accepted"), std::string::npos);
  EXPECT_EQ(AskResubmission(*ledger_, "C000000099", "Dana", 1769400000).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(AskResubmission(*ledger_, "C000000013", "", 1769400000).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Val(ledger_->Resubmissions(true)).empty());
}

TEST_F(RemitTest, AClaimBilledAgainHandsItsSourcesToTheNewClaimAndIsResubmitted) {
  PostFixture("ours-277ca.x12");
  Val(AskResubmission(*ledger_, "C000000013", "Dana", 1769400000));
  Ok(ledger_->Begin());
  Ok(ledger_->HandOverClaim("C000000013", "C000000040", run_));
  Ok(ledger_->Commit());
  EXPECT_EQ(Account("C000000013").status, "resubmitted");
  EXPECT_EQ(Account("C000000013").replaced_by, "C000000040");
  EXPECT_EQ(Account("C000000013").Outstanding(), Money());
  EXPECT_TRUE(Val(ledger_->ClaimIdsOfRecord("R-C000000013")).empty());
}

}  // namespace
}  // namespace otp::testing
