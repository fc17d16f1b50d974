// A night against hostile surroundings (issue 24): no ledger, another ledger's output folder,
// a folder or journal that is a link, a damaged ledger, a dry run. Every refusal is exit 2
// with nothing written: no ledger, no lock file, no folder, no file changed.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <iterator>
#include <stdexcept>

#include "night/night_fixture_billing.h"

namespace otp::nighttest {
namespace {

namespace fs = std::filesystem;

template <typename T>
T Val(Result<T> r) {
  if (!r.ok()) throw std::runtime_error(r.status().message());
  return std::move(r).value();
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every file under `dir` with its size and a hash of its bytes, one a line: what "nothing
// written" compares (readable when it differs).
std::string Tree(const fs::path& dir) {
  std::map<std::string, std::string> m;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string name = fs::relative(e.path(), dir).string();
    if (e.is_symlink()) {
      m[name] = "link";
    } else if (e.is_regular_file()) {
      const std::string bytes = Slurp(e.path().string());
      m[name] = std::to_string(bytes.size()) + " bytes, hash " + std::to_string(std::hash<std::string>{}(bytes));
    } else {
      m[name] = "folder";
    }
  }
  std::string out;
  for (const auto& [name, what] : m) out += name + ": " + what + "\n";
  return out;
}

class HostileNight : public ::testing::Test {
 protected:
  HostileNight() : night(dir) {
    night.SetConfig(OneFacilityXml());
    night.SetPatients(OnePatientCsv());
    night.SetServices(kServicesHeader + Row("R1", "2026-01-05", "methadone_dose", "40") +
                      Row("R2", "2026-01-06", "methadone_dose", "45"));
  }
  // A night on `db` into `out`, with no ledger made first (NightFixture makes one).
  NightResult RunOn(const std::string& db, const std::string& out, bool dry_run = false) const {
    NightOptions o;
    o.config = night.config();
    o.patients = night.patients();
    o.services = night.services();
    o.as_of = Day("2026-01-12");
    o.db = db;
    o.out = out;
    o.dry_run = dry_run;
    FixedClock clock(1767225600);
    PosixFileSystem fs;
    return RunNight(o, clock, fs);
  }
  std::string At(const std::string& name) const { return dir / name; }
  std::string Night(const std::string& out) const { return out + "/2026-01-12"; }

