// PlanEpisodes: EP-1 and EP-3.
#include "billing/episodes.h"

namespace otp::billing {
namespace {

// The rows of `order` from `i` on that are dated on or before `end`.
size_t RowsThrough(const std::vector<size_t>& order, size_t i, Date end, const std::function<Date(size_t)>& date_of) {
  while (i < order.size() && date_of(order[i]) <= end) ++i;
  return i;
}

std::vector<EpisodePlan> PatientCycle(const std::vector<size_t>& order, const std::function<Date(size_t)>& date_of,
                                      int len, std::optional<Date> last_end) {
  std::vector<EpisodePlan> plans;
  if (order.empty()) return plans;
  const Date d0 = date_of(order[0]);
  Date start = (last_end && d0 <= *last_end + len) ? *last_end + 1 : d0;
  for (size_t i = 0; i < order.size();) {
    const Date end = start + (len - 1);
    const size_t j = RowsThrough(order, i, end, date_of);
    plans.push_back({start, end, start, std::vector<size_t>(order.begin() + i, order.begin() + j)});
    if (j == order.size()) break;
    const Date next = date_of(order[j]);
    start = next <= end + len ? end + 1 : next;
    i = j;
  }
  return plans;
}

std::vector<EpisodePlan> WeekdayCycle(const std::vector<size_t>& order, const std::function<Date(size_t)>& date_of,
                                      int weekday, int len, std::optional<Date> last_end) {
  std::vector<EpisodePlan> plans;
  std::optional<Date> previous_end = last_end;
  for (size_t i = 0; i < order.size();) {
    const Date first = date_of(order[i]);
    const Date start = first - ((first.weekday() - weekday + 7) % 7);
    const Date end = start + (len - 1);
    const size_t j = RowsThrough(order, i, end, date_of);
    // A week after a week without an episode begins or restarts treatment: its first day seen.
    const bool restart = !previous_end || *previous_end < start - 1;
    plans.push_back({start, end, restart ? first : start, std::vector<size_t>(order.begin() + i, order.begin() + j)});
    previous_end = end;
    i = j;
  }
  return plans;
}

}  // namespace

std::vector<EpisodePlan> PlanEpisodes(const std::vector<size_t>& order, const std::function<Date(size_t)>& date_of,
                                      const EpisodeCycle& cycle, int len, std::optional<Date> last_end) {
  return cycle.patient ? PatientCycle(order, date_of, len, last_end)
                       : WeekdayCycle(order, date_of, cycle.weekday, len, last_end);
}

}  // namespace otp::billing
