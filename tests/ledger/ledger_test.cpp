// The ledger's once-only guarantees (CL-7), row states across nights, counters and the lock.
#include "ledger/ledger.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "billing/coverage.h"
#include "ledger/sqlite_db.h"
#include "synth/prng.h"
#include "scratch_dir.h"

namespace otp {
namespace {

// The first value `q` gives on `db`, as text; empty without a row.
std::string FirstValue(sql::Db& db, const std::string& q) {
  sql::Stmt s(db, q);
  return s.Step() ? s.Text(0) : "";
}

// The file at `path` opened as another program (an earlier binary, the sqlite3 shell) would open
// it; null, with a failure recorded, if it would not open.
std::unique_ptr<sql::Db> OpenFile(const std::string& path) {
  auto db = sql::Db::Open(path);
  EXPECT_TRUE(db.ok());
  return std::unique_ptr<sql::Db>(db.ok() ? db.value() : nullptr);
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (scratch_.path() / "t.db").string();
    auto l = Ledger::Open(path_);
    ASSERT_TRUE(l.ok()) << l.status().message();
    ledger_ = std::move(l.value());
  }
  void TearDown() override { ledger_.reset(); }
  // Closes the ledger, runs `sql` on its file (to make it look as an earlier version left it)
  // and opens it again: the upgrade runs. ledger_ is null if the file would not open.
  void ReopenAfter(const std::string& sql) {
    ledger_.reset();
    {
      auto d = OpenFile(path_);
      ASSERT_TRUE(d);
      d->Exec(sql);
    }
    auto l = Ledger::Open(path_);
    ASSERT_TRUE(l.ok()) << l.status().message();
    ledger_ = std::move(l.value());
  }
  // Makes the file look as schema `version` left it (`sql`, then the version in meta), opens it
  // again and says whether the upgrade ran to this version.
  bool UpgradedFrom(int version, const std::string& sql) {
    ReopenAfter(sql + "; UPDATE meta SET value = '" + std::to_string(version) + "' WHERE key = 'schema_version'");
    return ledger_ &&
           One("SELECT value FROM meta WHERE key = 'schema_version'") == std::to_string(Ledger::kSchemaVersion);
  }
  // A patient of F1 in tonight's care, admitted 2026-09-01, through 09-30, PA-6 judged; judged
  // before through `judged_through` on the same basis (the selective read), or else whole.
  static Ledger::CarePatient Care(const char* pid, const char* judged_through = nullptr) {
    Ledger::CarePatient c;
    c.facility_id = "F1";
    c.patient_id = pid;
    c.from = *Date::Parse("2026-09-01");
    c.to = *Date::Parse("2026-09-30");
    c.first_dose_day = true;
    c.whole = judged_through == nullptr;
    if (judged_through) c.judged_through = *Date::Parse(judged_through);
    return c;
  }
  // The first value `q` gives on the ledger, as text.
  std::string One(const std::string& q) { return FirstValue(ledger_->db(), q); }
  static ServiceRecord Row(const std::string& id, const std::string& hash) {
    ServiceRecord r;
    r.facility_id = "F1";
    r.patient_id = "P1";
    r.record_id = id;
    r.service_date = *Date::Parse("2026-09-01");
    r.service = Service::kMethadoneDose;
    r.quantity = 60;
    r.content_hash = hash;
    return r;
  }
  // Row `id` (P1 of F1) of `service` on `date`.
  static ServiceRecord RowOn(const std::string& id, const char* date, Service service = Service::kMethadoneDose) {
    ServiceRecord r = Row(id, "h" + id);
    r.service_date = *Date::Parse(date);
    r.service = service;
    return r;
  }
  static Claim OneLineClaim(const std::string& id, const std::string& record) {
    Claim c;
    c.claim_id = id;
    c.facility_id = "F1";
    c.patient_id = "P1";
    c.diagnosis = "F1120";
    ClaimLine l;
    l.code = "G2067";
    l.dos = *Date::Parse("2026-09-01");
    l.unit_price = l.charge = Money::Cents(27729);
    l.rule_id = "BU-2";
    l.source_record_ids = {record};
    c.lines.push_back(l);
    return c;
  }
  ScratchDir scratch_{"otp-ledger"};  // outlives ledger_
  std::string path_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(LedgerTest, LedgerFileIsPrivate) {
  struct stat st{};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(LedgerTest, CL7_RowStatesAcrossNights) {
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-10"), 0, false, "");
  EXPECT_EQ(ledger_->OfferRow(Row("R1", "h1"), run), RowState::kNew);
  EXPECT_EQ(ledger_->OfferRow(Row("R1", "h1"), run), RowState::kOpen);
  EXPECT_EQ(ledger_->OfferRow(Row("R1", "h2"), run), RowState::kChangedOpen);
  EXPECT_EQ(ledger_->OpenRows().size(), 1u);
  EXPECT_EQ(ledger_->OpenRows()[0].content_hash, "h2");
  ledger_->SetOutcome("F1", "R1", "billed", "", run);
  EXPECT_EQ(ledger_->OfferRow(Row("R1", "h2"), run), RowState::kAlreadyDecided);
  EXPECT_EQ(ledger_->OfferRow(Row("R1", "h3"), run), RowState::kChangedDecided);
  // The same change sent again the next night is not held a second time; a further change is.
  EXPECT_EQ(ledger_->OfferRow(Row("R1", "h3"), run), RowState::kAlreadyDecided);
  EXPECT_EQ(ledger_->OfferRow(Row("R1", "h4"), run), RowState::kChangedDecided);
  EXPECT_TRUE(ledger_->OpenRows().empty());
  ledger_->Commit();
}

TEST_F(LedgerTest, CL7_SameRowCannotFeedTheSameCodeTwice) {
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-10"), 0, false, "");
  ledger_->AddClaim(OneLineClaim("C1", "R1"), run, 1);
  EXPECT_THROW(ledger_->AddClaim(OneLineClaim("C2", "R1"), run, 1), sql::Error);
  ledger_->Rollback();
}

TEST_F(LedgerTest, CL7_EpisodeIsDecidedOnce) {
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-10"), 0, false, "");
  Episode e{"F1", "P1", *Date::Parse("2026-09-01"), *Date::Parse("2026-09-07"), "G2067", "billed", ""};
  ledger_->AddEpisodes({e}, run);
  EXPECT_THROW(ledger_->AddEpisodes({e}, run), sql::Error);
  ledger_->Rollback();
}

TEST_F(LedgerTest, FindingsAreRaisedOncePerKey) {
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-10"), 0, false, "");
  Finding f;
  f.rule_id = "PA-1";
  f.key = "F1|P1|PA-1|2026-09-14";
  f.date = *Date::Parse("2026-09-14");
  EXPECT_TRUE(ledger_->AddFinding(f, run));
  EXPECT_FALSE(ledger_->AddFinding(f, run));
  EXPECT_EQ(ledger_->FindingsBetween(*Date::Parse("2026-09-01"), *Date::Parse("2026-09-30")).size(), 1u);
  ledger_->Commit();
}

TEST_F(LedgerTest, CountersNeverRepeatAndRollBackWithTheRun) {
  ledger_->Begin();
  EXPECT_EQ(ledger_->NextCounter("interchange"), 1);
  EXPECT_EQ(ledger_->NextCounter("interchange"), 2);
  EXPECT_EQ(ledger_->NextCounter("claim"), 1);
  ledger_->Commit();
  ledger_->Begin();
  EXPECT_EQ(ledger_->NextCounter("interchange"), 3);
  ledger_->Rollback();  // a failed run gives its numbers back: the retry reuses them
  ledger_->Begin();
  EXPECT_EQ(ledger_->NextCounter("interchange"), 3);
  ledger_->Commit();
}

TEST_F(LedgerTest, HistoryRemembersEpisodesWindowsIntakes) {
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-10"), 0, false, "");
  ledger_->AddEpisodes({{"F1", "P1", *Date::Parse("2026-09-01"), *Date::Parse("2026-09-07"),
                       "G2067", "billed", ""}}, run);
  ledger_->AddEpisodes({{"F1", "P1", *Date::Parse("2026-08-01"), *Date::Parse("2026-08-07"),
                       "G2067", "billed", ""}}, run);
  ledger_->AddEpisodes({{"F1", "P2", *Date::Parse("2026-09-20"), *Date::Parse("2026-09-26"),
                       "G2067", "billed", ""}}, run);
  ledger_->AddWindow({"F1", "P1", *Date::Parse("2026-09-02"), *Date::Parse("2026-09-29"), "G2069", "R9"}, run);
  Claim c = OneLineClaim("C1", "R1");
  c.lines[0].code = "G2076";
  ledger_->AddClaim(c, run, 1);
  Claim naloxone = OneLineClaim("C2", "R2");  // P2's overdose code: not P1's history
  naloxone.patient_id = "P2";
  naloxone.lines[0].code = "G2215";
  ledger_->AddClaim(naloxone, run, 1);
  PatientHistory h = ledger_->History("F1", "P1");
  ASSERT_TRUE(h.last_episode_end);  // the latest of P1's, not P2's
  EXPECT_EQ(h.last_episode_end->Iso(), "2026-09-07");
  EXPECT_FALSE(ledger_->History("F1", "P3").last_episode_end);
  // Read through a book (the night's pass): the same history.
  Ledger::HistoryBook book = ledger_->ReadHistoryBook();
  for (const char* pid : {"P1", "P2", "P3"}) {
    PatientHistory a = ledger_->History("F1", pid), b = ledger_->History("F1", pid, &book);
    EXPECT_EQ(a.last_episode_end, b.last_episode_end) << pid;
    EXPECT_EQ(a.windows.size(), b.windows.size()) << pid;
    EXPECT_EQ(a.intakes_billed, b.intakes_billed) << pid;
    EXPECT_EQ(a.overdose_billed, b.overdose_billed) << pid;
  }
  EXPECT_EQ(ledger_->History("F1", "P1", &book).windows.size(), 1u);
  EXPECT_EQ(ledger_->History("F1", "P1", &book).intakes_billed.size(), 1u);
  EXPECT_TRUE(ledger_->History("F1", "P1", &book).overdose_billed.empty());
  EXPECT_EQ(ledger_->History("F1", "P2", &book).overdose_billed.at("G2215").size(), 1u);
  ASSERT_EQ(h.windows.size(), 1u);
  EXPECT_EQ(h.windows[0].to.Iso(), "2026-09-29");
  ASSERT_EQ(h.intakes_billed.size(), 1u);
  auto sc = ledger_->FindClaim("C1");
  ASSERT_TRUE(sc);
  EXPECT_EQ(sc->claim.lines[0].source_record_ids, std::vector<std::string>{"R1"});
  ledger_->Commit();
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

std::vector<std::string> SourcesOf(const PatientHistory& h) {
  std::vector<std::string> ids;
  for (const auto& w : h.windows) ids.push_back(w.source_record_id);
  return ids;
}

TEST_F(LedgerTest, BU4_TheBookReadsTheWindowsThatCanCoverTheNightsRows) {
  ledger_->Begin();
  const int64_t run = ledger_->StartRun(*Date::Parse("2026-06-30"), 0, false, "");
  auto window = [&](const char* fid, const char* pid, const char* from, const char* to, const char* code,
                    const char* record) {
    ledger_->AddWindow({fid, pid, *Date::Parse(from), *Date::Parse(to), code, record}, run);
  };
  // P1's: A and B overlap (merged, A's code kept), C and D stand alone.
  window("F1", "P1", "2026-01-01", "2026-01-28", "G2069", "RA");
  window("F1", "P1", "2026-05-01", "2026-05-28", "G2069", "RD");
  window("F1", "P1", "2026-01-25", "2026-02-21", "G2073", "RB");
  window("F1", "P1", "2026-03-01", "2026-03-07", "G2078", "RC");
  window("F1", "P2", "2026-01-10", "2026-01-16", "G2078", "RE");
  window("F2", "P1", "2026-05-20", "2026-06-16", "G2069", "RG");
  Ledger::HistoryBook book = ledger_->ReadHistoryBook();
  auto from = [](const char* d) { return std::optional<Date>(*Date::Parse(d)); };
  // The windows that end before the date asked for are left out...
  EXPECT_EQ(SourcesOf(ledger_->History("F1", "P1", &book, from("2026-05-10"))), (std::vector<std::string>{"RD"}));
  EXPECT_EQ(SourcesOf(ledger_->History("F1", "P1", &book, from("2026-03-05"))),
            (std::vector<std::string>{"RC", "RD"}));
  // ...but not one that a window kept overlaps: B ends after 02-10 and starts inside A.
  const PatientHistory p1 = ledger_->History("F1", "P1", &book, from("2026-02-10"));
  EXPECT_EQ(SourcesOf(p1), (std::vector<std::string>{"RA", "RB", "RC", "RD"}));
  const PatientHistory all = ledger_->History("F1", "P1");
  EXPECT_EQ(SourcesOf(all), SourcesOf(p1));
  EXPECT_EQ(CoverageCodes(p1.windows, *Date::Parse("2026-02-20"), *Date::Parse("2026-02-23")), "G2069 x2, - x2");
  // Each patient and facility its own; no date: every window.
  EXPECT_EQ(SourcesOf(ledger_->History("F1", "P2", &book, from("2026-01-12"))), (std::vector<std::string>{"RE"}));
  EXPECT_TRUE(ledger_->History("F1", "P2", &book, from("2026-01-17")).windows.empty());
  EXPECT_EQ(SourcesOf(ledger_->History("F2", "P1", &book, from("2026-01-01"))), (std::vector<std::string>{"RG"}));
  EXPECT_EQ(SourcesOf(ledger_->History("F1", "P1", &book)), SourcesOf(all));
  // A book made while the ledger held no window reads none, and none is looked for.
  ledger_->Rollback();
  Ledger::HistoryBook empty = ledger_->ReadHistoryBook();
  EXPECT_TRUE(empty.no_windows);
  EXPECT_TRUE(ledger_->History("F1", "P1", &empty, from("2026-01-01")).windows.empty());
  EXPECT_TRUE(empty.windows.empty());
}

TEST_F(LedgerTest, BU4_WhatTheBookLeavesOutNeverChangesADaysCoverage) {
  // Random windows (1 to 28 days, one in ten 182; one in five starting on the day the one
  // before started; five codes) for 200 patients; each patient asked for once, from a random
  // date, in an order that moves the book's reach back and forth. From that date on billing
  // must see the same coverage, code for code, as with every window, before and after it adds
  // a window of its own (which starts on or after that date).
  synth::Rng rng(20261201);  // the same draws with every standard library
  const Date year = *Date::Parse("2026-01-01");
  const char* codes[] = {"G2069", "G2073", "G0533", "G2078", "G2079"};
  auto window = [&](const std::string& pid, Date from, int record) {
    const int days = rng.Below(10) == 0 ? 182 : rng.Between(1, 28);
    return CoverageWindow{"F1", pid, from, from + (days - 1), codes[rng.Below(5)], "R" + std::to_string(record)};
  };
  ledger_->Begin();
  const int64_t run = ledger_->StartRun(*Date::Parse("2026-12-31"), 0, false, "");
  int record = 0;
  for (int p = 0; p < 200; ++p) {
    Date from;
    for (int n = rng.Between(0, 16), i = 0; i < n; ++i) {
      if (i == 0 || rng.Below(5) != 0) from = year + rng.Between(0, 330);
      ledger_->AddWindow(window("P" + std::to_string(p), from, ++record), run);
    }
  }
  Ledger::HistoryBook book = ledger_->ReadHistoryBook();
  size_t left_out = 0;
  for (int p = 0; p < 200; ++p) {
    const std::string pid = "P" + std::to_string(p);
    const Date from = year + rng.Between(0, 364);
    PatientHistory some = ledger_->History("F1", pid, &book, from), all = ledger_->History("F1", pid);
    left_out += all.windows.size() - some.windows.size();
    EXPECT_EQ(CoverageCodes(some.windows, from, year + 540), CoverageCodes(all.windows, from, year + 540))
        << pid << " from " << from.Iso();
    const CoverageWindow added = window(pid, from + rng.Between(0, 20), ++record);
    some.windows.push_back(added);
    all.windows.push_back(added);
    EXPECT_EQ(CoverageCodes(some.windows, from, year + 540), CoverageCodes(all.windows, from, year + 540))
        << pid << " from " << from.Iso() << " with " << added.from.Iso() << ".." << added.to.Iso();
  }
  EXPECT_GT(left_out, 200u);  // the book did leave windows out
  ledger_->Commit();
}

TEST_F(LedgerTest, SecondLockIsRefusedWithPidAndReleasedOnClose) {
  auto a = LedgerLock::Acquire(path_, 1700000000);
  ASSERT_TRUE(a.ok());
  // flock locks belong to the open file description: a second open in this process conflicts too.
  auto b = LedgerLock::Acquire(path_, 1700000000);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kBusy);
  EXPECT_NE(b.status().message().find("pid " + std::to_string(::getpid())), std::string::npos);
  EXPECT_NE(b.status().message().find("2023-11-14T22:13:20Z"), std::string::npos);
  a.value().reset();
  EXPECT_TRUE(LedgerLock::Acquire(path_, 1700000000).ok());
}

// An incremental night reads a patient's open rows, its rows of the services the care checks
// read, and its first methadone_dose day; a ledger with many open rows (or no care index yet)
// is walked whole. Rowids are 1..7 in the order offered.
TEST_F(LedgerTest, ForEachPatientReadsOnlyOpenAndCareRowsOnceIndexed) {
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
  auto row = [](const std::string& pid, const std::string& id, const char* date, Service s) {
    ServiceRecord r = Row(id, "h" + id);
    r.patient_id = pid;
    r.service_date = *Date::Parse(date);
    r.service = s;
    return r;
  };
  const std::vector<ServiceRecord> rows = {
      row("P1", "R1", "2026-09-01", Service::kMethadoneDose),  // first methadone day
      row("P1", "R2", "2026-09-02", Service::kMethadoneDose),  // decided, not read once indexed
      row("P1", "R3", "2026-09-03", Service::kMethadoneDose),  // stays open
      row("P1", "R4", "2026-09-02", Service::kToxicologyTest),
      row("P1", "R5", "2026-09-03", Service::kCarePlan),
      row("P2", "R6", "2026-09-01", Service::kMethadoneDose),  // P2: no open rows, not tonight
      row("P1", "R7", "2026-09-01", Service::kPeerSupport),     // on the first methadone day
      row("P1", "R8", "2026-09-04", Service::kCounselingIndividual),  // a care row left open: whole
      row("P1", "R9", "2026-09-05", Service::kCounselingGroup),       // the last counseling day (PA-8)
      row("P1", "R10", "2026-09-06", Service::kMethadoneTakehome),    // a take-home day judged before
      row("P1", "R11", "2026-09-07", Service::kMethadoneTakehome),    // open: its day is judged
      row("P1", "R12", "2026-09-07", Service::kMethadoneDose),        // ... with every row of it
      row("P1", "R13", "2026-09-20", Service::kMethadoneTakehome),    // after the last judgement
      row("P1", "R14", "2026-09-07", Service::kPhysicalExam),  // a checks row on a day read whole: whole
      // P6: its first methadone day is an open row (before a decided one): that day is read whole;
      // its last counseling row is open (after a decided one): the decided one is not handed over.
      row("P6", "R15", "2026-09-02", Service::kMethadoneDose),
      row("P6", "R16", "2026-09-02", Service::kPeerSupport),
      row("P6", "R17", "2026-09-03", Service::kMethadoneDose),
      row("P6", "R18", "2026-09-04", Service::kCounselingIndividual),
      row("P6", "R19", "2026-09-08", Service::kCounselingGroup),
      row("P2", "R20", "2026-09-02", Service::kMethadoneDose),  // decided: fewer than a quarter open
      row("P2", "R21", "2026-09-03", Service::kMethadoneDose),
  };
  for (const auto& r : rows) ASSERT_EQ(ledger_->OfferRow(r, run), RowState::kNew);
  std::vector<RowDecision> decided;
  for (int64_t id : {1, 2, 4, 5, 6, 7, 9, 10, 12, 13, 14, 16, 17, 18, 20, 21}) decided.push_back({id, 0});
  ledger_->SetOutcomes(decided, {{"billed", ""}}, run);

  // Judged through 09-10, the facts kept then: P1's first dose R1, last counseling R9, the
  // checks' rows R4, R5, R14; P6's R15 and R19 (open rows then and now).
  auto patient = [](const char* pid, bool whole) {
    Ledger::CarePatient c = Care(pid, whole ? nullptr : "2026-09-10");
    if (!whole && pid == std::string("P1")) {
      c.facts.first_dose = *Date::Parse("2026-09-01");
      c.facts.Add(*Date::Parse("2026-09-05"), Service::kCounselingGroup, 9);
      c.facts.Add(*Date::Parse("2026-09-02"), Service::kToxicologyTest, 4);
      c.facts.Add(*Date::Parse("2026-09-03"), Service::kCarePlan, 5);
      c.facts.Add(*Date::Parse("2026-09-07"), Service::kPhysicalExam, 14);
    }
    if (!whole && pid == std::string("P6")) {
      c.facts.first_dose = *Date::Parse("2026-09-02");
      c.facts.Add(*Date::Parse("2026-09-08"), Service::kCounselingGroup, 19);
    }
    return c;
  };
  auto visit = [&](const std::vector<Ledger::CarePatient>& care) {
    std::vector<std::string> seen;  // "P1:R1,R7 care"
    ledger_->ForEachPatient(care, [&](const std::string& fid, const std::string& pid, bool in_care,
                                      std::vector<LedgerRow>& got, const Ledger::CareRead&) {
      std::string s = fid + "/" + pid + ":";
      for (const auto& r : got) {
        // A partial row (decided, from the kept facts) has no record id: its rowid, service, date.
        if (r.partial)
          s += "#" + std::to_string(r.rowid) + "~" + std::string(ServiceName(r.record.service)) + "@" + r.record.service_date.Iso() + ",";
        else
          s += r.record.record_id + (r.open ? "*" : "") + ",";
      }
      seen.push_back(s + (in_care ? " care" : ""));
    });
    return seen;
  };
  const std::string every = "F1/P1:R1,R7,R2,R4,R3*,R5,R8*,R9,R10,R11*,R12,R14,R13, care";
  const std::string every6 = "F1/P6:R15*,R16,R17,R18,R19*, care";
  const std::vector<Ledger::CarePatient> reduced = {patient("P1", false), patient("P3", false),
                                                    patient("P4", false), patient("P5", false),
                                                    patient("P6", false)};
  // No checks index yet: every row, by (date, rowid).
  EXPECT_EQ(visit(reduced), (std::vector<std::string>{every, "F1/P2:R6,R20,R21,", every6}));
  ledger_->IndexCareRows();
  // Judged through 2026-09-10 on the same basis: the checks' rows and the last counseling row
  // (partial); the first dose day, the open take-home day and the take-home day after 09-10,
  // whole.
  // Not R2 (a dose) nor R10 (a take-home day judged before). Of a day read whole only the rows
  // not held whole are fetched (R12, R14: not R11, open), and R14 replaces its partial copy.
  const std::vector<std::string> selective = {
      "F1/P1:R1,R7,#4~toxicology_test@2026-09-02,R3*,#5~care_plan@2026-09-03,R8*,"
      "#9~counseling_group@2026-09-05,R11*,R12,R14,R13, care",
      "F1/P3: care", "F1/P4: care", "F1/P5: care", "F1/P6:R15*,R16,R19*, care"};
  EXPECT_EQ(visit(reduced), selective);
  // The checks' rows come from the kept facts (v8), not from the rows: a kept one the ledger
  // does not hold is handed over, one it holds but the facts leave out is not.
  std::vector<Ledger::CarePatient> other = reduced;
  other[0].facts.checks.clear();
  other[0].facts.Add(*Date::Parse("2026-09-04"), Service::kToxicologyTest, 99);
  other[0].facts.Add(*Date::Parse("2026-09-07"), Service::kPhysicalExam, 14);
  EXPECT_EQ(visit(other)[0], "F1/P1:R1,R7,R3*,R8*,#99~toxicology_test@2026-09-04,"
                             "#9~counseling_group@2026-09-05,R11*,R12,R14,R13, care");
  // A basis kept before v8 has none: they are read from service_rows_checks, the same.
  other[0].facts.checks.clear();
  other[0].facts.checks_unknown = true;
  EXPECT_EQ(visit(other), selective);
  // No basis on record (or a changed one): every row of the patient.
  std::vector<Ledger::CarePatient> whole = reduced;
  whole[0].whole = true;
  EXPECT_EQ(visit(whole), (std::vector<std::string>{every, "F1/P3: care", "F1/P4: care", "F1/P5: care",
                                                     "F1/P6:R15*,R16,R19*, care"}));
  // Most patients whole (a changed rule, a new version): one walk over every row.
  whole[1].whole = true;
  EXPECT_EQ(visit(whole), (std::vector<std::string>{every, "F1/P2:R6,R20,R21,", every6}));
  ledger_->Commit();
}

// The care basis on record: one row per patient, replaced, in (facility, patient) order.
TEST_F(LedgerTest, CareBasisIsKeptPerPatient) {
  ledger_->Begin();
  ledger_->SetCareBasis({"F2", "P1", "b1", *Date::Parse("2026-09-01"), {}, ""});
  ledger_->SetCareBasis({"F1", "P9", "b1", *Date::Parse("2026-09-01"), {}, ""});
  Ledger::CareFacts facts;
  facts.first_dose = *Date::Parse("2026-08-03");
  facts.Add(*Date::Parse("2026-08-30"), Service::kCounselingGroup, 77);
  // The checks' rows (v8) read back as kept, a date before 1970 and a rowid past 2^32 too.
  facts.Add(*Date::Parse("2026-08-05"), Service::kToxicologyTest, 5'000'000'000);
  facts.Add(*Date::Parse("1969-12-30"), Service::kCarePlan, 3);
  facts.Add(*Date::Parse("2026-08-05"), Service::kPhysicalExam, 4);
  facts.Add(*Date::Parse("2026-08-05"), Service::kToxicologyTest, 2);
  facts.Add(*Date::Parse("2026-08-20"), Service::kPsychosocialAssessment, 200);
  facts.Add(*Date::Parse("2026-08-05"), Service::kToxicologyTest, 2);  // the same row again: once
  ASSERT_EQ(facts.checks.size(), 5u);
  ledger_->SetCareBasis({"F1", "P9", "b2", *Date::Parse("2026-09-02"), facts, "1|50"});
  ledger_->SetCareBasis({"F3", "P1", "b1", *Date::Parse("2026-09-01"), {}, ""});
  ledger_->ForgetCareBasis("F3", "P1");
  ledger_->Commit();
  const auto got = ledger_->CareBases();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].facility_id + "/" + got[0].patient_id + " " + got[0].basis + " " + got[0].judged_through.Iso(),
            "F1/P9 b2 2026-09-02");
  EXPECT_EQ(got[0].facts, facts);
  EXPECT_EQ(got[0].first_day_terms, "1|50");
  EXPECT_EQ(got[1].facility_id + "/" + got[1].patient_id, "F2/P1");
  EXPECT_EQ(got[1].facts, Ledger::CareFacts{});
  EXPECT_EQ(got[1].first_day_terms, "");
  EXPECT_EQ(One("SELECT count(*) FROM care_basis WHERE first_day_terms IS NULL"), "1");  // none kept: NULL
  EXPECT_EQ(One("SELECT typeof(checks) || length(checks) FROM care_basis WHERE patient_id = 'P1'"), "blob0");
  // Bytes that do not read back (cut short, a letter not known, out of order): not known, and
  // the next night reads them from the rows; written again, they are kept again.
  for (const char* bad : {"substr(checks, 1, length(checks) - 1)", "x'7a0201'", "x'740402740001'"}) {
    ReopenAfter(std::string("UPDATE care_basis SET checks = ") + bad + " WHERE patient_id = 'P9'");
    const auto damaged = ledger_->CareBases();
    EXPECT_TRUE(damaged[0].facts.checks_unknown) << bad;
    EXPECT_TRUE(damaged[0].facts.checks.empty()) << bad;
    ledger_->Begin();
    ledger_->SetCareBasis({"F1", "P9", "b2", *Date::Parse("2026-09-02"), facts, "1|50"});
    ledger_->Commit();
  }
  EXPECT_EQ(ledger_->CareBases()[0].facts, facts);
}

// v8: a v7 ledger's bases are kept, each with its checks' rows not known (its next night reads
// them from service_rows_checks); a basis written since keeps them.
TEST_F(LedgerTest, PA1_PA4_UpgradesAV7LedgersBasesWithTheirChecksNotKnown) {
  ASSERT_TRUE(UpgradedFrom(7, "ALTER TABLE care_basis DROP COLUMN checks; "
                              "INSERT INTO care_basis VALUES ('F1', 'P1', 'b1', '2026-09-01', '2026-08-03', "
                              "NULL, NULL, NULL, '1|50')"));
  EXPECT_EQ(Ledger::kSchemaVersion, 8);
  auto got = ledger_->CareBases();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].basis + " " + got[0].facts.first_dose->Iso() + " " + got[0].first_day_terms,
            "b1 2026-08-03 1|50");
  EXPECT_TRUE(got[0].facts.checks_unknown);
  got[0].facts.checks_unknown = false;
  got[0].facts.Add(*Date::Parse("2026-08-04"), Service::kToxicologyTest, 7);
  ledger_->Begin();
  ledger_->SetCareBasis(got[0]);
  ledger_->Commit();
  EXPECT_EQ(ledger_->CareBases().at(0).facts, got[0].facts);
}

