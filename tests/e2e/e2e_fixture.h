// E2E: the real otpbatch binary run in a folder of its own with a fixed clock, as billing staff
// and cron run it; the demo night's arguments; what it wrote.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace otp_e2e {

namespace fs = std::filesystem;

inline const std::string kSrc = OTP_SOURCE_DIR;
inline const std::string kBin = OTP_BINARY;
inline const std::string kDemo = kSrc + "/fixtures/demo";
inline const std::string kGolden = kSrc + "/tests/e2e/golden/demo";
inline const char* kAsOf = "2026-11-10";

inline std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class E2E : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("otp-e2e-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ASSERT_EQ(Otp("init --db otpbatch.db"), 0) << stderr_;  // as an operator does once
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs otpbatch in the temp dir with a fixed clock (after `env`: "VAR=value …", or "env -u VAR
  // …"); returns the exit status; stderr kept.
  int Otp(const std::string& args, const std::string& env = "") {
    std::string cmd = "cd '" + dir_.string() + "' && " + env + " OTPBATCH_FIXED_TIME=1794276000 '" + kBin + "' " +
                      args + " >stdout.txt 2>stderr.txt";
    int rc = std::system(cmd.c_str());
    stderr_ = Slurp(dir_ / "stderr.txt");
    stdout_ = Slurp(dir_ / "stdout.txt");
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }
  std::string DemoRun(const std::string& extra = "") {
    return "run --config " + kDemo + "/facility.xml --patients " + kDemo + "/patients.csv --services " + kDemo +
           "/services.csv --as-of " + kAsOf + " --db otpbatch.db --out out" + extra;
  }
  std::vector<fs::path> Files837() {
    std::vector<fs::path> v;
    if (!fs::exists(dir_ / "out" / kAsOf)) return v;
    for (auto& e : fs::directory_iterator(dir_ / "out" / kAsOf))
      if (e.path().extension() == ".837") v.push_back(e.path());
    std::sort(v.begin(), v.end());
    return v;
  }
  fs::path dir_;
  std::string stderr_, stdout_;
};

}  // namespace otp_e2e
