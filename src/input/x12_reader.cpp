// X12 tokenizer and envelope checks; see x12_reader.h.
#include "input/x12_reader.h"

#include "input/x12_fields.h"
#include "model/text.h"

namespace otp {
namespace {

using x12::Fail;

// ISA01 … ISA16 widths; with "ISA", the 16 separators and the terminator: 106 characters.
constexpr size_t kIsaWidths[16] = {2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1};
constexpr size_t kIsaLength = 106;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::string TrimRight(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

// Same control number or count: digit strings compare by value (GS06 "1" and GE02 "000000001"
// agree), anything else byte for byte.
bool SameControl(std::string_view a, std::string_view b) {
  if (!AllDigits(a) || !AllDigits(b)) return a == b;
  while (a.size() > 1 && a.front() == '0') a.remove_prefix(1);
  while (b.size() > 1 && b.front() == '0') b.remove_prefix(1);
  return a == b;
}

Status FileError(std::string reason) { return Status::InvalidArgument(std::move(reason)); }

// Cuts the file into segments, one interchange's separators at a time.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  // Skips whitespace; true when nothing but whitespace is left.
  bool AtEnd() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
    return pos_ >= s_.size();
  }
  int64_t ordinal() const { return ordinal_; }
  const X12Separators& separators() const { return sep_; }

  // Reads an ISA at the current position and adopts its separators.
  Status ReadIsa(X12Segment& seg) {
    seg = X12Segment{};
    seg.ordinal = ++ordinal_;
    seg.id = "ISA";
    std::string_view isa = s_.substr(pos_, kIsaLength);
    if (isa.substr(0, 3) != "ISA") return Fail(seg, "an interchange must begin with ISA");
    if (isa.size() < kIsaLength)
      return Fail(seg, "the file ends inside the ISA, which is 106 characters long");
    X12Separators sep;
    sep.element = isa[3];
    size_t at = 4;
    for (size_t i = 0; i < 16; ++i) {
      seg.elements.emplace_back(isa.substr(at, kIsaWidths[i]));
      at += kIsaWidths[i];
      if (i < 15 && isa[at] != sep.element)
        return Fail(seg, "ISA" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1) + " is not " +
                             std::to_string(kIsaWidths[i]) + " characters followed by the element separator");
      ++at;
    }
    for (size_t i = 0; i < 16; ++i) {
      if (i == 10 || i == 15) continue;  // ISA11 and ISA16 are separators
      for (char c : seg.elements[i])
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return Fail(seg, "holds a control character");
    }
    sep.repetition = seg.elements[10][0];
    sep.component = seg.elements[15][0];
    sep.segment = isa[105];
    if (Status st = CheckSeparators(seg, sep); !st.ok()) return st;
    sep_ = sep;
    seg.component = sep.component;
    pos_ += kIsaLength;
    return Status::Ok();
  }

  // Reads the next segment with the current separators; `seg.id` is "" at the end of the file.
  Status Next(X12Segment& seg) {
    seg = X12Segment{};
    if (AtEnd()) return Status::Ok();
    seg.ordinal = ++ordinal_;
    size_t end = s_.find(sep_.segment, pos_);
    if (end == std::string_view::npos)
      return FileError("segment " + std::to_string(seg.ordinal) +
                       ": the file ends inside a segment (no segment terminator)");
    std::string_view text = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    if (sep_.segment == '\n' && !text.empty() && text.back() == '\r') text.remove_suffix(1);
    return Split(text, seg);
  }

  // True when the next non-blank text starts an ISA.
  bool AtIsa() { return !AtEnd() && s_.substr(pos_, 3) == "ISA"; }

 private:
  static Status CheckSeparators(const X12Segment& isa, const X12Separators& s) {
    const char all[4] = {s.element, s.repetition, s.component, s.segment};
    for (int i = 0; i < 4; ++i) {
      if (IsAlnum(all[i]) || all[i] == ' ')
        return Fail(isa, "a separator (byte 3, ISA11, ISA16 or the terminator) is a letter, digit or space");
      for (int j = 0; j < i; ++j)
        if (all[i] == all[j]) return Fail(isa, "two of the separators are the same character");
    }
    // CR and LF may end segments, never separate elements: a CR before LF is dropped as part
    // of a line ending, which would make a CR element separator ambiguous.
    for (int i = 0; i < 3; ++i)
      if (all[i] == '\r' || all[i] == '\n')
        return Fail(isa, "CR or LF is the element, component or repetition separator");
    return Status::Ok();
  }

