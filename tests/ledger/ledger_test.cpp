// The ledger as a store: the once-only guarantees its keys give (CL-7), row states across
// nights, counters, the lock, a first night's bulk load, the reads a night's pass makes, the
// state kept per patient, and the refusal of anything stored that does not read back.
#include "ledger/ledger.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>

#include "ledger/lock.h"
#include "ledger/sqlite_db.h"
#include "scratch_dir.h"

namespace otp {
namespace {

Date D(const char* iso) { return Date::Parse(iso).value(); }

std::string CodeName(StatusCode c) {
  switch (c) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid-argument";
    case StatusCode::kConfig: return "config";
    case StatusCode::kNotFound: return "not-found";
    case StatusCode::kIo: return "io";
    case StatusCode::kBusy: return "busy";
    case StatusCode::kCorrupt: return "corrupt";
    case StatusCode::kStopped: return "stopped";
    case StatusCode::kInternal: return "internal";
  }
  return "?";
}
// "ok", or the code and message of a failure: comparing it names the failure in the output.
std::string Said(const Status& s) { return s.ok() ? "ok" : CodeName(s.code()) + ": " + s.message(); }
// A step the test needs: a failure ends the test with its message (gtest reports the throw).
void Ok(const Status& s) {
  if (!s.ok()) throw std::runtime_error(Said(s));
}
template <typename T>
T Val(Result<T> r) {
  Ok(r.status());
  return std::move(r).value();
}

// The first value `q` gives on `db`, as text; empty without a row.
std::string FirstValue(sql::Db& db, const std::string& q) {
  sql::Stmt s(db, q);
  std::string v = s.Step() ? s.Text(0) : "";
  Ok(s.Done());
  return v;
}

// Row `id` of P1 at F1: a methadone dose on 2026-09-01, its content hash "h<id>".
ServiceRecord Row(const std::string& id, const char* date = "2026-09-01", Service s = Service::kMethadoneDose,
                  const std::string& pid = "P1", const std::string& fid = "F1") {
  ServiceRecord r;
  r.facility_id = fid;
  r.patient_id = pid;
  r.record_id = id;
  r.service_date = D(date);
  r.service = s;
  r.quantity = 60;
  r.content_hash = "h" + id;
  return r;
}

Patient APatient(const std::string& pid = "P1") {
  Patient p;
  p.facility_id = "F1";
  p.patient_id = pid;
  p.last_name = "Doe";
  p.birth_date = D("1960-02-03");
  p.sex = 'F';
  p.address.city = "Dayton";
  p.admission_date = D("2026-08-01");
  p.source = SourceRef{"patients.csv", 2};
  return p;
}

ClaimLine Line(const std::string& code, const char* dos, const std::string& record) {
  ClaimLine l;
  l.code = code;
  l.dos = D(dos);
  l.unit_price = l.charge = Money::Cents(27729);
  l.rule_id = "BU-2";
  l.source_record_ids = {record};
  l.episode_start = D("2026-09-01");
  return l;
}

Claim OneLineClaim(const std::string& id, const std::string& record, const std::string& code = "G2067") {
  Claim c;
  c.claim_id = id;
  c.facility_id = "F1";
  c.patient_id = "P1";
  c.diagnosis = "F1120";
  c.lines.push_back(Line(code, "2026-09-01", record));
  return c;
}

// A row as a pass prints it: record id, "*" when open.
std::string Described(const StoredRow& r) { return r.record.record_id + (r.open ? "*" : ""); }
std::string Described(const std::vector<StoredRow>& rows) {
  std::string s;
  for (size_t i = 0; i < rows.size(); ++i) s += (i ? "," : "") + Described(rows[i]);
  return s;
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (scratch_.path() / "t.db").string();
    ledger_ = Val(Ledger::Create(path_));
  }
  void TearDown() override { ledger_.reset(); }
  // Begins a transaction and a run as of `as_of`: the run's id.
  int64_t BeginRun(const char* as_of = "2026-09-30") {
    Ok(ledger_->Begin());
    return Val(ledger_->StartRun(D(as_of), 0, false, ""));
  }
  // What became of `r` offered to the ledger, as RowStateName says it.
  std::string Offer(const ServiceRecord& r, int64_t run) {
    return RowStateName(Val(ledger_->OfferRow(r, run)).state);
  }
  // Rows `rowids` decided (billed).
  void Decide(std::initializer_list<int64_t> rowids, int64_t run) {
    std::vector<RowDecision> d;
    for (int64_t id : rowids) d.push_back({id, 0});
    Ok(ledger_->SetOutcomes(d, {{"billed", ""}}, run));
  }
  std::string One(const std::string& q) { return FirstValue(ledger_->db(), q); }
  ScratchDir scratch_{"otp-ledger"};  // outlives ledger_
  std::string path_;
  std::unique_ptr<Ledger> ledger_;
};

// ---- the file

TEST_F(LedgerTest, LedgerFileIsPrivate) {
  struct stat st{};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(LedgerTest, ANewLedgerHasSixteenKiBPages) {
  EXPECT_EQ(One("PRAGMA page_size"), "16384");
}

// SQLite keeps no memory statistics in otpbatch: counting them takes a global mutex around every
// allocation SQLite makes (Db::Open turns them off before SQLite's first use in the process).
TEST_F(LedgerTest, SqliteKeepsNoMemoryStatistics) {
  const int64_t run = BeginRun();
  ASSERT_EQ(Offer(Row("R1"), run), "new");
  Ok(ledger_->Commit());
  EXPECT_EQ(sqlite3_memory_used(), 0);
}

// A file that holds tables but is no otpbatch ledger (another program's database) is refused,
// and so is one that is not SQLite at all: never taken for an empty ledger.
TEST_F(LedgerTest, AnotherSqliteDatabaseIsRefused) {
  const std::string other = (scratch_.path() / "other.db").string();
  {
    auto d = Val(sql::Db::Open(other, sql::OpenMode::kCreate));
    Ok(d->Exec("CREATE TABLE notes (a); INSERT INTO notes VALUES (1)"));
  }
  const auto refused = Ledger::Open(other);
  EXPECT_EQ(CodeName(refused.status().code()), "corrupt") << Said(refused.status());
  {
    auto d = Val(sql::Db::Open(other, sql::OpenMode::kExisting));
    EXPECT_EQ(FirstValue(*d, "SELECT group_concat(name) FROM sqlite_master"), "notes");  // no table added
  }
  // A table named meta is not enough: it must hold otpbatch's schema version.
  const std::string with_meta = (scratch_.path() / "meta.db").string();
  {
    auto d = Val(sql::Db::Open(with_meta, sql::OpenMode::kCreate));
    Ok(d->Exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); "
               "INSERT INTO meta VALUES ('owner', 'someone else')"));
  }
  EXPECT_EQ(CodeName(Ledger::Open(with_meta).status().code()), "corrupt");
  const std::string text = (scratch_.path() / "patients.csv").string();
  std::ofstream(text) << "patient_id,facility_id\nP1,F1\n";
  EXPECT_EQ(CodeName(Ledger::Open(text).status().code()), "corrupt");
}

