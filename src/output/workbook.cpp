// Compliance workbook writer: loads the layout from templates/workbook.xml (pugixml), checks
// it against the fields each sheet can show, and writes ReportData with libxlsxwriter.
// Only worksheet_write_string / _number / _datetime touch data cells: no formula is ever
// written from data, so text that begins with = + - @ stays text.
#include "output/workbook.h"

#include "output/summary.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <span>
#include <vector>

namespace otp {
namespace {

// ---- cell values ------------------------------------------------------------------------------
enum class Kind { kText, kDate, kMoney, kInteger, kPercent };

std::optional<Kind> ParseFormat(std::string_view s) {
  if (s == "text") return Kind::kText;
  if (s == "date") return Kind::kDate;
  if (s == "money") return Kind::kMoney;
  if (s == "integer") return Kind::kInteger;
  return std::nullopt;
}

struct Cell {
  Kind kind = Kind::kText;
  bool blank = false;
  std::string text;  // kText, or the words shown instead of a number (e.g. "open")
  Date date;
  Money money;
  int64_t integer = 0;
  double ratio = 0;

  std::string Display() const {
    switch (kind) {
      case Kind::kDate: return date.Iso();
      case Kind::kMoney: return money.ToString();
      case Kind::kInteger: return text.empty() ? std::to_string(integer) : text;
      case Kind::kPercent: return text.empty() ? std::to_string(ratio) : text;
      default: return text;
    }
  }
};

Cell TextCell(std::string s) { Cell c; c.text = std::move(s); return c; }
Cell DateCell(Date d) { Cell c; c.kind = Kind::kDate; c.date = d; return c; }
Cell OptDateCell(const std::optional<Date>& d) {
  Cell c; c.kind = Kind::kDate; c.blank = !d; if (d) c.date = *d; return c;
}
Cell MoneyCell(Money m) { Cell c; c.kind = Kind::kMoney; c.money = m; return c; }
Cell IntCell(int64_t n) { Cell c; c.kind = Kind::kInteger; c.integer = n; return c; }
Cell JoinCell(const std::vector<std::string>& parts, const char* sep) {
  std::string s;
  for (const auto& p : parts) { if (!s.empty()) s += sep; s += p; }
  return TextCell(std::move(s));
}

// The report's claim lines as WriteListing reads them.
std::function<Status(const std::function<void(const ClaimRow&)>&)> ClaimLines(const ReportData& d) {
  return [&d](const std::function<void(const ClaimRow&)>& fn) { return d.claims->ForEach(fn); };
}

// ---- the fields each kind of row can show ----------------------------------------------------
template <class Row>
struct FieldDef {
  const char* name;
  Kind kind;
  Cell (*get)(const Row&);
};

const FieldDef<ClaimRow> kClaimFields[] = {
    {"claim_id", Kind::kText, [](const ClaimRow& r) { return TextCell(r.claim->claim_id); }},
    {"facility_id", Kind::kText, [](const ClaimRow& r) { return TextCell(r.claim->facility_id); }},
    {"patient_id", Kind::kText, [](const ClaimRow& r) { return TextCell(r.claim->patient_id); }},
    {"dos", Kind::kDate, [](const ClaimRow& r) { return DateCell(r.line->dos); }},
    {"code", Kind::kText, [](const ClaimRow& r) { return TextCell(r.line->code); }},
    {"modifiers", Kind::kText, [](const ClaimRow& r) { return JoinCell(r.line->modifiers, ":"); }},
    {"units", Kind::kInteger, [](const ClaimRow& r) { return IntCell(r.line->units); }},
    {"charge", Kind::kMoney, [](const ClaimRow& r) { return MoneyCell(r.line->charge); }},
};

const FieldDef<HeldRow> kHeldFields[] = {
    {"facility_id", Kind::kText, [](const HeldRow& r) { return TextCell(r.facility_id); }},
    {"patient_id", Kind::kText, [](const HeldRow& r) { return TextCell(r.patient_id); }},
    {"date", Kind::kDate, [](const HeldRow& r) { return DateCell(r.date); }},
    {"code", Kind::kText, [](const HeldRow& r) { return TextCell(r.code); }},
    {"reason", Kind::kText, [](const HeldRow& r) { return TextCell(r.reason); }},
    {"detail", Kind::kText, [](const HeldRow& r) { return TextCell(r.detail); }},
    {"record_ids", Kind::kText, [](const HeldRow& r) { return JoinCell(r.record_ids, " "); }},
};

const FieldDef<Finding> kFindingFields[] = {
    {"facility_id", Kind::kText, [](const Finding& r) { return TextCell(r.facility_id); }},
    {"patient_id", Kind::kText, [](const Finding& r) { return TextCell(r.patient_id); }},
    {"date", Kind::kDate, [](const Finding& r) { return DateCell(r.date); }},
    {"rule_id", Kind::kText, [](const Finding& r) { return TextCell(r.rule_id); }},
    {"citation", Kind::kText, [](const Finding& r) { return TextCell(r.citation); }},
    {"severity", Kind::kText, [](const Finding& r) { return TextCell(SeverityName(r.severity)); }},
    {"detail", Kind::kText, [](const Finding& r) { return TextCell(r.detail); }},
    {"key", Kind::kText, [](const Finding& r) { return TextCell(r.key); }},
};

Cell DaysToExpiry(int days) {
  if (days == INT_MAX) { Cell c = IntCell(0); c.text = "open"; return c; }
  return IntCell(days);
}

const FieldDef<CredentialStatus> kCredentialFields[] = {
    {"facility_id", Kind::kText, [](const CredentialStatus& r) { return TextCell(r.facility_id); }},
    {"kind", Kind::kText, [](const CredentialStatus& r) { return TextCell(r.kind); }},
    {"number", Kind::kText, [](const CredentialStatus& r) { return TextCell(r.number); }},
    {"status", Kind::kText, [](const CredentialStatus& r) { return TextCell(r.status); }},
    {"expires", Kind::kDate, [](const CredentialStatus& r) { return OptDateCell(r.expires); }},
    {"days_to_expiry", Kind::kInteger,
     [](const CredentialStatus& r) { return DaysToExpiry(r.days_to_expiry); }},
};

// Reject::raw is deliberately absent: the row's text may hold names and MBIs.
const FieldDef<Reject> kRejectFields[] = {
    {"file", Kind::kText, [](const Reject& r) { return TextCell(r.file); }},
    {"line", Kind::kInteger, [](const Reject& r) { return IntCell(r.line); }},
    {"column", Kind::kText, [](const Reject& r) { return TextCell(r.column); }},
    {"reason", Kind::kText, [](const Reject& r) { return TextCell(r.reason); }},
    {"record_id", Kind::kText, [](const Reject& r) { return TextCell(r.record_id); }},
    {"facility_id", Kind::kText, [](const Reject& r) { return TextCell(r.facility_id); }},
};

// The Audit sheet: the same lines as the Claims sheet, with their sources and rules.
const FieldDef<ClaimRow> kAuditFields[] = {
    {"claim_id", Kind::kText, [](const ClaimRow& r) { return TextCell(r.claim->claim_id); }},
    {"line_no", Kind::kInteger, [](const ClaimRow& r) { return IntCell(r.line_no); }},
    {"code", Kind::kText, [](const ClaimRow& r) { return TextCell(r.line->code); }},
    {"source_record_ids", Kind::kText,
     [](const ClaimRow& r) { return JoinCell(r.line->source_record_ids, " "); }},
    {"rule_id", Kind::kText, [](const ClaimRow& r) { return TextCell(r.line->rule_id); }},
    {"edits", Kind::kText, [](const ClaimRow& r) { return JoinCell(r.line->edits, " "); }},
    {"rate_ref", Kind::kText, [](const ClaimRow& r) { return TextCell(r.line->rate_ref); }},
};

Cell RetentionShare(const ReportData& d) {
  Cell c; c.kind = Kind::kPercent;
  if (d.retention.admissions <= 0) { c.text = "n/a"; return c; }
  c.ratio = static_cast<double>(d.retention.retained_90_days) /
            static_cast<double>(d.retention.admissions);
  return c;
}

// Fields of the Summary's kind="items" sections.
const FieldDef<ReportData> kSummaryFields[] = {
    {"as_of", Kind::kDate, [](const ReportData& d) { return DateCell(d.as_of); }},
    {"from", Kind::kDate, [](const ReportData& d) { return DateCell(d.from); }},
    {"to", Kind::kDate, [](const ReportData& d) { return DateCell(d.to); }},
    {"patient_rows_read", Kind::kInteger, [](const ReportData& d) { return IntCell(d.counts.patient_rows_read); }},
    {"patient_rows_rejected", Kind::kInteger, [](const ReportData& d) { return IntCell(d.counts.patient_rows_rejected); }},
    {"service_rows_read", Kind::kInteger, [](const ReportData& d) { return IntCell(d.counts.service_rows_read); }},
    {"accepted", Kind::kInteger, [](const ReportData& d) { return IntCell(d.counts.accepted); }},
    {"rejected", Kind::kInteger, [](const ReportData& d) { return IntCell(d.counts.rejected); }},
    {"billed", Kind::kInteger, [](const ReportData& d) { return IntCell(d.counts.billed); }},
    {"held", Kind::kInteger, [](const ReportData& d) { return IntCell(d.counts.held); }},
    {"not_billable", Kind::kInteger, [](const ReportData& d) { return IntCell(d.counts.not_billable); }},
    {"already_processed", Kind::kInteger, [](const ReportData& d) { return IntCell(d.counts.already_processed); }},
    {"open", Kind::kInteger, [](const ReportData& d) { return IntCell(d.counts.open); }},
    {"claims", Kind::kInteger, [](const ReportData& d) { return IntCell(d.counts.claims); }},
    {"lines", Kind::kInteger, [](const ReportData& d) { return IntCell(d.counts.lines); }},
    {"total_charges", Kind::kMoney, [](const ReportData& d) { return MoneyCell(d.counts.total_charges); }},
    {"counts_add_up", Kind::kText,
     [](const ReportData& d) { return TextCell(CountsAddUp(d.counts) ? "yes" : "NO"); }},
    {"admissions", Kind::kInteger, [](const ReportData& d) { return IntCell(d.retention.admissions); }},
    {"retained_90_days", Kind::kInteger, [](const ReportData& d) { return IntCell(d.retention.retained_90_days); }},
    {"retention_share", Kind::kPercent, RetentionShare},
};

template <class Row>
const FieldDef<Row>* FindField(std::span<const FieldDef<Row>> fields, const std::string& name) {
  for (const auto& f : fields) if (name == f.name) return &f;
  return nullptr;
}

// ---- the layout (templates/workbook.xml) ------------------------------------------------------
struct Highlight {
  uint8_t criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
  bool is_text = false;
  double value = 0;
  std::string text;  // for op="text": the word, quoted for Excel
  lxw_color_t fill = LXW_COLOR_UNSET, font = LXW_COLOR_UNSET;
};

struct ColumnSpec {
  std::string header, field;
  double width = 12;
  Kind format = Kind::kText;
  std::vector<Highlight> highlights;
};

struct ItemSpec { std::string label, field; };

struct SectionSpec {
  std::string kind, title, source, label_header, value_header, chart, chart_title, text;
  std::vector<ItemSpec> items;
  std::vector<ColumnSpec> columns;
};

struct SheetSpec {
  std::string name, rows, title;
  std::vector<ColumnSpec> columns;
  std::vector<SectionSpec> sections;
};

struct Layout {
  std::string date_fmt = "yyyy-mm-dd", money_fmt = "$#,##0.00", integer_fmt = "#,##0",
              percent_fmt = "0.0%";
  std::vector<SheetSpec> sheets;
};

const char* const kRowKinds[] = {"summary", "claims", "held", "findings", "credentials", "rejects", "audit"};
const char* const kMapSources[] = {"charges_by_code", "held_by_reason", "not_billable_by_reason", "findings_by_rule"};

std::optional<lxw_color_t> ParseColor(std::string_view s) {
  if (s.empty()) return LXW_COLOR_UNSET;
  if (s.size() != 7 || s[0] != '#') return std::nullopt;
  lxw_color_t v = 0;
  for (char ch : s.substr(1)) {
    int d;
    if (ch >= '0' && ch <= '9') d = ch - '0';
    else if (ch >= 'a' && ch <= 'f') d = ch - 'a' + 10;
    else if (ch >= 'A' && ch <= 'F') d = ch - 'A' + 10;
    else return std::nullopt;
    v = v * 16 + static_cast<lxw_color_t>(d);
  }
  return v;
}

Status Bad(const std::string& where, const std::string& what) {
  return Status::Config("templates/workbook.xml: " + where + ": " + what);
}

template <class Row>
Status ParseColumns(pugi::xml_node parent, std::span<const FieldDef<Row>> fields,
                    const std::string& where, std::vector<ColumnSpec>& out) {
  for (pugi::xml_node c : parent.children("column")) {
    ColumnSpec col;
    col.header = c.attribute("header").as_string();
    col.field = c.attribute("field").as_string();
    const std::string at = where + " column \"" + col.header + "\"";
    const FieldDef<Row>* f = FindField(fields, col.field);
    if (!f) return Bad(at, "unknown field \"" + col.field + "\"");
    auto fmt = ParseFormat(c.attribute("format").as_string("text"));
    if (!fmt) return Bad(at, "format must be text, date, money or integer");
    if (*fmt != Kind::kText && *fmt != f->kind) {
      return Bad(at, "field \"" + col.field + "\" cannot be shown as " +
                         c.attribute("format").as_string());
    }
    col.format = *fmt;
    col.width = c.attribute("width").as_double(12);
    if (col.width <= 0 || col.width > 255) return Bad(at, "width must be 1..255");
    for (pugi::xml_node h : c.children("highlight")) {
      Highlight hl;
      std::string op = h.attribute("op").as_string();
      if (op == "text") {
        hl.is_text = true;
        std::string word = h.attribute("value").as_string();
        hl.text = "\"" + word + "\"";
      } else {
        static const std::map<std::string, uint8_t> kOps = {
            {"lt", LXW_CONDITIONAL_CRITERIA_LESS_THAN},
            {"le", LXW_CONDITIONAL_CRITERIA_LESS_THAN_OR_EQUAL_TO},
            {"gt", LXW_CONDITIONAL_CRITERIA_GREATER_THAN},
            {"ge", LXW_CONDITIONAL_CRITERIA_GREATER_THAN_OR_EQUAL_TO},
            {"eq", LXW_CONDITIONAL_CRITERIA_EQUAL_TO}};
        auto it = kOps.find(op);
        if (it == kOps.end()) return Bad(at, "highlight op must be lt, le, gt, ge, eq or text");
        hl.criteria = it->second;
        if (h.attribute("value").empty()) return Bad(at, "highlight needs a value");
        hl.value = h.attribute("value").as_double();
      }
      auto fill = ParseColor(h.attribute("fill").as_string());
      auto font = ParseColor(h.attribute("font").as_string());
      if (!fill || !font) return Bad(at, "colours are written #RRGGBB");
      hl.fill = *fill;
      hl.font = *font;
      col.highlights.push_back(hl);
    }
    out.push_back(std::move(col));
  }
  if (out.empty()) return Bad(where, "no <column>");
  return Status::Ok();
}

Status ParseSummary(pugi::xml_node s, SheetSpec& sheet) {
  for (pugi::xml_node sec : s.children("section")) {
    SectionSpec spec;
    spec.kind = sec.attribute("kind").as_string();
    spec.title = sec.attribute("title").as_string();
    const std::string where = "sheet \"" + sheet.name + "\" section \"" + spec.title + "\"";
    spec.label_header = sec.attribute("label-header").as_string();
    spec.value_header = sec.attribute("value-header").as_string();
    if (spec.kind == "items") {
      for (pugi::xml_node it : sec.children("item")) {
        ItemSpec item{it.attribute("label").as_string(), it.attribute("field").as_string()};
        if (!FindField(std::span<const FieldDef<ReportData>>(kSummaryFields), item.field)) {
          return Bad(where, "unknown field \"" + item.field + "\"");
        }
        spec.items.push_back(std::move(item));
      }
      if (spec.items.empty()) return Bad(where, "no <item>");
    } else if (spec.kind == "map") {
      spec.source = sec.attribute("source").as_string();
      if (std::find(std::begin(kMapSources), std::end(kMapSources), spec.source) == std::end(kMapSources)) {
        return Bad(where, "unknown source \"" + spec.source + "\"");
      }
      spec.label_header = sec.attribute("key-header").as_string();
      spec.chart = sec.attribute("chart").as_string();
      if (!spec.chart.empty() && spec.chart != "column" && spec.chart != "bar") {
        return Bad(where, "chart must be column or bar");
      }
      spec.chart_title = sec.attribute("chart-title").as_string(spec.title.c_str());
    } else if (spec.kind == "credentials") {
      Status st = ParseColumns(sec, std::span<const FieldDef<CredentialStatus>>(kCredentialFields),
                               where, spec.columns);
      if (!st.ok()) return st;
    } else if (spec.kind == "notice") {
      spec.text = sec.text().get();
      // Collapse the template's line breaks and indentation into single spaces.
      std::string collapsed;
      bool space = false;
      for (char ch : spec.text) {
        if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') { space = !collapsed.empty(); continue; }
        if (space) collapsed += ' ';
        space = false;
        collapsed += ch;
      }
      spec.text = collapsed;
      if (spec.text.empty()) return Bad(where, "the notice has no text");
    } else {
      return Bad(where, "section kind must be items, map, credentials or notice");
    }
    sheet.sections.push_back(std::move(spec));
  }
  if (sheet.sections.empty()) return Bad("sheet \"" + sheet.name + "\"", "no <section>");
  return Status::Ok();
}

Result<Layout> LoadLayout(FileSystem& fs, const std::string& templates_dir) {
  const std::string path = templates_dir + "/workbook.xml";
  Result<std::string> text = fs.ReadAll(path);
  if (!text.ok()) return Status::Config("cannot read workbook template " + path + ": " + text.status().message());
  pugi::xml_document doc;
  pugi::xml_parse_result pr = doc.load_buffer(text->data(), text->size());
  if (!pr) return Status::Config("workbook template " + path + " is not valid XML: " + pr.description());
  pugi::xml_node root = doc.child("workbook");
  if (!root) return Bad("root", "expected <workbook>");
  Layout layout;
  if (pugi::xml_node f = root.child("formats")) {
    layout.date_fmt = f.attribute("date").as_string(layout.date_fmt.c_str());
    layout.money_fmt = f.attribute("money").as_string(layout.money_fmt.c_str());
    layout.integer_fmt = f.attribute("integer").as_string(layout.integer_fmt.c_str());
    layout.percent_fmt = f.attribute("percent").as_string(layout.percent_fmt.c_str());
  }
  std::set<std::string> seen_rows, seen_names;
  for (pugi::xml_node s : root.children("sheet")) {
    SheetSpec sheet;
    sheet.name = s.attribute("name").as_string();
    sheet.rows = s.attribute("rows").as_string();
    sheet.title = s.attribute("title").as_string();
    const std::string where = "sheet \"" + sheet.name + "\"";
    if (sheet.name.empty()) return Bad("sheet", "a <sheet> has no name");
    if (!seen_names.insert(sheet.name).second) return Bad(where, "named twice");
    if (std::find(std::begin(kRowKinds), std::end(kRowKinds), sheet.rows) == std::end(kRowKinds)) {
      return Bad(where, "unknown rows=\"" + sheet.rows + "\"");
    }
    if (!seen_rows.insert(sheet.rows).second) return Bad(where, "rows=\"" + sheet.rows + "\" shown twice");
    Status st;
    if (sheet.rows == "summary") st = ParseSummary(s, sheet);
    else if (sheet.rows == "claims") st = ParseColumns(s, std::span<const FieldDef<ClaimRow>>(kClaimFields), where, sheet.columns);
    else if (sheet.rows == "held") st = ParseColumns(s, std::span<const FieldDef<HeldRow>>(kHeldFields), where, sheet.columns);
    else if (sheet.rows == "findings") st = ParseColumns(s, std::span<const FieldDef<Finding>>(kFindingFields), where, sheet.columns);
    else if (sheet.rows == "credentials") st = ParseColumns(s, std::span<const FieldDef<CredentialStatus>>(kCredentialFields), where, sheet.columns);
    else if (sheet.rows == "rejects") st = ParseColumns(s, std::span<const FieldDef<Reject>>(kRejectFields), where, sheet.columns);
    else st = ParseColumns(s, std::span<const FieldDef<ClaimRow>>(kAuditFields), where, sheet.columns);
    if (!st.ok()) return st;
    layout.sheets.push_back(std::move(sheet));
  }
  for (const char* kind : kRowKinds) {
    if (!seen_rows.count(kind)) return Bad("root", std::string("no sheet shows rows=\"") + kind + "\"");
  }
  return layout;
}

// ---- writing ----------------------------------------------------------------------------------
constexpr size_t kMaxCellChars = 32767;  // Excel's limit on a cell's text
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

class Writer {
 public:
  Writer(lxw_workbook* wb, const Layout& layout, const WorkbookOptions& opt)
      : wb_(wb), layout_(layout), opt_(opt) {
    header_ = workbook_add_format(wb_);
    format_set_bold(header_);
    format_set_bottom(header_, LXW_BORDER_THIN);
    format_set_bg_color(header_, 0xD9E1F2);
    bold_ = workbook_add_format(wb_);
    format_set_bold(bold_);
    title_ = workbook_add_format(wb_);
    format_set_bold(title_);
    format_set_font_size(title_, 14);
    date_ = NumFormat(layout.date_fmt);
    money_ = NumFormat(layout.money_fmt);
    integer_ = NumFormat(layout.integer_fmt);
    percent_ = NumFormat(layout.percent_fmt);
    wrap_ = workbook_add_format(wb_);
    format_set_text_wrap(wrap_);
    format_set_align(wrap_, LXW_ALIGN_VERTICAL_TOP);
  }

