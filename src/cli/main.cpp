// otpbatch's entry point: everything is in otp::Main (commands.cpp) so tests can call it.
// First, the process starts again with malloc in huge pages where it can (platform/huge_pages.h).
#include "cli/commands.h"
#include "platform/huge_pages.h"

int main(int argc, char** argv) {
  otp::RestartWithHugePages(argv);
  return otp::Main(argc, argv);
}
