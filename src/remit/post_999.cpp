// A 999 tied to the 837P it acknowledges (posting.h): AK1's GS06, AK2's ST02.
#include <cstdlib>

#include "model/text.h"
#include "remit/post_parts.h"

namespace otp::remit {
namespace {

std::string Codes(const Ack999Transaction& t) {
  std::string s;
  for (const auto& c : t.error_codes) s += (s.empty() ? "" : " ") + c;
  for (const auto& e : t.errors) s += (s.empty() ? "" : ", ") + e.segment_id + " at " + std::to_string(e.position) +
                                      (e.error_code.empty() ? "" : " (" + e.error_code + ")");
  return s;
}

// What the 999 says of the 837's transaction: its AK2 when sent, else the group's AK9.
ClaimEvent EventOf(const Ack999& a, const Ack999Transaction* t, const SentInterchange& sent) {
  ClaimEvent e;
  e.source = "999";
  const bool accepted = t ? t->Accepted() : a.GroupAccepted();
  const char status = t ? t->status : a.group_status;
  e.event = accepted ? "acknowledged" : "rejected";
  e.status_code = std::string(1, status);
  const std::string codes = t ? Codes(*t) : std::string();
  e.detail = std::string("999 ") + (accepted ? "accepted" : "rejected") + " the 837P " + sent.path.substr(sent.path.rfind('/') + 1) +
             " (IK5/AK9 " + status + (codes.empty() ? "" : "; errors: " + codes) + ")";
  return e;
}

}  // namespace

Status Post999(Post& p, const FromFile<Ack999>& a) {
  const std::string& group = a.value.group_control;
  std::optional<SentInterchange> sent;
  if (AllDigits(group) && group.size() <= 9) {
    OTP_ASSIGN_OR_RETURN(sent, p.ledger.SentByGroup(std::atoll(group.c_str())));
  }
  if (!sent) return Unmatched(p, "group " + group, "a 999 for functional group " + group + ", which this ledger did not send", {});
  const Ack999Transaction* t = nullptr;
  for (const auto& tx : a.value.transactions)
    if (tx.control == sent->transaction_control) t = &tx;
  ClaimEvent e = EventOf(a.value, t, *sent);
  e.date = p.response.date;
  OTP_ASSIGN_OR_RETURN(const std::vector<std::string> ids, p.ledger.ClaimIdsOfInterchange(sent->control));
  for (const std::string& id : ids) {
    OTP_ASSIGN_OR_RETURN(const std::optional<StoredClaim> c, p.ledger.FindClaim(id));
    if (!c) return Status::Corrupt("claim " + id + " of interchange " + sent->reference + " cannot be read back");
    OTP_TRY(Record(p, *c, e));
  }
  p.out.notes.push_back("  999 for " + sent->reference + ": " + e.event + ", " + std::to_string(ids.size()) + " claim(s)");
  return Status::Ok();
}

}  // namespace otp::remit