  const Status& status() const { return status_; }

  void WriteAll(const ReportData& d) {
    for (const SheetSpec& s : layout_.sheets) {
      if (!status_.ok()) return;
      if (s.rows == "summary") WriteSummary(s, d);
      else if (s.rows == "claims") WriteListing<ClaimRow>(s, std::span<const FieldDef<ClaimRow>>(kClaimFields), ClaimLines(d));
      else if (s.rows == "held") WriteListing(s, std::span<const FieldDef<HeldRow>>(kHeldFields), d.held);
      else if (s.rows == "findings") WriteListing(s, std::span<const FieldDef<Finding>>(kFindingFields), d.findings);
      else if (s.rows == "credentials") WriteListing(s, std::span<const FieldDef<CredentialStatus>>(kCredentialFields), d.credentials);
      else if (s.rows == "rejects") WriteListing(s, std::span<const FieldDef<Reject>>(kRejectFields), d.rejects);
      else if (s.rows == "audit") WriteListing<ClaimRow>(s, std::span<const FieldDef<ClaimRow>>(kAuditFields), ClaimLines(d));
    }
  }

 private:
  lxw_format* NumFormat(const std::string& f) {
    lxw_format* fmt = workbook_add_format(wb_);
    format_set_num_format(fmt, f.c_str());
    return fmt;
  }

