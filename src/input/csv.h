// RFC 4180 CSV over the whole file held in memory (interface.md §1): a leading UTF-8 BOM is
// skipped, lines end in LF or CRLF, quoted fields may hold commas, doubled quotes and newlines.
// Two layers:
//   CsvReader  splits records; every record knows the 1-based physical line where it starts.
//              Fields are views into the file, or into the record's own buffer when a doubled
//              quote had to be unescaped; the buffers are reused from record to record, so
//              reading ten million rows copies nothing but those unescaped fields.
//   CsvTable   reads the header row, finds the caller's columns by name (any order), warns once
//              per unknown column, refuses a file that lacks a required column or whose header is
//              not clean text, and hands out well-formed rows only: a malformed row (wrong column
//              count, unbalanced quote) is reported to the Reporter as a Reject and reading goes
//              on. Whether a row's fields are clean text (UTF-8, no control characters) is
//              TextProblem()'s to say, so that the reader can reject the row with its own ids.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "input/reporter.h"
#include "model/status.h"
#include "model/types.h"

namespace otp {

// The most of a rejected row's text that is kept in Reject::raw.
inline constexpr size_t kMaxRawBytes = 4096;

// `text` cut to at most `max_bytes` without splitting a UTF-8 sequence.
std::string TruncateUtf8(std::string_view text, size_t max_bytes = kMaxRawBytes);

struct CsvRecord {
  int64_t line = 0;                      // 1-based physical line where the record starts
  std::string_view raw;                  // the record's text, without its line ending
  std::vector<std::string_view> fields;  // empty when `error` is set
  std::string error;                     // non-empty: the record is malformed, and why
  std::string unescaped;                 // storage for fields that held doubled quotes
};

class CsvReader {
 public:
  explicit CsvReader(std::string_view content);
  // Fills `rec` with the next record; false at the end of the input. Blank lines are skipped.
  // A quoted field left open at the end of the file makes its first physical line a
  // malformed record, and reading resumes on the line after it, so no later row is lost.
  bool Next(CsvRecord& rec);

 private:
  struct Span { size_t begin, end; bool doubled_quotes; };
  std::string_view s_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  std::vector<Span> spans_;
};

struct CsvColumn {
  std::string name;      // as the contract spells it, case-sensitive
  bool required = false;
};

class CsvTable {
 public:
  // Reads the header row of `content`. Unknown header names: one warning each. A required
  // column that is absent, an empty file or a malformed header: an InvalidArgument Status
  // naming the file (and the column), since then no row of the file can be read.
  static Result<CsvTable> Open(std::string file_name, std::string_view content,
                               std::vector<CsvColumn> columns, Reporter& reporter);

  // Advances to the next well-formed row; malformed rows are rejected through the Reporter
  // and skipped. false at the end of the file.
  bool Next();

  // The field of column `index` (an index into the columns given to Open) in the current row,
  // surrounding spaces and tabs trimmed; "" when that column is not in the file.
  std::string_view Get(size_t index) const;
  bool HasColumn(size_t index) const { return map_[index] >= 0; }
  const std::string& ColumnName(size_t index) const { return columns_[index].name; }

  int64_t line() const { return rec_.line; }
  std::string_view raw() const { return rec_.raw; }
  const std::string& file_name() const { return file_; }
  // Data records seen so far, well-formed or not (blank lines are not records).
  int64_t rows_read() const { return rows_read_; }

  // The first field of the current row, in file order and unknown columns included, whose text
  // is not UTF-8 or holds a control character (TextFieldProblem): its column's header name and a
  // reason such as "last_name holds a control character (U+001B escape) at byte 4; …". The
  // reason never quotes the field.
  struct FieldProblem {
    std::string column, reason;
  };
  std::optional<FieldProblem> TextProblem() const;

  // A Reject for the current row: file, line, column, reason, and the raw text (≤ 4 KiB).
  Reject MakeReject(std::string column, std::string reason) const;

 private:
  CsvTable(std::string file, std::string_view content, std::vector<CsvColumn> columns,
           Reporter& reporter)
      : file_(std::move(file)), reader_(content), columns_(std::move(columns)),
        reporter_(&reporter) {}

  std::string file_;
  CsvReader reader_;
  std::vector<CsvColumn> columns_;
  std::vector<int> map_;     // column index → field position in the row, -1 when absent
  std::vector<std::string> names_;  // the header's names, by field position (trimmed)
  size_t header_fields_ = 0;
  Reporter* reporter_;
  CsvRecord rec_;
  int64_t rows_read_ = 0;
};

}  // namespace otp
