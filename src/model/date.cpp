// Calendar arithmetic for Date, through Boost.Date_Time's proleptic Gregorian calendar.
#include "model/date.h"

#include "model/text.h"

#include <boost/date_time/gregorian/gregorian.hpp>
#include <cstdio>
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

std::string Date::Iso() const {
  auto ymd = ToBoost(*this).year_month_day();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", int(ymd.year), int(ymd.month), int(ymd.day));
  return buf;
}

std::string Date::Compact() const {
  auto ymd = ToBoost(*this).year_month_day();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", int(ymd.year), int(ymd.month), int(ymd.day));
  return buf;
}

}  // namespace otp
