// One finding per cause, under a stable occurrence key (compliance-rules.md): hand-made patients
// of every program judged night after night, their rows arriving on their own dates.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "compliance/helpers.h"

namespace otp::testing {
namespace {

// A small deterministic generator, so that a failure names a seed that reproduces it.
class Lcg {
 public:
  explicit Lcg(uint64_t seed) : s_(seed * 6364136223846793005ULL + 1442695040888963407ULL) {}
  int Between(int lo, int hi) {  // inclusive
    s_ = s_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + static_cast<int>((s_ >> 33) % static_cast<uint64_t>(hi - lo + 1));
  }
  bool PerCent(int p) { return Between(0, 99) < p; }

 private:
  uint64_t s_;
};

struct Case {
  Patient patient;
  Rows rows;
};

// A patient whose care goes wrong now and then: late or missing intake items, care plans and
// drug tests with long gaps, counseling that stops, take-homes over the ladder.
Case Make(uint64_t seed) {
  Lcg r(seed);
  const Program programs[] = {Program::kMaintenance, Program::kWithdrawal, Program::kInterim};
  const Program program = programs[r.Between(0, 2)];
  const Date adm = D("2025-01-06") + r.Between(0, 40);
  Case c{Pat(adm.Iso().c_str(), program), {}};
  if (r.PerCent(30)) c.patient.discharge_date = adm + r.Between(3, 300);
  if (r.PerCent(80)) c.rows.Add(adm + r.Between(0, 18), Service::kPhysicalExam);
  if (r.PerCent(80)) c.rows.Add(adm + r.Between(0, 18), Service::kPsychosocialAssessment);
  for (Date d = adm + r.Between(0, 20); d < adm + 420 && r.PerCent(85); d = d + r.Between(40, 120))
    c.rows.Add(d, Service::kCarePlan);
  for (Date d = adm + r.Between(0, 12); d < adm + 420; d = d + r.Between(5, 80))
    if (r.PerCent(85)) c.rows.Add(d, Service::kToxicologyTest);
  for (Date d = adm + r.Between(0, 3); d < adm + 420; d = d + r.Between(2, 45))
    c.rows.Add(d, r.PerCent(50) ? Service::kCounselingGroup : Service::kCounselingIndividual, 60);
  c.rows.Add(adm + r.Between(0, 2), Service::kMethadoneDose, r.Between(30, 70));
  for (Date d = adm + r.Between(1, 20); d < adm + 420; d = d + r.Between(7, 40))
    c.rows.Add(d, Service::kMethadoneTakehome, r.Between(1, 32));
  return c;
}

// The findings whose cause can end as later rows arrive, rather than stay on record: PA-4's
// running maintenance shortfall (ended by a test) and PA-8 (ended by counseling or discharge).
bool Running(const Finding& f) {
  return (f.rule_id == "PA-4" && f.key.find("_test") == std::string::npos) || f.rule_id == "PA-8";
}

TEST(FindingKeys, PA_OneFindingPerCauseUnderAStableKeyNightAfterNight) {
  int raised = 0;
  std::set<std::string> rules_seen;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Case c = Make(seed);
    const Date adm = c.patient.admission_date;
    std::map<std::string, std::pair<Date, Date>> nights;  // key: first and last night raised
    std::map<std::string, Finding> first;
    for (Date night = adm; night <= adm + 430; night = night + 1) {
      const auto findings = CheckPatient(OpenFacility(), c.patient, c.rows.Ptrs(), night, Rules());
      // A re-run of the night raises the same findings.
      const auto again = CheckPatient(OpenFacility(), c.patient, c.rows.Ptrs(), night, Rules());
      ASSERT_EQ(findings.size(), again.size());
      std::set<std::string> keys;
      int running_pa4 = 0, running_pa8 = 0;
      for (size_t i = 0; i < findings.size(); ++i) {
        const Finding& f = findings[i];
        EXPECT_EQ(f.key, again[i].key);
        EXPECT_EQ(f.detail, again[i].detail);
        EXPECT_TRUE(keys.insert(f.key).second) << "twice in one night: " << f.key;
        EXPECT_LE(f.date, night) << f.key;
        if (Running(f)) ++(f.rule_id == "PA-4" ? running_pa4 : running_pa8);
        auto [it, added] = nights.try_emplace(f.key, night, night);
        if (!added) {
          // Raised on every night between: a cause that ended does not come back.
          EXPECT_EQ(it->second.second + 1, night) << f.key << " came back";
          it->second.second = night;
        } else {
          first.emplace(f.key, f);
          ++raised;
          rules_seen.insert(f.rule_id + (f.key.find("|initial_test") != std::string::npos   ? " initial"
                                         : f.key.find("|interim_tests") != std::string::npos ? " interim"
                                                                                              : ""));
        }
      }
      // One running shortfall and one counseling gap at a time, however long they last.
      EXPECT_LE(running_pa4, 1) << night.Iso();
      EXPECT_LE(running_pa8, 1) << night.Iso();
    }
    // A cause on record stays raised to the last night, with the key it was first raised with;
    // a running one ends only with a row that makes it good (or PA-8 with the discharge).
    const Date last = adm + 430;
    for (const auto& [key, span] : nights) {
      const Finding& f = first.at(key);
      if (!Running(f)) {
        EXPECT_EQ(span.second, last) << key << " stopped on " << span.second.Iso();
        continue;
      }
      if (span.second == last) continue;
      const Date ended = span.second + 1;
      bool made_good = f.rule_id == "PA-8" && c.patient.discharge_date && *c.patient.discharge_date <= ended;
      for (const auto* row : c.rows.Ptrs()) {
        const bool counts = f.rule_id == "PA-4" ? row->service == Service::kToxicologyTest
                                                : IsCounseling(row->service);
        if (counts && row->service_date == ended) made_good = true;
      }
      EXPECT_TRUE(made_good) << key << " ended on " << ended.Iso() << " without a row that day";
    }
  }
  EXPECT_GT(raised, 100);
  for (const char* rule : {"PA-1", "PA-2", "PA-3", "PA-4", "PA-4 initial", "PA-4 interim", "PA-5", "PA-6", "PA-7",
                           "PA-8"})
    EXPECT_TRUE(rules_seen.count(rule)) << rule << " never raised: the cases do not exercise it";
}

}  // namespace
}  // namespace otp::testing
