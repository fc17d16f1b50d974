// RuleBook: everything billing and compliance look up in codes/ — the code table with
// effective dates, the per-year national rate components, the per-year geographic adjustment
// factors by locality, the numeric limits with their citations, how each service word is billed,
// and each rule id's citation and plain words. Loaded once per run; a missing or malformed file
// is a configuration error (exit 2, nothing written).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/date.h"
#include "model/money.h"
#include "model/quantity.h"
#include "model/service.h"
#include "model/status.h"
#include "model/text.h"

namespace otp {

struct Facility;

enum class CodeKind { kDrugBundle, kNonDrugBundle, kAddOn };

struct CodeDef {
  std::string code;            // G2067
  CodeKind kind = CodeKind::kAddOn;
  std::string descriptor;      // short CMS descriptor
  Date effective_from;         // first date of service the code may be used
  std::optional<Date> effective_to;
  bool contractor_priced = false;  // G2075, G2216: price from the facility's <charge>
  int max_units = 1;               // the most units one line may carry (SC-5)
  bool InForce(Date dos) const { return effective_from <= dos && (!effective_to || dos <= *effective_to); }
};

struct RateRow {               // one line of codes/rates/CY<year>.csv
  int year = 0;
  std::string code;
  Money drug, non_drug;        // national components
  std::string source;
  bool verified = false;       // false: not checked against the CMS public-use file
};

struct Locality {              // one line of codes/localities/CY<year>.csv
  int year = 0;
  std::string id;              // "CA-18", "national"
  std::string name;
  Factor gaf;
  std::string source;
  bool verified = false;
};

// A priced unit and a readable account of how it was priced (for explain and the Audit sheet).
struct Price {
  Money unit;
  // "CY2026 G2067: drug 44.41 + non-drug 232.88 x GAF 1.095 (CA-18) = 299.41 [rate unverified;
  // GAF unverified]"; contractor-priced: "G2075: facility charge 150.00 (contractor-priced)".
  std::string rate_ref;
};

// A numeric limit with its citation (codes/limits.xml), e.g. "takehome.max_units" = 3.
struct Limit {
  std::string id;
  double value = 0;
  std::string citation;
  std::string basis;           // "federal" or "program-policy"
  std::string description;
};

// The bound of services.csv's quantity for the words that name it (codes/limits.xml
// <quantity-limit>, SC-6): "quantity.minutes" = 1 … 1440 minutes.
struct QuantityLimit {
  std::string id;
  std::string unit;            // "minutes", "days", "mg" or "count"
  int64_t min_micros = 0, max_micros = 0;  // inclusive, in millionths (model/quantity.h)
  std::string basis;           // "federal" or "program-policy"
  std::string citation;
  std::string description;
  int64_t line = 0;            // where limits.xml defines it, for later checks' messages
};

// What a row of one service word does in an episode (codes/services.xml `role`). Each role is
// a step of billing (src/billing/engine.cpp); which word plays which role is data.
enum class ServiceRole {
  kDrug,           // on-site medication: makes and chooses the drug bundle (BU-2)
  kTakeHome,       // TH-1
  kBundleService,  // counseling / drug tests: inside the bundle; the non-drug bundle without drug (BU-3)
  kIntake,         // AD-1
  kAssessment,     // AD-2
  kOverdoseMed,    // AD-4
  kIop,            // AD-5
  kTimedSupport,   // AD-6
  kComplianceOnly, // never billed, never starts an episode
};

// How one service word is billed (one <service> of codes/services.xml).
struct ServiceBilling {
  ServiceRole role = ServiceRole::kComplianceOnly;
  std::string code;                  // "" for bundle services and compliance-only events
  std::string coverage_limit;        // drug: limit id of the coverage window it opens (BU-4), "" none
  std::string takehome_bundle;       // take-home: the drug bundle code it supplements (TH-1)
  bool units_from_quantity = false;  // units = quantity rounded up, minimum 1 (AD-4, G2216)
  bool counseling = false;           // its minutes count toward AD-3
  bool methadone = false;            // AD-7 "methadone intake" detection
  std::string quantity_limit;        // the <quantity-limit> id bounding its quantity (SC-6)
  std::string source;
};

// A rule id of billing-rules.md or compliance-rules.md with its citation and plain words
// (codes/rules.xml), for findings and the workbook's Reference sheet.
struct RuleText {
  std::string id;        // "BU-4-overlap"
  std::string citation;  // "42 CFR 410.67(d); OIG A-09-22-03005"
  std::string words;     // one sentence for a billing clerk
};

// What a reason, a kind of work item or a finding's rule means to the person who reads it, and
// what that person does next (codes/reasons.xml).
struct ReasonText {
  std::string kind;       // hold | open | not-billable | item | finding
  std::string id;         // the reason word, item kind or rule id
  std::string words;      // "" for a finding (its words are the rule's)
  std::string next_step;  // "" for not-billable
  // A finding the nightly checks raise again every night its cause stands (a credential):
  // the first night that does not raise it resolves its work item (resolved-by="data").
  bool resolved_by_data = false;
  // A held week held for this reason can change only with its patient's record or with the
  // rules and facility file (decided-again="on-change"); otherwise it is decided again nightly.
  bool decided_again_on_change = false;
};

class RuleBook {
 public:
  // Reads <dir>/codes.xml, <dir>/rates/CY*.csv, <dir>/localities/CY*.csv, <dir>/limits.xml,
  // <dir>/services.xml, <dir>/rules.xml.
  static Result<RuleBook> Load(const std::string& dir);
  // A hash of every file Load read, names and bytes: a night compares it with the last night's
  // to know whether the rules changed (night/held_weeks.h).
  uint64_t Fingerprint() const { return fingerprint_; }

