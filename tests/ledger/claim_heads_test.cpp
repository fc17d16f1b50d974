// Reading claims back for their accounts: heads without lines, the events of many claims at
// once, and what a night's claims still have outstanding (ClaimBalances) read through the
// claims of the nights in a window only.
#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "ledger/sqlite_db.h"
#include "scratch_dir.h"
#include "status_helpers.h"

namespace otp {
namespace {

ClaimLine Line(const char* dos, int64_t cents) {
  ClaimLine l;
  l.code = "G2067";
  l.dos = D(dos);
  l.unit_price = l.charge = Money::Cents(cents);
  l.episode_start = l.dos;
  return l;
}

ClaimEvent Event(const std::string& claim, const std::string& response, const char* source, const char* event,
                 const char* date, int64_t charge = 0, int64_t paid = 0) {
  ClaimEvent e;
  e.claim_id = claim;
  e.response = response;
  e.event = event;
  e.source = source;
  e.date = D(date);
  e.charge = Money::Cents(charge);
  e.paid = Money::Cents(paid);
  if (charge != paid) e.adjustments = {{1, "CO", "253", Money::Cents(charge - paid)}};
  return e;
}

// C1 written by a night of 2025-10-01; C2 … C5 by one of 2026-10-20 (C2 paid in full, C3
// accepted, C4 nothing back, C5 paid then reversed); C6 by 2026-11-10, billed again as C7.
class ClaimHeads : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = Val(Ledger::Create((dir_.path() / "t.db").string()));
    Ok(ledger_->Begin());
    const int64_t old_night = Val(ledger_->StartRun(D("2025-10-01"), 0, false, ""));
    const int64_t night = Val(ledger_->StartRun(D("2026-10-20"), 0, false, ""));
    const int64_t later = Val(ledger_->StartRun(D("2026-11-10"), 0, false, ""));
    Ok(ledger_->AddClaim({"C1", "F1", "P1", "F1120", {Line("2025-09-01", 10000)}}, old_night, 1, nullptr));
    for (const char* id : {"C2", "C3", "C4", "C5"})
      Ok(ledger_->AddClaim({id, "F1", "P1", "F1120", {Line("2026-10-12", 20000), Line("2026-10-05", 5000)}}, night, 2,
                           nullptr));
    Ok(ledger_->AddClaim({"C6", "F2", "P2", "F1120", {Line("2026-11-02", 7000)}}, later, 3, nullptr));
    Ok(ledger_->AddInterchange({2, "F1", "/out/2026-10-20/F1-000000002.837", "", 2, "000000002", "0001"}, night));
    Val(ledger_->AddClaimEvent(Event("C2", "999|a", "999", "acknowledged", "2026-10-21")));
    Val(ledger_->AddClaimEvent(Event("C2", "835|p|T1", "835", "paid", "2026-11-05", 25000, 24500)));
    Val(ledger_->AddClaimEvent(Event("C3", "277CA|b", "277CA", "accepted", "2026-10-22")));
    Val(ledger_->AddClaimEvent(Event("C5", "835|p|T1", "835", "paid", "2026-11-05", 25000, 24500)));
    Val(ledger_->AddClaimEvent(Event("C5", "835|p|T2", "835", "reversed", "2026-11-20", -25000, -24500)));
    Val(ledger_->AddResubmission({"C6", "A. Chen", "2026-11-12T10:00:00Z", "", 0}));
    Ok(ledger_->HandOverClaim("C6", "C7", later));
    Ok(ledger_->Commit());
  }

  ScratchDir dir_{"otp-heads"};
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(ClaimHeads, HeadsInTheOrderAskedWithoutUnknownIds) {
  const std::vector<ClaimHead> h = Val(ledger_->ClaimHeads({"C3", "nope", "C1"}));
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].claim_id, "C3");
  EXPECT_EQ(h[0].written_on, D("2026-10-20"));
  EXPECT_EQ(h[0].first_dos, D("2026-10-05")) << "the earliest line, whatever its place";
  EXPECT_EQ(h[0].billed, Money::Cents(25000));
  EXPECT_EQ(h[0].path, "/out/2026-10-20/F1-000000002.837");
  EXPECT_EQ(h[1].claim_id, "C1");
  EXPECT_EQ(h[1].path, "") << "no interchange stored for it";
  const std::vector<ClaimHead> period = Val(ledger_->ClaimHeadsBetween(D("2026-10-01"), D("2026-10-31")));
  ASSERT_EQ(period.size(), 4u);
  EXPECT_EQ(period.front().claim_id, "C2");
  EXPECT_EQ(period.back().claim_id, "C5");
}

TEST_F(ClaimHeads, EventsOfManyClaimsByClaimAsAskedThenDate) {
  const std::vector<ClaimEvent> e = Val(ledger_->EventsOfClaims({"C5", "C2", "C4"}));
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].claim_id, "C5");
  EXPECT_EQ(e[1].event, "reversed");
  EXPECT_EQ(e[2].claim_id, "C2");
  EXPECT_EQ(e[2].source, "999");
  ASSERT_EQ(e[3].adjustments.size(), 1u);
  EXPECT_EQ(e[3].adjustments[0].amount, Money::Cents(500));
}

TEST_F(ClaimHeads, BalancesOfTheNightsInTheWindowOnly) {
  const std::vector<ClaimBalance> b = Val(ledger_->ClaimBalances(D("2025-11-10"), D("2026-11-10")));
  ASSERT_EQ(b.size(), 5u) << "C2 … C6: not C1, written by a night before the window";
  EXPECT_EQ(b[0].claim_id, "C2");
  EXPECT_EQ(b[0].outstanding, Money()) << "paid 245.00, adjusted 5.00";
  EXPECT_EQ(b[0].last_event, D("2026-11-05"));
  EXPECT_EQ(b[1].outstanding, Money::Cents(25000)) << "C3: accepted, nothing paid";
  EXPECT_EQ(b[2].outstanding, Money::Cents(25000));
  EXPECT_EQ(b[2].last_event, std::nullopt) << "C4: nothing came back";
  EXPECT_EQ(b[3].outstanding, Money::Cents(25000)) << "C5: its payment reversed";
  EXPECT_EQ(b[3].last_event, D("2026-11-20"));
  EXPECT_TRUE(b[4].resubmitted);
  EXPECT_FALSE(b[0].resubmitted);
}

TEST_F(ClaimHeads, TheNightsClaimsAreFoundThroughAnIndexAndAFreshLedgerHasNoEvents) {
  sql::Stmt plan(ledger_->db(), "EXPLAIN QUERY PLAN SELECT claim_id FROM claims WHERE run_id IN (1, 2)");
  std::string said;
  while (plan.Step()) said += plan.Text(3) + "\n";
  Ok(plan.Done());
  EXPECT_NE(said.find("claims_by_run"), std::string::npos) << said;
  EXPECT_TRUE(Val(ledger_->HasClaimEvents()));
  ScratchDir other{"otp-heads-fresh"};
  auto fresh = Val(Ledger::Create((other.path() / "f.db").string()));
  EXPECT_FALSE(Val(fresh->HasClaimEvents()));
}

}  // namespace
}  // namespace otp
