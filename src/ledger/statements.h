// The ledger's prepared statements, made once when a ledger is opened. Private to src/ledger.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/schema.h"
#include "ledger/sqlite_db.h"

namespace otp {

struct Ledger::Statements {
  explicit Statements(sql::Db& db);
  // The first statement that could not be prepared, if any.
  Status Check();

  sql::Stmt find_row, note_change, insert_row, update_row, set_outcome, open_rows, upsert_patient, load_patient,
      all_patients, add_reject, add_episode, move_last_episode, last_episode_end, add_hold, add_finding, add_window,
      windows_of, next_counter, add_claim, add_line, add_patient_line, add_source, add_interchange, find_claim,
      lines_of, sources_of, set_state, forget_state, day_of;
};

// Lists of ids in one column: record ids with the unit separator (control characters never
// pass the readers, so no id holds one); codes, modifiers and edits with ' ' or ':'.
inline constexpr char kIdSep = '\x1f';
inline std::string JoinIds(const std::vector<std::string>& v, char sep = ' ') {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += sep;
    s += v[i];
  }
  return s;
}
inline std::vector<std::string> SplitIds(std::string_view s, char sep = ' ') {
  std::vector<std::string> out;
  while (!s.empty()) {
    const size_t at = s.find(sep);
    if (at != 0) out.emplace_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return out;
}

namespace ledger_rows {
// A ServiceRecord from columns 0..11 (kRowCols) of `s`. A service or modality word this
// otpbatch does not know fails the statement (kCorrupt): never a default.
ServiceRecord RowFrom(sql::Stmt& s);
void BindRow(sql::Stmt& s, const ServiceRecord& r);
}  // namespace ledger_rows

}  // namespace otp
