// What billing decides and what the writers and the ledger carry: episodes, priced claim
// lines with their audit trail, claims, holds and coverage windows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/money.h"

namespace otp {

// An episode of care (EP-1): 7 contiguous days for one patient.
struct Episode {
  std::string facility_id, patient_id;
  Date start, end;               // end = start + 6
  std::string bundle_code;       // G2067…, G2074, or "" when none billed
  std::string status;            // billed | held | not-billable
  std::string reason;            // hold / not-billable reason when not billed
  std::optional<Date> bundle_dos = {};  // the bundle line's date of service (EP-3): billed, or where a
                                   // held week's bundle goes when it bills
};

struct ClaimLine {
  std::string code;                      // HCPCS, e.g. G2067
  std::vector<std::string> modifiers;    // e.g. {"95"}
  Date dos;                              // date of service (EP-3)
  int units = 1;
  Money unit_price;
  Money charge;                          // unit_price × units
  std::string rule_id;                   // the rule(s) that chose the code, e.g. "BU-2"
  std::string rate_ref;                  // the rate row used, readable: "CY2026 G2067 …"
  std::vector<std::string> source_record_ids;
  std::string practitioner_npi;          // rendering practitioner, "" when none given
  Date episode_start;                    // the episode the line belongs to
  std::vector<std::string> edits;        // the pre-submission edits it passed (SC-1 …), in order
  // Whether its price comes from a rate or a geographic factor not yet checked against CMS's
  // file (codes/ verified="no"): RuleBook::PriceOf ends such a rate_ref with "[rate unverified]",
  // "[GAF unverified]" or "[rate unverified; GAF unverified]", and that mark is what the ledger
  // keeps.
  bool PriceUnverified() const {
    const size_t open = rate_ref.rfind('[');
    return open != std::string::npos && rate_ref.find("unverified", open) != std::string::npos;
  }
};

struct Claim {
  std::string claim_id;                  // CLM01, unique in the ledger, ≤ 20 characters
  std::string facility_id, patient_id;
  std::string diagnosis;                 // ICD-10-CM without the dot
  std::vector<ClaimLine> lines;          // 1…50
  std::string file = {};                 // the 837P file it was sent in (name, no folder); "" until written
  std::string replaces = {};             // a rejected claim whose lines it bills again (`resubmit`), or ""
  Money Total() const {
    Money t;
    for (const auto& l : lines) t += l.charge;
    return t;
  }
};

// An episode or a line that was not billed, and why (billing-rules.md reason words).
struct Hold {
  std::string facility_id, patient_id;
  Date date;
  std::string reason;                    // addon-without-bundle, gate:dea-registration, late-record, …
  std::string detail;                    // one line a billing clerk can act on
  std::string code;                      // the code that would have been billed, if known
  std::vector<std::string> record_ids;
  std::string finding = {};               // the key of the finding that says why, if any
  std::optional<Money> amount = {};       // what the held line would have been billed, when priced
  // The start of its week when the week's bundle is held: the week is decided again each night
  // until the cause is gone (its rows stay undecided). Unset for a line held on its own.
  std::optional<Date> week = {};
};

// A hold's identity among nights (one work item per key). A held week is one hold until it is
// billed or written off, whichever of its lines and rows and whatever the reason it is held
// for tonight (its bundle's); any other hold is its line: reason, date, code and first record.
inline std::string HoldKey(const Hold& h) {
  const std::string k = h.facility_id + "|" + h.patient_id + "|";
  if (h.week) return k + "week " + h.week->Iso();
  return k + h.reason + "|" + h.date.Iso() + "|" + h.code + "|" +
         (h.record_ids.empty() ? std::string() : h.record_ids.front());
}

// Days of drug already paid for (BU-4): on-site medication inside one bills G2074.
struct CoverageWindow {
  std::string facility_id, patient_id;
  Date from, to;                         // inclusive
  std::string code;                      // the code whose billing created the window
  std::string source_record_id;
};

}  // namespace otp
