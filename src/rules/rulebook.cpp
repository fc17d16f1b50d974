// RuleBook: loads and checks codes/ (codes.xml, rates/CY*.csv, localities/CY*.csv, limits.xml)
// and answers the per-line questions billing asks (is this code in force, what does a unit
// cost here). Every problem in codes/ is a Status::Config naming the file and the line, so a
// bad data drop stops the run before anything is written.
#include "rules/rulebook.h"

#include "model/text.h"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "model/types.h"

namespace otp {
namespace {

namespace fs = std::filesystem;

// The limit ids billing and compliance read through LimitValue(): Load() refuses a codes/
// folder without any of them. The numbers themselves live in limits.xml only.
constexpr const char* kRequiredLimits[] = {
    "episode.days",
    "injection_monthly.coverage_days",
    "injection_weekly.coverage_days",
    "naltrexone.coverage_days",
    "implant.coverage_days",
    "takehome.max_units",
    "takehome.max_days",
    "takehome.days_per_unit",
    "counseling.unit_minutes",
    "timed_support.unit_minutes",
    "overdose_med.repeat_days",
    "iop.min_services",
    "claim.max_lines",
    "provisional.max_days",
    "pg1.warning_days",
    "pa1.days",
    "pa2.days",
    "pa3.review_days",
    "pa4.tests_per_year",
    "pa4.year_days",
    "pa5.tier1.max_days",
    "pa5.tier2.from_day",
    "pa5.tier2.max_days",
    "pa5.tier3.from_day",
    "pa5.tier3.max_days",
    "pa6.first_day_max_mg",
    "pa7.interim_max_days",
    "pa7.window_days",
    "pa8.counseling_lookback_days",
    "rt1.retention_days",
};

Status ConfigAt(const std::string& file, int64_t line, const std::string& what) {
  std::string m = file;
  if (line > 0) m += " line " + std::to_string(line);
  m += ": " + what;
  return Status::Config(std::move(m));
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Config(path + ": cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::Config(path + ": read error");
  return ss.str();
}

// ---- strict field parsers ----------------------------------------------------------------------

// digits '.' exactly `decimals` digits, non-negative: "44.41", "0.00", "1.095".
bool IsFixedDecimal(std::string_view s, size_t decimals) {
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return false;
  return AllDigits(s.substr(0, dot)) && s.size() - dot - 1 == decimals &&
         AllDigits(s.substr(dot + 1));
}

std::optional<Money> StrictMoney(std::string_view s) {
  if (!IsFixedDecimal(s, 2)) return std::nullopt;
  return Money::Parse(s);
}

std::optional<Factor> StrictFactor(std::string_view s) {
  if (!IsFixedDecimal(s, 3)) return std::nullopt;
  return Factor::Parse(s);  // also refuses 0.000
}

bool IsHcpcs(std::string_view s) {
  return s.size() == 5 && s[0] >= 'A' && s[0] <= 'Z' && AllDigits(s.substr(1));
}

// "CA-18", or "national".
bool IsLocalityId(std::string_view s) {
  if (s == "national") return true;
  return s.size() == 5 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] == '-' &&
         AllDigits(s.substr(3));
}

std::optional<bool> YesNo(std::string_view s) {
  if (s == "yes") return true;
  if (s == "no") return false;
  return std::nullopt;
}

std::optional<double> StrictNumber(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// ---- a small strict CSV reader for codes/ (RFC 4180 quoting, LF or CRLF) ------------------------

struct CsvRow {
  int64_t line = 0;
  std::vector<std::string> fields;
};

// Splits `text` into rows; blank lines are skipped. A stray quote or an unclosed quoted field is
// an error naming the line.
Status ParseCsv(const std::string& file, std::string_view text, std::vector<CsvRow>& rows) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t i = 0;
  int64_t line = 1;
  while (i < text.size()) {
    CsvRow row;
    row.line = line;
    std::string field;
    bool row_done = false;
    while (!row_done) {
      field.clear();
      if (i < text.size() && text[i] == '"') {  // quoted field
        ++i;
        for (;;) {
          if (i >= text.size()) return ConfigAt(file, row.line, "unclosed quoted field");
          char c = text[i++];
          if (c == '"') {
            if (i < text.size() && text[i] == '"') { field += '"'; ++i; continue; }
            break;
          }
          if (c == '\n') ++line;
          field += c;
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          return ConfigAt(file, line, "text after a closing quote");
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') return ConfigAt(file, line, "quote inside an unquoted field");
          field += text[i++];
        }
      }
      row.fields.push_back(field);
      if (i < text.size() && text[i] == ',') { ++i; continue; }
      if (i < text.size() && text[i] == '\r') ++i;
      if (i < text.size() && text[i] == '\n') { ++i; ++line; }
      row_done = true;
    }
    bool blank = row.fields.size() == 1 && row.fields[0].empty();
    if (!blank) rows.push_back(std::move(row));
  }
  return Status::Ok();
}

// Reads a CSV whose first row must be exactly `header`; every row must have as many fields.
Status ReadTable(const std::string& path, const std::vector<std::string>& header,
                 std::vector<CsvRow>& rows) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  std::vector<CsvRow> all;
  Status st = ParseCsv(path, *text, all);
  if (!st.ok()) return st;
  if (all.empty() || all[0].fields != header) {
    std::string want;
    for (const auto& h : header) want += (want.empty() ? "" : ",") + h;
    return ConfigAt(path, 1, "header must be \"" + want + "\"");
  }
  for (size_t r = 1; r < all.size(); ++r) {
    if (all[r].fields.size() != header.size())
      return ConfigAt(path, all[r].line, "has " + std::to_string(all[r].fields.size()) +
                                             " fields, want " + std::to_string(header.size()));
    rows.push_back(std::move(all[r]));
  }
  return Status::Ok();
}

// The CY<year>.csv files of `dir`, by year. Other files (a README) are ignored.
Result<std::map<int, std::string>> YearFiles(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::Config(dir + ": folder missing");
  std::map<int, std::string> out;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.size() != 10 || name.compare(0, 2, "CY") != 0 || name.compare(6, 4, ".csv") != 0 ||
        !AllDigits(std::string_view(name).substr(2, 4)))
      continue;
    out[std::stoi(name.substr(2, 4))] = e.path().string();
  }
  if (ec) return Status::Config(dir + ": cannot be listed");
  if (out.empty()) return Status::Config(dir + ": no CY<year>.csv file");
  return out;
}

