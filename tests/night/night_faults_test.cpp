// Injected faults in the nightly run ("nothing lost, nothing doubled"): RunNight with a file
// system that fails at each write, sync and rename/publish of every file the run writes (the
// publishing journal, each 837P file, the workbook, summary.json) must exit 1, commit nothing
// and leave nothing behind; a clean retry must then give exactly what an uninterrupted run
// gives. Also: a ledger held busy by another SQLite connection, and the journal a killed run
// leaves behind (before and after its commit).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "cli/exit_codes.h"
#include "ledger/ledger.h"
#include "night/night.h"
#include "night/exit_of.h"
#include "platform/clock.h"
#include "platform/fs.h"
#include "synth/synth.h"

namespace fs = std::filesystem;

namespace otp {
namespace {

constexpr std::time_t kNow = 1794276000;  // a fixed instant: byte-identical envelopes

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One SQL query's rows, each row's columns joined by '|', rows by '\n'.
std::string Query(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        if (i) out += '|';
        auto t = sqlite3_column_text(st, i);
        out += t ? reinterpret_cast<const char*>(t) : "NULL";
      }
      out += '\n';
    }
  } else {
    ADD_FAILURE() << sqlite3_errmsg(db) << " in " << sql;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// What "nothing committed" compares: every table's row count, the counters, row statuses.
std::string LedgerSnapshot(const std::string& db) {
  std::string s;
  for (const char* t : {"runs", "patients", "service_rows", "rejects", "episodes", "episode_last", "claims",
                        "claim_lines", "patient_lines", "line_sources", "holds", "findings", "windows", "interchanges",
                        "patient_state"})
    s += std::string(t) + "=" + Query(db, std::string("SELECT count(*) FROM ") + t);
  s += "counters:\n" + Query(db, "SELECT name, value FROM counters ORDER BY name");
  s += "statuses:\n" + Query(db, "SELECT status, count(*) FROM service_rows GROUP BY status ORDER BY status");
  return s;
}

std::string ClaimsOf(const std::string& db) {
  return Query(db, "SELECT c.claim_id, c.facility_id, c.patient_id, c.total_cents, c.interchange, l.line_no, l.code, "
                   "l.dos, l.units, l.charge_cents FROM claims c JOIN claim_lines l ON l.claim_id = c.claim_id "
                   "ORDER BY c.claim_id, l.line_no");
}

// Regular files under `root` (relative path → content), skipping nothing.
std::map<std::string, std::string> FilesUnder(const fs::path& root) {
  std::map<std::string, std::string> m;
  if (!fs::exists(root)) return m;
  for (auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) m[fs::relative(e.path(), root).string()] = Slurp(e.path());
  return m;
}

std::vector<std::string> TempFilesUnder(const fs::path& root) {
  std::vector<std::string> v;
  for (auto& e : fs::recursive_directory_iterator(root))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) v.push_back(e.path().string());
  return v;
}

// How a writer's open of `db` knew it whole (a test failure when it cannot be opened).
OpenCheck OpenedBy(const std::string& db) {
  auto l = Ledger::Open(db);
  if (!l.ok()) {
    ADD_FAILURE() << l.status().message();
    return OpenCheck::kNone;
  }
  return l.value()->opened_by();
}

void CopyLedger(const fs::path& from, const fs::path& to) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::path dst = to.string() + suffix;
    fs::remove(dst);
    fs::path src = from.string() + suffix;
    if (fs::exists(src)) fs::copy_file(src, dst);
  }
}

class NightFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("otp-faults-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "in");
    SynthOptions so;
    so.patients = 30;
    so.days = 84;
    so.start = Date::FromYmd(2026, 1, 5);
    so.seed = 11;
    so.facilities = 2;
    SynthFiles f = Synthesize(so);
    std::ofstream(dir_ / "in/facility.xml") << f.facility_xml;
    std::ofstream(dir_ / "in/patients.csv") << f.patients_csv;
    std::ofstream(dir_ / "in/services.csv") << f.services_csv;
    // A committed first night, so that "nothing committed" is measured against a ledger
    // that already holds claims and advanced counters.
    NightResult first = Run(Date::FromYmd(2026, 2, 16), base_db(), posix_, dir_ / "out-first");
    ASSERT_TRUE(ExitOf(first) == kExitOk || ExitOf(first) == kExitAttention) << first.status.message();
    ASSERT_FALSE(Query(base_db(), "SELECT count(*) FROM claims") == "0\n") << "the first night billed nothing";
    base_snapshot_ = LedgerSnapshot(base_db());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string base_db() const { return (dir_ / "base.db").string(); }
  std::string db() const { return (dir_ / "night.db").string(); }
  fs::path out() const { return dir_ / "out"; }
  Date night() const { return Date::FromYmd(2026, 3, 23); }

  // A night on `db`, made first (as `otpbatch init` does) when it is not there.
  NightResult Run(Date as_of, const std::string& db, FileSystem& fs, const fs::path& out) {
    if (!fs::exists(db)) {
      EXPECT_TRUE(Ledger::Create(db).ok()) << db;
    }
    NightOptions o;
    o.config = (dir_ / "in/facility.xml").string();
    o.patients = (dir_ / "in/patients.csv").string();
    o.services = (dir_ / "in/services.csv").string();
    o.as_of = as_of;
    o.db = db;
    o.out = out.string();
    o.data_dir = OTP_SOURCE_DIR;
    FixedClock clock(kNow);
    return RunNight(o, clock, fs);
  }

  // The second night on a fresh copy of the base ledger, into out(): the reference.
  struct Reference {
    NightResult result;
    std::map<std::string, std::string> files;
    std::string claims, snapshot;
    int fs_calls = 0;
  };
  Reference Uninterrupted() {
    CopyLedger(base_db(), db());
    fs::remove_all(out());
    FaultyFileSystem counting(posix_, FaultPoint::kNone, 0);
    Reference r;
    r.result = Run(night(), db(), counting, out());
    r.fs_calls = counting.calls();
    r.files = FilesUnder(out());
    r.claims = ClaimsOf(db());
    r.snapshot = LedgerSnapshot(db());
    return r;
  }

  // Same files (by relative path) with the same bytes; the workbook only by presence (its
  // zip carries libxlsxwriter's own timestamps).
  void ExpectSameFiles(const std::map<std::string, std::string>& want, const std::map<std::string, std::string>& got,
                       const std::string& what) {
    ASSERT_EQ(want.size(), got.size()) << what;
    for (const auto& [name, content] : want) {
      auto it = got.find(name);
      ASSERT_NE(it, got.end()) << what << ": missing " << name;
      if (name.find(".xlsx") != std::string::npos)
        EXPECT_FALSE(it->second.empty()) << what << ": " << name;
      else
        EXPECT_EQ(it->second, content) << what << ": " << name << " differs";
    }
  }

  fs::path dir_;
  PosixFileSystem posix_;
  std::string base_snapshot_;
};

// The file system calls a night makes, in order, with F facilities billed: the journal then the
// output folder's mark (.ledger-id), for each 837P file the journal then the file (2F), then the
// journal and the workbook (Publish), then the journal and summary.json: 2F + 6 before the
// commit, then the ledger's stamp (AStampThatCannotBeWrittenFailsNothing). Every one before the
// commit, at every point, is made to fail; the failed night leaves no stamp that vouches for
// its ledger (the one the last retry left names another file).
TEST_F(NightFaults, EveryWriteSyncAndRenameFailureCommitsNothingAndLeavesNothing) {
  Reference ref = Uninterrupted();
  ASSERT_TRUE(ExitOf(ref.result) == kExitOk || ExitOf(ref.result) == kExitAttention) << ref.result.status.message();
  int n837 = 0;
  for (const auto& [name, c] : ref.files) n837 += name.ends_with(".837");
  ASSERT_EQ(n837, 2) << "both facilities should bill on the second night";
  ASSERT_EQ(ref.files.size(), 5u);  // two 837P files, the workbook, summary.json, .ledger-id
  ASSERT_EQ(ref.fs_calls, 2 * n837 + 7);
  const int before_commit = ref.fs_calls - 1;
  ASSERT_NE(ref.snapshot, base_snapshot_);
  // The folders the run created are private, the parent "out" as well as "out/<as-of>".
  for (const fs::path& d : {out(), out() / night().Iso()}) {
    struct stat st {};
    ASSERT_EQ(::stat(d.c_str(), &st), 0) << d;
    EXPECT_EQ(st.st_mode & 0777, 0700u) << d;
  }

  int trials = 0;
  for (FaultPoint point : {FaultPoint::kWrite, FaultPoint::kSync, FaultPoint::kRename}) {
    for (int call = 1; call <= before_commit; ++call) {
      std::string what = "fault " + std::to_string(static_cast<int>(point)) + " on call " + std::to_string(call);
      CopyLedger(base_db(), db());
      fs::remove_all(out());
      FaultyFileSystem faulty(posix_, point, call);
      NightResult r = Run(night(), db(), faulty, out());
      ++trials;
      EXPECT_EQ(ExitOf(r), kExitInternal) << what;
      EXPECT_NE(r.status.message().find("nothing committed"), std::string::npos) << what << ": " << r.status.message();
      EXPECT_NE(r.status.message().find("injected fault"), std::string::npos) << what << ": " << r.status.message();
      EXPECT_EQ(LedgerSnapshot(db()), base_snapshot_) << what << ": the ledger changed";
      EXPECT_TRUE(FilesUnder(out()).empty()) << what << ": files left in out/";
      EXPECT_TRUE(TempFilesUnder(dir_).empty()) << what << ": " << TempFilesUnder(dir_).front();
      EXPECT_FALSE(fs::exists(db() + ".publishing")) << what << ": journal left";
      EXPECT_EQ(OpenedBy(db()), OpenCheck::kQuickCheck) << what;

      NightResult retry = Run(night(), db(), posix_, out());
      EXPECT_EQ(ExitOf(retry), ExitOf(ref.result)) << what << ": " << retry.status.message();
      EXPECT_EQ(retry.recovered_files, 0) << what;
      ExpectSameFiles(ref.files, FilesUnder(out()), what);
      EXPECT_EQ(ClaimsOf(db()), ref.claims) << what;
      EXPECT_EQ(LedgerSnapshot(db()), ref.snapshot) << what;
    }
  }
  EXPECT_EQ(trials, 3 * before_commit);
}

