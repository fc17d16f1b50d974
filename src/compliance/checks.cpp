// The compliance checks of compliance-rules.md (see checks.h for the contract).
#include "compliance/checks.h"

#include "model/text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "rules/rulebook.h"

namespace otp {
namespace {

// ---- limit ids in codes/limits.xml ----------------------------------------------------------
constexpr const char* kPg1WarningDays = "pg1.warning_days";
constexpr const char* kProvisionalMaxDays = "provisional.max_days";
constexpr const char* kPa1Days = "pa1.days";
constexpr const char* kPa2Days = "pa2.days";
constexpr const char* kPa3ReviewDays = "pa3.review_days";
constexpr const char* kPa4TestsPerYear = "pa4.tests_per_year";
constexpr const char* kPa4YearDays = "pa4.year_days";
constexpr const char* kPa4InitialDays = "pa4.initial_days";
constexpr const char* kPa4InterimFurtherTests = "pa4.interim_further_tests";
constexpr const char* kPa6FirstDayMaxMg = "pa6.first_day_max_mg";
constexpr const char* kPa7InterimMaxDays = "pa7.interim_max_days";
constexpr const char* kPa7WindowDays = "pa7.window_days";
constexpr const char* kPa8LookbackDays = "pa8.counseling_lookback_days";
constexpr const char* kRt1RetentionDays = "rt1.retention_days";
// PA-5 ladder: the largest take-home supply (days) from a treatment day on.
struct LadderStep {
  const char* from_day_id;  // nullptr: from day 1
  const char* max_days_id;
};
constexpr LadderStep kPa5Ladder[] = {
    {nullptr, "pa5.tier1.max_days"},
    {"pa5.tier2.from_day", "pa5.tier2.max_days"},
    {"pa5.tier3.from_day", "pa5.tier3.max_days"},
};


int IntLimit(const RuleBook& rules, const char* id) {
  return static_cast<int>(std::lround(rules.LimitValue(id)));
}

std::string Citation(const RuleBook& rules, const char* id) {
  const Limit* l = rules.FindLimit(id);
  return l ? l->citation : std::string();
}

std::string Num(double v) {
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%g", v);
  }
  return buf;
}

std::string Key(const std::string& facility, const std::string& patient, const std::string& rule,
                const std::string& when, const std::string& item = "") {
  return FindingKey(facility, patient, rule, when, item);
}

Finding Make(const std::string& rule, std::string citation, Severity sev, const std::string& facility,
             const std::string& patient, Date date, std::string detail, std::string key) {
  Finding f;
  f.rule_id = rule;
  f.citation = std::move(citation);
  f.severity = sev;
  f.facility_id = facility;
  f.patient_id = patient;
  f.date = date;
  f.detail = std::move(detail);
  f.key = std::move(key);
  return f;
}

std::string CredentialLabel(const Credential& c) {
  std::string s = c.kind;
  if (!c.number.empty()) s += " " + c.number;
  else if (!c.body.empty()) s += " (" + c.body + ")";
  return s;
}

// ---- PG-1 / PG-2 ------------------------------------------------------------------------------

// Last day of continuous coverage from `as_of` for credentials of one kind, following renewals
// that start on or before the day after the current end; nullopt = open-ended.
std::optional<Date> CoverageEnd(const std::vector<const Credential*>& creds, Date as_of,
                                const Credential** best) {
  *best = nullptr;
  for (const Credential* c : creds) {
    if (!c->Covers(as_of)) continue;
    if (!*best || !c->expires || ((*best)->expires && *c->expires > *(*best)->expires)) *best = c;
  }
  if (!*best || !(*best)->expires) return std::nullopt;
  Date end = *(*best)->expires;
  for (bool grew = true; grew;) {
    grew = false;
    for (const Credential* c : creds) {
      if (c->effective <= end + 1 && (!c->expires || *c->expires > end)) {
        if (!c->expires) return std::nullopt;
        end = *c->expires;
        grew = true;
      }
    }
  }
  return end;
}

void CheckCredentialKind(const Facility& f, const std::string& kind, Date as_of,
                         const RuleBook& rules, std::vector<Finding>& out) {
  std::vector<const Credential*> creds;
  for (const auto& c : f.credentials)
    if (c.kind == kind) creds.push_back(&c);
  const std::string cite = Citation(rules, kPg1WarningDays);
  if (creds.empty()) {
    out.push_back(Make("PG-1", cite, Severity::kViolation, f.id, "", as_of,
                       "no " + kind + " on file for facility " + f.id + "; add the credential",
                       Key(f.id, "", "PG-1", kind, "missing")));
    return;
  }
  const Credential* best = nullptr;
  std::optional<Date> end = CoverageEnd(creds, as_of, &best);
  if (!best) {  // lapsed: nothing of this kind covers as_of
    std::optional<Date> last_expired;
    for (const Credential* c : creds)
      if (c->expires && *c->expires < as_of && (!last_expired || *c->expires > *last_expired))
        last_expired = c->expires;
    if (last_expired) {
      Date lapsed = *last_expired + 1;
      out.push_back(Make("PG-1", cite, Severity::kViolation, f.id, "", lapsed,
                         kind + " lapsed on " + lapsed.Iso() + " (last expiry " +
                             last_expired->Iso() + ", " + std::to_string(as_of - *last_expired) +
                             " days before " + as_of.Iso() + "); renew it and record the new " +
                             kind + " in facility.xml",
                         Key(f.id, "", "PG-1", lapsed.Iso(), kind)));
    } else {  // only credentials that are not yet in force
      Date first = creds.front()->effective;
      for (const Credential* c : creds) first = std::min(first, c->effective);
      out.push_back(Make("PG-1", cite, Severity::kViolation, f.id, "", as_of,
                         "no " + kind + " in force on " + as_of.Iso() + " (first effective " +
                             first.Iso() + ")",
                         Key(f.id, "", "PG-1", kind, "not-yet-effective")));
    }
    return;
  }
  if (!end) return;  // open-ended coverage
  const int days = *end - as_of;
  const int warn = IntLimit(rules, kPg1WarningDays);
  if (days > warn) return;
  std::string detail = CredentialLabel(*best) + " expires " + end->Iso() + " (in " +
                       std::to_string(days) + " days, warning at " + std::to_string(warn) +
                       "); renew it and record the renewal in facility.xml";
  if (*best->expires != *end) detail = kind + " coverage (with renewals on file) ends " + end->Iso() +
                                       " (in " + std::to_string(days) + " days, warning at " +
                                       std::to_string(warn) + "); record the next renewal";
  out.push_back(Make("PG-1", cite, Severity::kWarning, f.id, "", *end, std::move(detail),
                     Key(f.id, "", "PG-1", end->Iso(), kind)));
}

// ---- helpers for patient checks -------------------------------------------------------------

// Sorted dates of rows of one service (duplicates kept).
std::vector<Date> DatesOf(const std::vector<const ServiceRecord*>& rows, Service s) {
  std::vector<Date> d;
  for (const auto* r : rows)
    if (r->service == s) d.push_back(r->service_date);
  std::sort(d.begin(), d.end());
  return d;
}

bool AnyIn(const std::vector<Date>& sorted, Date from, Date to) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), from);
  return it != sorted.end() && *it <= to;
}

