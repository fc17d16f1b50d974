// The CSV record splitter and the header-mapped table on top of it.
#include "input/csv.h"

#include "input/validators.h"

#include <algorithm>
#include <cstring>

#include "model/text.h"

namespace otp {

std::string TruncateUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t n = max_bytes;
  // Back off continuation bytes (10xxxxxx) so that no character is cut in half.
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return std::string(text.substr(0, n));
}

CsvReader::CsvReader(std::string_view content) : s_(content) {
  if (s_.size() >= 3 && static_cast<unsigned char>(s_[0]) == 0xEF &&
      static_cast<unsigned char>(s_[1]) == 0xBB && static_cast<unsigned char>(s_[2]) == 0xBF) {
    pos_ = 3;
  }
}

bool CsvReader::Next(CsvRecord& rec) {
  const size_t n = s_.size();
  // Skip blank lines.
  while (pos_ < n) {
    if (s_[pos_] == '\n') { ++pos_; ++line_; continue; }
    if (s_[pos_] == '\r' && pos_ + 1 < n && s_[pos_ + 1] == '\n') { pos_ += 2; ++line_; continue; }
    break;
  }
  if (pos_ >= n) return false;

  const size_t start = pos_;
  rec.line = line_;
  rec.error.clear();
  rec.fields.clear();
  spans_.clear();
  bool saw_quote = false;
  size_t pos = pos_;
  size_t end = n;  // end of the record's text (before its line ending)

  for (;;) {
    if (pos < n && s_[pos] == '"') {
      saw_quote = true;
      size_t content_begin = pos + 1;
      size_t p = content_begin;
      bool doubled = false;
      size_t close = std::string_view::npos;
      for (;;) {
        size_t q = s_.find('"', p);
        if (q == std::string_view::npos) break;
        if (q + 1 < n && s_[q + 1] == '"') { doubled = true; p = q + 2; continue; }
        close = q;
        break;
      }
      // Unbalanced quote: reject the first physical line of the record and resume after it.
      auto unbalanced = [&](const char* why) {
        size_t eol = s_.find('\n', start);
        size_t raw_end = eol == std::string_view::npos ? n : eol;
        if (raw_end > start && s_[raw_end - 1] == '\r') --raw_end;
        rec.raw = s_.substr(start, raw_end - start);
        rec.error = why;
        pos_ = eol == std::string_view::npos ? n : eol + 1;
        ++line_;
        spans_.clear();
        return true;
      };
      if (close == std::string_view::npos)
        return unbalanced("unbalanced quote: a quoted field is not closed before the end of the file");
      const size_t after = close + 1;
      const bool text_after = after < n && s_[after] != ',' && s_[after] != '\n' &&
                              !(s_[after] == '\r' && after + 1 < n && s_[after + 1] == '\n') &&
                              !(s_[after] == '\r' && after + 1 == n);
      // A quote "closed" on a later line and followed by more text is an unclosed quote that
      // ran into the next quoted field: treating the span as one record would swallow the rows
      // in between, so only the first line is rejected and those rows are read on their own.
      if (text_after && std::memchr(s_.data() + content_begin, '\n', close - content_begin) != nullptr)
        return unbalanced("unbalanced quote: a quoted field opened on this line is not closed on it "
                          "and no later quote closes it cleanly");
      spans_.push_back({content_begin, close, doubled});
      pos = after;
      if (text_after) {
        if (rec.error.empty())
          rec.error = "unexpected text after the closing quote of field " + std::to_string(spans_.size());
        while (pos < n && s_[pos] != ',' && s_[pos] != '\n') ++pos;
      }
    } else {
      size_t b = pos;
      while (pos < n && s_[pos] != ',' && s_[pos] != '\n') ++pos;
      size_t e = pos;
      if (e > b && (pos >= n || s_[pos] == '\n') && s_[e - 1] == '\r') --e;
      spans_.push_back({b, e, false});
    }
    if (pos < n && s_[pos] == ',') { ++pos; continue; }
    // End of record: a line ending or the end of the input.
    end = pos;
    if (end > start && s_[end - 1] == '\r') --end;
    if (pos < n && s_[pos] == '\r') ++pos;  // CRLF after a closing quote: the '\r' is still ahead
    if (pos < n) ++pos;                     // the '\n'
    break;
  }

  rec.raw = s_.substr(start, end - start);
  int64_t newlines = saw_quote ? std::count(rec.raw.begin(), rec.raw.end(), '\n') : 0;
  line_ += newlines + 1;
  pos_ = pos;

  // A NUL or any other byte is text to the splitter; CsvTable::TextProblem judges the fields.
  if (!rec.error.empty()) { spans_.clear(); return true; }

  // Build the field views; unescaped fields go into rec.unescaped, reserved up front so the
  // views taken into it stay valid.
  rec.unescaped.clear();
  rec.unescaped.reserve(rec.raw.size());
  rec.fields.reserve(spans_.size());
  for (const Span& sp : spans_) {
    std::string_view v = s_.substr(sp.begin, sp.end - sp.begin);
    if (!sp.doubled_quotes) { rec.fields.push_back(v); continue; }
    size_t at = rec.unescaped.size();
    for (size_t i = 0; i < v.size(); ++i) {
      rec.unescaped.push_back(v[i]);
      if (v[i] == '"' && i + 1 < v.size() && v[i + 1] == '"') ++i;
    }
    rec.fields.push_back(std::string_view(rec.unescaped).substr(at, rec.unescaped.size() - at));
  }
  return true;
}

