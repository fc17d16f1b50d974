// Logs never carry PHI: every command otpbatch offers (init, run, run --dry-run, report, explain, check,
// check-config, a run refused by the lock) is run on synthetic data whose patients' last names,
// MBIs and birth dates are known, and everything printed on stdout and stderr — plus
// summary.json, which monitoring reads — is scanned for them. The data includes a patient row
// that is rejected (bad MBI, impossible birth date) and a rejected service row, so reject
// messages are covered too. The 837P files and the workbook are meant to hold PHI; they are
// checked only to prove the scan can find what it looks for.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace {

const std::string kBin = OTP_BINARY;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> v;
  std::string cur;
  std::istringstream in(line);
  while (std::getline(in, cur, ',')) v.push_back(cur);
  if (!line.empty() && line.back() == ',') v.push_back("");
  return v;
}

class PhiScan : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("otp-phi-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ASSERT_EQ(Otp("synth --patients 60 --days 120 --start 2025-01-06 --seed 9 --out in", "synth"), 0);
    // Give every patient a distinctive surname (the synthetic NATO words could match ordinary
    // words) and add one patient row that will be rejected.
    std::istringstream in(Slurp(dir_ / "in/patients.csv"));
    std::string header, line, out;
    std::getline(in, header);
    auto cols = SplitCsv(header);
    auto col = [&](const char* name) { return std::find(cols.begin(), cols.end(), name) - cols.begin(); };
    const size_t last = col("last_name"), mbi = col("mbi"), birth = col("birth_date"), pid = col("patient_id");
    ASSERT_LT(birth, cols.size());
    out = header + "\n";
    std::vector<std::string> first_row;
    int n = 0;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      auto f = SplitCsv(line);
      f[last] = "PHISURNAME" + std::string(1, static_cast<char>('A' + n / 26)) + static_cast<char>('A' + n % 26);
      ++n;
      secrets_.insert(f[last]);
      secrets_.insert(f[mbi]);
      secrets_.insert(f[birth]);                                                  // 1961-04-07
      secrets_.insert(f[birth].substr(0, 4) + f[birth].substr(5, 2) + f[birth].substr(8, 2));  // 19610407
      if (first_row.empty()) first_row = f;
      std::string joined;
      for (size_t i = 0; i < f.size(); ++i) joined += (i ? "," : "") + f[i];
      out += joined + "\n";
    }
    ASSERT_GT(n, 50);
    auto bad = first_row;
    bad[pid] = "P999999";
    bad[last] = "PHIREJECTEDSURNAME";
    bad[mbi] = "9QQBADMBI77";
    bad[birth] = "1958-02-31";
    for (const auto& s : {bad[last], bad[mbi], bad[birth]}) secrets_.insert(s);
    std::string joined;
    for (size_t i = 0; i < bad.size(); ++i) joined += (i ? "," : "") + bad[i];
    out += joined + "\n";
    std::ofstream(dir_ / "in/patients.csv") << out;
    // A service row for the rejected patient (it refers to a patient that is not there).
    std::ofstream(dir_ / "in/services.csv", std::ios::app)
        << "F-REJ-1," << first_row[col("facility_id")] << ",P999999,2025-02-03,methadone_dose,80,,1234567893,\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs otpbatch in the work folder with stdout and stderr captured under `name`.
  int Otp(const std::string& args, const std::string& name) {
    std::string cmd = "cd '" + dir_.string() + "' && '" + kBin + "' " + args + " >" + name + ".out 2>" + name + ".err";
    int rc = std::system(cmd.c_str());
    logs_[name] = Slurp(dir_ / (name + ".out")) + Slurp(dir_ / (name + ".err"));
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }

  // Each secret found in `text` (surnames as whole words, the rest as substrings).
  std::vector<std::string> Leaks(const std::string& text) {
    std::vector<std::string> found;
    for (const auto& s : secrets_) {
      if (s.empty()) continue;
      if (std::regex_search(text, std::regex("(^|[^A-Za-z0-9])" + s + "($|[^A-Za-z0-9])"))) found.push_back(s);
    }
    return found;
  }

  fs::path dir_;
  std::set<std::string> secrets_;
  std::map<std::string, std::string> logs_;
};

