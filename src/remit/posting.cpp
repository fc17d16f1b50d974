// PostFile: one returned file, each transaction recorded once by its key (posting.h).
#include "remit/posting.h"

#include "input/x12_return_file.h"
#include "model/text.h"
#include "remit/post_parts.h"
#include "rules/rulebook.h"

namespace otp {
namespace {

ResponseRecord Of999(const FromFile<Ack999>& a, Date today) {
  const std::string& g = a.value.group_control;
  return {"999|" + a.origin.sender_id + "|" + g + "|" + a.digest, "999", a.digest, "",
          a.origin.group_date.value_or(today), "999 from " + a.origin.sender_id + " for group " + g};
}

ResponseRecord Of277(const FromFile<ClaimAck277>& a) {
  return {"277CA|" + a.origin.sender_id + "|" + a.value.reference, "277CA", a.digest, "", a.value.created,
          "277CA " + a.value.reference + " from " + a.origin.sender_id};
}

// An 835's key: the payment, by payer and trace (PaymentTrace reads it back).
ResponseRecord Of835(const FromFile<Remit835>& a) {
  const Remit835& r = a.value;
  const std::string payer = r.payer_trace_id.empty() ? r.payer_id : r.payer_trace_id;
  return {"835|" + payer + "|" + r.trace_number, "835", a.digest, "", r.payment_date,
          "835 payment " + r.trace_number + " of " + r.total.ToString() + " on " + r.payment_date.Iso()};
}

Status Raise(Ledger& ledger, const PostingContext& ctx, FileOutcome& out, WorkItem w) {
  const ReasonText* words = ctx.rules.FindReason("item", w.kind);
  if (words) w.next_step = words->next_step;
  OTP_ASSIGN_OR_RETURN(const bool opened, ledger.RaiseItem(w, ctx.run_id, ctx.today));
  if (opened) ++out.items_opened;
  return Status::Ok();
}

// The same key with other content: an 835 payment sent again changed, say. Never applied.
Status Conflict(Ledger& ledger, const PostingContext& ctx, FileOutcome& out, const ResponseRecord& r) {
  ++out.conflicts;
  out.notes.push_back("  " + r.summary + ": recorded before with other content; NOT applied");
  WorkItem w;
  w.cause = "remit-unmatched|" + r.key + "|" + r.digest;
  w.kind = "remit-unmatched";
  w.date = r.date;
  w.reason = "conflict";
  w.detail = r.kind + " " + r.file + ": " + r.summary + " was recorded before with other content; this copy was not applied";
  return Raise(ledger, ctx, out, std::move(w));
}

template <typename T, typename PostFn>
Status PostOne(Ledger& ledger, const PostingContext& ctx, FileOutcome& out, const FromFile<T>& t, ResponseRecord r,
               PostFn post) {
  ++out.transactions;
  r.file = out.file;
  r.run_id = ctx.run_id;
  OTP_ASSIGN_OR_RETURN(const std::optional<std::string> digest, ledger.ResponseDigest(r.key));
  if (digest && *digest == r.digest) {
    ++out.known;
    out.notes.push_back("  " + r.summary + ": recorded before; nothing changed");
    return Status::Ok();
  }
  if (digest) return Conflict(ledger, ctx, out, r);
  OTP_TRY(ledger.AddResponse(r));
  ++out.recorded;
  out.notes.push_back("  " + r.summary);
  remit::Post p{ledger, ctx, out, std::move(r)};
  return post(p, t);
}

// A file that does not read: nothing of it is recorded; a work item says what to do.
Status Unreadable(Ledger& ledger, const PostingContext& ctx, FileOutcome& out, std::string_view bytes) {
  WorkItem w;
  w.cause = "remit-unreadable|" + Hex64(Fnv1a(bytes));
  w.kind = "remit-unreadable";
  w.date = ctx.today;
  w.reason = "unreadable";
  w.detail = out.file + ": " + out.refused.message();
  return Raise(ledger, ctx, out, std::move(w));
}

}  // namespace

Result<FileOutcome> PostFile(Ledger& ledger, const std::string& name, std::string_view bytes,
                             const PostingContext& ctx) {
  FileOutcome out;
  out.file = name;
  Result<ReturnFile> file = ReadReturnFile(bytes);
  if (!file.ok()) {
    out.refused = file.status();
    OTP_TRY(Unreadable(ledger, ctx, out, bytes));
    return out;
  }
  for (const auto& a : file->acks) OTP_TRY(PostOne(ledger, ctx, out, a, Of999(a, ctx.today), remit::Post999));
  for (const auto& a : file->claim_acks) OTP_TRY(PostOne(ledger, ctx, out, a, Of277(a), remit::Post277));
  for (const auto& a : file->remits) OTP_TRY(PostOne(ledger, ctx, out, a, Of835(a), remit::Post835));
  return out;
}

std::string PaymentTrace(std::string_view key) {
  if (key.substr(0, 4) != "835|") return std::string();
  return std::string(key.substr(key.rfind('|') + 1));
}

}  // namespace otp