// Another program's database is refused before anything is written to it: not even its
// journal mode changes (no -wal or -shm file appears).
TEST_F(LedgerTest, AnotherSqliteDatabaseIsRefusedWithNothingWritten) {
  const std::string other = (scratch_.path() / "other.db").string();
  {
    auto d = Val(sql::Db::Open(other, sql::OpenMode::kCreate));
    Ok(d->Exec("CREATE TABLE notes (a)"));
  }
  ASSERT_FALSE(Ledger::Open(other).ok());
  auto d = Val(sql::Db::Open(other, sql::OpenMode::kExisting));
  EXPECT_EQ(FirstValue(*d, "PRAGMA journal_mode"), "delete");
}

// One schema, version 1: a ledger of any other version is refused (no migration guesses).
TEST_F(LedgerTest, ALedgerOfAnotherSchemaVersionIsRefused) {
  EXPECT_EQ(One("SELECT value FROM meta WHERE key = 'schema_version'"), "1");
  EXPECT_EQ(One("SELECT length(value) FROM meta WHERE key = 'ledger_id'"), "32");
  for (const char* version : {"2", "0", "", "1.0"}) {
    Ok(ledger_->db().Exec(std::string("UPDATE meta SET value = '") + version + "' WHERE key = 'schema_version'"));
    ledger_.reset();
    const auto refused = Ledger::Open(path_);
    EXPECT_EQ(CodeName(refused.status().code()), "corrupt") << "version '" << version << "'";
    EXPECT_NE(refused.status().message().find(std::string("schema version ") + version + ";"), std::string::npos)
        << refused.status().message();
    auto d = Val(sql::Db::Open(path_, sql::OpenMode::kExisting));
    Ok(d->Exec("UPDATE meta SET value = '1' WHERE key = 'schema_version'"));
    d.reset();
    ledger_ = Val(Ledger::Open(path_));  // version 1 again: opened
  }
  Ok(ledger_->db().Exec("DELETE FROM meta WHERE key = 'schema_version'"));
  ledger_.reset();
  EXPECT_EQ(CodeName(Ledger::Open(path_).status().code()), "corrupt");
}

// ---- rows across nights

TEST_F(LedgerTest, CL7_RowStatesAcrossNights) {
  const int64_t run = BeginRun("2026-09-10");
  ServiceRecord r = Row("R1");
  const RowOffer first = Val(ledger_->OfferRow(r, run));
  EXPECT_EQ(std::string(RowStateName(first.state)), "new");
  EXPECT_GT(first.rowid, 0);
  EXPECT_EQ(Offer(r, run), "open");
  // Changed while open: replaced, and the patient it named before is told (its care is read again).
  ServiceRecord moved = r;
  moved.content_hash = "h2";
  moved.patient_id = "P2";
  const RowOffer changed = Val(ledger_->OfferRow(moved, run));
  EXPECT_EQ(std::string(RowStateName(changed.state)), "changed-open");
  EXPECT_EQ(changed.rowid, first.rowid);
  EXPECT_EQ(changed.previous_patient, "P1");
  const auto open = Val(ledger_->OpenRows());
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].record.content_hash, "h2");
  EXPECT_EQ(open[0].record.patient_id, "P2");
  Ok(ledger_->SetOutcome("F1", "R1", "billed", "", run));
  EXPECT_EQ(Offer(moved, run), "already-processed");
  moved.content_hash = "h3";
  EXPECT_EQ(Offer(moved, run), "changed-decided");
  // The same change sent again the next night is not held a second time; a further change is.
  EXPECT_EQ(Offer(moved, run), "already-processed");
  moved.content_hash = "h4";
  EXPECT_EQ(Offer(moved, run), "changed-decided");
  EXPECT_TRUE(Val(ledger_->OpenRows()).empty());
  EXPECT_EQ(One("SELECT content_hash || ' ' || status FROM service_rows"), "h2 billed");  // kept as decided
  Ok(ledger_->Commit());
}

TEST_F(LedgerTest, CL7_SameRowCannotFeedTheSameCodeTwice) {
  const int64_t run = BeginRun("2026-09-10");
  Ok(ledger_->AddClaim(OneLineClaim("C1", "R1"), run, 1, nullptr));
  EXPECT_FALSE(ledger_->AddClaim(OneLineClaim("C2", "R1"), run, 1, nullptr).ok());
  // Another code from the same row is another line: stored.
  EXPECT_EQ(Said(ledger_->AddClaim(OneLineClaim("C3", "R1", "G2078"), run, 1, nullptr)), "ok");
  ledger_->Rollback();
}

TEST_F(LedgerTest, CL7_EpisodeIsDecidedOnce) {
  const int64_t run = BeginRun("2026-09-10");
  const Episode e{"F1", "P1", D("2026-09-01"), D("2026-09-07"), "G2067", "billed", ""};
  Ok(ledger_->AddEpisodes({e}, run));
  EXPECT_FALSE(ledger_->AddEpisodes({e}, run).ok());
  Episode held = e;  // the same episode, decided otherwise: still the same episode
  held.status = "held";
  EXPECT_FALSE(ledger_->AddEpisodes({held}, run).ok());
  ledger_->Rollback();
}

// A held week is decided again each night (interface.md §3): stored as held, it may be
// replaced — held again or billed — once billed, never again.
TEST_F(LedgerTest, CL7_AHeldEpisodeIsDecidedAgainUntilItIsBilled) {
  const int64_t run = BeginRun("2026-09-10");
  Episode held{"F1", "P1", D("2026-09-01"), D("2026-09-07"), "", "held", "no-oud-diagnosis"};
  Ok(ledger_->AddEpisodes({held}, run));
  Ok(ledger_->AddEpisodes({held}, run));  // held again the next night
  Episode billed = held;
  billed.status = "billed";
  billed.bundle_code = "G2067";
  billed.reason = "";
  Ok(ledger_->AddEpisodes({billed}, run));
  EXPECT_EQ(One("SELECT status || ' ' || bundle_code FROM episodes"), "billed G2067");
  EXPECT_EQ(One("SELECT count(*) FROM episodes"), "1");
  EXPECT_FALSE(ledger_->AddEpisodes({billed}, run).ok());
  EXPECT_FALSE(ledger_->AddEpisodes({held}, run).ok());
  ledger_->Rollback();
}

