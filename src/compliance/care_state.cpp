// CareState and its bytes.
//
// Format, version 1: the byte 'C', the byte 1, then
//   basis             varint length + bytes
//   judged_through    zigzag varint: days since 1970-01-01
//   first_day_terms   varint length + bytes
//   flags             varint: 1 first_dose present, 2 counseling present
//   first_dose        zigzag varint days                      (flag 1)
//   counseling        zigzag varint days, service letter, varint rowid   (flag 2)
//   checks            varint count, then per row: service letter, zigzag varint days since
//                     the row before (the first: since 1970-01-01), varint rowid
// Numbers are unsigned LEB128 varints. Services are letters, not the enum's values, so that a
// new service word cannot change what is kept.
#include "compliance/care_state.h"

#include <algorithm>
#include <tuple>

namespace otp {
namespace {

constexpr char kMagic = 'C';
constexpr char kVersion = 1;

constexpr std::pair<Service, char> kLetters[] = {
    {Service::kPhysicalExam, 'e'},   {Service::kPsychosocialAssessment, 'a'}, {Service::kCarePlan, 'p'},
    {Service::kToxicologyTest, 't'}, {Service::kCounselingIndividual, 'i'},   {Service::kCounselingGroup, 'g'}};

char LetterOf(Service s) {
  for (const auto& [service, letter] : kLetters)
    if (service == s) return letter;
  return '?';
}
std::optional<Service> ServiceOf(char c) {
  for (const auto& [service, letter] : kLetters)
    if (letter == c) return service;
  return std::nullopt;
}

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
void PutSigned(std::string& out, int64_t v) {
  PutVarint(out, v >= 0 ? static_cast<uint64_t>(v) * 2 : static_cast<uint64_t>(-(v + 1)) * 2 + 1);
}
void PutText(std::string& out, std::string_view s) {
  PutVarint(out, s.size());
  out.append(s);
}

// Reads what the Put functions wrote; any read past the end or malformed value sets `ok`
// false and the rest answer zeros.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) break;
      const auto byte = static_cast<unsigned char>(in_.front());
      in_.remove_prefix(1);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
    ok_ = false;
    return 0;
  }
  int64_t Signed() {
    const uint64_t z = Varint();
    return (z & 1) ? -static_cast<int64_t>(z >> 1) - 1 : static_cast<int64_t>(z >> 1);
  }
  Date Day() {
    const int64_t d = Signed();
    if (d < INT32_MIN || d > INT32_MAX) ok_ = false;
    return ok_ ? Date::FromDays(static_cast<int32_t>(d)) : Date();
  }
  char Byte() {
    if (in_.empty()) {
      ok_ = false;
      return 0;
    }
    const char c = in_.front();
    in_.remove_prefix(1);
    return c;
  }
  Service ServiceLetter() {
    const auto s = ServiceOf(Byte());
    if (!s) ok_ = false;
    return s.value_or(Service::kToxicologyTest);
  }
  std::string Text() {
    const uint64_t n = Varint();
    if (n > in_.size()) {
      ok_ = false;
      return {};
    }
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

bool IsCheckService(Service s) {
  return s == Service::kPhysicalExam || s == Service::kPsychosocialAssessment || s == Service::kCarePlan ||
         s == Service::kToxicologyTest;
}

void CareFacts::Add(Date date, Service service, int64_t rowid) {
  if (service == Service::kMethadoneDose && (!first_dose || date < *first_dose)) first_dose = date;
  if (IsCheckService(service)) {
    const CheckRow row{date, service, rowid};
    const auto at = std::lower_bound(checks.begin(), checks.end(), row);
    if (at == checks.end() || *at != row) checks.insert(at, row);
    return;
  }
  if (!IsCounseling(service)) return;
  // The last by (date, the service's name, rowid).
  const auto place = std::make_tuple(date, ServiceName(service), rowid);
  if (!counseling_date || std::make_tuple(*counseling_date, ServiceName(counseling_service), counseling_rowid) < place) {
    counseling_date = date;
    counseling_service = service;
    counseling_rowid = rowid;
  }
}

std::string EncodeCareState(const CareState& s) {
  std::string out{kMagic, kVersion};
  PutText(out, s.basis);
  PutSigned(out, s.judged_through.days());
  PutText(out, s.first_day_terms);
  const CareFacts& f = s.facts;
  PutVarint(out, (f.first_dose ? 1u : 0u) | (f.counseling_date ? 2u : 0u));
  if (f.first_dose) PutSigned(out, f.first_dose->days());
  if (f.counseling_date) {
    PutSigned(out, f.counseling_date->days());
    out.push_back(LetterOf(f.counseling_service));
    PutVarint(out, static_cast<uint64_t>(f.counseling_rowid));
  }
  PutVarint(out, f.checks.size());
  int64_t day = 0;
  for (const auto& r : f.checks) {
    out.push_back(LetterOf(r.service));
    PutSigned(out, r.date.days() - day);
    PutVarint(out, static_cast<uint64_t>(r.rowid));
    day = r.date.days();
  }
  return out;
}

Result<CareState> DecodeCareState(std::string_view bytes) {
  Reader in(bytes);
  CareState s;
  const bool header = in.Byte() == kMagic && in.Byte() == kVersion;
  s.basis = in.Text();
  s.judged_through = in.Day();
  s.first_day_terms = in.Text();
  const uint64_t flags = in.Varint();
  if (flags & 1) s.facts.first_dose = in.Day();
  if (flags & 2) {
    s.facts.counseling_date = in.Day();
    s.facts.counseling_service = in.ServiceLetter();
    s.facts.counseling_rowid = static_cast<int64_t>(in.Varint());
  }
  const uint64_t n = in.Varint();
  int64_t day = 0;
  for (uint64_t i = 0; in.ok() && i < n; ++i) {
    CheckRow r;
    r.service = in.ServiceLetter();
    day += in.Signed();
    r.date = Date::FromDays(static_cast<int32_t>(day));
    r.rowid = static_cast<int64_t>(in.Varint());
    const bool in_order = s.facts.checks.empty() || s.facts.checks.back() < r;
    if (!in_order || !IsCheckService(r.service))
      return Status::Corrupt("the ledger holds a patient's care state whose rows do not read back");
    s.facts.checks.push_back(r);
  }
  const bool counseling_ok = !s.facts.counseling_date || IsCounseling(s.facts.counseling_service);
  if (!header || !in.ok() || !in.done() || flags > 3 || !counseling_ok)
    return Status::Corrupt("the ledger holds a patient's care state that this otpbatch cannot read back");
  return s;
}

}  // namespace otp
