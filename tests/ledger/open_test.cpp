// Making and opening a ledger (issue 24): a ledger made by init has an identity of its own;
// a mistyped path, an empty file, another program's database, a link and a damaged ledger are
// refused with nothing written; readers open read-only and read beside a writer; the weekly
// check finds what the nightly one cannot; the lock file is never anything but a plain file.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "ledger/ledger.h"
#include "ledger/lock.h"
#include "ledger/sqlite_db.h"
#include "scratch_dir.h"
#include "status_helpers.h"

namespace otp {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string First(sql::Db& db, const std::string& q) {
  sql::Stmt s(db, q);
  std::string v = s.Step() ? s.Text(0) : "";
  Ok(s.Done());
  return v;
}

// The code and message of a refusal, as "not-found: …".
std::string Said(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kNotFound: return "not-found: " + s.message();
    case StatusCode::kInvalidArgument: return "invalid-argument: " + s.message();
    case StatusCode::kCorrupt: return "corrupt: " + s.message();
    case StatusCode::kStopped: return "stopped: " + s.message();
    case StatusCode::kBusy: return "busy: " + s.message();
    default: return "other: " + s.message();
  }
}
std::string CodeOf(const Status& s) { return Said(s).substr(0, Said(s).find(':')); }

// The files in `dir`, sorted, with their sizes: what "nothing written" compares.
std::string Listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    names.push_back(e.path().filename().string() + " " +
                    (e.is_regular_file() ? std::to_string(e.file_size()) : std::string("-")));
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += n + "\n";
  return out;
}

class LedgerOpen : public ::testing::Test {
 protected:
  std::string At(const std::string& name) const { return (scratch_.path() / name).string(); }
  // A ledger holding `rows` service rows R0001 … (their index spans a few pages).
  std::string LedgerWithRows(const std::string& name, int rows) {
    const std::string path = At(name);
    auto l = Val(Ledger::Create(path));
    Ok(l->Begin());
    const int64_t run = Val(l->StartRun(Date::FromYmd(2026, 9, 30), 0, false, ""));
    for (int i = 1; i <= rows; ++i) {
      ServiceRecord r;
      r.facility_id = "F1";
      r.patient_id = "P1";
      char id[16];
      std::snprintf(id, sizeof id, "R%04d", i);
      r.record_id = id;
      r.service_date = Date::FromYmd(2026, 9, 1);
      r.service = Service::kMethadoneDose;
      r.quantity = 60;
      r.content_hash = std::string("h") + id;
      Ok(l->OfferRow(r, run).status());
    }
    Ok(l->Commit());
    return path;
  }
  ScratchDir scratch_{"otp-open"};
};

// ---- init

