// Memory in 2 MiB pages for a night: glibc's malloc asks the kernel for transparent huge pages
// when its tunable glibc.malloc.hugetlb is 1 (glibc 2.35 and later). A night touches much
// memory it did not hold before (the open rows, the care bases, SQLite's page cache), and on a
// VM each 4 KiB page of it costs a page fault; in 2 MiB pages there are far fewer. The
// tunable is read only when a process starts, so main() starts otpbatch again in its place with
// it set.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace otp {

// The value `name` has in a GLIBC_TUNABLES text ("a.b=1:c.d=2"), nullopt where it is not named.
std::optional<std::string> TunableValue(std::string_view tunables, std::string_view name);

// The GLIBC_TUNABLES value to start again with (`tunables`, null when unset, with
// glibc.malloc.hugetlb=1 added), or nullopt to go on as started: the tunable is named there
// already (whatever its value: a user's choice), the kernel does not take malloc's advice
// (`thp_enabled`, the text of /sys/kernel/mm/transparent_hugepage/enabled, empty when missing:
// only "[madvise]" does; under "[always]" every mapping gets huge pages without it, and the
// tunable does nothing), or the process runs under valgrind (`preload`, LD_PRELOAD: valgrind's
// tools would not follow the restart).
std::optional<std::string> TunablesWithHugePages(const char* tunables, std::string_view thp_enabled,
                                                 const char* preload);

// Starts this program again in its place when TunablesWithHugePages says so: the same pid,
// arguments, working directory, open files and name (the file /proc/self/exe names, executed
// by its path), the environment with GLIBC_TUNABLES changed. Once only: never in a restarted
// process (a marker in the environment, removed at once), nor in a set-user-ID or
// capability-raising one (AT_SECURE: glibc would drop the tunable), nor with glibc before
// 2.35. Returns when it does not restart, or when the restart fails: the program then goes on
// in 4 KiB pages, slower, the same otherwise.
void RestartWithHugePages(char** argv);

// glibc.malloc.hugetlb's value in this process's GLIBC_TUNABLES, as it started (OTPBATCH_PROFILE).
std::optional<std::string> HugePagesTunable();

}  // namespace otp
