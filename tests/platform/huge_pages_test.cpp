// When otpbatch starts again with glibc's malloc in huge pages, and with what GLIBC_TUNABLES.
#include "platform/huge_pages.h"

#include <gtest/gtest.h>

namespace otp {
namespace {

constexpr const char* kMadvise = "always [madvise] never\n";

TEST(HugePagesTest, AddsTheTunableToWhatTheEnvironmentHas) {
  EXPECT_EQ(TunablesWithHugePages(nullptr, kMadvise, nullptr), "glibc.malloc.hugetlb=1");
  EXPECT_EQ(TunablesWithHugePages("", kMadvise, nullptr), "glibc.malloc.hugetlb=1");
  EXPECT_EQ(TunablesWithHugePages("glibc.malloc.arena_max=2", "[always] madvise never\n", "/usr/lib/libfoo.so"),
            "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
}

TEST(HugePagesTest, GoesOnAsStartedWhereItShouldNotRestart) {
  // Named already: the user's choice (0 too), or the restart's own (no second restart).
  EXPECT_EQ(TunablesWithHugePages("glibc.malloc.hugetlb=0", kMadvise, nullptr), std::nullopt);
  EXPECT_EQ(TunablesWithHugePages("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1", kMadvise, nullptr),
            std::nullopt);
  // The kernel has them off, or has none.
  EXPECT_EQ(TunablesWithHugePages(nullptr, "always madvise [never]\n", nullptr), std::nullopt);
  EXPECT_EQ(TunablesWithHugePages(nullptr, "", nullptr), std::nullopt);
  // Under valgrind, whose tools would not follow the restart.
  EXPECT_EQ(TunablesWithHugePages(nullptr, kMadvise, "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so"),
            std::nullopt);
}

}  // namespace
}  // namespace otp