// A v7 ledger whose care_basis has no first_day_terms (kept before the column): the column is
// added and the bases are kept, each with no terms (its next night reads the first day again).
TEST_F(LedgerTest, PA6_AddsTheFirstDayTermsToAV7LedgersCareBases) {
  ASSERT_TRUE(UpgradedFrom(7, "ALTER TABLE care_basis DROP COLUMN first_day_terms; "
                              "ALTER TABLE care_basis DROP COLUMN checks; "
                              "INSERT INTO care_basis VALUES ('F1', 'P1', 'b1', '2026-09-01', '2026-08-03', "
                              "NULL, NULL, NULL)"));
  const auto got = ledger_->CareBases();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].basis + " " + got[0].facts.first_dose->Iso(), "b1 2026-08-03");
  EXPECT_EQ(got[0].first_day_terms, "");
  ledger_->Begin();
  ledger_->SetCareBasis({"F1", "P1", "b1", *Date::Parse("2026-09-02"), got[0].facts, "1|50"});
  ledger_->Commit();
  EXPECT_EQ(ledger_->CareBases().at(0).first_day_terms, "1|50");
}

// PA-6, PA-8: the kept facts of a patient judged on the same basis are moved by its open rows
// and by its decided rows dated after the judgement, within [from, to]; read whole, they are
// counted from every row. Either way the same.
TEST_F(LedgerTest, PA6_PA8_CareFactsMovedByOpenRowsAndRowsDecidedSinceTheJudgement) {
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
  const std::vector<ServiceRecord> rows = {
      RowOn("R1", "2026-09-02", Service::kMethadoneDose),         // the first dose in [from, to]
      RowOn("R2", "2026-09-03", Service::kCounselingIndividual),  // the last counseling at the judgement
      RowOn("R3", "2026-09-12", Service::kCounselingGroup),       // decided after it
      RowOn("R4", "2026-09-12", Service::kCounselingIndividual),  // open, same day: after "group"
      RowOn("R5", "2026-08-25", Service::kMethadoneDose),         // before the admission
      RowOn("R6", "2026-10-05", Service::kCounselingGroup),       // after `to`
      RowOn("R7", "2026-09-04", Service::kMethadoneDose),
      RowOn("R8", "2026-09-05", Service::kMethadoneDose),
  };
  for (const auto& r : rows) ASSERT_EQ(ledger_->OfferRow(r, run), RowState::kNew);
  std::vector<RowDecision> decided;
  for (int64_t id : {1, 2, 3, 5, 6, 7, 8}) decided.push_back({id, 0});
  ledger_->SetOutcomes(decided, {{"billed", ""}}, run);
  ledger_->IndexCareRows();
  Ledger::CarePatient p1 = Care("P1", "2026-09-10");
  p1.facts.first_dose = *Date::Parse("2026-09-02");
  p1.facts.Add(*Date::Parse("2026-09-03"), Service::kCounselingIndividual, 2);
  auto facts_of = [&](const Ledger::CarePatient& p) {
    Ledger::CareFacts out;
    std::string handed;
    ledger_->ForEachPatient({p}, [&](const std::string&, const std::string&, bool care, std::vector<LedgerRow>& got,
                                     const Ledger::CareRead& read) {
      EXPECT_TRUE(care);
      out = read.facts;
      for (const auto& r : got)
        if (r.record.service == Service::kCounselingIndividual || r.record.service == Service::kCounselingGroup)
          handed += (r.partial ? "#" + std::to_string(r.rowid) : r.record.record_id) + ",";
    });
    return std::make_pair(out, handed);
  };
  Ledger::CareFacts expected;
  expected.first_dose = *Date::Parse("2026-09-02");
  expected.Add(*Date::Parse("2026-09-12"), Service::kCounselingIndividual, 4);
  const auto [moved, handed] = facts_of(p1);
  EXPECT_EQ(moved, expected);
  EXPECT_EQ(handed, "R4,");  // the last counseling is open: its whole copy, not a partial one
  Ledger::CarePatient whole = p1;
  whole.whole = true;
  whole.facts = {};
  EXPECT_EQ(facts_of(whole).first, expected);
  // R4 decided too: the last counseling handed over partial, from the facts.
  ledger_->SetOutcomes({{4, 0}}, {{"billed", ""}}, run);
  EXPECT_EQ(facts_of(p1).second, "#4,");
  // Judged after 09-12: nothing newer; the kept facts are handed back as they were.
  p1.judged_through = *Date::Parse("2026-09-29");
  p1.facts = expected;
  EXPECT_EQ(facts_of(p1).first, expected);
  // A counseling row decided on `to` itself, the day after the judgement: the last.
  ASSERT_EQ(ledger_->OfferRow(RowOn("R9", "2026-09-30", Service::kCounselingGroup), run), RowState::kNew);
  ledger_->SetOutcomes({{9, 0}}, {{"billed", ""}}, run);
  Ledger::CareFacts last = expected;
  last.Add(*Date::Parse("2026-09-30"), Service::kCounselingGroup, 9);
  ASSERT_EQ(*last.counseling_date, *Date::Parse("2026-09-30"));
  EXPECT_EQ(facts_of(p1), std::make_pair(last, std::string("#9,")));
  ledger_->Commit();
}

