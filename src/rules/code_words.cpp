// CodeWords: reads codes/carc.xml, rarc.xml, claim-status.xml and plb-reasons.xml strictly (every problem a
// Status::Config naming the file and line) and answers lookups leniently (an unknown code is
// text, never an error).
#include "rules/code_words.h"

#include <algorithm>
#include <initializer_list>
#include <span>
#include <utility>

#include "rules/xml_file.h"

namespace otp {
namespace {

constexpr const char* kCarcFile = "carc.xml";
constexpr const char* kRarcFile = "rarc.xml";
constexpr const char* kStatusFile = "claim-status.xml";
constexpr const char* kPlbFile = "plb-reasons.xml";

// An X12 code as these lists spell it: 1 to 6 capital letters or digits ("1", "A2", "MA130",
// "F3F", "R10", "CO").
bool IsCode(std::string_view s) {
  if (s.empty() || s.size() > 6) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); });
}

// A yes/no mark the list allows beyond words: denial (carc.xml), names-claim (plb-reasons.xml).
struct Mark {
  const char* name;
  bool CodeWord::*field;
};

// A mark's value, when the element has it.
Status ReadMark(const XmlFile& f, const pugi::xml_node& n, const std::string& what, const Mark& m, CodeWord& w) {
  pugi::xml_attribute a = n.attribute(m.name);
  if (!a) return Status::Ok();
  const std::string_view v = a.value();
  if (v != "yes" && v != "no") return f.Error(n, what + ": " + m.name + " must be yes or no");
  w.*m.field = v == "yes";
  return Status::Ok();
}

// <element code words [next-step] [stopped] [mark…] verified/>; every other attribute, and a
// mark another list has, is refused, so a misspelt one is not ignored without a word.
Result<std::pair<std::string, CodeWord>> ParseEntry(const XmlFile& f, const pugi::xml_node& n,
                                                    std::span<const Mark> marks) {
  const std::string el = std::string("<") + n.name() + ">";
  for (pugi::xml_attribute a : n.attributes()) {
    std::string_view name = a.name();
    const bool mark = std::any_of(marks.begin(), marks.end(), [&](const Mark& m) { return name == m.name; });
    if (!mark && name != "code" && name != "words" && name != "next-step" && name != "stopped" && name != "verified")
      return f.Error(n, el + " has unknown attribute " + a.name());
  }
  std::string code = n.attribute("code").value();
  if (!IsCode(code))
    return f.Error(n, el + " needs a code of 1 to 6 capital letters or digits, not \"" + code + "\"");
  CodeWord w;
  w.words = n.attribute("words").value();
  if (w.words.empty()) return f.Error(n, el + " " + code + " needs attribute words");
  w.next_step = n.attribute("next-step").value();
  const std::string_view verified = n.attribute("verified").value();
  if (verified != "yes" && verified != "no")
    return f.Error(n, el + " " + code + ": verified must be yes or no");
  w.verified = verified == "yes";
  for (const Mark& m : marks) OTP_TRY(ReadMark(f, n, el + " " + code, m, w));
  if (pugi::xml_attribute s = n.attribute("stopped")) {
    w.stopped = Date::Parse(s.value());
    if (!w.stopped)
      return f.Error(n, el + " " + code + ": stopped must be a date YYYY-MM-DD, not \"" + s.value() + "\"");
  }
  return std::pair{std::move(code), std::move(w)};
}

// Reads <dir>/<name>, whose root is <root>, putting each <element> of `tables` in its table;
// `marks` are the yes/no attributes this file's entries may carry.
Status LoadFile(const std::string& dir, const char* name, const char* root,
                std::initializer_list<std::pair<std::string_view, CodeWords::Table*>> tables,
                std::span<const Mark> marks = {}) {
  XmlFile f;
  const std::string path = dir + "/" + name;
  OTP_ASSIGN_OR_RETURN(std::string text, ReadConfigText(path));
  OTP_TRY(f.Parse(path, std::move(text), root));
  for (pugi::xml_node n : f.root.children()) {
    if (n.type() != pugi::node_element) continue;
    auto it = std::find_if(tables.begin(), tables.end(), [&](const auto& t) { return t.first == n.name(); });
    if (it == tables.end()) return f.Error(n, std::string("unexpected element <") + n.name() + ">");
    auto entry = ParseEntry(f, n, marks);
    OTP_TRY(entry);
    auto [code, word] = std::move(entry).value();
    if (!it->second->emplace(code, std::move(word)).second)
      return f.Error(n, "duplicate <" + std::string(it->first) + "> " + code);
  }
  return Status::Ok();
}

