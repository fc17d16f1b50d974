// Calendar arithmetic for Date, through Boost.Date_Time's proleptic Gregorian calendar.
#include <ctime>
#include "model/date.h"

#include "model/text.h"

#include <boost/date_time/gregorian/gregorian.hpp>
#include <stdexcept>

namespace otp {
namespace {
namespace bg = boost::gregorian;
const bg::date kEpoch(1970, 1, 1);

bg::date ToBoost(Date d) { return kEpoch + bg::days(d.days()); }

}  // namespace

std::optional<Date> Date::Parse(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  if (!AllDigits(t.substr(0, 4)) || !AllDigits(t.substr(5, 2)) || !AllDigits(t.substr(8, 2))) return std::nullopt;
  auto num = [&](size_t pos, size_t n) {
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return std::nullopt;
  if (d > bg::gregorian_calendar::end_of_month_day(static_cast<unsigned short>(y), static_cast<unsigned short>(m)))
    return std::nullopt;
  return FromYmd(y, m, d);
}

Date Date::FromYmd(int year, int month, int day) {
  try {
    bg::date b(static_cast<unsigned short>(year), static_cast<unsigned short>(month),
               static_cast<unsigned short>(day));
    return FromDays(static_cast<int32_t>((b - kEpoch).days()));
  } catch (const std::exception& e) {
    throw std::out_of_range(std::string("not a real date: ") + e.what());
  }
}

int Date::year() const { return ToBoost(*this).year(); }
int Date::month() const { return ToBoost(*this).month(); }
int Date::day() const { return ToBoost(*this).day(); }
int Date::weekday() const { return ToBoost(*this).day_of_week(); }

namespace {
// YYYY<sep>MM<sep>DD (no separator when sep is 0), digit by digit: a night formats a date for
// every row and claim line it stores, and snprintf would parse its format string each time.
// Boost's calendar keeps years in 1400..9999, always four digits.
std::string Format(Date d, char sep) {
  const auto ymd = ToBoost(d).year_month_day();
  std::string out;
  out.reserve(10);
  auto two = [&out](int v) {  // 00..99
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
  };
  two(ymd.year / 100);
  two(ymd.year % 100);
  if (sep) out += sep;
  two(ymd.month);
  if (sep) out += sep;
  two(ymd.day);
  return out;
}
}  // namespace

std::string Date::Iso() const { return Format(*this, '-'); }

std::string Date::Compact() const { return Format(*this, 0); }

std::string UtcStamp(std::time_t t) {
  char buf[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace otp