// PA-1..PA-4: the kept checks' rows of a patient judged on the same basis are moved by its open
// rows (tonight's, a late one dated before the judgement too) and by its decided rows dated
// after the judgement, within [from, to], and handed over partial unless held whole; read whole,
// or from service_rows_checks for a basis kept before v8, the same.
TEST_F(LedgerTest, PA1_PA4_ChecksRowsKeptMovedByOpenRowsAndRowsDecidedSinceTheJudgement) {
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
  const std::vector<ServiceRecord> rows = {
      RowOn("C1", "2026-09-02", Service::kToxicologyTest),  // kept at the judgement
      RowOn("C2", "2026-09-03", Service::kCarePlan),        // kept at the judgement
      RowOn("C3", "2026-08-25", Service::kToxicologyTest),  // before the admission
      RowOn("C4", "2026-09-05", Service::kToxicologyTest),  // kept, open then and now
      RowOn("C5", "2026-09-12", Service::kToxicologyTest),  // decided after the judgement
      RowOn("C6", "2026-09-14", Service::kPhysicalExam),    // tonight's, open
      RowOn("C7", "2026-10-05", Service::kCarePlan),        // after `to`
      RowOn("C8", "2026-09-08", Service::kToxicologyTest),  // tonight's, late: before the judgement
      RowOn("C9", "2026-09-01", Service::kMethadoneDose),   // not a checks' row (the first dose day)
  };
  for (const auto& r : rows) ASSERT_EQ(ledger_->OfferRow(r, run), RowState::kNew);
  // Another patient's decided rows: fewer than a quarter of the rows open, an incremental night.
  std::vector<RowDecision> decided = {{1, 0}, {2, 0}, {3, 0}, {5, 0}, {7, 0}, {9, 0}};
  for (int i = 0; i < 8; ++i) {
    ServiceRecord r = RowOn("D" + std::to_string(i), "2026-09-02", Service::kMethadoneDose);
    r.patient_id = "P2";
    int64_t id = 0;
    ASSERT_EQ(ledger_->OfferRow(r, run, &id), RowState::kNew);
    decided.push_back({id, 0});
  }
  ledger_->SetOutcomes(decided, {{"billed", ""}}, run);
  ledger_->IndexCareRows();
  Ledger::CarePatient p1 = Care("P1", "2026-09-10");
  p1.facts.first_dose = *Date::Parse("2026-09-01");
  p1.facts.Add(*Date::Parse("2026-09-02"), Service::kToxicologyTest, 1);
  p1.facts.Add(*Date::Parse("2026-09-03"), Service::kCarePlan, 2);
  p1.facts.Add(*Date::Parse("2026-09-05"), Service::kToxicologyTest, 4);
  auto read = [&](const Ledger::CarePatient& p) {
    Ledger::CareFacts out;
    std::string handed;
    ledger_->ForEachPatient({p}, [&](const std::string&, const std::string& pid, bool, std::vector<LedgerRow>& got,
                                     const Ledger::CareRead& r) {
      if (pid != "P1") return;  // P2: read whole, every patient is visited
      out = r.facts;
      for (const auto& x : got)
        if (x.record.service != Service::kMethadoneDose)
          handed += (x.partial ? "#" + std::to_string(x.rowid) : x.record.record_id + (x.open ? "*" : "")) + ",";
    });
    return std::make_pair(out, handed);
  };
  Ledger::CareFacts expected = p1.facts;
  expected.Add(*Date::Parse("2026-09-08"), Service::kToxicologyTest, 8);
  expected.Add(*Date::Parse("2026-09-12"), Service::kToxicologyTest, 5);
  expected.Add(*Date::Parse("2026-09-14"), Service::kPhysicalExam, 6);
  const auto [moved, handed] = read(p1);
  EXPECT_EQ(moved, expected);
  EXPECT_EQ(moved.checks.size(), 6u);
  EXPECT_EQ(handed, "#1,#2,C4*,C8*,#5,C6*,");
  // Kept before v8: from the index, the same facts and rows.
  Ledger::CarePatient v7 = p1;
  v7.facts.checks.clear();
  v7.facts.checks_unknown = true;
  EXPECT_EQ(read(v7), std::make_pair(expected, handed));
  // Read whole: the same facts.
  Ledger::CarePatient whole = p1;
  whole.whole = true;
  whole.facts = {};
  EXPECT_EQ(read(whole).first, expected);
  ledger_->Commit();
}

