// IngestFiles; see ingest.h.
#include "remit/ingest.h"

#include <filesystem>

#include "platform/fs.h"

namespace otp {
int64_t IngestSummary::ItemsOpened() const {
  int64_t n = 0;
  for (const FileOutcome& f : files) n += f.items_opened;
  return n;
}

int IngestSummary::Refused() const {
  int n = 0;
  for (const FileOutcome& f : files) n += f.refused.ok() ? 0 : 1;
  return n;
}

Result<IngestSummary> IngestFiles(Ledger& ledger, FileSystem& fs, const std::vector<std::string>& paths,
                                  const RuleBook& rules, const CodeWords& words, std::time_t now) {
  std::vector<std::string> bytes;
  std::string names;
  for (const std::string& path : paths) {
    Result<std::string> read = fs.ReadAll(path);
    if (!read.ok()) return Status::InvalidArgument(path + ": " + read.status().message());
    bytes.push_back(std::move(read).value());
    names += (names.empty() ? "ingest " : " ") + std::filesystem::path(path).filename().string();
  }
  IngestSummary summary;
  const Date today = UtcDate(now);
  OTP_TRY(ledger.InTransaction([&]() -> Status {
    OTP_TRY(ledger.KeepResponses());
    OTP_ASSIGN_OR_RETURN(summary.run_id, ledger.RecordIngest(today, now, names));
    return Status::Ok();
  }));
  const PostingContext ctx{rules, words, summary.run_id, today};
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string name = std::filesystem::path(paths[i]).filename().string();
    OTP_TRY(ledger.InTransaction([&]() -> Status {
      OTP_ASSIGN_OR_RETURN(FileOutcome out, PostFile(ledger, name, bytes[i], ctx));
      summary.files.push_back(std::move(out));
      return Status::Ok();
    }));
  }
  return summary;
}

}  // namespace otp
