// HistoryBook: billing's view of each patient's past, read once a night from a real ledger —
// the latest episode end (CL-7's late records), the intakes and overdose medications billed
// (AD-1, AD-4: the lines KeptInHistory keeps by patient), and the coverage windows (BU-4),
// read back only as far as the night's rows can need them.
#include "night/history_book.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "billing/coverage.h"
#include "billing/engine.h"
#include "ledger/ledger.h"
#include "rules/rulebook.h"
#include "scratch_dir.h"
#include "status_helpers.h"
#include "synth/prng.h"

namespace otp {
namespace {

// The real codes/ (which codes are intakes and overdose medications), loaded once.
const RuleBook& Rules() {
  static const RuleBook* book = new RuleBook(Val(RuleBook::Load(std::string(OTP_SOURCE_DIR) + "/codes")));
  return *book;
}
// The lines billing keeps by patient, as the night stores its claims.
bool Kept(const ClaimLine& line) { return KeptInHistory(line, Rules()); }

Claim OneLineClaim(const std::string& id, const std::string& pid, const std::string& code, const char* dos) {
  Claim c;
  c.claim_id = id;
  c.facility_id = "F1";
  c.patient_id = pid;
  c.diagnosis = "F1120";
  ClaimLine l;
  l.code = code;
  l.dos = D(dos);
  l.unit_price = l.charge = Money::Cents(27729);
  l.rule_id = "BU-2";
  l.source_record_ids = {"R-" + id};
  l.episode_start = D(dos);
  c.lines.push_back(l);
  return c;
}

std::vector<std::string> SourcesOf(const std::vector<CoverageWindow>& windows) {
  std::vector<std::string> ids;
  for (const auto& w : windows) ids.push_back(w.source_record_id);
  return ids;
}

// The code of the window covering each day in [from, to], as billing sees it (WindowSet merges
// overlapping windows and keeps the first one's code), "-" for a day not covered: each run of
// days as "code xdays".
std::string CoverageCodes(const std::vector<CoverageWindow>& windows, Date from, Date to) {
  billing::WindowSet set;
  for (const auto& w : windows) set.Add(w.from, w.to, w.code);
  std::string out, last;
  int run = 0;
  for (Date d = from; d <= to + 1; d = d + 1) {
    const std::string* code = set.Covering(d);
    const std::string now = d > to ? "" : code ? *code : "-";
    if (run > 0 && now != last) {
      out += last + " x" + std::to_string(run) + (d > to ? "" : ", ");
      run = 0;
    }
    last = now;
    ++run;
  }
  return out;
}

// A ledger in a scratch folder, a night's transaction and run begun.
class HistoryBookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = Val(Ledger::Create((scratch_.path() / "t.db").string()));
    Ok(ledger_->Begin());
    run_ = Val(ledger_->StartRun(D("2026-09-30"), 0, false, ""));
  }
  void TearDown() override {
    ledger_->Rollback();
    ledger_.reset();
  }
  void AddWindow(const char* fid, const char* pid, const char* from, const char* to, const char* code,
                 const char* record) {
    Ok(ledger_->AddWindow({fid, pid, D(from), D(to), code, record}, run_));
  }
  ScratchDir scratch_{"otp-history-book"};  // outlives ledger_
  std::unique_ptr<Ledger> ledger_;
  int64_t run_ = 0;
};

