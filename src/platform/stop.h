// SIGTERM and SIGINT as a request to stop rather than a death, so that a run stopped by a
// person, systemd or a shutdown takes its files back and commits nothing. Install() blocks
// both signals in the calling thread and every thread started after it, and starts one thread
// that waits for them: it records the signal and calls the hook a run has set (the ledger's
// Interrupt, which fails the statement running and every later one). The run also asks Check()
// between its stages. SIGXFSZ is ignored process-wide (IgnoreFileSizeSignal), so a write past
// the file-size limit fails with EFBIG and takes the path of any failed write, with a message.
#pragma once

#include <functional>

#include "model/status.h"

namespace otp::stop {

// Before any other thread is started; later calls do nothing.
void Install();
void IgnoreFileSizeSignal();
// 0, or the signal that asked to stop.
int Requested();
// Ok, or kStopped naming the signal.
Status Check();

// Sets the hook the signal thread calls, for as long as the object lives.
class Hook {
 public:
  explicit Hook(std::function<void()> on_stop);
  ~Hook();
  Hook(const Hook&) = delete;
  Hook& operator=(const Hook&) = delete;
};

}  // namespace otp::stop
