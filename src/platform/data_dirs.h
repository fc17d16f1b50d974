// Where codes/ and templates/ are found: --data DIR, else $OTPBATCH_DATA, else the folder the
// build was configured from (OTP_DATA_DIR), else <prefix>/share/otpbatch beside an installed
// <prefix>/bin/otpbatch, else the current folder.
#pragma once

#include <string>

namespace otp {
std::string CodesDir(const std::string& override_dir);
std::string TemplatesDir(const std::string& override_dir);
}  // namespace otp
