// The demo night's responses (fixtures/demo/responses, written by scripts/demo-responses) read
// with otpbatch's own readers: every file reads and balances; together the files show each case
// ingest must handle; and the reader's sums per claim are what expected.json promises, the figures
// the ingest round trip is judged by. expected.json is read with nlohmann/json, which the build
// already has (src/output, src/report): the test reads the very document ingest's test will.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "input/x12_return_file.h"
#include "input/x12_test_util.h"

namespace otp {
namespace {

namespace fs = std::filesystem;

struct Loaded {
  std::string name;
  ReturnFile file;
};

// Every .x12 file of the folder, in name order (the order they arrive), read whole.
const std::vector<Loaded>& Files() {
  static const std::vector<Loaded> files = [] {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(fs::path(OTP_SOURCE_DIR) / "fixtures/demo/responses"))
      if (e.path().extension() == ".x12") names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    std::vector<Loaded> out;
    for (const auto& n : names) {
      auto r = ReadReturnFile(testing::Fixture("demo/responses/" + n));
      if (!r.ok()) throw std::runtime_error(n + ": " + r.status().message());
      out.push_back({n, std::move(*r)});
    }
    return out;
  }();
  return files;
}

nlohmann::json Expected() {
  std::ifstream in(std::string(OTP_SOURCE_DIR) + "/fixtures/demo/responses/expected.json");
  return nlohmann::json::parse(in);
}

// A JSON number with two decimals, printed as Money prints ("1530.70"), so that a failure shows
// both amounts.
std::string Amount(const nlohmann::json& v) {
  return Money::Cents(std::llround(v.get<double>() * 100.0)).ToString();
}

// Each payment once: the first file that carries its trace (TRN02 with TRN03, the payer).
struct Posted {
  const Remit835* remit;
  size_t file;
};
std::vector<Posted> PaymentsOnce() {
  std::vector<Posted> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t f = 0; f < Files().size(); ++f)
    for (const auto& r : Files()[f].file.remits)
      if (seen.insert({r.value.trace_number, r.value.payer_trace_id}).second) out.push_back({&r.value, f});
  // By payment date, then arrival: the order in which adjudications decide a claim.
  std::stable_sort(out.begin(), out.end(), [](const Posted& a, const Posted& b) {
    return a.remit->payment_date < b.remit->payment_date;
  });
  return out;
}

TEST(DemoResponses, EveryFileReadsAndBalances) {
  ASSERT_NO_THROW(Files());
  ASSERT_EQ(Files().size(), 6u);
  for (const auto& f : Files()) EXPECT_GT(f.file.size(), 0u) << f.name;
}

TEST(DemoResponses, TwoInterchangesInOneFileAndEveryAcknowledgment) {
  bool two_277 = false, accepted_999 = false, noted_999 = false;
  std::set<std::string> rejected_batches;
  size_t accepted_claims = 0;
  for (const auto& f : Files()) {
    if (f.file.claim_acks.size() == 2 &&
        f.file.claim_acks[0].origin.interchange_control != f.file.claim_acks[1].origin.interchange_control)
      two_277 = true;
    for (const auto& a : f.file.acks) {
      ASSERT_EQ(a.value.transactions.size(), 1u) << f.name;
      const auto& t = a.value.transactions[0];
      accepted_999 |= t.status == 'A' && a.value.group_status == 'A' && t.errors.empty();
      noted_999 |= t.status == 'E' && t.Accepted() && a.value.GroupAccepted() && !t.errors.empty() &&
                   !t.errors[0].elements.empty();
    }
    for (const auto& ack : f.file.claim_acks)
      for (const auto& b : ack.value.batches)
        for (const auto& c : b.claims) {
          if (c.Outcome() == AckOutcome::kRejected) rejected_batches.insert(b.batch_id);
          if (c.Outcome() == AckOutcome::kAccepted && !c.payer_claim_number.empty()) ++accepted_claims;
        }
  }
  EXPECT_TRUE(two_277) << "one 277CA file with two interchanges";
  EXPECT_TRUE(accepted_999) << "a 999 accepting its 837 (IK5 A, AK9 A)";
  EXPECT_TRUE(noted_999) << "a 999 accepting with errors noted (IK5 E with IK3/IK4)";
  EXPECT_EQ(rejected_batches.size(), 2u) << "a 277CA rejection in each facility's batch";
  EXPECT_GT(accepted_claims, 100u);
}