TEST_F(LedgerTest, MigratesASchemaV1Ledger) {
  // The file as v1 left it: no changed_hash column, version 1.
  ASSERT_TRUE(UpgradedFrom(1, "ALTER TABLE service_rows DROP COLUMN changed_hash"));
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-10"), 0, false, "");
  EXPECT_EQ(ledger_->OfferRow(Row("R1", "h1"), run), RowState::kNew);
  ledger_->Commit();
}

// v5: a v4 ledger's episodes (a rowid table keyed by patient first, with episodes_end) are
// copied into the table kept in (facility, start, patient) order, each patient's latest end
// into episode_last; episodes_end and claims_by_patient are dropped.
TEST_F(LedgerTest, MigratesASchemaV4LedgersEpisodes) {
  ASSERT_TRUE(UpgradedFrom(4, "DROP TABLE episodes; DROP TABLE episode_last; "
              "CREATE TABLE episodes (facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, start_date TEXT NOT NULL, "
              "end_date TEXT NOT NULL, bundle_code TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL, "
              "run_id INTEGER NOT NULL, PRIMARY KEY (facility_id, patient_id, start_date)); "
              "CREATE INDEX episodes_end ON episodes (facility_id, patient_id, end_date); "
              "CREATE INDEX claims_by_patient ON claims (facility_id, patient_id, claim_id); "
              "INSERT INTO episodes VALUES ('F1', 'P1', '2026-09-01', '2026-09-07', 'G2067', 'billed', '', 1), "
              "('F1', 'P1', '2026-08-01', '2026-08-07', 'G2067', 'billed', '', 1), "
              "('F1', 'P2', '2026-08-20', '2026-08-26', '', 'held', 'no-oud-diagnosis', 1)"));
  EXPECT_NE(One("SELECT sql FROM sqlite_master WHERE name = 'episodes'").find("PRIMARY KEY (facility_id, start_date, "
                                                                             "patient_id)) WITHOUT ROWID"),
            std::string::npos);
  EXPECT_EQ(One("SELECT count(*) FROM sqlite_master WHERE name IN ('episodes_end', 'claims_by_patient')"), "0");
  EXPECT_EQ(One("SELECT group_concat(patient_id || ' ' || start_date || ' ' || status, ', ') FROM episodes"),
            "P1 2026-08-01 billed, P2 2026-08-20 held, P1 2026-09-01 billed");
  EXPECT_EQ(ledger_->History("F1", "P1").last_episode_end, Date::Parse("2026-09-07"));
  EXPECT_EQ(ledger_->History("F1", "P2").last_episode_end, Date::Parse("2026-08-26"));
  // Kept from now on by AddEpisodes: a later end moves it, an earlier one does not, whatever
  // the order of the episodes it is given.
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-20"), 0, false, "");
  ledger_->AddEpisodes({{"F1", "P1", *Date::Parse("2026-07-01"), *Date::Parse("2026-07-07"),
                       "G2067", "billed", ""}}, run);
  ledger_->AddEpisodes({{"F1", "P2", *Date::Parse("2026-09-17"), *Date::Parse("2026-09-23"), "G2067", "billed", ""},
                        {"F1", "P3", *Date::Parse("2026-09-01"), *Date::Parse("2026-09-07"), "G2067", "billed", ""},
                        {"F1", "P2", *Date::Parse("2026-09-10"), *Date::Parse("2026-09-16"), "G2067", "billed", ""}},
                       run);
  ledger_->Commit();
  EXPECT_EQ(ledger_->History("F1", "P1").last_episode_end, Date::Parse("2026-09-07"));
  EXPECT_EQ(ledger_->History("F1", "P2").last_episode_end, Date::Parse("2026-09-23"));
  EXPECT_EQ(ledger_->History("F1", "P3").last_episode_end, Date::Parse("2026-09-07"));
}

