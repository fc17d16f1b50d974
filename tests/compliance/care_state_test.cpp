// What the care checks keep of a patient between nights (CareState): its bytes read back as
// written, bytes that are not what EncodeCareState writes are refused (kCorrupt, never a state
// made up of defaults), and CareFacts::Add keeps what PA-1..PA-4, PA-6 and PA-8 read.
#include "compliance/care_state.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "compliance/helpers.h"

namespace otp {
namespace {

using testing::D;

// The state's failure as "corrupt" (the only code DecodeCareState gives), or "ok".
std::string Decoded(std::string_view bytes) {
  const auto r = DecodeCareState(bytes);
  if (r.ok()) return "ok";
  return r.status().code() == StatusCode::kCorrupt ? "corrupt" : "another failure: " + r.status().message();
}

CareState RoundTrip(const CareState& s) {
  const auto r = DecodeCareState(EncodeCareState(s));
  if (!r.ok()) throw std::runtime_error(r.status().message());
  return r.value();
}

// A state with every field set: a basis and terms with any byte, a first dose and a last
// counseling row, check rows of every kind on dates before and after 1970, a rowid past 2^32.
CareState Full() {
  CareState s;
  s.basis = std::string("2026-09-01|\0|ladder 7/14/28\xff", 28);
  s.judged_through = D("2026-09-02");
  s.first_day_terms = "1|50";
  s.facts.first_dose = D("2026-08-03");
  s.facts.Add(D("2026-08-30"), Service::kCounselingGroup, 77);
  s.facts.Add(D("2026-08-05"), Service::kToxicologyTest, 5'000'000'000);
  s.facts.Add(D("1969-12-30"), Service::kCarePlan, 3);
  s.facts.Add(D("2026-08-05"), Service::kPhysicalExam, 4);
  s.facts.Add(D("2026-08-05"), Service::kToxicologyTest, 2);
  s.facts.Add(D("2026-08-20"), Service::kPsychosocialAssessment, 200);
  s.facts.Add(D("2026-08-05"), Service::kToxicologyTest, 2);  // the same row again: once
  return s;
}

// ---- round trips

TEST(CareStateTest, AnEmptyStateReadsBackAsWritten) {
  const CareState empty;
  EXPECT_EQ(RoundTrip(empty), empty);
  EXPECT_FALSE(RoundTrip(empty).facts.first_dose.has_value());
  EXPECT_FALSE(RoundTrip(empty).facts.counseling_date.has_value());
}

// The facts the old ledger's CareBasisIsKeptPerPatient kept, and the rest of the state.
TEST(CareStateTest, EveryFieldReadsBackAsWritten) {
  const CareState s = Full();
  ASSERT_EQ(s.facts.checks.size(), 5u);
  const CareState back = RoundTrip(s);
  EXPECT_EQ(back, s);
  EXPECT_EQ(back.basis.size(), 28u);
  EXPECT_TRUE(std::any_of(back.facts.checks.begin(), back.facts.checks.end(),
                          [](const CheckRow& r) { return r.rowid == 5'000'000'000; }));  // not cut to 32 bits
  EXPECT_EQ(back.facts.counseling_service, Service::kCounselingGroup);
  // Either counseling service, each alone.
  CareState individual;
  individual.facts.Add(D("2026-09-01"), Service::kCounselingIndividual, 1);
  EXPECT_EQ(RoundTrip(individual), individual);
  CareState dose_only;
  dose_only.facts.Add(D("2026-09-01"), Service::kMethadoneDose, 1);
  EXPECT_EQ(RoundTrip(dose_only), dose_only);
}

TEST(CareStateTest, DatesBefore1970ReadBackAsWritten) {
  CareState s;
  s.judged_through = D("1969-12-31");
  s.facts.first_dose = D("1900-01-01");
  s.facts.Add(D("1950-06-15"), Service::kCounselingIndividual, 9);
  s.facts.Add(D("1900-01-01"), Service::kToxicologyTest, 1);
  s.facts.Add(D("1969-12-31"), Service::kToxicologyTest, 2);
  s.facts.Add(D("1970-01-01"), Service::kToxicologyTest, 3);
  const CareState back = RoundTrip(s);
  EXPECT_EQ(back, s);
  EXPECT_EQ(back.judged_through.Iso(), "1969-12-31");
  EXPECT_EQ(back.facts.checks.front().date.Iso(), "1900-01-01");
}

// Thousands of rows over years, rowids of every size (the deltas and varints of the format).
TEST(CareStateTest, ManyCheckRowsReadBackAsWritten) {
  CareState s;
  s.judged_through = D("2030-01-01");
  uint64_t x = 20260901;  // a fixed sequence: the same rows on every platform
  auto next = [&x](uint64_t n) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return (x >> 33) % n;
  };
  const Service kinds[] = {Service::kPhysicalExam, Service::kPsychosocialAssessment, Service::kCarePlan,
                           Service::kToxicologyTest};
  for (int i = 0; i < 5000; ++i)
    s.facts.Add(D("2020-01-01") + static_cast<int>(next(3650)), kinds[next(4)],
                static_cast<int64_t>(next(1ull << (1 + next(40)))));
  ASSERT_GT(s.facts.checks.size(), 4900u);
  EXPECT_EQ(RoundTrip(s), s);
}

// ---- what is refused

// Cut short at any length, the bytes of a full state never read back.
TEST(CareStateTest, RefusesTheBytesCutShortAtEveryLength) {
  const std::string bytes = EncodeCareState(Full());
  ASSERT_EQ(Decoded(bytes), "ok");
  for (size_t n = 0; n < bytes.size(); ++n) EXPECT_EQ(Decoded(bytes.substr(0, n)), "corrupt") << n << " bytes";
}

TEST(CareStateTest, RefusesAnotherMagicOrVersion) {
  const std::string bytes = EncodeCareState(Full());
  ASSERT_EQ(bytes.substr(0, 2), std::string("C\x01"));
  for (char magic : {'c', 'D', '\0'}) {
    std::string other = bytes;
    other[0] = magic;
    EXPECT_EQ(Decoded(other), "corrupt") << "magic " << int(magic);
  }
  for (char version : {'\0', '\x02', '1'}) {
    std::string other = bytes;
    other[1] = version;
    EXPECT_EQ(Decoded(other), "corrupt") << "version " << int(version);
  }
}

TEST(CareStateTest, RefusesTrailingBytes) {
  for (const CareState& s : {CareState{}, Full()}) {
    const std::string bytes = EncodeCareState(s);
    ASSERT_EQ(Decoded(bytes), "ok");
    EXPECT_EQ(Decoded(bytes + '\0'), "corrupt");
    EXPECT_EQ(Decoded(bytes + "t"), "corrupt");
  }
}

// Check rows are kept sorted and each once: rows out of order, or the same row twice, are not
// what Encode writes of facts built by Add.
TEST(CareStateTest, RefusesCheckRowsOutOfOrderOrTwice) {
  const CheckRow a{D("2026-09-03"), Service::kToxicologyTest, 1}, b{D("2026-09-05"), Service::kToxicologyTest, 2},
      b_lower_rowid{D("2026-09-05"), Service::kToxicologyTest, 1};
  for (const std::vector<CheckRow>& checks : std::vector<std::vector<CheckRow>>{{b, a}, {a, a}, {b, b_lower_rowid}}) {
    CareState s;
    s.facts.checks = checks;  // not through Add
    EXPECT_EQ(Decoded(EncodeCareState(s)), "corrupt") << checks.size();
  }
  CareState sorted;
  sorted.facts.checks = {a, b_lower_rowid, b};
  EXPECT_EQ(Decoded(EncodeCareState(sorted)), "ok");
}

// The check rows hold the services PA-1..PA-4 read, and the counseling slot a counseling
// service: any other service in either place is refused, as is a letter no service has.
TEST(CareStateTest, RefusesAServiceOutOfItsPlace) {
  CareState counseling_in_checks;
  counseling_in_checks.facts.checks = {{D("2026-09-03"), Service::kCounselingIndividual, 1}};
  EXPECT_EQ(Decoded(EncodeCareState(counseling_in_checks)), "corrupt");
  CareState check_as_counseling;
  check_as_counseling.facts.counseling_date = D("2026-09-03");
  check_as_counseling.facts.counseling_service = Service::kToxicologyTest;
  EXPECT_EQ(Decoded(EncodeCareState(check_as_counseling)), "corrupt");
  CareState dose_in_checks;  // a service with no letter
  dose_in_checks.facts.checks = {{D("2026-09-03"), Service::kMethadoneDose, 1}};
  EXPECT_EQ(Decoded(EncodeCareState(dose_in_checks)), "corrupt");
  // The letter of a check row replaced: 'z' is no service's. (Magic, version, empty basis,
  // judged_through, empty terms, flags, one row: its letter is the 8th byte.)
  CareState one;
  one.facts.Add(D("2026-09-03"), Service::kToxicologyTest, 1);
  std::string bytes = EncodeCareState(one);
  ASSERT_EQ(bytes.at(7), 't');
  bytes[7] = 'z';
  EXPECT_EQ(Decoded(bytes), "corrupt");
}

// The flags byte says which optional fields follow (1 first dose, 2 counseling): others refused.
TEST(CareStateTest, RefusesFlagsItDoesNotKnow) {
  // Magic, version, empty basis, judged_through 0, empty terms, flags, no check rows.
  const std::string none("C\x01\x00\x00\x00\x00\x00", 7);
  ASSERT_EQ(Decoded(none), "ok");
  std::string unknown = none;
  unknown[5] = '\x04';
  EXPECT_EQ(Decoded(unknown), "corrupt");
}

// ---- CareFacts::Add

// PA-1..PA-4's rows: sorted by (date, service, rowid), each once, whatever the order they come
// in; rows of other services are not kept there.
TEST(CareFactsTest, AddKeepsTheChecksSortedAndUnique) {
  std::vector<CheckRow> rows;
  for (int d = 0; d < 6; ++d)
    for (Service s : {Service::kToxicologyTest, Service::kCarePlan, Service::kPhysicalExam,
                      Service::kPsychosocialAssessment})
      rows.push_back({D("2026-09-01") + d % 3, s, 10 - d});
  std::set<CheckRow> expected(rows.begin(), rows.end());
  for (int order = 0; order < 3; ++order) {
    std::vector<CheckRow> in = rows;
    if (order == 1) std::reverse(in.begin(), in.end());
    if (order == 2) std::rotate(in.begin(), in.begin() + 7, in.end());
    CareFacts f;
    for (const auto& r : in) f.Add(r.date, r.service, r.rowid);
    for (const auto& r : in) f.Add(r.date, r.service, r.rowid);  // every row twice
    f.Add(D("2026-09-02"), Service::kMethadoneDose, 1);
    f.Add(D("2026-09-02"), Service::kPeerSupport, 2);
    f.Add(D("2026-09-02"), Service::kCounselingGroup, 3);
    EXPECT_EQ(f.checks, std::vector<CheckRow>(expected.begin(), expected.end())) << "order " << order;
  }
}

// PA-6's first methadone day: the earliest methadone_dose row's date; no other service's.
TEST(CareFactsTest, PA6_AddKeepsTheEarliestFirstMethadoneDose) {
  CareFacts f;
  f.Add(D("2026-09-01"), Service::kBuprenorphineOralDose, 1);
  f.Add(D("2026-09-01"), Service::kMethadoneTakehome, 2);
  EXPECT_FALSE(f.first_dose.has_value());
  f.Add(D("2026-09-05"), Service::kMethadoneDose, 3);
  f.Add(D("2026-09-02"), Service::kMethadoneDose, 4);
  f.Add(D("2026-09-09"), Service::kMethadoneDose, 5);
  ASSERT_TRUE(f.first_dose.has_value());
  EXPECT_EQ(f.first_dose->Iso(), "2026-09-02");
}

// PA-8's last counseling row: the greatest by (date, the service's name, rowid), so that the
// same rows in any order keep the same one: on one day counseling_individual is after
// counseling_group, and of two rows of one service the greater rowid.
TEST(CareFactsTest, PA8_AddKeepsTheLastCounselingByDateServiceNameAndRowid) {
  struct R {
    const char* date;
    Service service;
    int64_t rowid;
  };
  const std::vector<R> rows = {{"2026-09-12", Service::kCounselingGroup, 30},
                               {"2026-09-12", Service::kCounselingIndividual, 4},
                               {"2026-09-12", Service::kCounselingIndividual, 2},
                               {"2026-09-03", Service::kCounselingIndividual, 99},
                               {"2026-09-13", Service::kToxicologyTest, 100}};  // not counseling
  std::vector<size_t> order = {0, 1, 2, 3, 4};
  do {
    CareFacts f;
    for (size_t i : order) f.Add(D(rows[i].date), rows[i].service, rows[i].rowid);
    ASSERT_TRUE(f.counseling_date.has_value());
    EXPECT_EQ(f.counseling_date->Iso() + " " + std::string(ServiceName(f.counseling_service)) + " #" +
                  std::to_string(f.counseling_rowid),
              "2026-09-12 counseling_individual #4");
  } while (std::next_permutation(order.begin(), order.end()));
  CareFacts later = CareFacts{};
  later.Add(D("2026-09-12"), Service::kCounselingIndividual, 4);
  later.Add(D("2026-09-13"), Service::kCounselingGroup, 1);  // a later day wins whatever its service
  EXPECT_EQ(later.counseling_service, Service::kCounselingGroup);
  EXPECT_EQ(later.counseling_rowid, 1);
}

}  // namespace
}  // namespace otp
