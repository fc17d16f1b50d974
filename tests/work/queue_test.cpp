// The work queue (work/queue.h): one item per cause across nights, ended by the data that
// resolves it or by a person who closes it, and exit 3 only for what a night opened.
#include "work/queue.h"

#include <gtest/gtest.h>

#include "ledger/sqlite_db.h"
#include "rules/rulebook.h"
#include "scratch_dir.h"
#include "status_helpers.h"

namespace otp {
namespace {

const RuleBook& Rules() {
  static const RuleBook rules = Val(RuleBook::Load(OTP_SOURCE_DIR "/codes"));
  return rules;
}

// The five weeks of P000054 in the demo: a week held for its diagnosis (CL-3).
Hold HeldWeek(const char* start, const std::string& code = "G2067", int64_t cents = 28754) {
  Hold h{"F1", "P1", D(start), "no-oud-diagnosis", "diagnosis on file F1020", code, {"R-" + std::string(start)}};
  h.finding = "CL-3|F1|P1|F1020";
  h.amount = Money::Cents(cents);
  h.week = D(start);
  return h;
}

// A methadone dose of P1 at F1.
ServiceRecord Dose(const std::string& id, const char* date) {
  ServiceRecord r;
  r.record_id = id;
  r.facility_id = "F1";
  r.patient_id = "P1";
  r.service_date = D(date);
  r.content_hash = "h" + id;
  return r;
}

Finding AFinding(const std::string& rule, const std::string& key, const std::string& patient = "P1") {
  Finding f;
  f.rule_id = rule;
  f.facility_id = "F1";
  f.patient_id = patient;
  f.date = D("2026-10-01");
  f.detail = rule + " detail";
  f.key = key;
  return f;
}

class QueueTest : public ::testing::Test {
 protected:
  void SetUp() override { ledger_ = Val(Ledger::Create((scratch_.path() / "q.db").string())); }

  // One night as of `as_of`: a run, then the queue updated with what it raised.
  QueueChange Night(const char* as_of, std::vector<Hold> holds, std::vector<Finding> findings = {},
                    std::vector<Reject> rejects = {}, std::vector<Hold> unheld = {}) {
    Ok(ledger_->Begin());
    run_ = Val(ledger_->StartRun(D(as_of), 0, false, ""));
    const NightWork work{MergeHolds(std::move(holds)), std::move(findings), std::move(rejects), "patients.csv", {"F1"},
                         std::move(unheld)};
    const QueueChange change = Val(UpdateQueue(*ledger_, work, Rules(), run_, D(as_of)));
    Ok(ledger_->Commit());
    return change;
  }
  std::vector<WorkItem> Open() { return Val(ledger_->Items(ItemState::kOpen)); }
  WorkItem Item(int64_t id) { return Val(ledger_->FindItem(id)).value(); }

  ScratchDir scratch_{"otp-queue"};
  std::unique_ptr<Ledger> ledger_;
  int64_t run_ = 0;
};

TEST(MergeHolds, AHeldWeekIsOneHoldWithItsLinesAmountsSummed) {
  Hold bundle = HeldWeek("2026-09-30");
  Hold addon = HeldWeek("2026-09-30", "G2080", 2000);
  addon.record_ids = {"R-counseling"};
  const std::vector<Hold> merged = MergeHolds({bundle, addon, HeldWeek("2026-10-07")});
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].code, "G2067");  // named by its bundle
  EXPECT_EQ(merged[0].amount->cents(), 30754);
  EXPECT_EQ(merged[0].record_ids, (std::vector<std::string>{"R-2026-09-30", "R-counseling"}));
}

TEST(ItemOf, AHoldSaysWhatFixesItInPlainWords) {
  const WorkItem w = ItemOfHold(HeldWeek("2026-09-30"), Rules());
  EXPECT_EQ(w.kind, "hold");
  EXPECT_NE(w.next_step.find("diagnosis"), std::string::npos) << w.next_step;
  EXPECT_EQ(w.amount->ToString(), "287.54");
  EXPECT_TRUE(w.renews);
}

