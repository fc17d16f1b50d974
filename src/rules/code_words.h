// CodeWords: the words of the X12 code lists a claim comes back with, for the person who works
// a rejected or denied claim — claim adjustment reason codes and group codes (codes/carc.xml),
// remittance advice remark codes (codes/rarc.xml), the 277CA claim status category and
// status codes (codes/claim-status.xml), and the 835's provider-level adjustment reasons
// (codes/plb-reasons.xml). Loaded at run time from the codes folder, so a newer
// list is a file change, not a rebuild.
//
// These lists are words, never a validation: a code that is not in a list is not an error (a
// payer may send a code newer than our list), it reads "(code not in codes/carc.xml)". They
// decide nothing about billing, so RuleBook::Fingerprint does not cover them. Beyond words they
// mark which adjustments a denied claim's work item names (IsDenial) and which provider-level
// adjustments name a claim (NamesClaim).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "model/date.h"
#include "model/status.h"

namespace otp {

struct CodeWord {
  std::string words;            // the list's description of the code, or our plain words for a group
  std::string next_step;        // what a billing clerk does next; "" when the file gives none
  bool verified = true;         // false: the wording (or stop date) was not confirmed against the list
  std::optional<Date> stopped;  // the code's stop date when the list deactivated it
  bool denial = true;           // carc.xml: false (denial="no"): reduces what is paid, denies nothing
  bool names_claim = false;     // plb-reasons.xml: the PLB's reference names one claim
};

class CodeWords {
 public:
  // Reads <codes_dir>/carc.xml, rarc.xml, claim-status.xml and plb-reasons.xml. A missing or
  // malformed file, an unknown element or attribute, a bad code, date, verified or other yes/no
  // mark, or a code given twice is a configuration error naming the file and line.
  static Result<CodeWords> Load(const std::string& codes_dir);

  // nullptr when the list does not have the code: never an error.
  const CodeWord* Carc(std::string_view code) const;
  const CodeWord* Rarc(std::string_view code) const;
  const CodeWord* Group(std::string_view group) const;        // CO, PR, OA, PI, CR
  const CodeWord* Category(std::string_view category) const;  // 277CA STC01-1 (code source 507)
  const CodeWord* StatusCode(std::string_view code) const;    // 277CA STC01-2 (code source 508)
  const CodeWord* ProviderAdjustment(std::string_view code) const;  // 835 PLB03-1 (element 426)

  // Whether an adjustment is among a denial's reasons: true unless its group or its reason is
  // marked denial="no" in carc.xml (PR, the patient's share; CO-45 and CO-253, the fee schedule's
  // and sequestration's reductions of what was paid). A code the list lacks counts as a denial,
  // so a clerk sees it.
  bool IsDenial(std::string_view group, std::string_view reason) const;

  // Whether a PLB with this reason names one claim in its reference (plb-reasons.xml
  // names-claim="yes": WO, 72). A code the list lacks names none.
  bool NamesClaim(std::string_view plb_reason) const;

  // Plain text for a person, always some and never throwing:
  //   "CO-45: Charge exceeds fee schedule/maximum allowable or contracted/legislated fee arrangement."
  //   "CO-999: (code not in codes/carc.xml)"
  // A stopped code ends with " [stopped YYYY-MM-DD]", unconfirmed words with " [words unverified]";
  // a group the list lacks adds " (group XX not in codes/carc.xml)". An empty group gives "45: …".
  std::string DescribeAdjustment(std::string_view group, std::string_view reason) const;
  // "N115: This decision was based on a Local Coverage Determination (LCD)…", or
  // "N999: (code not in codes/rarc.xml)".
  std::string DescribeRemark(std::string_view code) const;
  // "WO: Overpayment Recovery", or "ZZ: (code not in codes/plb-reasons.xml)".
  std::string DescribeProviderAdjustment(std::string_view code) const;
  // "A7: Acknowledgement/Rejected for Invalid Information… | 21: Missing or invalid information.";
  // without a status code only the category's part.
  std::string DescribeStatus(std::string_view category, std::string_view code) const;

  using Table = std::map<std::string, CodeWord, std::less<>>;

 private:
  Table carc_, rarc_, groups_, categories_, statuses_, plb_;
};

}  // namespace otp
