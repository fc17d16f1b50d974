// Date: a calendar day as a count of days since 1970-01-01, cheap to compare and to store.
// Parsing, formatting and calendar arithmetic live in date.cpp (Boost.Date_Time), so this
// header stays light for every unit that only carries dates around.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace otp {

class Date {
 public:
  constexpr Date() = default;
  static constexpr Date FromDays(int32_t days) { Date d; d.days_ = days; return d; }
  // Strict YYYY-MM-DD; nullopt when the text is not a real calendar date.
  static std::optional<Date> Parse(std::string_view text);
  static Date FromYmd(int year, int month, int day);  // throws std::out_of_range on unreal dates

  constexpr int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  int weekday() const;  // 0 = Sunday … 6 = Saturday
  std::string Iso() const;     // YYYY-MM-DD
  std::string Compact() const; // YYYYMMDD (X12 D8)

  constexpr Date operator+(int n) const { return FromDays(days_ + n); }
  constexpr Date operator-(int n) const { return FromDays(days_ - n); }
  constexpr int operator-(Date o) const { return days_ - o.days_; }
  constexpr auto operator<=>(const Date&) const = default;

 private:
  int32_t days_ = 0;
};

// A moment as people read it in logs and records: "2026-12-06T03:31:00Z" (UTC).
std::string UtcStamp(std::time_t t);
// The UTC calendar day of a moment.
inline Date UtcDate(std::time_t t) { return Date::FromDays(static_cast<int32_t>(t / 86400 - (t % 86400 < 0))); }

}  // namespace otp