  void Check(lxw_error e, const std::string& what) {
    if (e != LXW_NO_ERROR && status_.ok()) {
      status_ = Status::Io("cannot write workbook (" + what + "): " + lxw_strerror(e));
    }
  }

  lxw_worksheet* AddSheet(const std::string& name) {
    lxw_error e = workbook_validate_sheet_name(wb_, name.c_str());
    if (e != LXW_NO_ERROR) {
      if (status_.ok()) status_ = Status::Config("workbook sheet name \"" + name + "\": " + lxw_strerror(e));
      return nullptr;
    }
    lxw_worksheet* ws = workbook_add_worksheet(wb_, name.c_str());
    if (!ws && status_.ok()) status_ = Status::Internal("cannot add worksheet " + name);
    return ws;
  }

  void WriteText(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const std::string& s, lxw_format* f = nullptr) {
    if (s.empty()) return;
    // Always a string cell (shared or inline string), never a formula, whatever it starts with.
    Check(worksheet_write_string(ws, r, c, FitCell(s).c_str(), f), "text");
  }

  // Writes a cell as the column's format asks (text shows any value in words).
  void WriteCell(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const Cell& cell, Kind format) {
    if (cell.blank) return;
    if (format == Kind::kText || cell.kind == Kind::kText) { WriteText(ws, r, c, cell.Display()); return; }
    switch (cell.kind) {
      case Kind::kDate: {
        lxw_datetime dt{cell.date.year(), cell.date.month(), cell.date.day(), 0, 0, 0};
        Check(worksheet_write_datetime(ws, r, c, &dt, date_), "date");
        return;
      }
      case Kind::kMoney:
        Check(worksheet_write_number(ws, r, c, static_cast<double>(cell.money.cents()) / 100.0, money_), "money");
        return;
      case Kind::kInteger:
        if (!cell.text.empty()) { WriteText(ws, r, c, cell.text); return; }
        Check(worksheet_write_number(ws, r, c, static_cast<double>(cell.integer), integer_), "number");
        return;
      case Kind::kPercent:
        if (!cell.text.empty()) { WriteText(ws, r, c, cell.text); return; }
        Check(worksheet_write_number(ws, r, c, cell.ratio, percent_), "percent");
        return;
      default:
        WriteText(ws, r, c, cell.Display());
    }
  }

