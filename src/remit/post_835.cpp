// An 835 posted to the claims it pays (CLP01 = CLM01), its service lines tied to the claims'
// lines, and its provider-level adjustments (posting.h).

#include "remit/claim_account.h"
#include "remit/line_match.h"
#include "model/text.h"
#include "remit/post_parts.h"

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

// The claim a PLB reference names: a CLM01 of ours, or a payer claim number given to one.
Result<std::string> ClaimOfReference(Ledger& ledger, const std::string& reference) {
  if (reference.empty()) return std::string();
  OTP_ASSIGN_OR_RETURN(const std::optional<StoredClaim> ours, OurClaim(ledger, reference));
  if (ours) return ours->claim.claim_id;
  OTP_ASSIGN_OR_RETURN(const std::optional<std::string> by_number, ledger.ClaimOfPayerNumber(reference));
  return by_number.value_or(std::string());
}

Status PostAdjustments(Post& p, const Remit835& r, const std::string& facility) {
  int seq = 0;
  for (const ProviderAdjustment& a : r.provider_adjustments) {
    PaymentAdjustment pa{p.response.key, seq++, facility, a.provider_id, a.fiscal_period, a.reason, a.reference,
                         "", a.amount, r.payment_date, p.response.file};
    OTP_ASSIGN_OR_RETURN(pa.claim_id, ClaimOfReference(p.ledger, a.reference));
    if (a.reason == "WO" && pa.claim_id.empty())
      OTP_TRY(Unmatched(p, "PLB " + std::to_string(pa.seq), "an overpayment recovery (PLB WO) of " + a.amount.ToString() +
                        " names " + (a.reference.empty() ? std::string("no claim") : "claim " + a.reference) +
                        ", which this ledger did not write", a.amount, facility));
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
