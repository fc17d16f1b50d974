// When otpbatch starts again with glibc's malloc in huge pages, and with what GLIBC_TUNABLES.
#include "platform/huge_pages.h"

#include <gtest/gtest.h>

namespace otp {
namespace {

constexpr const char* kMadvise = "always [madvise] never\n";

TEST(HugePagesTest, ReadsATunableByItsWholeName) {
  EXPECT_EQ(TunableValue("glibc.malloc.hugetlb=1", "glibc.malloc.hugetlb"), "1");
  EXPECT_EQ(TunableValue("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0", "glibc.malloc.hugetlb"), "0");
  EXPECT_EQ(TunableValue("glibc.malloc.hugetlb=10:", "glibc.malloc.hugetlb"), "10");
  EXPECT_EQ(TunableValue("xglibc.malloc.hugetlb=1", "glibc.malloc.hugetlb"), std::nullopt);
  EXPECT_EQ(TunableValue("glibc.malloc.hugetlbx=1", "glibc.malloc.hugetlb"), std::nullopt);
  EXPECT_EQ(TunableValue("glibc.malloc.hugetlb", "glibc.malloc.hugetlb"), std::nullopt);  // no value
  EXPECT_EQ(TunableValue("", "glibc.malloc.hugetlb"), std::nullopt);
}

TEST(HugePagesTest, AddsTheTunableToWhatTheEnvironmentHas) {
  EXPECT_EQ(TunablesWithHugePages(nullptr, kMadvise, nullptr), "glibc.malloc.hugetlb=1");
  EXPECT_EQ(TunablesWithHugePages("", kMadvise, nullptr), "glibc.malloc.hugetlb=1");
  EXPECT_EQ(TunablesWithHugePages("glibc.malloc.arena_max=2", kMadvise, "/usr/lib/libfoo.so"),
            "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
  EXPECT_EQ(TunablesWithHugePages("glibc.malloc.arena_max=2::", kMadvise, nullptr),
            "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
  // A tunable whose name only contains it is another one.
  EXPECT_EQ(TunablesWithHugePages("x.glibc.malloc.hugetlb=0", kMadvise, nullptr),
            "x.glibc.malloc.hugetlb=0:glibc.malloc.hugetlb=1");
}

TEST(HugePagesTest, GoesOnAsStartedWhereItShouldNotRestart) {
  // Named already: the user's choice, whatever it is.
  EXPECT_EQ(TunablesWithHugePages("glibc.malloc.hugetlb=0", kMadvise, nullptr), std::nullopt);
  EXPECT_EQ(TunablesWithHugePages("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1", kMadvise, nullptr),
            std::nullopt);
  // The kernel has them off or has none; or gives every mapping huge pages anyway ([always]),
  // where glibc's advice changes nothing.
  EXPECT_EQ(TunablesWithHugePages(nullptr, "always madvise [never]\n", nullptr), std::nullopt);
  EXPECT_EQ(TunablesWithHugePages(nullptr, "", nullptr), std::nullopt);
  EXPECT_EQ(TunablesWithHugePages(nullptr, "[always] madvise never\n", nullptr), std::nullopt);
  // Under valgrind, whose tools would not follow the restart.
  EXPECT_EQ(TunablesWithHugePages(nullptr, kMadvise, "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so"),
            std::nullopt);
}

}  // namespace
}  // namespace otp