// A v5 ledger's care bases have no kept facts: the columns are added and the bases dropped, so
// that the first night judges every patient from every row.
TEST_F(LedgerTest, MigratesASchemaV5LedgersCareBases) {
  ASSERT_TRUE(UpgradedFrom(5, "DROP TABLE care_basis; "
              "CREATE TABLE care_basis (facility_id TEXT NOT NULL, patient_id TEXT NOT NULL, basis TEXT NOT NULL, "
              "judged_through TEXT NOT NULL, PRIMARY KEY (facility_id, patient_id)) WITHOUT ROWID; "
              "INSERT INTO care_basis VALUES ('F1', 'P1', 'b1', '2026-09-01')"));
  EXPECT_EQ(One("SELECT count(*) FROM care_basis"), "0");
  Ledger::CareFacts facts;
  facts.first_dose = *Date::Parse("2026-08-03");
  ledger_->Begin();
  ledger_->SetCareBasis({"F1", "P1", "b1", *Date::Parse("2026-09-02"), facts, ""});
  ledger_->Commit();
  ASSERT_EQ(ledger_->CareBases().size(), 1u);
  EXPECT_EQ(ledger_->CareBases()[0].facts, facts);
}

// A v6 ledger found a patient's billed intakes and overdose codes through claim_lines_history:
// the upgrade copies those lines into history_lines and drops the index, and History (with a book
// or without) gives what it gave; lines of other codes are not copied.
TEST_F(LedgerTest, MigratesASchemaV6LedgersHistoryLines) {
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-10"), 0, false, "");
  Claim intake = OneLineClaim("C1", "R1");
  intake.lines[0].code = "G2076";
  intake.lines.push_back(intake.lines[0]);
  intake.lines[1].code = "G2067";  // a bundle: not history
  Claim naloxone = OneLineClaim("C2", "R2");
  naloxone.patient_id = "P2";
  naloxone.lines[0].code = "G2215";
  naloxone.lines[0].dos = *Date::Parse("2026-09-03");
  ledger_->AddClaim(intake, run, 1);
  ledger_->AddClaim(naloxone, run, 1);
  ledger_->Commit();
  const std::string lines =
      "SELECT group_concat(facility_id || ' ' || patient_id || ' ' || dos || ' ' || code || ' ' || claim_id || ' ' || "
      "line_no, ', ') FROM history_lines";
  const std::string written = One(lines);
  EXPECT_EQ(written, "F1 P1 2026-09-01 G2076 C1 1, F1 P2 2026-09-03 G2215 C2 1");
  ASSERT_TRUE(UpgradedFrom(6, "DROP TABLE history_lines; "
              "CREATE INDEX claim_lines_history ON claim_lines (claim_id, code, dos) "
              "WHERE code IN ('G2076', 'G2215', 'G1028', 'G2216', 'G0532')"));
  EXPECT_EQ(One("SELECT count(*) FROM sqlite_master WHERE name = 'claim_lines_history'"), "0");
  EXPECT_EQ(One(lines), written);
  Ledger::HistoryBook book = ledger_->ReadHistoryBook();
  for (const PatientHistory& h : {ledger_->History("F1", "P1"), ledger_->History("F1", "P1", &book)}) {
    EXPECT_EQ(h.intakes_billed, std::vector<Date>{*Date::Parse("2026-09-01")});
    EXPECT_TRUE(h.overdose_billed.empty());
  }
  EXPECT_EQ(ledger_->History("F1", "P2", &book).overdose_billed.at("G2215").size(), 1u);
  EXPECT_EQ(ledger_->History("F1", "P2").overdose_billed.at("G2215").size(), 1u);
}

