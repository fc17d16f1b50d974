// The parts of PostFile (posting.h), one per kind of response, and what they share. Private
// to src/remit.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "input/x12_return_file.h"
#include "ledger/ledger.h"
#include "remit/posting.h"

namespace otp::remit {

// One transaction being posted: its response record and the next event's place in it.
struct Post {
  Ledger& ledger;
  const PostingContext& ctx;
  FileOutcome& out;
  ResponseRecord response;
  int seq = 0;
};

Status Post999(Post& p, const FromFile<Ack999>& a);
Status Post277(Post& p, const FromFile<ClaimAck277>& a);
Status Post835(Post& p, const FromFile<Remit835>& a);

// The claim this ledger wrote under CLM01 `id` (any case); nullopt when none.
Result<std::optional<StoredClaim>> OurClaim(Ledger& ledger, std::string_view id);
// Records an event for a claim, then raises or resolves the claim's work items for the status
// its events now give.
Status Record(Post& p, const StoredClaim& claim, ClaimEvent e);
// A claim, batch or group this ledger did not write, or an 835 claim that is not the patient's:
// an unmatched work item (one per response and `what`), nothing posted. An empty next_step
// takes the remit-unmatched one of codes/reasons.xml.
Status Unmatched(Post& p, const std::string& what, const std::string& detail, std::optional<Money> amount,
                 const std::string& facility_id = "", const std::string& next_step = "");

}  // namespace otp::remit
