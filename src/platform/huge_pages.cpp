// glibc.malloc.hugetlb for otpbatch's own process: see huge_pages.h.
#include "platform/huge_pages.h"

#include <gnu/libc-version.h>
#include <sys/auxv.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

#include "platform/fs.h"

namespace otp {
namespace {
constexpr std::string_view kTunable = "glibc.malloc.hugetlb";
// Set for the restarted process only, which removes it: a second restart can never follow.
constexpr const char* kRestarted = "OTPBATCH_RESTARTED_FOR_HUGE_PAGES";
}  // namespace

std::optional<std::string> TunableValue(std::string_view tunables, std::string_view name) {
  while (!tunables.empty()) {
    const size_t end = tunables.find(':');
    const std::string_view item = tunables.substr(0, end);
    const size_t eq = item.find('=');
    if (eq != std::string_view::npos && item.substr(0, eq) == name) return std::string(item.substr(eq + 1));
    if (end == std::string_view::npos) break;
    tunables.remove_prefix(end + 1);
  }
  return std::nullopt;
}

std::optional<std::string> TunablesWithHugePages(const char* tunables, std::string_view thp_enabled,
                                                 const char* preload) {
  std::string now = tunables ? tunables : "";
  if (TunableValue(now, kTunable)) return std::nullopt;
  if (thp_enabled.find("[madvise]") == std::string_view::npos) return std::nullopt;
  if (preload && std::string_view(preload).find("vgpreload") != std::string_view::npos) return std::nullopt;
  while (!now.empty() && now.back() == ':') now.pop_back();
  if (!now.empty()) now += ':';
  now += kTunable;
  now += "=1";
  return now;
}

void RestartWithHugePages(char** argv) {
  if (std::getenv(kRestarted)) {
    ::unsetenv(kRestarted);
    return;
  }
  if (argv == nullptr || argv[0] == nullptr || ::getauxval(AT_SECURE) != 0) return;
  int major = 0, minor = 0;
  if (std::sscanf(::gnu_get_libc_version(), "%d.%d", &major, &minor) != 2 || major < 2 || (major == 2 && minor < 35))
    return;
  // Missing (no transparent huge pages in this kernel): read as empty.
  const Result<std::string> thp = PosixFileSystem().ReadAll("/sys/kernel/mm/transparent_hugepage/enabled");
  const char* before = std::getenv("GLIBC_TUNABLES");
  const auto tunables = TunablesWithHugePages(before, thp.ok() ? thp.value() : "", std::getenv("LD_PRELOAD"));
  if (!tunables) return;
  // The file's own path, not /proc/self/exe: the process keeps its name ("otpbatch", not "exe")
  // for ps, pgrep and the lock's "locked by pid N". A file replaced since reads "… (deleted)",
  // which does not execute: no restart.
  char self[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return;
  self[n] = '\0';
  const std::optional<std::string> kept = before ? std::optional<std::string>(before) : std::nullopt;
  if (::setenv("GLIBC_TUNABLES", tunables->c_str(), 1) == 0 && ::setenv(kRestarted, "1", 1) == 0)
    ::execv(self, argv);
  // Not restarted: the environment as it was.
  ::unsetenv(kRestarted);
  if (kept)
    ::setenv("GLIBC_TUNABLES", kept->c_str(), 1);
  else
    ::unsetenv("GLIBC_TUNABLES");
}

std::optional<std::string> HugePagesTunable() {
  const char* t = std::getenv("GLIBC_TUNABLES");
  return t ? TunableValue(t, kTunable) : std::nullopt;
}

}  // namespace otp
