// glibc.malloc.hugetlb for otpbatch's own process: see huge_pages.h.
#include "platform/huge_pages.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace otp {
namespace {
constexpr std::string_view kTunable = "glibc.malloc.hugetlb";
}  // namespace

std::optional<std::string> TunablesWithHugePages(const char* tunables, std::string_view thp_enabled,
                                                 const char* preload) {
  const std::string_view now = tunables ? tunables : "";
  if (now.find(kTunable) != std::string_view::npos) return std::nullopt;
  // "always [madvise] never": malloc's madvise is heard unless the choice is [never].
  if (thp_enabled.find('[') == std::string_view::npos || thp_enabled.find("[never]") != std::string_view::npos)
    return std::nullopt;
  if (preload && std::string_view(preload).find("vgpreload") != std::string_view::npos) return std::nullopt;
  std::string out(now);
  if (!out.empty()) out += ':';
  out += kTunable;
  out += "=1";
  return out;
}

void RestartWithHugePages(char** argv) {
  std::string thp;
  {
    std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
    std::ostringstream text;
    text << f.rdbuf();
    thp = text.str();
  }
  const char* before = std::getenv("GLIBC_TUNABLES");
  const std::optional<std::string> kept = before ? std::optional<std::string>(before) : std::nullopt;
  const auto tunables = TunablesWithHugePages(before, thp, std::getenv("LD_PRELOAD"));
  if (!tunables || ::setenv("GLIBC_TUNABLES", tunables->c_str(), 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  // Not restarted: the environment as it was, so that HugePagesAsked tells the truth.
  if (kept)
    ::setenv("GLIBC_TUNABLES", kept->c_str(), 1);
  else
    ::unsetenv("GLIBC_TUNABLES");
}

bool HugePagesAsked() {
  const char* t = std::getenv("GLIBC_TUNABLES");
  return t && std::string_view(t).find("glibc.malloc.hugetlb=1") != std::string_view::npos;
}

}  // namespace otp