  lxw_format* HighlightFormat(const Highlight& h) {
    auto key = std::make_pair(h.fill, h.font);
    auto it = highlight_formats_.find(key);
    if (it != highlight_formats_.end()) return it->second;
    lxw_format* f = workbook_add_format(wb_);
    if (h.fill != LXW_COLOR_UNSET) format_set_bg_color(f, h.fill);
    if (h.font != LXW_COLOR_UNSET) format_set_font_color(f, h.font);
    highlight_formats_[key] = f;
    return f;
  }

  void Highlights(lxw_worksheet* ws, const std::vector<ColumnSpec>& cols, lxw_row_t first, lxw_row_t last) {
    if (last < first) return;
    for (size_t c = 0; c < cols.size(); ++c) {
      for (const Highlight& h : cols[c].highlights) {
        lxw_conditional_format cf{};
        cf.type = LXW_CONDITIONAL_TYPE_CELL;
        cf.criteria = h.is_text ? static_cast<uint8_t>(LXW_CONDITIONAL_CRITERIA_EQUAL_TO) : h.criteria;
        if (h.is_text) cf.value_string = const_cast<char*>(h.text.c_str());
        else cf.value = h.value;
        cf.format = HighlightFormat(h);
        cf.stop_if_true = LXW_TRUE;
        Check(worksheet_conditional_format_range(ws, first, static_cast<lxw_col_t>(c), last,
                                                 static_cast<lxw_col_t>(c), &cf),
              "conditional format");
      }
    }
  }