  Status Split(std::string_view text, X12Segment& seg) const {
    size_t b = 0;
    bool first = true;
    while (true) {
      size_t e = text.find(sep_.element, b);
      std::string_view part = text.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
      for (char c : part)
        if ((static_cast<unsigned char>(c) < 0x20 || c == 0x7F) && c != sep_.component &&
            c != sep_.repetition)
          return FileError("segment " + std::to_string(seg.ordinal) + ": holds a control character");
      if (first) {
        seg.id = std::string(part);
        first = false;
      } else {
        seg.elements.emplace_back(part);
      }
      if (e == std::string_view::npos) break;
      b = e + 1;
    }
    bool id_ok = (seg.id.size() == 2 || seg.id.size() == 3) && seg.id[0] >= 'A' && seg.id[0] <= 'Z';
    for (char c : seg.id) id_ok = id_ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    if (!id_ok) {
      return FileError("segment " + std::to_string(seg.ordinal) +
                       ": does not begin with a segment id (2 or 3 capital letters and digits)");
    }
    seg.component = sep_.component;
    return Status::Ok();
  }

  std::string_view s_;
  size_t pos_ = 0;
  int64_t ordinal_ = 0;
  X12Separators sep_;
};

Status CheckIsaValues(const X12Segment& isa) {
  if (isa.elements[11] != "00501")
    return Fail(isa, "ISA12 is not 00501: only version 5010 interchanges are read");
  if (!AllDigits(isa.elements[12])) return Fail(isa, "ISA13 is not nine digits");
  if (isa.elements[14] != "P" && isa.elements[14] != "T") return Fail(isa, "ISA15 is neither P nor T");
  return Status::Ok();
}

Status EndOfFile(const X12Segment& opener, std::string_view missing) {
  return Fail(opener, "the file ends before its " + std::string(missing));
}

// Reads ST's segments up to and including SE.
Status ReadTransaction(Scanner& sc, const X12Segment& st, X12Transaction& tx) {
  if (st.Element(1).empty()) return Fail(st, "ST01 is required");
  bool control_ok = st.Element(2).size() >= 4 && st.Element(2).size() <= 9;
  for (char c : st.Element(2)) control_ok = control_ok && c > 0x20 && c < 0x7F;
  if (!control_ok) return Fail(st, "ST02 is not a control number of 4 to 9 printable characters");
  tx.id = std::string(st.Element(1));
  tx.control = std::string(st.Element(2));
  tx.version = std::string(st.Element(3));
  tx.st_ordinal = st.ordinal;
  X12Segment seg;
  while (true) {
    if (Status s = sc.Next(seg); !s.ok()) return s;
    if (seg.id.empty()) return EndOfFile(st, "SE (transaction " + tx.control + ")");
    if (seg.id == "ST" || seg.id == "GS" || seg.id == "GE" || seg.id == "IEA" || seg.id == "ISA")
      return Fail(seg, "transaction " + tx.control + " (segment " + std::to_string(st.ordinal) +
                           ") has no SE before this segment");
    if (seg.id == "SE") break;
    tx.segments.push_back(std::move(seg));
  }
  const int64_t count = static_cast<int64_t>(tx.segments.size()) + 2;
  if (!AllDigits(seg.Element(1)) || seg.Element(1).size() > 10) return Fail(seg, "SE01 is not a count");
  if (std::stoll(std::string(seg.Element(1))) != count)
    return Fail(seg, "SE01 is " + std::string(seg.Element(1)) + " but transaction " + tx.control + " has " +
                         std::to_string(count) + " segments from ST to SE");
  if (seg.Element(2) != tx.control) return Fail(seg, "SE02 does not match ST02 " + tx.control);
  return Status::Ok();
}

