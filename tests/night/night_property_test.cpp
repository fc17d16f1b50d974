// The nightly property (CL-7, EP-2): billing a period in one run, night after night with the
// whole files, or night after night with the rows arriving as they happen, gives the same
// claim lines, the same episodes and the same outcome for every row — and no source row feeds
// two lines of one code. Data from Synthesize (src/synth), never from fixtures/demo.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

#include "night/night_fixture_billing.h"
#include "synth/synth.h"

namespace otp::nighttest {
namespace {

constexpr const char* kBundleCodes =
    "('G2067','G2068','G2069','G0533','G2070','G2071','G2072','G2073','G2075','G2074')";

struct Scenario {
  uint64_t seed;
  int facilities;
  bool force_weekday;  // turn the last facility's cycle into weekday:monday
};

std::string ForceWeekdayOnLastFacility(std::string xml) {
  const std::string patient = "episode-cycle=\"patient\"";
  size_t at = xml.rfind(patient);
  if (at != std::string::npos) xml.replace(at, patient.size(), "episode-cycle=\"weekday:monday\"");
  return xml;
}

// The services.csv of the night `as_of` when rows arrive as they happen: the header and every
// row dated before as_of. Synth rows hold no quoted fields; the date is the fourth column.
std::string RowsBefore(const std::string& csv, Date as_of) {
  std::istringstream in(csv);
  std::string line, out;
  std::getline(in, line);
  out = line + "\n";
  const std::string cut = as_of.Iso();
  while (std::getline(in, line)) {
    size_t c1 = line.find(','), c2 = line.find(',', c1 + 1), c3 = line.find(',', c2 + 1);
    if (line.substr(c3 + 1, 10) < cut) out += line + "\n";
  }
  return out;
}

// What the property compares between two ledgers.
struct LedgerState {
  std::vector<LineKey> lines;
  std::vector<std::string> episodes, outcomes;
};

LedgerState StateOf(const NightFixture& n) {
  LedgerState s;
  s.lines = n.Lines();
  s.episodes = n.Rows("SELECT facility_id, patient_id, start_date, end_date, bundle_code, status, reason FROM episodes", 7);
  s.outcomes = n.Rows("SELECT facility_id, record_id, status, reason FROM service_rows", 4);
  return s;
}

void ExpectOnceOnly(const NightFixture& n, const std::vector<LineKey>& lines) {
  EXPECT_TRUE(DuplicateSources(lines).empty()) << "first duplicate: " << DuplicateSources(lines).front();
  // BU-1: at most one bundle line per episode.
  EXPECT_EQ(n.Count(std::string("SELECT COUNT(*) FROM (SELECT 1 FROM claim_lines l JOIN claims c ON c.claim_id = "
                                "l.claim_id WHERE l.code IN ") +
                    kBundleCodes + " GROUP BY c.facility_id, c.patient_id, l.episode_start HAVING COUNT(*) > 1)"),
            0);
}

template <typename T>
void ExpectSame(const std::vector<T>& want, const std::vector<T>& got, const char* what, const char* variant) {
  EXPECT_EQ(want.size(), got.size()) << what << " count differs in " << variant;
  std::vector<T> only_want, only_got;
  std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::back_inserter(only_want));
  std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::back_inserter(only_got));
  for (size_t i = 0; i < only_want.size() && i < 5; ++i)
    ADD_FAILURE() << what << " only in the single run, not in " << variant << ": " << only_want[i];
  for (size_t i = 0; i < only_got.size() && i < 5; ++i)
    ADD_FAILURE() << what << " only in " << variant << ": " << only_got[i];
}

class NightProperty : public ::testing::TestWithParam<Scenario> {};

