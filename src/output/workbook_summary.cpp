// The Summary sheet: a report page of sections (templates/workbook.xml). It prints landscape
// at full size inside the page's width (its columns and charts are laid out to fit), and a
// section that would not fit on the rest of a page starts the next one, so no table, chart or
// notice is cut in two. (Excel ignores page breaks on a sheet scaled to fit, which is why the
// Summary is not scaled.)
#include <algorithm>
#include <cmath>
#include <map>

#include "output/workbook_book.h"

namespace otp::workbook {
namespace {

constexpr double kChartRows = 15;  // a chart's default height, 288 px, in rows of 20 px
constexpr double kChartWidth = 480;  // a chart's default width in px
constexpr double kPxPerChar = 7, kPxPerColumn = 5;  // a column `w` characters wide is w*7+5 px

// Page breaks between sections: a section that would not fit on the rest of the page starts the
// next one. Heights in rows of default height.
class PageFlow {
 public:
  explicit PageFlow(int page_rows) : page_rows_(page_rows) {}
  void Place(lxw_row_t first, double rows) {
    if (used_ > 0 && used_ + rows > page_rows_) {
      breaks_.push_back(first);
      used_ = 0;
    }
    // A section longer than a page ends where the automatic breaks put it, which is not known
    // here: the next section then starts a page.
    used_ = std::min(used_ + rows, page_rows_);
  }
  // libxlsxwriter's form: the rows that start a page, then 0.
  std::vector<lxw_row_t> Breaks() const {
    std::vector<lxw_row_t> b = breaks_;
    b.push_back(0);
    return b;
  }

 private:
  double page_rows_, used_ = 0;
  std::vector<lxw_row_t> breaks_;
};

// "$205,688.10": an amount inside a sentence, as the money columns show it.
std::string Dollars(Money m) {
  const std::string plain = m.ToString();
  const bool negative = !plain.empty() && plain[0] == '-';
  const size_t begin = negative ? 1 : 0, point = std::min(plain.find('.'), plain.size());
  std::string out = negative ? "-$" : "$";
  for (size_t i = begin; i < plain.size(); ++i) {
    if (i > begin && i < point && (point - i) % 3 == 0) out += ',';
    out += plain[i];
  }
  return out;
}

class SummaryWriter {
 public:
  SummaryWriter(Book& b, const SheetSpec& spec)
      : b_(b), spec_(spec), d_(b.data()), flow_(b.layout().print.page_rows) {}

  void Write() {
    ws_ = b_.AddSheet(spec_.name, 0, /*fit_width=*/false);
    if (!ws_) return;
    for (size_t c = 0; c < spec_.widths.size(); ++c)
      b_.Check(worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), spec_.widths[c], nullptr),
               "column width");
    b_.Text(ws_, 0, 0, d_.title.empty() ? spec_.title : d_.title, b_.title);
    worksheet_freeze_panes(ws_, 1, 0);
    r_ = 2;
    flow_.Place(0, 2);
    for (const SectionSpec& sec : spec_.sections) {
      if (!b_.ok()) return;
      if (sec.kind == "rerun" && !d_.rerun) continue;
      const lxw_row_t first = r_;
      tall_ = 0;
      Section(sec);
      flow_.Place(first, static_cast<double>(r_ - first) + tall_ + 1);
      ++r_;  // a blank row between sections
    }
    breaks_ = flow_.Breaks();
    if (breaks_.size() > 1) b_.Check(worksheet_set_h_pagebreaks(ws_, breaks_.data()), "page breaks");
  }

 private:
  lxw_col_t LastCol() const { return static_cast<lxw_col_t>(spec_.widths.size() - 1); }
  double CharsPerLine() const {
    double w = 0;
    for (double x : spec_.widths) w += x;
    return w;
  }
  void Title(const SectionSpec& sec) {
    if (!sec.title.empty()) b_.Text(ws_, r_++, 0, sec.title, b_.bold);
  }
  void Block(const std::string& text, lxw_format* f) {
    tall_ += b_.Block(ws_, r_++, LastCol(), text, CharsPerLine(), f) - 1;
  }
  void Headers(const std::vector<std::string>& headers) {
    int lines = 1;
    for (size_t c = 0; c < headers.size() && c < spec_.widths.size(); ++c)
      lines = std::max(lines, Book::HeaderLinesFor(headers[c], spec_.widths[c]));
    Tall(lines);
    for (size_t c = 0; c < headers.size(); ++c) b_.Text(ws_, r_, static_cast<lxw_col_t>(c), headers[c], b_.header);
    ++r_;
  }
  // Row r_ made `lines` tall, counted in the section's height.
  void Tall(int lines) {
    b_.FitRow(ws_, r_, lines);
    tall_ += lines - 1;
  }
  void None() { b_.Text(ws_, r_++, 0, "(none)", b_.text); }
  void Label(const std::string& s) { b_.Text(ws_, r_, 0, s, b_.text); }

