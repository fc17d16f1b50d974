// The checked stamp (ledger/stamp.h): a writer that closes settled records its file as checked,
// and the next writer skips the quick check only while the file is exactly so. Damage after the
// close, a copy, a restore, a journal beside the file and every stamp that is not exactly ours
// lead to the full check, never to an error; readers, unsettled writers and failed writes leave
// no stamp.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/sqlite_db.h"
#include "platform/fs.h"
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

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string First(sql::Db& db, const std::string& q) {
  sql::Stmt s(db, q);
  std::string v = s.Step() ? s.Text(0) : "";
  Ok(s.Done());
  return v;
}

class CheckedStamp : public ::testing::Test {
 protected:
  std::string At(const std::string& name) const { return (scratch_.path() / name).string(); }
  std::string Stamp() const { return At("led.db.checked"); }

  // A ledger holding a few service rows, written and closed by a writer: stamped when `stamp`.
  std::string MakeLedger(bool stamp = true) {
    const std::string path = At("led.db");
    auto l = Val(Ledger::Create(path));
    Ok(l->Begin());
    const int64_t run = Val(l->StartRun(D("2026-09-30"), 0, false, ""));
    for (int i = 1; i <= 200; ++i) {
      ServiceRecord r;
      r.facility_id = "F1";
      r.patient_id = "P1";
      r.record_id = "R" + std::to_string(1000 + i);
      r.service_date = D("2026-09-01");
      r.service = Service::kMethadoneDose;
      r.quantity = 60;
      r.content_hash = "h" + r.record_id;
      Ok(l->OfferRow(r, run).status());
    }
    Ok(l->Commit());
    if (stamp) {
      EXPECT_TRUE(Ledger::CloseAndStamp(std::move(l), posix_));
    }
    return path;
  }

  OpenCheck OpenedBy(const std::string& path) { return Val(Ledger::Open(path, LedgerAccess::kWrite))->opened_by(); }

  // One byte of service_rows_record's root page made a page type no b-tree page has. The page
  // is found reading the file in place, which leaves nothing beside it: the stamp vouches for the
  // file until the damage.
  void Damage(const std::string& path) {
    int64_t root = 0, page_size = 0;
    {
      auto db = Val(sql::Db::Open(path, sql::OpenMode::kImmutable));
      root = std::stoll(First(*db, "SELECT rootpage FROM sqlite_master WHERE name = 'service_rows_record'"));
      page_size = std::stoll(First(*db, "PRAGMA page_size"));
    }
    ASSERT_EQ(OpenedBy(path), OpenCheck::kStamp);
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * page_size);
    f.put('\x07');
  }

  void ExpectRefusedAsDamaged(const std::string& path) {
    const std::string bytes = Slurp(path);
    const auto opened = Ledger::Open(path, LedgerAccess::kWrite);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), StatusCode::kCorrupt) << opened.status().message();
    EXPECT_NE(opened.status().message().find("integrity check"), std::string::npos) << opened.status().message();
    EXPECT_EQ(Slurp(path), bytes);
  }

  ScratchDir scratch_{"otp-stamp"};
  PosixFileSystem posix_;
};