// The stamp is written after the commit, and only saves the next night a check: a stamp that
// cannot be written fails nothing and leaves nothing, and the next night checks the file.
TEST_F(NightFaults, AStampThatCannotBeWrittenFailsNothing) {
  Reference ref = Uninterrupted();
  ASSERT_EQ(OpenedBy(db()), OpenCheck::kStamp);
  for (FaultPoint point : {FaultPoint::kWrite, FaultPoint::kSync, FaultPoint::kRename}) {
    const std::string what = "fault " + std::to_string(static_cast<int>(point));
    CopyLedger(base_db(), db());
    fs::remove_all(out());
    FaultyFileSystem faulty(posix_, point, ref.fs_calls);
    NightResult r = Run(night(), db(), faulty, out());
    EXPECT_EQ(ExitOf(r), ExitOf(ref.result)) << what << ": " << r.status.message();
    EXPECT_EQ(faulty.calls(), ref.fs_calls) << what;
    EXPECT_EQ(LedgerSnapshot(db()), ref.snapshot) << what;
    ExpectSameFiles(ref.files, FilesUnder(out()), what);
    EXPECT_TRUE(TempFilesUnder(dir_).empty()) << what << ": " << TempFilesUnder(dir_).front();
    EXPECT_FALSE(fs::exists(db() + ".checked")) << what;
    EXPECT_EQ(OpenedBy(db()), OpenCheck::kQuickCheck) << what;
  }
}

// A run killed after publishing some files but before its commit leaves its journal, the
// files it named and the temporary files it was writing (its own and the journal's). The
// next run removes all of them and then writes the night as if nothing had happened.
TEST_F(NightFaults, JournalOfARunKilledBeforeItsCommitIsUndone) {
  Reference ref = Uninterrupted();
  CopyLedger(base_db(), db());
  fs::remove_all(out());
  fs::create_directories(out() / night().Iso());
  // What a run (pid 999999, run 3: not in the ledger) left when SIGKILL hit: the folder's
  // mark, which it wrote first, a file it published and two it was writing.
  fs::path mark = out() / night().Iso() / ".ledger-id";
  std::ofstream(mark) << Query(db(), "SELECT value FROM meta WHERE key = 'ledger_id'");
  fs::path stray = out() / night().Iso() / "F01-000000099.837";
  std::ofstream(stray) << "ISA*half a file";
  std::ofstream(stray.string() + ".tmp-999999") << "ISA*the next file, half written";
  fs::path wb = out() / night().Iso() / ("compliance-" + night().Iso() + ".xlsx");
  std::ofstream(wb.string() + ".tmp-999999") << "PK";
  std::ofstream(db() + ".publishing") << "run 3 " << kNow << "\n" << fs::absolute(mark).string() << "\n"
                                      << fs::absolute(stray).string() << "\n" << fs::absolute(wb).string() << "\n";
  std::ofstream(db() + ".publishing.tmp-999999") << "run 3\n";

  NightResult r = Run(night(), db(), posix_, out());
  EXPECT_EQ(ExitOf(r), ExitOf(ref.result)) << r.status.message();
  EXPECT_EQ(r.recovered_files, 2);  // the mark and the 837P file
  ExpectSameFiles(ref.files, FilesUnder(out()), "after recovery");
  EXPECT_TRUE(TempFilesUnder(dir_).empty()) << TempFilesUnder(dir_).front();
  EXPECT_FALSE(fs::exists(db() + ".publishing"));
  EXPECT_EQ(ClaimsOf(db()), ref.claims);
}