  void HeaderRow(lxw_worksheet* ws, lxw_row_t r, const std::vector<ColumnSpec>& cols) {
    for (size_t c = 0; c < cols.size(); ++c) WriteText(ws, r, static_cast<lxw_col_t>(c), cols[c].header, header_);
  }

  template <class Row>
  void WriteListing(const SheetSpec& spec, std::span<const FieldDef<Row>> fields, const std::vector<Row>& rows) {
    WriteListing<Row>(spec, fields, [&](const std::function<void(const Row&)>& fn) {
      for (const Row& r : rows) fn(r);
      return Status::Ok();
    });
  }

  // The rows in order, from `for_each`; a sheet that reaches the row limit continues on "Name (2)".
  template <class Row>
  void WriteListing(const SheetSpec& spec, std::span<const FieldDef<Row>> fields,
                    const std::function<Status(const std::function<void(const Row&)>&)>& for_each) {
    std::vector<const FieldDef<Row>*> defs;
    for (const auto& col : spec.columns) defs.push_back(FindField(fields, col.field));
    const int64_t per_sheet = std::max<int64_t>(1, std::min<int64_t>(opt_.max_rows_per_sheet, LXW_ROW_MAX) - 1);
    const lxw_col_t last_col = static_cast<lxw_col_t>(spec.columns.size() - 1);
    int part = 0;
    lxw_worksheet* ws = nullptr;
    lxw_row_t r = 1;
    auto open = [&] {
      std::string name = part == 0 ? spec.name : spec.name + " (" + std::to_string(part + 1) + ")";
      ws = AddSheet(name);
      if (!ws) return;
      for (size_t c = 0; c < spec.columns.size(); ++c) {
        Check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                                   spec.columns[c].width, nullptr),
              "column width");
      }
      worksheet_freeze_panes(ws, 1, 0);
      HeaderRow(ws, 0, spec.columns);
      r = 1;
    };
    auto close = [&] {
      const lxw_row_t last_row = r - 1;
      Check(worksheet_autofilter(ws, 0, 0, last_row, last_col), "autofilter");
      Highlights(ws, spec.columns, 1, last_row);
    };
    open();
    if (!ws) return;
    Status read = for_each([&](const Row& row) {
      if (!ws || !status_.ok()) return;
      if (static_cast<int64_t>(r) - 1 == per_sheet) {
        close();
        ++part;
        open();
        if (!ws) return;
      }
      for (size_t c = 0; c < defs.size(); ++c) WriteCell(ws, r, static_cast<lxw_col_t>(c), defs[c]->get(row), spec.columns[c].format);
      ++r;
    });
    if (!read.ok() && status_.ok()) status_ = read;
    if (ws) close();
  }