int64_t CountIn(const std::vector<Date>& sorted, Date from, Date to) {
  if (to < from) return 0;
  return std::upper_bound(sorted.begin(), sorted.end(), to) -
         std::lower_bound(sorted.begin(), sorted.end(), from);
}

// "1 toxicology test", "3 toxicology tests".
std::string Tests(int64_t n) { return std::to_string(n) + (n == 1 ? " toxicology test" : " toxicology tests"); }

struct Ctx {
  const Facility& f;
  const Patient& p;
  Date adm, end, as_of;
  bool discharged;
  Date evidence_from;  // max(admission, first day the ledger holds records for the facility)
  const RuleBook& rules;
  std::vector<Finding>& out;
  void Add(const char* rule, const char* limit_id, Severity sev, Date date, std::string detail,
           const std::string& item = "") {
    out.push_back(Make(rule, Citation(rules, limit_id), sev, f.id, p.patient_id, date,
                       std::move(detail), Key(f.id, p.patient_id, rule, date.Iso(), item)));
  }
};

// PA-1 / PA-2: `service` within `days` following admission, i.e. on or before admission + days.
void CheckWithin(Ctx& c, const std::vector<const ServiceRecord*>& rows, const char* rule,
                 const char* limit_id, Service service, bool itemised) {
  const int days = IntLimit(c.rules, limit_id);
  const Date due = c.adm + days;
  if (c.evidence_from > c.adm) return;       // admitted before our records begin: no evidence
  if (due >= c.as_of) return;                // not yet passed: the deadline day may still bring it
  if (c.discharged && c.end < due) return;   // left before it was due
  if (AnyIn(DatesOf(rows, service), c.adm, due)) return;
  const std::string name(ServiceName(service));
  c.Add(rule, limit_id, Severity::kViolation, due,
        "no " + ServiceWords(service) + " within " + std::to_string(days) + " days following admission " + c.adm.Iso() +
            " (due by " + due.Iso() + ")",
        itemised ? name : "");
}

