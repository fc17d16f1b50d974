// What the workbook's sheet writers share (inside src/output, the only place that sees
// libxlsxwriter): the workbook and its cell formats, the print setup every sheet gets, the first
// failure, and the codes, rule ids and reasons the sheets show (the Reference sheet explains
// those). Cells are only ever written as strings, numbers or dates: no formula is written from
// data, so text that begins with = + - @ stays text.
#pragma once

#include <xlsxwriter.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "model/status.h"
#include "output/workbook.h"
#include "output/workbook_fields.h"
#include "output/workbook_layout.h"

namespace otp::workbook {

class Book {
 public:
  Book(lxw_workbook* wb, const Layout& layout, const WorkbookOptions& options, const ReportData& data);

  const Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }
  void Fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
  }
  void Check(lxw_error e, const std::string& what);

  // A new sheet with the print setup of interface.md §4: landscape, header and footer on every
  // page, rows 0..repeat_to repeated atop each page, one page wide when fit_width (the Summary
  // instead keeps to the page's width by its column widths and breaks between its sections).
  lxw_worksheet* AddSheet(const std::string& name, lxw_row_t repeat_to, bool fit_width);

  void Text(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const std::string& s, lxw_format* f = nullptr);
  // A cell as the column's format asks (text shows any value in words); `text` formats text cells.
  void Write(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const Cell& cell, Kind format, lxw_format* text = nullptr);
  // The header row, tall enough for headers that wrap.
  void HeaderRow(lxw_worksheet* ws, lxw_row_t r, const std::vector<ColumnSpec>& cols);
  // Sets row r tall enough for `lines` lines of the default font (LibreOffice does not grow a
  // row for wrapped text by itself); one line leaves the row as it is.
  void FitRow(lxw_worksheet* ws, lxw_row_t r, int lines);
  // The lines `text` needs wrapped in a column `width` characters wide (at least 1); a header's
  // bold text is wider.
  static int LinesFor(std::string_view text, double width);
  static int HeaderLinesFor(std::string_view text, double width);
  void Highlights(lxw_worksheet* ws, const std::vector<ColumnSpec>& cols, lxw_row_t first, lxw_row_t last);
  // Text across columns 0..last_col, wrapped, in a row tall enough for it at `chars_per_line`;
  // returns the row's height in lines of the default font.
  double Block(lxw_worksheet* ws, lxw_row_t r, lxw_col_t last_col, const std::string& text, double chars_per_line,
             lxw_format* f);
  // Text in row r across columns first..last merged into one cell (one column: a plain cell).
  void Merged(lxw_worksheet* ws, lxw_row_t r, lxw_col_t first, lxw_col_t last, const std::string& text, lxw_format* f);

  // Codes, rule ids and reason words in `text` (split at spaces and punctuation), for Reference.
  void NoteTerms(std::string_view text);
  bool UsesTerm(const std::string& id) const { return terms_.count(id) > 0; }

  const Layout& layout() const { return layout_; }
  const WorkbookOptions& options() const { return options_; }
  const ReportData& data() const { return ctx_.data; }
  const FieldContext& context() const { return ctx_; }
  lxw_workbook* workbook() const { return wb_; }

  // Cell formats; every data format aligns to the top, so a row that a wrapped cell makes tall
  // still reads across.
  lxw_format *header = nullptr, *bold = nullptr, *title = nullptr, *text = nullptr, *wrap = nullptr,
             *date = nullptr, *money = nullptr, *integer = nullptr, *percent = nullptr, *alert = nullptr,
             *caution = nullptr;

 private:
  lxw_format* NumFormat(const std::string& f);
  lxw_format* HighlightFormat(const Highlight& h);

  lxw_workbook* wb_;
  const Layout& layout_;
  const WorkbookOptions& options_;
  FieldContext ctx_;
  Status status_;
  std::set<std::string, std::less<>> terms_;
  std::map<std::pair<int64_t, int64_t>, lxw_format*> highlight_formats_;
};

// The Summary sheet (workbook_summary.cpp).
void WriteSummary(Book& book, const SheetSpec& spec);

// Rows a listing writes below its own (workbook.cpp Listing): `rows` counts the blank row
// before them; `write` gets the first row after that blank one.
struct Tail {
  int64_t rows = 0;
  std::function<void(lxw_worksheet* ws, lxw_row_t first)> write;
};

// Below the Payments sheet's claims (workbook_payments.cpp): the template's <receivables>, a
// row per facility (and their total), and its <provider-adjustments>, each under its title
// and its own header row. Nothing when the sheet has no claims or the template no tables.
class PaymentsTail {
 public:
  PaymentsTail(Book& book, const SheetSpec& spec);
  int64_t Rows() const;
  void Write(lxw_worksheet* ws, lxw_row_t first) const;

 private:
  lxw_row_t Table(lxw_worksheet* ws, lxw_row_t r, const TableSpec& t) const;
  template <class Row>
  lxw_row_t Body(lxw_worksheet* ws, lxw_row_t r, const TableSpec& t, const std::vector<Row>& rows,
                 std::span<const FieldDef<Row>> fields) const;

  Book& b_;
  const SheetSpec& spec_;
  std::vector<ReceivableRow> receivables_;
};

}  // namespace otp::workbook