// One hold per cause: raised on many nights it is one row naming the night that raised it last.
TEST_F(LedgerTest, AHoldRaisedAgainIsOneRowNamingTheLatestRun) {
  const int64_t first = BeginRun("2026-09-10");
  Hold h{"F1", "P1", D("2026-09-01"), "no-oud-diagnosis", "diagnosis on file F1020", "G2067", {"R1", "R2"}};
  h.week = D("2026-09-01");
  h.amount = Money::Cents(28754);
  Ok(ledger_->AddHold(h, first));
  Ok(ledger_->Commit());
  const int64_t second = BeginRun("2026-09-11");
  h.record_ids.push_back("R3");
  Ok(ledger_->AddHold(h, second));
  Ok(ledger_->Commit());
  EXPECT_EQ(One("SELECT count(*) FROM holds"), "1");
  const std::vector<Hold> held = Val(ledger_->HoldsOfRuns({second}));
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].record_ids, (std::vector<std::string>{"R1", "R2", "R3"}));
  EXPECT_EQ(held[0].amount->cents(), 28754);
  EXPECT_EQ(held[0].week, D("2026-09-01"));
  EXPECT_TRUE(Val(ledger_->HoldsOfRuns({first})).empty());
}

// A work item's life: opened by its cause, seen again, resolved by the data, opened again when
// the cause returns; a person's close is final.
TEST_F(LedgerTest, AWorkItemIsOneRowPerCauseAndAClosedOneStaysClosed) {
  WorkItem w;
  w.cause = "finding|PA-1|F1|P1";
  w.kind = "finding";
  w.facility_id = "F1";
  w.reason = "PA-1";
  const int64_t run = BeginRun("2026-09-10");
  EXPECT_TRUE(Val(ledger_->RaiseItem(w, run, D("2026-09-10"))));
  EXPECT_FALSE(Val(ledger_->RaiseItem(w, run, D("2026-09-11"))));
  Ok(ledger_->ResolveItem(1, run, D("2026-09-12"), "not found again"));
  EXPECT_TRUE(Val(ledger_->RaiseItem(w, run, D("2026-09-13"))));  // back again
  EXPECT_TRUE(Val(ledger_->CloseItem(1, "A. Chen", "reviewed", "2026-09-14T10:00:00Z", D("2026-09-14"))));
  EXPECT_FALSE(Val(ledger_->CloseItem(1, "A. Chen", "reviewed", "2026-09-14T10:00:00Z", D("2026-09-14"))));
  EXPECT_FALSE(Val(ledger_->RaiseItem(w, run, D("2026-09-15"))));
  EXPECT_EQ(One("SELECT count(*) FROM work_items"), "1");
  EXPECT_EQ(One("SELECT state || ' ' || ended_by FROM work_items"), "closed A. Chen");
  ledger_->Rollback();
}

// A work item whose state word this otpbatch does not know is a damaged ledger, never a default.
TEST_F(LedgerTest, AWorkItemInAnUnknownStateIsRefused) {
  WorkItem w;
  w.cause = "c";
  w.kind = "finding";
  const int64_t run = BeginRun("2026-09-10");
  Val(ledger_->RaiseItem(w, run, D("2026-09-10")));
  Ok(sql::Stmt(ledger_->db(), "UPDATE work_items SET state = 'pending'").Run());
  EXPECT_EQ(CodeName(ledger_->Items(std::nullopt).status().code()), "corrupt");
  ledger_->Rollback();
}

// episode_last holds each patient's latest end (billing's late-record line, CL-7): moved by a
// later end, never by an earlier one, whatever the order the episodes come in.
TEST_F(LedgerTest, CL7_LastEpisodeEndMovesOnlyLater) {
  const int64_t run = BeginRun();
  auto ep = [](const char* pid, const char* start, const char* end) {
    return Episode{"F1", pid, D(start), D(end), "G2067", "billed", ""};
  };
  Ok(ledger_->AddEpisodes({ep("P2", "2026-09-17", "2026-09-23"), ep("P3", "2026-09-01", "2026-09-07"),
                           ep("P2", "2026-09-10", "2026-09-16")},
                          run));
  Ok(ledger_->AddEpisodes({ep("P1", "2026-09-01", "2026-09-07")}, run));
  Ok(ledger_->AddEpisodes({ep("P1", "2026-07-01", "2026-07-07")}, run));  // earlier: no move
  EXPECT_EQ(Val(ledger_->LastEpisodeEnd("F1", "P1")), D("2026-09-07"));
  EXPECT_EQ(Val(ledger_->LastEpisodeEnd("F1", "P2")), D("2026-09-23"));
  EXPECT_FALSE(Val(ledger_->LastEpisodeEnd("F1", "P4")).has_value());
  std::string ends;
  for (const auto& e : Val(ledger_->LastEpisodeEnds())) ends += e.patient_id + " " + e.end.Iso() + ", ";
  EXPECT_EQ(ends, "P1 2026-09-07, P2 2026-09-23, P3 2026-09-07, ");
  Ok(ledger_->Commit());
}

TEST_F(LedgerTest, FindingsAreRaisedOncePerKey) {
  const int64_t run = BeginRun("2026-09-10");
  Finding f;
  f.rule_id = "PA-1";
  f.key = "F1|P1|PA-1|2026-09-14";
  f.date = D("2026-09-14");
  EXPECT_TRUE(Val(ledger_->AddFinding(f, run)));
  EXPECT_FALSE(Val(ledger_->AddFinding(f, run)));
  f.key = "F1|P1|PA-1|2026-09-15";
  EXPECT_TRUE(Val(ledger_->AddFinding(f, run)));
  EXPECT_EQ(Val(ledger_->FindingsBetween(D("2026-09-01"), D("2026-09-30"))).size(), 2u);
  Ok(ledger_->Commit());
}

TEST_F(LedgerTest, CountersNeverRepeatAndRollBackWithTheRun) {
  Ok(ledger_->Begin());
  EXPECT_EQ(Val(ledger_->NextCounter("interchange")), 1);
  EXPECT_EQ(Val(ledger_->NextCounter("interchange")), 2);
  EXPECT_EQ(Val(ledger_->NextCounter("claim")), 1);
  Ok(ledger_->Commit());
  Ok(ledger_->Begin());
  EXPECT_EQ(Val(ledger_->NextCounter("interchange")), 3);
  ledger_->Rollback();  // a failed run gives its numbers back: the retry reuses them
  Ok(ledger_->Begin());
  EXPECT_EQ(Val(ledger_->NextCounter("interchange")), 3);
  Ok(ledger_->Commit());
}

TEST_F(LedgerTest, SecondLockIsRefusedWithPidAndReleasedOnClose) {
  auto a = LedgerLock::Acquire(path_, 1700000000);
  ASSERT_TRUE(a.ok());
  // flock locks belong to the open file description: a second open in this process conflicts too.
  auto b = LedgerLock::Acquire(path_, 1700000000);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(CodeName(b.status().code()), "busy");
  EXPECT_NE(b.status().message().find("pid " + std::to_string(::getpid())), std::string::npos);
  EXPECT_NE(b.status().message().find("2023-11-14T22:13:20Z"), std::string::npos);
  a.value().reset();
  EXPECT_TRUE(LedgerLock::Acquire(path_, 1700000000).ok());
}

