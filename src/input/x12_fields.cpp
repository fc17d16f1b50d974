// Element readers for the X12 transaction readers; see x12_fields.h.
#include "input/x12_fields.h"

#include "model/text.h"

namespace otp::x12 {
namespace {

std::string Two(size_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }

}  // namespace

Status Fail(const X12Segment& s, std::string_view reason) { return FailAt(s.ordinal, s.id, reason); }

Status FailAt(int64_t ordinal, std::string_view id, std::string_view reason) {
  return Status::InvalidArgument("segment " + std::to_string(ordinal) + " (" + std::string(id) +
                                 "): " + std::string(reason));
}

std::string Printable(std::string_view id) {
  for (char c : id)
    if (c < 0x20 || c > 0x7E) return "(an id with unprintable characters)";
  return std::string(id);
}

std::string Ref(const X12Segment& s, size_t n) { return s.id + Two(n); }

std::string Ref(const X12Segment& s, size_t n, size_t c) { return Ref(s, n) + "-" + std::to_string(c); }

std::optional<Money> ParseAmount(std::string_view t) {
  size_t dot = t.find('.');
  if (dot != std::string_view::npos) {
    while (t.size() > dot + 3 && t.back() == '0') t.remove_suffix(1);
  }
  if (!t.empty() && t[0] == '+') return std::nullopt;  // X12 R carries only a minus sign
  return Money::Parse(t);
}

std::optional<Date> ParseD8(std::string_view t) {
  if (t.size() != 8 || !AllDigits(t)) return std::nullopt;
  std::string iso =
      std::string(t.substr(0, 4)) + "-" + std::string(t.substr(4, 2)) + "-" + std::string(t.substr(6, 2));
  return Date::Parse(iso);
}

Status Need(const X12Segment& s, size_t n, std::string& out) {
  if (s.Element(n).empty()) return Fail(s, Ref(s, n) + " is required");
  out = std::string(s.Element(n));
  return Status::Ok();
}

Status NeedCode(const X12Segment& s, size_t n, std::initializer_list<std::string_view> codes,
                std::string& out) {
  OTP_X12_TRY(Need(s, n, out));
  for (auto c : codes)
    if (out == c) return Status::Ok();
  std::string list;
  for (auto c : codes) list += (list.empty() ? "" : ", ") + std::string(c);
  return Fail(s, Ref(s, n) + " is not one of " + list);
}

Status NeedAmount(const X12Segment& s, size_t n, Money& out) {
  if (s.Element(n).empty()) return Fail(s, Ref(s, n) + " (an amount) is required");
  std::optional<Money> m;
  OTP_X12_TRY(OptAmount(s, n, m));
  out = *m;
  return Status::Ok();
}

Status OptAmount(const X12Segment& s, size_t n, std::optional<Money>& out) {
  out.reset();
  if (s.Element(n).empty()) return Status::Ok();
  out = ParseAmount(s.Element(n));
  if (!out) return Fail(s, Ref(s, n) + " is not an amount in dollars and cents");
  return Status::Ok();
}

Status NeedDate(const X12Segment& s, size_t n, Date& out) {
  if (s.Element(n).empty()) return Fail(s, Ref(s, n) + " (a date) is required");
  std::optional<Date> d;
  OTP_X12_TRY(OptDate(s, n, d));
  out = *d;
  return Status::Ok();
}

Status NeedDate(const X12Segment& s, size_t n, std::optional<Date>& out) {
  Date d;
  OTP_X12_TRY(NeedDate(s, n, d));
  out = d;
  return Status::Ok();
}

Status OptDate(const X12Segment& s, size_t n, std::optional<Date>& out) {
  out.reset();
  if (s.Element(n).empty()) return Status::Ok();
  out = ParseD8(s.Element(n));
  if (!out) return Fail(s, Ref(s, n) + " is not a real date CCYYMMDD in 1900-9999");
  return Status::Ok();
}

std::optional<int64_t> ParseCount(std::string_view v) {
  if (!AllDigits(v) || v.size() > 18) return std::nullopt;
  int64_t out = 0;
  for (char c : v) out = out * 10 + (c - '0');
  return out;
}

Status NeedCount(const X12Segment& s, size_t n, int64_t& out) {
  if (s.Element(n).empty()) return Fail(s, Ref(s, n) + " (a count) is required");
  auto v = ParseCount(s.Element(n));
  if (!v) return Fail(s, Ref(s, n) + " is not a whole number");
  out = *v;
  return Status::Ok();
}

Status OptQuantity(const X12Segment& s, size_t n, std::optional<X12Quantity>& out) {
  out.reset();
  if (s.Element(n).empty()) return Status::Ok();
  out = X12Quantity::Parse(s.Element(n));
  if (!out) return Fail(s, Ref(s, n) + " is not a quantity with at most three decimals");
  return Status::Ok();
}

Status DateOrRange(const X12Segment& s, size_t format, size_t value, Date& from, Date& to) {
  std::string_view f = s.Element(format);
  std::string_view v = s.Element(value);
  if (f == "D8") {
    auto d = ParseD8(v);
    if (!d) return Fail(s, Ref(s, value) + " is not a real date CCYYMMDD in 1900-9999");
    from = to = *d;
    return Status::Ok();
  }
  if (f == "RD8") {
    auto a = v.size() == 17 && v[8] == '-' ? ParseD8(v.substr(0, 8)) : std::nullopt;
    auto b = v.size() == 17 && v[8] == '-' ? ParseD8(v.substr(9)) : std::nullopt;
    if (!a || !b || *b < *a)
      return Fail(s, Ref(s, value) + " is not a period CCYYMMDD-CCYYMMDD of real dates, first to last");
    from = *a;
    to = *b;
    return Status::Ok();
  }
  return Fail(s, Ref(s, format) + " is neither D8 nor RD8");
}

Status ReadProcedure(const X12Segment& s, size_t n, X12Procedure& out) {
  auto parts = s.Components(n);
  if (parts.empty()) return Fail(s, Ref(s, n) + " (a procedure) is required");
  static constexpr std::string_view kQualifiers[] = {"AD", "ER", "HC", "HP", "IV",
                                                     "N4", "N6", "NU", "UI", "WK"};
  bool known = false;
  for (auto q : kQualifiers) known = known || parts[0] == q;
  if (!known) return Fail(s, Ref(s, n, 1) + " is not a product or service id qualifier (HC, AD, ER, …)");
  if (parts.size() < 2 || parts[1].empty() || parts[1].size() > 48)
    return Fail(s, Ref(s, n, 2) + " (the procedure code, 1 to 48 characters) is required");
  out = X12Procedure{std::string(parts[0]), std::string(parts[1]), {}};
  for (size_t c = 3; c <= 6 && c <= parts.size(); ++c) {
    if (parts[c - 1].empty()) continue;
    if (parts[c - 1].size() != 2) return Fail(s, Ref(s, n, c) + " (a modifier) is not two characters");
    out.modifiers.emplace_back(parts[c - 1]);
  }
  return Status::Ok();
}

}  // namespace otp::x12
