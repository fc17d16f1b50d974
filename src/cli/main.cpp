// otpbatch's entry point: everything is in otp::Main (commands.cpp) so tests can call it.
#include "cli/commands.h"

int main(int argc, char** argv) { return otp::Main(argc, argv); }