Result<CsvTable> CsvTable::Open(std::string file_name, std::string_view content,
                                std::vector<CsvColumn> columns, Reporter& reporter) {
  CsvTable t(std::move(file_name), content, std::move(columns), reporter);
  if (!t.reader_.Next(t.rec_))
    return Status::InvalidArgument(t.file_ + ": the file is empty (no header row)");
  if (!t.rec_.error.empty())
    return Status::InvalidArgument(t.file_ + ":" + std::to_string(t.rec_.line) +
                                   ": the header row is malformed: " + t.rec_.error);
  t.header_fields_ = t.rec_.fields.size();
  t.map_.assign(t.columns_.size(), -1);
  // A header that is not clean text is no header: its names could never match, and an unknown
  // one would be echoed in a warning.
  for (size_t f = 0; f < t.rec_.fields.size(); ++f) {
    std::string problem = TextFieldProblem(TrimBlanks(t.rec_.fields[f]));
    if (!problem.empty())
      return Status::InvalidArgument(t.file_ + ":" + std::to_string(t.rec_.line) + ": the header row's field " +
                                     std::to_string(f + 1) + " " + problem);
    t.names_.emplace_back(TrimBlanks(t.rec_.fields[f]));
  }
  std::vector<std::string_view> unknown;
  for (size_t f = 0; f < t.rec_.fields.size(); ++f) {
    std::string_view name = TrimBlanks(t.rec_.fields[f]);
    bool known = false;
    for (size_t c = 0; c < t.columns_.size(); ++c) {
      if (t.columns_[c].name != name) continue;
      known = true;
      if (t.map_[c] >= 0) {
        reporter.OnWarning(t.file_, t.rec_.line,
                           "column \"" + std::string(name) + "\" appears twice; the first one is used");
      } else {
        t.map_[c] = static_cast<int>(f);
      }
    }
    if (!known) unknown.push_back(name);
  }
  for (size_t c = 0; c < t.columns_.size(); ++c) {
    if (t.columns_[c].required && t.map_[c] < 0)
      return Status::InvalidArgument(t.file_ + ": required column \"" + t.columns_[c].name +
                                     "\" is missing from the header row");
  }
  // Only once the header is known to be a header: a file exported without one would otherwise
  // have its first data row (a name, an MBI) echoed as "unknown columns".
  for (std::string_view name : unknown)
    reporter.OnWarning(t.file_, t.rec_.line,
                       "unknown column \"" + std::string(name.substr(0, 64)) + "\" is ignored");
  return t;
}

bool CsvTable::Next() {
  while (reader_.Next(rec_)) {
    ++rows_read_;
    if (!rec_.error.empty()) {
      reporter_->OnReject(MakeReject("", rec_.error));
      continue;
    }
    if (rec_.fields.size() != header_fields_) {
      reporter_->OnReject(MakeReject(
          "", "row has " + std::to_string(rec_.fields.size()) + " fields, the header has " +
                  std::to_string(header_fields_)));
      continue;
    }
    return true;
  }
  return false;
}

std::string_view CsvTable::Get(size_t index) const {
  int f = map_[index];
  if (f < 0 || static_cast<size_t>(f) >= rec_.fields.size()) return {};
  return TrimBlanks(rec_.fields[static_cast<size_t>(f)]);
}

std::optional<CsvTable::FieldProblem> CsvTable::TextProblem() const {
  for (size_t f = 0; f < rec_.fields.size(); ++f) {
    // The trimmed value, as Get() gives it: spaces and tabs around a field are padding.
    std::string problem = TextFieldProblem(TrimBlanks(rec_.fields[f]));
    if (problem.empty()) continue;
    return FieldProblem{names_[f], names_[f] + " " + problem + "; a field must be UTF-8 text without control characters"};
  }
  return std::nullopt;
}

Reject CsvTable::MakeReject(std::string column, std::string reason) const {
  Reject r;
  r.file = file_;
  r.line = rec_.line;
  r.column = std::move(column);
  r.reason = std::move(reason);
  r.raw = TruncateUtf8(rec_.raw);
  return r;
}

}  // namespace otp
