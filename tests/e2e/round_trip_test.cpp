// The demo night's claims round trip (issue 26): 837P out, the responses of
// fixtures/demo/responses in (999s, a 277CA file of two interchanges, two 835 payments and the
// first one sent again), `claims --json` equal to the responses' own figures
// (fixtures/demo/responses/expected.json, computed by scripts/demo-responses from the files it
// wrote) to the cent, and everything ingested twice changing nothing.
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "e2e_fixture.h"

namespace otp_e2e {
namespace {

const std::string kResponses = kDemo + "/responses";

std::string ResponseFiles() {
  std::vector<std::string> names;
  for (auto& e : fs::directory_iterator(kResponses))
    if (e.path().extension() == ".x12") names.push_back(e.path().string());
  std::sort(names.begin(), names.end());
  std::string args;
  for (const auto& n : names) args += " '" + n + "'";
  return args;
}

int64_t Cents(const nlohmann::json& amount) { return std::llround(amount.get<double>() * 100); }

class RoundTrip : public E2E {
 protected:
  std::map<std::string, nlohmann::json> Claims(const std::string& filter = "") {
    EXPECT_EQ(Otp("claims --db otpbatch.db --json" + filter), 0) << stderr_;
    std::map<std::string, nlohmann::json> out;
    std::istringstream lines(stdout_);
    for (std::string line; std::getline(lines, line);) {
      nlohmann::json j = nlohmann::json::parse(line);
      out[j["claim_id"]] = j;
    }
    return out;
  }
  void DemoAndResponses() {
    ASSERT_EQ(Otp(DemoRun()), 3) << stderr_;
    ASSERT_EQ(Otp("ingest --db otpbatch.db" + ResponseFiles()), 3) << stderr_;
  }
};

TEST_F(RoundTrip, ClaimsAgreeWithTheResponsesToTheCent) {
  DemoAndResponses();
  const auto claims = Claims();
  const nlohmann::json expected = nlohmann::json::parse(Slurp(kResponses + "/expected.json"));
  ASSERT_EQ(claims.size(), expected["claims"].size());
  for (const auto& want : expected["claims"]) {
    const std::string id = want["claim_id"];
    ASSERT_TRUE(claims.count(id)) << id;
    const nlohmann::json& got = claims.at(id);
    EXPECT_EQ(got["status"], want["status"]) << id;
    EXPECT_EQ(got["payer_claim_number"], want["payer_claim_number"]) << id;
    for (const char* money : {"billed", "paid", "patient_responsibility"})
      EXPECT_EQ(Cents(got[money]), Cents(want[money])) << id << " " << money;
    ASSERT_EQ(got["adjustments"].size(), want["adjustments"].size()) << id;
    for (size_t i = 0; i < want["adjustments"].size(); ++i) {
      EXPECT_EQ(got["adjustments"][i]["group"], want["adjustments"][i]["group"]) << id;
      EXPECT_EQ(got["adjustments"][i]["reason"], want["adjustments"][i]["reason"]) << id;
      EXPECT_EQ(Cents(got["adjustments"][i]["amount"]), Cents(want["adjustments"][i]["amount"])) << id;
    }
  }
}

TEST_F(RoundTrip, EachClaimsHistoryNamesTheDateAndFileOfEveryResponse) {
  DemoAndResponses();
  for (const auto& [id, c] : Claims()) {
    ASSERT_GE(c["history"].size(), 2u) << id;  // written, and at least the 999
    EXPECT_EQ(c["history"][0]["event"], "written") << id;
    for (const auto& h : c["history"]) {
      EXPECT_FALSE(h["date"].get<std::string>().empty()) << id;
      if (h["event"] != "written") EXPECT_NE(h["file"].get<std::string>().find(".x12"), std::string::npos) << id;
    }
  }
}

TEST_F(RoundTrip, IngestingEverythingTwiceChangesNothing) {
  DemoAndResponses();
  const auto before = Claims();
  ASSERT_EQ(Otp("queue --db otpbatch.db --json"), 0);
  const std::string queue = stdout_;
  ASSERT_EQ(Otp("ingest --db otpbatch.db" + ResponseFiles()), 0) << stderr_;  // no new work: exit 0
  EXPECT_NE(stdout_.find("recorded before"), std::string::npos);
  EXPECT_EQ(Claims(), before);
  ASSERT_EQ(Otp("queue --db otpbatch.db --json"), 0);
  EXPECT_EQ(stdout_, queue);
}

TEST_F(RoundTrip, RejectedAndDeniedClaimsJoinTheWorkQueueWithWhatToDo) {
  DemoAndResponses();
  ASSERT_EQ(Otp("queue --db otpbatch.db --json"), 0);
  int rejected = 0, denied = 0;
  std::istringstream lines(stdout_);
  for (std::string line; std::getline(lines, line);) {
    const nlohmann::json w = nlohmann::json::parse(line);
    if (w["kind"] == "claim-rejected") ++rejected;
    if (w["kind"] == "claim-denied") ++denied;
    if (w["kind"] == "claim-rejected") EXPECT_NE(w["next_step"].get<std::string>().find("resubmit"), std::string::npos);
  }
  const auto claims = Claims();
  int want_rejected = 0;
  for (const auto& [id, c] : claims) want_rejected += c["status"] == "rejected";
  EXPECT_EQ(rejected, want_rejected);
  EXPECT_GE(denied, 1);
}

TEST_F(RoundTrip, ARejectedClaimIsBilledAgainOnANewClaimTheNextNight) {
  DemoAndResponses();
  std::string rejected;
  for (const auto& [id, c] : Claims(" --status rejected")) rejected = id;
  ASSERT_FALSE(rejected.empty());
  const std::string paid = Claims(" --status paid").begin()->first;
  EXPECT_EQ(Otp("resubmit --db otpbatch.db --claim " + paid + " --by Dana"), 2);
  ASSERT_EQ(Otp("resubmit --db otpbatch.db --claim " + rejected + " --by Dana"), 0) << stderr_;
  std::string next = DemoRun();
  next.replace(next.find(kAsOf), 10, "2026-11-11");
  ASSERT_LE(Otp(next, "OTPBATCH_PROFILE=1"), 3) << stderr_;
  // ingest and resubmit leave the ledger stamped: the night does not check the file again.
  EXPECT_NE(stderr_.find("open ledger (as last left)"), std::string::npos) << stderr_;
  const auto claims = Claims();
  const nlohmann::json& old = claims.at(rejected);
  EXPECT_EQ(old["status"], "resubmitted");
  const std::string fresh = old["replaced_by"];
  ASSERT_TRUE(claims.count(fresh));
  EXPECT_EQ(claims.at(fresh)["replaces"], rejected);
  EXPECT_EQ(claims.at(fresh)["billed"], old["billed"]);
  EXPECT_EQ(claims.at(fresh)["status"], "written");
  const std::string file = claims.at(fresh)["file"];
  EXPECT_NE(Slurp(dir_ / "out" / "2026-11-11" / file).find("CLM*" + fresh + "*"), std::string::npos);
  ASSERT_EQ(Otp("queue --db otpbatch.db"), 0);
  EXPECT_EQ(stdout_.find(rejected), std::string::npos);  // its rejection's item ended
}

TEST_F(RoundTrip, AnUnreadableFileIsReportedAndNothingOfItIsRecorded) {
  ASSERT_EQ(Otp(DemoRun()), 3) << stderr_;
  std::string bytes = Slurp(kResponses + "/3-835-2026-11-25-first-payment.x12");
  std::ofstream(dir_ / "cut.x12", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  ASSERT_EQ(Otp("ingest --db otpbatch.db cut.x12"), 3) << stderr_;
  EXPECT_NE(stdout_.find("NOT READ"), std::string::npos);
  EXPECT_NE(stdout_.find("segment"), std::string::npos);
  for (const auto& [id, c] : Claims()) EXPECT_EQ(c["status"], "written") << id;
}

TEST_F(RoundTrip, AFileThatCannotBeOpenedStopsTheIngestBeforeAnythingIsWritten) {
  ASSERT_EQ(Otp(DemoRun()), 3) << stderr_;
  const std::string first = kResponses + "/1-999-HRC01-accepted.x12";
  EXPECT_EQ(Otp("ingest --db otpbatch.db '" + first + "' missing.x12"), 2);
  EXPECT_NE(stderr_.find("missing.x12"), std::string::npos);
  EXPECT_EQ(Otp("ingest --db otpbatch.db '" + first + "' /dev/zero"), 2);  // never read without end
  EXPECT_EQ(Otp("ingest --db otpbatch.db '" + first + "' ."), 2);
  for (const auto& [id, c] : Claims()) EXPECT_EQ(c["history"].size(), 1u) << id;
}

}  // namespace
}  // namespace otp_e2e