TEST(ItemOf, EveryHoldReasonAndFindingRuleHasItsOwnNextStep) {
  const std::string fallback = ItemOfFinding(AFinding("NO-SUCH-RULE", "k"), Rules()).next_step;
  // The findings no hold stands for (those of a hold are worked as the hold).
  for (const char* rule : {"PG-1", "PG-2", "PA-1", "PA-2", "PA-3", "PA-4", "PA-5", "PA-6", "PA-7", "PA-8", "RT-1",
                           "BU-4-overlap", "TH-1-cap"})
    EXPECT_NE(ItemOfFinding(AFinding(rule, "k"), Rules()).next_step, fallback) << rule;
  for (const char* reason : {"no-oud-diagnosis", "late-record", "intake-repeat", "addon-without-bundle", "no-price",
                             "record-changed", "duplicate-beneficiary"}) {
    Hold h = HeldWeek("2026-09-30");
    h.reason = reason;
    EXPECT_NE(ItemOfHold(h, Rules()).next_step, fallback) << reason;
  }
}

TEST_F(QueueTest, AHoldSeenOnManyNightsIsOneItemAndAttentionOnlyTheFirstNight) {
  const QueueChange first = Night("2026-11-10", {HeldWeek("2026-09-30"), HeldWeek("2026-10-07")});
  EXPECT_EQ(first.opened, 2);
  EXPECT_EQ(first.opened_for_attention, 2);
  const QueueChange second = Night("2026-11-11", {HeldWeek("2026-09-30"), HeldWeek("2026-10-07")});
  EXPECT_EQ(second.opened, 0);
  EXPECT_EQ(second.opened_for_attention, 0);
  EXPECT_EQ(second.open_now, 2);
  ASSERT_EQ(Open().size(), 2u);
  EXPECT_EQ(Open()[0].seen_run, run_);
  EXPECT_EQ(Open()[0].opened_on, D("2026-11-10"));
}

TEST_F(QueueTest, CL3_AHeldWeekDecidedAgainAndNotHeldIsResolvedAndOneNotDecidedStaysOpen) {
  Night("2026-11-10", {HeldWeek("2026-09-30"), HeldWeek("2026-10-07")});
  EXPECT_EQ(Night("2026-11-11", {}).resolved, 0);  // nothing changed: not decided again
  EXPECT_EQ(Open().size(), 2u);
  Hold billed = HeldWeek("2026-09-30");
  billed.reason = "billed";
  Hold billed2 = HeldWeek("2026-10-07");
  billed2.reason = "billed";
  const QueueChange fixed = Night("2026-11-12", {}, {}, {}, {billed, billed2});  // the diagnosis was corrected
  EXPECT_EQ(fixed.resolved, 2);
  EXPECT_TRUE(Open().empty());
  const WorkItem w = Item(1);
  EXPECT_EQ(w.state, ItemState::kResolved);
  EXPECT_EQ(w.ended_on, D("2026-11-12"));
}

TEST_F(QueueTest, AFindingThatSaysWhyAWeekIsHeldIsWorkedAsTheHold) {
  Night("2026-11-10", {HeldWeek("2026-09-30")}, {AFinding("CL-3", "CL-3|F1|P1|F1020")});
  ASSERT_EQ(Open().size(), 1u);
  EXPECT_EQ(Open()[0].kind, "hold");
}

TEST_F(QueueTest, PG1_ACredentialFindingEndsWhenTheNightNoLongerRaisesItButPA1StaysForAPerson) {
  Night("2026-11-10", {}, {AFinding("PG-1", "PG-1|F1|dea", ""), AFinding("PA-1", "PA-1|F1|P1")});
  EXPECT_EQ(Open().size(), 2u);
  Night("2026-11-11", {});  // the DEA registration was renewed in facility.xml
  ASSERT_EQ(Open().size(), 1u);
  EXPECT_EQ(Open()[0].reason, "PA-1");
}

TEST_F(QueueTest, ARejectedRowEndsWhenItsCorrectedRecordIsRead) {
  const Reject bad{"services.csv", 12, "service_date", "not a real date", "R9", "F1", "R9,F1,P1,2026-02-30"};
  const QueueChange first = Night("2026-11-10", {}, {}, {bad});
  EXPECT_EQ(first.opened_for_attention, 1);
  EXPECT_EQ(Night("2026-11-11", {}, {}, {bad}).opened_for_attention, 0);  // sent again, still bad
  ASSERT_EQ(Open().size(), 1u);
  // The next night reads the corrected row.
  Ok(ledger_->Begin());
  const int64_t run = Val(ledger_->StartRun(D("2026-11-12"), 0, false, ""));
  Val(ledger_->OfferRow(Dose("R9", "2026-10-01"), run));
  const QueueChange change =
      Val(UpdateQueue(*ledger_, {{}, {}, {}, "patients.csv", {"F1"}, {}}, Rules(), run, D("2026-11-12")));
  Ok(ledger_->Commit());
  EXPECT_EQ(change.resolved, 1);
  EXPECT_TRUE(Open().empty());
}

