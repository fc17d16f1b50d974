// Reporter: how the readers hand over what they could not accept (leveldb's Reporter).
// Readers report, policy decides: a reader never drops a row silently and never decides the
// exit status; it calls OnReject for a row it refuses and OnWarning for something it tolerated
// (an unknown column, an identical duplicate). Messages never hold names, MBIs or birth dates.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/types.h"

namespace otp {

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void OnReject(const Reject& r) = 0;
  virtual void OnWarning(const std::string& file, int64_t line, const std::string& message) = 0;
};

// Keeps everything it is told, in order (tests, and the run that writes them to the ledger).
// Warnings are stored as "file:line: message" (line 0: "file: message").
class CollectingReporter : public Reporter {
 public:
  std::vector<Reject> rejects;
  std::vector<std::string> warnings;

  void OnReject(const Reject& r) override { rejects.push_back(r); }
  void OnWarning(const std::string& file, int64_t line, const std::string& message) override {
    warnings.push_back(line > 0 ? file + ":" + std::to_string(line) + ": " + message
                                : file + ": " + message);
  }
};

}  // namespace otp