TEST_P(NightProperty, CL7_OneRunEqualsNightAfterNight) {
  const auto t0 = std::chrono::steady_clock::now();
  const Scenario sc = GetParam();
  SynthOptions so;
  so.patients = 40;
  so.days = 90;
  so.start = Day("2025-11-03");  // across two month ends and the CY2025 → CY2026 rate change
  so.seed = sc.seed;
  so.facilities = sc.facilities;
  SynthFiles files = Synthesize(so);
  if (sc.force_weekday) files.facility_xml = ForceWeekdayOnLastFacility(files.facility_xml);
  if (sc.force_weekday) {
    ASSERT_NE(files.facility_xml.find("episode-cycle=\"weekday:monday\""), std::string::npos);
  }
  const Date last_day = so.start + (so.days - 1);
  const Date final_as_of = last_day + 1;  // the day after the last day of services

  TempDir dir;
  NightFixture single(dir, "single"), nightly(dir, "nightly"), arriving(dir, "arriving");
  for (const NightFixture* n : {&single, &nightly, &arriving}) {
    n->SetConfig(files.facility_xml);
    n->SetPatients(files.patients_csv);
    n->SetServices(files.services_csv);
  }

  // (a) the whole period in one run
  NightResult a = single.Run(final_as_of);
  ASSERT_TRUE(ExitOf(a) == 0 || ExitOf(a) == 3) << a.status.message();
  EXPECT_EQ(a.counts.rejected, 0);

  // (b) every night with the full files; (c) every night with the rows dated before it
  for (Date night = so.start + 1; night <= final_as_of; night = night + 1) {
    NightResult b = nightly.Run(night);
    ASSERT_TRUE(ExitOf(b) == 0 || ExitOf(b) == 3) << night.Iso() << ": " << b.status.message();
    arriving.SetServices(RowsBefore(files.services_csv, night));
    NightResult c = arriving.Run(night);
    ASSERT_TRUE(ExitOf(c) == 0 || ExitOf(c) == 3) << night.Iso() << ": " << c.status.message();
    // Rows arrive before their episode ends: nothing is ever late.
    EXPECT_EQ(c.counts.held_by_reason["late-record"], 0) << night.Iso();
  }

  const LedgerState sa = StateOf(single), sb = StateOf(nightly), sc_ = StateOf(arriving);
  // The data must exercise the rules: many lines, every episode kind.
  EXPECT_GT(sa.lines.size(), 300u);
  EXPECT_GT(single.Count("SELECT COUNT(*) FROM claim_lines WHERE code = 'G2074'"), 0);
  EXPECT_GT(single.Count("SELECT COUNT(*) FROM claim_lines WHERE code IN ('G2078','G2079')"), 0);
  if (sc.force_weekday) {
    // The weekday facility has billed episodes, all starting on a Monday.
    EXPECT_GT(single.Count("SELECT COUNT(*) FROM episodes e WHERE e.facility_id = (SELECT MAX(facility_id) FROM "
                           "episodes) AND e.status = 'billed'"),
              0);
    EXPECT_EQ(single.Count("SELECT COUNT(*) FROM episodes WHERE facility_id = (SELECT MAX(facility_id) FROM "
                           "episodes) AND strftime('%w', start_date) <> '1'"),
              0);
  }

  ExpectSame(sa.lines, sb.lines, "claim line", "nightly full files");
  ExpectSame(sa.lines, sc_.lines, "claim line", "nightly arriving rows");
  ExpectSame(sa.episodes, sb.episodes, "episode", "nightly full files");
  ExpectSame(sa.episodes, sc_.episodes, "episode", "nightly arriving rows");
  ExpectSame(sa.outcomes, sb.outcomes, "row outcome", "nightly full files");
  ExpectSame(sa.outcomes, sc_.outcomes, "row outcome", "nightly arriving rows");
  for (const NightFixture* n : {&single, &nightly, &arriving}) ExpectOnceOnly(*n, n->Lines());

  // A re-run of the last night with the full files bills nothing new.
  NightResult again = nightly.Run(final_as_of);
  ASSERT_TRUE(ExitOf(again) == 0 || ExitOf(again) == 3) << again.status.message();
  EXPECT_EQ(again.counts.billed, 0);
  EXPECT_EQ(nightly.Lines(), sb.lines);

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  RecordProperty("lines_compared", static_cast<int>(sa.lines.size()));
  std::printf("[ property ] seed %llu: %zu lines, %zu episodes, %zu rows compared; %.1f s\n",
              static_cast<unsigned long long>(sc.seed), sa.lines.size(), sa.episodes.size(), sa.outcomes.size(),
              secs);
}

INSTANTIATE_TEST_SUITE_P(Seeds, NightProperty,
                         ::testing::Values(Scenario{7, 2, true}, Scenario{20260105, 1, false}),
                         [](const ::testing::TestParamInfo<Scenario>& i) {
                           return "seed" + std::to_string(i.param.seed) + (i.param.force_weekday ? "_weekday" : "");
                         });

}  // namespace
}  // namespace otp::nighttest
