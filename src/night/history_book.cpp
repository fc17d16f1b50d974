// HistoryBook: each patient's billing history, read once a night.
#include "night/history_book.h"

#include <algorithm>
#include <span>
#include <tuple>

namespace otp {
namespace {
// A patient's entries of a vector sorted by (facility, patient): none, one or a run.
template <class Entry>
std::span<const Entry> OfPatient(const std::vector<Entry>& v, const std::string& fid, const std::string& pid) {
  auto first = std::lower_bound(v.begin(), v.end(), std::tie(fid, pid), [](const Entry& e, const auto& key) {
    return std::tie(e.facility_id, e.patient_id) < key;
  });
  auto last = first;
  while (last != v.end() && last->facility_id == fid && last->patient_id == pid) ++last;
  return {first, last};
}
}  // namespace

Result<HistoryBook> HistoryBook::Read(Ledger& ledger, const RuleBook& rules) {
  HistoryBook book(ledger, rules);
  OTP_ASSIGN_OR_RETURN(book.lines_, ledger.PatientLines());
  OTP_ASSIGN_OR_RETURN(book.ends_, ledger.LastEpisodeEnds());
  OTP_ASSIGN_OR_RETURN(const bool any, ledger.HasWindows());
  book.no_windows_ = !any;
  return book;
}

// Reads the facility's windows that end in [from, reach) (on or after `from` when none were
// read yet): the book then reaches back to `from`.
Status HistoryBook::ReachBack(Windows& w, const std::string& fid, Date from) {
  OTP_TRY(ledger_->WindowsEnding(fid, from, w.reach, [&](int64_t rowid, CoverageWindow cw) {
    auto& mine = w.by_patient[cw.patient_id];
    mine.emplace_back(rowid, std::move(cw));
  }));
  w.reach = from;
  return Status::Ok();
}

Status HistoryBook::AddWindows(PatientHistory& h, const std::string& fid, const std::string& pid, Date from) {
  Windows& read = windows_[fid];
  // From `from` back to the first day no window kept overlaps what is left out: the windows
  // that end on or after `from` all start on or after it, so none that ends before it touches them.
  std::vector<std::pair<int64_t, CoverageWindow>>* mine = nullptr;
  for (;;) {
    if (!read.reach || from < *read.reach) OTP_TRY(ReachBack(read, fid, from));
    const auto it = read.by_patient.find(pid);
    if (it == read.by_patient.end()) break;
    mine = &it->second;
    Date earlier = from;
    for (const auto& [rowid, w] : *mine)
      if (w.to >= from && w.from < earlier) earlier = w.from;
    if (earlier == from) break;
    from = earlier;
  }
  if (!mine) return Status::Ok();
  // In the order of the patient's windows: by start, then as they were added.
  std::sort(mine->begin(), mine->end(), [](const auto& a, const auto& b) {
    return std::tie(a.second.from, a.first) < std::tie(b.second.from, b.first);
  });
  for (const auto& [rowid, w] : *mine)
    if (w.to >= from) h.windows.push_back(w);
  return Status::Ok();
}

Status HistoryBook::AddEpisodes(PatientHistory& h, const std::string& fid, const std::string& pid, Date from) {
  Episodes& read = episodes_[fid];
  const Date first_start = from - kEpisodesBefore;
  if (!read.reach || first_start < *read.reach) {
    OTP_TRY(ledger_->EpisodesStarting(fid, first_start, read.reach,
                                      [&](Episode e) { read.by_patient[e.patient_id].push_back(std::move(e)); }));
    read.reach = first_start;
  }
  const auto it = read.by_patient.find(pid);
  if (it == read.by_patient.end()) return Status::Ok();
  for (const Episode& e : it->second)
    if (!(e.start < first_start)) h.episodes.push_back(e);
  std::sort(h.episodes.begin(), h.episodes.end(), [](const Episode& a, const Episode& b) { return a.start < b.start; });
  return Status::Ok();
}

Result<PatientPast> HistoryBook::Of(const std::string& fid, const std::string& pid, Date windows_from) {
  PatientPast past;
  PatientHistory& h = past.billing;
  if (auto ends = OfPatient(ends_, fid, pid); !ends.empty()) h.last_episode_end = ends.front().end;
  if (!no_windows_) OTP_TRY(AddWindows(h, fid, pid, windows_from));
  OTP_TRY(AddEpisodes(h, fid, pid, windows_from));
  for (const auto& line : OfPatient(lines_, fid, pid)) {
    AddToHistory(h, line.code, line.dos, *rules_);
    past.edits.lines.push_back({line.code, line.dos, line.units});
  }
  past.edits.episodes = h.episodes;
  past.edits.windows = h.windows;
  return past;
}

}  // namespace otp
