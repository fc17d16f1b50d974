// The stop request (stop.h): one thread takes SIGTERM and SIGINT with sigwait(3).
#include "platform/stop.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

namespace otp::stop {
namespace {

struct State {
  std::atomic<int> signal{0};
  std::mutex mu;  // guards hook: set and cleared by the run, called by the signal thread
  std::function<void()> hook;
};

// Never destroyed: the signal thread may use it while the process exits.
State& TheState() {
  static State* state = new State;
  return *state;
}

void Wait(sigset_t set) {
  for (;;) {
    int sig = 0;
    if (::sigwait(&set, &sig) != 0) continue;
    State& s = TheState();
    int none = 0;
    s.signal.compare_exchange_strong(none, sig);  // the first signal is the one reported
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.hook) s.hook();
  }
}

}  // namespace

void Install() {
  static std::once_flag once;
  std::call_once(once, [] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread(Wait, set).detach();
  });
}

void IgnoreFileSizeSignal() { ::signal(SIGXFSZ, SIG_IGN); }

int Requested() { return TheState().signal.load(); }

Status Check() {
  const int sig = Requested();
  if (sig == 0) return Status::Ok();
  return Status::Stopped(std::string("stopped by ") + (sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" : "a signal"));
}

Hook::Hook(std::function<void()> on_stop) {
  State& s = TheState();
  std::lock_guard<std::mutex> lock(s.mu);
  s.hook = std::move(on_stop);
  if (s.signal.load() != 0 && s.hook) s.hook();  // asked before the hook was set
}

Hook::~Hook() {
  State& s = TheState();
  std::lock_guard<std::mutex> lock(s.mu);
  s.hook = nullptr;
}

}  // namespace otp::stop