// Every night sends every patient: one as on record is not written again (its run_id stays the
// run that last changed it); any change of a field, a discharge date taken back included, is.
TEST_F(LedgerTest, APatientIsWrittenOnlyWhenItChanged) {
  Patient p = APatient();
  p.discharge_date = D("2026-09-15");
  auto night = [&](const Patient& q) {
    const int64_t run = BeginRun();
    Ok(ledger_->UpsertPatient(q, run));
    const int changes = ledger_->db().Changes();
    Ok(ledger_->Commit());
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
  const auto back = Val(ledger_->LoadPatient("F1", "P1"));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->address.city + " " + back->birth_date.Iso() + " " + back->sex, "Xenia 1960-02-03 F");
  EXPECT_FALSE(back->discharge_date.has_value());
}

// ---- the first night: a bulk load

// The names of service_rows' and line_sources' own indexes, sorted.
std::vector<std::string> RowIndexes(Ledger& l) {
  std::vector<std::string> out;
  sql::Stmt s(l.db(), "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
                      "('service_rows', 'line_sources') AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name");
  while (s.Step()) out.push_back(s.Text(0));
  Ok(s.Done());
  return out;
}
std::string JournalMode(Ledger& l) { return FirstValue(l.db(), "PRAGMA journal_mode"); }
const std::vector<std::string> kAllRowIndexes = {"line_sources_claim", "line_sources_once", "service_rows_dated",
                                                 "service_rows_open", "service_rows_record"};

// A first night on an empty ledger is a bulk load: written once (rollback journal), the row
// indexes built after the rows are in; the ledger is back in WAL with every index afterwards.
TEST_F(LedgerTest, FirstNightIsABulkLoadThatEndsWithEveryIndexInWal) {
  ASSERT_EQ(RowIndexes(*ledger_), kAllRowIndexes);
  ASSERT_TRUE(Val(ledger_->BeginNight()));
  EXPECT_EQ(JournalMode(*ledger_), "delete");
  EXPECT_EQ(RowIndexes(*ledger_), std::vector<std::string>{"line_sources_claim"});
  const int64_t run = Val(ledger_->StartRun(D("2026-09-30"), 0, false, ""));
  ASSERT_EQ(Offer(Row("R1"), run), "new");
  Ok(ledger_->StoreStagedRows(D("2026-09-22")));  // the decided rows' index waits for the outcomes
  EXPECT_EQ(RowIndexes(*ledger_), (std::vector<std::string>{"line_sources_claim", "service_rows_record"}));
  const RowStats stats = Val(ledger_->Stats());
  EXPECT_EQ(stats.open, 1);
  EXPECT_EQ(stats.max_rowid, 1);
  EXPECT_FALSE(stats.dated_index);
  Ok(ledger_->FinishIndexes());
  EXPECT_EQ(RowIndexes(*ledger_), kAllRowIndexes);
  EXPECT_TRUE(Val(ledger_->Stats()).dated_index);
  Ok(ledger_->Commit());
  EXPECT_EQ(JournalMode(*ledger_), "wal");

  // The next night is not: the ledger holds rows. Nothing is dropped, and the bulk steps are no-ops.
  EXPECT_FALSE(Val(ledger_->BeginNight()));
  EXPECT_EQ(JournalMode(*ledger_), "wal");
  EXPECT_EQ(RowIndexes(*ledger_), kAllRowIndexes);
  Ok(ledger_->StoreStagedRows(D("2026-09-30")));
  Ok(ledger_->FinishIndexes());
  EXPECT_EQ(RowIndexes(*ledger_), kAllRowIndexes);
  ledger_->Rollback();
}

TEST_F(LedgerTest, ABulkNightRolledBackLeavesTheIndexesAndWal) {
  ASSERT_TRUE(Val(ledger_->BeginNight()));
  const int64_t run = Val(ledger_->StartRun(D("2026-09-30"), 0, false, ""));
  ASSERT_EQ(Offer(Row("R1"), run), "new");
  Ok(ledger_->StoreStagedRows(D("2026-09-22")));
  ledger_->Rollback();  // a dry run, or a failure
  EXPECT_EQ(JournalMode(*ledger_), "wal");
  EXPECT_EQ(RowIndexes(*ledger_), kAllRowIndexes);
  EXPECT_EQ(One("SELECT count(*) FROM service_rows"), "0");
}

// A bulk load stores the night's rows in (facility, patient, date, line) order, so the pass reads
// the table front to back; the rowids follow that order.
TEST_F(LedgerTest, BulkLoadStoresRowsInPatientOrder) {
  ASSERT_TRUE(Val(ledger_->BeginNight()));
  const int64_t run = Val(ledger_->StartRun(D("2026-09-10"), 0, false, ""));
  auto row = [](const char* pid, const char* id, const char* date, int64_t line) {
    ServiceRecord r = Row(id, date, Service::kMethadoneDose, pid);
    r.source = SourceRef{"services.csv", line};
    return r;
  };
  // File order: by date, patients interleaved; R4 and R5 share P1's day 2.
  for (const auto& r : {row("P2", "R1", "2026-09-01", 2), row("P1", "R2", "2026-09-01", 3),
                        row("P1", "R5", "2026-09-02", 4), row("P2", "R3", "2026-09-02", 5),
                        row("P1", "R4", "2026-09-02", 6)})
    ASSERT_EQ(Offer(r, run), "new");
  // Its first date of service: the least of the rows staged tonight (the ledger had none).
  EXPECT_EQ(Val(ledger_->FirstServiceDate("F1")), D("2026-09-01"));
  // The rows dated from 09-02 (the recent ones) are stored after the others, each part in
  // (patient, date, line) order.
  Ok(ledger_->StoreStagedRows(D("2026-09-02")));
  std::vector<std::string> order;
  {
    sql::Stmt s(ledger_->db(), "SELECT record_id FROM service_rows ORDER BY rowid");
    while (s.Step()) order.push_back(s.Text(0));
    Ok(s.Done());
  }
  EXPECT_EQ(order, (std::vector<std::string>{"R2", "R1", "R5", "R4", "R3"}));
  // The pass walks both parts (there is no decided rows' index before the outcomes), merged
  // patient by patient, each by (date, rowid).
  std::vector<std::string> walked;
  Ok(ledger_->ScanAllRows([&](std::vector<StoredRow>& rows) {
    walked.push_back(rows.front().record.patient_id + ":" + Described(rows));
    return Status::Ok();
  }));
  EXPECT_EQ(walked, (std::vector<std::string>{"P1:R2*,R5*,R4*", "P2:R1*,R3*"}));
  EXPECT_EQ(Val(ledger_->FirstServiceDate("F1")), D("2026-09-01"));
  // Offered again in the same night, a stored row is found, not staged.
  const RowOffer again = Val(ledger_->OfferRow(row("P1", "R2", "2026-09-01", 3), run));
  EXPECT_EQ(std::string(RowStateName(again.state)), "open");
  EXPECT_EQ(again.rowid, 1);
  Ok(ledger_->FinishIndexes());
  Ok(ledger_->Commit());
}