// The names of service_rows' indexes, sorted.
std::vector<std::string> RowIndexes(Ledger& l) {
  std::vector<std::string> out;
  sql::Stmt s(l.db(), "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'service_rows' "
                      "AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name");
  while (s.Step()) out.push_back(s.Text(0));
  return out;
}
std::string JournalMode(Ledger& l) { return FirstValue(l.db(), "PRAGMA journal_mode"); }

// SQLite keeps no memory statistics in otpbatch: counting them takes a global mutex around every
// allocation SQLite makes (Db::Open turns them off before SQLite's first use in the process).
TEST_F(LedgerTest, SqliteKeepsNoMemoryStatistics) {
  ledger_->Begin();
  const int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
  ASSERT_EQ(ledger_->OfferRow(Row("R1", "h1"), run), RowState::kNew);
  ledger_->Commit();
  EXPECT_EQ(sqlite3_memory_used(), 0);
}

// A first night on an empty ledger is a bulk load: written once (rollback journal), the row
// indexes built after the rows are in; the ledger is back in WAL with every index afterwards.
TEST_F(LedgerTest, FirstNightIsABulkLoadThatEndsWithEveryIndexInWal) {
  const std::vector<std::string> all = {"service_rows_checks", "service_rows_dated", "service_rows_open",
                                        "service_rows_record"};
  ASSERT_TRUE(ledger_->BeginNight());
  EXPECT_EQ(JournalMode(*ledger_), "delete");
  EXPECT_TRUE(RowIndexes(*ledger_).empty());
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
  ASSERT_EQ(ledger_->OfferRow(Row("R1", "h1"), run), RowState::kNew);
  ledger_->IndexRows(*Date::Parse("2026-09-30"));  // the decided rows' index waits for the outcomes
  EXPECT_EQ(RowIndexes(*ledger_), (std::vector<std::string>{"service_rows_record"}));
  ledger_->IndexCareRows();
  EXPECT_EQ(RowIndexes(*ledger_), all);
  ledger_->Commit();
  EXPECT_EQ(JournalMode(*ledger_), "wal");

  // The next night is not: the ledger holds rows. Nothing is dropped.
  EXPECT_FALSE(ledger_->BeginNight());
  EXPECT_EQ(JournalMode(*ledger_), "wal");
  EXPECT_EQ(RowIndexes(*ledger_), all);
  ledger_->IndexRows(*Date::Parse("2026-09-30"));  // a no-op
  ledger_->Rollback();
}

TEST_F(LedgerTest, ABulkNightRolledBackLeavesTheIndexesAndWal) {
  ASSERT_TRUE(ledger_->BeginNight());
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
  ASSERT_EQ(ledger_->OfferRow(Row("R1", "h1"), run), RowState::kNew);
  ledger_->Rollback();  // a dry run, or a failure
  EXPECT_EQ(JournalMode(*ledger_), "wal");
  EXPECT_EQ(RowIndexes(*ledger_),
            (std::vector<std::string>{"service_rows_dated", "service_rows_open", "service_rows_record"}));
  sql::Stmt n(ledger_->db(), "SELECT count(*) FROM service_rows");
  ASSERT_TRUE(n.Step());
  EXPECT_EQ(n.Int(0), 0);
}

// A new ledger is written in pages of Ledger::kPageSize (16 KiB); a ledger of 4 KiB pages (every
// one made before) is opened as it is and keeps them, night after night, until the VACUUM that
// docs/operations.md describes rewrites it in the new size with every row.
TEST_F(LedgerTest, ANewLedgerHasSixteenKiBPagesAndAnOlderOneKeepsItsOwn) {
  EXPECT_EQ(One("PRAGMA page_size"), "16384");
  static_assert(Ledger::kPageSize == 16384);

  const std::string older = (scratch_.path() / "older.db").string();
  auto page_size = [](Ledger& l) { return std::stoi(FirstValue(l.db(), "PRAGMA page_size")); };
  {
    // As an earlier binary left it: 4 KiB pages, in WAL.
    auto d = OpenFile(older);
    ASSERT_TRUE(d);
    d->Exec("PRAGMA page_size=4096; PRAGMA journal_mode=WAL; CREATE TABLE x (a); DROP TABLE x;");
    ASSERT_EQ(FirstValue(*d, "PRAGMA page_size"), "4096");
  }
  for (const char* id : {"R1", "R2"}) {  // two nights on the older file, each opening it afresh
    auto l = Ledger::Open(older);
    ASSERT_TRUE(l.ok()) << l.status().message();
    Ledger& ledger = *l.value();
    EXPECT_EQ(page_size(ledger), 4096);
    ledger.BeginNight();
    const int64_t run = ledger.StartRun(*Date::Parse("2026-09-30"), 0, false, "");
    ASSERT_EQ(ledger.OfferRow(Row(id, id), run), RowState::kNew);
    ledger.IndexRows(*Date::Parse("2026-09-30"));
    ledger.IndexCareRows();
    ledger.Commit();
    EXPECT_EQ(page_size(ledger), 4096);
  }
  {
    // docs/operations.md, "Pages of 16 KiB for an older ledger".
    auto d = OpenFile(older);
    ASSERT_TRUE(d);
    d->Exec("PRAGMA journal_mode=DELETE; PRAGMA page_size=16384; VACUUM; PRAGMA journal_mode=WAL;");
  }
  {
    // What it left, before otpbatch opens the file: the new size, in WAL, every row.
    auto d = OpenFile(older);
    ASSERT_TRUE(d);
    EXPECT_EQ(FirstValue(*d, "PRAGMA page_size"), "16384");
    EXPECT_EQ(FirstValue(*d, "PRAGMA journal_mode"), "wal");
    EXPECT_EQ(FirstValue(*d, "SELECT count(*) FROM service_rows"), "2");
  }
  auto l = Ledger::Open(older);
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(page_size(*l.value()), 16384);
}

// A bulk load stores the night's rows in (facility, patient, date, line) order, so the pass reads
// the table front to back; the rowids follow that order.
TEST_F(LedgerTest, BulkLoadStoresRowsInPatientOrder) {
  ASSERT_TRUE(ledger_->BeginNight());
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
  auto row = [](const char* pid, const char* id, const char* date, int64_t line) {
    ServiceRecord r = Row(id, std::string("h") + id);
    r.patient_id = pid;
    r.service_date = *Date::Parse(date);
    r.source = SourceRef{"services.csv", line};
    return r;
  };
  // File order: by date, patients interleaved; R4 and R5 share P1's day 2.
  for (const auto& r : {row("P2", "R1", "2026-09-01", 2), row("P1", "R2", "2026-09-01", 3),
                        row("P1", "R5", "2026-09-02", 4), row("P2", "R3", "2026-09-02", 5),
                        row("P1", "R4", "2026-09-02", 6)})
    ASSERT_EQ(ledger_->OfferRow(r, run), RowState::kNew);
  // As of 09-10: the rows dated from 09-02 (the last eight days) are stored after the others,
  // each part in (patient, date, line) order.
  ledger_->IndexRows(*Date::Parse("2026-09-10"));
  std::vector<std::string> order;
  sql::Stmt s(ledger_->db(), "SELECT record_id FROM service_rows ORDER BY rowid");
  while (s.Step()) order.push_back(s.Text(0));
  EXPECT_EQ(order, (std::vector<std::string>{"R2", "R1", "R5", "R4", "R3"}));
  // The pass walks both parts in that order (there is no decided rows' index before the
  // outcomes), merged patient by patient, each by (date, rowid).
  std::vector<std::string> walked;
  ledger_->ForEachPatient({}, [&](const std::string&, const std::string& pid, bool, std::vector<LedgerRow>& got, const Ledger::CareRead&) {
    std::string w = pid + ":";
    for (const auto& r : got) w += r.record.record_id + ",";
    walked.push_back(w);
  });
  EXPECT_EQ(walked, (std::vector<std::string>{"P1:R2,R5,R4,", "P2:R1,R3,"}));
  // Its first date of service: the least of the rows stored tonight (the ledger had none).
  EXPECT_EQ(ledger_->FirstServiceDate("F1"), Date::Parse("2026-09-01"));
  // Offered again in the same night, a stored row is found, not staged.
  EXPECT_EQ(ledger_->OfferRow(row("P1", "R2", "2026-09-01", 3), run), RowState::kOpen);
  ledger_->Commit();
}