TEST(DemoResponses, PaymentsShowEveryCaseIngestMustPost) {
  bool paid = false, deductible = false, denied = false, line_denied = false, readjudicated = false,
       wo = false;
  std::map<std::string, std::string> earlier_clp07;  // payer claim number → claim, from the payments before
  for (const auto& p : PaymentsOnce()) {
    const Remit835& r = *p.remit;
    for (size_t i = 0; i < r.claims.size(); ++i) {
      const RemitClaim& c = r.claims[i];
      bool all_lines_paid =
          std::all_of(c.lines.begin(), c.lines.end(), [](const auto& l) { return l.paid > Money(); });
      paid |= c.status == "1" && c.paid > Money() && c.patient_responsibility == Money() && all_lines_paid;
      line_denied |=
          c.status == "1" && c.paid > Money() && !all_lines_paid && c.patient_responsibility == Money();
      for (const auto& l : c.lines)
        for (const auto& a : l.adjustments)
          deductible |=
              a.group == "PR" && a.reason == "1" && c.patient_responsibility > Money() && c.paid > Money();
      denied |= c.IsDenial() && c.paid == Money();
      if (c.IsReversal()) {
        // The earlier payment's CLP07, then the new adjudication of the same claim under a new one.
        ASSERT_TRUE(earlier_clp07.count(c.payer_claim_number)) << c.claim_id;
        EXPECT_EQ(earlier_clp07.at(c.payer_claim_number), c.claim_id);
        ASSERT_LT(i + 1, r.claims.size());
        const RemitClaim& again = r.claims[i + 1];
        readjudicated |= again.claim_id == c.claim_id && !again.IsReversal() &&
                         again.payer_claim_number != c.payer_claim_number && again.paid != Money() - c.paid;
      }
    }
    for (const auto& a : r.provider_adjustments)
      wo |= a.reason == "WO" && a.amount > Money() && earlier_clp07.count(a.reference);
    for (const auto& c : r.claims) earlier_clp07[c.payer_claim_number] = c.claim_id;
  }
  EXPECT_TRUE(paid) << "a claim paid in full (less sequestration)";
  EXPECT_TRUE(deductible) << "a claim partly paid, the rest PR-1 deductible";
  EXPECT_TRUE(denied) << "a denied claim (CLP02 4)";
  EXPECT_TRUE(line_denied) << "a claim with one line denied and the others paid";
  EXPECT_TRUE(readjudicated) << "a reversal (CLP02 22) and the claim's new adjudication";
  EXPECT_TRUE(wo) << "a PLB WO recovering from a claim paid earlier, named by its CLP07";
}

TEST(DemoResponses, APaymentIsSentAgainWithTheSameTrace) {
  std::map<std::pair<std::string, std::string>, std::vector<const FromFile<Remit835>*>> by_trace;
  std::map<const FromFile<Remit835>*, std::string> file_of;
  for (const auto& f : Files())
    for (const auto& r : f.file.remits) {
      by_trace[{r.value.trace_number, r.value.payer_trace_id}].push_back(&r);
      file_of[&r] = f.name;
    }
  size_t resent = 0;
  for (const auto& [trace, copies] : by_trace) {
    if (copies.size() < 2) continue;
    ++resent;
    ASSERT_EQ(copies.size(), 2u);
    const auto &a = *copies[0], &b = *copies[1];
    EXPECT_NE(file_of[&a], file_of[&b]);
    EXPECT_NE(a.origin.interchange_control, b.origin.interchange_control);
    EXPECT_NE(a.origin.group_control, b.origin.group_control);
    EXPECT_EQ(a.value.total.ToString(), b.value.total.ToString());
    ASSERT_EQ(a.value.claims.size(), b.value.claims.size());
    for (size_t i = 0; i < a.value.claims.size(); ++i) {
      EXPECT_EQ(a.value.claims[i].claim_id, b.value.claims[i].claim_id);
      EXPECT_EQ(a.value.claims[i].paid.ToString(), b.value.claims[i].paid.ToString());
    }
  }
  EXPECT_GT(resent, 0u) << "a payment sent twice under one trace";
}

