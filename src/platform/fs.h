// FileSystem: the writes otpbatch makes, behind an interface so tests can inject faults
// (disk full, failed sync, failed rename). WriteAtomic puts the whole content in a temporary
// file beside the target, fsyncs it, sets mode 0600 and renames it into place; on any failure
// it removes the temporary file and the target is untouched. A temporary file is always a new
// one: made with O_EXCL under a name no one can guess, so a link planted beside the target
// never receives a byte.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"

namespace otp {

// A file's whole text, read front to back once: mapped where it can be (a chain's services file
// runs to hundreds of megabytes), so that the pages already read can be given back with ReleaseBefore
// and memory does not grow with the file; otherwise (a pipe, a test) held in a string.
class FileText {
 public:
  FileText() = default;
  explicit FileText(std::string text) : text_(std::move(text)) {}
  FileText(FileText&& o) noexcept { *this = std::move(o); }
  FileText& operator=(FileText&& o) noexcept;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  ~FileText();
  // Maps a regular file read-only; nullopt when it cannot be mapped (not a regular file, empty).
  static std::optional<FileText> Map(const std::string& path);

  std::string_view view() const { return map_ ? std::string_view(map_, size_) : std::string_view(text_); }
  // The text before `offset` will not be read again: a mapping gives those pages back (they
  // stay readable and are read from the file again if touched). A string keeps them.
  void ReleaseBefore(size_t offset);

 private:
  std::string text_;
  const char* map_ = nullptr;
  size_t size_ = 0, released_ = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual Status MakeDirs(const std::string& dir) = 0;  // mode 0700 for new directories
  virtual Status WriteAtomic(const std::string& path, std::string_view content) = 0;
  // For writers that must write a file themselves (libxlsxwriter): MakeTemp makes a new, empty
  // file "<path>.tmp-XXXXXX" (0600) and returns its name; they write it, then Publish fsyncs it
  // and renames it onto path; on failure the temporary file is removed.
  virtual Result<std::string> MakeTemp(const std::string& path) = 0;
  virtual Status Publish(const std::string& temp_path, const std::string& path) = 0;
  virtual Result<std::string> ReadAll(const std::string& path) = 0;
  // The text of a file to be read once, front to back (services.csv): by default ReadAll's.
  virtual Result<FileText> ReadText(const std::string& path) {
    auto text = ReadAll(path);
    if (!text.ok()) return text.status();
    return FileText(std::move(text).value());
  }
  virtual bool Exists(const std::string& path) = 0;
  virtual Status Remove(const std::string& path) = 0;
};

// Removes the temporary files "<path>.tmp-*" that an atomic write of `path` left when its
// process was killed. The caller must know no live writer of `path` is at work (a lock held).
void RemoveStaleTemps(FileSystem& fs, const std::string& path);

// The real POSIX file system.
class PosixFileSystem : public FileSystem {
 public:
  Status MakeDirs(const std::string& dir) override;
  Status WriteAtomic(const std::string& path, std::string_view content) override;
  Result<std::string> MakeTemp(const std::string& path) override;
  Status Publish(const std::string& temp_path, const std::string& path) override;
  Result<std::string> ReadAll(const std::string& path) override;
  Result<FileText> ReadText(const std::string& path) override;  // mapped
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
  Result<std::string> MakeTemp(const std::string& path) override { return base_.MakeTemp(path); }
  Status Publish(const std::string& temp_path, const std::string& path) override;
  Result<std::string> ReadAll(const std::string& path) override { return base_.ReadAll(path); }
  Result<FileText> ReadText(const std::string& path) override { return base_.ReadText(path); }
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