// The once-only index on records is built after a bulk load: a record twice fails the build
// and the night rolls back whole.
TEST_F(LedgerTest, BulkLoadStillRefusesARecordTwice) {
  ASSERT_TRUE(Val(ledger_->BeginNight()));
  const int64_t run = Val(ledger_->StartRun(D("2026-09-30"), 0, false, ""));
  ServiceRecord r = Row("R1");
  ASSERT_EQ(Offer(r, run), "new");
  r.content_hash = "h2";
  ASSERT_EQ(Offer(r, run), "new");  // staged: dropping a file's duplicates is the reader's duty
  EXPECT_FALSE(ledger_->StoreStagedRows(D("2026-09-22")).ok());
  ledger_->Rollback();
  EXPECT_EQ(One("SELECT count(*) FROM service_rows"), "0");
  EXPECT_TRUE(Val(ledger_->BeginNight())) << "still empty: the next night is a bulk load again";
  ledger_->Rollback();
}

// A night that will be rolled back (a dry run) on an empty ledger stays in WAL: leaving it
// would rewrite the file's header though nothing is committed (issue 24, case 7).
TEST_F(LedgerTest, ANightThatMayNotBulkLoadLeavesTheFileAsItWas) {
  ledger_.reset();
  std::ifstream in(path_, std::ios::binary);
  const std::string before((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ledger_ = Val(Ledger::Open(path_));
  EXPECT_FALSE(Val(ledger_->BeginNight(false)));
  EXPECT_EQ(JournalMode(*ledger_), "wal");
  const int64_t run = Val(ledger_->StartRun(D("2026-09-30"), 0, true, ""));
  ASSERT_EQ(Offer(Row("R1"), run), "new");
  ledger_->Rollback();
  ledger_.reset();
  std::ifstream again(path_, std::ios::binary);
  EXPECT_TRUE(std::string((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>()) == before);
}

// Rows staged by a bulk load and never stored cannot be committed (they would be lost).
TEST_F(LedgerTest, BulkLoadRefusesToCommitRowsItNeverStored) {
  ASSERT_TRUE(Val(ledger_->BeginNight()));
  const int64_t run = Val(ledger_->StartRun(D("2026-09-30"), 0, false, ""));
  ASSERT_EQ(Offer(Row("R1"), run), "new");
  EXPECT_EQ(CodeName(ledger_->Commit().code()), "internal");
  ledger_->Rollback();
  EXPECT_EQ(JournalMode(*ledger_), "wal");
  EXPECT_EQ(One("SELECT count(*) FROM runs"), "0");
}

// FirstServiceDate: the facility's least date of service, whether its row is open or decided,
// in a bulk load (from the rows staged) or not (from both row indexes), as the rows are now.
TEST_F(LedgerTest, FirstServiceDateIsTheFacilitysEarliestRow) {
  EXPECT_FALSE(Val(ledger_->FirstServiceDate("F1")).has_value());
  ASSERT_TRUE(Val(ledger_->BeginNight()));
  int64_t run = Val(ledger_->StartRun(D("2026-09-30"), 0, false, ""));
  for (const auto& r : {Row("R1", "2026-09-05"), Row("R2", "2026-08-20", Service::kMethadoneDose, "P2"),
                        Row("R9", "2026-07-01", Service::kMethadoneDose, "P1", "F2")})
    ASSERT_EQ(Offer(r, run), "new");
  EXPECT_EQ(Val(ledger_->FirstServiceDate("F1")), D("2026-08-20"));
  Ok(ledger_->StoreStagedRows(D("2026-09-22")));
  Ok(ledger_->FinishIndexes());
  EXPECT_EQ(Val(ledger_->FirstServiceDate("F1")), D("2026-08-20"));
  EXPECT_FALSE(Val(ledger_->FirstServiceDate("F3")).has_value());
  Ok(ledger_->Commit());

  EXPECT_EQ(Val(ledger_->FirstServiceDate("F1")), D("2026-08-20"));  // open rows
  run = BeginRun();
  Ok(ledger_->SetOutcome("F1", "R2", "billed", "", run));
  EXPECT_EQ(Val(ledger_->FirstServiceDate("F1")), D("2026-08-20"));  // decided
  ASSERT_EQ(Offer(Row("R3", "2026-08-10"), run), "new");
  EXPECT_EQ(Val(ledger_->FirstServiceDate("F1")), D("2026-08-10"));  // an earlier open one
  ServiceRecord later = Row("R3", "2026-09-10");
  later.content_hash = "h3b";
  ASSERT_EQ(Offer(later, run), "changed-open");
  EXPECT_EQ(Val(ledger_->FirstServiceDate("F1")), D("2026-08-20"));  // it moved later
  Ok(ledger_->Commit());
  run = BeginRun();
  ASSERT_EQ(Offer(Row("R4", "2026-06-01"), run), "new");
  EXPECT_EQ(Val(ledger_->FirstServiceDate("F1")), D("2026-06-01"));
  ledger_->Rollback();  // a dry run moves nothing
  EXPECT_EQ(Val(ledger_->FirstServiceDate("F1")), D("2026-08-20"));
  EXPECT_EQ(Val(ledger_->FirstServiceDate("F2")), D("2026-07-01"));
}

// ---- the reads of a night's pass

// Rows of three facilities and several patients, offered out of order (ids say the order of
// the patients' rows by date), some decided: "P10" < "P9" < "p1" and "F1" < "F10" < "F2" in
// byte order. Rowids 1.. in the order offered.
std::vector<ServiceRecord> MixedRows() {
  return {Row("F2-P1-b", "2026-09-03", Service::kMethadoneDose, "P1", "F2"),      // 1 decided
          Row("F1-P9-b", "2026-09-02", Service::kMethadoneDose, "P9"),            // 2 decided
          Row("F1-P10-a", "2026-09-01", Service::kMethadoneDose, "P10"),          // 3 decided
          Row("F1-P9-c", "2026-09-02", Service::kToxicologyTest, "P9"),           // 4 open, same day
          Row("F10-P1-a", "2026-09-05", Service::kMethadoneDose, "P1", "F10"),    // 5 decided
          Row("F1-p1-a", "2026-09-04", Service::kMethadoneDose, "p1"),            // 6
          Row("F1-P9-a", "2026-08-31", Service::kCounselingGroup, "P9"),          // 7 decided
          Row("F1-P9-d", "2026-09-03", Service::kMethadoneDose, "P9"),            // 8
          Row("F2-P1-a", "2026-09-01", Service::kMethadoneDose, "P1", "F2")};     // 9: open, before #1
}
const std::initializer_list<int64_t> kMixedDecided = {1, 2, 3, 5, 7};

// A walk over every row gives each patient once, in (facility, patient) byte order, with its
// open and decided rows together by (date, rowid).
TEST_F(LedgerTest, ScanAllRowsGivesEachPatientOnceInOrder) {
  const int64_t run = BeginRun();
  for (const auto& r : MixedRows()) ASSERT_EQ(Offer(r, run), "new");
  Decide(kMixedDecided, run);
  std::vector<std::string> walked;
  Ok(ledger_->ScanAllRows([&](std::vector<StoredRow>& rows) {
    walked.push_back(Described(rows));
    return Status::Ok();
  }));
  EXPECT_EQ(walked, (std::vector<std::string>{"F1-P10-a", "F1-P9-a,F1-P9-b,F1-P9-c*,F1-P9-d*", "F1-p1-a*",
                                              "F10-P1-a", "F2-P1-a*,F2-P1-b"}));
  // The whole row: its fields, rowid and first run as stored.
  Ok(ledger_->ScanAllRows([&](std::vector<StoredRow>& rows) {
    for (const auto& r : rows)
      if (r.record.record_id == "F1-P9-c") {
        EXPECT_EQ(r.rowid, 4);
        EXPECT_EQ(r.first_run, run);
        EXPECT_EQ(r.record.service, Service::kToxicologyTest);
        EXPECT_EQ(r.record.quantity, 60);
        EXPECT_FALSE(r.partial);
      }
    return Status::Ok();
  }));
  Ok(ledger_->Commit());
}

// The walk stops at the first failure of `fn` and returns it.
TEST_F(LedgerTest, ScanAllRowsStopsAtTheFirstFailure) {
  const int64_t run = BeginRun();
  for (const auto& r : MixedRows()) ASSERT_EQ(Offer(r, run), "new");
  int calls = 0;
  const Status s = ledger_->ScanAllRows([&](std::vector<StoredRow>&) {
    return ++calls == 2 ? Status::Io("disk full") : Status::Ok();
  });
  EXPECT_EQ(Said(s), "io: disk full");
  EXPECT_EQ(calls, 2);
  ledger_->Rollback();
}

// Outside a bulk load the walk reads the decided rows in patient order through the dated index;
// a ledger that lost it is damaged, not walked in another order.
TEST_F(LedgerTest, ScanAllRowsRefusesALedgerThatLostItsDatedIndex) {
  const int64_t run = BeginRun();
  for (const auto& r : MixedRows()) ASSERT_EQ(Offer(r, run), "new");
  Ok(ledger_->db().Exec("DROP INDEX service_rows_dated"));
  const Status s = ledger_->ScanAllRows([](std::vector<StoredRow>&) { return Status::Ok(); });
  EXPECT_EQ(CodeName(s.code()), "corrupt") << Said(s);
  ledger_->Rollback();
}

TEST_F(LedgerTest, OpenRowsAreSortedByPatientDateAndRowid) {
  const int64_t run = BeginRun();
  for (const auto& r : MixedRows()) ASSERT_EQ(Offer(r, run), "new");
  Decide(kMixedDecided, run);
  ASSERT_EQ(Offer(Row("F1-P9-c2", "2026-09-02", Service::kMethadoneDose, "P9"), run), "new");  // rowid 10
  // P10 comes before P9 though its open row is dated after all of theirs.
  ASSERT_EQ(Offer(Row("F1-P10-b", "2026-09-05", Service::kMethadoneDose, "P10"), run), "new");  // rowid 11
  std::string got;
  for (const auto& r : Val(ledger_->OpenRows())) {
    EXPECT_TRUE(r.open);
    got += r.record.record_id + "#" + std::to_string(r.rowid) + ",";
  }
  EXPECT_EQ(got, "F1-P10-b#11,F1-P9-c#4,F1-P9-c2#10,F1-P9-d#8,F1-p1-a#6,F2-P1-a#9,");
  Ok(ledger_->Commit());
}

// DecidedOnDay: a patient's decided rows of one day, service and rowid (never an open row,
// another patient's, another day's or another facility's). RowsById: whole rows in the order
// asked, appended. DecidedDays: each day with a decided row of the facility, once, ascending.
TEST_F(LedgerTest, DecidedOnDayRowsByIdAndDecidedDays) {
  const int64_t run = BeginRun();
  for (const auto& r : MixedRows()) ASSERT_EQ(Offer(r, run), "new");
  ASSERT_EQ(Offer(Row("F1-P9-b2", "2026-09-02", Service::kCarePlan, "P9"), run), "new");         // 10
  ASSERT_EQ(Offer(Row("F1-P8-a", "2026-09-02", Service::kMethadoneDose, "P8"), run), "new");     // 11
  Decide({1, 2, 3, 5, 7, 10, 11}, run);
  std::vector<RowRef> refs;
  Ok(ledger_->DecidedOnDay("F1", "P9", D("2026-09-02"), refs));
  std::string day;
  for (const auto& r : refs) day += std::string(ServiceName(r.service)) + "#" + std::to_string(r.rowid) + ",";
  EXPECT_EQ(day, "care_plan#10,methadone_dose#2,");  // not #4 (open) nor #11 (P8)
  refs.clear();
  Ok(ledger_->DecidedOnDay("F1", "P9", D("2026-09-03"), refs));  // only #8, open
  Ok(ledger_->DecidedOnDay("F2", "P9", D("2026-09-02"), refs));
  EXPECT_TRUE(refs.empty());

  std::vector<StoredRow> rows(1);  // appended after what is there
  Ok(ledger_->RowsById({8, 2, 99, 10}, rows));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(Described(rows), ",F1-P9-d*,F1-P9-b,F1-P9-b2");
  EXPECT_EQ(rows[3].record.service, Service::kCarePlan);
  EXPECT_EQ(rows[3].rowid, 10);

  std::string days;
  for (Date d : Val(ledger_->DecidedDays("F1"))) days += d.Iso() + ",";
  EXPECT_EQ(days, "2026-08-31,2026-09-01,2026-09-02,");  // not 09-03, 09-04 (open only)
  EXPECT_TRUE(Val(ledger_->DecidedDays("F3")).empty());
  Ok(ledger_->Commit());
}

// ---- state kept per patient, claims, windows

// The bytes a component keeps per patient come back as they were: any byte, NUL included, and
// none at all; one state per patient, replaced, forgotten, by (facility, patient).
TEST_F(LedgerTest, PatientStatesKeepArbitraryBytesPerPatient) {
  const std::string nul("C\x01\0\xff\x80zz\0", 8), empty, other("second");
  Ok(ledger_->Begin());
  Ok(ledger_->SetPatientState({"F2", "P1", other}));
  Ok(ledger_->SetPatientState({"F1", "P9", "first"}));
  Ok(ledger_->SetPatientState({"F1", "P9", nul}));  // replaced
  Ok(ledger_->SetPatientState({"F1", "P10", empty}));
  Ok(ledger_->SetPatientState({"F3", "P1", other}));
  Ok(ledger_->ForgetPatientState("F3", "P1"));
  Ok(ledger_->ForgetPatientState("F4", "P1"));  // none kept: nothing to forget
  Ok(ledger_->Commit());
  ledger_.reset();
  ledger_ = Val(Ledger::Open(path_));
  const auto got = Val(ledger_->PatientStates());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].facility_id + "/" + got[0].patient_id, "F1/P10");
  EXPECT_EQ(got[0].state, empty);
  EXPECT_EQ(got[1].facility_id + "/" + got[1].patient_id, "F1/P9");
  EXPECT_EQ(got[1].state, nul);
  EXPECT_EQ(got[1].state.size(), 8u);
  EXPECT_EQ(got[2].facility_id + "/" + got[2].patient_id, "F2/P1");
  EXPECT_EQ(got[2].state, other);
}

// AddClaim stores every line and its sources; only the lines `by_patient` chooses are kept by
// patient (PatientLines), by (facility, patient, date of service).
TEST_F(LedgerTest, AddClaimKeepsByPatientOnlyTheLinesTheFilterChooses) {
  const int64_t run = BeginRun();
  Claim c = OneLineClaim("C1", "R1");  // G2067 on 09-01: not chosen
  c.lines.push_back(Line("G2076", "2026-09-03", "R2"));
  c.lines.push_back(Line("G2215", "2026-09-02", "R3"));
  c.lines[2].source_record_ids.push_back("R4");
  Claim p0 = OneLineClaim("C2", "R5", "G2076");
  p0.patient_id = "P0";
  const Ledger::LineFilter not_bundle = [](const ClaimLine& l) { return l.code != "G2067"; };
  Ok(ledger_->AddClaim(c, run, 7, not_bundle));
  Ok(ledger_->AddClaim(p0, run, 7, not_bundle));
  Claim unfiltered = OneLineClaim("C3", "R6", "G2076");
  Ok(ledger_->AddClaim(unfiltered, run, 7, nullptr));  // no filter: none kept by patient
  std::string lines;
  for (const auto& l : Val(ledger_->PatientLines()))
    lines += l.facility_id + "/" + l.patient_id + " " + l.code + " " + l.dos.Iso() + ", ";
  EXPECT_EQ(lines, "F1/P0 G2076 2026-09-01, F1/P1 G2215 2026-09-02, F1/P1 G2076 2026-09-03, ");
  lines.clear();
  for (const auto& l : Val(ledger_->PatientLinesOf("F1", "P1"))) lines += l.code + " " + l.dos.Iso() + ", ";
  EXPECT_EQ(lines, "G2215 2026-09-02, G2076 2026-09-03, ");
  // The claim itself: every line, numbered, with its sources.
  const auto stored = Val(ledger_->FindClaim("C1"));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->interchange, 7);
  EXPECT_EQ(stored->line_nos, (std::vector<int>{1, 2, 3}));
  ASSERT_EQ(stored->claim.lines.size(), 3u);
  EXPECT_EQ(stored->claim.lines[2].source_record_ids, (std::vector<std::string>{"R3", "R4"}));
  EXPECT_EQ(stored->claim.Total().cents(), c.Total().cents());
  Ok(ledger_->Commit());
}

