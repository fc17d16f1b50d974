// The night's care checks: what to read of each patient, and what to keep for the next night.
#include "compliance/care_pass.h"

#include <algorithm>
#include <tuple>

#include "compliance/checks.h"

namespace otp {
namespace {

bool DayThenRowid(const StoredRow& a, const StoredRow& b) {
  if (a.record.service_date != b.record.service_date) return a.record.service_date < b.record.service_date;
  return a.rowid < b.rowid;
}
// Ties (the same row twice) put the whole copy first, so that it is the one kept.
bool ByDay(const StoredRow& a, const StoredRow& b) {
  if (DayThenRowid(a, b) || DayThenRowid(b, a)) return DayThenRowid(a, b);
  return !a.partial && b.partial;
}
// Merges rows[run_start..] (sorted first if it is not) into the sorted rows before it.
void MergeFrom(std::vector<StoredRow>& rows, std::ptrdiff_t run_start) {
  if (!std::is_sorted(rows.begin() + run_start, rows.end(), ByDay))
    std::sort(rows.begin() + run_start, rows.end(), ByDay);
  std::inplace_merge(rows.begin(), rows.begin() + run_start, rows.end(), ByDay);
}

bool Admitted(const CarePatient& cp) { return cp.from && cp.to && *cp.from <= *cp.to; }

// `kept` moved by the rows dated inside the admission.
CareFacts FactsOf(const CarePatient& cp, const std::vector<StoredRow>& rows, CareFacts kept) {
  if (!cp.from || !cp.to) return CareFacts{};
  for (const auto& r : rows)
    if (r.record.service_date >= *cp.from && r.record.service_date <= *cp.to)
      kept.Add(r.record.service_date, r.record.service, r.rowid);
  return kept;
}

bool JudgesFirstDay(const CarePatient& cp, const CareFacts& facts) {
  return cp.first_dose_day && Admitted(cp) && facts.first_dose.has_value();
}

// A row of which the checks read date and service only, appended to `rows`.
void AddPartial(std::vector<StoredRow>& rows, const CarePatient& cp, Date date, Service service, int64_t rowid) {
  StoredRow& row = rows.emplace_back();
  row.record.facility_id = cp.facility_id;
  row.record.patient_id = cp.patient_id;
  row.record.service_date = date;
  row.record.service = service;
  row.rowid = rowid;
  row.partial = true;
}

// The decided rows of a patient's day that `held` (sorted rowids) does not hold, appended whole.
Status ReadDay(CareRowSource& source, const CarePatient& cp, Date day, const std::vector<int64_t>& held,
               std::vector<StoredRow>& rows) {
  std::vector<RowRef> refs;
  OTP_TRY(source.DecidedOnDay(cp.facility_id, cp.patient_id, day, refs));
  std::vector<int64_t> wanted;
  for (const auto& ref : refs)
    if (!std::binary_search(held.begin(), held.end(), ref.rowid)) wanted.push_back(ref.rowid);
  std::sort(wanted.begin(), wanted.end());
  return source.RowsById(wanted, rows);
}

Result<CareRead> ReadWhole(const CarePatient& cp, std::vector<StoredRow>& rows, CareRowSource& source) {
  OTP_ASSIGN_OR_RETURN(const std::vector<Date> days, source.DecidedDays(cp.facility_id));
  for (Date d : days) OTP_TRY(ReadDay(source, cp, d, {}, rows));
  std::sort(rows.begin(), rows.end(), DayThenRowid);
  return CareReadOfWhole(cp, rows);
}

// The kept facts moved by the rows decided since the judgement; the take-home days among them.
Status ReadSinceJudged(const CarePatient& cp, CareRowSource& source, CareFacts& facts, std::vector<Date>& days) {
  if (!cp.judged_through || !cp.to) return Status::Ok();
  std::vector<RowRef> refs;
  for (Date d = *cp.judged_through + 1; d <= *cp.to; d = d + 1) {
    refs.clear();
    OTP_TRY(source.DecidedOnDay(cp.facility_id, cp.patient_id, d, refs));
    for (const auto& ref : refs) {
      if (ref.service == Service::kMethadoneTakehome) days.push_back(d);
      if (cp.from && d >= *cp.from) facts.Add(d, ref.service, ref.rowid);
    }
  }
  return Status::Ok();
}

}  // namespace

CareRead CareReadOfWhole(const CarePatient& cp, const std::vector<StoredRow>& rows) {
  CareRead r{FactsOf(cp, rows, {})};
  r.first_day_judged = JudgesFirstDay(cp, r.facts);
  return r;
}

Result<CareRead> ReadCareRows(const CarePatient& cp, std::vector<StoredRow>& rows, CareRowSource& source) {
  if (cp.whole) return ReadWhole(cp, rows, source);
  CareRead read;
  read.facts = FactsOf(cp, rows, cp.facts);  // moved by the open rows
  const bool open_on_first_day = std::any_of(
      rows.begin(), rows.end(), [&](const StoredRow& r) { return r.record.service_date == cp.facts.first_dose; });
  // PA-5 judges each day from that day's rows: the days of its open take-home rows and of the
  // take-home rows decided since the judgement are read whole.
  std::vector<Date> days;
  for (const auto& r : rows)
    if (r.record.service == Service::kMethadoneTakehome) days.push_back(r.record.service_date);
  OTP_TRY(ReadSinceJudged(cp, source, read.facts, days));
  // PA-6's verdict on the kept first day stands while the day is the same and no open row lies
  // on it: every decided row of it was there when it was judged.
  read.facts_changed = read.facts != cp.facts;
  read.first_day_judged = JudgesFirstDay(cp, read.facts);
  read.first_day_stands = read.first_day_judged && cp.first_day_judged &&
                          read.facts.first_dose == cp.facts.first_dose && !open_on_first_day;
  if (read.first_day_judged && !read.first_day_stands) days.push_back(*read.facts.first_dose);
  // PA-1..PA-4 and PA-8 read the kept rows' dates: partial rows (an open one is held whole).
  const auto open_end = static_cast<std::ptrdiff_t>(rows.size());
  for (const CheckRow& c : read.facts.checks) AddPartial(rows, cp, c.date, c.service, c.rowid);
  if (Admitted(cp) && read.facts.counseling_date)
    AddPartial(rows, cp, *read.facts.counseling_date, read.facts.counseling_service, read.facts.counseling_rowid);
  MergeFrom(rows, open_end);
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  std::vector<int64_t> held_whole;
  if (!days.empty())
    for (const auto& r : rows)
      if (!r.partial) held_whole.push_back(r.rowid);
  std::sort(held_whole.begin(), held_whole.end());
  for (Date d : days) {
    const auto before = static_cast<std::ptrdiff_t>(rows.size());
    OTP_TRY(ReadDay(source, cp, d, held_whole, rows));
    if (static_cast<std::ptrdiff_t>(rows.size()) > before) MergeFrom(rows, before);
  }
  rows.erase(std::unique(rows.begin(), rows.end(),
                         [](const StoredRow& a, const StoredRow& b) { return a.rowid == b.rowid; }),
             rows.end());
  return read;
}

CareNight::CareNight(const Config& config, const std::vector<Patient>& patients, std::vector<KeptCare> kept,
                     Date as_of, const RuleBook& rules, std::map<std::string, std::optional<Date>> records_since)
    : config_(config),
      patients_(patients),
      rules_(rules),
      as_of_(as_of),
      records_since_(std::move(records_since)),
      first_day_terms_(FirstDayTerms(rules)),
      kept_(patients.size()),
      basis_now_(patients.size()),
      visited_(patients.size(), 0),
      findings_(patients.size()) {
  care_.reserve(patients.size());
  for (size_t i = 0; i < patients.size(); ++i) {
    const Patient& p = patients[i];
    CarePatient cp;
    cp.facility_id = p.facility_id;
    cp.patient_id = p.patient_id;
    cp.index = i;
    const bool discharged = p.discharge_date && *p.discharge_date <= as_of;
    const Date end = discharged ? *p.discharge_date : as_of;
    if (p.admission_date <= end) {
      const auto since = records_since_.find(p.facility_id);
      cp.from = p.admission_date;
      cp.to = end;
      cp.first_dose_day = since == records_since_.end() || !since->second || *since->second <= p.admission_date;
    }
    const auto k = std::lower_bound(kept.begin(), kept.end(), std::tie(p.facility_id, p.patient_id),
                                    [](const KeptCare& c, const auto& key) {
                                      return std::tie(c.facility_id, c.patient_id) < key;
                                    });
    if (k != kept.end() && k->facility_id == p.facility_id && k->patient_id == p.patient_id) kept_[i] = std::move(k->state);
    basis_now_[i] = CareBasis(p, rules);
    // On the same basis, judged on an earlier as-of date, only what is newer is read; a night
    // before the one on record (a re-run of an older date) reads every row.
    if (kept_[i] && kept_[i]->basis == basis_now_[i] && kept_[i]->judged_through <= as_of) {
      cp.whole = false;
      cp.judged_through = kept_[i]->judged_through;
      cp.facts = std::move(kept_[i]->facts);  // held once: compared through CareRead::facts_changed
      cp.first_day_judged = kept_[i]->first_day_terms == first_day_terms_;
    }
    care_.push_back(std::move(cp));
  }
  // Each patient once: the patients reader refuses a patient the file repeats.
  std::sort(care_.begin(), care_.end(), [](const CarePatient& a, const CarePatient& b) {
    return std::tie(a.facility_id, a.patient_id) < std::tie(b.facility_id, b.patient_id);
  });
}

const CarePatient* CareNight::Find(const std::string& fid, const std::string& pid) const {
  const auto it = std::lower_bound(care_.begin(), care_.end(), std::tie(fid, pid), [](const CarePatient& c, const auto& key) {
    return std::tie(c.facility_id, c.patient_id) < key;
  });
  return it != care_.end() && it->facility_id == fid && it->patient_id == pid ? &*it : nullptr;
}

std::optional<CareNight::StateChange> CareNight::Judge(size_t i, const std::vector<const ServiceRecord*>& rows,
                                                       const CareRead& read) {
  visited_[i] = 1;
  const Patient& p = patients_[i];
  const Facility* f = config_.FindFacility(p.facility_id);
  if (!f) return kept_[i] ? std::optional<StateChange>(StateChange{p.facility_id, p.patient_id, std::nullopt}) : std::nullopt;
  findings_[i] = CheckPatient(*f, p, rows, as_of_, rules_, records_since_[f->id], read.first_day_stands);
  const std::string terms = read.first_day_judged ? first_day_terms_ : std::string();
  const std::optional<CareState>& k = kept_[i];
  if (k && k->basis == basis_now_[i] && k->judged_through == as_of_ && !read.facts_changed && k->first_day_terms == terms)
    return std::nullopt;
  return StateChange{p.facility_id, p.patient_id, EncodeCareState(CareState{basis_now_[i], as_of_, terms, read.facts})};
}

std::optional<CareNight::StateChange> CareNight::Check(const CarePatient& cp,
                                                       const std::vector<const ServiceRecord*>& rows,
                                                       const CareRead& read) {
  return Judge(cp.index, rows, read);
}

std::vector<CareNight::StateChange> CareNight::FinishUnvisited() {
  std::vector<StateChange> out;
  for (size_t i = 0; i < patients_.size(); ++i)
    if (!visited_[i])
      if (auto change = Judge(i, {}, CareRead{})) out.push_back(std::move(*change));
  return out;
}

std::vector<Finding> CareNight::TakeFindings() {
  std::vector<Finding> out;
  for (auto& f : findings_)
    for (auto& x : f) out.push_back(std::move(x));
  findings_.assign(patients_.size(), {});
  return out;
}

}  // namespace otp