// The once-only indexes are built after a bulk load: a record twice fails the build and the
// night rolls back whole; a line source twice is refused as before.
TEST_F(LedgerTest, BulkLoadStillRefusesARecordTwice) {
  ASSERT_TRUE(ledger_->BeginNight());
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
  ASSERT_EQ(ledger_->OfferRow(Row("R1", "h1"), run), RowState::kNew);
  ASSERT_EQ(ledger_->OfferRow(Row("R1", "h2"), run), RowState::kNew);  // staged: the reader's duty
  EXPECT_THROW(ledger_->IndexRows(*Date::Parse("2026-09-30")), sql::Error);
  ledger_->Rollback();
  {
    sql::Stmt n(ledger_->db(), "SELECT count(*) FROM service_rows");
    ASSERT_TRUE(n.Step());
    EXPECT_EQ(n.Int(0), 0);
  }
  EXPECT_TRUE(ledger_->BeginNight()) << "still empty: the next night is a bulk load again";
  ledger_->Rollback();
}

// A decided care row on the first methadone day comes both from the care index (partial) and
// with that day's rows (whole): the whole copy is the one handed over.
TEST_F(LedgerTest, FirstDoseDayKeepsTheWholeCopyOfACareRow) {
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
  ServiceRecord dose = Row("R1", "h1"), tox = Row("R2", "h2"), open = Row("R3", "h3");
  tox.service = Service::kToxicologyTest;  // same day as the first dose, decided
  tox.practitioner_npi = "1234567893";
  open.service_date = *Date::Parse("2026-09-08");
  for (const auto& r : {dose, tox, open}) ASSERT_EQ(ledger_->OfferRow(r, run), RowState::kNew);
  std::vector<RowDecision> decided = {{1, 0}, {2, 0}};
  for (int d = 10; d < 20; ++d) {  // decided doses: few open rows, so the selective pass is taken
    ServiceRecord more = Row("D" + std::to_string(d), "hd" + std::to_string(d));
    more.service_date = *Date::Parse("2026-09-" + std::to_string(d));
    ASSERT_EQ(ledger_->OfferRow(more, run), RowState::kNew);
    decided.push_back({d - 6, 0});  // rowids 4..13
  }
  ledger_->SetOutcomes(decided, {{"billed", ""}}, run);
  ledger_->IndexCareRows();
  Ledger::CarePatient p1 = Care("P1", "2026-09-30");  // judged before on the same basis
  p1.facts.first_dose = *Date::Parse("2026-09-01");  // kept at that judgement
  const std::vector<Ledger::CarePatient> care = {p1};
  std::vector<std::string> got;
  ledger_->ForEachPatient(care, [&](const std::string&, const std::string&, bool, std::vector<LedgerRow>& rows, const Ledger::CareRead&) {
    for (const auto& r : rows)
      if (r.record.service_date <= *Date::Parse("2026-09-08"))
        got.push_back(r.partial ? "partial#" + std::to_string(r.rowid) : r.record.record_id + "/" + r.record.practitioner_npi);
  });
  EXPECT_EQ(got, (std::vector<std::string>{"R1/", "R2/1234567893", "R3/"}));
  ledger_->Commit();
}

// PA-6: a patient judged before on tonight's terms (`first_day_judged`) is not handed its first
// methadone_dose day again while that day is the kept one and no open row lies on it; without
// those terms, with an open row on the day (a dose or not), or with an earlier dose, the day is
// read whole.
TEST_F(LedgerTest, PA6_FirstDayReadAgainOnlyWhenItsVerdictMayChange) {
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
  // R1, R2: two doses on the first day (09-02), decided; R3 open on 09-08; decided doses after.
  std::vector<RowDecision> decided = {{1, 0}, {2, 0}};
  for (const auto& r : {RowOn("R1", "2026-09-02"), RowOn("R2", "2026-09-02"), RowOn("R3", "2026-09-08")})
    ASSERT_EQ(ledger_->OfferRow(r, run), RowState::kNew);
  for (int d = 10; d < 20; ++d) {  // rowids 4..13: few open rows, so the selective pass is taken
    ASSERT_EQ(ledger_->OfferRow(RowOn("D" + std::to_string(d), ("2026-09-" + std::to_string(d)).c_str()), run),
              RowState::kNew);
    decided.push_back({d - 6, 0});
  }
  ledger_->SetOutcomes(decided, {{"billed", ""}}, run);
  ledger_->IndexCareRows();
  Ledger::CarePatient p1 = Care("P1", "2026-09-29");
  p1.facts.first_dose = *Date::Parse("2026-09-02");
  // The rows handed over dated up to 09-08 ("*": open, "#rowid": partial), where PA-6 stands,
  // and the first dose day of the facts handed back.
  auto visit = [&](const Ledger::CarePatient& p) {
    std::string s;
    ledger_->ForEachPatient({p}, [&](const std::string&, const std::string&, bool, std::vector<LedgerRow>& rows,
                                     const Ledger::CareRead& read) {
      for (const auto& r : rows)
        if (r.record.service_date <= *Date::Parse("2026-09-08"))
          s += (r.partial ? "#" + std::to_string(r.rowid) : r.record.record_id) + (r.open ? "*" : "") + ",";
      s += read.first_day_stands ? " stands " : read.first_day_judged ? " judged " : " not judged ";
      s += read.facts.first_dose ? read.facts.first_dose->Iso() : "-";
    });
    return s;
  };
  EXPECT_EQ(visit(p1), "R1,R2,R3*, judged 2026-09-02");  // not judged on tonight's terms
  p1.first_day_judged = true;
  EXPECT_EQ(visit(p1), "R3*, stands 2026-09-02");
  // A late dose for the first day, open: the day is read whole again.
  ASSERT_EQ(ledger_->OfferRow(RowOn("R4", "2026-09-02"), run), RowState::kNew);  // rowid 14
  EXPECT_EQ(visit(p1), "R1,R2,R4*,R3*, judged 2026-09-02");
  // Judged with it (decided since): the verdict stands again.
  ledger_->SetOutcomes({{14, 0}}, {{"billed", ""}}, run);
  EXPECT_EQ(visit(p1), "R3*, stands 2026-09-02");
  // Any open row on the first day (dose_justified may be on any row): read whole again.
  ASSERT_EQ(ledger_->OfferRow(RowOn("C1", "2026-09-02", Service::kCounselingIndividual), run), RowState::kNew);
  EXPECT_EQ(visit(p1), "R1,R2,R4,C1*,R3*, judged 2026-09-02");
  ledger_->SetOutcomes({{15, 0}}, {{"billed", ""}}, run);
  p1.facts.Add(*Date::Parse("2026-09-02"), Service::kCounselingIndividual, 15);  // judged with it
  EXPECT_EQ(visit(p1), "#15,R3*, stands 2026-09-02");
  // A decided row of 09-01 (counseling, not a dose) is not read while the day is not the first.
  ASSERT_EQ(ledger_->OfferRow(RowOn("C2", "2026-09-01", Service::kCounselingGroup), run), RowState::kNew);
  ledger_->SetOutcomes({{16, 0}}, {{"billed", ""}}, run);
  EXPECT_EQ(visit(p1), "#15,R3*, stands 2026-09-02");
  // An earlier dose (09-01), open: the first day moved, and every row of it is read.
  ASSERT_EQ(ledger_->OfferRow(RowOn("R5", "2026-09-01"), run), RowState::kNew);
  EXPECT_EQ(visit(p1), "C2,R5*,#15,R3*, judged 2026-09-01");
  // PA-6 does not apply to this admission (the records began after it): the day is not read.
  p1.first_dose_day = false;
  EXPECT_EQ(visit(p1), "R5*,#15,R3*, not judged 2026-09-01");
  ledger_->Commit();
}

// Rows staged by a bulk load and never stored cannot be committed (they would be lost).
TEST_F(LedgerTest, BulkLoadRefusesToCommitRowsItNeverStored) {
  ASSERT_TRUE(ledger_->BeginNight());
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
  ASSERT_EQ(ledger_->OfferRow(Row("R1", "h1"), run), RowState::kNew);
  EXPECT_THROW(ledger_->Commit(), sql::Error);
  ledger_->Rollback();
  EXPECT_EQ(JournalMode(*ledger_), "wal");
}