Status ReadGroup(Scanner& sc, const X12Segment& gs, X12Group& g) {
  if (gs.Element(1).empty() || gs.Element(6).empty() || gs.Element(8).empty())
    return Fail(gs, "GS01, GS06 and GS08 are required");
  if (!AllDigits(gs.Element(6)) || gs.Element(6).size() > 9) return Fail(gs, "GS06 is not 1 to 9 digits");
  g.functional_id = std::string(gs.Element(1));
  g.sender = std::string(gs.Element(2));
  g.receiver = std::string(gs.Element(3));
  g.control = std::string(gs.Element(6));
  g.version = std::string(gs.Element(8));
  g.date = x12::ParseD8(gs.Element(4));
  g.gs_ordinal = gs.ordinal;
  X12Segment seg;
  while (true) {
    if (Status s = sc.Next(seg); !s.ok()) return s;
    if (seg.id.empty()) return EndOfFile(gs, "GE (group " + g.control + ")");
    if (seg.id == "GE") break;
    if (seg.id != "ST") return Fail(seg, "expected ST or GE in group " + g.control);
    X12Transaction tx;
    if (Status s = ReadTransaction(sc, seg, tx); !s.ok()) return s;
    g.transactions.push_back(std::move(tx));
  }
  if (!SameControl(seg.Element(1), std::to_string(g.transactions.size())))
    return Fail(seg, "GE01 does not match the " + std::to_string(g.transactions.size()) +
                         " transactions of group " + g.control);
  if (!SameControl(seg.Element(2), g.control)) return Fail(seg, "GE02 does not match GS06 " + g.control);
  return Status::Ok();
}

Status ReadInterchange(Scanner& sc, X12Interchange& ic) {
  X12Segment isa;
  if (Status s = sc.ReadIsa(isa); !s.ok()) return s;
  if (Status s = CheckIsaValues(isa); !s.ok()) return s;
  ic.separators = sc.separators();
  ic.sender_qualifier = isa.elements[4];
  ic.sender_id = TrimRight(isa.elements[5]);
  ic.receiver_qualifier = isa.elements[6];
  ic.receiver_id = TrimRight(isa.elements[7]);
  ic.control = isa.elements[12];
  ic.usage = isa.elements[14][0];
  ic.isa_ordinal = isa.ordinal;
  X12Segment seg;
  while (true) {
    if (Status s = sc.Next(seg); !s.ok()) return s;
    if (seg.id.empty()) return EndOfFile(isa, "IEA (interchange " + ic.control + ")");
    if (seg.id == "IEA") break;
    if (seg.id != "GS") return Fail(seg, "expected GS or IEA in interchange " + ic.control);
    X12Group g;
    if (Status s = ReadGroup(sc, seg, g); !s.ok()) return s;
    ic.groups.push_back(std::move(g));
  }
  if (!SameControl(seg.Element(1), std::to_string(ic.groups.size())))
    return Fail(seg, "IEA01 does not match the " + std::to_string(ic.groups.size()) +
                         " groups of interchange " + ic.control);
  if (!SameControl(seg.Element(2), ic.control)) return Fail(seg, "IEA02 does not match ISA13 " + ic.control);
  return Status::Ok();
}

// An envelope value for a message: ISA, GS and ST carry trading partners' codes, never a
// patient's data, but a long or odd value is still left out.
std::string Shown(std::string_view v) {
  bool ok = !v.empty() && v.size() <= 12;
  for (char c : v) ok = ok && IsAlnum(c);
  return ok ? std::string(v) : std::string("(not shown)");
}

bool VersionIs(std::string_view v, std::initializer_list<std::string_view> accepted) {
  for (auto a : accepted)
    if (v == a) return true;
  return false;
}

}  // namespace

std::string_view X12Segment::Element(size_t n) const {
  return n >= 1 && n <= elements.size() ? std::string_view(elements[n - 1]) : std::string_view();
}

std::vector<std::string_view> X12Segment::Components(size_t n) const {
  std::vector<std::string_view> out;
  std::string_view e = Element(n);
  if (e.empty()) return out;
  size_t b = 0;
  while (true) {
    size_t c = e.find(component, b);
    out.push_back(e.substr(b, c == std::string_view::npos ? std::string_view::npos : c - b));
    if (c == std::string_view::npos) break;
    b = c + 1;
  }
  return out;
}

