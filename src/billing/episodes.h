// EP-1 and EP-3: a patient's billable rows as 7-day episodes, and the date each episode's
// bundle line carries. Private to billing/.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "model/date.h"
#include "model/types.h"

namespace otp::billing {

struct EpisodePlan {
  Date start, end;             // end = start + len - 1
  Date bundle_dos;             // EP-3
  std::vector<size_t> rows;    // the rows dated in it, in date order
};

// `order`: row indexes in date order; `date_of(i)` their dates. `last_end`: the end of the
// latest episode decided on an earlier night (the rows are all after it).
//
// Patient cycle: the first episode starts on the first row's date, or the day after `last_end`
// when that row falls within a week of it (the episodes are consecutive); the next starts the
// day after one ends if a row falls in the 7 days after it, else on the next row's date. The
// bundle line carries the episode's first day (EP-3: the first day seen after a break, and the
// day after the previous period for a consecutive one).
//
// Weekday cycle: episodes are the facility's calendar weeks holding rows. The bundle line
// carries the week's first day, except in a week that begins or restarts treatment (the week
// before held no episode), which carries the first day seen.
std::vector<EpisodePlan> PlanEpisodes(const std::vector<size_t>& order, const std::function<Date(size_t)>& date_of,
                                      const EpisodeCycle& cycle, int len, std::optional<Date> last_end);

}  // namespace otp::billing
