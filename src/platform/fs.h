// FileSystem: the writes otpbatch makes, behind an interface so tests can inject faults
// (disk full, failed sync, failed rename). WriteAtomic puts the whole content in a temporary
// file beside the target, fsyncs it, sets mode 0600 and renames it into place; on any failure
// it removes the temporary file and the target is untouched.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"

namespace otp {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual Status MakeDirs(const std::string& dir) = 0;  // mode 0700 for new directories
  virtual Status WriteAtomic(const std::string& path, std::string_view content) = 0;
  // For writers that must write a file themselves (libxlsxwriter): they write to
  // TempPathFor(path), then Publish fsyncs it, sets 0600 and renames it onto path; on failure
  // the temporary file is removed.
  static std::string TempPathFor(const std::string& path);
  virtual Status Publish(const std::string& temp_path, const std::string& path) = 0;
  virtual Result<std::string> ReadAll(const std::string& path) = 0;
  virtual bool Exists(const std::string& path) = 0;
  virtual Status Remove(const std::string& path) = 0;
};

// The real POSIX file system.
class PosixFileSystem : public FileSystem {
 public:
  Status MakeDirs(const std::string& dir) override;
  Status WriteAtomic(const std::string& path, std::string_view content) override;
  Status Publish(const std::string& temp_path, const std::string& path) override;
  Result<std::string> ReadAll(const std::string& path) override;
  bool Exists(const std::string& path) override;
  Status Remove(const std::string& path) override;
};

// Places that an injected fault can hit (tests).
enum class FaultPoint { kNone, kWrite, kSync, kRename };

// Wraps a FileSystem and fails the Nth WriteAtomic or Publish (counted together) at a chosen
// point (tests): kWrite before anything is written, kSync and kRename after the temporary file
// exists (it is removed, the target is untouched).
class FaultyFileSystem : public FileSystem {
 public:
  FaultyFileSystem(FileSystem& base, FaultPoint point, int fail_on_call)
      : base_(base), point_(point), fail_on_(fail_on_call) {}
  Status MakeDirs(const std::string& dir) override { return base_.MakeDirs(dir); }
  Status WriteAtomic(const std::string& path, std::string_view content) override;
  Status Publish(const std::string& temp_path, const std::string& path) override;
  Result<std::string> ReadAll(const std::string& path) override { return base_.ReadAll(path); }
  bool Exists(const std::string& path) override { return base_.Exists(path); }
  Status Remove(const std::string& path) override { return base_.Remove(path); }
  int calls() const { return calls_; }

 private:
  FileSystem& base_;
  FaultPoint point_;
  int fail_on_;
  int calls_ = 0;
};

}  // namespace otp