  TempDir dir;
  NightFixture night;
};

// Case 1: a mistyped --db starts no ledger.
TEST_F(HostileNight, ANightOnAPathWithNoLedgerWritesNothing) {
  const auto before = Tree(dir / "");
  NightResult r = RunOn(At("night.sqlite"), At("out"));
  EXPECT_EQ(ExitOf(r), kExitUsage) << r.status.message();
  EXPECT_NE(r.status.message().find("otpbatch init"), std::string::npos) << r.status.message();
  EXPECT_EQ(Tree(dir / ""), before);
}

// A workbook template the writer cannot follow is a bad configuration: the night stops before
// it reads a row (not after billing the night, when the workbook is written), nothing written.
TEST_F(HostileNight, ABrokenWorkbookTemplateStopsTheNightBeforeAnythingIsWritten) {
  const fs::path data = dir / "data";
  fs::create_directories(data);
  for (const char* sub : {"codes", "templates"})
    fs::copy(std::string(OTP_SOURCE_DIR) + "/" + sub, data / sub, fs::copy_options::recursive);
  std::string layout = Slurp((data / "templates/workbook.xml").string());
  const std::string field = R"(field="reason_words")";
  ASSERT_NE(layout.find(field), std::string::npos);
  std::ofstream((data / "templates/workbook.xml").string(), std::ios::trunc)
      << layout.replace(layout.find(field), field.size(), R"(field="no_such_field")");
  night.SetDataDir(data.string());
  ASSERT_TRUE(Ledger::Create(night.db()).ok());
  const auto before = Tree(dir / "");
  NightResult r = night.Run(Day("2026-01-12"));
  EXPECT_EQ(ExitOf(r), kExitUsage) << r.status.message();
  EXPECT_NE(r.status.message().find("templates/workbook.xml"), std::string::npos) << r.status.message();
  EXPECT_NE(r.status.message().find("no_such_field"), std::string::npos) << r.status.message();
  EXPECT_EQ(Tree(dir / ""), before) << "no run, no lock file, no folder";
  EXPECT_EQ(r.counts.service_rows_read, 0) << "stopped before the first row";
  EXPECT_TRUE(r.out_dir.empty()) << r.out_dir;
}

// Case 1: a fresh ledger never writes beside another ledger's interchanges.
TEST_F(HostileNight, AFolderAnotherLedgerWroteIsRefusedWithNothingWritten) {
  NightResult first = night.Run(Day("2026-01-12"));
  ASSERT_EQ(ExitOf(first), kExitOk) << first.status.message();
  const std::string mark = Night(night.out()) + "/.ledger-id";
  EXPECT_EQ(Slurp(mark), Val(Ledger::Open(night.db(), LedgerAccess::kRead))->id() + "\n");
  struct stat st {};
  ASSERT_EQ(::stat(mark.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  ASSERT_TRUE(Ledger::Create(At("other.db")).ok());
  const auto before = Tree(dir / "");
  NightResult r = RunOn(At("other.db"), night.out());
  EXPECT_EQ(ExitOf(r), kExitUsage) << r.status.message();
  EXPECT_NE(r.status.message().find("another ledger"), std::string::npos) << r.status.message();
  EXPECT_EQ(Tree(dir / ""), before) << "no lock file, no run, no file";
  // The ledger that wrote the folder runs the night again as before.
  NightResult again = night.Run(Day("2026-01-12"));
  EXPECT_EQ(ExitOf(again), kExitOk) << again.status.message();
}

TEST_F(HostileNight, AFolderHoldingFilesNoLedgerMarkedIsRefused) {
  ASSERT_TRUE(Ledger::Create(night.db()).ok());
  fs::create_directories(Night(night.out()));
  std::ofstream(Night(night.out()) + "/HRC01-000000001.837") << "ISA*written by hand or an older otpbatch~";
  const auto before = Tree(dir / "");
  NightResult r = RunOn(night.db(), night.out());
  EXPECT_EQ(ExitOf(r), kExitUsage) << r.status.message();
  EXPECT_EQ(Tree(dir / ""), before);
}

// Case 4: the night's folder is made by the run; a link put there is refused, its target untouched.
TEST_F(HostileNight, ANightFolderThatIsALinkIsRefused) {
  ASSERT_TRUE(Ledger::Create(night.db()).ok());
  fs::create_directories(At("elsewhere"));
  fs::create_directories(night.out());
  fs::create_directory_symlink(At("elsewhere"), Night(night.out()));
  NightResult r = RunOn(night.db(), night.out());
  EXPECT_EQ(ExitOf(r), kExitUsage) << r.status.message();
  EXPECT_TRUE(fs::is_empty(At("elsewhere")));
  EXPECT_FALSE(fs::exists(night.db() + ".lock"));
}

// Case 4: a journal planted as a link could name any file for the run to remove.
TEST_F(HostileNight, AJournalThatIsALinkIsRefusedAndNothingItNamesIsRemoved) {
  ASSERT_TRUE(Ledger::Create(night.db()).ok());
  std::ofstream(At("precious.txt")) << "keep me";
  std::ofstream(At("fake-journal")) << "run 99 1\n" << At("precious.txt") << "\n";
  fs::create_symlink(At("fake-journal"), night.db() + ".publishing");
  NightResult r = RunOn(night.db(), night.out());
  EXPECT_EQ(ExitOf(r), kExitUsage) << r.status.message();
  EXPECT_EQ(Slurp(At("precious.txt")), "keep me");
  EXPECT_FALSE(fs::exists(night.out()));
}

// Case 2: a damaged ledger is refused before the night writes a thing, though the night before
// left it stamped as checked (ledger/stamp.h): the damage changes what the stamp names.
TEST_F(HostileNight, ADamagedLedgerIsRefusedAndLeftAsItWas) {
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-12"))), kExitOk);
  fs::remove_all(night.out());
  int64_t root = 0;
  {
    auto l = Val(Ledger::Open(night.db(), LedgerAccess::kRead));
    sql::Stmt s(l->db(), "SELECT rootpage FROM sqlite_master WHERE name = 'service_rows_open'");
    ASSERT_TRUE(s.Step());
    root = s.Int(0);
    ASSERT_TRUE(s.Done().ok());
  }
  ASSERT_EQ(Val(Ledger::Open(night.db()))->opened_by(), OpenCheck::kStamp) << "undamaged, it would not be checked";
  {
    std::fstream f(night.db(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * 16384);
    f.put('\x07');  // no b-tree page has this type
  }
  const std::string bytes = Slurp(night.db());
  NightResult r = night.Run(Day("2026-01-19"));
  EXPECT_EQ(ExitOf(r), kExitUsage) << r.status.message();
  EXPECT_NE(r.status.message().find("integrity check"), std::string::npos) << r.status.message();
  EXPECT_EQ(Slurp(night.db()), bytes);
  EXPECT_FALSE(fs::exists(night.out()));
}

// Case 7: a dry run writes nothing at all: no ledger where there is none, no lock file, no
// folder, and the ledger's bytes as they were.
TEST_F(HostileNight, ADryRunMakesNoLedgerNoLockFileAndNoFolder) {
  const auto empty = Tree(dir / "");
  NightResult none = RunOn(At("missing.db"), At("out"), true);
  EXPECT_EQ(ExitOf(none), kExitUsage);
  EXPECT_EQ(Tree(dir / ""), empty);

  ASSERT_TRUE(Ledger::Create(night.db()).ok());
  const auto before = Tree(dir / "");
  NightResult dry = RunOn(night.db(), night.out(), true);
  EXPECT_EQ(ExitOf(dry), kExitOk) << dry.status.message();
  EXPECT_GT(dry.counts.billed, 0);
  EXPECT_EQ(Tree(dir / ""), before);
  EXPECT_FALSE(fs::exists(night.db() + ".checked")) << "no stamp either";
}

// A committed night leaves its ledger stamped as checked, and the next night opens it without
// the quick check; a dry run neither makes nor spoils a stamp.
TEST_F(HostileNight, ACommittedNightStampsItsLedgerAndTheNextNightSkipsTheQuickCheck) {
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-12"))), kExitOk);
  ASSERT_TRUE(fs::is_regular_file(night.db() + ".checked"));
  const std::string stamp = Slurp(night.db() + ".checked");
  ASSERT_EQ(ExitOf(RunOn(night.db(), night.out(), true)), kExitOk);
  EXPECT_EQ(Slurp(night.db() + ".checked"), stamp) << "the dry run left the stamp as it was";
  EXPECT_EQ(Val(Ledger::Open(night.db()))->opened_by(), OpenCheck::kStamp);
  night.SetServices(kServicesHeader + Row("R1", "2026-01-05", "methadone_dose", "40") +
                    Row("R3", "2026-01-13", "methadone_dose", "40"));
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-19"))), kExitOk);
  EXPECT_NE(Slurp(night.db() + ".checked"), stamp) << "the file changed, and so did its stamp";
  EXPECT_EQ(Val(Ledger::Open(night.db()))->opened_by(), OpenCheck::kStamp);
}

}  // namespace
}  // namespace otp::nighttest

namespace otp::nighttest {
namespace {

// Interchange control numbers are never used twice by a ledger: one restored from a backup has
// its counter behind the 837P files it wrote since, and tonight's interchange continues past
// them, with a warning that names the cause.
TEST_F(HostileNight, ALedgerRestoredFromABackupNeverUsesAControlNumberAgain) {
  night.SetServices(kServicesHeader + Row("R1", "2026-01-05", "methadone_dose", "40"));
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-12"))), kExitOk);  // interchange 1
  fs::copy_file(night.db(), At("backup.db"));
  night.SetServices(kServicesHeader + Row("R1", "2026-01-05", "methadone_dose", "40") +
                    Row("R2", "2026-01-12", "methadone_dose", "40"));
  ASSERT_EQ(ExitOf(night.Run(Day("2026-01-19"))), kExitOk);  // interchange 2
  ASSERT_TRUE(fs::exists(night.out() + "/2026-01-19/HRC01-000000002.837"));
  fs::copy_file(At("backup.db"), night.db(), fs::copy_options::overwrite_existing);  // the restore

  NightResult r = night.Run(Day("2026-01-26"));
  ASSERT_EQ(ExitOf(r), kExitOk) << r.status.message();
  EXPECT_TRUE(fs::exists(night.out() + "/2026-01-26/HRC01-000000003.837")) << "not 000000002 again";
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings.front().find("restored from a backup"), std::string::npos) << r.warnings.front();
  // A ledger that is not behind is not warned.
  night.SetServices(kServicesHeader + Row("R3", "2026-01-26", "methadone_dose", "40"));
  EXPECT_TRUE(night.Run(Day("2026-02-02")).warnings.empty());
}

}  // namespace
}  // namespace otp::nighttest