TEST_F(CheckedStamp, AWriterThatClosesSettledLeavesAStampAndTheNextWriterSkipsTheQuickCheck) {
  const std::string path = MakeLedger();
  EXPECT_FALSE(fs::exists(path + "-wal")) << "the close folded the WAL into the file";
  struct stat st {};
  ASSERT_EQ(::lstat(Stamp().c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string id = Val(Ledger::Open(path, LedgerAccess::kRead))->id();
  EXPECT_NE(Slurp(Stamp()).find("ledger " + id + "\n"), std::string::npos) << Slurp(Stamp());

  EXPECT_EQ(OpenedBy(path), OpenCheck::kStamp);
  EXPECT_EQ(OpenedBy(path), OpenCheck::kStamp) << "a writer that wrote nothing changed nothing";
  EXPECT_EQ(Val(Ledger::Open(path, LedgerAccess::kRead))->opened_by(), OpenCheck::kNone);
  // A writer that commits again leaves a stamp of the file as it now is.
  auto l = Val(Ledger::Open(path));
  Ok(l->Begin());
  EXPECT_EQ(Val(l->NextCounter("claim")), 1);
  Ok(l->Commit());
  EXPECT_TRUE(Ledger::CloseAndStamp(std::move(l), posix_));
  EXPECT_EQ(OpenedBy(path), OpenCheck::kStamp);
}

// The damage the hostile tests make, right after a clean close: the stamp no longer matches, so
// the quick check runs and refuses the file with nothing written.
TEST_F(CheckedStamp, DamageAfterAStampedCloseIsCaught) {
  const std::string path = MakeLedger();
  Damage(path);
  ExpectRefusedAsDamaged(path);
}

// A write that keeps the size and puts the modification time back still moves the ctime, which
// no user tool can set.
TEST_F(CheckedStamp, DamageThatKeepsSizeAndMtimeIsCaughtByItsCtime) {
  const std::string path = MakeLedger();
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  Damage(path);
  const struct timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  struct stat after {};
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  ASSERT_EQ(after.st_size, before.st_size);
  ASSERT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  ExpectRefusedAsDamaged(path);
}

// A copy is another inode: checked, with its stamp copied beside it or not. So is a backup
// restored over the ledger in place.
TEST_F(CheckedStamp, ACopyOrARestoreIsChecked) {
  const std::string path = MakeLedger();
  fs::copy_file(path, At("backup.db"));
  fs::copy_file(path, At("copy.db"));
  fs::copy_file(Stamp(), At("copy.db.checked"));
  EXPECT_EQ(OpenedBy(At("copy.db")), OpenCheck::kQuickCheck);

  ASSERT_EQ(OpenedBy(path), OpenCheck::kStamp);
  fs::copy_file(At("backup.db"), path, fs::copy_options::overwrite_existing);
  EXPECT_EQ(Slurp(path), Slurp(At("backup.db")));
  EXPECT_EQ(OpenedBy(path), OpenCheck::kQuickCheck) << "the same bytes, written again";
}

// A -wal or -journal file beside the ledger is a file the stamp did not see: checked. An empty
// one, as a reader leaves its -wal, is none.
TEST_F(CheckedStamp, AJournalBesideTheFileIsCheckedAnEmptyOneIsNone) {
  const std::string path = MakeLedger();
  for (const char* suffix : {"-wal", "-journal"}) {
    Write(path + suffix, std::string(32, '\0'));
    EXPECT_EQ(OpenedBy(path), OpenCheck::kQuickCheck) << suffix;
    Write(path + suffix, "");
    EXPECT_EQ(OpenedBy(path), OpenCheck::kStamp) << suffix << " empty: the file is as it was";
    fs::remove(path + suffix);
  }
  {
    auto reader = Val(Ledger::Open(path, LedgerAccess::kRead));
    EXPECT_EQ(Val(reader->Stats()).max_rowid, 200);
  }
  EXPECT_EQ(OpenedBy(path), OpenCheck::kStamp) << "after a reader";
}

// Any stamp that is not exactly ours means a full check, never an error. The stamp's text
// rewritten as it was is believed, so each case fails for its own reason.
TEST_F(CheckedStamp, AStampThatIsNotExactlyOursLeadsToAFullCheck) {
  const std::string path = MakeLedger();
  const std::string ours = Slurp(Stamp());
  const std::string id = Val(Ledger::Open(path, LedgerAccess::kRead))->id();
  const std::string other_id = Val(Ledger::Create(At("other.db")))->id();
  std::string foreign = ours;
  foreign.replace(foreign.find(id), id.size(), other_id);
  auto plant = [&](const std::string& text) {
    fs::remove_all(Stamp());
    Write(Stamp(), text);
  };
  for (const auto& [text, what] : std::vector<std::pair<std::string, const char*>>{
           {"garbage\n", "garbage"},
           {"", "empty"},
           {foreign, "another ledger's id"},
           {ours + std::string(5000, ' '), "too large to be a stamp"},
           {ours.substr(0, ours.size() - 1), "cut short"}}) {
    plant(text);
    EXPECT_EQ(OpenedBy(path), OpenCheck::kQuickCheck) << what;
  }

  Write(At("elsewhere.txt"), ours);
  fs::remove(Stamp());
  fs::create_symlink(At("elsewhere.txt"), Stamp());
  EXPECT_EQ(OpenedBy(path), OpenCheck::kQuickCheck) << "a symbolic link";
  fs::remove(Stamp());
  fs::create_hard_link(At("elsewhere.txt"), Stamp());
  EXPECT_EQ(OpenedBy(path), OpenCheck::kQuickCheck) << "a second name";
  fs::remove(Stamp());
  fs::create_directory(Stamp());
  EXPECT_EQ(OpenedBy(path), OpenCheck::kQuickCheck) << "a folder";

  plant(ours);
  ASSERT_EQ(OpenedBy(path), OpenCheck::kStamp) << "the same text, written again";
  struct stat db {};
  ASSERT_EQ(::stat(path.c_str(), &db), 0);
  const struct timespec before_change[2] = {db.st_ctim, db.st_ctim};
  ASSERT_EQ(::utimensat(AT_FDCWD, Stamp().c_str(), before_change, 0), 0);
  EXPECT_EQ(OpenedBy(path), OpenCheck::kQuickCheck) << "not written after the file's last change";
  if (::geteuid() == 0) {
    plant(ours);
    ASSERT_EQ(::chown(Stamp().c_str(), 65534, 65534), 0);
    EXPECT_EQ(OpenedBy(path), OpenCheck::kQuickCheck) << "another user's";
  }
}

// A reader, a writer with a transaction open, one asked to stop and one that met damage leave
// no stamp.
TEST_F(CheckedStamp, OnlyAWriterThatEndedSettledLeavesAStamp) {
  const std::string path = MakeLedger(false);
  EXPECT_FALSE(Ledger::CloseAndStamp(Val(Ledger::Open(path, LedgerAccess::kRead)), posix_)) << "a reader";
  auto open = Val(Ledger::Open(path));
  Ok(open->Begin());
  EXPECT_FALSE(Ledger::CloseAndStamp(std::move(open), posix_)) << "a transaction open";
  auto stopped = Val(Ledger::Open(path));
  stopped->Interrupt();
  EXPECT_FALSE(Ledger::CloseAndStamp(std::move(stopped), posix_)) << "asked to stop";
  auto damaged = Val(Ledger::Open(path));
  {
    sql::Stmt s(damaged->db(), "SELECT 'not a date'");
    ASSERT_TRUE(s.Step());
    s.DateAt(0);
    EXPECT_EQ(s.Done().code(), StatusCode::kCorrupt);
  }
  EXPECT_FALSE(Ledger::CloseAndStamp(std::move(damaged), posix_)) << "a value that did not read back";
  EXPECT_FALSE(fs::exists(Stamp()));
  EXPECT_EQ(OpenedBy(path), OpenCheck::kQuickCheck);
}

// A stamp that cannot be written whole leaves none (the one before it is removed) and no
// temporary file; the temporary file of one cut short is removed by the next.
TEST_F(CheckedStamp, AStampThatCannotBeWrittenLeavesNoneAndNoTemporaryFile) {
  const std::string path = MakeLedger();
  for (FaultPoint point : {FaultPoint::kWrite, FaultPoint::kSync, FaultPoint::kRename}) {
    ASSERT_TRUE(fs::exists(Stamp()));
    FaultyFileSystem faulty(posix_, point, 1);
    EXPECT_FALSE(Ledger::CloseAndStamp(Val(Ledger::Open(path)), faulty));
    EXPECT_FALSE(fs::exists(Stamp()));
    EXPECT_EQ(OpenedBy(path), OpenCheck::kQuickCheck);
    for (const auto& e : fs::directory_iterator(scratch_.path()))
      EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
    Write(Stamp() + ".tmp-Ab12Cd", "left by a writer that was killed");
    EXPECT_TRUE(Ledger::CloseAndStamp(Val(Ledger::Open(path)), posix_));
    EXPECT_FALSE(fs::exists(Stamp() + ".tmp-Ab12Cd"));
  }
}

}  // namespace
}  // namespace otp
