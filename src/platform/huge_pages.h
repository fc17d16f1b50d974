// Memory in 2 MiB pages for a night: glibc's malloc asks the kernel for transparent huge pages
// when its tunable glibc.malloc.hugetlb is 1. A night touches about 200 MiB that it did not
// hold before (the open rows, the care bases, SQLite's page cache), and on a VM each 4 KiB page
// of it costs a fault (54,000 on the chain's billing night, which spent a quarter to a third of
// its CPU time in the kernel); in 2 MiB pages the same memory is 5,000 faults. The tunable is read only when a
// process starts, so main() starts otpbatch again in its place with it set (docs/performance.md,
// Round 15).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace otp {

// The GLIBC_TUNABLES value to start again with (`tunables`, null when unset, with
// glibc.malloc.hugetlb=1 added), or nullopt to go on as started: the tunable is named there
// already (whatever its value: a user's or the restart's own), the kernel has no transparent
// huge pages or has them off (`thp_enabled`, the text of
// /sys/kernel/mm/transparent_hugepage/enabled; empty when it is missing), or the process runs
// under valgrind (`preload`, LD_PRELOAD: valgrind's tools would not follow the restart).
std::optional<std::string> TunablesWithHugePages(const char* tunables, std::string_view thp_enabled,
                                                 const char* preload);

// Starts this program again in its place (the same pid, arguments and environment but
// GLIBC_TUNABLES) when TunablesWithHugePages says so. Returns when it does not, or when the
// restart fails (no /proc): the program then goes on in 4 KiB pages, slower, the same otherwise.
void RestartWithHugePages(char** argv);

// Whether this process's malloc was started with huge pages asked for (OTPBATCH_PROFILE).
bool HugePagesAsked();

}  // namespace otp