  // How a service word is billed. Load() checked that every word has exactly one entry, that its
  // code is in codes.xml and its coverage limit in limits.xml.
  const ServiceBilling& BillingOf(Service s) const { return services_[static_cast<size_t>(s)]; }
  // The codes billed for an episode as a whole, from no single service word (services.xml
  // <episode-code>): the weekly bundle without the drug (BU-3) and counseling beyond the plan (AD-3).
  const std::string& NonDrugBundleCode() const { return non_drug_bundle_code_; }
  const std::string& CounselingBeyondPlanCode() const { return counseling_beyond_plan_code_; }

  const CodeDef* Code(const std::string& code) const;
  // True when `code` exists and may be used on `dos`.
  bool InForce(const std::string& code, Date dos) const;
  // Unit price for `code` on `dos` at `locality` (CL-5): national drug component +
  // non-drug component × the year's GAF, half-up to the cent; contractor-priced codes take
  // the facility's <charge>. NotFound when there is no rate (→ hold `no-price`).
  Result<Price> PriceOf(const std::string& code, Date dos, const std::string& locality,
                        const Facility& facility) const;
  // SC-6: the bounds of services.csv's quantity, per service word, and the digits a quantity may
  // have, for the records reader (input/ reads them without knowing the RuleBook).
  const QuantityBounds& Quantities() const { return quantity_bounds_; }
  const QuantityLimit* FindQuantityLimit(const std::string& id) const;
  // AD-7: the modifier a line delivered by `m` carries (services.xml <telehealth-modifier>): "95"
  // for video and "93" for audio today; nullptr for in_person, which carries none. Load() checked
  // that video and audio each have exactly one.
  const std::string* TelehealthModifier(Modality m) const;
  // Does any loaded year know this locality? (facility.xml check)
  bool KnowsLocality(const std::string& locality) const;
  const Limit* FindLimit(const std::string& id) const;
  // The value of a limit Load() checked is present; std::out_of_range (a bug) otherwise.
  double LimitValue(const std::string& id) const;
  const std::vector<CodeDef>& codes() const { return codes_; }
  // A rule id's entry in rules.xml; nullptr when the file does not list it.
  const RuleText* FindRule(std::string_view rule_id) const;
  // The citation / plain words of a rule id Load() checked is present (every id the code names);
  // std::out_of_range (a bug) otherwise.
  const std::string& CitationOf(std::string_view rule_id) const;
  const std::string& RuleWords(std::string_view rule_id) const;
  const std::vector<RuleText>& rules() const { return rules_; }  // in file order
  // reasons.xml's entry of a kind (hold, open, not-billable, item, finding) and id; nullptr when
  // the file has none (Load() checked that every one the code gives is there).
  const ReasonText* FindReason(std::string_view kind, std::string_view id) const;
  const std::vector<ReasonText>& reasons() const { return reasons_; }
  std::vector<int> RateYears() const;

 private:
  uint64_t fingerprint_ = Fnv1a("");
  // One loader per file of codes/, in Load()'s order: later files are checked against earlier ones.
  Status LoadCodes(const std::string& path);
  Status LoadYears(const std::string& dir);
  Status LoadLimits(const std::string& path);
  Status LoadServices(const std::string& path);
  Status LoadRules(const std::string& path);
  Status LoadReasons(const std::string& path);

  std::vector<CodeDef> codes_;
  std::map<std::pair<int, std::string>, RateRow> rates_;       // (year, code)
  std::map<std::pair<int, std::string>, Locality> localities_; // (year, id)
  std::map<std::string, Limit> limits_;
  std::map<std::string, QuantityLimit> quantity_limits_;
  QuantityBounds quantity_bounds_;
  std::array<std::string, 3> telehealth_modifiers_;            // by Modality; "" = none
  std::map<std::string, size_t> code_index_;                   // code → index in codes_
  std::vector<ServiceBilling> services_;                       // by Service
  std::string non_drug_bundle_code_, counseling_beyond_plan_code_;
  std::vector<RuleText> rules_;
  std::vector<ReasonText> reasons_;
  std::map<std::string, size_t, std::less<>> rule_index_;      // rule id → index in rules_
};

}  // namespace otp