void CheckPa3(Ctx& c, const std::vector<const ServiceRecord*>& rows) {
  const int review = IntLimit(c.rules, kPa3ReviewDays);
  std::vector<Date> plans = DatesOf(rows, Service::kCarePlan);
  plans.erase(std::unique(plans.begin(), plans.end()), plans.end());
  // Admitted before our records begin: the last review is unknown, so the first one we can
  // hold the program to is due `review` days after the records begin.
  const bool unknown_start = c.evidence_from > c.adm;
  if (unknown_start && (plans.empty() || plans.front() > c.evidence_from))
    plans.insert(plans.begin(), c.evidence_from);
  for (size_t i = 0; i < plans.size(); ++i) {
    const Date prev = plans[i];
    const bool virtual_start = unknown_start && i == 0 && prev == c.evidence_from;
    const bool last = i + 1 == plans.size();
    const Date next = last ? c.end : plans[i + 1];
    if (next - prev <= review) continue;
    const Date due = prev + review;
    std::string detail = (virtual_start ? "no care plan on record since records began " + prev.Iso()
                                        : "care plan of " + prev.Iso() + " not reviewed") +
                         " within " + std::to_string(review) + " days (due by " + due.Iso() + "; ";
    detail += last ? "no review by " + c.end.Iso() + ")" : "next review " + next.Iso() + ")";
    c.Add("PA-3", kPa3ReviewDays, Severity::kWarning, due, std::move(detail));
  }
}

// PA-4, maintenance: at least pa4.tests_per_year tests in the pa4.year_days days up to a day;
// fewer than a year of days since evidence_from, floor(per year x days / year days). A shortfall
// still running on `end` is one finding, dated (and keyed by) its first day: the same shortfall
// keeps its key night after night, and a test that makes it good ends it.
void CheckPa4Maintenance(Ctx& c, const std::vector<Date>& tests) {
  const double per_year = c.rules.LimitValue(kPa4TestsPerYear);
  const int year = IntLimit(c.rules, kPa4YearDays);
  auto required = [&](Date d) {
    const int64_t days = d - c.evidence_from + 1;
    if (days >= year) return static_cast<int64_t>(std::floor(per_year + 1e-9));
    return static_cast<int64_t>(std::floor(per_year * static_cast<double>(days) / year + 1e-9));
  };
  auto count = [&](Date d) { return CountIn(tests, std::max(c.evidence_from, d - (year - 1)), d); };
  auto short_on = [&](Date d) { return count(d) < required(d); };
  if (!short_on(c.end)) return;
  Date since = c.end;  // first day of the shortfall that is still running on `end`
  while (since > c.evidence_from && short_on(since - 1)) since = since - 1;
  const int64_t days = c.end - c.evidence_from + 1;
  const std::string from_what =
      c.evidence_from > c.adm ? "since records began " : "since admission ";
  std::string window = days >= year ? "in the " + std::to_string(year) + " days to " + c.end.Iso()
                                    : "in " + std::to_string(days) + " days " + from_what +
                                          c.evidence_from.Iso() + " to " + c.end.Iso();
  c.Add("PA-4", kPa4TestsPerYear, Severity::kViolation, since,
        Tests(count(c.end)) + " " + window + "; at least " +
            std::to_string(required(c.end)) + " required (" + Num(per_year) + " per " +
            std::to_string(year) + " days); short since " + since.Iso());
}

// PA-4's initial test (withdrawal, interim): a toxicology_test within pa4.initial_days following
// admission, so due by admission + initial_days, or by the discharge when the stay ends sooner:
// a stay shorter than the window still owes its initial test.
Date InitialTestDue(const Ctx& c) {
  const Date window_end = c.adm + IntLimit(c.rules, kPa4InitialDays);
  return c.discharged && c.end < window_end ? c.end : window_end;
}

