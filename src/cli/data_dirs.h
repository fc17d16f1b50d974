// Where codes/ and templates/ are found: --codes DIR, else $OTPBATCH_DATA, else the folder the
// build was configured from (OTP_DATA_DIR), else next to the executable's parent.
#pragma once

#include <string>

namespace otp {
std::string CodesDir(const std::string& override_dir);
std::string TemplatesDir(const std::string& override_dir);
}  // namespace otp