// ---- XML files -----------------------------------------------------------------------------------

int64_t LineOf(std::string_view text, ptrdiff_t offset) {
  if (offset < 0) return 0;
  size_t end = std::min(static_cast<size_t>(offset), text.size());
  return 1 + std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(end), '\n');
}

// One XML file of codes/, read whole: every error names the file and the element's line.
struct XmlFile {
  std::string path, text;
  pugi::xml_document doc;
  pugi::xml_node root;

  // Reads and parses `p`; its root element must be <root_name>.
  Status Open(std::string p, const char* root_name) {
    path = std::move(p);
    auto r = ReadFile(path);
    if (!r.ok()) return r.status();
    text = std::move(r).value();
    pugi::xml_parse_result res = doc.load_buffer(text.data(), text.size());
    if (!res)
      return ConfigAt(path, LineOf(text, res.offset), std::string("not well-formed XML: ") + res.description());
    root = doc.child(root_name);
    if (!root) return ConfigAt(path, 0, std::string("root element must be <") + root_name + ">");
    return Status::Ok();
  }

  int64_t Line(const pugi::xml_node& n) const { return LineOf(text, n.offset_debug()); }
  Status Error(const pugi::xml_node& n, const std::string& what) const { return ConfigAt(path, Line(n), what); }

  // Attribute `name` of `n`, required non-empty.
  Status Require(const pugi::xml_node& n, const char* name, std::string& out) const {
    pugi::xml_attribute a = n.attribute(name);
    if (!a || std::string_view(a.value()).empty())
      return Error(n, std::string("<") + n.name() + "> needs attribute " + name);
    out = a.value();
    return Status::Ok();
  }

