// BU-4 window bookkeeping: overlapping windows merge, lookups at the edges are inclusive.
#include "billing_fixture.h"
#include "billing/coverage.h"

namespace otp::testing {
namespace {

TEST(CoverageWindows, BU4_EdgesAreInclusive) {
  billing::WindowSet w;
  w.Add(D("2026-01-07"), D("2026-02-03"), "G2069");
  EXPECT_EQ(w.Covering(D("2026-01-06")), nullptr);
  ASSERT_NE(w.Covering(D("2026-01-07")), nullptr);
  EXPECT_EQ(*w.Covering(D("2026-02-03")), "G2069");
  EXPECT_EQ(w.Covering(D("2026-02-04")), nullptr);
}

TEST(CoverageWindows, BU4_OverlappingWindowsMerge) {
  billing::WindowSet w;
  w.Add(D("2026-01-10"), D("2026-01-16"), "G0533");
  w.Add(D("2026-01-01"), D("2026-01-12"), "G2078");
  w.Add(D("2026-01-15"), D("2026-01-30"), "G2079");
  for (const char* d : {"2026-01-01", "2026-01-13", "2026-01-16", "2026-01-30"})
    EXPECT_NE(w.Covering(D(d)), nullptr) << d;
  EXPECT_EQ(w.Covering(D("2026-01-31")), nullptr);
  EXPECT_EQ(*w.Covering(D("2026-01-20")), "G2078");  // the earliest window names the merge
}

TEST(CoverageWindows, BU4_DisjointWindowsStayApart) {
  billing::WindowSet w;
  w.Add(D("2026-03-01"), D("2026-03-07"), "G0533");
  w.Add(D("2026-01-01"), D("2026-01-07"), "G0533");
  EXPECT_EQ(w.Covering(D("2026-02-01")), nullptr);
  EXPECT_NE(w.Covering(D("2026-03-07")), nullptr);
  EXPECT_NE(w.Covering(D("2026-01-01")), nullptr);
  EXPECT_TRUE(billing::WindowSet().empty());
}

}  // namespace
}  // namespace otp::testing
