// AskResubmission; see resubmit.h.
#include "remit/resubmit.h"

#include "model/text.h"
#include "remit/claim_account.h"

namespace otp {
namespace {

Result<bool> Ask(Ledger& ledger, const std::string& id, const std::string& by, std::time_t now) {
  OTP_TRY(ledger.KeepResponses());
  OTP_ASSIGN_OR_RETURN(const std::optional<StoredClaim> claim, ledger.FindClaim(id));
  if (!claim) return Status::NotFound("there is no claim " + id + " in this ledger");
  OTP_ASSIGN_OR_RETURN(const std::optional<Resubmission> asked, ledger.FindResubmission(id));
  if (asked) return false;
  OTP_ASSIGN_OR_RETURN(const std::vector<ClaimEvent> events, ledger.EventsOf(id));
  const ClaimAccount account = AccountOf(*claim, events, std::nullopt);
  if (account.status != "rejected")
    return Status::InvalidArgument("claim " + id + " is " + account.status +
                                   "; only a rejected claim is billed again (a denied claim is appealed, or "
                                   "corrected outside otpbatch)");
  return ledger.AddResubmission({id, by, UtcStamp(now), "", 0});
}

}  // namespace

Result<bool> AskResubmission(Ledger& ledger, const std::string& claim_id, const std::string& by, std::time_t now) {
  if (by.empty()) return Status::InvalidArgument("resubmit needs the name of the person who asks (--by)");
  bool asked = false;
  OTP_TRY(ledger.InTransaction([&]() -> Status {
    OTP_ASSIGN_OR_RETURN(asked, Ask(ledger, AsciiUpper(claim_id), by, now));
    return Status::Ok();
  }));
  return asked;
}

}  // namespace otp