// Each patient's history is its own: P1's latest episode end (not P2's later one), its window,
// its intake; P2's naloxone; nothing for a patient or facility the ledger has no history of.
// A bundle line is not history (KeptInHistory keeps intakes and overdose medications only).
TEST_F(HistoryBookTest, HistoryRemembersEpisodesWindowsIntakes) {
  auto episode = [](const char* pid, const char* start, const char* end) {
    return Episode{"F1", pid, D(start), D(end), "G2067", "billed", ""};
  };
  Ok(ledger_->AddEpisodes({episode("P1", "2026-09-01", "2026-09-07")}, run_));
  Ok(ledger_->AddEpisodes({episode("P1", "2026-08-01", "2026-08-07")}, run_));
  Ok(ledger_->AddEpisodes({episode("P2", "2026-09-20", "2026-09-26")}, run_));
  AddWindow("F1", "P1", "2026-09-02", "2026-09-29", "G2069", "R9");
  Claim intake = OneLineClaim("C1", "P1", "G2076", "2026-09-01");
  intake.lines.push_back(OneLineClaim("C1", "P1", "G2067", "2026-09-01").lines[0]);
  intake.lines[1].source_record_ids = {"R2"};
  Ok(ledger_->AddClaim(intake, run_, 1, Kept));
  Ok(ledger_->AddClaim(OneLineClaim("C2", "P2", "G2215", "2026-09-03"), run_, 1, Kept));
  EXPECT_EQ(Val(ledger_->PatientLines()).size(), 2u);  // the intake and the naloxone

  HistoryBook book = Val(HistoryBook::Read(*ledger_, Rules()));
  const PatientHistory p1 = Val(book.Of("F1", "P1", D("2026-09-01"))).billing;
  ASSERT_TRUE(p1.last_episode_end.has_value());
  EXPECT_EQ(p1.last_episode_end->Iso(), "2026-09-07");
  EXPECT_EQ(SourcesOf(p1.windows), std::vector<std::string>{"R9"});
  EXPECT_EQ(p1.intakes_billed, std::vector<Date>{D("2026-09-01")});
  EXPECT_TRUE(p1.overdose_billed.empty());
  const PatientHistory p2 = Val(book.Of("F1", "P2", D("2026-09-01"))).billing;
  EXPECT_EQ(p2.last_episode_end, D("2026-09-26"));
  EXPECT_TRUE(p2.windows.empty());
  EXPECT_TRUE(p2.intakes_billed.empty());
  ASSERT_EQ(p2.overdose_billed.size(), 1u);
  EXPECT_EQ(p2.overdose_billed.at("G2215"), std::vector<Date>{D("2026-09-03")});
  for (const auto& [fid, pid] : {std::pair{"F1", "P3"}, std::pair{"F2", "P1"}}) {
    const PatientHistory none = Val(book.Of(fid, pid, D("2026-09-01"))).billing;
    EXPECT_FALSE(none.last_episode_end.has_value()) << fid << "/" << pid;
    EXPECT_TRUE(none.windows.empty() && none.intakes_billed.empty() && none.overdose_billed.empty());
  }
}

TEST_F(HistoryBookTest, BU4_TheBookReadsTheWindowsThatCanCoverTheNightsRows) {
  // P1's: A and B overlap (merged, A's code kept), C and D stand alone.
  AddWindow("F1", "P1", "2026-01-01", "2026-01-28", "G2069", "RA");
  AddWindow("F1", "P1", "2026-05-01", "2026-05-28", "G2069", "RD");
  AddWindow("F1", "P1", "2026-01-25", "2026-02-21", "G2073", "RB");
  AddWindow("F1", "P1", "2026-03-01", "2026-03-07", "G2078", "RC");
  AddWindow("F1", "P2", "2026-01-10", "2026-01-16", "G2078", "RE");
  AddWindow("F2", "P1", "2026-05-20", "2026-06-16", "G2069", "RG");
  HistoryBook book = Val(HistoryBook::Read(*ledger_, Rules()));
  auto windows = [&](const char* fid, const char* pid, const char* from) {
    return SourcesOf(Val(book.Of(fid, pid, D(from))).billing.windows);
  };
  // The windows that end before the date asked for are left out...
  EXPECT_EQ(windows("F1", "P1", "2026-05-10"), (std::vector<std::string>{"RD"}));
  EXPECT_EQ(windows("F1", "P1", "2026-03-05"), (std::vector<std::string>{"RC", "RD"}));
  // ...but not one that a window kept overlaps: B ends after 02-10 and starts inside A.
  const PatientHistory p1 = Val(book.Of("F1", "P1", D("2026-02-10"))).billing;
  EXPECT_EQ(SourcesOf(p1.windows), (std::vector<std::string>{"RA", "RB", "RC", "RD"}));
  const std::vector<CoverageWindow> all = Val(ledger_->WindowsOf("F1", "P1"));
  EXPECT_EQ(SourcesOf(p1.windows), SourcesOf(all));
  EXPECT_EQ(CoverageCodes(p1.windows, D("2026-02-20"), D("2026-02-23")), "G2069 x2, - x2");
  // Each patient and facility its own; from before every window: every window, in order.
  EXPECT_EQ(windows("F1", "P2", "2026-01-12"), (std::vector<std::string>{"RE"}));
  EXPECT_TRUE(windows("F1", "P2", "2026-01-17").empty());
  EXPECT_EQ(windows("F2", "P1", "2026-01-01"), (std::vector<std::string>{"RG"}));
  EXPECT_EQ(windows("F1", "P1", "2000-01-01"), SourcesOf(all));
}