  void Section(const SectionSpec& sec) {
    if (sec.kind == "rerun") return Block(sec.text, b_.alert);
    Title(sec);
    if (sec.kind == "items") Items(sec);
    else if (sec.kind == "unverified") Unverified(sec);
    else if (sec.kind == "work") Work(sec);
    else if (sec.kind == "held") Held(sec);
    else if (sec.kind == "map") Map(sec);
    else if (sec.kind == "credentials") Credentials(sec);
    else if (sec.kind == "payments") Payments(sec);
    else if (sec.kind == "notice") Block(sec.text, b_.wrap);
  }

  // Label and value lines; a text value (the facilities) spans the columns right of its label.
  void Items(const SectionSpec& sec) {
    Headers({sec.label_header, sec.value_header});
    for (const ItemSpec& item : sec.items) {
      if (item.night_only && d_.period_report) continue;  // not a night: no as-of date, no night's counts
      const FieldDef<ReportData>* f = FindField(SummaryFields(), item.field);
      const Cell value = f->get(d_, b_.context());
      Label(item.label);
      if (f->kind == Kind::kText && !value.text.empty()) {
        Tall(Book::LinesFor(value.text, CharsPerLine() - spec_.widths[0]));
        b_.Merged(ws_, r_, 1, LastCol(), value.text, b_.wrap);
      } else {
        b_.Write(ws_, r_, 1, value, f->kind);
      }
      ++r_;
    }
  }

  void Unverified(const SectionSpec& sec) {
    if (d_.unverified_lines == 0) return Block(sec.none, b_.wrap);
    std::string text = sec.some;
    for (auto [word, value] : {std::pair{std::string("{lines}"), std::to_string(d_.unverified_lines)},
                               std::pair{std::string("{charges}"), Dollars(d_.unverified_charges)}})
      for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + value.size()))
        text.replace(at, word.size(), value);
    Block(text, b_.caution);
  }

  void Work(const SectionSpec& sec);
  void Held(const SectionSpec& sec);
  void Map(const SectionSpec& sec);
  void Credentials(const SectionSpec& sec);
  void Payments(const SectionSpec& sec);
  void Chart(const SectionSpec& sec, lxw_row_t first, lxw_row_t last);

  Book& b_;
  const SheetSpec& spec_;
  const ReportData& d_;
  PageFlow flow_;
  lxw_worksheet* ws_ = nullptr;
  lxw_row_t r_ = 0;
  double tall_ = 0;  // the current section's rows taller than one line, in extra lines
  std::vector<lxw_row_t> breaks_;
};

// Open work items by kind: how many in each age band, how many in all, the amount at stake.
void SummaryWriter::Work(const SectionSpec& sec) {
  lxw_col_t c = 0;
  b_.Text(ws_, r_, c++, sec.key_header, b_.header);
  for (const BandSpec& band : sec.bands) b_.Text(ws_, r_, c++, band.label, b_.header);
  b_.Text(ws_, r_, c++, sec.total_header, b_.header);
  b_.Text(ws_, r_++, c, sec.amount_header, b_.header);
  struct Tally { std::vector<int64_t> bands; int64_t all = 0; Money stake; };
  std::map<std::string, Tally> by_kind;
  for (const WorkRow& w : d_.work) {
    Tally& t = by_kind[w.kind];
    t.bands.resize(sec.bands.size());
    size_t band = 0;
    while (sec.bands[band].up_to && w.age_days > *sec.bands[band].up_to) ++band;
    ++t.bands[band];
    ++t.all;
    t.stake += w.amount_at_stake;
  }
  if (by_kind.empty()) return None();
  for (const auto& [kind, t] : by_kind) {
    b_.NoteTerms(kind);
    Label(kind);
    lxw_col_t col = 1;
    for (int64_t n : t.bands) b_.Write(ws_, r_, col++, IntCell(n), Kind::kInteger);
    b_.Write(ws_, r_, col++, IntCell(t.all), Kind::kInteger);
    b_.Write(ws_, r_++, col, StakeCell(t.stake), Kind::kMoney);
  }
}

// The Held sheet's rows by reason, beside the service rows held for that reason: the two
// numbers a clerk compares (a held week is one row of the sheet and many service rows).
void SummaryWriter::Held(const SectionSpec& sec) {
  Headers({sec.key_header, sec.items_header, sec.rows_header, sec.amount_header});
  struct Tally { int64_t sheet_rows = 0, service_rows = 0; Money stake; };
  std::map<std::string, Tally> by_reason;
  for (const HeldRow& h : d_.held) {
    ++by_reason[h.reason].sheet_rows;
    by_reason[h.reason].stake += h.amount_at_stake;
  }
  for (const auto& [reason, rows] : d_.counts.held_by_reason) by_reason[reason].service_rows += rows;
  if (by_reason.empty()) return None();
  for (const auto& [reason, t] : by_reason) {
    b_.NoteTerms(reason);
    Label(reason);
    b_.Write(ws_, r_, 1, IntCell(t.sheet_rows), Kind::kInteger);
    b_.Write(ws_, r_, 2, IntCell(t.service_rows), Kind::kInteger);
    b_.Write(ws_, r_++, 3, StakeCell(t.stake), Kind::kMoney);
  }
}