  void SectionTitle(lxw_worksheet* ws, lxw_row_t r, const std::string& title) { WriteText(ws, r, 0, title, bold_); }

  void WriteSummary(const SheetSpec& spec, const ReportData& d) {
    lxw_worksheet* ws = AddSheet(spec.name);
    if (!ws) return;
    const double widths[] = {36, 18, 18, 18, 12, 14};
    for (lxw_col_t c = 0; c < 6; ++c) Check(worksheet_set_column(ws, c, c, widths[c], nullptr), "column width");
    WriteText(ws, 0, 0, d.title.empty() ? spec.title : d.title, title_);
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t r = 2;
    for (const SectionSpec& sec : spec.sections) {
      if (!status_.ok()) return;
      SectionTitle(ws, r++, sec.title);
      if (sec.kind == "items") {
        WriteText(ws, r, 0, sec.label_header, header_);
        WriteText(ws, r++, 1, sec.value_header, header_);
        for (const ItemSpec& item : sec.items) {
          const FieldDef<ReportData>* f = FindField(std::span<const FieldDef<ReportData>>(kSummaryFields), item.field);
          WriteText(ws, r, 0, item.label);
          WriteCell(ws, r++, 1, f->get(d), f->kind);
        }
      } else if (sec.kind == "map") {
        WriteText(ws, r, 0, sec.label_header, header_);
        WriteText(ws, r++, 1, sec.value_header, header_);
        const lxw_row_t first = r;
        if (sec.source == "charges_by_code") {
          for (const auto& [k, v] : d.counts.charges_by_code) { WriteText(ws, r, 0, k); WriteCell(ws, r++, 1, MoneyCell(v), Kind::kMoney); }
        } else {
          const auto& m = sec.source == "held_by_reason" ? d.counts.held_by_reason
                          : sec.source == "not_billable_by_reason" ? d.counts.not_billable_by_reason
                                                                   : d.counts.findings_by_rule;
          for (const auto& [k, v] : m) { WriteText(ws, r, 0, k); WriteCell(ws, r++, 1, IntCell(v), Kind::kInteger); }
        }
        if (r == first) {
          WriteText(ws, r++, 0, "(none)");
        } else if (!sec.chart.empty()) {
          Chart(ws, spec.name, sec, first - 2, first, r - 1);
        }
      } else if (sec.kind == "credentials") {
        HeaderRow(ws, r++, sec.columns);
        const lxw_row_t first = r;
        std::vector<const FieldDef<CredentialStatus>*> defs;
        for (const auto& col : sec.columns) defs.push_back(FindField(std::span<const FieldDef<CredentialStatus>>(kCredentialFields), col.field));
        for (const CredentialStatus& cs : d.credentials) {
          for (size_t c = 0; c < defs.size(); ++c) WriteCell(ws, r, static_cast<lxw_col_t>(c), defs[c]->get(cs), sec.columns[c].format);
          ++r;
        }
        if (r == first) WriteText(ws, r++, 0, "(none)");
        else Highlights(ws, sec.columns, first, r - 1);
      } else if (sec.kind == "notice") {
        const double chars_per_line = 110;  // the merged width A:F, roughly
        const double lines = static_cast<double>(sec.text.size()) / chars_per_line + 2;
        Check(worksheet_set_row(ws, r, 15.0 * lines, nullptr), "row height");
        Check(worksheet_merge_range(ws, r, 0, r, 5, FitCell(sec.text).c_str(), wrap_), "notice");
        ++r;
      }
      ++r;  // a blank row between sections
    }
  }