// WindowsEnding(from, before): exactly the facility's windows whose end is in [from, before)
// (no bound when not given), each with its rowid; a window added twice is kept once.
TEST_F(LedgerTest, WindowsEndingGivesExactlyTheWindowsEndingInTheRange) {
  const int64_t run = BeginRun();
  const std::vector<CoverageWindow> windows = {
      {"F1", "P1", D("2026-01-01"), D("2026-01-28"), "G2069", "R1"},
      {"F1", "P2", D("2026-01-20"), D("2026-01-28"), "G2078", "R2"},
      {"F1", "P1", D("2026-02-01"), D("2026-02-07"), "G2078", "R3"},
      {"F1", "P3", D("2025-12-20"), D("2026-03-01"), "G2073", "R4"},
      {"F2", "P1", D("2026-01-05"), D("2026-02-01"), "G2069", "R5"},  // another facility
      {"F1", "P1", D("2026-02-20"), D("2026-02-20"), "G2078", "R6"}};
  for (const auto& w : windows) Ok(ledger_->AddWindow(w, run));
  Ok(ledger_->AddWindow(windows[0], run));  // again: kept once
  EXPECT_TRUE(Val(ledger_->HasWindows()));
  std::vector<std::optional<Date>> bounds = {std::nullopt};
  for (Date d = D("2026-01-26"); d <= D("2026-03-02"); d = d + 1) bounds.push_back(d);
  for (const auto& from : bounds)
    for (const auto& before : bounds) {
      std::vector<std::string> got, expected;
      Date last_end;
      Ok(ledger_->WindowsEnding("F1", from, before, [&](int64_t rowid, CoverageWindow w) {
        const size_t i = static_cast<size_t>(rowid - 1);  // rowids 1.. in the order added
        ASSERT_LT(i, windows.size());
        EXPECT_EQ(w.source_record_id, windows[i].source_record_id);
        EXPECT_EQ(w.patient_id + w.from.Iso() + w.code, windows[i].patient_id + windows[i].from.Iso() + windows[i].code);
        EXPECT_GE(w.to, last_end) << "in the index's order: by end";
        last_end = w.to;
        got.push_back(w.source_record_id);
      }));
      for (const auto& w : windows)
        if (w.facility_id == "F1" && (!from || w.to >= *from) && (!before || w.to < *before))
          expected.push_back(w.source_record_id);
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, expected) << (from ? from->Iso() : "-") << " .. " << (before ? before->Iso() : "-");
    }
  EXPECT_EQ(Val(ledger_->WindowsOf("F1", "P1")).size(), 3u);
  Ok(ledger_->Commit());
}