void SummaryWriter::Map(const SectionSpec& sec) {
  Headers({sec.key_header, sec.value_header});
  const lxw_row_t first = r_;
  if (sec.source == "charges_by_code") {
    for (const auto& [k, v] : d_.counts.charges_by_code) {
      b_.NoteTerms(k);
      Label(k);
      b_.Write(ws_, r_++, 1, MoneyCell(v), Kind::kMoney);
    }
  } else {
    const auto& m = sec.source == "not_billable_by_reason" ? d_.counts.not_billable_by_reason : d_.counts.findings_by_rule;
    for (const auto& [k, v] : m) {
      b_.NoteTerms(k);
      Label(k);
      b_.Write(ws_, r_++, 1, IntCell(v), Kind::kInteger);
    }
  }
  if (r_ == first) return None();
  if (sec.chart.empty()) return;
  Chart(sec, first, r_ - 1);
  r_ = std::max<lxw_row_t>(r_, first - 1 + static_cast<lxw_row_t>(kChartRows));  // below the chart
}

void SummaryWriter::Credentials(const SectionSpec& sec) {
  std::vector<std::string> headers;
  for (const ColumnSpec& col : sec.columns) headers.push_back(col.header);
  Headers(headers);  // in the Summary's own column widths
  const lxw_row_t first = r_;
  std::vector<const FieldDef<CredentialStatus>*> defs;
  for (const auto& col : sec.columns) defs.push_back(FindField(CredentialFields(), col.field));
  for (const CredentialStatus& cs : d_.credentials) {
    for (size_t c = 0; c < defs.size(); ++c)
      b_.Write(ws_, r_, static_cast<lxw_col_t>(c), defs[c]->get(cs, b_.context()), sec.columns[c].format);
    ++r_;
  }
  if (r_ == first) return None();
  b_.Highlights(ws_, sec.columns, first, r_ - 1);
}

// The Payments sheet's claims added up per facility (and their total when there are several).
void SummaryWriter::Payments(const SectionSpec& sec) {
  std::vector<std::string> headers;
  for (const ColumnSpec& col : sec.columns) headers.push_back(col.header);
  Headers(headers);
  std::vector<const FieldDef<ReceivableRow>*> defs;
  for (const auto& col : sec.columns) defs.push_back(FindField(ReceivableFields(), col.field));
  const std::vector<ReceivableRow> rows = Receivables(d_, {}, sec.total_label);
  for (const ReceivableRow& row : rows) {
    for (size_t c = 0; c < defs.size(); ++c)
      b_.Write(ws_, r_, static_cast<lxw_col_t>(c), defs[c]->get(row, b_.context()), sec.columns[c].format);
    ++r_;
  }
  if (rows.empty()) None();
}

// A chart of the section's table, beside it from the third column on, within the page's width.
void SummaryWriter::Chart(const SectionSpec& sec, lxw_row_t first, lxw_row_t last) {
  lxw_chart* chart = workbook_add_chart(b_.workbook(), sec.chart == "bar" ? LXW_CHART_BAR : LXW_CHART_COLUMN);
  if (!chart) return b_.Check(LXW_ERROR_MEMORY_MALLOC_FAILED, "chart");
  lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
  chart_series_set_categories(series, spec_.name.c_str(), first, 0, last, 0);
  chart_series_set_values(series, spec_.name.c_str(), first, 1, last, 1);
  chart_title_set_name(chart, sec.chart_title.c_str());
  chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
  // Charges are money; every other map (findings by rule) is a count.
  const bool money = sec.source == "charges_by_code";
  chart_axis_set_num_format(sec.chart == "bar" ? chart->x_axis : chart->y_axis,
                            money ? b_.layout().money_fmt.c_str() : "0");
  double room = 0;
  for (size_t c = 2; c < spec_.widths.size(); ++c) room += spec_.widths[c] * kPxPerChar + kPxPerColumn;
  lxw_chart_options opt{};
  opt.x_offset = 10;
  opt.x_scale = std::min(1.0, (room - 20) / kChartWidth);
  opt.y_scale = 1.0;
  opt.object_position = LXW_OBJECT_MOVE_DONT_SIZE;
  b_.Check(worksheet_insert_chart_opt(ws_, first - 1, 2, chart, &opt), "chart");
}

}  // namespace

void WriteSummary(Book& book, const SheetSpec& spec) {
  SummaryWriter(book, spec).Write();
}

}  // namespace otp::workbook