  void Chart(lxw_worksheet* ws, const std::string& sheet, const SectionSpec& sec, lxw_row_t at,
             lxw_row_t first, lxw_row_t last) {
    lxw_chart* chart = workbook_add_chart(wb_, sec.chart == "bar" ? LXW_CHART_BAR : LXW_CHART_COLUMN);
    if (!chart) { Check(LXW_ERROR_MEMORY_MALLOC_FAILED, "chart"); return; }
    lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
    chart_series_set_categories(series, sheet.c_str(), first, 0, last, 0);
    chart_series_set_values(series, sheet.c_str(), first, 1, last, 1);
    chart_title_set_name(chart, sec.chart_title.c_str());
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    // Charges are money; every other map (holds, findings by rule) is a count.
    const bool money = sec.source == "charges_by_code";
    chart_axis_set_num_format(sec.chart == "bar" ? chart->x_axis : chart->y_axis,
                              money ? layout_.money_fmt.c_str() : "0");
    Check(worksheet_insert_chart(ws, at, 7, chart), "chart");
  }

  lxw_workbook* wb_;
  const Layout& layout_;
  const WorkbookOptions& opt_;
  Status status_;
  lxw_format *header_, *bold_, *title_, *date_, *money_, *integer_, *percent_, *wrap_;
  std::map<std::pair<lxw_color_t, lxw_color_t>, lxw_format*> highlight_formats_;
};

}  // namespace