// ---- what does not read back

// A ledger of one patient with a decided and an open row, an episode, a window, a hold, a
// finding, a claim kept by patient: something of every kind the reads below give back.
void Fill(Ledger& l) {
  Ok(l.Begin());
  const int64_t run = Val(l.StartRun(D("2026-09-30"), 0, false, ""));
  Ok(l.UpsertPatient(APatient(), run));
  Patient discharged = APatient("P2");
  discharged.discharge_date = D("2026-09-20");
  Ok(l.UpsertPatient(discharged, run));
  Ok(l.OfferRow(Row("R1"), run).status());
  Ok(l.OfferRow(Row("R2", "2026-09-02"), run).status());
  Ok(l.SetOutcome("F1", "R1", "billed", "", run));
  Ok(l.AddEpisodes({{"F1", "P1", D("2026-09-01"), D("2026-09-07"), "G2067", "billed", ""}}, run));
  Ok(l.AddWindow({"F1", "P1", D("2026-09-01"), D("2026-09-28"), "G2069", "R1"}, run));
  Ok(l.AddHold({"F1", "P1", D("2026-09-14"), "late-record", "", "G2067", {"R9"}}, run));
  Finding f;
  f.rule_id = "PA-1";
  f.key = "k1";
  f.facility_id = "F1";
  f.patient_id = "P1";
  f.date = D("2026-09-14");
  Ok(l.AddFinding(f, run).status());
  Ok(l.AddClaim(OneLineClaim("C1", "R1", "G2076"), run, 1, [](const ClaimLine&) { return true; }));
  Ok(l.Commit());
}

