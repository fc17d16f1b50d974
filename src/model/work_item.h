// A work item: one thing a person must act on (interface.md §2 `queue`) — a hold, an open
// finding, a rejected input row, later a rejected or denied claim or an unmatched remittance.
// One cause, one item: the same hold, finding or bad row seen on many nights is one item.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/money.h"

namespace otp {

enum class ItemState {
  kOpen,      // a person must act
  kResolved,  // the data resolved it (a held week billed, a corrected row read, a credential renewed)
  kClosed,    // a person closed it: who, when and why are kept
};
const char* ItemStateName(ItemState s);
std::optional<ItemState> ParseItemState(std::string_view word);

struct WorkItem {
  int64_t id = 0;                 // shown as W000123 (ItemId)
  std::string cause;              // what makes it one item among nights (unique)
  std::string kind;               // hold | finding | rejected-row | claim-rejected | claim-denied | remit-unmatched
  std::string facility_id, patient_id;  // patient "" for a facility's item
  std::optional<Date> date;       // the date of what it is about (a DOS, a finding's date)
  std::string code;               // the code a hold would have billed; a finding's rule id
  std::string reason;             // the hold reason word, rule id, or rejected column
  std::string detail;             // one line about this item
  std::string next_step;          // plain words: what a person does now (codes/reasons.xml)
  std::optional<Money> amount;    // amount at stake, when known
  std::vector<std::string> record_ids;
  std::string finding;            // the key of the finding it is or that says why
  std::string file_kind;          // rejected-row: "patients" or "services"
  std::optional<Date> week;       // a held week's start: resolved by the night that bills it
  bool renews = false;            // raised again on every night its cause stands (a held week,
                                  // a program credential finding): a night that does not resolves it
  // Kept by the store:
  int64_t opened_run = 0, seen_run = 0;
  Date opened_on;                 // the as-of date of the night that opened it
  ItemState state = ItemState::kOpen;
  std::optional<int64_t> ended_run;  // the night that resolved it
  std::optional<Date> ended_on;
  std::string ended_by, ended_at, note;  // a person's close: name, time (ISO 8601), why
};

// "W000123" for item 123.
inline std::string ItemId(int64_t id) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "W%06lld", static_cast<long long>(id));
  return buf;
}
// 123 from "W000123", "w123" or "123"; nullopt for anything else.
std::optional<int64_t> ParseItemId(std::string_view text);

}  // namespace otp