Status WriteWorkbook(const ReportData& data, const std::string& templates_dir, FileSystem& fs,
                     const std::string& path) {
  return WriteWorkbook(data, templates_dir, fs, path, WorkbookOptions{});
}

Status WriteWorkbook(const ReportData& data, const std::string& templates_dir, FileSystem& fs,
                     const std::string& path, const WorkbookOptions& options) {
  Result<Layout> layout = LoadLayout(fs, templates_dir);
  if (!layout.ok()) return layout.status();

  // The temporary file is made new and 0600 before libxlsxwriter opens it ("wb" keeps the
  // mode), so the protected health information in it is never readable by others, even for a
  // moment, and its name is one no link can have been planted at.
  auto made = fs.MakeTemp(path);
  if (!made.ok()) return made.status();
  const std::string temp = made.value();

  // constant_memory: rows go to disk as they are written (a 1M-row Claims sheet stays small in
  // memory); its scratch files go beside the output, not in a shared /tmp.
  std::string tmpdir = std::filesystem::path(path).parent_path().string();
  if (tmpdir.empty()) tmpdir = ".";
  const int64_t claim_lines = data.claims->lines();
  int64_t total_rows = static_cast<int64_t>(data.held.size() + data.findings.size() + data.rejects.size()) +
                       2 * claim_lines;
  lxw_workbook_options opts{};
  opts.constant_memory = LXW_TRUE;
  opts.tmpdir = tmpdir.data();
  opts.use_zip64 = total_rows > 1000000 ? LXW_TRUE : LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(temp.c_str(), &opts);
  if (!wb) {
    (void)fs.Remove(temp);  // nothing to take back if it is not there
    return Status::Io("cannot start workbook " + path);
  }
  Status st;
  {
    Writer writer(wb, *layout, options);
    writer.WriteAll(data);
    st = writer.status();
  }
  lxw_error closed = workbook_close(wb);  // writes the file and frees the workbook
  if (st.ok() && closed != LXW_NO_ERROR) {
    st = Status::Io("cannot write workbook " + path + ": " + lxw_strerror(closed));
  }
  if (!st.ok()) {
    (void)fs.Remove(temp);  // the failure reported is the write's
    return st;
  }
  return fs.Publish(temp, path);
}

}  // namespace otp