// A stored value this otpbatch cannot read back — a word it does not know, text that is not a
// date — is an error (kCorrupt) wherever it is read, never a default: each read below answers
// on the intact ledger, then fails once its value is damaged directly in the file.
TEST_F(LedgerTest, AStoredValueThatDoesNotReadBackIsCorruptNeverADefault) {
  struct Case {
    const char* damage;  // SQL run on the file
    std::function<Status(Ledger&)> read;
  };
  const Date from = D("2026-09-01"), to = D("2026-09-30");
  auto day = [](const char* iso) {
    return [iso](Ledger& l) {
      std::vector<RowRef> refs;
      return l.DecidedOnDay("F1", "P1", D(iso), refs);
    };
  };
  auto scan = [](Ledger& l) { return l.ScanAllRows([](std::vector<StoredRow>&) { return Status::Ok(); }); };
  auto by_id = [](Ledger& l) {
    std::vector<StoredRow> rows;
    return l.RowsById({1, 2}, rows);
  };
  auto open = [](Ledger& l) { return l.OpenRows().status(); };
  auto load = [](Ledger& l) { return l.LoadPatient("F1", "P1").status(); };
  auto all = [](Ledger& l) { return l.AllPatients().status(); };
  const std::vector<Case> cases = {
      // service_rows: the service word, the modality word, the date; open and decided rows.
      {"UPDATE service_rows SET service = 'methadone' WHERE record_id = 'R2'", open},
      {"UPDATE service_rows SET service = 'methadone' WHERE record_id = 'R2'", scan},
      {"UPDATE service_rows SET service = 'methadone' WHERE record_id = 'R1'", day("2026-09-01")},
      {"UPDATE service_rows SET service = 'methadone' WHERE record_id = 'R1'", by_id},
      {"UPDATE service_rows SET service = 'methadone' WHERE record_id = 'R1'", scan},
      {"UPDATE service_rows SET service = '' WHERE record_id = 'R2'", open},
      {"UPDATE service_rows SET modality = 'fax' WHERE record_id = 'R2'", open},
      {"UPDATE service_rows SET modality = 'fax' WHERE record_id = 'R1'", by_id},
      {"UPDATE service_rows SET service_date = '2026-02-30' WHERE record_id = 'R2'", open},
      {"UPDATE service_rows SET service_date = '2026-9-2' WHERE record_id = 'R2'", scan},
      {"UPDATE service_rows SET service_date = '2026-08-3x' WHERE record_id = 'R1'",
       [](Ledger& l) { return l.DecidedDays("F1").status(); }},
      {"UPDATE service_rows SET service_date = '2026-08-3x' WHERE record_id = 'R1'",
       [](Ledger& l) { return l.FirstServiceDate("F1").status(); }},
      // patients: payer, program, sex, dates.
      {"UPDATE patients SET payer = 'medicare-ish' WHERE patient_id = 'P1'", load},
      {"UPDATE patients SET payer = 'Medicare' WHERE patient_id = 'P1'", all},
      {"UPDATE patients SET program = 'methadone' WHERE patient_id = 'P1'", load},
      {"UPDATE patients SET program = '' WHERE patient_id = 'P2'", all},
      {"UPDATE patients SET sex = 'X' WHERE patient_id = 'P1'", load},
      {"UPDATE patients SET birth_date = '1960-02-30' WHERE patient_id = 'P1'", load},
      {"UPDATE patients SET discharge_date = 'soon' WHERE patient_id = 'P2'", all},
      // decisions and their dates.
      {"UPDATE findings SET severity = 'fatal'", [&](Ledger& l) { return l.FindingsBetween(from, to).status(); }},
      {"UPDATE findings SET date = '2026-09-14x'", [&](Ledger& l) { return l.FindingsBetween(from, to).status(); }},
      {"UPDATE holds SET date = '2026-09-14x'", [&](Ledger& l) { return l.HoldsBetween(from, to).status(); }},
      {"UPDATE episode_last SET end_date = '2026-13-07'", [](Ledger& l) { return l.LastEpisodeEnds().status(); }},
      {"UPDATE episode_last SET end_date = '2026-13-07'",
       [](Ledger& l) { return l.LastEpisodeEnd("F1", "P1").status(); }},
      {"UPDATE windows SET from_date = '2026-13-01'", [](Ledger& l) { return l.WindowsOf("F1", "P1").status(); }},
      {"UPDATE windows SET from_date = '2026-13-01'",
       [](Ledger& l) { return l.WindowsEnding("F1", std::nullopt, std::nullopt, [](int64_t, CoverageWindow) {}); }},
      {"UPDATE patient_lines SET dos = '20260901'", [](Ledger& l) { return l.PatientLines().status(); }},
      {"UPDATE claim_lines SET dos = '20260901'", [](Ledger& l) { return l.FindClaim("C1").status(); }},
  };
  Fill(*ledger_);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.damage);
    ASSERT_EQ(Said(c.read(*ledger_)), "ok");
    Ok(ledger_->Begin());  // each damage taken back after its read
    Ok(ledger_->db().Exec(c.damage));
    ASSERT_EQ(ledger_->db().Changes(), 1);
    const Status s = c.read(*ledger_);
    EXPECT_EQ(CodeName(s.code()), "corrupt") << Said(s);
    ledger_->Rollback();
  }
}

// A row that does not read back stops the walk before any patient's rows reach `fn`: none is
// handed over with a default in place of what it held.
TEST_F(LedgerTest, ScanAllRowsHandsNoDamagedRowToFn) {
  Fill(*ledger_);
  Ok(ledger_->db().Exec("UPDATE service_rows SET service = 'methadone' WHERE record_id = 'R2'"));
  int calls = 0;
  const Status s = ledger_->ScanAllRows([&](std::vector<StoredRow>&) {
    ++calls;
    return Status::Ok();
  });
  EXPECT_EQ(CodeName(s.code()), "corrupt");
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace otp
