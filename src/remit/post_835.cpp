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

std::string_view TrimSpaces(std::string_view s) {
  const size_t b = s.find_first_not_of(' ');
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

// The claim one candidate names: a CLM01 of ours, or a payer claim number given to one.
Result<std::string> ClaimNamed(Ledger& ledger, std::string_view candidate) {
  if (candidate.empty()) return std::string();
  OTP_ASSIGN_OR_RETURN(const std::optional<StoredClaim> ours, OurClaim(ledger, candidate));
  if (ours) return ours->claim.claim_id;
  OTP_ASSIGN_OR_RETURN(const std::optional<std::string> by_number, ledger.ClaimOfPayerNumber(std::string(candidate)));
  return by_number.value_or(std::string());
}

// The claim a PLB reference (PLB03-2) names, "" when none or when its parts name two. A payer
// may send our CLM01 or its own claim number alone; a Medicare contractor's 5010 835 sends the
// demand letter's claim control number in positions 1-19 and the Patient Control Number (our
// CLM01; the beneficiary's number when it has none) in positions 20-39 (CMS CR 7499, MLN
// Matters MM7499).
Result<std::string> ClaimOfReference(Ledger& ledger, std::string_view reference) {
  OTP_ASSIGN_OR_RETURN(std::string whole, ClaimNamed(ledger, TrimSpaces(reference)));
  if (!whole.empty() || reference.size() <= 19) return whole;
  std::string found;
  for (std::string_view part : {reference.substr(19, 20), reference.substr(0, 19)}) {
    OTP_ASSIGN_OR_RETURN(const std::string claim, ClaimNamed(ledger, TrimSpaces(part)));
    if (claim.empty()) continue;
    if (!found.empty() && found != claim) return std::string();  // two claims: a person decides
    found = claim;
  }
  return found;
}

Status PostAdjustments(Post& p, const Remit835& r, const std::string& facility) {
  int seq = 0;
  for (const ProviderAdjustment& a : r.provider_adjustments) {
    PaymentAdjustment pa{p.response.key, seq++, facility, a.provider_id, a.fiscal_period, a.reason, a.reference,
                         "", a.amount, r.payment_date, p.response.file};
    OTP_ASSIGN_OR_RETURN(pa.claim_id, ClaimOfReference(p.ledger, a.reference));
    if (p.ctx.words.NamesClaim(a.reason) && pa.claim_id.empty())
      OTP_TRY(Unmatched(p, "PLB " + std::to_string(pa.seq),
                        "a provider-level adjustment (PLB " + p.ctx.words.DescribeProviderAdjustment(a.reason) + ") of " +
                            a.amount.ToString() + " names " +
                            (a.reference.empty() ? std::string("no claim") : "claim " + a.reference) +
                            ", which this ledger did not write",
                        a.amount, facility));
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
