// Status and Result<T>: the one way otpbatch reports an expected failure (a bad row, a bad
// file, a bad configuration) — a code plus a message a billing clerk can act on. Exceptions
// are kept for bugs and for the path from arguments to main().
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
  kNotFound,
  kIo,               // a file could not be read or written
  kBusy,             // another run holds the ledger
  kInternal,
};

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return Status(StatusCode::kInvalidArgument, std::move(m)); }
  static Status Config(std::string m) { return Status(StatusCode::kConfig, std::move(m)); }
  static Status NotFound(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
  static Status Io(std::string m) { return Status(StatusCode::kIo, std::move(m)); }
  static Status Busy(std::string m) { return Status(StatusCode::kBusy, std::move(m)); }
  static Status Internal(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(StatusCode c, std::string m) : code_(c), message_(std::move(m)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class Result {
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

}  // namespace otp