TEST_F(QueueTest, AFacilityMissingTonightDecidesNothingAboutItsItems) {
  Night("2026-11-10", {HeldWeek("2026-09-30")});
  Ok(ledger_->Begin());
  const int64_t run = Val(ledger_->StartRun(D("2026-11-11"), 0, false, ""));
  Val(UpdateQueue(*ledger_, {{}, {}, {}, "patients.csv", {"F2"}, {}}, Rules(), run, D("2026-11-11")));
  Ok(ledger_->Commit());
  EXPECT_EQ(Open().size(), 1u);
}

TEST_F(QueueTest, ClosingKeepsWhoWhenAndWhyAndTheCauseStaysClosed) {
  Night("2026-11-10", {}, {AFinding("PA-1", "PA-1|F1|P1")});
  Ok(CloseWorkItem(*ledger_, 1, "J. Rivera", "exam done 10-20, chart updated", 1794276000));
  const WorkItem w = Item(1);
  EXPECT_EQ(w.state, ItemState::kClosed);
  EXPECT_EQ(w.ended_by, "J. Rivera");
  EXPECT_EQ(w.note, "exam done 10-20, chart updated");
  EXPECT_EQ(w.ended_at, UtcStamp(1794276000));
  const QueueChange again = Night("2026-11-11", {}, {AFinding("PA-1", "PA-1|F1|P1")});
  EXPECT_EQ(again.opened, 0);
  EXPECT_TRUE(Open().empty());
}

TEST_F(QueueTest, ClosingRefusesAnUnknownItemAClosedOneAndAnEmptyNote) {
  Night("2026-11-10", {}, {AFinding("PA-1", "PA-1|F1|P1")});
  EXPECT_EQ(CloseWorkItem(*ledger_, 99, "J", "n", 0).code(), StatusCode::kNotFound);
  EXPECT_EQ(CloseWorkItem(*ledger_, 1, "J", "", 0).code(), StatusCode::kInvalidArgument);
  Ok(CloseWorkItem(*ledger_, 1, "J", "n", 0));
  EXPECT_EQ(CloseWorkItem(*ledger_, 1, "J", "n", 0).code(), StatusCode::kInvalidArgument);
}

TEST_F(QueueTest, ClosingAHeldWeekWritesItOffSoNoNightDecidesItAgain) {
  Night("2026-11-10", {HeldWeek("2026-09-30")});
  Ok(ledger_->Begin());
  const int64_t run = Val(ledger_->StartRun(D("2026-11-10"), 0, false, ""));
  Ok(ledger_->AddEpisodes({{"F1", "P1", D("2026-09-30"), D("2026-10-06"), "", "held", "no-oud-diagnosis"}}, run));
  Val(ledger_->OfferRow(Dose("R-2026-09-30", "2026-09-30"), run));
  Ok(ledger_->Commit());
  Ok(CloseWorkItem(*ledger_, 1, "billing lead", "patient not OUD; not billable", 0));
  sql::Stmt episode(ledger_->db(), "SELECT status FROM episodes");
  ASSERT_TRUE(episode.Step());
  EXPECT_EQ(episode.Text(0), "closed");
  Ok(episode.Done());
  sql::Stmt status(ledger_->db(), "SELECT status FROM service_rows");
  ASSERT_TRUE(status.Step());
  EXPECT_EQ(status.Text(0), "held");
  Ok(status.Done());
}

TEST(AgeDays, CountsFromTheNightThatOpenedIt) {
  WorkItem w;
  w.opened_on = D("2026-11-10");
  EXPECT_EQ(AgeDays(w, D("2026-11-10")), 0);
  EXPECT_EQ(AgeDays(w, D("2026-11-24")), 14);
  EXPECT_EQ(AgeDays(w, D("2026-11-01")), 0);
}

TEST(ParseItemId, AcceptsTheShownFormAnyCaseAndPlainNumbers) {
  EXPECT_EQ(ParseItemId("W000123"), 123);
  EXPECT_EQ(ParseItemId("w123"), 123);
  EXPECT_EQ(ParseItemId("123"), 123);
  EXPECT_FALSE(ParseItemId("X12"));
  EXPECT_FALSE(ParseItemId(""));
  EXPECT_EQ(ItemId(123), "W000123");
}

}  // namespace
}  // namespace otp
