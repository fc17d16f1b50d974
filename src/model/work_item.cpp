#include "model/work_item.h"

#include <charconv>

namespace otp {

const char* ItemStateName(ItemState s) {
  switch (s) {
    case ItemState::kResolved: return "resolved";
    case ItemState::kClosed: return "closed";
    default: return "open";
  }
}

std::optional<ItemState> ParseItemState(std::string_view word) {
  for (ItemState s : {ItemState::kOpen, ItemState::kResolved, ItemState::kClosed})
    if (word == ItemStateName(s)) return s;
  return std::nullopt;
}

std::optional<int64_t> ParseItemId(std::string_view text) {
  if (!text.empty() && (text.front() == 'W' || text.front() == 'w')) text.remove_prefix(1);
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace otp
