// The work after the night, as a billing clerk meets it (issue: work that ends): a held week
// billed once after its cause is fixed, a fixed rejected row billed in its own week, a re-run's
// report rebuilt from the ledger, and cron's exit status and log line.
#include <gtest/gtest.h>

#include <regex>

#include "e2e/e2e_fixture.h"

namespace {

using namespace otp_e2e;  // NOLINT: the fixture and its constants

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class WorkQueue : public E2E {
 protected:
  // The demo's inputs copied here, so a test can correct them between nights.
  void CopyDemo() {
    for (const char* f : {"facility.xml", "patients.csv", "services.csv"})
      fs::copy_file(fs::path(kDemo) / f, dir_ / f, fs::copy_options::overwrite_existing);
  }
  int Night(const std::string& as_of) {
    return Otp("run --config facility.xml --patients patients.csv --services services.csv --as-of " + as_of +
               " --db otpbatch.db --out out");
  }
  void Replace(const std::string& file, const std::string& from, const std::string& to) {
    std::string text = Slurp(dir_ / file);
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(dir_ / file, std::ios::trunc) << text;
  }
  std::string Queue() {
    EXPECT_EQ(Otp("queue --db otpbatch.db --json --as-of 2026-11-12"), 0) << stderr_;
    return stdout_;
  }
};

const char* const kHeldWeeks[] = {"2026-09-30", "2026-10-07", "2026-10-14", "2026-10-21", "2026-10-28"};

// P000054's diagnosis F10.20 (alcohol) holds its weeks (CL-3). A night that changes nothing
// about them leaves them held (and their items open); corrected to F11.20, they bill the next
// night, once.
TEST_F(WorkQueue, CL3_HeldWeeksBillTheNightAfterTheDiagnosisIsCorrectedAndOnlyOnce) {
  CopyDemo();
  ASSERT_EQ(Night("2026-11-10"), 3) << stderr_;
  EXPECT_EQ(Count(Queue(), "\"reason\":\"no-oud-diagnosis\""), 5);
  ASSERT_EQ(Otp("explain --db otpbatch.db --patient P000054"), 0) << stderr_;
  EXPECT_EQ(Count(stdout_, ": G2067  DOS"), 0);

  ASSERT_EQ(Night("2026-11-11"), 3) << stderr_;  // the week 11-04 … 11-10 ends: held too
  EXPECT_EQ(Count(Queue(), "\"reason\":\"no-oud-diagnosis\""), 6) << "a standing held week was resolved";

  Replace("patients.csv", "F10.20", "F11.20");
  ASSERT_EQ(Night("2026-11-12"), 0) << stderr_;
  EXPECT_EQ(Count(Queue(), "no-oud-diagnosis"), 0);
  ASSERT_EQ(Otp("explain --db otpbatch.db --patient P000054"), 0) << stderr_;
  for (const char* week : kHeldWeeks) EXPECT_EQ(Count(stdout_, std::string(": G2067  DOS ") + week), 1) << week;
  EXPECT_EQ(Count(stdout_, "resolved on 2026-11-12"), 6);

  Night("2026-11-13");
  ASSERT_EQ(Otp("explain --db otpbatch.db --patient P000054"), 0) << stderr_;
  for (const char* week : kHeldWeeks) EXPECT_EQ(Count(stdout_, std::string(": G2067  DOS ") + week), 1) << week;
}

// A record that arrives for a held week is decided with the week, not held as late, even on a
// night that changed nothing else about it.
TEST_F(WorkQueue, CL7_ARowArrivingForAHeldWeekJoinsTheWeek) {
  CopyDemo();
  ASSERT_EQ(Night("2026-11-10"), 3) << stderr_;
  std::ofstream(dir_ / "services.csv", std::ios::app)
      << "HRC02-LATE-0001,HRC02,P000054,2026-10-01,counseling_individual,30,in_person,1193978446,\n";
  Night("2026-11-11");
  ASSERT_EQ(Otp("explain --db otpbatch.db --record HRC02-LATE-0001"), 0) << stderr_;
  EXPECT_NE(stdout_.find("open (no-oud-diagnosis)"), std::string::npos) << stdout_;
  EXPECT_EQ(stdout_.find("late-record"), std::string::npos) << stdout_;
  EXPECT_NE(stdout_.find("held week:  2026-09-30"), std::string::npos) << "the week's item names the record";
}

// The work items (one JSON line each) that mention both texts.
int Lines(const std::string& json_lines, const std::string& a, const std::string& b) {
  int n = 0;
  std::istringstream in(json_lines);
  for (std::string line; std::getline(in, line);) n += line.find(a) != std::string::npos && line.find(b) != std::string::npos;
  return n;
}

// A lapsed DEA registration holds the facility's weeks from the lapse (CL-2), one finding for the
// cause; entered renewed in facility.xml, the held weeks bill the next night. Add-on lines held
// inside weeks billed before the lapse stay items: they go on a corrected claim (docs/clerks.md).
TEST_F(WorkQueue, CL2_HeldWeeksBillTheNightAfterTheCredentialIsRenewed) {
  CopyDemo();
  Replace("facility.xml", "number=\"RH4598807\" effective=\"2025-07-28\" expires=\"2027-11-10\"",
          "number=\"RH4598807\" effective=\"2025-07-28\" expires=\"2026-10-15\"");
  ASSERT_EQ(Night("2026-11-10"), 3) << stderr_;
  const int weeks = Lines(Queue(), "gate:dea-registration", "\"code\":\"G20");
  const int bundles = Lines(Queue(), "gate:dea-registration", "\"code\":\"G2067\"");
  EXPECT_GT(bundles, 20);
  const std::string summary = Slurp(dir_ / "out/2026-11-10/summary.json");
  EXPECT_NE(summary.find("\"CL-2\": 1"), std::string::npos) << "one cause, one finding: " << summary;

  Replace("facility.xml", "expires=\"2026-10-15\"", "expires=\"2028-10-15\"");
  Night("2026-11-11");
  EXPECT_EQ(Lines(Queue(), "gate:dea-registration", "\"code\":\"G2067\""), 0);
  EXPECT_LT(Lines(Queue(), "gate:dea-registration", "\"code\":\"G20"), weeks - bundles + 1);
  ASSERT_EQ(Otp("explain --db otpbatch.db --patient P000001"), 0) << stderr_;
  EXPECT_NE(stdout_.find("gate:dea-registration"), std::string::npos);
  EXPECT_NE(stdout_.find(": G2067  DOS 2026-10-20"), std::string::npos) << stdout_;
}

// A dose rejected for its date was the only row of its week; corrected, it bills that week
// (EP-1: the cycle continues) instead of coming back as a late record.
TEST_F(WorkQueue, CL7_AFixedRejectedRowIsBilledInItsWeekNotHeldAsLate) {
  CopyDemo();
  std::string services = Slurp(dir_ / "services.csv");
  std::string kept;
  std::istringstream lines(services);
  for (std::string line; std::getline(lines, line);) {
    const bool week = line.find(",P000001,2026-09-") != std::string::npos &&
                      line.substr(line.find(",2026-09-") + 1, 10) >= "2026-09-08" &&
                      line.substr(line.find(",2026-09-") + 1, 10) <= "2026-09-14";
    if (!week || line.rfind("HRC01-000000221,", 0) == 0) kept += line + "\n";
  }
  std::ofstream(dir_ / "services.csv", std::ios::trunc) << kept;
  Replace("services.csv", "HRC01-000000221,HRC01,P000001,2026-09-09", "HRC01-000000221,HRC01,P000001,2026-09-39");
  ASSERT_EQ(Night("2026-11-10"), 3) << stderr_;
  EXPECT_EQ(Count(Queue(), "\"kind\":\"rejected-row\""), 1);

  Replace("services.csv", "2026-09-39", "2026-09-09");
  Night("2026-11-11");
  ASSERT_EQ(Otp("explain --db otpbatch.db --record HRC01-000000221"), 0) << stderr_;
  EXPECT_NE(stdout_.find("billed, decided by run 2"), std::string::npos) << stdout_;
  EXPECT_NE(stdout_.find("G2067  DOS 2026-09-08"), std::string::npos) << stdout_;
  EXPECT_EQ(stdout_.find("late-record"), std::string::npos) << stdout_;
  EXPECT_EQ(Count(Queue(), "rejected-row"), 0);
}

// A re-run of a committed night writes no claim, exits 0 for the items it only saw again, and
// its workbook and summary still show the whole night, marked as a re-run.
TEST_F(WorkQueue, AReRunRebuildsItsNightsReportFromTheLedger) {
  ASSERT_EQ(Otp(DemoRun()), 3) << stderr_;
  const auto workbook = dir_ / "out" / kAsOf / (std::string("compliance-") + kAsOf + ".xlsx");
  const auto first_size = fs::file_size(workbook);
  ASSERT_EQ(Otp(DemoRun()), 0) << stderr_;
  const std::string summary = Slurp(dir_ / "out" / kAsOf / "summary.json");
  EXPECT_NE(summary.find("\"claims_written\": 0"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"rerun\": true"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"claims\": 147"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"total_charges\": \"205688.10\""), std::string::npos) << summary;
  EXPECT_GT(fs::file_size(workbook), first_size * 9 / 10) << "the re-run's workbook lost the night";
}

// Cron reads the exit status and keeps stderr: one dated line per run with the as-of date, the
// exit status, the counts and the output folder; standing work does not exit 3 again.
TEST_F(WorkQueue, CronGetsOneDatedLineAndExit3OnlyForNewWork) {
  ASSERT_EQ(Otp(DemoRun()), 3) << stderr_;
  const std::regex line(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ otpbatch run: as of 2026-11-10, exit 3: 4168 service rows read: .*; 147 claims, 1010 lines, charges 205688\.10; work items: 14 opened, 0 resolved, 14 open; files in out/2026-11-10\n$)");
  EXPECT_TRUE(std::regex_match(stderr_, line)) << stderr_;
  ASSERT_EQ(Otp(DemoRun()), 0) << stderr_;
  EXPECT_NE(stderr_.find(", exit 0: "), std::string::npos) << stderr_;
}

TEST_F(WorkQueue, CloseKeepsWhoAndWhyAndTheItemLeavesTheQueue) {
  ASSERT_EQ(Otp(DemoRun()), 3) << stderr_;
  EXPECT_EQ(Otp("close --db otpbatch.db --item W000008 --by 'A. Chen' --note 'exam on file, entered late'"), 0)
      << stderr_;
  EXPECT_EQ(Count(Queue(), "\"id\":\"W000008\""), 0);
  ASSERT_EQ(Otp("explain --db otpbatch.db --item w8"), 0) << stderr_;
  EXPECT_NE(stdout_.find("closed on 2026-11-10 by A. Chen at 2026-11-10T"), std::string::npos) << stdout_;
  EXPECT_NE(stdout_.find("exam on file, entered late"), std::string::npos);
  EXPECT_EQ(Otp("close --db otpbatch.db --item W000008 --by 'A. Chen' --note again"), 2);
  EXPECT_EQ(Otp("close --db otpbatch.db --item W999999 --by x --note y"), 2);
}

TEST_F(WorkQueue, ExplainTakesClaimIdsInAnyCase) {
  ASSERT_EQ(Otp(DemoRun()), 3) << stderr_;
  ASSERT_EQ(Otp("explain --db otpbatch.db --claim c000000001"), 0) << stderr_;
  EXPECT_NE(stdout_.find("claim C000000001"), std::string::npos);
  EXPECT_EQ(Otp("explain --db otpbatch.db"), 2);
}

}  // namespace
