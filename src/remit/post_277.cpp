// A 277CA tied to the 837P batch (2200B TRN02 = BHT03) and claims (2200D TRN02 = CLM01) it
// acknowledges (posting.h).
#include "remit/post_parts.h"
#include "rules/code_words.h"

namespace otp::remit {
namespace {

std::string Code(const ClaimStatusCode& c) {
  return c.category + ":" + c.code + (c.entity.empty() ? "" : ":" + c.entity);
}

std::string CodesOf(const std::vector<ClaimStatus277>& statuses) {
  std::string s;
  for (const ClaimStatus277& st : statuses) {
    s += (s.empty() ? "" : " ") + Code(st.status);
    for (const ClaimStatusCode& c : st.more) s += " " + Code(c);
  }
  return s;
}

std::string WordsOf(const std::vector<ClaimStatus277>& statuses, const CodeWords& words) {
  std::string s;
  for (const ClaimStatus277& st : statuses) {
    s += (s.empty() ? "" : "; ") + words.DescribeStatus(st.status.category, st.status.code);
    for (const ClaimStatusCode& c : st.more) s += "; " + words.DescribeStatus(c.category, c.code);
  }
  return s;
}

const char* EventOf(AckOutcome o) {
  switch (o) {
    case AckOutcome::kAccepted: return "accepted";
    case AckOutcome::kRejected: return "rejected";
    default: return "acknowledged";
  }
}

Status PostClaim(Post& p, const ClaimStatus277Claim& c, const std::optional<SentInterchange>& batch) {
  OTP_ASSIGN_OR_RETURN(const std::optional<StoredClaim> ours, OurClaim(p.ledger, c.claim_id));
  if (!ours)
    return Unmatched(p, "claim " + c.claim_id, "a 277CA status for claim " + c.claim_id + ", which this ledger did not write", {});
  ClaimEvent e;
  e.source = "277CA";
  e.event = EventOf(c.Outcome());
  e.date = p.response.date;
  e.status_code = CodesOf(c.statuses);
  e.payer_claim_number = c.payer_claim_number;
  e.detail = "277CA " + std::string(e.event) + " (" + e.status_code + "): " + WordsOf(c.statuses, p.ctx.words);
  if (!batch || batch->control != ours->interchange)
    e.detail += " [sent in another 837P than the batch this 277CA names]";
  return Record(p, *ours, std::move(e));
}

}  // namespace

Status Post277(Post& p, const FromFile<ClaimAck277>& a) {
  int claims = 0;
  for (const ClaimStatus277Batch& b : a.value.batches) {
    OTP_ASSIGN_OR_RETURN(const std::optional<SentInterchange> sent, p.ledger.SentByReference(b.batch_id));
    if (!sent && b.claims.empty())
      OTP_TRY(Unmatched(p, "batch " + b.batch_id, "a 277CA for batch " + b.batch_id + ", which this ledger did not send", {}));
    for (const ClaimStatus277Claim& c : b.claims) {
      OTP_TRY(PostClaim(p, c, sent));
      ++claims;
    }
  }
  p.out.notes.push_back("  277CA " + a.value.reference + ": " + std::to_string(claims) + " claim status(es)");
  return Status::Ok();
}

}  // namespace otp::remit
