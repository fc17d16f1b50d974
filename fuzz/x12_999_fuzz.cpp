// libFuzzer target for the 999 reader: a whole file, or a transaction body put in a 999
// envelope (x12_read_common.h); every transaction goes through Read999. Invariants: a refusal
// names a segment; an accepted 999 has its codes in the guide's lists, AK904 <= AK903, and,
// when every received transaction has an AK2, AK904 accepted AK2 loops; every IK4 belongs to
// an IK3 with a segment id.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "input/ack_999.h"
#include "x12_read_common.h"

using namespace otp;
using otp::fuzz::Check;

namespace {

void CheckAck(const Ack999& a) {
  Check(a.group_status != '\0' && std::strchr("AEMPRWX", a.group_status) != nullptr, "AK901 is a known code");
  Check(!a.functional_id.empty() && !a.group_control.empty(), "AK1 names the group");
  Check(a.accepted <= a.received, "AK904 <= AK903");
  int64_t accepted = 0;
  for (const auto& t : a.transactions) {
    Check(t.status != '\0' && std::strchr("AEMRWX", t.status) != nullptr, "IK501 is a known code");
    Check(!t.transaction_id.empty() && !t.control.empty(), "AK2 names the transaction");
    accepted += t.Accepted() ? 1 : 0;
    for (const auto& e : t.errors) {
      Check(!e.segment_id.empty(), "IK3 names a segment");
      for (const auto& el : e.elements) Check(!el.error_code.empty(), "IK4 has an error code");
    }
  }
  if (static_cast<int64_t>(a.transactions.size()) == a.received)
    Check(accepted == a.accepted, "AK904 counts the AK2s");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = ReadX12(fuzz::FileOf(data, size, fuzz::k999));
  if (!file.ok()) {
    fuzz::CheckRefusal(file.status());
    return 0;
  }
  for (const auto& ic : *file)
    for (const auto& g : ic.groups)
      for (const auto& tx : g.transactions) {
        auto a = Read999(tx);
        if (a.ok())
          CheckAck(*a);
        else
          fuzz::CheckRefusal(a.status());
      }
  return 0;
}
