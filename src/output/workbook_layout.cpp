// LoadLayout: templates/workbook.xml, read with pugixml and checked against the fields each
// sheet can show.
#include "output/workbook_layout.h"

#include <algorithm>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>

namespace otp::workbook {
namespace {

const char* const kRowKinds[] = {"summary", "work", "claims", "payments", "held", "findings",
                                 "credentials", "rejects", "audit", "reference"};
const char* const kMapSources[] = {"charges_by_code", "not_billable_by_reason", "findings_by_rule"};
constexpr size_t kMaxHeaderFooter = 200;  // Excel keeps 255 characters of codes and text

Status Bad(const std::string& where, const std::string& what) {
  return Status::Config("templates/workbook.xml: " + where + ": " + what);
}

std::optional<Kind> ParseFormat(std::string_view s) {
  if (s == "text") return Kind::kText;
  if (s == "date") return Kind::kDate;
  if (s == "money") return Kind::kMoney;
  if (s == "integer") return Kind::kInteger;
  return std::nullopt;
}

// "#RRGGBB" → 0xRRGGBB; "" → none; anything else → false.
bool ParseColor(std::string_view s, std::optional<uint32_t>& out) {
  out.reset();
  if (s.empty()) return true;
  if (s.size() != 7 || s[0] != '#') return false;
  uint32_t v = 0;
  for (char ch : s.substr(1)) {
    int d;
    if (ch >= '0' && ch <= '9') d = ch - '0';
    else if (ch >= 'a' && ch <= 'f') d = ch - 'a' + 10;
    else if (ch >= 'A' && ch <= 'F') d = ch - 'A' + 10;
    else return false;
    v = v * 16 + static_cast<uint32_t>(d);
  }
  out = v;
  return true;
}

bool Yes(pugi::xml_node n, const char* attr) { return std::string_view(n.attribute(attr).as_string()) == "yes"; }

Status ParseHighlight(pugi::xml_node h, const std::string& at, Highlight& hl) {
  static const std::map<std::string, Highlight::Op> kOps = {
      {"lt", Highlight::Op::kLt}, {"le", Highlight::Op::kLe}, {"gt", Highlight::Op::kGt},
      {"ge", Highlight::Op::kGe}, {"eq", Highlight::Op::kEq}, {"text", Highlight::Op::kText}};
  auto it = kOps.find(h.attribute("op").as_string());
  if (it == kOps.end()) return Bad(at, "highlight op must be lt, le, gt, ge, eq or text");
  hl.op = it->second;
  if (h.attribute("value").empty()) return Bad(at, "highlight needs a value");
  if (hl.op == Highlight::Op::kText) hl.text = h.attribute("value").as_string();
  else hl.value = h.attribute("value").as_double();
  if (!ParseColor(h.attribute("fill").as_string(), hl.fill) || !ParseColor(h.attribute("font").as_string(), hl.font))
    return Bad(at, "colours are written #RRGGBB");
  return Status::Ok();
}

template <class Row>
Status ParseColumn(pugi::xml_node c, std::span<const FieldDef<Row>> fields, const std::string& where, ColumnSpec& col) {
  col.header = c.attribute("header").as_string();
  col.field = c.attribute("field").as_string();
  const std::string at = where + " column \"" + col.header + "\"";
  const FieldDef<Row>* f = FindField(fields, col.field);
  if (!f) return Bad(at, "unknown field \"" + col.field + "\"");
  auto fmt = ParseFormat(c.attribute("format").as_string("text"));
  if (!fmt) return Bad(at, "format must be text, date, money or integer");
  if (*fmt != Kind::kText && *fmt != f->kind)
    return Bad(at, "field \"" + col.field + "\" cannot be shown as " + c.attribute("format").as_string());
  col.format = *fmt;
  col.width = c.attribute("width").as_double(12);
  if (col.width <= 0 || col.width > 255) return Bad(at, "width must be 1..255");
  col.wrap = Yes(c, "wrap");
  col.terms = Yes(c, "terms");
  for (pugi::xml_node h : c.children("highlight")) {
    Highlight hl;
    OTP_TRY(ParseHighlight(h, at, hl));
    col.highlights.push_back(std::move(hl));
  }
  return Status::Ok();
}

template <class Row>
Status ParseColumns(pugi::xml_node parent, std::span<const FieldDef<Row>> fields, const std::string& where,
                    std::vector<ColumnSpec>& out) {
  for (pugi::xml_node c : parent.children("column")) {
    ColumnSpec col;
    OTP_TRY(ParseColumn(c, fields, where, col));
    out.push_back(std::move(col));
  }
  if (out.empty()) return Bad(where, "no <column>");
  return Status::Ok();
}

// The template's line breaks and indentation, collapsed into single spaces.
std::string Collapse(const std::string& text) {
  std::string out;
  bool space = false;
  for (char ch : text) {
    if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') { space = !out.empty(); continue; }
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

Status ParseItems(pugi::xml_node sec, const std::string& where, SectionSpec& spec) {
  for (pugi::xml_node it : sec.children("item")) {
    ItemSpec item{it.attribute("label").as_string(), it.attribute("field").as_string(), Yes(it, "night-only")};
    if (!FindField(SummaryFields(), item.field)) return Bad(where, "unknown field \"" + item.field + "\"");
    spec.items.push_back(std::move(item));
  }
  if (spec.items.empty()) return Bad(where, "no <item>");
  return Status::Ok();
}

Status AddBand(pugi::xml_node b, const std::string& where, std::vector<BandSpec>& bands) {
  BandSpec band;
  band.label = b.attribute("label").as_string();
  if (!b.attribute("up-to").empty()) band.up_to = b.attribute("up-to").as_int();
  if (!bands.empty() && (!bands.back().up_to || (band.up_to && *band.up_to <= *bands.back().up_to)))
    return Bad(where, "bands must rise, and only the last may have no up-to");
  bands.push_back(std::move(band));
  return Status::Ok();
}

Status LastBandOpen(const std::vector<BandSpec>& bands, const std::string& where) {
  if (bands.empty() || bands.back().up_to) return Bad(where, "the last <band> takes every older item (no up-to)");
  return Status::Ok();
}

Status ParseBands(pugi::xml_node sec, const std::string& where, SectionSpec& spec) {
  for (pugi::xml_node b : sec.children("band")) OTP_TRY(AddBand(b, where, spec.bands));
  return LastBandOpen(spec.bands, where);
}

Status ParseMap(pugi::xml_node sec, const std::string& where, SectionSpec& spec) {
  spec.source = sec.attribute("source").as_string();
  if (std::find(std::begin(kMapSources), std::end(kMapSources), spec.source) == std::end(kMapSources))
    return Bad(where, "unknown source \"" + spec.source + "\"");
  spec.key_header = sec.attribute("key-header").as_string();
  spec.chart = sec.attribute("chart").as_string();
  if (!spec.chart.empty() && spec.chart != "column" && spec.chart != "bar") return Bad(where, "chart must be column or bar");
  spec.chart_title = sec.attribute("chart-title").as_string(spec.title.c_str());
  return Status::Ok();
}

Status ParseSection(pugi::xml_node sec, const std::string& sheet, SectionSpec& spec) {
  spec.kind = sec.attribute("kind").as_string();
  spec.title = sec.attribute("title").as_string();
  const std::string where = "sheet \"" + sheet + "\" section \"" + (spec.title.empty() ? spec.kind : spec.title) + "\"";
  spec.label_header = sec.attribute("label-header").as_string();
  spec.value_header = sec.attribute("value-header").as_string();
  for (auto [attr, field] : {std::pair{"key-header", &spec.key_header}, std::pair{"items-header", &spec.items_header},
                             std::pair{"rows-header", &spec.rows_header}, std::pair{"total-header", &spec.total_header},
                             std::pair{"amount-header", &spec.amount_header}, std::pair{"none", &spec.none},
                             std::pair{"some", &spec.some}})
    *field = sec.attribute(attr).as_string();
  if (spec.kind == "items") return ParseItems(sec, where, spec);
  if (spec.kind == "map") return ParseMap(sec, where, spec);
  if (spec.kind == "work") return ParseBands(sec, where, spec);
  if (spec.kind == "held") return Status::Ok();
  if (spec.kind == "unverified")
    return spec.none.empty() || spec.some.empty() ? Bad(where, "needs none= and some=") : Status::Ok();
  if (spec.kind == "credentials") return ParseColumns(sec, CredentialFields(), where, spec.columns);
  if (spec.kind == "payments") {
    spec.total_label = sec.attribute("total-label").as_string("All facilities");
    return ParseColumns(sec, ReceivableFields(), where, spec.columns);
  }
  if (spec.kind == "notice" || spec.kind == "rerun") {
    spec.text = Collapse(sec.text().get());
    return spec.text.empty() ? Bad(where, "has no text") : Status::Ok();
  }
  return Bad(where, "section kind must be rerun, items, unverified, work, held, map, credentials, payments or notice");
}

// The Summary columns a section's table takes.
size_t ColumnsOf(const SectionSpec& spec) {
  if (spec.kind == "credentials" || spec.kind == "payments") return spec.columns.size();
  if (spec.kind == "work") return spec.bands.size() + 3;  // kind, the bands, open, amount
  if (spec.kind == "held") return 4;                      // reason, sheet rows, service rows, amount
  return 2;
}

Status ParseSummary(pugi::xml_node s, SheetSpec& sheet) {
  std::istringstream widths(s.attribute("widths").as_string());
  for (double w; widths >> w;) {
    if (w <= 0 || w > 255) return Bad("sheet \"" + sheet.name + "\"", "widths must be 1..255");
    sheet.widths.push_back(w);
  }
  if (sheet.widths.size() < 2) return Bad("sheet \"" + sheet.name + "\"", "widths= needs at least two columns");
  for (pugi::xml_node sec : s.children("section")) {
    SectionSpec spec;
    OTP_TRY(ParseSection(sec, sheet.name, spec));
    if (ColumnsOf(spec) > sheet.widths.size())
      return Bad("sheet \"" + sheet.name + "\" section \"" + spec.title + "\"", "wider than the sheet's widths=");
    sheet.sections.push_back(std::move(spec));
  }
  if (sheet.sections.empty()) return Bad("sheet \"" + sheet.name + "\"", "no <section>");
  return Status::Ok();
}

// A table's column; its width is the listing's unless the template gives one.
template <class Row>
Status ParseTableColumn(pugi::xml_node c, std::span<const FieldDef<Row>> fields, const std::string& where,
                        TableSpec& table) {
  ColumnSpec col;
  OTP_TRY(ParseColumn(c, fields, where, col));
  if (c.attribute("width").empty()) col.width = 0;
  table.columns.push_back(std::move(col));
  return Status::Ok();
}

// <receivables>: its columns and age bands, in the order given (a band is a column of money).
Status ParseReceivables(pugi::xml_node t, const std::string& where, TableSpec& table) {
  table.total_label = t.attribute("total-label").as_string("All facilities");
  for (pugi::xml_node c : t.children()) {
    const std::string_view name = c.name();
    if (name == "column") {
      OTP_TRY(ParseTableColumn(c, ReceivableFields(), where, table));
    } else if (name == "band") {
      OTP_TRY(AddBand(c, where, table.bands));
      ColumnSpec col;
      col.header = table.bands.back().label;
      col.width = c.attribute("width").as_double(0);
      col.format = Kind::kMoney;
      col.band = static_cast<int>(table.bands.size() - 1);
      table.columns.push_back(std::move(col));
    } else if (c.type() == pugi::node_element) {
      return Bad(where, "unknown <" + std::string(name) + "> (a <column> or a <band>)");
    }
  }
  if (table.columns.empty()) return Bad(where, "no <column>");
  return LastBandOpen(table.bands, where);
}

Status ParseAdjustmentTable(pugi::xml_node t, const std::string& where, TableSpec& table) {
  for (pugi::xml_node c : t.children("column")) OTP_TRY(ParseTableColumn(c, ProviderAdjustmentFields(), where, table));
  return table.columns.empty() ? Bad(where, "no <column>") : Status::Ok();
}

// The Payments sheet's tables below its claims, each optional.
Status ParseTables(pugi::xml_node s, const std::string& where, SheetSpec& sheet) {
  for (auto [tag, table] : {std::pair{"receivables", &sheet.receivables},
                            std::pair{"provider-adjustments", &sheet.provider_adjustments}}) {
    pugi::xml_node t = s.child(tag);
    if (!t) continue;
    TableSpec& spec = table->emplace();
    spec.title = t.attribute("title").as_string();
    spec.empty = Collapse(t.attribute("empty").as_string());
    const std::string at = where + " <" + tag + ">";
    OTP_TRY(std::string_view(tag) == "receivables" ? ParseReceivables(t, at, spec) : ParseAdjustmentTable(t, at, spec));
  }
  return Status::Ok();
}

// Each column as wide as the widest of the listing's and its tables' (12 when none says).
void FitWidths(SheetSpec& sheet) {
  std::vector<std::vector<ColumnSpec>*> all = {&sheet.columns};
  for (auto* t : {&sheet.receivables, &sheet.provider_adjustments})
    if (*t) all.push_back(&(*t)->columns);
  for (auto* cols : all) {
    if (sheet.widths.size() < cols->size()) sheet.widths.resize(cols->size(), 0);
    for (size_t c = 0; c < cols->size(); ++c) sheet.widths[c] = std::max(sheet.widths[c], (*cols)[c].width);
  }
  for (double& w : sheet.widths)
    if (w <= 0) w = 12;
  for (auto* cols : all)
    for (size_t c = 0; c < cols->size(); ++c) (*cols)[c].width = sheet.widths[c];
}

Status ParseListing(pugi::xml_node s, SheetSpec& sheet) {
  const std::string where = "sheet \"" + sheet.name + "\"";
  const std::string& r = sheet.rows;
  if (r == "work") return ParseColumns(s, WorkFields(), where, sheet.columns);
  if (r == "claims") return ParseColumns(s, ClaimFields(), where, sheet.columns);
  if (r == "payments") {
    OTP_TRY(ParseColumns(s, PaymentFields(), where, sheet.columns));
    return ParseTables(s, where, sheet);
  }
  if (r == "held") return ParseColumns(s, HeldFields(), where, sheet.columns);
  if (r == "findings") return ParseColumns(s, FindingFields(), where, sheet.columns);
  if (r == "credentials") return ParseColumns(s, CredentialFields(), where, sheet.columns);
  if (r == "rejects") return ParseColumns(s, RejectFields(), where, sheet.columns);
  if (r == "audit") return ParseColumns(s, AuditFields(), where, sheet.columns);
  return ParseColumns(s, ReferenceFields(), where, sheet.columns);
}

// A header or footer text with {sheet}, {page}, {pages} as Excel's codes; "&" kept literal.
std::string HeaderFooterCodes(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '&') { out += "&&"; continue; }
    bool placeholder = false;
    for (auto [word, code] : {std::pair{"{sheet}", "&A"}, std::pair{"{pages}", "&N"}, std::pair{"{page}", "&P"}}) {
      if (text.compare(i, std::string_view(word).size(), word) == 0) {
        out += code;
        i += std::string_view(word).size() - 1;
        placeholder = true;
        break;
      }
    }
    if (!placeholder) out += text[i];
  }
  return out;
}

Status ParsePrint(pugi::xml_node p, PrintSpec& print) {
  if (!p) return Bad("root", "no <print>: every sheet must print as the contract says (interface.md §4)");
  const std::string paper = p.attribute("paper").as_string("letter");
  if (paper != "letter" && paper != "a4") return Bad("<print>", "paper must be letter or a4");
  print.paper = paper == "letter" ? 1 : 9;
  print.page_rows = p.attribute("page-rows").as_int(30);
  if (print.page_rows < 10) return Bad("<print>", "page-rows must be at least 10");
  const std::string header = p.attribute("header").as_string(), left = p.attribute("footer-left").as_string(),
                    right = p.attribute("footer-right").as_string();
  if (left.empty()) return Bad("<print>", "footer-left must say that the content is protected by 42 CFR Part 2");
  for (const std::string* t : {&header, &left, &right})
    if (t->size() > kMaxHeaderFooter) return Bad("<print>", "a header or footer text is longer than 200 characters");
  print.header = header.empty() ? "" : "&C" + HeaderFooterCodes(header);
  print.footer = "&L" + HeaderFooterCodes(left) + (right.empty() ? "" : "&R" + HeaderFooterCodes(right));
  return Status::Ok();
}

Status ParseSheets(pugi::xml_node root, Layout& layout) {
  std::set<std::string> seen_rows, seen_names;
  for (pugi::xml_node s : root.children("sheet")) {
    SheetSpec sheet;
    sheet.name = s.attribute("name").as_string();
    sheet.rows = s.attribute("rows").as_string();
    sheet.title = s.attribute("title").as_string();
    sheet.empty = Collapse(s.attribute("empty").as_string());
    const std::string where = "sheet \"" + sheet.name + "\"";
    if (sheet.name.empty()) return Bad("sheet", "a <sheet> has no name");
    if (!seen_names.insert(sheet.name).second) return Bad(where, "named twice");
    if (std::find(std::begin(kRowKinds), std::end(kRowKinds), sheet.rows) == std::end(kRowKinds))
      return Bad(where, "unknown rows=\"" + sheet.rows + "\"");
    if (!seen_rows.insert(sheet.rows).second) return Bad(where, "rows=\"" + sheet.rows + "\" shown twice");
    if (seen_rows.count("reference") && sheet.rows != "reference")
      return Bad(where, "comes after the Reference sheet, which must be last (it lists the terms of the sheets before it)");
    OTP_TRY(sheet.rows == "summary" ? ParseSummary(s, sheet) : ParseListing(s, sheet));
    if (sheet.rows != "summary") FitWidths(sheet);
    layout.sheets.push_back(std::move(sheet));
  }
  for (const char* kind : kRowKinds)
    if (!seen_rows.count(kind)) return Bad("root", std::string("no sheet shows rows=\"") + kind + "\"");
  return Status::Ok();
}

}  // namespace

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
  OTP_TRY(ParsePrint(root.child("print"), layout.print));
  OTP_TRY(ParseSheets(root, layout));
  return layout;
}

}  // namespace otp::workbook