TEST(DemoResponses, ReaderSumsAreWhatExpectedJsonSays) {
  struct Net {
    Money paid, patient;
    std::string clp07;
  };
  std::map<std::string, Net> net;
  for (const auto& p : PaymentsOnce())
    for (const auto& c : p.remit->claims) {
      net[c.claim_id].paid += c.paid;
      net[c.claim_id].patient += c.patient_responsibility;
      net[c.claim_id].clp07 = c.payer_claim_number;
    }
  std::map<std::string, std::pair<Money, std::string>> acknowledged;  // STC04 and REF*1K per claim
  for (const auto& f : Files())
    for (const auto& ack : f.file.claim_acks)
      for (const auto& b : ack.value.batches)
        for (const auto& c : b.claims)
          acknowledged[c.claim_id] = {c.statuses.at(0).amount.value_or(Money()), c.payer_claim_number};

  const nlohmann::json expected = Expected();
  std::set<std::string> listed;
  for (const auto& e : expected.at("claims")) {
    const std::string id = e.at("claim_id").get<std::string>();
    SCOPED_TRACE(id);
    listed.insert(id);
    EXPECT_EQ(Amount(e.at("paid")), net[id].paid.ToString());
    EXPECT_EQ(Amount(e.at("patient_responsibility")), net[id].patient.ToString());
    ASSERT_TRUE(acknowledged.count(id)) << "every claim of the night has its 277CA status";
    EXPECT_EQ(Amount(e.at("billed")), acknowledged[id].first.ToString());
    const std::string number = net[id].clp07.empty() ? acknowledged[id].second : net[id].clp07;
    EXPECT_EQ(e.at("payer_claim_number").get<std::string>(), number);
  }
  EXPECT_EQ(listed.size(), 147u) << "the demo night writes 147 claims";
  for (const auto& [id, n] : net) EXPECT_TRUE(listed.count(id)) << id << " is paid but not in expected.json";

  // Each payment: BPR02, the claims' CLP04 and the PLB amounts, once per trace.
  std::map<std::string, const Remit835*> by_trace;
  for (const auto& p : PaymentsOnce()) by_trace[p.remit->trace_number] = p.remit;
  ASSERT_EQ(expected.at("payments").size(), by_trace.size());
  for (const auto& e : expected.at("payments")) {
    const Remit835* r = by_trace.at(e.at("trace").get<std::string>());
    EXPECT_EQ(Amount(e.at("bpr_total")), r->total.ToString());
    Money clp04;
    for (const auto& c : r->claims) clp04 += c.paid;
    EXPECT_EQ(Amount(e.at("claims_paid")), clp04.ToString());
    ASSERT_EQ(e.at("provider_adjustments").size(), r->provider_adjustments.size());
    for (size_t i = 0; i < r->provider_adjustments.size(); ++i) {
      EXPECT_EQ(e.at("provider_adjustments")[i].at("reason").get<std::string>(),
                r->provider_adjustments[i].reason);
      EXPECT_EQ(e.at("provider_adjustments")[i].at("reference").get<std::string>(),
                r->provider_adjustments[i].reference);
      EXPECT_EQ(Amount(e.at("provider_adjustments")[i].at("amount")),
                r->provider_adjustments[i].amount.ToString());
    }
  }
}

}  // namespace
}  // namespace otp