// Judged once its day has passed; not for an admission before the records begin (its first days
// cannot be seen).
void CheckPa4Initial(Ctx& c, const std::vector<Date>& tests) {
  if (c.evidence_from > c.adm) return;
  const Date due = InitialTestDue(c);
  if (due >= c.as_of || AnyIn(tests, c.adm, due)) return;
  const int days = IntLimit(c.rules, kPa4InitialDays);
  const std::string program(ProgramName(c.p.program));
  c.Add("PA-4", kPa4InitialDays, Severity::kViolation, due,
        due < c.adm + days
            ? "no toxicology test from admission " + c.adm.Iso() + " to discharge " + due.Iso() + " (" + program +
                  ": an initial test is due within " + std::to_string(days) + " days following admission)"
            : "no toxicology test within " + std::to_string(days) + " days following admission " + c.adm.Iso() +
                  " (" + program + ": initial test due by " + due.Iso() + ")",
        "initial_test");
}

// PA-4, interim: besides the initial test, at least pa4.interim_further_tests more during interim
// treatment, which ends at discharge, or on its last permitted day (pa7.interim_max_days: day
// 180) for a patient who stays. Judged once that day has passed, from the admission's tests up to
// it; not for an admission before the records begin. One finding for the shortfall, however many
// tests are missing.
void CheckPa4Interim(Ctx& c, const std::vector<Date>& tests) {
  if (c.evidence_from > c.adm) return;
  const int further = IntLimit(c.rules, kPa4InterimFurtherTests);
  const Date last_day = c.adm + (IntLimit(c.rules, kPa7InterimMaxDays) - 1);
  const Date ends = c.discharged && c.end < last_day ? c.end : last_day;
  if (ends >= c.as_of) return;  // interim treatment not over yet
  const int64_t all = CountIn(tests, c.adm, ends);
  const int64_t others = all - (AnyIn(tests, c.adm, InitialTestDue(c)) ? 1 : 0);
  if (others >= further) return;
  c.Add("PA-4", kPa4InterimFurtherTests, Severity::kViolation, ends,
        Tests(others) + " besides the initial test during interim treatment " +
            c.adm.Iso() + " to " + ends.Iso() + " (" + std::to_string(all) +
            " in all); an initial test and at least " + std::to_string(further) + " more required",
        "interim_tests");
}

// PA-4 by program (compliance-rules.md).
void CheckPa4(Ctx& c, const std::vector<const ServiceRecord*>& rows) {
  const std::vector<Date> tests = DatesOf(rows, Service::kToxicologyTest);
  switch (c.p.program) {
    case Program::kMaintenance:
      CheckPa4Maintenance(c, tests);
      return;
    case Program::kWithdrawal:
      CheckPa4Initial(c, tests);
      return;
    case Program::kInterim:
      CheckPa4Initial(c, tests);
      CheckPa4Interim(c, tests);
      return;
  }
}

void CheckPa5(Ctx& c, const std::vector<const ServiceRecord*>& rows) {
  struct Step { int from_day, max_days; const char* id; };
  std::vector<Step> ladder;
  for (const auto& s : kPa5Ladder)
    ladder.push_back({s.from_day_id ? IntLimit(c.rules, s.from_day_id) : 1,
                      IntLimit(c.rules, s.max_days_id), s.max_days_id});
  std::sort(ladder.begin(), ladder.end(),
            [](const Step& a, const Step& b) { return a.from_day < b.from_day; });
  std::map<Date, std::pair<double, bool>> by_day;  // date → (days supplied, exception)
  for (const auto* r : rows) {
    if (r->service != Service::kMethadoneTakehome) continue;
    auto& d = by_day[r->service_date];
    d.first += r->quantity;
    d.second = d.second || r->Has(kFlagSma168Exception);
  }
  for (const auto& [date, supply] : by_day) {
    if (supply.second) continue;
    const int day = date - c.adm + 1;
    const Step* step = &ladder.front();
    for (const auto& s : ladder)
      if (day >= s.from_day) step = &s;
    if (supply.first <= step->max_days) continue;
    c.Add("PA-5", step->id, Severity::kViolation, date,
          "methadone take-home of " + Num(supply.first) + " days supplied on " + date.Iso() +
              " (treatment day " + std::to_string(day) + "): at most " +
              std::to_string(step->max_days) + " from day " + std::to_string(step->from_day) +
              " without an SMA-168 exception recorded");
  }
}

