// RuleBook: loads and checks codes/ (codes.xml, rates/CY*.csv, localities/CY*.csv, limits.xml,
// services.xml) and answers the per-line questions billing asks (how is this service billed, is
// this code in force, what does a unit cost here). Every problem in codes/ is a Status::Config naming the file and the line, so a
// bad data drop stops the run before anything is written.
#include "rules/rulebook.h"
#include "rules/xml_file.h"

#include "model/text.h"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "model/types.h"

namespace otp {
namespace {

namespace fs = std::filesystem;

// The limit ids billing, compliance and the Payments sheet read through LimitValue(): Load() refuses a codes/
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
    "pa4.initial_days",
    "pa4.interim_further_tests",
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
    "payments.written_days",
    "payments.recent_days",
    "quantity.max_integer_digits",
    "quantity.max_decimals",
};

// The rule ids of billing-rules.md and compliance-rules.md: findings, holds and lines name them,
// so Load() refuses a rules.xml without any of them. Citations and words live in rules.xml only.
constexpr const char* kRequiredRules[] = {
    "EP-1", "EP-2", "EP-3",
    "BU-1", "BU-2", "BU-3", "BU-4", "BU-4-overlap", "BU-5",
    "AD-1", "AD-2", "AD-3", "AD-4", "AD-5", "AD-6", "AD-7", "TH-1", "TH-1-cap",
    "CL-1", "CL-2", "CL-3", "CL-4", "CL-5", "CL-6", "CL-7",
    "SC-1", "SC-2", "SC-3", "SC-4", "SC-5", "SC-6",
    "PG-1", "PG-2",
    "PA-1", "PA-2", "PA-3", "PA-4", "PA-5", "PA-6", "PA-7", "PA-8",
    "RT-1",
};

// Every reason the code gives a row or line, every kind of work item, and the rules that raise
// findings of their own: each needs its words and next step in reasons.xml.
constexpr std::pair<const char*, const char*> kRequiredReasons[] = {
    {"hold", "late-record"}, {"hold", "record-changed"}, {"hold", "no-oud-diagnosis"},
    {"hold", "addon-without-bundle"}, {"hold", "intake-repeat"}, {"hold", "audio-methadone-intake"},
    {"hold", "takehome-mismatch"}, {"hold", "overdose-med-repeat"}, {"hold", "code-not-in-force"},
    {"hold", "no-price"}, {"hold", "gate:samhsa-certification"}, {"hold", "gate:accreditation"},
    {"hold", "gate:dea-registration"}, {"hold", "gate:state-license"}, {"hold", "gate:medicare-enrollment"},
    {"hold", "duplicate-beneficiary"}, {"hold", "SC-1"}, {"hold", "SC-2"}, {"hold", "SC-4"}, {"hold", "SC-5"},
    {"open", "takehome-awaiting-weeks"}, {"not-billable", "payer"}, {"not-billable", "compliance-event"},
    {"item", "rejected-row"}, {"item", "claim-rejected"}, {"item", "claim-denied"}, {"item", "remit-unmatched"}, {"item", "remit-unreadable"},
    {"finding", "PG-1"}, {"finding", "PG-2"}, {"finding", "PA-1"}, {"finding", "PA-2"}, {"finding", "PA-3"},
    {"finding", "PA-4"}, {"finding", "PA-5"}, {"finding", "PA-6"}, {"finding", "PA-7"}, {"finding", "PA-8"},
    {"finding", "RT-1"}, {"finding", "BU-4-overlap"}, {"finding", "TH-1-cap"},
};

// Reads a file of codes/; its name and bytes go into `fingerprint` (RuleBook::Fingerprint).
Result<std::string> ReadFile(const std::string& path, uint64_t& fingerprint) {
  OTP_ASSIGN_OR_RETURN(std::string text, ReadConfigText(path));
  const std::filesystem::path name = std::filesystem::path(path);
  fingerprint = Fnv1a(text, Fnv1a((name.parent_path().filename() / name.filename()).string(), fingerprint));
  return text;
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

// Two capital letters, '-', a number without a leading zero, then any "-word" of lower-case
// letters: "EP-1", "BU-4-overlap", "TH-1-cap".
bool IsRuleId(std::string_view s) {
  if (s.size() < 4 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' || s[2] != '-' || s[3] == '0')
    return false;
  size_t i = 3;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 3) return false;
  while (i < s.size()) {
    if (s[i] != '-' || i + 1 == s.size()) return false;
    size_t j = ++i;
    while (i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
    if (i == j) return false;
  }
  return true;
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
Status ReadTable(const std::string& path, const std::vector<std::string>& header, std::vector<CsvRow>& rows,
                 uint64_t& fingerprint) {
  auto text = ReadFile(path, fingerprint);
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

// Reads `path` into `f` (root <root_name>); its name and bytes go into `fingerprint`.
Status OpenXml(XmlFile& f, const std::string& path, const char* root_name, uint64_t& fingerprint) {
  OTP_ASSIGN_OR_RETURN(std::string text, ReadFile(path, fingerprint));
  return f.Parse(path, std::move(text), root_name);
}

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
  std::string units;
  if (Status st = f.Require(n, "max-units", units); !st.ok()) return st;
  if (units.size() > 3 || !AllDigits(units) || std::stoi(units) < 1)
    return f.Error(n, def.code + ": max-units must be a whole number from 1 to 999");
  def.max_units = std::stoi(units);
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

// The units a <quantity-limit> may name: what interface.md §1.3 says a quantity is.
constexpr std::string_view kQuantityUnits[] = {"minutes", "days", "mg", "count"};

// A bound's min or max: a plain decimal the mechanism can hold ("1440", "0.4"; no exponent).
std::optional<int64_t> BoundMicros(std::string_view v) {
  DecimalRead d = ReadDecimal(v, kQuantityMaxIntegerDigits, kQuantityMaxDecimals);
  if (d.problem != DecimalProblem::kNone) return std::nullopt;
  return d.micros;
}

Result<QuantityLimit> ParseQuantityLimit(const XmlFile& f, const pugi::xml_node& n) {
  QuantityLimit q;
  std::string min, max;
  for (auto [attr, out] : {std::pair{"id", &q.id}, {"unit", &q.unit}, {"min", &min}, {"max", &max},
                           {"basis", &q.basis}, {"citation", &q.citation}, {"description", &q.description}}) {
    if (Status st = f.Require(n, attr, *out); !st.ok()) return st;
  }
  if (Status st = f.OnlyAttrs(n, {"id", "unit", "min", "max", "basis", "citation", "description"}); !st.ok())
    return st;
  if (std::find(std::begin(kQuantityUnits), std::end(kQuantityUnits), q.unit) == std::end(kQuantityUnits))
    return f.Error(n, q.id + ": unknown unit \"" + q.unit + "\" (minutes, days, mg or count)");
  auto lo = BoundMicros(min);
  if (!lo) return f.Error(n, q.id + ": bad min \"" + min + "\" (a plain decimal, e.g. 1 or 0.5)");
  auto hi = BoundMicros(max);
  if (!hi) return f.Error(n, q.id + ": bad max \"" + max + "\" (a plain decimal, e.g. 1440)");
  if (*hi == 0 || *lo > *hi) return f.Error(n, q.id + ": min " + min + " and max " + max + " leave no quantity");
  q.min_micros = *lo;
  q.max_micros = *hi;
  if (q.basis != "federal" && q.basis != "program-policy")
    return f.Error(n, q.id + ": basis must be federal or program-policy");
  q.line = f.Line(n);
  return q;
}

// The digits of a quantity (limits.xml quantity.max_integer_digits, quantity.max_decimals): whole
// numbers the mechanism can hold (model/quantity.h).
Status CheckDigitLimit(const XmlFile& f, const pugi::xml_node& n, const Limit& lim) {
  const double most = lim.id == "quantity.max_decimals" ? kQuantityMaxDecimals : kQuantityMaxIntegerDigits;
  const double least = lim.id == "quantity.max_decimals" ? 0 : 1;
  if (lim.value != std::floor(lim.value) || lim.value < least || lim.value > most)
    return f.Error(n, lim.id + ": value must be a whole number from " + std::to_string(static_cast<int>(least)) +
                          " to " + std::to_string(static_cast<int>(most)));
  return Status::Ok();
}

// Digits before and after the point of a bound, as the reader would count them.
std::pair<size_t, size_t> DigitsOf(int64_t micros) {
  std::string t = MicrosText(micros);
  size_t dot = t.find('.');
  if (dot == std::string::npos) return {t.size(), 0};
  return {dot, t.size() - dot - 1};
}

// ---- services.xml --------------------------------------------------------------------------------

constexpr std::pair<std::string_view, ServiceRole> kRoleWords[] = {
    {"drug", ServiceRole::kDrug},
    {"take-home", ServiceRole::kTakeHome},
    {"bundle-service", ServiceRole::kBundleService},
    {"intake", ServiceRole::kIntake},
    {"assessment", ServiceRole::kAssessment},
    {"overdose-med", ServiceRole::kOverdoseMed},
    {"iop", ServiceRole::kIop},
    {"timed-support", ServiceRole::kTimedSupport},
    {"compliance-only", ServiceRole::kComplianceOnly},
};

std::string_view RoleWord(ServiceRole r) {
  for (const auto& [word, role] : kRoleWords)
    if (role == r) return word;
  return "?";
}

std::string_view KindWord(CodeKind k) {
  switch (k) {
    case CodeKind::kDrugBundle: return "drug-bundle";
    case CodeKind::kNonDrugBundle: return "non-drug-bundle";
    default: return "add-on";
  }
}

// A role must fit the word's group in interface.md §1.3: the groups decide what starts an
// episode (EP-1) and what compliance reads, the role what billing does with the row.
bool RoleFitsGroup(ServiceRole r, ServiceGroup g) {
  switch (g) {
    case ServiceGroup::kOnSiteMedication: return r == ServiceRole::kDrug;
    case ServiceGroup::kTakeHome: return r == ServiceRole::kTakeHome;
    case ServiceGroup::kBundleService: return r == ServiceRole::kBundleService;
    case ServiceGroup::kComplianceOnly: return r == ServiceRole::kComplianceOnly;
    case ServiceGroup::kAddOn:
      return r == ServiceRole::kIntake || r == ServiceRole::kAssessment || r == ServiceRole::kOverdoseMed ||
             r == ServiceRole::kIop || r == ServiceRole::kTimedSupport;
  }
  return false;
}

std::string_view GroupWords(ServiceGroup g) {
  switch (g) {
    case ServiceGroup::kOnSiteMedication: return "an on-site medication";
    case ServiceGroup::kTakeHome: return "a take-home supply";
    case ServiceGroup::kBundleService: return "a non-drug bundle service";
    case ServiceGroup::kAddOn: return "an add-on service";
    default: return "an event that is not billed";
  }
}

// The roles of kRoleWords that `keep` selects, as "a, b or c".
template <typename Pred>
std::string RoleList(Pred keep) {
  std::vector<std::string_view> words;
  for (const auto& [word, role] : kRoleWords)
    if (keep(role)) words.push_back(word);
  std::string out;
  for (size_t i = 0; i < words.size(); ++i)
    out.append(i == 0 ? "" : i + 1 == words.size() ? " or " : ", ").append(words[i]);
  return out;
}

// The kind of code a role bills; nullopt: the role bills no code of its own.
std::optional<CodeKind> CodeKindOf(ServiceRole r) {
  if (r == ServiceRole::kBundleService || r == ServiceRole::kComplianceOnly) return std::nullopt;
  return r == ServiceRole::kDrug ? CodeKind::kDrugBundle : CodeKind::kAddOn;
}

// The optional <service> attributes, and the roles that read them: on any other role the
// engine would ignore them, so they are refused there.
constexpr std::string_view kServiceOptions[] = {"coverage-limit", "supplements", "units-from-quantity",
                                                "counseling", "methadone"};
bool AttrFits(std::string_view attr, ServiceRole r) {
  if (attr == "coverage-limit") return r == ServiceRole::kDrug;
  if (attr == "supplements") return r == ServiceRole::kTakeHome;
  if (attr == "units-from-quantity") return r == ServiceRole::kOverdoseMed;
  if (attr == "counseling") return r == ServiceRole::kBundleService;
  if (attr == "methadone") return r == ServiceRole::kDrug || r == ServiceRole::kTakeHome;
  return false;
}

// `code` (attribute `attr` of the entry `who`) is in codes.xml and of kind `want`.
Status CheckCodeKind(const XmlFile& f, const pugi::xml_node& n, const std::string& who, const char* attr,
                     const std::string& code, CodeKind want, const RuleBook& rb) {
  const CodeDef* def = rb.Code(code);
  if (!def) return f.Error(n, who + ": " + attr + " " + code + " is not in codes.xml");
  if (def->kind != want)
    return f.Error(n, who + ": " + attr + " " + code + " is of kind " + std::string(KindWord(def->kind)) +
                          ", want " + std::string(KindWord(want)));
  return Status::Ok();
}

// The optional attributes of a <service> whose role is known.
Status ReadServiceOptions(const XmlFile& f, const pugi::xml_node& n, const std::string& word,
                          ServiceBilling& b, const RuleBook& rb) {
  for (pugi::xml_attribute a : n.attributes()) {
    std::string_view name = a.name();
    if (name == "word" || name == "role" || name == "code" || name == "quantity-limit" || name == "source")
      continue;
    if (std::find(std::begin(kServiceOptions), std::end(kServiceOptions), name) == std::end(kServiceOptions))
      return f.Error(n, "<service> has unknown attribute " + std::string(name));
    if (!AttrFits(name, b.role))
      return f.Error(n, word + ": " + std::string(name) + " does not apply to role " + std::string(RoleWord(b.role)));
  }
  if (pugi::xml_attribute a = n.attribute("coverage-limit")) {
    b.coverage_limit = a.value();
    if (!rb.FindLimit(b.coverage_limit))
      return f.Error(n, word + ": coverage-limit " + b.coverage_limit + " is not in limits.xml");
  }
  for (auto [attr, out] : {std::pair{"units-from-quantity", &b.units_from_quantity},
                           {"counseling", &b.counseling}, {"methadone", &b.methadone}}) {
    if (Status st = f.Bool(n, attr, *out); !st.ok()) return st;
  }
  return Status::Ok();
}

// The code a <service> bills, and for a take-home the drug bundle it supplements.
Status ReadServiceCodes(const XmlFile& f, const pugi::xml_node& n, const std::string& word,
                        ServiceBilling& b, const RuleBook& rb) {
  std::optional<CodeKind> want = CodeKindOf(b.role);
  if (!want) {
    if (n.attribute("code"))
      return f.Error(n, word + ": role " + std::string(RoleWord(b.role)) + " bills no code of its own");
    return Status::Ok();
  }
  if (Status st = f.Require(n, "code", b.code); !st.ok()) return st;
  if (Status st = CheckCodeKind(f, n, word, "code", b.code, *want, rb); !st.ok()) return st;
  if (b.role != ServiceRole::kTakeHome) return Status::Ok();
  if (Status st = f.Require(n, "supplements", b.takehome_bundle); !st.ok()) return st;
  return CheckCodeKind(f, n, word, "supplements", b.takehome_bundle, CodeKind::kDrugBundle, rb);
}

// The quantity-limit every <service> names (SC-6): a <quantity-limit> of limits.xml whose unit is
// what the role reads the quantity as (TH-1 days, AD-3/AD-6 minutes, AD-4 mg units).
Status ReadQuantityLimit(const XmlFile& f, const pugi::xml_node& n, const std::string& word, ServiceBilling& b,
                         const RuleBook& rb) {
  if (Status st = f.Require(n, "quantity-limit", b.quantity_limit); !st.ok()) return st;
  const QuantityLimit* q = rb.FindQuantityLimit(b.quantity_limit);
  if (!q) return f.Error(n, word + ": quantity-limit " + b.quantity_limit + " is not a <quantity-limit> in limits.xml");
  std::string_view want;
  if (b.role == ServiceRole::kTakeHome) want = "days";
  else if (b.role == ServiceRole::kTimedSupport || b.counseling) want = "minutes";
  else if (b.units_from_quantity) want = "mg";
  if (!want.empty() && q->unit != want)
    return f.Error(n, word + ": quantity-limit " + q->id + " is in " + q->unit + "; role " +
                          std::string(RoleWord(b.role)) + " reads the quantity as " + std::string(want));
  return Status::Ok();
}

Result<std::pair<Service, ServiceBilling>> ParseServiceEntry(const XmlFile& f, const pugi::xml_node& n,
                                                             const RuleBook& rb) {
  std::string word, role;
  ServiceBilling b;
  for (auto [attr, out] : {std::pair{"word", &word}, {"role", &role}, {"source", &b.source}}) {
    if (Status st = f.Require(n, attr, *out); !st.ok()) return st;
  }
  std::optional<Service> s = ParseService(word);
  if (!s) return f.Error(n, "\"" + word + "\" is not a word of the services.csv vocabulary");
  auto r = std::find_if(std::begin(kRoleWords), std::end(kRoleWords), [&](const auto& e) { return e.first == role; });
  if (r == std::end(kRoleWords))
    return f.Error(n, word + ": unknown role \"" + role + "\" (" + RoleList([](ServiceRole) { return true; }) + ")");
  b.role = r->second;
  const ServiceGroup group = GroupOf(*s);
  if (!RoleFitsGroup(b.role, group))
    return f.Error(n, word + ": role " + role + " does not fit " + std::string(GroupWords(group)) + " (want " +
                          RoleList([&](ServiceRole x) { return RoleFitsGroup(x, group); }) + ")");
  if (Status st = ReadServiceOptions(f, n, word, b, rb); !st.ok()) return st;
  if (Status st = ReadServiceCodes(f, n, word, b, rb); !st.ok()) return st;
  if (Status st = ReadQuantityLimit(f, n, word, b, rb); !st.ok()) return st;
  return std::pair{*s, std::move(b)};
}

// An <episode-code part code source/>: (part, code).
Result<std::pair<std::string, std::string>> ParseEpisodeCode(const XmlFile& f, const pugi::xml_node& n,
                                                              const RuleBook& rb) {
  std::string part, code, source;
  for (auto [attr, out] : {std::pair{"part", &part}, {"code", &code}, {"source", &source}}) {
    if (Status st = f.Require(n, attr, *out); !st.ok()) return st;
  }
  if (Status st = f.OnlyAttrs(n, {"part", "code", "source"}); !st.ok()) return st;
  CodeKind want;
  if (part == "non-drug-bundle") want = CodeKind::kNonDrugBundle;
  else if (part == "counseling-beyond-plan") want = CodeKind::kAddOn;
  else return f.Error(n, "unknown part \"" + part + "\" (non-drug-bundle or counseling-beyond-plan)");
  if (Status st = CheckCodeKind(f, n, "part " + part, "code", code, want, rb); !st.ok()) return st;
  return std::pair{std::move(part), std::move(code)};
}

// A <telehealth-modifier modality code source/>: (modality, code). A modifier is two letters or
// digits (the 837P's SV101-3); in_person carries none, so it has no entry.
Result<std::pair<Modality, std::string>> ParseTelehealthModifier(const XmlFile& f, const pugi::xml_node& n) {
  std::string modality, code, source;
  for (auto [attr, out] : {std::pair{"modality", &modality}, {"code", &code}, {"source", &source}}) {
    if (Status st = f.Require(n, attr, *out); !st.ok()) return st;
  }
  if (Status st = f.OnlyAttrs(n, {"modality", "code", "source"}); !st.ok()) return st;
  std::optional<Modality> m = ParseModality(modality);
  if (!m || *m == Modality::kInPerson)
    return f.Error(n, "modality \"" + modality + "\" is not video or audio (in_person carries no modifier)");
  if (code.size() != 2 || !std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
      }))
    return f.Error(n, modality + ": modifier \"" + code + "\" is not two capital letters or digits (e.g. 95)");
  return std::pair{*m, std::move(code)};
}

// ---- rules.xml -----------------------------------------------------------------------------------

Result<RuleText> ParseRule(const XmlFile& f, const pugi::xml_node& n) {
  RuleText r;
  for (auto [attr, out] : {std::pair{"id", &r.id}, {"citation", &r.citation}, {"words", &r.words}}) {
    if (Status st = f.Require(n, attr, *out); !st.ok()) return st;
  }
  if (Status st = f.OnlyAttrs(n, {"id", "citation", "words"}); !st.ok()) return st;
  if (!IsRuleId(r.id))
    return f.Error(n, "bad rule id \"" + r.id + "\" (want two capital letters, a dash and a number, e.g. "
                      "BU-2 or BU-4-overlap)");
  return r;
}

// One entry of reasons.xml: <hold|open|item reason/kind words next-step/>, <not-billable reason
// words/>, <finding rule next-step/>.
Result<ReasonText> ParseReason(const XmlFile& f, const pugi::xml_node& n) {
  ReasonText r;
  r.kind = n.name();
  const bool finding = r.kind == "finding", item = r.kind == "item", not_billable = r.kind == "not-billable";
  const char* key = finding ? "rule" : item ? "kind" : "reason";
  if (Status st = f.Require(n, key, r.id); !st.ok()) return st;
  if (!finding)
    if (Status st = f.Require(n, "words", r.words); !st.ok()) return st;
  if (!not_billable)
    if (Status st = f.Require(n, "next-step", r.next_step); !st.ok()) return st;
  if (finding) {
    const std::string by = n.attribute("resolved-by").as_string("person");
    if (by != "person" && by != "data") return f.Error(n, "resolved-by must be person or data, not " + by);
    r.resolved_by_data = by == "data";
  }
  if (r.kind == "hold") {
    const std::string again = n.attribute("decided-again").as_string("nightly");
    if (again != "nightly" && again != "on-change")
      return f.Error(n, "decided-again must be nightly or on-change, not " + again);
    r.decided_again_on_change = again == "on-change";
  }
  Status only = finding ? f.OnlyAttrs(n, {"rule", "next-step", "resolved-by"})
                : not_billable ? f.OnlyAttrs(n, {"reason", "words"})
                : r.kind == "hold" ? f.OnlyAttrs(n, {key, "words", "next-step", "decided-again"})
                               : f.OnlyAttrs(n, {key, "words", "next-step"});
  if (!only.ok()) return only;
  return r;
}

}  // namespace

// ---- Load ----------------------------------------------------------------------------------------

Result<RuleBook> RuleBook::Load(const std::string& dir) {
  RuleBook rb;
  if (Status st = rb.LoadCodes(dir + "/codes.xml"); !st.ok()) return st;
  if (Status st = rb.LoadYears(dir); !st.ok()) return st;
  if (Status st = rb.LoadLimits(dir + "/limits.xml"); !st.ok()) return st;
  if (Status st = rb.LoadServices(dir + "/services.xml"); !st.ok()) return st;
  if (Status st = rb.LoadRules(dir + "/rules.xml"); !st.ok()) return st;
  if (Status st = rb.LoadReasons(dir + "/reasons.xml"); !st.ok()) return st;
  return rb;
}

Status RuleBook::LoadCodes(const std::string& path) {
  XmlFile f;
  if (Status st = OpenXml(f, path, "codes", fingerprint_); !st.ok()) return st;
  Status st = f.ForEach({"code"}, [&](const pugi::xml_node& n) -> Status {
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
    if (Status st = ReadTable(path, {"code", "drug_component", "non_drug_component", "source", "verified"}, rows, fingerprint_);
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
    if (Status st = ReadTable(path, {"id", "name", "gaf", "source", "verified"}, rows, fingerprint_); !st.ok()) return st;
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
  if (Status st = OpenXml(f, path, "limits", fingerprint_); !st.ok()) return st;
  Status st = f.ForEach({"limit", "quantity-limit"}, [&](const pugi::xml_node& n) -> Status {
    if (std::string_view(n.name()) == "quantity-limit") {
      auto q = ParseQuantityLimit(f, n);
      if (!q.ok()) return q.status();
      if (limits_.count(q->id) || quantity_limits_.count(q->id)) return f.Error(n, "duplicate limit " + q->id);
      std::string id = q->id;
      quantity_limits_.emplace(std::move(id), std::move(q).value());
      return Status::Ok();
    }
    auto lim = ParseLimit(f, n);
    if (!lim.ok()) return lim.status();
    if (limits_.count(lim->id) || quantity_limits_.count(lim->id)) return f.Error(n, "duplicate limit " + lim->id);
    if (lim->id == "quantity.max_integer_digits" || lim->id == "quantity.max_decimals") {
      if (Status d = CheckDigitLimit(f, n, *lim); !d.ok()) return d;
    }
    std::string id = lim->id;
    limits_.emplace(std::move(id), std::move(lim).value());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (const char* id : kRequiredLimits) {
    if (!limits_.count(id)) return ConfigAt(path, 0, std::string("required limit ") + id + " is missing");
  }
  quantity_bounds_.max_integer_digits = static_cast<size_t>(LimitValue("quantity.max_integer_digits"));
  quantity_bounds_.max_decimals = static_cast<size_t>(LimitValue("quantity.max_decimals"));
  // A bound a quantity could never be written to reach is a data error, not a silent cap.
  for (const auto& [id, q] : quantity_limits_) {
    for (int64_t v : {q.min_micros, q.max_micros}) {
      auto [whole, decimals] = DigitsOf(v);
      if (whole > quantity_bounds_.max_integer_digits || decimals > quantity_bounds_.max_decimals)
        return ConfigAt(path, q.line, id + ": " + MicrosText(v) + " has more digits than quantity.max_integer_digits (" +
                                          std::to_string(quantity_bounds_.max_integer_digits) + ") and quantity.max_decimals (" +
                                          std::to_string(quantity_bounds_.max_decimals) + ") allow");
    }
  }
  return Status::Ok();
}

Status RuleBook::LoadServices(const std::string& path) {
  XmlFile f;
  if (Status st = OpenXml(f, path, "services", fingerprint_); !st.ok()) return st;
  services_.assign(kServiceCount, ServiceBilling{});
  std::vector<bool> seen(kServiceCount, false);
  Status st = f.ForEach({"service", "episode-code", "telehealth-modifier"}, [&](const pugi::xml_node& n) -> Status {
    if (std::string_view(n.name()) == "telehealth-modifier") {
      auto t = ParseTelehealthModifier(f, n);
      if (!t.ok()) return t.status();
      std::string& slot = telehealth_modifiers_[static_cast<size_t>(t->first)];
      if (!slot.empty())
        return f.Error(n, "duplicate telehealth-modifier for " + std::string(ModalityName(t->first)));
      slot = std::move(t->second);
      return Status::Ok();
    }
    if (std::string_view(n.name()) == "episode-code") {
      auto e = ParseEpisodeCode(f, n, *this);
      if (!e.ok()) return e.status();
      std::string& slot = e->first == "non-drug-bundle" ? non_drug_bundle_code_ : counseling_beyond_plan_code_;
      if (!slot.empty()) return f.Error(n, "duplicate part " + e->first);
      slot = e->second;
      return Status::Ok();
    }
    auto e = ParseServiceEntry(f, n, *this);
    if (!e.ok()) return e.status();
    const size_t i = static_cast<size_t>(e->first);
    if (seen[i]) return f.Error(n, "duplicate service word " + std::string(ServiceName(e->first)));
    seen[i] = true;
    services_[i] = std::move(e).value().second;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (int i = 0; i < kServiceCount; ++i) {
    if (!seen[static_cast<size_t>(i)])
      return f.Error(f.root, "no <service word=\"" + std::string(ServiceName(static_cast<Service>(i))) +
                                 "\">; every word of the services.csv vocabulary needs one");
  }
  for (auto [part, code] : {std::pair{"non-drug-bundle", &non_drug_bundle_code_},
                            {"counseling-beyond-plan", &counseling_beyond_plan_code_}}) {
    if (code->empty()) return f.Error(f.root, std::string("no <episode-code part=\"") + part + "\">");
  }
  for (Modality m : {Modality::kVideo, Modality::kAudio}) {
    if (telehealth_modifiers_[static_cast<size_t>(m)].empty())
      return f.Error(f.root, std::string("no <telehealth-modifier modality=\"") + std::string(ModalityName(m)) +
                                 "\"> (AD-7)");
  }
  for (size_t i = 0; i < services_.size(); ++i) {
    const QuantityLimit& q = quantity_limits_.at(services_[i].quantity_limit);
    quantity_bounds_.by_service[i] = QuantityBound{q.id, q.unit, q.min_micros, q.max_micros};
  }
  return Status::Ok();
}

Status RuleBook::LoadRules(const std::string& path) {
  XmlFile f;
  if (Status st = OpenXml(f, path, "rules", fingerprint_); !st.ok()) return st;
  Status st = f.ForEach({"rule"}, [&](const pugi::xml_node& n) -> Status {
    auto r = ParseRule(f, n);
    if (!r.ok()) return r.status();
    if (rule_index_.count(r->id)) return f.Error(n, "duplicate rule " + r->id);
    rule_index_[r->id] = rules_.size();
    rules_.push_back(std::move(r).value());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (const char* id : kRequiredRules) {
    if (!rule_index_.count(id)) return f.Error(f.root, std::string("required rule ") + id + " is missing");
  }
  return Status::Ok();
}

Status RuleBook::LoadReasons(const std::string& path) {
  XmlFile f;
  if (Status st = OpenXml(f, path, "reasons", fingerprint_); !st.ok()) return st;
  Status st = f.ForEach({"hold", "open", "not-billable", "item", "finding"}, [&](const pugi::xml_node& n) -> Status {
    auto r = ParseReason(f, n);
    if (!r.ok()) return r.status();
    if (FindReason(r->kind, r->id)) return f.Error(n, "duplicate <" + r->kind + "> " + r->id);
    if (r->kind == "finding" && !FindRule(r->id)) return f.Error(n, "rule " + r->id + " is not in rules.xml");
    reasons_.push_back(std::move(r).value());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (const auto& [kind, id] : kRequiredReasons) {
    if (!FindReason(kind, id))
      return f.Error(f.root, std::string("required <") + kind + "> " + id + " is missing");
  }
  return Status::Ok();
}

const ReasonText* RuleBook::FindReason(std::string_view kind, std::string_view id) const {
  for (const ReasonText& r : reasons_)
    if (r.kind == kind && r.id == id) return &r;
  return nullptr;
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
  // The bracket is what ClaimLine::PriceUnverified reads back (the Claims sheet's mark).
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

const QuantityLimit* RuleBook::FindQuantityLimit(const std::string& id) const {
  auto it = quantity_limits_.find(id);
  return it == quantity_limits_.end() ? nullptr : &it->second;
}

const std::string* RuleBook::TelehealthModifier(Modality m) const {
  const std::string& code = telehealth_modifiers_[static_cast<size_t>(m)];
  return code.empty() ? nullptr : &code;
}

double RuleBook::LimitValue(const std::string& id) const {
  const Limit* l = FindLimit(id);
  if (!l) throw std::out_of_range("limit " + id + " is not in codes/limits.xml");
  return l->value;
}

const RuleText* RuleBook::FindRule(std::string_view rule_id) const {
  auto it = rule_index_.find(rule_id);
  return it == rule_index_.end() ? nullptr : &rules_[it->second];
}

const std::string& RuleBook::CitationOf(std::string_view rule_id) const {
  const RuleText* r = FindRule(rule_id);
  if (!r) throw std::out_of_range("rule " + std::string(rule_id) + " is not in codes/rules.xml");
  return r->citation;
}

const std::string& RuleBook::RuleWords(std::string_view rule_id) const {
  const RuleText* r = FindRule(rule_id);
  if (!r) throw std::out_of_range("rule " + std::string(rule_id) + " is not in codes/rules.xml");
  return r->words;
}

std::vector<int> RuleBook::RateYears() const {
  std::vector<int> years;
  for (const auto& [key, row] : rates_) {
    if (years.empty() || years.back() != key.first) years.push_back(key.first);
  }
  return years;
}

}  // namespace otp