TEST_F(LedgerOpen, InitMakesALedgerWithAnIdentityOfItsOwn) {
  auto a = Val(Ledger::Create(At("a.db")));
  auto b = Val(Ledger::Create(At("b.db")));
  EXPECT_EQ(a->id().size(), 32u);
  EXPECT_NE(a->id(), b->id());
  EXPECT_EQ(First(a->db(), "SELECT value FROM meta WHERE key = 'ledger_id'"), a->id());
  EXPECT_EQ(First(a->db(), "PRAGMA application_id"), std::to_string(0x4F545042));
  EXPECT_EQ(First(a->db(), "PRAGMA user_version"), "1");
  EXPECT_EQ(First(a->db(), "PRAGMA journal_mode"), "wal");
  struct stat st {};
  ASSERT_EQ(::stat(At("a.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  a.reset();
  EXPECT_EQ(Val(Ledger::Open(At("a.db"), LedgerAccess::kRead))->id(), Val(Ledger::Open(At("a.db")))->id());
  // Only the ledger is left: no temporary file of its making.
  EXPECT_EQ(Listing(scratch_.path()).find(".init-"), std::string::npos) << Listing(scratch_.path());
}

TEST_F(LedgerOpen, InitRefusesAnyPathThatIsThereAndChangesNothing) {
  const std::string ledger = At("led.db");
  auto l = Val(Ledger::Create(ledger));
  l.reset();
  std::ofstream(At("empty.db")).close();
  std::ofstream(At("victim.txt")) << "someone else's file";
  fs::create_symlink(At("victim.txt"), At("link.db"));
  fs::create_symlink(At("nowhere.txt"), At("dangling.db"));
  const std::string before = Listing(scratch_.path());
  const std::string ledger_bytes = Slurp(ledger);
  for (const char* name : {"led.db", "empty.db", "link.db", "dangling.db"}) {
    const auto made = Ledger::Create(At(name));
    EXPECT_EQ(CodeOf(made.status()), "invalid-argument") << name << ": " << Said(made.status());
  }
  EXPECT_EQ(Listing(scratch_.path()), before);
  EXPECT_EQ(Slurp(ledger), ledger_bytes);
  EXPECT_EQ(Slurp(At("victim.txt")), "someone else's file");
  EXPECT_FALSE(fs::exists(At("nowhere.txt")));
  EXPECT_EQ(CodeOf(Ledger::Create(At("no-such-folder/led.db")).status()), "invalid-argument");
}

// ---- issue 24, case 1: a mistyped path, an empty file, another program's database

TEST_F(LedgerOpen, AMistypedPathIsRefusedAndNoLedgerIsMade) {
  for (LedgerAccess access : {LedgerAccess::kWrite, LedgerAccess::kRead}) {
    const auto opened = Ledger::Open(At("led.sqlite"), access);
    EXPECT_EQ(CodeOf(opened.status()), "not-found") << Said(opened.status());
    EXPECT_NE(opened.status().message().find("otpbatch init --db"), std::string::npos);
  }
  EXPECT_TRUE(fs::is_empty(scratch_.path()));
}

TEST_F(LedgerOpen, AnEmptyFileIsRefusedAndStaysEmpty) {
  std::ofstream(At("zero.db")).close();
  for (LedgerAccess access : {LedgerAccess::kWrite, LedgerAccess::kRead}) {
    const auto opened = Ledger::Open(At("zero.db"), access);
    EXPECT_EQ(CodeOf(opened.status()), "corrupt") << Said(opened.status());
    EXPECT_NE(opened.status().message().find("empty (0 bytes)"), std::string::npos);
  }
  EXPECT_EQ(fs::file_size(At("zero.db")), 0u);
  EXPECT_EQ(Listing(scratch_.path()), "zero.db 0\n");
}

// Another program's database, in either journal mode, with or without an application_id of its
// own, is refused from its header: no table added, no -wal or -shm file, its mode unchanged.
TEST_F(LedgerOpen, AnotherProgramsDatabaseIsRefusedUntouched) {
  struct Foreign {
    const char* name;
    const char* sql;
  };
  for (const Foreign& f : {Foreign{"notes.db", "CREATE TABLE notes (a); INSERT INTO notes VALUES (1)"},
                           Foreign{"wal.db", "PRAGMA journal_mode=WAL; CREATE TABLE notes (a)"},
                           Foreign{"app.db", "PRAGMA application_id=1234; CREATE TABLE meta (key, value)"},
                           Foreign{"meta.db", "CREATE TABLE meta (key TEXT, value TEXT); "
                                              "INSERT INTO meta VALUES ('owner', 'someone else')"}}) {
    const std::string path = At(f.name);
    {
      auto d = Val(sql::Db::Open(path, sql::OpenMode::kCreate));
      Ok(d->Exec(f.sql));
    }
    ::chmod(path.c_str(), 0644);
    const std::string before = Listing(scratch_.path());
    const std::string bytes = Slurp(path);
    for (LedgerAccess access : {LedgerAccess::kWrite, LedgerAccess::kRead}) {
      const auto opened = Ledger::Open(path, access);
      EXPECT_EQ(CodeOf(opened.status()), "corrupt") << f.name << ": " << Said(opened.status());
      EXPECT_NE(opened.status().message().find("not an otpbatch ledger"), std::string::npos) << f.name;
    }
    EXPECT_EQ(Listing(scratch_.path()), before) << f.name;
    EXPECT_EQ(Slurp(path), bytes) << f.name;
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644u) << f.name;
  }
  std::ofstream(At("patients.csv")) << "patient_id,facility_id\nP1,F1\n";
  EXPECT_EQ(CodeOf(Ledger::Open(At("patients.csv")).status()), "corrupt");
}

// A ledger made before application_id was set is known by its meta rows, and opening it
// writes nothing (it is not stamped).
TEST_F(LedgerOpen, ALedgerMadeBeforeApplicationIdIsStillOpened) {
  std::string id;
  {
    auto l = Val(Ledger::Create(At("old.db")));
    id = l->id();
    Ok(l->db().Exec("PRAGMA application_id=0"));
  }
  auto l = Val(Ledger::Open(At("old.db")));
  EXPECT_EQ(l->id(), id);
  EXPECT_EQ(First(l->db(), "PRAGMA application_id"), "0");
}

TEST_F(LedgerOpen, ALinkAtTheLedgerPathIsRefused) {
  Val(Ledger::Create(At("real.db"))).reset();
  fs::create_symlink(At("real.db"), At("link.db"));
  for (LedgerAccess access : {LedgerAccess::kWrite, LedgerAccess::kRead}) {
    const auto opened = Ledger::Open(At("link.db"), access);
    EXPECT_EQ(CodeOf(opened.status()), "invalid-argument") << Said(opened.status());
    EXPECT_NE(opened.status().message().find("symbolic link"), std::string::npos);
  }
  fs::create_directory(At("folder.db"));
  EXPECT_EQ(CodeOf(Ledger::Open(At("folder.db")).status()), "invalid-argument");
}

// SQLite's journal files beside the ledger planted as links: refused by name, the target untouched.
TEST_F(LedgerOpen, ALinkWhereSqliteKeepsItsJournalIsRefused) {
  Val(Ledger::Create(At("led.db"))).reset();
  std::ofstream(At("victim.txt")) << "precious";
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    fs::create_symlink(At("victim.txt"), At("led.db") + suffix);
    const auto opened = Ledger::Open(At("led.db"));
    EXPECT_EQ(CodeOf(opened.status()), "invalid-argument") << suffix << ": " << Said(opened.status());
    EXPECT_NE(opened.status().message().find(std::string("led.db") + suffix), std::string::npos);
    fs::remove(At("led.db") + suffix);
  }
  EXPECT_EQ(Slurp(At("victim.txt")), "precious");
}

// ---- issue 24, case 2: a damaged ledger

// The page type byte of service_rows_record's root page made one no b-tree page has: the
// writer's quick check refuses the file, and nothing in it changes.
TEST_F(LedgerOpen, ADamagedLedgerIsRefusedBeforeAnythingIsWritten) {
  const std::string path = LedgerWithRows("led.db", 400);
  int64_t root = 0, page_size = 0;
  {
    auto l = Val(Ledger::Open(path, LedgerAccess::kRead));
    root = std::stoll(First(l->db(), "SELECT rootpage FROM sqlite_master WHERE name = 'service_rows_record'"));
    page_size = std::stoll(First(l->db(), "PRAGMA page_size"));
  }
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * page_size);
    f.put('\x07');
  }
  const std::string bytes = Slurp(path);
  const auto opened = Ledger::Open(path, LedgerAccess::kWrite);
  EXPECT_EQ(CodeOf(opened.status()), "corrupt") << Said(opened.status());
  EXPECT_NE(opened.status().message().find("integrity check"), std::string::npos) << Said(opened.status());
  EXPECT_EQ(Slurp(path), bytes);
  // The weekly check says so too.
  auto reader = Val(Ledger::Open(path, LedgerAccess::kRead));
  auto checked = reader->Check();
  EXPECT_TRUE(!checked.ok() || !checked.value().problems.empty());
}