void CheckPa6(Ctx& c, const std::vector<const ServiceRecord*>& rows) {
  std::optional<Date> first;
  for (const auto* r : rows)
    if (r->service == Service::kMethadoneDose && (!first || r->service_date < *first))
      first = r->service_date;
  if (!first) return;
  if (c.evidence_from > c.adm) return;  // admitted before our records begin: not the first day
  double mg = 0;
  bool justified = false;
  for (const auto* r : rows) {
    if (r->service_date != *first) continue;
    if (r->service == Service::kMethadoneDose) mg += r->quantity;
    justified = justified || r->Has(kFlagDoseJustified);
  }
  const double max_mg = c.rules.LimitValue(kPa6FirstDayMaxMg);
  if (justified || mg <= max_mg) return;
  c.Add("PA-6", kPa6FirstDayMaxMg, Severity::kViolation, *first,
        "methadone first-day total " + Num(mg) + " mg on " + first->Iso() + " exceeds " +
            Num(max_mg) + " mg and the dose is not marked as justified");
}

void CheckPa7(Ctx& c) {
  if (c.p.program != Program::kInterim) return;
  const int max_days = IntLimit(c.rules, kPa7InterimMaxDays);
  const int window = IntLimit(c.rules, kPa7WindowDays);
  // One admission per patient row: the busiest 12-month window is the first (or the whole stay).
  const int days = c.end - c.adm + 1;
  if (std::min(days, window) <= max_days) return;
  const Date over = c.adm + max_days;  // day max_days + 1
  c.Add("PA-7", kPa7InterimMaxDays, Severity::kViolation, over,
        "interim treatment since admission " + c.adm.Iso() + " passed " +
            std::to_string(max_days) + " days on " + over.Iso() + " (" + std::to_string(days) +
            " days to " + c.end.Iso() + "); transfer to comprehensive treatment or discharge");
}

void CheckPa8(Ctx& c, const std::vector<const ServiceRecord*>& rows) {
  if (c.p.program != Program::kMaintenance || c.discharged) return;
  const int lookback = IntLimit(c.rules, kPa8LookbackDays);
  if (c.as_of - c.adm + 1 < lookback) return;
  std::optional<Date> last;
  for (const auto* r : rows)
    if (IsCounseling(r->service) && (!last || r->service_date > *last)) last = r->service_date;
  const Date window_from = c.as_of - (lookback - 1);
  if (c.evidence_from > window_from) return;  // fewer than `lookback` days of records
  if (last && *last >= window_from) return;
  const Date since = last ? *last + lookback : c.adm + (lookback - 1);
  c.Add("PA-8", kPa8LookbackDays, Severity::kInfo, since,
        "no individual or group counseling in the " + std::to_string(lookback) +
            " days to " + c.as_of.Iso() +
            (last ? " (last " + last->Iso() + ")" : " (none since admission " + c.adm.Iso() + ")") +
            "; offer counseling");
}

}  // namespace