  // Calls `each(element)` for every element under the root, in file order (comments skipped);
  // an element not named `child` is refused.
  template <typename F>
  Status ForEach(const char* child, F each) const {
    for (pugi::xml_node n : root.children()) {
      if (n.type() != pugi::node_element) continue;
      if (std::string_view(n.name()) != child)
        return Error(n, std::string("unexpected element <") + n.name() + ">");
      if (Status st = each(n); !st.ok()) return st;
    }
    return Status::Ok();
  }
};

// ---- one entry of each file ----------------------------------------------------------------------

Result<CodeDef> ParseCode(const XmlFile& f, const pugi::xml_node& n) {
  CodeDef def;
  std::string kind, from, cp, source;
  for (auto [attr, out] : {std::pair{"id", &def.code}, {"kind", &kind}, {"effective-from", &from},
                           {"contractor-priced", &cp}, {"descriptor", &def.descriptor},
                           {"source", &source}}) {
    if (Status st = f.Require(n, attr, *out); !st.ok()) return st;
  }
  if (!IsHcpcs(def.code)) return f.Error(n, "bad code id \"" + def.code + "\"");
  if (kind == "drug-bundle") def.kind = CodeKind::kDrugBundle;
  else if (kind == "non-drug-bundle") def.kind = CodeKind::kNonDrugBundle;
  else if (kind == "add-on") def.kind = CodeKind::kAddOn;
  else return f.Error(n, def.code + ": unknown kind \"" + kind + "\" (drug-bundle, non-drug-bundle or add-on)");
  auto d = Date::Parse(from);
  if (!d) return f.Error(n, def.code + ": bad effective-from \"" + from + "\"");
  def.effective_from = *d;
  if (pugi::xml_attribute to = n.attribute("effective-to")) {
    auto t = Date::Parse(to.value());
    if (!t || *t < def.effective_from)
      return f.Error(n, def.code + ": bad effective-to \"" + to.value() + "\"");
    def.effective_to = *t;
  }
  if (cp == "true") def.contractor_priced = true;
  else if (cp == "false") def.contractor_priced = false;
  else return f.Error(n, def.code + ": contractor-priced must be true or false");
  return def;
}

// A rates/CY<year>.csv row; nullopt for a contractor-priced code's empty row (the facility's
// <charge> prices it).
Result<std::optional<RateRow>> ParseRate(const std::string& path, int year, const CsvRow& row,
                                         const RuleBook& rb) {
  const auto& f = row.fields;
  RateRow r;
  r.year = year;
  r.code = f[0];
  const CodeDef* def = rb.Code(r.code);
  if (!def) return ConfigAt(path, row.line, "code " + r.code + " is not in codes.xml");
  if (def->contractor_priced) {
    if (f[1].empty() && f[2].empty()) return std::optional<RateRow>();
    return ConfigAt(path, row.line, r.code + " is contractor-priced: leave its components empty");
  }
  if (Date::FromYmd(year, 12, 31) < def->effective_from)
    return ConfigAt(path, row.line, r.code + " is not in force in CY" + std::to_string(year));
  auto drug = StrictMoney(f[1]);
  if (!drug) return ConfigAt(path, row.line, "bad drug_component \"" + f[1] + "\" (want e.g. 44.41)");
  auto non_drug = StrictMoney(f[2]);
  if (!non_drug)
    return ConfigAt(path, row.line, "bad non_drug_component \"" + f[2] + "\" (want e.g. 232.88)");
  r.drug = *drug;
  r.non_drug = *non_drug;
  r.source = f[3];
  if (r.source.empty()) return ConfigAt(path, row.line, "source is empty");
  auto v = YesNo(f[4]);
  if (!v) return ConfigAt(path, row.line, "verified must be yes or no");
  r.verified = *v;
  return std::optional<RateRow>(std::move(r));
}