// A key changed inside an index page leaves every page well formed: the nightly quick check
// passes, and only the full check (each index against its table) finds it. That is why
// `otpbatch check` is run weekly (docs/operations.md).
TEST_F(LedgerOpen, TheWeeklyCheckFindsAnIndexKeyTheQuickCheckCannot) {
  const std::string path = LedgerWithRows("led.db", 40);
  auto clean = Val(Val(Ledger::Open(path, LedgerAccess::kRead))->Check());
  EXPECT_TRUE(clean.problems.empty()) << clean.problems.front();
  std::string bytes = Slurp(path);
  int64_t root = 0, page_size = 0;
  {
    auto l = Val(Ledger::Open(path, LedgerAccess::kRead));
    root = std::stoll(First(l->db(), "SELECT rootpage FROM sqlite_master WHERE name = 'service_rows_record'"));
    page_size = std::stoll(First(l->db(), "PRAGMA page_size"));
  }
  const size_t page = static_cast<size_t>((root - 1) * page_size);
  const size_t at = bytes.find("R0017", page);
  ASSERT_LT(at, page + static_cast<size_t>(page_size)) << "the key is in the index's root page";
  bytes.replace(at, 5, "R0071");
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;

  EXPECT_TRUE(Ledger::Open(path, LedgerAccess::kWrite).ok()) << "the quick check sees well-formed pages";
  auto found = Val(Val(Ledger::Open(path, LedgerAccess::kRead))->Check());
  ASSERT_FALSE(found.problems.empty());
  EXPECT_NE(found.problems.front().find("service_rows_record"), std::string::npos) << found.problems.front();
}

