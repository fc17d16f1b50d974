// Status and Result<T>: the one way otpbatch reports an expected failure — a bad row, a bad
// file, a bad configuration, a failed write, a damaged ledger — as a code plus a message a
// billing clerk or an operator can act on. The codes map to exit statuses in one place
// (cli/exit_codes.h). Exceptions are kept for bugs.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace otp {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad input value (a field, a row, an argument)
  kConfig,           // bad facility file or codes/ data: the run must stop before writing
  kNotFound,         // a file, ledger, claim or item that is not there
  kIo,               // a file or the ledger could not be written (disk full, permissions)
  kBusy,             // another run holds the ledger
  kCorrupt,          // the ledger holds something this otpbatch cannot read back
  kStopped,          // a signal (SIGTERM, SIGINT) asked the run to stop
  kInternal,         // a broken promise inside otpbatch (a bug)
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return Status(StatusCode::kInvalidArgument, std::move(m)); }
  static Status Config(std::string m) { return Status(StatusCode::kConfig, std::move(m)); }
  static Status NotFound(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
  static Status Io(std::string m) { return Status(StatusCode::kIo, std::move(m)); }
  static Status Busy(std::string m) { return Status(StatusCode::kBusy, std::move(m)); }
  static Status Corrupt(std::string m) { return Status(StatusCode::kCorrupt, std::move(m)); }
  static Status Stopped(std::string m) { return Status(StatusCode::kStopped, std::move(m)); }
  static Status Internal(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The same failure with `context` in front of its message ("reading the ledger: …").
  Status Prefixed(const std::string& context) const {
    return ok() ? *this : Status(code_, context + ": " + message_);
  }

 private:
  Status(StatusCode c, std::string m) : code_(c), message_(std::move(m)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}             // NOLINT(implicit)
  Result(Status status) : v_(std::move(status)) {}      // NOLINT(implicit)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const { return value(); }
  const T* operator->() const { return &value(); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

namespace status_internal {
inline Status ToStatus(Status s) { return s; }
template <typename T>
Status ToStatus(const Result<T>& r) { return r.status(); }
}  // namespace status_internal

}  // namespace otp

// Returns the failure of `expr` (a Status or a Result) from the calling function.
#define OTP_TRY(expr)                                                                   \
  do {                                                                                  \
    if (::otp::Status otp_try_status_ = ::otp::status_internal::ToStatus(expr);         \
        !otp_try_status_.ok())                                                          \
      return otp_try_status_;                                                           \
  } while (0)

#define OTP_CONCAT_INNER(a, b) a##b
#define OTP_CONCAT(a, b) OTP_CONCAT_INNER(a, b)
// `lhs = value of expr`, or returns expr's failure from the calling function.
#define OTP_ASSIGN_OR_RETURN(lhs, expr)                        \
  auto OTP_CONCAT(otp_result_, __LINE__) = (expr);             \
  if (!OTP_CONCAT(otp_result_, __LINE__).ok())                 \
    return OTP_CONCAT(otp_result_, __LINE__).status();         \
  lhs = std::move(OTP_CONCAT(otp_result_, __LINE__)).value()
