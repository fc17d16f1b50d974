// The field tables of workbook_fields.h.
#include "output/workbook_fields.h"

#include <climits>
#include <filesystem>
#include <iterator>

#include "output/summary.h"

namespace otp::workbook {

std::string Cell::Display() const {
  switch (kind) {
    case Kind::kDate: return date.Iso();
    case Kind::kMoney: return money.ToString();
    case Kind::kInteger: return text.empty() ? std::to_string(integer) : text;
    case Kind::kPercent: return text.empty() ? std::to_string(ratio) : text;
    default: return text;
  }
}

Cell TextCell(std::string s) { Cell c; c.text = std::move(s); return c; }
Cell DateCell(Date d) { Cell c; c.kind = Kind::kDate; c.date = d; return c; }
Cell MoneyCell(Money m) { Cell c; c.kind = Kind::kMoney; c.money = m; return c; }
Cell IntCell(int64_t n) { Cell c; c.kind = Kind::kInteger; c.integer = n; return c; }
Cell BlankCell(Kind kind) { Cell c; c.kind = kind; c.blank = true; return c; }
Cell StakeCell(Money m) { return m.cents() == 0 ? BlankCell(Kind::kMoney) : MoneyCell(m); }

std::map<std::string, std::string> ClaimFilesByFacility(const std::vector<std::string>& files) {
  std::map<std::string, std::string> out;
  for (const std::string& f : files) {
    const std::filesystem::path p(f);
    if (p.extension() != ".837") continue;
    const std::string stem = p.stem().string();
    const size_t dash = stem.rfind('-');
    if (dash == std::string::npos || dash == 0) continue;
    out[stem.substr(0, dash)] = p.filename().string();
  }
  return out;
}

namespace {

using Ctx = FieldContext;

Cell OptDateCell(const std::optional<Date>& d) { return d ? DateCell(*d) : BlankCell(Kind::kDate); }
Cell JoinCell(const std::vector<std::string>& parts, const char* sep) {
  std::string s;
  for (const auto& p : parts) {
    if (!s.empty()) s += sep;
    s += p;
  }
  return TextCell(std::move(s));
}

// ICD-10-CM as people read it: the dot after the category (F1120 → F11.20).
Cell DiagnosisCell(const std::string& dx) {
  if (dx.size() <= 3 || dx.find('.') != std::string::npos) return TextCell(dx);
  return TextCell(dx.substr(0, 3) + "." + dx.substr(3));
}

Cell DaysToExpiry(int days) {
  if (days == INT_MAX) { Cell c = IntCell(0); c.text = "open"; return c; }
  return IntCell(days);
}

const FieldDef<WorkRow> kWork[] = {
    {"id", Kind::kText, [](const WorkRow& r, const Ctx&) { return TextCell(r.id); }},
    {"kind", Kind::kText, [](const WorkRow& r, const Ctx&) { return TextCell(r.kind); }},
    {"facility_id", Kind::kText, [](const WorkRow& r, const Ctx&) { return TextCell(r.facility_id); }},
    {"patient_id", Kind::kText, [](const WorkRow& r, const Ctx&) { return TextCell(r.patient_id); }},
    {"reason", Kind::kText, [](const WorkRow& r, const Ctx&) { return TextCell(r.reason); }},
    {"next_step", Kind::kText, [](const WorkRow& r, const Ctx&) { return TextCell(r.next_step); }},
    {"detail", Kind::kText, [](const WorkRow& r, const Ctx&) { return TextCell(r.detail); }},
    {"amount_at_stake", Kind::kMoney, [](const WorkRow& r, const Ctx&) { return StakeCell(r.amount_at_stake); }},
    {"opened", Kind::kDate, [](const WorkRow& r, const Ctx&) { return DateCell(r.opened); }},
    {"age_days", Kind::kInteger, [](const WorkRow& r, const Ctx&) { return IntCell(r.age_days); }},
};

Cell ClaimFile(const ClaimRow& r, const Ctx& x) {
  if (!r.claim->file.empty()) return TextCell(r.claim->file);
  auto it = x.file_of_facility.find(r.claim->facility_id);
  return TextCell(it == x.file_of_facility.end() ? std::string() : it->second);
}

// The columns that name a claim line, on the Claims sheet and again on the Audit sheet.
constexpr FieldDef<ClaimRow> kClaimId = {
    "claim_id", Kind::kText, [](const ClaimRow& r, const Ctx&) { return TextCell(r.claim->claim_id); }};
constexpr FieldDef<ClaimRow> kLineNo = {
    "line_no", Kind::kInteger, [](const ClaimRow& r, const Ctx&) { return IntCell(r.line_no); }};
constexpr FieldDef<ClaimRow> kClaimFacility = {
    "facility_id", Kind::kText, [](const ClaimRow& r, const Ctx&) { return TextCell(r.claim->facility_id); }};
constexpr FieldDef<ClaimRow> kClaimPatient = {
    "patient_id", Kind::kText, [](const ClaimRow& r, const Ctx&) { return TextCell(r.claim->patient_id); }};
constexpr FieldDef<ClaimRow> kDos = {
    "dos", Kind::kDate, [](const ClaimRow& r, const Ctx&) { return DateCell(r.line->dos); }};
constexpr FieldDef<ClaimRow> kCode = {
    "code", Kind::kText, [](const ClaimRow& r, const Ctx&) { return TextCell(r.line->code); }};

const FieldDef<ClaimRow> kClaims[] = {
    kClaimId, kLineNo, kClaimFacility, kClaimPatient, kDos, kCode,
    {"modifiers", Kind::kText, [](const ClaimRow& r, const Ctx&) { return JoinCell(r.line->modifiers, ":"); }},
    {"units", Kind::kInteger, [](const ClaimRow& r, const Ctx&) { return IntCell(r.line->units); }},
    {"charge", Kind::kMoney, [](const ClaimRow& r, const Ctx&) { return MoneyCell(r.line->charge); }},
    {"claim_total", Kind::kMoney, [](const ClaimRow& r, const Ctx&) { return MoneyCell(r.claim_total); }},
    {"diagnosis", Kind::kText, [](const ClaimRow& r, const Ctx&) { return DiagnosisCell(r.claim->diagnosis); }},
    {"file", Kind::kText, ClaimFile},
    {"rate_check", Kind::kText,
     [](const ClaimRow& r, const Ctx&) { return TextCell(r.line->PriceUnverified() ? "unverified" : ""); }},
};

const FieldDef<PaymentRow> kPayments[] = {
    {"facility_id", Kind::kText, [](const PaymentRow& r, const Ctx&) { return TextCell(r.facility_id); }},
    {"claim_id", Kind::kText, [](const PaymentRow& r, const Ctx&) { return TextCell(r.claim_id); }},
    {"patient_id", Kind::kText, [](const PaymentRow& r, const Ctx&) { return TextCell(r.patient_id); }},
    {"month", Kind::kText, [](const PaymentRow& r, const Ctx&) { return TextCell(r.month); }},
    {"written", Kind::kDate, [](const PaymentRow& r, const Ctx&) { return DateCell(r.written); }},
    {"file", Kind::kText, [](const PaymentRow& r, const Ctx&) { return TextCell(r.file); }},
    {"status", Kind::kText, [](const PaymentRow& r, const Ctx&) { return TextCell(r.status); }},
    {"acknowledgments", Kind::kText, [](const PaymentRow& r, const Ctx&) { return TextCell(r.acknowledgments); }},
    {"payer_claim_number", Kind::kText, [](const PaymentRow& r, const Ctx&) { return TextCell(r.payer_claim_number); }},
    {"billed", Kind::kMoney, [](const PaymentRow& r, const Ctx&) { return MoneyCell(r.billed); }},
    {"paid", Kind::kMoney, [](const PaymentRow& r, const Ctx&) { return MoneyCell(r.paid); }},
    {"adjustments", Kind::kText, [](const PaymentRow& r, const Ctx&) { return TextCell(r.adjustments); }},
    {"adjustment_words", Kind::kText, [](const PaymentRow& r, const Ctx&) { return TextCell(r.adjustment_words); }},
    {"patient_responsibility", Kind::kMoney,
     [](const PaymentRow& r, const Ctx&) { return MoneyCell(r.patient_responsibility); }},
    {"outstanding", Kind::kMoney, [](const PaymentRow& r, const Ctx&) { return MoneyCell(r.outstanding); }},
    {"age_days", Kind::kInteger, [](const PaymentRow& r, const Ctx&) { return IntCell(r.age_days); }},
    {"last_event", Kind::kDate, [](const PaymentRow& r, const Ctx&) { return OptDateCell(r.last_event); }},
};

const FieldDef<ReceivableRow> kReceivables[] = {
    {"facility_id", Kind::kText, [](const ReceivableRow& r, const Ctx&) { return TextCell(r.facility_id); }},
    {"claims", Kind::kInteger, [](const ReceivableRow& r, const Ctx&) { return IntCell(r.claims); }},
    {"open_claims", Kind::kInteger, [](const ReceivableRow& r, const Ctx&) { return IntCell(r.open_claims); }},
    {"billed", Kind::kMoney, [](const ReceivableRow& r, const Ctx&) { return MoneyCell(r.billed); }},
    {"paid", Kind::kMoney, [](const ReceivableRow& r, const Ctx&) { return MoneyCell(r.paid); }},
    {"contractual", Kind::kMoney, [](const ReceivableRow& r, const Ctx&) { return MoneyCell(r.contractual); }},
    {"denied", Kind::kMoney, [](const ReceivableRow& r, const Ctx&) { return MoneyCell(r.denied); }},
    {"other_adjusted", Kind::kMoney, [](const ReceivableRow& r, const Ctx&) { return MoneyCell(r.other_adjusted); }},
    {"deductible", Kind::kMoney, [](const ReceivableRow& r, const Ctx&) { return MoneyCell(r.deductible); }},
    {"other_patient", Kind::kMoney, [](const ReceivableRow& r, const Ctx&) { return MoneyCell(r.other_patient); }},
    {"outstanding", Kind::kMoney, [](const ReceivableRow& r, const Ctx&) { return MoneyCell(r.outstanding); }},
    {"provider_adjustments", Kind::kMoney,
     [](const ReceivableRow& r, const Ctx&) { return MoneyCell(r.provider_adjustments); }},
};

const FieldDef<ProviderAdjustmentRow> kProviderAdjustments[] = {
    {"facility_id", Kind::kText, [](const ProviderAdjustmentRow& r, const Ctx&) { return TextCell(r.facility_id); }},
    {"date", Kind::kDate, [](const ProviderAdjustmentRow& r, const Ctx&) { return DateCell(r.date); }},
    {"trace", Kind::kText, [](const ProviderAdjustmentRow& r, const Ctx&) { return TextCell(r.trace); }},
    {"reason", Kind::kText, [](const ProviderAdjustmentRow& r, const Ctx&) { return TextCell(r.reason); }},
    {"reason_words", Kind::kText, [](const ProviderAdjustmentRow& r, const Ctx&) { return TextCell(r.reason_words); }},
    {"reference", Kind::kText, [](const ProviderAdjustmentRow& r, const Ctx&) { return TextCell(r.reference); }},
    {"claim_id", Kind::kText, [](const ProviderAdjustmentRow& r, const Ctx&) { return TextCell(r.claim_id); }},
    {"amount", Kind::kMoney, [](const ProviderAdjustmentRow& r, const Ctx&) { return MoneyCell(r.amount); }},
    {"file", Kind::kText, [](const ProviderAdjustmentRow& r, const Ctx&) { return TextCell(r.file); }},
};

const FieldDef<HeldRow> kHeld[] = {
    {"facility_id", Kind::kText, [](const HeldRow& r, const Ctx&) { return TextCell(r.facility_id); }},
    {"patient_id", Kind::kText, [](const HeldRow& r, const Ctx&) { return TextCell(r.patient_id); }},
    {"date", Kind::kDate, [](const HeldRow& r, const Ctx&) { return DateCell(r.date); }},
    {"code", Kind::kText, [](const HeldRow& r, const Ctx&) { return TextCell(r.code); }},
    {"reason", Kind::kText, [](const HeldRow& r, const Ctx&) { return TextCell(r.reason); }},
    {"detail", Kind::kText, [](const HeldRow& r, const Ctx&) { return TextCell(r.detail); }},
    {"next_step", Kind::kText, [](const HeldRow& r, const Ctx&) { return TextCell(r.next_step); }},
    {"amount_at_stake", Kind::kMoney, [](const HeldRow& r, const Ctx&) { return StakeCell(r.amount_at_stake); }},
    {"item_id", Kind::kText, [](const HeldRow& r, const Ctx&) { return TextCell(r.item_id); }},
    {"record_ids", Kind::kText, [](const HeldRow& r, const Ctx&) { return JoinCell(r.record_ids, " "); }},
};

// A finding's state in the work queue: absent means open (interface.md §4: open or closed).
const FindingState* StateOf(const Finding& f, const Ctx& x) {
  auto it = x.data.finding_states.find(f.key);
  return it == x.data.finding_states.end() ? nullptr : &it->second;
}

Cell FindingStateCell(const Finding& f, const Ctx& x) {
  const FindingState* s = StateOf(f, x);
  return TextCell(!s || s->open ? "open" : "closed");
}

// Who closed it, when and why: "by ANA RIVERA on 2026-11-12: reviewed, exam done late" (a person)
// or "by the data on 2026-11-12: not found again" (the night that resolved it).
Cell ClosedNote(const Finding& f, const Ctx& x) {
  const FindingState* s = StateOf(f, x);
  if (!s || s->open) return TextCell("");
  std::string t;
  if (!s->closed_by.empty()) t = "by " + s->closed_by;
  if (s->closed_on) t += (t.empty() ? "on " : " on ") + s->closed_on->Iso();
  if (!s->note.empty()) t += (t.empty() ? "" : ": ") + s->note;
  return TextCell(std::move(t));
}

const FieldDef<Finding> kFindings[] = {
    {"facility_id", Kind::kText, [](const Finding& r, const Ctx&) { return TextCell(r.facility_id); }},
    {"patient_id", Kind::kText, [](const Finding& r, const Ctx&) { return TextCell(r.patient_id); }},
    {"date", Kind::kDate, [](const Finding& r, const Ctx&) { return DateCell(r.date); }},
    {"rule_id", Kind::kText, [](const Finding& r, const Ctx&) { return TextCell(r.rule_id); }},
    {"citation", Kind::kText, [](const Finding& r, const Ctx&) { return TextCell(r.citation); }},
    {"severity", Kind::kText, [](const Finding& r, const Ctx&) { return TextCell(SeverityName(r.severity)); }},
    {"detail", Kind::kText, [](const Finding& r, const Ctx&) { return TextCell(r.detail); }},
    {"state", Kind::kText, FindingStateCell},
    {"item_id", Kind::kText,
     [](const Finding& r, const Ctx& x) { const FindingState* s = StateOf(r, x); return TextCell(s ? s->item_id : ""); }},
    {"closed_note", Kind::kText, ClosedNote},
    {"key", Kind::kText, [](const Finding& r, const Ctx&) { return TextCell(r.key); }},
};

const FieldDef<CredentialStatus> kCredentials[] = {
    {"facility_id", Kind::kText, [](const CredentialStatus& r, const Ctx&) { return TextCell(r.facility_id); }},
    {"kind", Kind::kText, [](const CredentialStatus& r, const Ctx&) { return TextCell(r.kind); }},
    {"number", Kind::kText, [](const CredentialStatus& r, const Ctx&) { return TextCell(r.number); }},
    {"status", Kind::kText, [](const CredentialStatus& r, const Ctx&) { return TextCell(r.status); }},
    {"expires", Kind::kDate, [](const CredentialStatus& r, const Ctx&) { return OptDateCell(r.expires); }},
    {"days_to_expiry", Kind::kInteger,
     [](const CredentialStatus& r, const Ctx&) { return DaysToExpiry(r.days_to_expiry); }},
};

// Reject::raw is deliberately absent: the row's text may hold names and MBIs.
const FieldDef<Reject> kRejects[] = {
    {"file", Kind::kText, [](const Reject& r, const Ctx&) { return TextCell(r.file); }},
    {"line", Kind::kInteger, [](const Reject& r, const Ctx&) { return IntCell(r.line); }},
    {"column", Kind::kText, [](const Reject& r, const Ctx&) { return TextCell(r.column); }},
    {"reason", Kind::kText, [](const Reject& r, const Ctx&) { return TextCell(r.reason); }},
    {"record_id", Kind::kText, [](const Reject& r, const Ctx&) { return TextCell(r.record_id); }},
    {"facility_id", Kind::kText, [](const Reject& r, const Ctx&) { return TextCell(r.facility_id); }},
};

// The Audit sheet: the same lines as the Claims sheet, with their sources and rules.
const FieldDef<ClaimRow> kAudit[] = {
    kClaimId, kLineNo, kClaimFacility, kClaimPatient, kDos, kCode,
    {"source_record_ids", Kind::kText,
     [](const ClaimRow& r, const Ctx&) { return JoinCell(r.line->source_record_ids, " "); }},
    {"rule_id", Kind::kText, [](const ClaimRow& r, const Ctx&) { return TextCell(r.line->rule_id); }},
    {"edits", Kind::kText, [](const ClaimRow& r, const Ctx&) { return JoinCell(r.line->edits, " "); }},
    {"rate_ref", Kind::kText, [](const ClaimRow& r, const Ctx&) { return TextCell(r.line->rate_ref); }},
};

const FieldDef<ReferenceRow> kReference[] = {
    {"kind", Kind::kText, [](const ReferenceRow& r, const Ctx&) { return TextCell(r.kind); }},
    {"id", Kind::kText, [](const ReferenceRow& r, const Ctx&) { return TextCell(r.id); }},
    {"words", Kind::kText, [](const ReferenceRow& r, const Ctx&) { return TextCell(r.words); }},
    {"source", Kind::kText, [](const ReferenceRow& r, const Ctx&) { return TextCell(r.source); }},
    {"next_step", Kind::kText, [](const ReferenceRow& r, const Ctx&) { return TextCell(r.next_step); }},
};

Cell RetentionShare(const ReportData& d, const Ctx&) {
  Cell c;
  c.kind = Kind::kPercent;
  if (d.retention.admissions <= 0) { c.text = "n/a"; return c; }
  c.ratio = static_cast<double>(d.retention.retained_90_days) / static_cast<double>(d.retention.admissions);
  return c;
}

const FieldDef<ReportData> kSummary[] = {
    {"as_of", Kind::kDate, [](const ReportData& d, const Ctx&) { return DateCell(d.as_of); }},
    {"from", Kind::kDate, [](const ReportData& d, const Ctx&) { return DateCell(d.from); }},
    {"to", Kind::kDate, [](const ReportData& d, const Ctx&) { return DateCell(d.to); }},
    {"facilities", Kind::kText, [](const ReportData& d, const Ctx&) { return JoinCell(d.facilities, "; "); }},
    {"patient_rows_read", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.counts.patient_rows_read); }},
    {"patient_rows_rejected", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.counts.patient_rows_rejected); }},
    {"service_rows_read", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.counts.service_rows_read); }},
    {"accepted", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.counts.accepted); }},
    {"rejected", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.counts.rejected); }},
    {"billed", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.counts.billed); }},
    {"held", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.counts.held); }},
    {"not_billable", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.counts.not_billable); }},
    {"already_processed", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.counts.already_processed); }},
    {"open", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.counts.open); }},
    {"claims", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.counts.claims); }},
    {"lines", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.counts.lines); }},
    {"total_charges", Kind::kMoney, [](const ReportData& d, const Ctx&) { return MoneyCell(d.counts.total_charges); }},
    {"counts_add_up", Kind::kText,
     [](const ReportData& d, const Ctx&) { return TextCell(CountsAddUp(d.counts) ? "yes" : "NO"); }},
    {"admissions", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.retention.admissions); }},
    {"retained_90_days", Kind::kInteger, [](const ReportData& d, const Ctx&) { return IntCell(d.retention.retained_90_days); }},
    {"retention_share", Kind::kPercent, RetentionShare},
};

}  // namespace

std::span<const FieldDef<WorkRow>> WorkFields() { return kWork; }
std::span<const FieldDef<ClaimRow>> ClaimFields() { return kClaims; }
std::span<const FieldDef<PaymentRow>> PaymentFields() { return kPayments; }
std::span<const FieldDef<ReceivableRow>> ReceivableFields() { return kReceivables; }
std::span<const FieldDef<ProviderAdjustmentRow>> ProviderAdjustmentFields() { return kProviderAdjustments; }
std::span<const FieldDef<HeldRow>> HeldFields() { return kHeld; }
std::span<const FieldDef<Finding>> FindingFields() { return kFindings; }
std::span<const FieldDef<CredentialStatus>> CredentialFields() { return kCredentials; }
std::span<const FieldDef<Reject>> RejectFields() { return kRejects; }
std::span<const FieldDef<ClaimRow>> AuditFields() { return kAudit; }
std::span<const FieldDef<ReferenceRow>> ReferenceFields() { return kReference; }
std::span<const FieldDef<ReportData>> SummaryFields() { return kSummary; }

}  // namespace otp::workbook