TEST_F(LedgerOpen, TheCheckFindsAControlNumberTheCounterIsBehind) {
  auto l = Val(Ledger::Create(At("led.db")));
  Ok(l->Begin());
  EXPECT_EQ(Val(l->NextCounter("interchange")), 1);
  Ok(l->AddInterchange(Interchange{1, "F1", "out/F1-000000001.837", "ISA", 1, "000000001", "0001"}, 1));
  Ok(l->Commit());
  EXPECT_TRUE(Val(l->Check()).problems.empty());
  Ok(l->db().Exec("UPDATE counters SET value = 0 WHERE name = 'interchange'"));  // a restore gone wrong
  const LedgerCheck c = Val(l->Check());
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_NE(c.problems[0].find("control numbers beyond the counter"), std::string::npos) << c.problems[0];
  EXPECT_FALSE(c.counts.empty());
}

// ---- issue 24, case 6: readers

TEST_F(LedgerOpen, AReaderOpensReadOnlyAndWritesNothing) {
  const std::string path = LedgerWithRows("led.db", 10);
  const std::string bytes = Slurp(path);
  {
    auto r = Val(Ledger::Open(path, LedgerAccess::kRead));
    EXPECT_TRUE(r->db().ReadOnly());
    EXPECT_EQ(Val(r->Stats()).max_rowid, 10);
    EXPECT_FALSE(r->db().Exec("DELETE FROM service_rows").ok());
  }
  EXPECT_EQ(Slurp(path), bytes);
}

// A run holds a write transaction for its whole night: a reader reads the last committed
// state at once, without waiting for it.
TEST_F(LedgerOpen, AReaderReadsWhileAWriterHoldsItsTransaction) {
  const std::string path = LedgerWithRows("led.db", 10);
  auto writer = Val(Ledger::Open(path, LedgerAccess::kWrite));
  Ok(writer->Begin());
  Ok(writer->db().Exec("DELETE FROM service_rows"));
  const auto t0 = std::chrono::steady_clock::now();
  auto reader = Val(Ledger::Open(path, LedgerAccess::kRead));
  EXPECT_EQ(Val(reader->Stats()).max_rowid, 10);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2.0);
  writer->Rollback();
}

// A run asked to stop: the statement running fails, and so does every later one.
TEST_F(LedgerOpen, InterruptStopsEveryLaterStatement) {
  auto l = Val(Ledger::Create(At("led.db")));
  Ok(l->Begin());
  l->Interrupt();
  const auto next = l->NextCounter("claim");
  EXPECT_EQ(CodeOf(next.status()), "stopped") << Said(next.status());
  l->Rollback();
}

// ---- issue 24, cases 4 and 5: the lock file

TEST_F(LedgerOpen, ALinkAtTheLockPathIsRefusedAndItsTargetUntouched) {
  const std::string db = At("led.db");
  std::ofstream(At("victim.txt")) << "precious";
  fs::create_symlink(At("victim.txt"), db + ".lock");
  const auto lock = LedgerLock::Acquire(db, 1700000000);
  EXPECT_EQ(CodeOf(lock.status()), "invalid-argument") << Said(lock.status());
  EXPECT_EQ(Slurp(At("victim.txt")), "precious");
  fs::remove(db + ".lock");
  fs::create_hard_link(At("victim.txt"), db + ".lock");  // a second name for another file
  EXPECT_EQ(CodeOf(LedgerLock::Acquire(db, 1700000000).status()), "invalid-argument");
  EXPECT_EQ(Slurp(At("victim.txt")), "precious");
}

TEST_F(LedgerOpen, ALockFileThatCannotBeMadeIsAUsageErrorNotABusyLedger) {
  const auto lock = LedgerLock::Acquire(At("no-such-folder/led.db"), 1700000000);
  EXPECT_EQ(CodeOf(lock.status()), "invalid-argument") << Said(lock.status());
}

// ---- issue 24, case 7: a dry run makes no lock file

TEST_F(LedgerOpen, ADryRunTakesTheLockOnlyWhenItsFileExistsAndWritesNoNote) {
  const std::string db = At("led.db");
  EXPECT_EQ(Val(LedgerLock::AcquireWithoutWriting(db)), nullptr);
  EXPECT_FALSE(fs::exists(db + ".lock"));
  Val(LedgerLock::Acquire(db, 1700000000)).reset();
  std::ofstream(db + ".lock") << "pid 1 since then\n";
  {
    auto held = Val(LedgerLock::AcquireWithoutWriting(db));
    ASSERT_NE(held, nullptr);
    EXPECT_EQ(CodeOf(LedgerLock::Acquire(db, 1700000000).status()), "busy");
  }
  EXPECT_EQ(Slurp(db + ".lock"), "pid 1 since then\n");
}

}  // namespace
}  // namespace otp
