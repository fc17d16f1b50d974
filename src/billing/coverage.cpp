// Interval bookkeeping for drug coverage windows.
#include "billing/coverage.h"

#include <algorithm>
#include <iterator>

namespace otp::billing {

void WindowSet::Add(Date from, Date to, const std::string& code) {
  if (to < from) return;
  int32_t nf = from.days(), nt = to.days();
  std::string keep = code;
  auto it = spans_.upper_bound(nf);
  if (it != spans_.begin()) {
    auto p = std::prev(it);
    if (p->second.first >= nf) it = p;
  }
  bool first = true;
  while (it != spans_.end() && it->first <= nt) {
    if (first && it->first < nf) keep = it->second.second;
    first = false;
    nf = std::min(nf, it->first);
    nt = std::max(nt, it->second.first);
    it = spans_.erase(it);
  }
  spans_.emplace(nf, std::make_pair(nt, std::move(keep)));
}

const std::string* WindowSet::Covering(Date d) const {
  auto it = spans_.upper_bound(d.days());
  if (it == spans_.begin()) return nullptr;
  --it;
  return it->second.first >= d.days() ? &it->second.second : nullptr;
}

}  // namespace otp::billing
