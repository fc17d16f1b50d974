// 837P 005010X222A1 writer: segments in implementation-guide order, see x12_837p.h.
#include "output/x12_837p.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace otp {
namespace {

constexpr char kTerminator[] = "~\n";
constexpr int64_t kMaxControl = 999'999'999;
constexpr size_t kMaxLines = 50;
constexpr size_t kMaxModifiers = 4;

// Base letters for U+00C0 … U+00FF (UTF-8: 0xC3 0x80 … 0xC3 0xBF); "" drops × and ÷.
constexpr const char* kLatin1[64] = {"A", "A", "A", "A", "A",  "A",  "AE", "C", "E", "E", "E",  "E", "I",
                                     "I", "I", "I", "D", "N",  "O",  "O",  "O", "O", "O", "",   "O", "U",
                                     "U", "U", "U", "Y", "TH", "SS", "A",  "A", "A", "A", "A",  "A", "AE",
                                     "C", "E", "E", "E", "E",  "I",  "I",  "I", "I", "D", "N",  "O", "O",
                                     "O", "O", "O", "",  "O",  "U",  "U",  "U", "U", "Y", "TH", "Y"};

// Printable ASCII that X12's basic and extended character sets allow, minus our separators.
bool Allowed(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case ' ':
    case '!':
    case '"':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '+':
    case ',':
    case '-':
    case '.':
    case '/':
    case ';':
    case '?':
    case '=':
    case '%':
    case '@':
    case '[':
    case ']':
    case '_':
    case '{':
    case '}':
    case '\\':
    case '|':
    case '<':
    case '>':
    case '#':
    case '$':
      return true;
    default:
      return false;  // * ~ : ^ ` and control characters
  }
}

// X12Safe, then cut to `max` characters (an element's maximum length) without a trailing space.
std::string Fit(std::string_view value, size_t max) {
  std::string s = X12Safe(value);
  if (s.size() > max) {
    s.resize(max);
    while (!s.empty() && s.back() == ' ') s.pop_back();
  }
  return s;
}

std::string Digits(std::string_view value) {
  std::string s;
  for (char c : value)
    if (c >= '0' && c <= '9') s += c;
  return s;
}

std::string PadRight(std::string s, size_t width) {
  s.resize(width, ' ');
  return s;
}

// One segment: elements joined by '*', trailing empty elements dropped (X12 forbids them).
class Out {
 public:
  void Seg(std::vector<std::string> e) {
    while (e.size() > 1 && e.back().empty()) e.pop_back();
    for (size_t i = 0; i < e.size(); ++i) {
      if (i) text_ += '*';
      text_ += e[i];
    }
    text_ += kTerminator;
    ++count_;
  }
  void Raw(const std::string& segment) {
    text_ += segment;
    text_ += kTerminator;
  }
  int count() const { return count_; }
  void ResetCount() { count_ = 0; }
  std::string& text() { return text_; }

 private:
  std::string text_;
  int count_ = 0;
};

const Practitioner* FindPractitioner(const Facility& f, const std::string& npi) {
  if (npi.empty()) return nullptr;
  for (const auto& p : f.practitioners)
    if (p.npi == npi) return &p;
  return nullptr;
}

// 2310B: the listed practitioner rendering most lines; ties go to the first to appear.
const Practitioner* ClaimRenderer(const Facility& f, const Claim& c) {
  std::map<std::string, int> counts;
  int best_count = 0;
  for (const auto& line : c.lines) {
    if (const Practitioner* p = FindPractitioner(f, line.practitioner_npi))
      best_count = std::max(best_count, ++counts[p->npi]);
  }
  for (const auto& line : c.lines) {
    const Practitioner* p = FindPractitioner(f, line.practitioner_npi);
    if (p && counts[p->npi] == best_count) return p;
  }
  return nullptr;
}

void RenderingPerson(Out& o, const Practitioner& p) {
  o.Seg({"NM1", "82", "1", Fit(p.last_name, 60), Fit(p.first_name, 35), "", "", "", "XX", Fit(p.npi, 80)});
}

void AddressSegments(Out& o, const otp::Address& a, bool nine_digit_zip) {
  o.Seg({"N3", Fit(a.line1, 55), Fit(a.line2, 55)});
  std::string zip = Digits(a.zip);
  if (nine_digit_zip && zip.size() != 9)
    throw std::invalid_argument("837P: the billing provider's ZIP must have 9 digits");
  o.Seg({"N4", Fit(a.city, 30), Fit(a.state, 2), zip});
}

