// The ledger's record of what came back after the 837Ps (model/remittance.h): responses by
// their key, the events they brought to claims, payment adjustments, and resubmissions.
#include "ledger/ledger.h"
#include "ledger/schema.h"
#include "ledger/sqlite_db.h"
#include "ledger/statements.h"

namespace otp {
namespace {

constexpr const char* kEventCols =
    "id, claim_id, response, seq, event, source, date, file, status_code, payer_claim_number, charge_cents, "
    "paid_cents, patient_cents, remarks, detail";

ClaimEvent EventFrom(sql::Stmt& s) {
  ClaimEvent e;
  e.id = s.Int(0);
  e.claim_id = s.Text(1);
  e.response = s.Text(2);
  e.seq = static_cast<int>(s.Int(3));
  e.event = s.Text(4);
  e.source = s.Text(5);
  e.date = s.DateAt(6);
  e.file = s.Text(7);
  e.status_code = s.Text(8);
  e.payer_claim_number = s.Text(9);
  e.charge = Money::Cents(s.Int(10));
  e.paid = Money::Cents(s.Int(11));
  e.patient_responsibility = Money::Cents(s.Int(12));
  e.remarks = s.Text(13);
  e.detail = s.Text(14);
  return e;
}

// The adjustments and lines of each event in `events`, read into it.
Status FillEvents(sql::Db& db, std::vector<ClaimEvent>& events) {
  sql::Stmt adj(db, "SELECT line_no, group_code, reason, amount_cents FROM event_adjustments WHERE event_id = ?1 "
                    "ORDER BY rowid");
  sql::Stmt lines(db, "SELECT line_no, code, modifiers, dos, charge_cents, paid_cents, units_thousandths, matched_by "
                      "FROM event_lines WHERE event_id = ?1 ORDER BY rowid");
  for (ClaimEvent& e : events) {
    adj.Bind(1, e.id);
    while (adj.Step())
      e.adjustments.push_back({static_cast<int>(adj.Int(0)), adj.Text(1), adj.Text(2), Money::Cents(adj.Int(3))});
    OTP_TRY(adj.Done());
    lines.Bind(1, e.id);
    while (lines.Step())
      e.lines.push_back({static_cast<int>(lines.Int(0)), lines.Text(1), lines.Text(2), lines.DateAt(3),
                         Money::Cents(lines.Int(4)), Money::Cents(lines.Int(5)), lines.Int(6), lines.Text(7)});
    OTP_TRY(lines.Done());
  }
  return Status::Ok();
}

Result<std::vector<ClaimEvent>> EventsFrom(sql::Db& db, sql::Stmt& s) {
  std::vector<ClaimEvent> out;
  while (s.Step()) out.push_back(EventFrom(s));
  OTP_TRY(s.Done());
  OTP_TRY(FillEvents(db, out));
  return out;
}

Result<std::optional<SentInterchange>> SentFrom(sql::Stmt& s) {
  std::optional<SentInterchange> out;
  if (s.Step()) out = SentInterchange{s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5)};
  OTP_TRY(s.Done());
  return out;
}

constexpr const char* kSentQuery =
    "SELECT g.control, g.group_control, g.reference, g.transaction_control, x.facility_id, x.path "
    "FROM sent_groups g JOIN interchanges x ON x.control = g.control WHERE ";

Result<std::vector<Resubmission>> ResubmissionsFrom(sql::Stmt& s) {
  std::vector<Resubmission> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.IsNull(4) ? 0 : s.Int(4)});
  OTP_TRY(s.Done());
  return out;
}

}  // namespace

Result<bool> Ledger::HasResponses() {
  if (!keeps_responses_) {
    OTP_ASSIGN_OR_RETURN(const bool has, ledger_schema::KeepsResponses(*db_));
    keeps_responses_ = has;
  }
  return *keeps_responses_;
}

Status Ledger::KeepResponses() {
  OTP_TRY(ledger_schema::KeepResponses(*db_));
  keeps_responses_ = true;
  return Status::Ok();
}

Result<int64_t> Ledger::RecordIngest(Date today, std::time_t now, const std::string& files) {
  sql::Stmt s(*db_, "INSERT INTO runs (as_of, started_at, finished_at, dry_run, status, inputs) "
                    "VALUES (?1, ?2, ?2, 0, 'ingest', ?3)");
  OTP_TRY(s.Bind(1, today).Bind(2, static_cast<int64_t>(now)).Bind(3, files).Run());
  return db_->LastInsertId();
}