// A run killed between its commit and removing its journal: the files it names are the
// committed night's. The next run must keep them (they are the only copy of those claims).
TEST_F(NightFaults, JournalOfARunKilledAfterItsCommitKeepsItsFiles) {
  Reference ref = Uninterrupted();
  std::string last = Query(db(), "SELECT run_id, started_at FROM runs ORDER BY run_id DESC LIMIT 1");
  std::string run_id = last.substr(0, last.find('|'));
  std::string started = last.substr(last.find('|') + 1, last.size() - last.find('|') - 2);
  std::string journal = "run " + run_id + " " + started + "\n";
  for (const auto& [name, c] : ref.files) journal += fs::absolute(out() / name).string() + "\n";
  std::ofstream(db() + ".publishing") << journal;

  NightResult r = Run(night(), db(), posix_, out());  // the same night again: bills nothing
  EXPECT_TRUE(ExitOf(r) == kExitOk || ExitOf(r) == kExitAttention) << r.status.message();
  EXPECT_EQ(r.recovered_files, 0);
  auto now = FilesUnder(out());
  for (const auto& [name, content] : ref.files) {
    ASSERT_TRUE(now.count(name)) << name << " of a committed run was removed";
    if (name.ends_with(".837")) {
      EXPECT_EQ(now[name], content) << name;
    }
  }
  EXPECT_FALSE(fs::exists(db() + ".publishing"));
  EXPECT_EQ(ClaimsOf(db()), ref.claims) << "the re-run billed something twice";
}

// Another program holds a write transaction on the ledger for longer than the ledger's busy
// timeout (5 s): the run gives up cleanly — exit 1 with a message saying the ledger is busy,
// nothing committed, nothing written — and the next run, once the ledger is free, succeeds.
TEST_F(NightFaults, LedgerBusyLongerThanTheTimeoutEndsCleanly) {
  Reference ref = Uninterrupted();
  CopyLedger(base_db(), db());
  fs::remove_all(out());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto t0 = std::chrono::steady_clock::now();
  NightResult r = Run(night(), db(), posix_, out());
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);

  EXPECT_EQ(ExitOf(r), kExitInternal) << r.status.message();
  EXPECT_NE(r.status.message().find("busy"), std::string::npos) << r.status.message();
  EXPECT_GE(waited, 4.5) << "the run should wait for the busy timeout before giving up";
  EXPECT_LT(waited, 30.0);
  EXPECT_EQ(LedgerSnapshot(db()), base_snapshot_);
  EXPECT_TRUE(FilesUnder(out()).empty());
  EXPECT_FALSE(fs::exists(db() + ".publishing"));

  NightResult retry = Run(night(), db(), posix_, out());
  EXPECT_EQ(ExitOf(retry), ExitOf(ref.result)) << retry.status.message();
  ExpectSameFiles(ref.files, FilesUnder(out()), "after the ledger was freed");
  EXPECT_EQ(ClaimsOf(db()), ref.claims);
}

// A write transaction held for a moment (1 s, within the timeout) only delays the run.
TEST_F(NightFaults, LedgerBusyForAMomentOnlyDelaysTheRun) {
  Reference ref = Uninterrupted();
  CopyLedger(base_db(), db());
  fs::remove_all(out());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  });
  NightResult r = Run(night(), db(), posix_, out());
  release.join();
  sqlite3_close(other);
  EXPECT_EQ(ExitOf(r), ExitOf(ref.result)) << r.status.message();
  ExpectSameFiles(ref.files, FilesUnder(out()), "after waiting");
  EXPECT_EQ(ClaimsOf(db()), ref.claims);
}

}  // namespace
}  // namespace otp