const CodeWord* Find(const CodeWords::Table& t, std::string_view code) {
  auto it = t.find(code);
  return it == t.end() ? nullptr : &it->second;
}

// "<label>: <words>[ marks]", or "<label>: (code not in codes/<file>)".
std::string Part(std::string_view label, const CodeWord* w, const char* file) {
  std::string s(label);
  s += ": ";
  if (!w) return s + "(code not in codes/" + file + ")";
  s += w->words;
  if (w->stopped) s += " [stopped " + w->stopped->Iso() + "]";
  if (!w->verified) s += " [words unverified]";
  return s;
}

}  // namespace

Result<CodeWords> CodeWords::Load(const std::string& codes_dir) {
  CodeWords cw;
  static constexpr Mark kDenial[] = {{"denial", &CodeWord::denial}};
  static constexpr Mark kNamesClaim[] = {{"names-claim", &CodeWord::names_claim}};
  OTP_TRY(LoadFile(codes_dir, kCarcFile, "adjustment-codes", {{"group", &cw.groups_}, {"reason", &cw.carc_}},
                   kDenial));
  OTP_TRY(LoadFile(codes_dir, kRarcFile, "remark-codes", {{"remark", &cw.rarc_}}));
  OTP_TRY(LoadFile(codes_dir, kStatusFile, "claim-status-codes",
                   {{"category", &cw.categories_}, {"status", &cw.statuses_}}));
  OTP_TRY(LoadFile(codes_dir, kPlbFile, "provider-adjustment-codes", {{"reason", &cw.plb_}}, kNamesClaim));
  return cw;
}

const CodeWord* CodeWords::Carc(std::string_view code) const { return Find(carc_, code); }
const CodeWord* CodeWords::Rarc(std::string_view code) const { return Find(rarc_, code); }
const CodeWord* CodeWords::Group(std::string_view group) const { return Find(groups_, group); }
const CodeWord* CodeWords::Category(std::string_view category) const { return Find(categories_, category); }
const CodeWord* CodeWords::StatusCode(std::string_view code) const { return Find(statuses_, code); }
const CodeWord* CodeWords::ProviderAdjustment(std::string_view code) const { return Find(plb_, code); }

bool CodeWords::IsDenial(std::string_view group, std::string_view reason) const {
  const CodeWord* g = Group(group);
  const CodeWord* r = Carc(reason);
  return !(g && !g->denial) && !(r && !r->denial);
}

std::string CodeWords::DescribeAdjustment(std::string_view group, std::string_view reason) const {
  std::string label = group.empty() ? std::string(reason) : std::string(group) + "-" + std::string(reason);
  std::string s = Part(label, Carc(reason), kCarcFile);
  if (!group.empty() && !Group(group))
    s += " (group " + std::string(group) + " not in codes/" + kCarcFile + ")";
  return s;
}

bool CodeWords::NamesClaim(std::string_view plb_reason) const {
  const CodeWord* w = ProviderAdjustment(plb_reason);
  return w && w->names_claim;
}

std::string CodeWords::DescribeProviderAdjustment(std::string_view code) const {
  return Part(code, ProviderAdjustment(code), kPlbFile);
}

std::string CodeWords::DescribeRemark(std::string_view code) const {
  return Part(code, Rarc(code), kRarcFile);
}

std::string CodeWords::DescribeStatus(std::string_view category, std::string_view code) const {
  std::string s = Part(category, Category(category), kStatusFile);
  if (!code.empty()) s += " | " + Part(code, StatusCode(code), kStatusFile);
  return s;
}

}  // namespace otp