Result<Locality> ParseLocality(const std::string& path, int year, const CsvRow& row) {
  const auto& f = row.fields;
  Locality l;
  l.year = year;
  l.id = f[0];
  if (!IsLocalityId(l.id))
    return ConfigAt(path, row.line, "bad locality id \"" + l.id + "\" (want e.g. CA-18 or national)");
  l.name = f[1];
  auto gaf = StrictFactor(f[2]);
  if (!gaf) return ConfigAt(path, row.line, "bad gaf \"" + f[2] + "\" (want three decimals, e.g. 1.095)");
  l.gaf = *gaf;
  if (l.id == "national" && l.gaf.thousandths != 1000)
    return ConfigAt(path, row.line, "national gaf must be 1.000");
  l.source = f[3];
  if (l.source.empty()) return ConfigAt(path, row.line, "source is empty");
  auto v = YesNo(f[4]);
  if (!v) return ConfigAt(path, row.line, "verified must be yes or no");
  l.verified = *v;
  return l;
}

Result<Limit> ParseLimit(const XmlFile& f, const pugi::xml_node& n) {
  Limit lim;
  std::string value;
  for (auto [attr, out] : {std::pair{"id", &lim.id}, {"value", &value}, {"basis", &lim.basis},
                           {"citation", &lim.citation}, {"description", &lim.description}}) {
    if (Status st = f.Require(n, attr, *out); !st.ok()) return st;
  }
  auto v = StrictNumber(value);
  if (!v || *v < 0) return f.Error(n, lim.id + ": bad value \"" + value + "\"");
  lim.value = *v;
  if (lim.basis != "federal" && lim.basis != "program-policy")
    return f.Error(n, lim.id + ": basis must be federal or program-policy");
  return lim;
}

}  // namespace

// ---- Load ----------------------------------------------------------------------------------------

Result<RuleBook> RuleBook::Load(const std::string& dir) {
  RuleBook rb;
  if (Status st = rb.LoadCodes(dir + "/codes.xml"); !st.ok()) return st;
  if (Status st = rb.LoadYears(dir); !st.ok()) return st;
  if (Status st = rb.LoadLimits(dir + "/limits.xml"); !st.ok()) return st;
  return rb;
}