std::vector<CredentialState> CredentialStates(const Facility& f, Date as_of, const RuleBook& rules) {
  const int warn = IntLimit(rules, kPg1WarningDays);
  std::vector<CredentialState> out;
  for (const auto& c : f.credentials) {
    // A date is covered when any credential of the kind covers it: judge each row with its
    // renewals, so an old registration that was renewed is "superseded", not "lapsed".
    std::vector<const Credential*> kind;
    for (const auto& o : f.credentials)
      if (o.kind == c.kind) kind.push_back(&o);
    const Credential* covering = nullptr;
    const std::optional<Date> coverage_end = CoverageEnd(kind, as_of, &covering);
    CredentialState s;
    s.facility_id = f.id;
    s.kind = c.kind;
    s.number = c.number;
    s.expires = c.expires;
    s.days_to_expiry = c.expires ? *c.expires - as_of : INT_MAX;
    if (c.effective > as_of) s.status = covering ? "renewal-on-file" : "not-yet-effective";
    else if (c.expires && *c.expires < as_of) s.status = covering ? "superseded" : "lapsed";
    else if (coverage_end && *coverage_end - as_of <= warn) s.status = "expiring";
    else s.status = "current";
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Finding> CheckProgram(const Facility& f, Date as_of, const RuleBook& rules) {
  std::vector<Finding> out;
  std::vector<std::string> kinds(kCredentialKinds.begin(), kCredentialKinds.end());
  for (const auto& c : f.credentials)
    if (std::find(kinds.begin(), kinds.end(), c.kind) == kinds.end()) kinds.push_back(c.kind);
  for (const auto& kind : kinds) CheckCredentialKind(f, kind, as_of, rules, out);

  // PG-2: a provisional certification in force on as_of (and no full one) for more than a year.
  bool full = false;
  for (const auto& c : f.credentials)
    if (c.kind == kCertificationKind && c.status != "provisional" && c.Covers(as_of)) full = true;
  if (!full) {
    const int max_days = IntLimit(rules, kProvisionalMaxDays);
    for (const auto& c : f.credentials) {
      if (c.kind != kCertificationKind || c.status != "provisional" || !c.Covers(as_of)) continue;
      // The same term the CL-2 gate applies: max_days days from the effective date.
      if (as_of - c.effective < max_days) continue;
      const Date over = c.effective + max_days;
      out.push_back(Make("PG-2", Citation(rules, kProvisionalMaxDays), Severity::kViolation, f.id,
                         "", over,
                         "provisional samhsa-certification " + c.number + " effective " +
                             c.effective.Iso() + " passed its " + std::to_string(max_days) +
                             "-day term on " + over.Iso() + " (billing is held from that day" +
                             "); obtain full certification",
                         Key(f.id, "", "PG-2", over.Iso(), c.number)));
    }
  }
  return out;
}

std::vector<Finding> CheckPatient(const Facility& f, const Patient& p,
                                  const std::vector<const ServiceRecord*>& all_rows, Date as_of,
                                  const RuleBook& rules, std::optional<Date> records_since,
                                  bool first_day_stands) {
  std::vector<Finding> out;
  const Date adm = p.admission_date;
  if (as_of < adm) return out;
  const bool discharged = p.discharge_date && *p.discharge_date <= as_of;
  const Date end = discharged ? *p.discharge_date : as_of;
  if (end < adm) return out;  // discharge before admission: nothing to check
  std::vector<const ServiceRecord*> rows;  // this admission, up to end
  rows.reserve(all_rows.size());
  for (const auto* r : all_rows)
    if (r && r->service_date >= adm && r->service_date <= end) rows.push_back(r);

  const Date evidence_from = records_since ? std::max(adm, *records_since) : adm;
  Ctx c{f, p, adm, end, as_of, discharged, evidence_from, rules, out};
  CheckWithin(c, rows, "PA-1", kPa1Days, Service::kPhysicalExam, false);
  CheckWithin(c, rows, "PA-2", kPa2Days, Service::kPsychosocialAssessment, true);
  CheckWithin(c, rows, "PA-2", kPa2Days, Service::kCarePlan, true);
  CheckPa3(c, rows);
  CheckPa4(c, rows);
  CheckPa5(c, rows);
  if (!first_day_stands) CheckPa6(c, rows);
  CheckPa7(c);
  CheckPa8(c, rows);
  return out;
}

std::string CareBasis(const Patient& p, const RuleBook& rules) {
  std::string b = "1|" + p.admission_date.Iso() + "|" + (p.discharge_date ? p.discharge_date->Iso() : "-");
  for (const auto& s : kPa5Ladder) {
    b += "|" + (s.from_day_id ? std::to_string(IntLimit(rules, s.from_day_id)) : std::string("1"));
    b += ":" + std::to_string(IntLimit(rules, s.max_days_id));
  }
  return b;
}

std::string FirstDayTerms(const RuleBook& rules) {
  // The limit's shortest text that reads back as the same double: any change of it is seen.
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf, rules.LimitValue(kPa6FirstDayMaxMg)).ptr;
  return "1|" + std::string(buf, end);
}

Retention RetentionMetric(const std::vector<Patient>& patients, Date from, Date to, Date as_of,
                          const RuleBook& rules) {
  const int days = IntLimit(rules, kRt1RetentionDays);
  Retention r;
  for (const auto& p : patients) {
    if (p.admission_date < from || p.admission_date > to || p.admission_date > as_of) continue;
    Date end = as_of;
    const bool ended = p.discharge_date && *p.discharge_date < end;
    if (ended) end = *p.discharge_date;
    const bool retained = end - p.admission_date + 1 >= days;
    // Still in treatment and not yet `days` in: undetermined, not a failure to retain.
    if (!retained && !ended) continue;
    ++r.admissions;
    if (retained) ++r.retained;
  }
  return r;
}

}  // namespace otp
