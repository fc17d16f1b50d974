// PatientBiller: BillPatient's work for one patient, in the order of the rule book: rows
// classified, episodes planned (EP-1, EP-3, episodes.cpp), each ended episode's bundle
// (BU-1..BU-5, bundle.cpp) and add-ons (AD-1..AD-7, addons.cpp), the take-home add-ons once
// the weeks they reach into have ended (TH-1, takehome.cpp), every line checked, priced and
// billed or held (CL-2, CL-5, lines.cpp). Private to billing/.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <functional>

#include "billing/coverage.h"
#include "billing/engine.h"
#include "billing/episodes.h"
#include "model/text.h"
#include "rules/rulebook.h"

namespace otp::billing {

// ICD-10-CM as the claim writes it: without the dot, upper case (CL-3).
std::string NormalDiagnosis(std::string_view dx);
// Whole units from a quantity read as a decimal, robust to its last binary digit.
int FloorUnits(double x);
int CeilUnits(double x);

// The numbers billing needs, read from codes/limits.xml once per patient.
struct Limits {
  int episode_days, takehome_max_units, takehome_max_days, takehome_days_per_unit, counseling_unit_minutes,
      timed_unit_minutes, iop_min_services, overdose_repeat_days, provisional_max_days;
  explicit Limits(const RuleBook& r);
};

// A line before its checks: what the rules chose and from which rows.
struct Pending {
  std::string code;
  Date dos;
  int units = 1;
  std::string rule_id;                 // e.g. "AD-1 AD-7"
  std::string hold_rule;               // the rule named on a hold of this line
  std::vector<size_t> rows;            // indexes into BillingInput::records
  std::vector<std::string> modifiers;
};

// An episode's rows by the part each plays (codes/services.xml roles), in date order.
struct EpisodeRows {
  std::vector<size_t> drugs, bundle_services, counseling, intakes, assessments, overdose, iop;
  std::map<Service, std::vector<size_t>> takehomes, timed;
  bool methadone = false;  // a methadone service in the episode (AD-7)
};

// The take-home add-on of one episode and one take-home service (TH-1): its rows whose supply
// reaches past the episode, and the additional days they cover.
struct TakeHomeGroup {
  Date episode_start, episode_end;
  Service service = Service::kMethadoneTakehome;
  std::vector<size_t> rows;  // in date order
  std::vector<Date> days;    // sorted, each once
};

class PatientBiller {
 public:
  PatientBiller(const BillingInput& in, const RuleBook& rules);
  BillingResult Run();

 private:
  const ServiceRecord& Rec(size_t i) const { return *in_.records[i]; }
  Date DateOf(size_t i) const { return in_.records[i]->service_date; }
  bool Awaiting(size_t i) const { return i < in_.awaiting.size() && in_.awaiting[i]; }
  bool InWindow(Date d) const { return windows_.Covering(d) || takehome_days_.Covering(d); }
  bool IsDrugBundle(const std::string& code) const;

  // engine.cpp
  std::vector<size_t> Classify(std::vector<size_t>& awaiting, std::vector<size_t>& late);
  void DecideWeek(const EpisodePlan& plan);
  // late.cpp
  std::vector<EpisodePlan> LateWeeks(const std::vector<size_t>& late);
  std::optional<EpisodePlan> WeekOfLateRow(Date d) const;
  Date PatientCycleStart(Date d) const;
  void HoldLate(size_t i);
  std::string LateDetail(size_t i) const;
  // bundle.cpp
  void DecideEpisode(const EpisodePlan& plan);
  bool DecideEligibility(const EpisodePlan& plan, Episode& ep);
  bool HoldNonOud(const EpisodePlan& plan, Pending& bundle, Episode& ep);
  void OverlapFinding(const EpisodePlan& plan, const EpisodeRows& roles, const Pending& bundle);
  EpisodeRows SortRoles(const std::vector<size_t>& rows) const;
  std::optional<std::string> ChooseDrug(const EpisodePlan& plan, const EpisodeRows& roles) const;
  bool ChooseBundle(const EpisodePlan& plan, const EpisodeRows& roles, Pending& bundle);
  void OpenDrugWindows(const std::string& code, const EpisodeRows& roles);
  void CoveredByBundle(const std::vector<size_t>& rows, bool billed, const std::string& hold);
  // takehome.cpp
  void TakeHomes(const EpisodePlan& plan, const EpisodeRows& roles, const std::string& bundle, bool billed);
  void HoldMismatch(Service svc, const std::vector<size_t>& rows, const std::string& bundle);
  void AwaitingFromEarlierNights(const std::vector<size_t>& rows);
  const Episode* DecidedEpisodeOn(Date d) const;
  void DecideTakeHome(const TakeHomeGroup& g);
  bool WeeksEnded(const TakeHomeGroup& g) const;
  bool PaidByLaterBundle(const TakeHomeGroup& g, Date d) const;
  // addons.cpp
  void AddOns(const EpisodeRows& roles, bool bundle_billed);
  void Intakes(const EpisodeRows& roles, bool bundle_billed);
  void Counseling(const EpisodeRows& roles, bool bundle_billed);
  void OverdoseMeds(const EpisodeRows& roles, bool bundle_billed);
  void TelehealthModifier(Pending& p, const std::vector<size_t>& rows) const;
  Pending Single(size_t r, std::string code, const char* rule) const;
  // lines.cpp
  std::string Check(const Pending& p);
  const std::string& GateFailure(Date d);
  std::string ComputeGateFailure(Date d) const;
  bool Emit(Pending& p, bool bundle_billed);
  void Bill(const Pending& p);
  void HoldLine(const Pending& p, const std::string& reason, const std::string& detail, const char* limit_id = nullptr);
  void SetNotBillable(size_t i, const char* reason);
  void AddWindow(Date from, Date to, const std::string& code, const std::string& record_id);
  void AddFinding(const std::string& rule, Severity sev, Date date, std::string detail, std::string key,
                  const char* limit_id = nullptr, bool of_patient = true);
  std::string HoldDetail(const std::string& reason, const std::string& code) const;
  std::string FindingKeyOf(const Pending& p, const std::string& reason) const;
  Date GateLapseStart(std::string_view kind, Date d) const;

  const BillingInput& in_;
  const RuleBook& rules_;
  const Facility& fac_;
  const Patient& pat_;
  Limits lim_;
  BillingResult out_;
  std::vector<bool> decided_;
  WindowSet windows_;        // drug days already paid (BU-4)
  WindowSet takehome_days_;  // additional take-home days an add-on waits to pay (TH-1)
  std::vector<TakeHomeGroup> takehome_groups_;
  bool intake_billed_ = false;
  std::map<std::string, std::vector<Date>> overdose_;
  std::optional<Date> last_end_;
  Date episode_start_;
  Price price_;
  std::string price_error_;  // why the last PriceOf failed, for the no-price hold detail
  std::optional<std::pair<Date, std::string>> gate_cache_;
};

}  // namespace otp::billing
