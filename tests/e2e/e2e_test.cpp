// End-to-end: the real otpbatch binary on fixtures/, as billing staff and cron run it. The
// demo night's 837P files and summary.json are compared with checked-in golden files
// (OTP_UPDATE_GOLDEN=1 rewrites them after a reviewed change).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <fstream>
#include <sstream>

#include "e2e/e2e_fixture.h"

namespace fs = std::filesystem;

namespace {

using namespace otp_e2e;  // NOLINT: the fixture and its constants

TEST_F(E2E, DemoNightMatchesGoldenFiles) {
  int rc = Otp(DemoRun());
  ASSERT_TRUE(rc == 0 || rc == 3) << rc << "\n" << stderr_;
  auto files = Files837();
  ASSERT_FALSE(files.empty()) << stderr_;
  files.push_back(dir_ / "out" / kAsOf / "summary.json");
  bool update = std::getenv("OTP_UPDATE_GOLDEN") != nullptr;
  if (update) {
    fs::remove_all(kGolden);
    fs::create_directories(kGolden);
  }
  for (const auto& f : files) {
    fs::path golden = fs::path(kGolden) / f.filename();
    if (update) {
      fs::copy_file(f, golden, fs::copy_options::overwrite_existing);
      fs::permissions(golden, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                  fs::perms::others_read);
      continue;
    }
    ASSERT_TRUE(fs::exists(golden)) << "no golden file " << golden;
    EXPECT_EQ(Slurp(f), Slurp(golden)) << f.filename() << " differs from its golden file";
  }
  // Nothing extra in the golden folder either.
  size_t goldens = 0;
  for (auto& e : fs::directory_iterator(kGolden)) (void)e, ++goldens;
  EXPECT_EQ(goldens, files.size());
}

TEST_F(E2E, OutputsArePrivateAndComplete) {
  int rc = Otp(DemoRun());
  ASSERT_TRUE(rc == 0 || rc == 3) << stderr_;
  fs::path night = dir_ / "out" / kAsOf;
  EXPECT_TRUE(fs::exists(night / (std::string("compliance-") + kAsOf + ".xlsx")));
  EXPECT_TRUE(fs::exists(night / "summary.json"));
  for (auto& e : fs::directory_iterator(night)) {
    struct stat st{};
    ASSERT_EQ(::stat(e.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << e.path();
    EXPECT_EQ(e.path().string().find(".tmp"), std::string::npos) << "temporary file left: " << e.path();
  }
  struct stat st{};
  ASSERT_EQ(::stat((dir_ / "otpbatch.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string summary = Slurp(night / "summary.json");
  EXPECT_NE(summary.find("\"counts_add_up\": true"), std::string::npos) << summary;
}

TEST_F(E2E, CL7_SecondRunOfTheSameNightBillsNothing) {
  int rc1 = Otp(DemoRun());
  ASSERT_TRUE(rc1 == 0 || rc1 == 3) << stderr_;
  size_t first = Files837().size();
  int rc2 = Otp(DemoRun());
  ASSERT_TRUE(rc2 == 0 || rc2 == 3) << stderr_;
  EXPECT_EQ(Files837().size(), first) << "a re-run wrote another 837P file";
  std::string summary = Slurp(dir_ / "out" / kAsOf / "summary.json");
  EXPECT_NE(summary.find("\"claims_written\": 0"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"nothing_new_billed\": true"), std::string::npos) << summary;
  // Everything decided the first time is already processed; rows of episodes still running stay
  // open, and so do the take-homes whose add-on waits for the weeks they reach into (TH-1).
  EXPECT_NE(summary.find("\"already_processed\": 4107"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"open\": 61"), std::string::npos) << summary;
  EXPECT_NE(stderr_.find(" 0 claims"), std::string::npos) << stderr_;
}

TEST_F(E2E, BadConfigurationExits2AndWritesNothing) {
  std::string bad = Slurp(kDemo + "/facility.xml");
  auto pos = bad.find("npi=\"");
  ASSERT_NE(pos, std::string::npos);
  bad.replace(pos + 5, 10, "1234567890");  // fails the Luhn check
  std::ofstream(dir_ / "facility.xml") << bad;
  int rc = Otp("run --config facility.xml --patients " + kDemo + "/patients.csv --services " + kDemo +
               "/services.csv --as-of 2026-11-10 --db otpbatch.db --out out");
  EXPECT_EQ(rc, 2) << stderr_;
  EXPECT_NE(stderr_.find("facility.xml"), std::string::npos) << stderr_;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
  EXPECT_FALSE(fs::exists(dir_ / "otpbatch.db.lock"));
  EXPECT_FALSE(fs::exists(dir_ / "otpbatch.db-wal"));
}

TEST_F(E2E, UsageErrorExits2) {
  EXPECT_EQ(Otp("run --config x.xml"), 2);
  EXPECT_EQ(Otp("run --config x.xml --patients p --services s --as-of 2026-02-30"), 2);
  EXPECT_EQ(Otp("--help"), 0);
  EXPECT_NE(stdout_.find("run"), std::string::npos);
}

TEST_F(E2E, LockedLedgerExits4) {
  // Hold the lock from a child process (flock) while otpbatch tries to run.
  std::string hold = "cd '" + dir_.string() + "' && (flock -x otpbatch.db.lock -c 'echo \"pid 1 since then\" > otpbatch.db.lock; sleep 5' &) ; sleep 0.5";
  ASSERT_EQ(std::system(hold.c_str()), 0);
  int rc = Otp(DemoRun());
  EXPECT_EQ(rc, 4) << stderr_;
  EXPECT_NE(stderr_.find("locked"), std::string::npos) << stderr_;
}

TEST_F(E2E, ExplainAndReportReadTheLedger) {
  int rc = Otp(DemoRun());
  ASSERT_TRUE(rc == 0 || rc == 3) << stderr_;
  ASSERT_EQ(Otp("explain --db otpbatch.db --claim C000000001"), 0) << stderr_;
  EXPECT_NE(stdout_.find("line 1: G"), std::string::npos) << stdout_;
  EXPECT_NE(stdout_.find("rule:"), std::string::npos);
  EXPECT_NE(stdout_.find("sources:"), std::string::npos);
  EXPECT_EQ(Otp("explain --db otpbatch.db --claim C999999999"), 2);
  ASSERT_EQ(Otp("report --db otpbatch.db --from 2026-09-01 --to 2026-11-09 --out period.xlsx"), 0) << stderr_;
  EXPECT_TRUE(fs::exists(dir_ / "period.xlsx"));
  // The period's row counts come from the runs in it: the one demo night read every row.
  std::string night = Slurp(dir_ / "out" / kAsOf / "summary.json");
  auto at = night.find("\"rows_read\": ", night.find("\"services\""));
  ASSERT_NE(at, std::string::npos);
  std::string rows = night.substr(at + 13, night.find_first_of(",\n", at + 13) - at - 13);
  ASSERT_EQ(std::system(("cd '" + dir_.string() + "' && unzip -p period.xlsx xl/worksheets/sheet1.xml > s1.xml").c_str()), 0);
  EXPECT_NE(Slurp(dir_ / "s1.xml").find("<v>" + rows + "</v>"), std::string::npos) << "rows read " << rows;
}

// issue 25: a month's report from the ledger alone adds up (rows billed and held beside its
// claims, not zeros), invents no as-of date, and names the facilities the ledger knows.
TEST_F(E2E, ReportForAMonthAddsUpAndNamesTheLedgersFacilitiesWithoutConfig) {
  int rc = Otp(DemoRun());
  ASSERT_TRUE(rc == 0 || rc == 3) << stderr_;
  ASSERT_EQ(Otp("report --db otpbatch.db --from 2026-10-01 --to 2026-10-31 --out october.xlsx"), 0) << stderr_;
  ASSERT_EQ(std::system(("cd '" + dir_.string() + "' && unzip -p october.xlsx xl/worksheets/sheet1.xml > s1.xml").c_str()), 0);
  const std::string summary = Slurp(dir_ / "s1.xml");
  auto value = [&](const std::string& label) {
    std::smatch m;
    const std::regex line("<t>" + label + "</t></is></c><c r=\"B\\d+\"[^>]*>(?:<v>([^<]*)</v>|<is><t>([^<]*)</t>)");
    if (!std::regex_search(summary, m, line)) return std::string("(absent)");
    return m[1].matched ? m[1].str() : m[2].str();
  };
  EXPECT_EQ(summary.find("<t>As of</t>"), std::string::npos) << "the user gave a period, not an as-of date";
  EXPECT_NE(summary.find("<t>HRC01; HRC02</t>"), std::string::npos) << "the facilities, from the ledger";
  EXPECT_EQ(value("Counts add up"), "yes");
  EXPECT_GT(std::stol(value("Billed")), 0) << summary;
  EXPECT_GT(std::stol(value("Claims written")), 0);
  EXPECT_GT(std::stol(value("Held")), 0) << "the demo holds P000054's October weeks";
  EXPECT_NE(summary.find("<t>no-oud-diagnosis</t>"), std::string::npos) << "Held by reason names the held rows' reason";
}

TEST_F(E2E, ReaderWarningsReachStderrButNeverDataFromAHeaderlessFile) {
  // An extra column: a warning that names it, and the run goes on.
  std::string services = Slurp(kDemo + "/services.csv");
  std::string with_extra = services;
  with_extra.insert(with_extra.find('\n'), ",ehr_batch");
  for (size_t at = with_extra.find('\n') + 1; at < with_extra.size();) {
    size_t nl = with_extra.find('\n', at);
    if (nl == std::string::npos) break;
    with_extra.insert(nl, ",7");
    at = nl + 3;
  }
  std::ofstream(dir_ / "extra.csv") << with_extra;
  int rc = Otp("run --config " + kDemo + "/facility.xml --patients " + kDemo +
               "/patients.csv --services extra.csv --as-of 2026-11-10 --db otpbatch.db --out out");
  EXPECT_TRUE(rc == 0 || rc == 3) << stderr_;
  EXPECT_NE(stderr_.find("warning: extra.csv:1: unknown column \"ehr_batch\" is ignored"), std::string::npos)
      << stderr_;
  // patients.csv exported without its header row: exit 2, and its first row is not echoed.
  std::string patients = Slurp(kDemo + "/patients.csv");
  std::string headerless = patients.substr(patients.find('\n') + 1);
  std::string first_row = headerless.substr(0, headerless.find('\n'));
  std::ofstream(dir_ / "headerless.csv") << headerless;
  rc = Otp("run --config " + kDemo + "/facility.xml --patients headerless.csv --services " + kDemo +
           "/services.csv --as-of 2026-11-10 --db other.db --out out2");
  EXPECT_EQ(rc, 2) << stderr_;
  std::string last_name = first_row.substr(0, first_row.find(','));
  for (int i = 0; i < 3; ++i) first_row = first_row.substr(first_row.find(',') + 1);
  last_name = first_row.substr(0, first_row.find(','));  // patient_id,facility_id,mbi,last_name
  ASSERT_FALSE(last_name.empty());
  EXPECT_EQ(stderr_.find(last_name), std::string::npos) << stderr_;
}

// Issue 24, case 1: init makes a ledger once; every other command refuses a --db with no
// ledger (a mistyped path), exit 2, and makes nothing there: no ledger, no lock file.
TEST_F(E2E, InitMakesALedgerOnceAndNoOtherCommandMakesOne) {
  EXPECT_EQ(Otp("init --db otpbatch.db"), 2) << "the ledger is there already";
  EXPECT_NE(stderr_.find("already a file"), std::string::npos) << stderr_;
  std::string mistyped = DemoRun();
  mistyped.replace(mistyped.find("--db otpbatch.db"), 16, "--db led.sqlite");
  for (const std::string& cmd :
       {mistyped, mistyped + " --dry-run",
        std::string("report --db led.sqlite --from 2026-09-01 --to 2026-11-09 --out p.xlsx"),
        std::string("explain --db led.sqlite --claim C000000001"), std::string("check --db led.sqlite")}) {
    EXPECT_EQ(Otp(cmd), 2) << cmd << ": " << stderr_;
    EXPECT_NE(stderr_.find("no ledger at led.sqlite"), std::string::npos) << cmd << ": " << stderr_;
  }
  for (const char* left : {"led.sqlite", "led.sqlite.lock", "p.xlsx", "out"})
    EXPECT_FALSE(fs::exists(dir_ / left)) << left;
}

// Issue 24, case 5: an --as-of given empty is a usage error, never "today".
TEST_F(E2E, AnEmptyAsOfIsAUsageErrorNotToday) {
  EXPECT_EQ(Otp(DemoRun() + " --as-of ''"), 2) << stderr_;
  EXPECT_NE(stderr_.find("--as-of"), std::string::npos) << stderr_;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
  EXPECT_FALSE(fs::exists(dir_ / "otpbatch.db.lock"));
  EXPECT_EQ(Otp("check-config --config " + kDemo + "/facility.xml --as-of ''"), 2) << stdout_;
}

// Issue 24, case 5: a lock file that cannot be made is the operator's to fix (2), never
// "another run" (4), which cron would take for a busy night.
TEST_F(E2E, ALockFileThatCannotBeMadeExits2Not4) {
  fs::create_directory(dir_ / "otpbatch.db.lock");
  EXPECT_EQ(Otp(DemoRun()), 2) << stderr_;
  EXPECT_NE(stderr_.find("lock file"), std::string::npos) << stderr_;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

// The weekly check: 0 on a whole ledger, 2 on a damaged one, naming what to do.
TEST_F(E2E, CheckSaysWholeOrDamaged) {
  int rc = Otp(DemoRun());
  ASSERT_TRUE(rc == 0 || rc == 3) << stderr_;
  EXPECT_EQ(Otp("check --db otpbatch.db"), 0) << stderr_;
  EXPECT_NE(stderr_.find("is whole"), std::string::npos) << stderr_;
  EXPECT_NE(stdout_.find("claims:"), std::string::npos) << stdout_;
  {
    std::fstream f(dir_ / "otpbatch.db", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(16384 * 3);  // page 4: a b-tree page of the schema's tables
    f.put('\x07');
  }
  EXPECT_EQ(Otp("check --db otpbatch.db"), 2) << stdout_ << stderr_;
  EXPECT_NE(stderr_.find("operations.md"), std::string::npos) << stderr_;
  EXPECT_EQ(Otp(DemoRun()), 2) << stderr_;
}

// A run leaves its ledger stamped as checked (otpbatch.db.checked); the next run finds the file
// as it was left, a reader between them notwithstanding, and skips the quick check; a copy of the
// ledger with its stamp beside it is checked (OTPBATCH_PROFILE names what the open did).
TEST_F(E2E, TheNextRunSkipsTheQuickCheckOfALedgerAsItWasLeft) {
  int rc = Otp(DemoRun(), "OTPBATCH_PROFILE=1");
  ASSERT_TRUE(rc == 0 || rc == 3) << stderr_;
  EXPECT_NE(stderr_.find("3 lock, open ledger, quick_check"), std::string::npos) << stderr_;
  EXPECT_NE(stderr_.find("10 close ledger, stamp it"), std::string::npos) << stderr_;
  ASSERT_TRUE(fs::is_regular_file(dir_ / "otpbatch.db.checked"));
  EXPECT_EQ(Otp("queue --db otpbatch.db"), 0) << stderr_;
  rc = Otp(DemoRun(), "OTPBATCH_PROFILE=1");
  ASSERT_TRUE(rc == 0 || rc == 3) << stderr_;
  EXPECT_NE(stderr_.find("3 lock, open ledger (as last left)"), std::string::npos) << stderr_;
  fs::copy_file(dir_ / "otpbatch.db", dir_ / "copy.db");
  fs::copy_file(dir_ / "otpbatch.db.checked", dir_ / "copy.db.checked");
  std::string on_the_copy = DemoRun(" --dry-run");
  on_the_copy.replace(on_the_copy.find("--db otpbatch.db"), 16, "--db copy.db");
  rc = Otp(on_the_copy, "OTPBATCH_PROFILE=1");
  ASSERT_TRUE(rc == 0 || rc == 3) << stderr_;
  EXPECT_NE(stderr_.find("3 lock, open ledger, quick_check"), std::string::npos) << stderr_;
}

// Issue 24, case 6: readers read while another process holds the run's lock.
TEST_F(E2E, ReadersWorkWhileTheLockIsHeld) {
  int rc = Otp(DemoRun());
  ASSERT_TRUE(rc == 0 || rc == 3) << stderr_;
  std::string hold = "cd '" + dir_.string() + "' && (flock -x otpbatch.db.lock -c 'sleep 4' &) ; sleep 0.3";
  ASSERT_EQ(std::system(hold.c_str()), 0);
  EXPECT_EQ(Otp(DemoRun()), 4) << stderr_;
  EXPECT_EQ(Otp("explain --db otpbatch.db --claim C000000001"), 0) << stderr_;
  EXPECT_EQ(Otp("report --db otpbatch.db --from 2026-09-01 --to 2026-11-09 --out period.xlsx"), 0) << stderr_;
  EXPECT_EQ(Otp("check --db otpbatch.db"), 0) << stderr_;
}

TEST_F(E2E, CheckConfigShowsCredentials) {
  int rc = Otp("check-config --config " + kDemo + "/facility.xml --as-of 2026-11-10");
  EXPECT_EQ(rc, 0) << stdout_ << stderr_;
  EXPECT_NE(stdout_.find("dea-registration"), std::string::npos) << stdout_;
  EXPECT_NE(stdout_.find("days to expiry"), std::string::npos);
}

TEST_F(E2E, SynthIsDeterministic) {
  ASSERT_EQ(Otp("synth --patients 30 --days 20 --start 2026-01-01 --seed 7 --out a"), 0) << stderr_;
  ASSERT_EQ(Otp("synth --patients 30 --days 20 --start 2026-01-01 --seed 7 --out b"), 0) << stderr_;
  for (const char* f : {"facility.xml", "patients.csv", "services.csv"})
    EXPECT_EQ(Slurp(dir_ / "a" / f), Slurp(dir_ / "b" / f)) << f;
}

}  // namespace
