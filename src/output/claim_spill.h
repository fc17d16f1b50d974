// ClaimSpill: a night's claims, appended to a temporary file as they are billed and read back
// in order for the workbook's Claims and Audit sheets, so that a night of millions of claim
// lines does not hold them in memory. The file is created 0600 in a directory the caller names
// (the ledger's: it holds patient and record ids, never names, MBIs or birth dates) and is
// unlinked at once, so it vanishes with the process whatever happens to the run.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "model/claim.h"
#include "model/status.h"
#include "output/report_data.h"

namespace otp {

class ClaimSpill : public ClaimSource {
 public:
  static Result<std::shared_ptr<ClaimSpill>> Create(const std::string& dir);
  ~ClaimSpill() override;
  ClaimSpill(const ClaimSpill&) = delete;
  ClaimSpill& operator=(const ClaimSpill&) = delete;

  // Appends a claim (buffered; written when the buffer is full).
  Status Append(const Claim& c);
  // Writes what is buffered; after it, ForEach sees every claim appended.
  Status Flush();

  int64_t lines() const override { return lines_; }
  Status ForEach(const std::function<void(const ClaimRow&)>& fn) const override;

 private:
  Status ReadAt(int64_t at, void* to, size_t n) const;
  explicit ClaimSpill(int fd) : fd_(fd) {}
  int fd_;
  std::string buffer_;
  int64_t written_ = 0, lines_ = 0;
};

}  // namespace otp
