// otpbatch's entry point: everything is in otp::Main (commands.cpp) so tests can call it.
#include "cli/commands.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  // glibc's allocator gives the top of its heap back to the system whenever 128 KiB are free
  // there, and maps each large block on its own: a night allocates and frees a patient's rows,
  // claims and strings by the hundred thousand, so the same memory was given back and faulted
  // in again. On a chain's billing night (docs/performance.md, round 6) 67,700 page faults
  // became 51,600 and the night 0.3 s shorter (5%); the peak grew by 16 MiB.
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
  return otp::Main(argc, argv);
}
