// Everything a run publishes, so that a failure before the commit can take it back. Each path
// is written to a journal ("<db>.publishing") before the file is published; the journal is
// removed after the commit. The journal's first line names the run ("run <id> <started>") and
// the paths follow, absolute, one a line. A run killed before its commit leaves the journal,
// and the next run removes the listed files (and any temporary files beside them) before it
// starts: they were never committed, and the retry writes them again with the same control
// numbers, which the rollback gave back. A run killed after its commit but before removing the
// journal is recognised by its finished row in the ledger: its files are kept. A journal that
// is a link or not a plain file is refused: otpbatch never made it, and it could name any file.
#pragma once

#include <cstdint>
#include <ctime>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"

namespace otp {

class FileSystem;

class Publisher {
 public:
  Publisher(FileSystem& fs, std::string journal) : fs_(fs), journal_(std::move(journal)) {}
  void SetRun(int64_t run_id, std::time_t started);
  // Records `path` in the journal before anything is written to it.
  Status Announce(const std::string& path);
  // Announces and writes a file atomically.
  Status Write(const std::string& path, std::string_view content);
  // The same for a file that is no output of the night (an output folder's mark): taken back
  // with the rest, not listed in files().
  Status Mark(const std::string& path, std::string_view content);
  // Removes every file announced, and the journal.
  void TakeBack();
  // The run committed: its files stay; the journal goes.
  void Committed();
  const std::vector<std::string>& files() const { return pending_; }

  // Removes what an interrupted run published but never committed; returns how many files.
  // `committed(run_id, started)` says whether the ledger holds that run as finished.
  using CommittedFn = std::function<Result<bool>(int64_t run_id, int64_t started)>;
  static Result<int> Recover(FileSystem& fs, const std::string& journal, const CommittedFn& committed);
  // Ok when there is no journal or it is a plain file; a link or anything else is refused
  // (kInvalidArgument). Reads only.
  static Status CheckJournal(const std::string& journal);

 private:
  FileSystem& fs_;
  std::string journal_;
  std::string header_ = "run 0 0\n";
  std::string announced_;
  std::vector<std::string> pending_;
  std::vector<std::string> marks_;
};

}  // namespace otp