std::string_view X12Segment::Component(size_t n, size_t c) const {
  auto parts = Components(n);
  return c >= 1 && c <= parts.size() ? parts[c - 1] : std::string_view();
}

Result<std::vector<X12Interchange>> ReadX12(std::string_view bytes) {
  Scanner sc(bytes);
  std::vector<X12Interchange> out;
  if (sc.AtEnd()) return FileError("the file is empty: no ISA");
  while (!sc.AtEnd()) {
    if (!sc.AtIsa())
      return FileError("segment " + std::to_string(sc.ordinal() + 1) +
                       ": expected ISA (a file holds interchanges and nothing else)");
    X12Interchange ic;
    if (Status s = ReadInterchange(sc, ic); !s.ok()) return s;
    out.push_back(std::move(ic));
  }
  return out;
}

std::string_view KindName(X12Kind kind) {
  switch (kind) {
    case X12Kind::k999:
      return "999";
    case X12Kind::k277CA:
      return "277CA";
    case X12Kind::k835:
      return "835";
  }
  return "?";
}

Result<X12Kind> KindOf(const X12Group& group, const X12Transaction& tx) {
  auto fail = [&](const std::string& why) {
    return Status::InvalidArgument("segment " + std::to_string(tx.st_ordinal) + " (ST): " + why);
  };
  if (!tx.version.empty() && tx.version != group.version)
    return fail("ST03 does not match GS08 of its group");
  const std::string& v = group.version;
  const std::string& f = group.functional_id;
  if (f == "FA" && tx.id == "999" && VersionIs(v, {"005010X231A1", "005010X231"})) return X12Kind::k999;
  if (f == "HN" && tx.id == "277" && v == "005010X214") return X12Kind::k277CA;
  if (f == "HP" && tx.id == "835" && VersionIs(v, {"005010X221A1", "005010X221"})) return X12Kind::k835;
  return fail("transaction ST01 " + Shown(tx.id) + " in group GS01 " + Shown(f) + ", version " + Shown(v) +
              " is not a 999 (005010X231A1), 277CA (005010X214) or 835 (005010X221A1)");
}

Result<X12Kind> DetectKind(const std::vector<X12Interchange>& file) {
  std::optional<X12Kind> kind;
  for (const auto& ic : file)
    for (const auto& g : ic.groups)
      for (const auto& tx : g.transactions) {
        auto k = KindOf(g, tx);
        if (!k.ok()) return k.status();
        if (kind && *kind != *k)
          return Status::InvalidArgument("segment " + std::to_string(tx.st_ordinal) + " (ST): a " +
                                         std::string(KindName(*k)) + " in a file of " +
                                         std::string(KindName(*kind)) + " transactions");
        kind = *k;
      }
  if (!kind) return Status::InvalidArgument("the file holds no transaction (no ST)");
  return *kind;
}

X12Origin OriginOf(const X12Interchange& isa, const X12Group& gs, const X12Transaction& st) {
  X12Origin o;
  o.interchange_control = isa.control;
  o.group_control = gs.control;
  o.transaction_control = st.control;
  o.sender_id = isa.sender_id;
  o.receiver_id = isa.receiver_id;
  o.usage = isa.usage;
  o.group_date = gs.date;
  o.st_ordinal = st.st_ordinal;
  return o;
}

std::optional<X12Quantity> X12Quantity::Parse(std::string_view t) {
  bool neg = !t.empty() && t[0] == '-';
  if (neg) t.remove_prefix(1);
  size_t dot = t.find('.');
  std::string_view whole = t.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : t.substr(dot + 1);
  while (frac.size() > 3 && frac.back() == '0') frac.remove_suffix(1);
  if ((whole.empty() && frac.empty()) || frac.size() > 3 || whole.size() > 12) return std::nullopt;
  if ((!whole.empty() && !AllDigits(whole)) || (!frac.empty() && !AllDigits(frac))) return std::nullopt;
  int64_t v = 0;
  for (char c : whole) v = v * 10 + (c - '0');
  int64_t f = 0;
  for (size_t i = 0; i < 3; ++i) f = f * 10 + (i < frac.size() ? frac[i] - '0' : 0);
  X12Quantity q;
  q.thousandths = (v * 1000 + f) * (neg ? -1 : 1);
  return q;
}

}  // namespace otp