std::string Diagnosis(const Claim& c, const Patient& p) {
  std::string d;
  for (char ch : c.diagnosis.empty() ? p.diagnosis : c.diagnosis)
    if (ch != '.') d += ch;
  return Fit(d, 30);
}

}  // namespace

std::string X12Safe(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  auto space = [&out] {
    if (!out.empty() && out.back() != ' ') out += ' ';
  };
  for (size_t i = 0; i < value.size(); ++i) {
    auto b = static_cast<unsigned char>(value[i]);
    if (b < 0x80) {
      char c = static_cast<char>(b);
      if (c == ' ' || !Allowed(c)) {
        space();
        continue;
      }
      out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
      continue;
    }
    // A UTF-8 sequence: its length from the lead byte; stray continuation bytes are dropped.
    size_t len = (b >= 0xF0 && b < 0xF8) ? 4 : (b >= 0xE0) ? 3 : (b >= 0xC0) ? 2 : 1;
    if (len == 2 && b == 0xC3 && i + 1 < value.size()) {
      auto c2 = static_cast<unsigned char>(value[i + 1]);
      if (c2 >= 0x80 && c2 <= 0xBF) out += kLatin1[c2 - 0x80];
    }
    size_t j = i + 1;
    while (j < value.size() && j < i + len && (static_cast<unsigned char>(value[j]) & 0xC0) == 0x80) ++j;
    i = j - 1;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  size_t start = 0;
  while (start < out.size() && out[start] == ' ') ++start;
  return out.substr(start);
}

std::string InterchangeIds::Reference() const {
  char control9[16];
  std::snprintf(control9, sizeof control9, "%09lld", static_cast<long long>(interchange_control));
  return control9;
}

std::string X12Amount(Money amount) {
  int64_t c = amount.cents();
  int64_t a = c < 0 ? -c : c;
  std::string s = (c < 0 ? "-" : "") + std::to_string(a / 100);
  int64_t frac = a % 100;
  if (frac != 0) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02lld", static_cast<long long>(frac));
    std::string f = buf;
    if (f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s;
}

std::string Write837P(const Config& config, const Facility& facility, const std::vector<Claim>& claims,
                      const PatientLookup& patients, const InterchangeIds& ids, std::time_t now) {
  if (claims.empty()) throw std::invalid_argument("837P: no claims to write");
  for (int64_t v : {ids.interchange_control, ids.group_control})
    if (v < 1 || v > kMaxControl) throw std::invalid_argument("837P: control number out of range");

  // Patients in order of first appearance, each with its claims in the given order.
  std::vector<std::pair<const Patient*, std::vector<const Claim*>>> groups;
  std::map<std::string, size_t> group_of;
  for (const auto& c : claims) {
    if (c.facility_id != facility.id)
      throw std::invalid_argument("837P: claim " + c.claim_id + " belongs to another facility");
    if (c.lines.empty() || c.lines.size() > kMaxLines)
      throw std::invalid_argument("837P: claim " + c.claim_id + " must have 1 to 50 lines");
    auto it = group_of.find(c.patient_id);
    if (it == group_of.end()) {
      const Patient* p = patients ? patients(c.facility_id, c.patient_id) : nullptr;
      if (!p) throw std::invalid_argument("837P: claim " + c.claim_id + " has an unknown patient");
      it = group_of.emplace(c.patient_id, groups.size()).first;
      groups.push_back({p, {}});
    }
    groups[it->second].second.push_back(&c);
  }

  std::tm tm{};
  gmtime_r(&now, &tm);
  char date8[16], date6[16], time4[16], control9[16];
  std::strftime(date8, sizeof date8, "%Y%m%d", &tm);
  std::strftime(date6, sizeof date6, "%y%m%d", &tm);
  std::strftime(time4, sizeof time4, "%H%M", &tm);
  std::snprintf(control9, sizeof control9, "%09lld", static_cast<long long>(ids.interchange_control));
  const std::string group_ctl = std::to_string(ids.group_control);
  const std::string sender = Fit(config.submitter.id, 15);
  const std::string receiver = Fit(config.receiver.id, 15);
  const char usage = config.receiver.usage == 'P' ? 'P' : 'T';

  Out o;
  // ISA is fixed-width: 106 characters with its terminator.
  o.Raw("ISA*00*" + std::string(10, ' ') + "*00*" + std::string(10, ' ') + "*ZZ*" + PadRight(sender, 15) +
        "*ZZ*" + PadRight(receiver, 15) + "*" + date6 + "*" + time4 + "*^*00501*" + control9 + "*0*" + usage +
        "*:");
  o.Seg({"GS", "HC", sender, receiver, date8, time4, group_ctl, "X", "005010X222A1"});
  o.ResetCount();  // SE01 counts ST through SE

  o.Seg({"ST", "837", InterchangeIds::kTransactionControl, "005010X222A1"});
  o.Seg({"BHT", "0019", "00", ids.Reference(), date8, time4, "CH"});
  // 1000A submitter, 1000B receiver.
  o.Seg({"NM1", "41", "2", Fit(config.submitter.name, 60), "", "", "", "", "46", sender});
  // PER02 is the contact's name; facility.xml may leave contact out, then the submitter's name.
  std::string contact = Fit(config.submitter.contact, 60);
  if (contact.empty()) contact = Fit(config.submitter.name, 60);
  o.Seg({"PER", "IC", contact, "TE", Digits(config.submitter.phone)});
  o.Seg({"NM1", "40", "2", Fit(config.receiver.name, 60), "", "", "", "", "46", receiver});
  // 2000A billing provider.
  o.Seg({"HL", "1", "", "20", "1"});
  o.Seg({"PRV", "BI", "PXC", Fit(facility.taxonomy, 50)});
  o.Seg({"NM1", "85", "2", Fit(facility.name, 60), "", "", "", "", "XX", Fit(facility.npi, 80)});
  AddressSegments(o, facility.address, /*nine_digit_zip=*/true);
  o.Seg({"REF", "EI", Digits(facility.tin)});

  int hl = 1;
  for (const auto& [patient, patient_claims] : groups) {
    const Patient& p = *patient;
    // 2000B subscriber = patient (no 2000C), Medicare Part B.
    o.Seg({"HL", std::to_string(++hl), "1", "22", "0"});
    o.Seg({"SBR", "P", "18", "", "", "", "", "", "", "MB"});
    o.Seg({"NM1", "IL", "1", Fit(p.last_name, 60), Fit(p.first_name, 35), Fit(p.middle_initial, 25), "", "",
           "MI", Fit(p.mbi, 80)});
    AddressSegments(o, p.address, /*nine_digit_zip=*/false);
    o.Seg({"DMG", "D8", p.birth_date.Compact(), std::string(1, p.sex == 'M' || p.sex == 'F' ? p.sex : 'U')});
    // 2010BB payer.
    o.Seg({"NM1", "PR", "2", Fit(facility.payer_name, 60), "", "", "", "", "PI", Fit(facility.payer_id, 80)});

    for (const Claim* c : patient_claims) {
      // 2300 claim: POS 58 (CL-4), frequency 1 (original).
      o.Seg({"CLM", Fit(c->claim_id, 38), X12Amount(c->Total()), "", "", "58:B:1", "Y", "A", "Y", "Y"});
      o.Seg({"HI", "ABK:" + Diagnosis(*c, p)});
      const Practitioner* claim_renderer = ClaimRenderer(facility, *c);
      if (claim_renderer) RenderingPerson(o, *claim_renderer);  // 2310B

      int lx = 0;
      for (const auto& line : c->lines) {
        if (line.modifiers.size() > kMaxModifiers)
          throw std::invalid_argument("837P: claim " + c->claim_id +
                                      " has a line with more than 4 modifiers");
        std::string procedure = "HC:" + Fit(line.code, 48);
        for (const auto& m : line.modifiers) procedure += ":" + Fit(m, 2);
        o.Seg({"LX", std::to_string(++lx)});
        o.Seg({"SV1", procedure, X12Amount(line.charge), "UN", std::to_string(line.units), "", "", "1"});
        o.Seg({"DTP", "472", "D8", line.dos.Compact()});
        // 2420A when this line's rendering provider is not the claim's.
        const Practitioner* r = FindPractitioner(facility, line.practitioner_npi);
        if (claim_renderer && r != claim_renderer) {
          if (r) {
            RenderingPerson(o, *r);
          } else {
            o.Seg({"NM1", "82", "2", Fit(facility.name, 60), "", "", "", "", "XX", Fit(facility.npi, 80)});
          }
        }
      }
    }
  }

  o.Seg({"SE", std::to_string(o.count() + 1), InterchangeIds::kTransactionControl});
  o.Seg({"GE", "1", group_ctl});
  o.Seg({"IEA", "1", control9});
  return std::move(o.text());
}

}  // namespace otp
