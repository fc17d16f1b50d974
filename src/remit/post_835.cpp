// An 835 posted to the claims it pays (CLP01 = CLM01), its service lines tied to the claims'
// lines, and its provider-level adjustments (posting.h).

#include "remit/claim_account.h"
#include "remit/line_match.h"
#include "model/text.h"
#include "remit/post_parts.h"
#include "rules/code_words.h"

namespace otp::remit {
namespace {

void AddAdjustments(std::vector<EventAdjustment>& to, const std::vector<RemitAdjustment>& from, int line_no) {
  for (const RemitAdjustment& a : from) to.push_back({line_no, a.group, a.reason, a.amount});
}

std::string Remarks(const RemitClaim& c) {
  std::string s;
  for (const RemitRemark& r : c.remarks) s += (s.empty() ? "" : " ") + r.code;
  for (const RemitServiceLine& l : c.lines)
    for (const RemitRemark& r : l.remarks) s += (s.empty() ? "" : " ") + r.code;
  return s;
}

EventLine LineOf(const RemitServiceLine& s, const RemitClaim& c, const LineMatch& m) {
  EventLine l;
  l.line_no = m.line_no;
  l.code = s.procedure.code;
  for (const auto& mod : s.procedure.modifiers) l.modifiers += (l.modifiers.empty() ? "" : " ") + mod;
  const std::optional<Date> dos = s.service_from ? s.service_from : c.statement_from;
  if (dos) l.dos = *dos;
  l.charge = s.charge;
  l.paid = s.paid;
  l.units_thousandths = s.units_paid ? s.units_paid->thousandths : 1000;
  l.matched_by = m.line_no > 0 ? m.by : "not matched to a line of the claim";
  return l;
}

ClaimEvent EventOf(const RemitClaim& c, const Claim& ours, const std::string& trace, Date paid_on) {
  ClaimEvent e;
  e.source = "835";
  e.date = paid_on;
  e.status_code = c.status;
  e.payer_claim_number = c.payer_claim_number;
  e.charge = c.charge;
  e.paid = c.paid;
  e.patient_responsibility = c.patient_responsibility;
  e.remarks = Remarks(c);
  AddAdjustments(e.adjustments, c.adjustments, 0);
  const std::vector<LineMatch> matches = MatchLines(ours, c);
  for (size_t i = 0; i < c.lines.size(); ++i) {
    e.lines.push_back(LineOf(c.lines[i], c, matches[i]));
    AddAdjustments(e.adjustments, c.lines[i].adjustments, matches[i].line_no);
  }
  e.event = AdjudicationStatus(e);
  e.detail = "835 " + trace + ": CLP02 " + c.status + ", charge " + c.charge.ToString() + ", paid " +
             c.paid.ToString() + ", patient " + c.patient_responsibility.ToString();
  return e;
}

// Whether the 835's member id (NM1*QC, MI) is the one the ledger holds for the claim's patient.
Result<bool> SamePatient(Ledger& ledger, const StoredClaim& ours, const RemitClaim& c) {
  if (c.patient_id.empty() || c.patient_id_qualifier != "MI") return true;
  OTP_ASSIGN_OR_RETURN(const std::optional<Patient> p, ledger.LoadPatient(ours.claim.facility_id, ours.claim.patient_id));
  return !p || AsciiUpper(p->mbi) == AsciiUpper(c.patient_id);
}

Status PostClaim(Post& p, const Remit835& r, const RemitClaim& c, std::string& facility) {
  OTP_ASSIGN_OR_RETURN(const std::optional<StoredClaim> ours, OurClaim(p.ledger, c.claim_id));
  if (!ours)
    return Unmatched(p, "claim " + c.claim_id, "payment for claim " + c.claim_id + " (CLP07 " + c.payer_claim_number +
                     ", paid " + c.paid.ToString() + "), which this ledger did not write", c.paid);
  OTP_ASSIGN_OR_RETURN(const bool same, SamePatient(p.ledger, *ours, c));
  if (!same)
    return Unmatched(p, "claim " + c.claim_id + " member", "payment for claim " + c.claim_id + " names another member id "
                     "than the patient the claim was billed for; not posted", c.paid, ours->claim.facility_id);
  if (facility.empty()) facility = ours->claim.facility_id;
  p.out.paid += c.paid;
  return Record(p, *ours, EventOf(c, ours->claim, r.trace_number, r.payment_date));
}

// The claim one candidate names: a CLM01 of ours, or a payer claim number given to one.
Result<std::string> ClaimNamed(Ledger& ledger, std::string_view candidate) {
  if (candidate.empty()) return std::string();
  OTP_ASSIGN_OR_RETURN(const std::optional<StoredClaim> ours, OurClaim(ledger, candidate));
  if (ours) return ours->claim.claim_id;
  OTP_ASSIGN_OR_RETURN(const std::optional<std::string> by_number, ledger.ClaimOfPayerNumber(std::string(candidate)));
  return by_number.value_or(std::string());
}

// The claims of ours a PLB reference (PLB03-2) names: none, one, or two when its parts name
// different claims (a person decides; the ledger never guesses). A payer may send our CLM01 or
// its own claim number alone; a Medicare contractor's 5010 835 sends the demand letter's claim
// control number in positions 1-19 and the Patient Control Number (our CLM01; the beneficiary's
// number when it has none) in positions 20-39 (CMS CR 7499, MLN Matters MM7499).
Result<std::vector<std::string>> ClaimsOfReference(Ledger& ledger, std::string_view reference) {
  OTP_ASSIGN_OR_RETURN(std::string whole, ClaimNamed(ledger, TrimBlanks(reference)));
  if (!whole.empty()) return std::vector<std::string>{whole};
  std::vector<std::string> found;
  if (reference.size() <= 19) return found;
  for (std::string_view part : {reference.substr(19, 20), reference.substr(0, 19)}) {
    OTP_ASSIGN_OR_RETURN(const std::string claim, ClaimNamed(ledger, TrimBlanks(part)));
    if (!claim.empty() && (found.empty() || found.front() != claim)) found.push_back(claim);
  }
  return found;
}

// A PLB that names a claim (plb-reasons.xml names-claim) but no single claim of ours: an
// unmatched item saying which, with the reason's own next step.
Status UnmatchedAdjustment(Post& p, const PaymentAdjustment& pa, const std::vector<std::string>& claims) {
  const std::string what = "a provider-level adjustment (PLB " + p.ctx.words.DescribeProviderAdjustment(pa.reason) +
                           ") of " + pa.amount.ToString();
  const std::string detail =
      claims.size() > 1 ? what + " names two claims of ours, " + claims[0] + " (positions 20-39 of its reference) and " +
                              claims[1] + " (positions 1-19): which one it belongs to is not guessed"
      : TrimBlanks(pa.reference).empty()
          ? what + " names no claim"
          : what + " names claim " + std::string(TrimBlanks(pa.reference)) + ", which this ledger did not write";
  const CodeWord* words = p.ctx.words.ProviderAdjustment(pa.reason);
  std::string next_step = claims.size() > 1 ? "Find which of the two claims the demand letter is about. " : "";
  if (words && !words->next_step.empty()) next_step += words->next_step;
  return Unmatched(p, "PLB " + std::to_string(pa.seq), detail, pa.amount, pa.facility_id, next_step);
}

Status PostAdjustments(Post& p, const Remit835& r, const std::string& facility) {
  int seq = 0;
  for (const ProviderAdjustment& a : r.provider_adjustments) {
    PaymentAdjustment pa{p.response.key, seq++, facility, a.provider_id, a.fiscal_period, a.reason, a.reference,
                         "", a.amount, r.payment_date, p.response.file};
    OTP_ASSIGN_OR_RETURN(const std::vector<std::string> claims, ClaimsOfReference(p.ledger, a.reference));
    if (claims.size() == 1) pa.claim_id = claims.front();
    if (p.ctx.words.NamesClaim(a.reason) && claims.size() != 1) OTP_TRY(UnmatchedAdjustment(p, pa, claims));
    OTP_TRY(p.ledger.AddPaymentAdjustment(pa));
  }
  return Status::Ok();
}

}  // namespace

Status Post835(Post& p, const FromFile<Remit835>& a) {
  std::string facility;
  for (const RemitClaim& c : a.value.claims) OTP_TRY(PostClaim(p, a.value, c, facility));
  OTP_TRY(PostAdjustments(p, a.value, facility));
  p.out.notes.push_back("  835 " + a.value.trace_number + ": " + std::to_string(a.value.claims.size()) +
                        " claim(s), " + std::to_string(a.value.provider_adjustments.size()) +
                        " provider adjustment(s), payment " + a.value.total.ToString());
  return Status::Ok();
}

}  // namespace otp::remit
