// Reading the ledger back for report and explain: claims, holds, findings, rejects, and the
// counts and names a period's report shows.
#include <sstream>

#include "ledger/ledger.h"
#include "ledger/sqlite_db.h"
#include "ledger/statements.h"

namespace otp {
namespace {

ClaimLine LineFrom(sql::Stmt& l) {
  ClaimLine line;
  line.code = l.Text(1);
  line.modifiers = SplitIds(l.Text(2), ':');
  line.dos = l.DateAt(3);
  line.units = static_cast<int>(l.Int(4));
  line.unit_price = Money::Cents(l.Int(5));
  line.charge = Money::Cents(l.Int(6));
  line.rule_id = l.Text(7);
  line.rate_ref = l.Text(8);
  line.practitioner_npi = l.Text(9);
  line.episode_start = l.DateAt(10);
  line.edits = SplitIds(l.Text(11));
  return line;
}

Result<std::vector<Reject>> RejectsFrom(sql::Stmt& s) {
  std::vector<Reject> out;
  while (s.Step()) {
    Reject r;
    r.file = s.Text(0);
    r.line = s.Int(1);
    r.column = s.Text(2);
    r.reason = s.Text(3);
    r.record_id = s.Text(4);
    r.facility_id = s.Text(5);
    r.raw = s.Text(6);
    out.push_back(std::move(r));
  }
  OTP_TRY(s.Done());
  return out;
}

}  // namespace

Result<std::optional<StoredClaim>> Ledger::FindClaim(const std::string& claim_id) {
  auto& s = st_->find_claim;
  s.Bind(1, claim_id);
  StoredClaim sc;
  const bool found = s.Step();
  if (found) {
    sc.claim.claim_id = s.Text(0);
    sc.run_id = s.Int(1);
    sc.claim.facility_id = s.Text(2);
    sc.claim.patient_id = s.Text(3);
    sc.claim.diagnosis = s.Text(4);
    sc.interchange = s.Int(5);
    sc.written_on = s.DateAt(6);
  }
  OTP_TRY(s.Done());
  if (!found) return std::optional<StoredClaim>();
  auto& l = st_->lines_of;
  l.Bind(1, claim_id);
  while (l.Step()) {
    sc.line_nos.push_back(static_cast<int>(l.Int(0)));
    sc.claim.lines.push_back(LineFrom(l));
  }
  OTP_TRY(l.Done());
  for (size_t i = 0; i < sc.claim.lines.size(); ++i) {
    auto& src = st_->sources_of;
    src.Bind(1, claim_id).Bind(2, sc.line_nos[i]);
    while (src.Step()) sc.claim.lines[i].source_record_ids.push_back(src.Text(0));
    OTP_TRY(src.Done());
  }
  return std::optional<StoredClaim>(std::move(sc));
}

Result<std::vector<StoredClaim>> Ledger::ClaimsBetween(Date from, Date to) {
  std::vector<std::string> ids;
  sql::Stmt s(*db_, "SELECT DISTINCT claim_id FROM claim_lines WHERE dos BETWEEN ?1 AND ?2 ORDER BY claim_id");
  s.Bind(1, from).Bind(2, to);
  while (s.Step()) ids.push_back(s.Text(0));
  OTP_TRY(s.Done());
  std::vector<StoredClaim> out;
  for (const auto& id : ids) {
    OTP_ASSIGN_OR_RETURN(std::optional<StoredClaim> c, FindClaim(id));
    if (c) out.push_back(std::move(*c));
  }
  return out;
}

namespace {
constexpr const char* kHoldCols = "facility_id, patient_id, date, code, reason, detail, record_ids, amount_cents, finding, week";

Result<std::vector<Hold>> HoldsFrom(sql::Stmt& s) {
  std::vector<Hold> out;
  while (s.Step()) {
    Hold h{s.Text(0), s.Text(1), s.DateAt(2), s.Text(4), s.Text(5), s.Text(3), SplitIds(s.View(6), kIdSep)};
    if (!s.IsNull(7)) h.amount = Money::Cents(s.Int(7));
    h.finding = s.Text(8);
    h.week = s.OptDateAt(9);
    out.push_back(std::move(h));
  }
  OTP_TRY(s.Done());
  return out;
}
}  // namespace

Result<std::vector<Hold>> Ledger::HoldsBetween(Date from, Date to) {
  sql::Stmt s(*db_, std::string("SELECT ") + kHoldCols +
                        " FROM holds WHERE date BETWEEN ?1 AND ?2 ORDER BY date, facility_id, patient_id, key");
  s.Bind(1, from).Bind(2, to);
  return HoldsFrom(s);
}

Result<std::vector<Hold>> Ledger::HoldsOfPatient(const std::string& patient_id) {
  sql::Stmt s(*db_, std::string("SELECT ") + kHoldCols +
                        " FROM holds WHERE patient_id = ?1 ORDER BY date, facility_id, key");
  s.Bind(1, patient_id);
  return HoldsFrom(s);
}

Result<std::vector<Hold>> Ledger::HoldsOfRuns(const std::vector<int64_t>& run_ids) {
  std::vector<Hold> out;
  for (int64_t run : run_ids) {
    sql::Stmt s(*db_, std::string("SELECT ") + kHoldCols +
                          " FROM holds WHERE run_id = ?1 ORDER BY date, facility_id, patient_id, key");
    s.Bind(1, run);
    OTP_ASSIGN_OR_RETURN(std::vector<Hold> some, HoldsFrom(s));
    for (auto& h : some) out.push_back(std::move(h));
  }
  return out;
}

namespace {
Result<std::vector<Finding>> FindingsFrom(sql::Stmt& s) {
  std::vector<Finding> out;
  while (s.Step()) {
    Finding f;
    f.key = s.Text(0);
    f.rule_id = s.Text(1);
    f.citation = s.Text(2);
    if (auto severity = ParseSeverity(s.View(3))) f.severity = *severity;
    else s.Fail(Status::Corrupt("the ledger holds a finding of a severity this otpbatch does not know"));
    f.facility_id = s.Text(4);
    f.patient_id = s.Text(5);
    f.date = s.DateAt(6);
    f.detail = s.Text(7);
    out.push_back(std::move(f));
  }
  OTP_TRY(s.Done());
  return out;
}
constexpr const char* kFindingCols = "SELECT key, rule_id, citation, severity, facility_id, patient_id, date, detail ";
}  // namespace

Result<std::vector<Finding>> Ledger::FindingsBetween(Date from, Date to) {
  sql::Stmt s(*db_, std::string(kFindingCols) + "FROM findings WHERE date BETWEEN ?1 AND ?2 ORDER BY date, rule_id, key");
  s.Bind(1, from).Bind(2, to);
  return FindingsFrom(s);
}

Result<std::vector<Finding>> Ledger::FindingsOfPatient(const std::string& patient_id) {
  sql::Stmt s(*db_, std::string(kFindingCols) + "FROM findings WHERE patient_id = ?1 ORDER BY date, rule_id, key");
  s.Bind(1, patient_id);
  return FindingsFrom(s);
}

Result<std::vector<Finding>> Ledger::FindingsOfRuns(const std::vector<int64_t>& run_ids) {
  std::vector<Finding> out;
  for (int64_t run : run_ids) {
    sql::Stmt s(*db_, std::string(kFindingCols) + "FROM findings WHERE run_id = ?1 ORDER BY date, rule_id, key");
    s.Bind(1, run);
    OTP_ASSIGN_OR_RETURN(std::vector<Finding> some, FindingsFrom(s));
    for (auto& f : some) out.push_back(std::move(f));
  }
  return out;
}

Result<std::vector<StoredClaim>> Ledger::ClaimsOfRuns(const std::vector<int64_t>& run_ids) {
  std::vector<std::string> ids;
  for (int64_t run : run_ids) {
    sql::Stmt s(*db_, "SELECT claim_id FROM claims WHERE run_id = ?1 ORDER BY claim_id");
    s.Bind(1, run);
    while (s.Step()) ids.push_back(s.Text(0));
    OTP_TRY(s.Done());
  }
  std::vector<StoredClaim> out;
  for (const auto& id : ids) {
    OTP_ASSIGN_OR_RETURN(std::optional<StoredClaim> c, FindClaim(id));
    if (!c) return Status::Corrupt("claim " + id + " is listed for a run but cannot be read back");
    out.push_back(std::move(*c));
  }
  return out;
}

Result<std::vector<Reject>> Ledger::RejectsOfRuns(Date from, Date to) {
  sql::Stmt s(*db_, "SELECT r.file, r.line, r.column_name, r.reason, r.record_id, r.facility_id, r.raw "
                    "FROM rejects r JOIN runs u ON u.run_id = r.run_id "
                    "WHERE u.as_of BETWEEN ?1 AND ?2 ORDER BY r.id");
  s.Bind(1, from).Bind(2, to);
  return RejectsFrom(s);
}

Result<std::vector<Reject>> Ledger::RejectsOfRun(int64_t run_id) {
  sql::Stmt s(*db_, "SELECT file, line, column_name, reason, record_id, facility_id, raw FROM rejects "
                    "WHERE run_id = ?1 ORDER BY id");
  s.Bind(1, run_id);
  return RejectsFrom(s);
}

Result<std::vector<std::string>> Ledger::ClaimIdsOfPatient(const std::string& patient_id) {
  sql::Stmt s(*db_, "SELECT claim_id FROM claims WHERE patient_id = ?1 ORDER BY claim_id");
  s.Bind(1, patient_id);
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  OTP_TRY(s.Done());
  return out;
}

Result<std::vector<std::string>> Ledger::ClaimIdsOfRecord(const std::string& record_id) {
  sql::Stmt s(*db_, "SELECT DISTINCT claim_id FROM line_sources WHERE record_id = ?1 ORDER BY claim_id");
  s.Bind(1, record_id);
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  OTP_TRY(s.Done());
  return out;
}

Result<std::vector<RecordTrail>> Ledger::RowsOfRecord(const std::string& record_id) {
  sql::Stmt s(*db_, "SELECT facility_id, patient_id, service_date, service, status, reason, first_run, decided_run, "
                    "source_file, source_line FROM service_rows WHERE record_id = ?1 ORDER BY facility_id");
  s.Bind(1, record_id);
  std::vector<RecordTrail> out;
  while (s.Step()) {
    RecordTrail t{s.Text(0), s.Text(1), s.DateAt(2), s.Text(3), s.Text(4), s.Text(5), s.Int(6), std::nullopt,
                  s.Text(8), s.Int(9)};
    if (!s.IsNull(7)) t.decided_run = s.Int(7);
    out.push_back(std::move(t));
  }
  OTP_TRY(s.Done());
  return out;
}

Result<std::vector<OutcomeCount>> Ledger::RowOutcomesBetween(Date from, Date to) {
  sql::Stmt s(*db_, "SELECT status, reason, count(*) FROM service_rows WHERE service_date BETWEEN ?1 AND ?2 "
                    "GROUP BY status, reason ORDER BY status, reason");
  s.Bind(1, from).Bind(2, to);
  std::vector<OutcomeCount> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Int(2)});
  OTP_TRY(s.Done());
  return out;
}

Result<std::vector<std::string>> Ledger::FacilityIds() {
  sql::Stmt s(*db_, "SELECT DISTINCT facility_id FROM patients ORDER BY facility_id");
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  OTP_TRY(s.Done());
  return out;
}

Result<std::map<int64_t, std::string>> Ledger::InterchangePaths() {
  sql::Stmt s(*db_, "SELECT control, path FROM interchanges");
  std::map<int64_t, std::string> out;
  while (s.Step()) out[s.Int(0)] = s.Text(1);
  OTP_TRY(s.Done());
  return out;
}

}  // namespace otp
