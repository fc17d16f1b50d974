// PaymentsTail (workbook_book.h): the A/R below the Payments sheet's claims.
#include <algorithm>

#include "output/workbook_book.h"

namespace otp::workbook {
namespace {

Cell BandCell(const ReceivableRow& r, int band) { return MoneyCell(r.aged[static_cast<size_t>(band)]); }
Cell BandCell(const ProviderAdjustmentRow&, int) { return BlankCell(Kind::kMoney); }

// The date the claims' ages run to: a night's as-of date, a period's last day.
std::string AgedTo(const ReportData& d) { return (d.period_report ? d.to : d.as_of).Iso(); }

std::string Titled(std::string title, const ReportData& d) {
  const std::string word = "{date}";
  for (size_t at = title.find(word); at != std::string::npos; at = title.find(word, at))
    title.replace(at, word.size(), AgedTo(d));
  return title;
}

}  // namespace

PaymentsTail::PaymentsTail(Book& book, const SheetSpec& spec) : b_(book), spec_(spec) {
  if (spec.receivables && !book.data().payments.empty())
    receivables_ = Receivables(book.data(), spec.receivables->bands, spec.receivables->total_label);
}

int64_t PaymentsTail::Rows() const {
  if (b_.data().payments.empty()) return 0;
  int64_t rows = 0;
  if (spec_.receivables) rows += 3 + static_cast<int64_t>(receivables_.size());  // blank, title, header
  if (spec_.provider_adjustments)
    rows += 3 + std::max<int64_t>(1, static_cast<int64_t>(b_.data().provider_adjustments.size()));
  return rows;
}

void PaymentsTail::Write(lxw_worksheet* ws, lxw_row_t first) const {
  lxw_row_t r = first;
  if (spec_.receivables) {
    r = Table(ws, r, *spec_.receivables);
    r = Body(ws, r, *spec_.receivables, receivables_, ReceivableFields()) + 1;
  }
  if (spec_.provider_adjustments) {
    r = Table(ws, r, *spec_.provider_adjustments);
    const auto& rows = b_.data().provider_adjustments;
    if (rows.empty()) b_.Text(ws, r, 0, spec_.provider_adjustments->empty, b_.text);
    else Body(ws, r, *spec_.provider_adjustments, rows, ProviderAdjustmentFields());
  }
}

// The table's title and header row; the row after them.
lxw_row_t PaymentsTail::Table(lxw_worksheet* ws, lxw_row_t r, const TableSpec& t) const {
  b_.Text(ws, r++, 0, Titled(t.title, b_.data()), b_.bold);
  b_.HeaderRow(ws, r, t.columns);
  return r + 1;
}

template <class Row>
lxw_row_t PaymentsTail::Body(lxw_worksheet* ws, lxw_row_t r, const TableSpec& t, const std::vector<Row>& rows,
                             std::span<const FieldDef<Row>> fields) const {
  std::vector<const FieldDef<Row>*> defs;
  for (const ColumnSpec& col : t.columns) defs.push_back(col.band >= 0 ? nullptr : FindField(fields, col.field));
  std::vector<Cell> cells(t.columns.size());
  for (const Row& row : rows) {
    int lines = 1;
    for (size_t c = 0; c < t.columns.size(); ++c) {
      cells[c] = defs[c] ? defs[c]->get(row, b_.context()) : BandCell(row, t.columns[c].band);
      if (t.columns[c].wrap && !cells[c].blank) lines = std::max(lines, Book::LinesFor(cells[c].text, t.columns[c].width));
    }
    b_.FitRow(ws, r, lines);
    for (size_t c = 0; c < t.columns.size(); ++c)
      b_.Write(ws, r, static_cast<lxw_col_t>(c), cells[c], t.columns[c].format, t.columns[c].wrap ? b_.wrap : b_.text);
    ++r;
  }
  return r;
}

}  // namespace otp::workbook
