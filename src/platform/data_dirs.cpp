// Resolution of the data folders (codes/, templates/).
#include "platform/data_dirs.h"

#include <cstdlib>
#include <filesystem>

namespace otp {
namespace {
std::string Base(const std::string& override_dir) {
  if (!override_dir.empty()) return override_dir;
  if (const char* env = std::getenv("OTPBATCH_DATA"); env && *env) return env;
#ifdef OTP_DATA_DIR
  if (std::filesystem::exists(std::string(OTP_DATA_DIR) + "/codes")) return OTP_DATA_DIR;
#endif
  // Installed: <prefix>/bin/otpbatch with <prefix>/share/otpbatch/{codes,templates}.
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto share = exe.parent_path().parent_path() / "share" / "otpbatch";
    if (std::filesystem::exists(share / "codes", ec)) return share.string();
  }
  return ".";
}
}  // namespace

std::string CodesDir(const std::string& o) { return Base(o) + "/codes"; }
std::string TemplatesDir(const std::string& o) { return Base(o) + "/templates"; }
}  // namespace otp
