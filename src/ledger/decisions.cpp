// The ledger's decisions: episodes, holds, findings, coverage windows and claims.
#include <map>

#include "ledger/ledger.h"
#include "ledger/sqlite_db.h"
#include "ledger/statements.h"

namespace otp {

Status Ledger::AddEpisodes(const std::vector<Episode>& episodes, int64_t run_id) {
  // Each patient's latest end among them, then episode_last moved once per patient.
  std::map<std::pair<std::string_view, std::string_view>, Date> last;
  for (const auto& e : episodes) {
    OTP_TRY(st_->add_episode.Bind(1, e.facility_id).Bind(2, e.patient_id).Bind(3, e.start).Bind(4, e.end)
                .Bind(5, e.bundle_code).Bind(6, e.status).Bind(7, e.reason).Bind(8, run_id).Bind(9, e.bundle_dos)
                .Run());
    if (db_->Changes() == 0)
      return Status::Internal("the episode of " + e.start.Iso() + " was decided before and is not held: an episode "
                              "is decided once");
    auto [it, added] = last.try_emplace({e.facility_id, e.patient_id}, e.end);
    if (!added && it->second < e.end) it->second = e.end;
  }
  for (const auto& [key, end] : last)
    OTP_TRY(st_->move_last_episode.Bind(1, key.first).Bind(2, key.second).Bind(3, end).Run());
  return Status::Ok();
}

Result<std::vector<EpisodeEnd>> Ledger::LastEpisodeEnds() {
  sql::Stmt s(*db_, "SELECT facility_id, patient_id, end_date FROM episode_last ORDER BY facility_id, patient_id");
  std::vector<EpisodeEnd> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.DateAt(2)});
  OTP_TRY(s.Done());
  return out;
}

Status Ledger::EpisodesStarting(const std::string& fid, Date from, std::optional<Date> before, const EpisodeFn& fn) {
  sql::Stmt s(*db_, std::string("SELECT patient_id, start_date, end_date, bundle_code, status, reason, bundle_dos "
                                "FROM episodes WHERE facility_id = ?1 AND start_date >= ?2") +
                        (before ? " AND start_date < ?3" : "") + " ORDER BY start_date, patient_id");
  s.Bind(1, fid).Bind(2, from);
  if (before) s.Bind(3, *before);
  while (s.Step())
    fn(Episode{fid, s.Text(0), s.DateAt(1), s.DateAt(2), s.Text(3), s.Text(4), s.Text(5), s.OptDateAt(6)});
  return s.Done();
}

Result<std::optional<std::string>> Ledger::EpisodeStatus(const std::string& fid, const std::string& pid, Date start) {
  sql::Stmt s(*db_, "SELECT status FROM episodes WHERE facility_id = ?1 AND start_date = ?2 AND patient_id = ?3");
  s.Bind(1, fid).Bind(2, start).Bind(3, pid);
  std::optional<std::string> status;
  if (s.Step()) status = s.Text(0);
  OTP_TRY(s.Done());
  return status;
}

Result<std::optional<Date>> Ledger::LastEpisodeEnd(const std::string& fid, const std::string& pid) {
  auto& s = st_->last_episode_end;
  s.Bind(1, fid).Bind(2, pid);
  std::optional<Date> end;
  if (s.Step()) end = s.DateAt(0);
  OTP_TRY(s.Done());
  return end;
}

Status Ledger::AddHold(const Hold& h, int64_t run_id) {
  auto& s = st_->add_hold;
  s.Bind(1, HoldKey(h)).Bind(2, run_id).Bind(3, h.facility_id).Bind(4, h.patient_id).Bind(5, h.date).Bind(6, h.code)
      .Bind(7, h.reason).Bind(8, h.detail).Bind(9, JoinIds(h.record_ids, kIdSep)).Bind(11, h.finding).Bind(12, h.week);
  if (h.amount) s.Bind(10, h.amount->cents());
  else s.BindNull(10);
  return s.Run();
}

Result<bool> Ledger::AddFinding(const Finding& f, int64_t run_id) {
  OTP_TRY(st_->add_finding.Bind(1, f.key).Bind(2, run_id).Bind(3, f.rule_id).Bind(4, f.citation)
              .Bind(5, SeverityName(f.severity)).Bind(6, f.facility_id).Bind(7, f.patient_id).Bind(8, f.date)
              .Bind(9, f.detail).Run());
  return db_->Changes() > 0;
}