// Indexes of earlier versions are replaced: service_rows_patient, service_rows_by_patient
// (every row) and service_rows_decided (by patient) by service_rows_dated when the ledger is
// opened, service_rows_care and service_rows_care_v2 by the next IndexCareRows.
TEST_F(LedgerTest, ReplacesTheCareIndexesOfEarlierVersions) {
  ReopenAfter("DROP INDEX service_rows_dated; "
              "CREATE INDEX service_rows_decided ON service_rows (facility_id, patient_id, service_date, service) "
              "WHERE status <> 'open'; "
              "CREATE INDEX service_rows_patient ON service_rows (facility_id, patient_id, service_date); "
              "CREATE INDEX service_rows_by_patient ON service_rows (facility_id, patient_id, service_date, service); "
              "CREATE INDEX service_rows_care ON service_rows (facility_id, patient_id, service_date) "
              "WHERE service IN ('care_plan'); "
              "CREATE INDEX service_rows_care_v2 ON service_rows (facility_id, patient_id, service_date) "
              "WHERE service IN ('care_plan', 'methadone_takehome')");
  ASSERT_TRUE(ledger_);
  EXPECT_EQ(RowIndexes(*ledger_), (std::vector<std::string>{"service_rows_care", "service_rows_care_v2",
                                                             "service_rows_dated", "service_rows_open",
                                                             "service_rows_record"}));
  ledger_->Begin();
  ledger_->IndexCareRows();
  ledger_->Commit();
  EXPECT_EQ(RowIndexes(*ledger_), (std::vector<std::string>{"service_rows_checks", "service_rows_dated",
                                                             "service_rows_open", "service_rows_record"}));
}

// A ledger with the windows by patient (windows_patient, before windows_by_end) opened by
// this binary: the index replaced, and the night's book reads the windows through the new one.
TEST_F(LedgerTest, BU4_ReplacesTheWindowsIndexByPatient) {
  ledger_->Begin();
  const int64_t run = ledger_->StartRun(*Date::Parse("2026-06-30"), 0, false, "");
  ledger_->AddWindow({"F1", "P1", *Date::Parse("2026-05-01"), *Date::Parse("2026-05-28"), "G2069", "R1"}, run);
  ledger_->Commit();
  const std::string indexes = "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master "
                              "WHERE type = 'index' AND tbl_name = 'windows' ORDER BY name)";
  ReopenAfter("DROP INDEX windows_by_end; CREATE INDEX windows_patient ON windows (facility_id, patient_id)");
  ASSERT_TRUE(ledger_);
  EXPECT_EQ(One(indexes), "sqlite_autoindex_windows_1 windows_by_end");
  Ledger::HistoryBook book = ledger_->ReadHistoryBook();
  EXPECT_EQ(SourcesOf(ledger_->History("F1", "P1", &book, *Date::Parse("2026-05-10"))),
            std::vector<std::string>{"R1"});
}

// Every night sends every patient: one as on record is not written again (its run_id stays the
// run that last changed it); any change of a field, a discharge date taken back included, is.
TEST_F(LedgerTest, APatientIsWrittenOnlyWhenItChanged) {
  Patient p;
  p.facility_id = "F1";
  p.patient_id = "P1";
  p.last_name = "Doe";
  p.address.city = "Dayton";
  p.admission_date = *Date::Parse("2026-08-01");
  p.discharge_date = *Date::Parse("2026-09-15");
  p.source = SourceRef{"patients.csv", 2};
  auto night = [&](const Patient& q) {
    ledger_->Begin();
    int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
    ledger_->UpsertPatient(q, run);
    const int changes = ledger_->db().Changes();
    ledger_->Commit();
    return std::to_string(run) + " " + std::to_string(changes);
  };
  const std::string stored = "SELECT run_id || ' ' || city || ' ' || ifnull(discharge_date, '-') FROM patients";
  EXPECT_EQ(night(p), "1 1");
  EXPECT_EQ(night(p), "2 0");
  EXPECT_EQ(One(stored), "1 Dayton 2026-09-15");
  p.address.city = "Xenia";
  EXPECT_EQ(night(p), "3 1");
  EXPECT_EQ(One(stored), "3 Xenia 2026-09-15");
  p.discharge_date.reset();
  EXPECT_EQ(night(p), "4 1");
  EXPECT_EQ(One(stored), "4 Xenia -");
  p.source.line = 7;  // the file's rows in another order
  EXPECT_EQ(night(p), "5 1");
  EXPECT_EQ(night(p), "6 0");
  EXPECT_EQ(One(stored), "5 Xenia -");
}

// FirstServiceDate: the facility's least date, decided (a seek on service_rows_dated) or open.
TEST_F(LedgerTest, FirstServiceDateIsTheFacilitysEarliestRow) {
  EXPECT_FALSE(ledger_->FirstServiceDate("F1").has_value());
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
  for (const char* pid : {"P1", "P2"}) {
    Patient p;
    p.facility_id = "F1";
    p.patient_id = pid;
    p.admission_date = *Date::Parse("2026-08-01");
    ledger_->UpsertPatient(p, run);
  }
  ServiceRecord a = Row("R1", "h1"), b = Row("R2", "h2"), c = Row("R3", "h3");
  a.service_date = *Date::Parse("2026-09-05");
  b.patient_id = "P2";
  b.service_date = *Date::Parse("2026-08-20");
  c.patient_id = "P2";
  c.service_date = *Date::Parse("2026-09-01");
  for (const auto& r : {a, b, c}) ASSERT_EQ(ledger_->OfferRow(r, run), RowState::kNew);
  // b decided: counted from the decided rows' index, the others from the open rows.
  ledger_->SetOutcomes({{2, 0}}, {{"billed", ""}}, run);
  EXPECT_EQ(ledger_->FirstServiceDate("F1"), Date::Parse("2026-08-20"));
  EXPECT_FALSE(ledger_->FirstServiceDate("F2").has_value());
  ledger_->Commit();
}

// v4: the answer is kept per facility (facility_first), moved at the commit by the rows stored
// since (asked or not), counted again when an open row was replaced (its date may have moved
// later), and a rolled-back night moves nothing.
TEST_F(LedgerTest, FirstServiceDateIsKeptAndMovedByTheRowsStoredSince) {
  auto kept = [&]() -> std::string {
    sql::Stmt k(ledger_->db(), "SELECT first_date FROM facility_first WHERE facility_id = 'F1'");
    return k.Step() ? k.Text(0) : "none";
  };
  auto row = [](const char* id, const char* hash, const char* date) {
    ServiceRecord r = Row(id, hash);
    r.service_date = *Date::Parse(date);
    return r;
  };
  Patient p;
  p.facility_id = "F1";
  p.patient_id = "P1";
  p.admission_date = *Date::Parse("2026-08-01");
  ledger_->Begin();
  int64_t run = ledger_->StartRun(*Date::Parse("2026-09-30"), 0, false, "");
  ledger_->UpsertPatient(p, run);
  for (const auto& r : {row("R1", "h1", "2026-09-05"), row("R2", "h2", "2026-08-20")})
    ASSERT_EQ(ledger_->OfferRow(r, run), RowState::kNew);
  EXPECT_EQ(ledger_->FirstServiceDate("F1"), Date::Parse("2026-08-20"));
  ledger_->Commit();
  EXPECT_EQ(kept(), "2026-08-20");

  // A night as of `as_of` that is offered one row (its transaction left open).
  auto night_with = [&](const char* as_of, const ServiceRecord& r, bool dry_run = false) {
    ledger_->Begin();
    return ledger_->OfferRow(r, ledger_->StartRun(*Date::Parse(as_of), 0, dry_run, ""));
  };

  // An earlier row, the date not asked for before the commit: the kept date moves all the same.
  ASSERT_EQ(night_with("2026-10-01", row("R3", "h3", "2026-08-10")), RowState::kNew);
  ledger_->Commit();
  EXPECT_EQ(kept(), "2026-08-10");

  // R3, still open, comes again with a later date: counted again from the rows.
  ASSERT_EQ(night_with("2026-10-02", row("R3", "h3b", "2026-09-10")), RowState::kChangedOpen);
  EXPECT_EQ(ledger_->FirstServiceDate("F1"), Date::Parse("2026-08-20"));
  ledger_->Commit();
  EXPECT_EQ(kept(), "2026-08-20");

  // Replaced again, not asked: forgotten at the commit, counted on the next ask.
  ASSERT_EQ(night_with("2026-10-03", row("R2", "h2b", "2026-09-12")), RowState::kChangedOpen);
  ledger_->Commit();
  EXPECT_EQ(kept(), "none");
  ledger_->Begin();
  EXPECT_EQ(ledger_->FirstServiceDate("F1"), Date::Parse("2026-09-05"));
  ledger_->Commit();
  EXPECT_EQ(kept(), "2026-09-05");

  // A night taken back (a dry run) moves nothing.
  ASSERT_EQ(night_with("2026-10-04", row("R4", "h4", "2026-07-01"), true), RowState::kNew);
  EXPECT_EQ(ledger_->FirstServiceDate("F1"), Date::Parse("2026-07-01"));
  ledger_->Rollback();
  EXPECT_EQ(kept(), "2026-09-05");
  ledger_->Begin();
  EXPECT_EQ(ledger_->FirstServiceDate("F1"), Date::Parse("2026-09-05"));
  ledger_->Commit();
}

}  // namespace
}  // namespace otp