Result<std::optional<std::string>> Ledger::ResponseDigest(const std::string& key) {
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  if (!has) return std::optional<std::string>();
  sql::Stmt s(*db_, "SELECT digest FROM responses WHERE key = ?1");
  s.Bind(1, key);
  std::optional<std::string> digest;
  if (s.Step()) digest = s.Text(0);
  OTP_TRY(s.Done());
  return digest;
}

Status Ledger::AddResponse(const ResponseRecord& r) {
  sql::Stmt s(*db_, "INSERT INTO responses VALUES (?1,?2,?3,?4,?5,?6,?7)");
  return s.Bind(1, r.key).Bind(2, r.kind).Bind(3, r.digest).Bind(4, r.file).Bind(5, r.date).Bind(6, r.summary)
      .Bind(7, r.run_id).Run();
}

Result<std::vector<ResponseRecord>> Ledger::Responses() {
  std::vector<ResponseRecord> out;
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  if (!has) return out;
  sql::Stmt s(*db_, "SELECT key, kind, digest, file, date, summary, run_id FROM responses ORDER BY date, key");
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.DateAt(4), s.Text(5), s.Int(6)});
  OTP_TRY(s.Done());
  return out;
}

Result<int64_t> Ledger::AddClaimEvent(const ClaimEvent& e) {
  sql::Stmt s(*db_, "INSERT INTO claim_events VALUES (NULL,?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)");
  OTP_TRY(s.Bind(1, e.claim_id).Bind(2, e.response).Bind(3, e.seq).Bind(4, e.event).Bind(5, e.source).Bind(6, e.date)
              .Bind(7, e.file).Bind(8, e.status_code).Bind(9, e.payer_claim_number).Bind(10, e.charge.cents())
              .Bind(11, e.paid.cents()).Bind(12, e.patient_responsibility.cents()).Bind(13, e.remarks)
              .Bind(14, e.detail).Run());
  const int64_t id = db_->LastInsertId();
  sql::Stmt adj(*db_, "INSERT INTO event_adjustments VALUES (?1,?2,?3,?4,?5)");
  for (const EventAdjustment& a : e.adjustments)
    OTP_TRY(adj.Bind(1, id).Bind(2, a.line_no).Bind(3, a.group).Bind(4, a.reason).Bind(5, a.amount.cents()).Run());
  sql::Stmt line(*db_, "INSERT INTO event_lines VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
  for (const EventLine& l : e.lines)
    OTP_TRY(line.Bind(1, id).Bind(2, l.line_no).Bind(3, l.code).Bind(4, l.modifiers).Bind(5, l.dos)
                .Bind(6, l.charge.cents()).Bind(7, l.paid.cents()).Bind(8, l.units_thousandths).Bind(9, l.matched_by)
                .Run());
  return id;
}

Status Ledger::AddPaymentAdjustment(const PaymentAdjustment& p) {
  sql::Stmt s(*db_, "INSERT INTO payment_adjustments VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
  return s.Bind(1, p.response).Bind(2, p.seq).Bind(3, p.facility_id).Bind(4, p.provider_id).Bind(5, p.fiscal_period)
      .Bind(6, p.reason).Bind(7, p.reference).Bind(8, p.claim_id).Bind(9, p.amount.cents()).Bind(10, p.date)
      .Bind(11, p.file).Run();
}

Result<std::vector<ClaimEvent>> Ledger::EventsOf(const std::string& claim_id) {
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  if (!has) return std::vector<ClaimEvent>();
  sql::Stmt s(*db_, std::string("SELECT ") + kEventCols + " FROM claim_events WHERE claim_id = ?1 ORDER BY date, id");
  s.Bind(1, claim_id);
  return EventsFrom(*db_, s);
}

Result<std::vector<ClaimEvent>> Ledger::AllEvents() {
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  if (!has) return std::vector<ClaimEvent>();
  sql::Stmt s(*db_, std::string("SELECT ") + kEventCols + " FROM claim_events ORDER BY claim_id, date, id");
  return EventsFrom(*db_, s);
}

Result<std::vector<ClaimEvent>> Ledger::EventsOfClaims(const std::vector<std::string>& claim_ids) {
  std::vector<ClaimEvent> out;
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  if (!has) return out;
  sql::Stmt s(*db_, std::string("SELECT ") + kEventCols + " FROM claim_events WHERE claim_id = ?1 ORDER BY date, id");
  for (const std::string& id : claim_ids) {
    s.Bind(1, id);
    while (s.Step()) out.push_back(EventFrom(s));
    OTP_TRY(s.Done());
  }
  OTP_TRY(FillEvents(*db_, out));
  return out;
}

Result<std::vector<PaymentAdjustment>> Ledger::PaymentAdjustments() {
  std::vector<PaymentAdjustment> out;
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  if (!has) return out;
  sql::Stmt s(*db_, "SELECT response, seq, facility_id, provider_id, fiscal_period, reason, reference, claim_id, "
                    "amount_cents, date, file FROM payment_adjustments ORDER BY date, response, seq");
  while (s.Step())
    out.push_back({s.Text(0), static_cast<int>(s.Int(1)), s.Text(2), s.Text(3), s.DateAt(4), s.Text(5), s.Text(6),
                   s.Text(7), Money::Cents(s.Int(8)), s.DateAt(9), s.Text(10)});
  OTP_TRY(s.Done());
  return out;
}

Result<std::optional<SentInterchange>> Ledger::SentByGroup(int64_t group_control) {
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  if (!has) return std::optional<SentInterchange>();
  sql::Stmt s(*db_, std::string(kSentQuery) + "g.group_control = ?1");
  s.Bind(1, group_control);
  return SentFrom(s);
}

Result<std::optional<SentInterchange>> Ledger::SentByReference(const std::string& reference) {
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  if (!has) return std::optional<SentInterchange>();
  sql::Stmt s(*db_, std::string(kSentQuery) + "g.reference = ?1");
  s.Bind(1, reference);
  return SentFrom(s);
}

Result<std::vector<std::string>> Ledger::ClaimIdsOfInterchange(int64_t control) {
  sql::Stmt s(*db_, "SELECT claim_id FROM claims WHERE interchange = ?1 ORDER BY claim_id");
  s.Bind(1, control);
  return s.Texts();
}

Result<std::optional<std::string>> Ledger::ClaimOfPayerNumber(const std::string& number) {
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  if (!has || number.empty()) return std::optional<std::string>();
  sql::Stmt s(*db_, "SELECT claim_id FROM claim_events WHERE payer_claim_number = ?1 ORDER BY date DESC, id DESC "
                    "LIMIT 1");
  s.Bind(1, number);
  std::optional<std::string> out;
  if (s.Step()) out = s.Text(0);
  OTP_TRY(s.Done());
  return out;
}

Result<bool> Ledger::AddResubmission(const Resubmission& r) {
  sql::Stmt s(*db_, "INSERT INTO resubmissions VALUES (?1,?2,?3,'',NULL) ON CONFLICT (claim_id) DO NOTHING");
  OTP_TRY(s.Bind(1, r.claim_id).Bind(2, r.by).Bind(3, r.at).Run());
  return db_->Changes() > 0;
}

Result<std::optional<Resubmission>> Ledger::FindResubmission(const std::string& claim_id) {
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  if (!has) return std::optional<Resubmission>();
  sql::Stmt s(*db_, "SELECT claim_id, by_name, at, new_claim_id, run_id FROM resubmissions WHERE claim_id = ?1");
  s.Bind(1, claim_id);
  OTP_ASSIGN_OR_RETURN(std::vector<Resubmission> found, ResubmissionsFrom(s));
  if (found.empty()) return std::optional<Resubmission>();
  return std::optional<Resubmission>(std::move(found.front()));
}

Result<std::vector<Resubmission>> Ledger::Resubmissions(bool pending_only) {
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  if (!has) return std::vector<Resubmission>();
  sql::Stmt s(*db_, std::string("SELECT claim_id, by_name, at, new_claim_id, run_id FROM resubmissions ") +
                        (pending_only ? "WHERE new_claim_id = '' " : "") + "ORDER BY claim_id");
  return ResubmissionsFrom(s);
}

Status Ledger::HandOverClaim(const std::string& old_id, const std::string& new_id, int64_t run_id) {
  sql::Stmt sources(*db_, "DELETE FROM line_sources WHERE claim_id = ?1");
  OTP_TRY(sources.Bind(1, old_id).Run());
  sql::Stmt history(*db_, "DELETE FROM patient_lines WHERE claim_id = ?1");
  OTP_TRY(history.Bind(1, old_id).Run());
  sql::Stmt named(*db_, "UPDATE resubmissions SET new_claim_id = ?2, run_id = ?3 WHERE claim_id = ?1 AND "
                        "new_claim_id = ''");
  OTP_TRY(named.Bind(1, old_id).Bind(2, new_id).Bind(3, run_id).Run());
  if (db_->Changes() != 1)
    return Status::Internal("claim " + old_id + " was billed again without a pending resubmission");
  return Status::Ok();
}

}  // namespace otp
