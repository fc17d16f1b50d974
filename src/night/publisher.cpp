// Publisher: the journal of a run's files.
#include "night/publisher.h"

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "platform/fs.h"

namespace otp {
void Publisher::SetRun(int64_t run_id, std::time_t started) {
  header_ = "run " + std::to_string(run_id) + " " + std::to_string(static_cast<long long>(started)) + "\n";
}

Status Publisher::Announce(const std::string& path) {
  pending_.push_back(path);
  std::error_code ec;
  const std::string absolute = std::filesystem::absolute(path, ec).string();
  announced_ += (ec ? path : absolute) + "\n";
  return fs_.WriteAtomic(journal_, header_ + announced_);
}

Status Publisher::Write(const std::string& path, std::string_view content) {
  OTP_TRY(Announce(path));
  return fs_.WriteAtomic(path, content);
}

Status Publisher::Mark(const std::string& path, std::string_view content) {
  const Status announced = Announce(path);
  // Announce listed it with the night's files; it is kept apart.
  pending_.pop_back();
  marks_.push_back(path);
  OTP_TRY(announced);
  return fs_.WriteAtomic(path, content);
}

void Publisher::TakeBack() {
  for (const auto& p : pending_) (void)fs_.Remove(p);
  for (const auto& p : marks_) (void)fs_.Remove(p);
  pending_.clear();
  marks_.clear();
  (void)fs_.Remove(journal_);
}

void Publisher::Committed() {
  pending_.clear();
  marks_.clear();
  (void)fs_.Remove(journal_);
}

Status Publisher::CheckJournal(const std::string& journal) {
  std::error_code ec;
  const auto type = std::filesystem::symlink_status(journal, ec).type();
  if (type == std::filesystem::file_type::not_found || type == std::filesystem::file_type::regular)
    return Status::Ok();
  return Status::InvalidArgument("the publishing journal " + journal +
                                 " is not a plain file (a link?); otpbatch never made it: remove it when no run is active");
}

Result<int> Publisher::Recover(FileSystem& fs, const std::string& journal, const CommittedFn& committed) {
  OTP_TRY(CheckJournal(journal));
  // Only a killed run leaves them, and the caller holds the ledger's lock: none is a live run's.
  RemoveStaleTemps(fs, journal);  // a journal being rewritten when the run was killed
  if (!fs.Exists(journal)) return 0;
  auto text = fs.ReadAll(journal);
  int n = 0;
  if (text.ok()) {
    std::istringstream in(text.value());
    std::string line;
    bool keep = false;
    while (std::getline(in, line)) {
      if (line.rfind("run ", 0) == 0) {
        long long run_id = 0, started = 0;
        keep = false;
        if (std::sscanf(line.c_str(), "run %lld %lld", &run_id, &started) == 2) {
          OTP_ASSIGN_OR_RETURN(keep, committed(run_id, started));
        }
        continue;
      }
      if (line.empty()) continue;
      RemoveStaleTemps(fs, line);
      if (!keep && fs.Exists(line)) {
        (void)fs.Remove(line);
        ++n;
      }
    }
  }
  (void)fs.Remove(journal);
  return n;
}

}  // namespace otp