TEST_F(PhiScan, NoCommandPrintsNamesMbisOrBirthDates) {
  const std::string run = "run --config in/facility.xml --patients in/patients.csv --services in/services.csv "
                          "--as-of 2025-03-31 --db otp.db --out out";
  EXPECT_EQ(Otp("init --db otp.db", "init"), 0) << logs_["init"];
  EXPECT_EQ(Otp(run + " --dry-run", "dry-run"), 3);  // rejects: completed with attention
  EXPECT_NE(logs_["dry-run"].find("\"rejected\""), std::string::npos) << "the dry run prints its summary";
  EXPECT_EQ(Otp(run, "run"), 3) << logs_["run"];
  EXPECT_NE(logs_["run"].find(" 1 rejected"), std::string::npos) << "the bad service row is rejected: " << logs_["run"];
  // The re-run's rejected row is the standing work item the first run opened: nothing new, exit 0.
  EXPECT_EQ(Otp(run, "rerun"), 0) << logs_["rerun"];
  EXPECT_EQ(Otp("report --db otp.db --from 2025-01-01 --to 2025-03-31 --out period.xlsx --config in/facility.xml",
                "report"), 0) << logs_["report"];
  EXPECT_EQ(Otp("check-config --config in/facility.xml --as-of 2025-03-31", "check-config"), 0);
  EXPECT_EQ(Otp("explain --db otp.db --claim C999999999", "explain-missing"), 2);
  EXPECT_EQ(Otp("check --db otp.db", "check"), 0) << logs_["check"];

  // The claims the night wrote, explained.
  std::vector<std::string> claim_ids;
  std::string x12;
  for (auto& e : fs::directory_iterator(dir_ / "out/2025-03-31")) {
    if (e.path().extension() != ".837") continue;
    std::string t = Slurp(e.path());
    x12 += t;
    std::regex clm("CLM\\*(C[0-9]+)\\*");
    for (std::sregex_iterator it(t.begin(), t.end(), clm), end; it != end; ++it) claim_ids.push_back((*it)[1]);
  }
  ASSERT_GT(claim_ids.size(), 20u);
  // Every claim the night wrote would take long in a Debug build: twenty spread over them.
  for (size_t i = 0; i < claim_ids.size(); i += claim_ids.size() / 20) {
    std::string name = "explain-" + std::to_string(i);
    ASSERT_EQ(Otp("explain --db otp.db --claim " + claim_ids[i], name), 0) << logs_[name];
    EXPECT_TRUE(std::regex_search(logs_[name], std::regex("patient P[0-9]{6}"))) << "explain names the patient id";
  }
  // A run refused because another holds the ledger (its message names the holder only).
  std::string hold = "cd '" + dir_.string() + "' && (flock -x otp.db.lock -c 'sleep 3' &) ; sleep 0.3";
  ASSERT_EQ(std::system(hold.c_str()), 0);
  EXPECT_EQ(Otp(run, "locked"), 4);

  size_t scanned = 0;
  for (const auto& [name, text] : logs_) {
    scanned += text.size();
    auto leaks = Leaks(text);
    EXPECT_TRUE(leaks.empty()) << name << " printed PHI: " << leaks.front() << "\n" << text.substr(0, 2000);
  }
  std::string summary = Slurp(dir_ / "out/2025-03-31/summary.json");
  ASSERT_FALSE(summary.empty());
  auto leaks = Leaks(summary);
  EXPECT_TRUE(leaks.empty()) << "summary.json holds PHI: " << leaks.front();
  EXPECT_GT(scanned, 2000u);

  // The scan can fail: the claim files do carry the patients' names, MBIs and birth dates.
  EXPECT_GE(Leaks(x12).size(), 30u);
}

}  // namespace
