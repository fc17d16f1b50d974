// Tying an 835 claim's SVCs to the claim's lines (remit/line_match.h).
#include <gtest/gtest.h>

#include "remit/line_match.h"
#include "status_helpers.h"

namespace otp {
namespace {

ClaimLine Line(const char* code, std::vector<std::string> mods, const char* dos, int64_t cents) {
  ClaimLine l;
  l.code = code;
  l.modifiers = std::move(mods);
  l.dos = D(dos);
  l.charge = Money::Cents(cents);
  return l;
}

RemitServiceLine Svc(const char* code, std::vector<std::string> mods, std::optional<Date> dos, int64_t cents) {
  RemitServiceLine s;
  s.procedure = {"HC", code, std::move(mods)};
  s.service_from = dos;
  s.charge = Money::Cents(cents);
  return s;
}

const Claim kClaim{"C1", "F", "P", "F1120",
                   {Line("G2067", {}, "2026-01-05", 30000), Line("G2080", {"95"}, "2026-01-06", 3000),
                    Line("G2080", {"95"}, "2026-01-07", 3000)}};

TEST(LineMatch, ExactCodeModifiersAndDateFirst) {
  RemitClaim paid;
  paid.lines = {Svc("G2080", {"95"}, D("2026-01-07"), 3000), Svc("G2067", {}, D("2026-01-05"), 30000)};
  const auto m = MatchLines(kClaim, paid);
  EXPECT_EQ(m[0].line_no, 3);
  EXPECT_EQ(m[0].by, "code, modifiers and date");
  EXPECT_EQ(m[1].line_no, 1);
}

TEST(LineMatch, AModifierThePayerDroppedStillMatchesByCodeAndDate) {
  RemitClaim paid;
  paid.lines = {Svc("G2080", {}, D("2026-01-06"), 3000)};
  const auto m = MatchLines(kClaim, paid);
  EXPECT_EQ(m[0].line_no, 2);
  EXPECT_EQ(m[0].by, "code and date");
}

TEST(LineMatch, TheSubmittedProcedureOfSVC06IsWhatIsMatched) {
  RemitClaim paid;
  RemitServiceLine s = Svc("G2078", {}, D("2026-01-05"), 30000);
  s.submitted_procedure = X12Procedure{"HC", "G2067", {}};
  paid.lines = {s};
  EXPECT_EQ(MatchLines(kClaim, paid)[0].line_no, 1);
}

TEST(LineMatch, WithoutDatesByChargeThenTheOnlyLineOfTheCode) {
  RemitClaim paid;
  paid.lines = {Svc("G2067", {}, std::nullopt, 30000)};
  EXPECT_EQ(MatchLines(kClaim, paid)[0].by, "code and charge");
  paid.lines = {Svc("G2067", {}, std::nullopt, 100)};
  EXPECT_EQ(MatchLines(kClaim, paid)[0].by, "code");
}

TEST(LineMatch, EachLineIsTakenOnceAndWhatNothingMatchesIsLeftUnmatched) {
  RemitClaim paid;
  paid.lines = {Svc("G2080", {}, std::nullopt, 999), Svc("G2080", {}, std::nullopt, 999), Svc("G2080", {}, std::nullopt, 999),
                Svc("G9999", {}, D("2026-01-05"), 30000)};
  const auto m = MatchLines(kClaim, paid);
  EXPECT_EQ(m[0].line_no, -1);  // two G2080 lines: which one is not guessed
  EXPECT_EQ(m[3].line_no, -1);
}

TEST(LineMatch, AReversalsNegatedChargeMatchesByCharge) {
  RemitClaim paid;
  paid.lines = {Svc("G2067", {}, std::nullopt, -30000)};
  EXPECT_EQ(MatchLines(kClaim, paid)[0].line_no, 1);
}

}  // namespace
}  // namespace otp
