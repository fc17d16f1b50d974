// Book (workbook_book.h): formats, print setup and cell writing shared by the sheet writers.
#include "output/workbook_book.h"

#include <algorithm>
#include <cmath>

namespace otp::workbook {
namespace {

constexpr size_t kMaxCellChars = 32767;  // Excel's limit on a cell's text
constexpr double kLineHeight = 15.0;     // points: one line of the default font
constexpr double kBoldWidth = 1.1;       // bold text (the headers) against regular

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed UTF-8 character at s[i] (RFC 3629: no overlong form, no
// surrogate, nothing above U+10FFFF) whose code point XML 1.0 allows; 0 when there is none.
size_t XmlCharAt(const unsigned char* s, size_t n, size_t i) {
  const unsigned char b = s[i];
  if (b < 0x80) return (b >= 0x20 || b == '\t' || b == '\n' || b == '\r') ? 1 : 0;
  const size_t len = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
  if (len == 0 || i + len > n) return 0;
  uint32_t cp = b & (len == 2 ? 0x1Fu : len == 3 ? 0x0Fu : 0x07u);
  for (size_t k = 1; k < len; ++k) {
    if ((s[i + k] & 0xC0u) != 0x80u) return 0;
    cp = (cp << 6) | (s[i + k] & 0x3Fu);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF) return 0;
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
  return len;
}

// `s` as text an XML part can hold: every byte that does not begin such a character becomes
// U+FFFD. The readers refuse these bytes in input rows; this keeps the workbook well-formed
// whatever else reaches it (a file name, a facility file, a ledger written by another version).
std::string XmlText(const std::string& s) {
  const auto* u = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0;
  while (i < s.size() && u[i] >= 0x20 && u[i] < 0x80) ++i;  // plain ASCII: the common case
  if (i == s.size()) return s;
  std::string out = s.substr(0, i);
  while (i < s.size()) {
    const size_t len = XmlCharAt(u, s.size(), i);
    if (len == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(s, i, len);
      i += len;
    }
  }
  return out;
}

std::string FitCell(const std::string& text) {
  std::string s = XmlText(text);
  if (s.size() <= kMaxCellChars) return s;
  size_t n = kMaxCellChars;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // UTF-8 boundary
  return s.substr(0, n);
}

// `text` as a cell holds it: itself when it is plain ASCII within a cell's length (nearly every
// cell, so nothing is copied), else FitCell's copy kept in `buf`.
const char* CellText(const std::string& text, std::string& buf) {
  const bool plain = text.size() <= kMaxCellChars &&
                     std::all_of(text.begin(), text.end(), [](char ch) {
                       const auto u = static_cast<unsigned char>(ch);
                       return u >= 0x20 && u < 0x80;
                     });
  if (plain) return text.c_str();
  buf = FitCell(text);
  return buf.c_str();
}

lxw_format* TopAligned(lxw_workbook* wb) {
  lxw_format* f = workbook_add_format(wb);
  format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
  return f;
}

// A column `width` wide holds `width` digits of the default font (Calibri 11); letters and
// spaces are narrower. The widths below are Calibri's relative to a digit, and a tenth more is
// kept for the words that wrap early: a row errs toward tall rather than cut.
double CharWidth(unsigned char ch) {
  if (ch >= '0' && ch <= '9') return 1.0;
  if (ch >= 'A' && ch <= 'Z') return 1.1;
  if (ch >= 'a' && ch <= 'z') return 0.8;
  if (ch == ' ') return 0.5;
  if (ch < 0x80) return 0.7;  // punctuation
  return (ch & 0xC0) == 0x80 ? 0.0 : 1.0;  // a character beyond ASCII, counted once
}

}  // namespace

Book::Book(lxw_workbook* wb, const Layout& layout, const WorkbookOptions& options, const ReportData& data)
    : wb_(wb), layout_(layout), options_(options), ctx_{data, ClaimFilesByFacility(data.files)} {
  header = workbook_add_format(wb_);
  format_set_bold(header);
  format_set_bottom(header, LXW_BORDER_THIN);
  format_set_bg_color(header, 0xD9E1F2);
  format_set_text_wrap(header);
  format_set_align(header, LXW_ALIGN_VERTICAL_BOTTOM);
  bold = workbook_add_format(wb_);
  format_set_bold(bold);
  title = workbook_add_format(wb_);
  format_set_bold(title);
  format_set_font_size(title, 14);
  text = TopAligned(wb_);
  wrap = TopAligned(wb_);
  format_set_text_wrap(wrap);
  date = NumFormat(layout.date_fmt);
  money = NumFormat(layout.money_fmt);
  integer = NumFormat(layout.integer_fmt);
  percent = NumFormat(layout.percent_fmt);
  alert = TopAligned(wb_);  // the re-run line
  format_set_text_wrap(alert);
  format_set_bold(alert);
  format_set_bg_color(alert, 0xFFC7CE);
  format_set_font_color(alert, 0x9C0006);
  caution = TopAligned(wb_);  // prices from unverified rates
  format_set_text_wrap(caution);
  format_set_bg_color(caution, 0xFFEB9C);
  format_set_font_color(caution, 0x9C5700);
}

lxw_format* Book::NumFormat(const std::string& f) {
  lxw_format* fmt = TopAligned(wb_);
  format_set_num_format(fmt, f.c_str());
  return fmt;
}

void Book::Check(lxw_error e, const std::string& what) {
  if (e != LXW_NO_ERROR) Fail(Status::Io("cannot write workbook (" + what + "): " + lxw_strerror(e)));
}

lxw_worksheet* Book::AddSheet(const std::string& name, lxw_row_t repeat_to, bool fit_width) {
  if (lxw_error e = workbook_validate_sheet_name(wb_, name.c_str()); e != LXW_NO_ERROR) {
    Fail(Status::Config("workbook sheet name \"" + name + "\": " + lxw_strerror(e)));
    return nullptr;
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb_, name.c_str());
  if (!ws) {
    Fail(Status::Internal("cannot add worksheet " + name));
    return nullptr;
  }
  const PrintSpec& p = layout_.print;
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, p.paper);
  if (fit_width) worksheet_fit_to_pages(ws, 1, 0);  // as many pages long as it takes
  Check(worksheet_repeat_rows(ws, 0, repeat_to), "repeated rows");
  if (!p.header.empty()) Check(worksheet_set_header(ws, p.header.c_str()), "page header");
  Check(worksheet_set_footer(ws, p.footer.c_str()), "page footer");
  return ws;
}

void Book::Text(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const std::string& s, lxw_format* f) {
  if (s.empty()) return;
  // Always a string cell, never a formula, whatever it starts with.
  std::string buf;
  Check(worksheet_write_string(ws, r, c, CellText(s, buf), f), "text");
}

void Book::Write(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const Cell& cell, Kind format, lxw_format* text_fmt) {
  if (cell.blank) return;
  if (cell.kind == Kind::kText) return Text(ws, r, c, cell.text, text_fmt ? text_fmt : text);  // no copy
  if (format == Kind::kText || !cell.text.empty()) return Text(ws, r, c, cell.Display(), text_fmt ? text_fmt : text);
  switch (cell.kind) {
    case Kind::kDate: {
      lxw_datetime dt{cell.date.year(), cell.date.month(), cell.date.day(), 0, 0, 0};
      Check(worksheet_write_datetime(ws, r, c, &dt, date), "date");
      return;
    }
    case Kind::kMoney:
      Check(worksheet_write_number(ws, r, c, static_cast<double>(cell.money.cents()) / 100.0, money), "money");
      return;
    case Kind::kInteger:
      Check(worksheet_write_number(ws, r, c, static_cast<double>(cell.integer), integer), "number");
      return;
    case Kind::kPercent:
      Check(worksheet_write_number(ws, r, c, cell.ratio, percent), "percent");
      return;
    default:
      Text(ws, r, c, cell.Display(), text_fmt ? text_fmt : text);
  }
}

void Book::HeaderRow(lxw_worksheet* ws, lxw_row_t r, const std::vector<ColumnSpec>& cols) {
  int lines = 1;
  for (const ColumnSpec& col : cols) lines = std::max(lines, HeaderLinesFor(col.header, col.width));
  FitRow(ws, r, lines);
  for (size_t c = 0; c < cols.size(); ++c) Text(ws, r, static_cast<lxw_col_t>(c), cols[c].header, header);
}

void Book::FitRow(lxw_worksheet* ws, lxw_row_t r, int lines) {
  if (lines > 1) Check(worksheet_set_row(ws, r, kLineHeight * lines, nullptr), "row height");
}

int Book::HeaderLinesFor(std::string_view text, double width) { return LinesFor(text, width / kBoldWidth); }

int Book::LinesFor(std::string_view text, double width) {
  const double per_line = std::max(1.0, width);
  int lines = 0;
  size_t at = 0;
  while (at <= text.size()) {
    const size_t end = std::min(text.find('\n', at), text.size());
    double w = 0;
    for (size_t i = at; i < end; ++i) w += CharWidth(static_cast<unsigned char>(text[i]));
    lines += std::max(1, static_cast<int>(std::ceil(w * 1.1 / per_line)));
    at = end + 1;
  }
  return std::max(1, lines);
}

lxw_format* Book::HighlightFormat(const Highlight& h) {
  const auto key = std::make_pair(h.fill ? int64_t{*h.fill} : -1, h.font ? int64_t{*h.font} : -1);
  auto it = highlight_formats_.find(key);
  if (it != highlight_formats_.end()) return it->second;
  lxw_format* f = workbook_add_format(wb_);
  if (h.fill) format_set_bg_color(f, *h.fill);
  if (h.font) format_set_font_color(f, *h.font);
  highlight_formats_[key] = f;
  return f;
}

void Book::Highlights(lxw_worksheet* ws, const std::vector<ColumnSpec>& cols, lxw_row_t first, lxw_row_t last) {
  if (last < first) return;
  static const std::map<Highlight::Op, uint8_t> kCriteria = {
      {Highlight::Op::kLt, LXW_CONDITIONAL_CRITERIA_LESS_THAN},
      {Highlight::Op::kLe, LXW_CONDITIONAL_CRITERIA_LESS_THAN_OR_EQUAL_TO},
      {Highlight::Op::kGt, LXW_CONDITIONAL_CRITERIA_GREATER_THAN},
      {Highlight::Op::kGe, LXW_CONDITIONAL_CRITERIA_GREATER_THAN_OR_EQUAL_TO},
      {Highlight::Op::kEq, LXW_CONDITIONAL_CRITERIA_EQUAL_TO},
      {Highlight::Op::kText, LXW_CONDITIONAL_CRITERIA_EQUAL_TO}};
  for (size_t c = 0; c < cols.size(); ++c) {
    for (const Highlight& h : cols[c].highlights) {
      const std::string quoted = "\"" + h.text + "\"";
      lxw_conditional_format cf{};
      cf.type = LXW_CONDITIONAL_TYPE_CELL;
      cf.criteria = kCriteria.at(h.op);
      if (h.op == Highlight::Op::kText) cf.value_string = const_cast<char*>(quoted.c_str());
      else cf.value = h.value;
      cf.format = HighlightFormat(h);
      cf.stop_if_true = LXW_TRUE;
      const auto col = static_cast<lxw_col_t>(c);
      Check(worksheet_conditional_format_range(ws, first, col, last, col, &cf), "conditional format");
    }
  }
}

double Book::Block(lxw_worksheet* ws, lxw_row_t r, lxw_col_t last_col, const std::string& s, double chars_per_line,
                   lxw_format* f) {
  const double lines = LinesFor(s, std::max(20.0, chars_per_line));
  Check(worksheet_set_row(ws, r, kLineHeight * lines, nullptr), "row height");
  Merged(ws, r, 0, last_col, s, f);
  return lines;
}

void Book::Merged(lxw_worksheet* ws, lxw_row_t r, lxw_col_t first, lxw_col_t last, const std::string& s,
                  lxw_format* f) {
  if (first == last) return Text(ws, r, first, s, f);
  std::string buf;
  Check(worksheet_merge_range(ws, r, first, r, last, CellText(s, buf), f), "merged text");
}

void Book::NoteTerms(std::string_view s) {
  constexpr std::string_view kSeparators = " ,;:+/()[]";
  size_t at = 0;
  while (at < s.size()) {
    const size_t end = std::min(s.find_first_of(kSeparators, at), s.size());
    if (end > at) {
      const std::string_view word = s.substr(at, end - at);
      if (terms_.find(word) == terms_.end()) terms_.emplace(word);
    }
    at = end + 1;
  }
}

}  // namespace otp::workbook