Status Ledger::AddWindow(const CoverageWindow& w, int64_t run_id) {
  return st_->add_window.Bind(1, w.facility_id).Bind(2, w.patient_id).Bind(3, w.from).Bind(4, w.to)
      .Bind(5, w.code).Bind(6, w.source_record_id).Bind(7, run_id).Run();
}

Result<bool> Ledger::HasWindows() {
  sql::Stmt s(*db_, "SELECT EXISTS (SELECT 1 FROM windows)");
  const bool any = s.Step() && s.Int(0) != 0;
  OTP_TRY(s.Done());
  return any;
}

Status Ledger::WindowsEnding(const std::string& fid, std::optional<Date> from, std::optional<Date> before,
                             const WindowFn& fn) {
  sql::Stmt s(*db_, std::string("SELECT patient_id, from_date, to_date, code, source_record_id, rowid "
                                "FROM windows INDEXED BY windows_by_end WHERE facility_id = ?1 AND to_date >= ?2") +
                        (before ? " AND to_date < ?3" : ""));
  s.Bind(1, fid).Bind(2, from ? from->Iso() : std::string());  // '' is before every date
  if (before) s.Bind(3, *before);
  while (s.Step()) {
    CoverageWindow w{fid, s.Text(0), s.DateAt(1), s.DateAt(2), s.Text(3), s.Text(4)};
    fn(s.Int(5), std::move(w));
  }
  return s.Done();
}

Result<std::vector<CoverageWindow>> Ledger::WindowsOf(const std::string& fid, const std::string& pid) {
  auto& s = st_->windows_of;
  s.Bind(1, fid).Bind(2, pid);
  std::vector<CoverageWindow> out;
  while (s.Step()) out.push_back({fid, pid, s.DateAt(0), s.DateAt(1), s.Text(2), s.Text(3)});
  OTP_TRY(s.Done());
  return out;
}

Status Ledger::AddClaim(const Claim& c, int64_t run_id, int64_t interchange, const LineFilter& by_patient) {
  OTP_TRY(st_->add_claim.Bind(1, c.claim_id).Bind(2, run_id).Bind(3, c.facility_id).Bind(4, c.patient_id)
              .Bind(5, c.diagnosis).Bind(6, c.Total().cents()).Bind(7, interchange).Run());
  int n = 0;
  for (const auto& l : c.lines) {
    ++n;
    OTP_TRY(st_->add_line.Bind(1, c.claim_id).Bind(2, n).Bind(3, l.code).Bind(4, JoinIds(l.modifiers, ':'))
                .Bind(5, l.dos).Bind(6, l.units).Bind(7, l.unit_price.cents()).Bind(8, l.charge.cents())
                .Bind(9, l.rule_id).Bind(10, l.rate_ref).Bind(11, l.practitioner_npi).Bind(12, l.episode_start)
                .Bind(13, JoinIds(l.edits)).Run());
    for (const auto& rid : l.source_record_ids)
      OTP_TRY(st_->add_source.Bind(1, c.claim_id).Bind(2, n).Bind(3, c.facility_id).Bind(4, rid).Bind(5, l.code).Run());
    if (by_patient && by_patient(l))
      OTP_TRY(st_->add_patient_line.Bind(1, c.facility_id).Bind(2, c.patient_id).Bind(3, l.dos).Bind(4, l.code)
                  .Bind(5, c.claim_id).Bind(6, n).Bind(7, l.units).Run());
  }
  return Status::Ok();
}

Result<std::vector<PatientLine>> Ledger::PatientLines() {
  sql::Stmt s(*db_, "SELECT facility_id, patient_id, code, dos, units FROM patient_lines "
                    "ORDER BY facility_id, patient_id, dos, claim_id, line_no");
  std::vector<PatientLine> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Text(2), s.DateAt(3), static_cast<int>(s.Int(4))});
  OTP_TRY(s.Done());
  return out;
}

Result<std::vector<PatientLine>> Ledger::PatientLinesOf(const std::string& fid, const std::string& pid) {
  sql::Stmt s(*db_, "SELECT code, dos, units FROM patient_lines WHERE facility_id = ?1 AND patient_id = ?2 "
                    "ORDER BY dos, claim_id, line_no");
  s.Bind(1, fid).Bind(2, pid);
  std::vector<PatientLine> out;
  while (s.Step()) out.push_back({fid, pid, s.Text(0), s.DateAt(1), static_cast<int>(s.Int(2))});
  OTP_TRY(s.Done());
  return out;
}

}  // namespace otp
