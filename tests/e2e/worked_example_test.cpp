// docs/worked-example.md, run: the binary over fixtures/worked-example's four nights, with and
// without a dose of its own in the second week. What the page shows is what otpbatch does
// (TH-1: the take-home add-on waits for the week it reaches into, then is paid by that week's
// own bundle or billed as G2078).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

const std::string kBin = OTP_BINARY;
const std::string kEx = std::string(OTP_SOURCE_DIR) + "/fixtures/worked-example";

class WorkedExample : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("otp-we-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const std::string init = "cd '" + dir_.string() + "' && '" + kBin + "' init --db ledger.db 2>/dev/null";
    ASSERT_EQ(std::system(init.c_str()), 0);  // once, as an operator does
  }
  void TearDown() override { fs::remove_all(dir_); }
  // One night; returns the exit status and keeps the run's one-line account.
  int Night(const std::string& services, const char* as_of) {
    const std::string cmd = "cd '" + dir_.string() + "' && OTPBATCH_FIXED_TIME=1794276000 '" + kBin +
                            "' run --config " + kEx + "/facility.xml --patients " + kEx + "/patients.csv --services " +
                            kEx + "/" + services + " --as-of " + as_of + " --db ledger.db --out out 2>stderr.txt";
    const int rc = std::system(cmd.c_str());
    std::ifstream in(dir_ / "stderr.txt");
    std::getline(in, account_);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }
  // What `explain` prints for a claim.
  std::string Explain(const char* claim) {
    const std::string cmd = "cd '" + dir_.string() + "' && '" + kBin + "' explain --db ledger.db --claim " + claim +
                            " >explain.txt 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(dir_ / "explain.txt");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  fs::path dir_;
  std::string account_;
};

TEST_F(WorkedExample, TH1_TheNextWeeksOwnBundlePaysTheTakeHomeDays) {
  ASSERT_EQ(Night("week1.csv", "2026-01-12"), 0);
  EXPECT_NE(account_.find("1 waiting for their episode to end"), std::string::npos) << account_;
  EXPECT_NE(account_.find("1 claims, 4 lines, charges 630.77"), std::string::npos) << account_;
  const std::string c1 = Explain("C000000001");
  EXPECT_NE(c1.find("G2215  DOS 2026-01-05  units 1  charge 34.00"), std::string::npos) << c1;
  EXPECT_NE(c1.find("edits:   SC-1 SC-2 SC-3 SC-4 SC-5 passed"), std::string::npos) << c1;
  EXPECT_EQ(c1.find("G2078"), std::string::npos) << c1;
  ASSERT_EQ(Night("night2.csv", "2026-01-15"), 3);  // R014 late
  ASSERT_EQ(Night("night2.csv", "2026-01-19"), 0);
  EXPECT_NE(Explain("C000000002").find("G2067  DOS 2026-01-12"), std::string::npos);
  ASSERT_EQ(Night("night2.csv", "2026-01-20"), 0);
  EXPECT_NE(account_.find("1 billed, 0 held, 0 not billable, 15 already processed, 0 waiting"), std::string::npos)
      << account_;
  EXPECT_NE(account_.find("0 claims"), std::string::npos) << account_;
}

TEST_F(WorkedExample, TH1_AWeekWithoutDrugOfItsOwnLeavesTheDaysToG2078) {
  ASSERT_EQ(Night("week1.csv", "2026-01-12"), 0);
  ASSERT_EQ(Night("night2-no-own-dose.csv", "2026-01-15"), 3);
  ASSERT_EQ(Night("night2-no-own-dose.csv", "2026-01-19"), 0);
  EXPECT_NE(Explain("C000000002").find("G2074  DOS 2026-01-12  units 1  charge 241.27"), std::string::npos);
  ASSERT_EQ(Night("night2-no-own-dose.csv", "2026-01-20"), 0);
  const std::string c3 = Explain("C000000003");
  EXPECT_NE(c3.find("G2078  DOS 2026-01-10  units 1  charge 44.41"), std::string::npos) << c3;
  EXPECT_NE(c3.find("sources: R013"), std::string::npos) << c3;
}

}  // namespace