Status RuleBook::LoadCodes(const std::string& path) {
  XmlFile f;
  if (Status st = f.Open(path, "codes"); !st.ok()) return st;
  Status st = f.ForEach("code", [&](const pugi::xml_node& n) -> Status {
    auto def = ParseCode(f, n);
    if (!def.ok()) return def.status();
    if (code_index_.count(def->code)) return f.Error(n, "duplicate code " + def->code);
    code_index_[def->code] = codes_.size();
    codes_.push_back(std::move(def).value());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (codes_.empty()) return ConfigAt(path, 0, "no <code> entries");
  return Status::Ok();
}

// rates/CY<year>.csv and localities/CY<year>.csv; a rates year needs its localities file.
Status RuleBook::LoadYears(const std::string& dir) {
  auto rate_files = YearFiles(dir + "/rates");
  if (!rate_files.ok()) return rate_files.status();
  for (const auto& [year, path] : *rate_files) {
    std::vector<CsvRow> rows;
    if (Status st = ReadTable(path, {"code", "drug_component", "non_drug_component", "source", "verified"}, rows);
        !st.ok())
      return st;
    for (const CsvRow& row : rows) {
      auto r = ParseRate(path, year, row, *this);
      if (!r.ok()) return r.status();
      if (!r->has_value()) continue;
      auto key = std::make_pair(year, (*r)->code);
      if (rates_.count(key)) return ConfigAt(path, row.line, "duplicate code " + key.second);
      rates_.emplace(std::move(key), **r);
    }
  }
  auto loc_files = YearFiles(dir + "/localities");
  if (!loc_files.ok()) return loc_files.status();
  for (const auto& [year, path] : *loc_files) {
    std::vector<CsvRow> rows;
    if (Status st = ReadTable(path, {"id", "name", "gaf", "source", "verified"}, rows); !st.ok()) return st;
    for (const CsvRow& row : rows) {
      auto l = ParseLocality(path, year, row);
      if (!l.ok()) return l.status();
      auto key = std::make_pair(year, l->id);
      if (localities_.count(key)) return ConfigAt(path, row.line, "duplicate locality " + key.second);
      localities_.emplace(std::move(key), std::move(l).value());
    }
  }
  for (const auto& [year, path] : *rate_files) {
    if (!loc_files->count(year))
      return ConfigAt(path, 0, "has no localities/CY" + std::to_string(year) + ".csv beside it");
  }
  return Status::Ok();
}

Status RuleBook::LoadLimits(const std::string& path) {
  XmlFile f;
  if (Status st = f.Open(path, "limits"); !st.ok()) return st;
  Status st = f.ForEach("limit", [&](const pugi::xml_node& n) -> Status {
    auto lim = ParseLimit(f, n);
    if (!lim.ok()) return lim.status();
    if (limits_.count(lim->id)) return f.Error(n, "duplicate limit " + lim->id);
    std::string id = lim->id;
    limits_.emplace(std::move(id), std::move(lim).value());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (const char* id : kRequiredLimits) {
    if (!limits_.count(id)) return ConfigAt(path, 0, std::string("required limit ") + id + " is missing");
  }
  return Status::Ok();
}

// ---- queries -------------------------------------------------------------------------------------

const CodeDef* RuleBook::Code(const std::string& code) const {
  auto it = code_index_.find(code);
  return it == code_index_.end() ? nullptr : &codes_[it->second];
}

bool RuleBook::InForce(const std::string& code, Date dos) const {
  const CodeDef* def = Code(code);
  return def && def->InForce(dos);
}

Result<Price> RuleBook::PriceOf(const std::string& code, Date dos, const std::string& locality,
                                const Facility& facility) const {
  const CodeDef* def = Code(code);
  if (!def) return Status::NotFound("unknown code " + code);
  if (!def->InForce(dos)) return Status::NotFound(code + " is not in force on " + dos.Iso());

  if (def->contractor_priced) {
    auto c = facility.charges.find(code);
    if (c == facility.charges.end()) return Status::NotFound("no facility <charge> for " + code);
    return Price{c->second, code + ": facility charge " + c->second.ToString() + " (contractor-priced)"};
  }

  const int year = dos.year();
  auto r = rates_.find({year, code});
  if (r == rates_.end())
    return Status::NotFound("no CY" + std::to_string(year) + " rate for " + code);
  const RateRow& rate = r->second;

  Factor gaf;  // 1.000
  bool gaf_verified = true;
  auto l = localities_.find({year, locality});
  if (l != localities_.end()) {
    gaf = l->second.gaf;
    gaf_verified = l->second.verified;
  } else if (locality != "national") {
    return Status::NotFound("no CY" + std::to_string(year) + " GAF for locality " + locality);
  }

  Price p;
  p.unit = rate.drug + Scale(rate.non_drug, gaf);
  std::string& s = p.rate_ref;
  s.reserve(128);
  s += "CY";
  s += std::to_string(year);
  s += ' ';
  s += code;
  s += ": drug ";
  s += rate.drug.ToString();
  s += " + non-drug ";
  s += rate.non_drug.ToString();
  s += " x GAF ";
  s += gaf.ToString();
  s += " (";
  s += locality;
  s += ") = ";
  s += p.unit.ToString();
  if (!rate.verified && !gaf_verified) s += " [rate unverified; GAF unverified]";
  else if (!rate.verified) s += " [rate unverified]";
  else if (!gaf_verified) s += " [GAF unverified]";
  else s += " [verified]";
  return p;
}

bool RuleBook::KnowsLocality(const std::string& locality) const {
  if (locality == "national") return true;
  for (const auto& [key, loc] : localities_) {
    if (key.second == locality) return true;
  }
  return false;
}

const Limit* RuleBook::FindLimit(const std::string& id) const {
  auto it = limits_.find(id);
  return it == limits_.end() ? nullptr : &it->second;
}

double RuleBook::LimitValue(const std::string& id) const {
  const Limit* l = FindLimit(id);
  if (!l) throw std::out_of_range("limit " + id + " is not in codes/limits.xml");
  return l->value;
}

std::vector<int> RuleBook::RateYears() const {
  std::vector<int> years;
  for (const auto& [key, row] : rates_) {
    if (years.empty() || years.back() != key.first) years.push_back(key.first);
  }
  return years;
}

}  // namespace otp