// A book made while the ledger held no window looks for none: a window stored after it was
// made is not seen (a book made after it is).
TEST_F(HistoryBookTest, BU4_ABookOfALedgerWithoutWindowsLooksForNone) {
  HistoryBook empty = Val(HistoryBook::Read(*ledger_, Rules()));
  AddWindow("F1", "P1", "2026-05-01", "2026-05-28", "G2069", "RA");
  EXPECT_TRUE(Val(empty.Of("F1", "P1", D("2026-01-01"))).billing.windows.empty());
  HistoryBook after = Val(HistoryBook::Read(*ledger_, Rules()));
  EXPECT_EQ(SourcesOf(Val(after.Of("F1", "P1", D("2026-01-01"))).billing.windows), std::vector<std::string>{"RA"});
}

TEST_F(HistoryBookTest, BU4_WhatTheBookLeavesOutNeverChangesADaysCoverage) {
  // Random windows (1 to 28 days, one in ten 182; one in five starting on the day the one
  // before started; five codes) for 200 patients; each patient asked for once, from a random
  // date, in an order that moves the book's reach back and forth. From that date on billing
  // must see the same coverage, code for code, as with every window, before and after it adds
  // a window of its own (which starts on or after that date).
  synth::Rng rng(20261201);  // the same draws with every standard library
  const Date year = D("2026-01-01");
  const char* codes[] = {"G2069", "G2073", "G0533", "G2078", "G2079"};
  auto window = [&](const std::string& pid, Date from, int record) {
    const int days = rng.Below(10) == 0 ? 182 : rng.Between(1, 28);
    return CoverageWindow{"F1", pid, from, from + (days - 1), codes[rng.Below(5)], "R" + std::to_string(record)};
  };
  int record = 0;
  for (int p = 0; p < 200; ++p) {
    Date from;
    for (int n = rng.Between(0, 16), i = 0; i < n; ++i) {
      if (i == 0 || rng.Below(5) != 0) from = year + rng.Between(0, 330);
      Ok(ledger_->AddWindow(window("P" + std::to_string(p), from, ++record), run_));
    }
  }
  HistoryBook book = Val(HistoryBook::Read(*ledger_, Rules()));
  size_t left_out = 0;
  for (int p = 0; p < 200; ++p) {
    const std::string pid = "P" + std::to_string(p);
    const Date from = year + rng.Between(0, 364);
    std::vector<CoverageWindow> some = Val(book.Of("F1", pid, from)).billing.windows;
    std::vector<CoverageWindow> all = Val(ledger_->WindowsOf("F1", pid));
    left_out += all.size() - some.size();
    EXPECT_EQ(CoverageCodes(some, from, year + 540), CoverageCodes(all, from, year + 540))
        << pid << " from " << from.Iso();
    const CoverageWindow added = window(pid, from + rng.Between(0, 20), ++record);
    some.push_back(added);
    all.push_back(added);
    EXPECT_EQ(CoverageCodes(some, from, year + 540), CoverageCodes(all, from, year + 540))
        << pid << " from " << from.Iso() << " with " << added.from.Iso() << ".." << added.to.Iso();
  }
  EXPECT_GT(left_out, 200u);  // the book did leave windows out
}

}  // namespace
}  // namespace otp
