// The night's pass: billing and care checks, patient by patient.
#include "night/pass.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "billing/engine.h"
#include "compliance/care_pass.h"
#include "night/claim_files.h"
#include "night/configure.h"
#include "night/held_weeks.h"
#include "night/history_book.h"
#include "night/ingest.h"
#include "scrub/apply.h"

namespace otp {
namespace {

// Open rows held at once by the selective pass; above it, one walk over every row.
constexpr int64_t kMaxOpenHeld = 250000;

const char* OutcomeStatus(Outcome o) {
  switch (o) {
    case Outcome::kBilled: return "billed";
    case Outcome::kHeld: return "held";
    case Outcome::kNotBillable: return "not-billable";
    case Outcome::kOpen: return "open";
  }
  return "open";
}

// The care checks' reads of decided rows, from the ledger; each facility's days found once.
class LedgerCareRows : public CareRowSource {
 public:
  explicit LedgerCareRows(Ledger& ledger) : ledger_(ledger) {}
  Status DecidedOnDay(const std::string& fid, const std::string& pid, Date day, std::vector<RowRef>& out) override {
    return ledger_.DecidedOnDay(fid, pid, day, out);
  }
  Status RowsById(const std::vector<int64_t>& rowids, std::vector<StoredRow>& out) override {
    return ledger_.RowsById(rowids, out);
  }
  Result<std::vector<Date>> DecidedDays(const std::string& fid) override {
    auto it = days_.find(fid);
    if (it == days_.end()) {
      OTP_ASSIGN_OR_RETURN(std::vector<Date> days, ledger_.DecidedDays(fid));
      it = days_.emplace(fid, std::move(days)).first;
    }
    return it->second;
  }

 private:
  Ledger& ledger_;
  std::map<std::string, std::vector<Date>, std::less<>> days_;
};

class Pass {
 public:
  Pass(PassContext ctx, RunCounts& counts) : ctx_(ctx), counts_(counts), rows_source_(ctx.ledger) {}

  Result<PassResult> Run() {
    OTP_ASSIGN_OR_RETURN(const RowStats stats, ctx_.ledger.Stats());
    const auto& care = ctx_.care.patients();
    const auto whole = std::count_if(care.begin(), care.end(), [](const CarePatient& c) { return c.whole; });
    // Reading a patient whole costs a seek per day of its facility's rows: when many rows are
    // open or a quarter of tonight's patients need every row, one sorted walk is cheaper.
    const int64_t open = stats.open - ctx_.held_weeks.skipped_rows;
    const bool walk = !stats.dated_index || open > kMaxOpenHeld || open * 4 > stats.max_rowid ||
                      static_cast<size_t>(whole) * 4 > care.size();
    OTP_TRY(walk ? Walk() : Selective());
    return std::move(out_);
  }

 private:
  Status Walk() {
    return ctx_.ledger.ScanAllRows([&](std::vector<StoredRow>& rows) {
      const ServiceRecord& r = rows.front().record;
      const CarePatient* cp = ctx_.care.Find(r.facility_id, r.patient_id);
      DecideHeldWeeksOf(rows);
      return Visit(cp, rows, cp ? CareReadOfWhole(*cp, rows) : CareRead{});
    });
  }

  // The open rows held, merged with tonight's patients in (facility, patient) order.
  Status Selective() {
    OTP_ASSIGN_OR_RETURN(std::vector<StoredRow> open, ctx_.ledger.OpenRows(ctx_.held_weeks.plain, KeepHeld()));
    const auto& care = ctx_.care.patients();
    std::vector<StoredRow> rows;
    size_t i = 0, j = 0;
    while (i < open.size() || j < care.size()) {
      const CarePatient* cp = nullptr;
      std::string fid, pid;
      if (j < care.size() && (i >= open.size() || !(std::tie(open[i].record.facility_id, open[i].record.patient_id) <
                                                    std::tie(care[j].facility_id, care[j].patient_id)))) {
        cp = &care[j++];
        fid = cp->facility_id;
        pid = cp->patient_id;
      } else {
        fid = open[i].record.facility_id;
        pid = open[i].record.patient_id;
      }
      rows.clear();
      while (i < open.size() && open[i].record.facility_id == fid && open[i].record.patient_id == pid)
        rows.push_back(std::move(open[i++]));
      OTP_TRY(WithHeldWeeks(cp, fid, pid, rows));
      CareRead read;
      if (cp) {
        OTP_ASSIGN_OR_RETURN(read, ReadCareRows(*cp, rows, rows_source_));
      }
      OTP_TRY(Visit(cp, rows, read));
    }
    // The rows of held weeks not decided again tonight that tonight's file sent again.
    for (const auto& [key, rowid] : skipped_)
      if (!reread_.count(key)) ++counts_.already_processed;
    return Status::Ok();
  }

  // Reads a held week's rows only when it is decided again tonight (held_weeks.h); the rows of
  // tonight's file it leaves are remembered to be counted.
  Ledger::KeepFn KeepHeld() {
    return [this](std::string_view fid, std::string_view pid, int64_t rowid) {
      PatientOf key{std::string(fid), std::string(pid)};
      if (ctx_.held_weeks.due.count(key)) return true;
      if (OfferedTonight(rowid)) skipped_.emplace_back(std::move(key), rowid);
      return false;
    };
  }

  // A patient whose held weeks were left unread needs them after all when a row arrived dated
  // inside them (its week is decided with them), and the care checks need them when they read
  // the patient whole (they are services given, billed or not); billing then leaves them held.
  Status WithHeldWeeks(const CarePatient* cp, const std::string& fid, const std::string& pid,
                       std::vector<StoredRow>& rows) {
    PatientOf key{fid, pid};
    const std::optional<Date> held = ctx_.held_weeks.LeftHeld(key);
    bill_held_ = !held || ArrivesInside(rows, *held);
    if (!held || (!bill_held_ && !(cp && cp->whole))) return Status::Ok();
    OTP_ASSIGN_OR_RETURN(rows, ctx_.ledger.OpenRowsOf(fid, pid));
    reread_.insert(std::move(key));
    return Status::Ok();
  }

  // Walk reads every row: a held week is decided as Selective would decide it.
  void DecideHeldWeeksOf(const std::vector<StoredRow>& rows) {
    const ServiceRecord& r = rows.front().record;
    const std::optional<Date> held = ctx_.held_weeks.LeftHeld({r.facility_id, r.patient_id});
    bill_held_ = !held || ArrivesInside(rows, *held);
  }

  // Whether a row that is not a held week's is dated on or before `last`: a late row for them.
  bool ArrivesInside(const std::vector<StoredRow>& rows, Date last) const {
    return std::any_of(rows.begin(), rows.end(), [&](const StoredRow& r) {
      return r.open && ctx_.held_weeks.Plain(r.reason) && r.record.service_date <= last;
    });
  }

  bool OfferedTonight(int64_t rowid) const {
    const auto& earlier = ctx_.ingested.earlier_open;
    return std::binary_search(earlier.begin(), earlier.end(), rowid);
  }

  Status Visit(const CarePatient* cp, std::vector<StoredRow>& rows, const CareRead& read) {
    all_.clear();
    open_.clear();
    for (auto& r : rows) {
      all_.push_back(&r.record);
      if (r.open && (bill_held_ || ctx_.held_weeks.Plain(r.reason))) open_.push_back(&r);
      else if (r.open && OfferedTonight(r.rowid)) ++counts_.already_processed;
    }
    if (cp) OTP_TRY(KeepCare(ctx_.care.Check(*cp, all_, read)));
    if (open_.empty()) return Status::Ok();
    return Bill();
  }

  Status KeepCare(const std::optional<CareNight::StateChange>& change) {
    if (!change) return Status::Ok();
    if (!change->state) return ctx_.ledger.ForgetPatientState(change->facility_id, change->patient_id);
    return ctx_.ledger.SetPatientState({change->facility_id, change->patient_id, *change->state});
  }

  // Bills the open rows of the patient visited (open_, by date).
  Status Bill() {
    const ServiceRecord& first = open_.front()->record;
    const Facility* facility = ctx_.in.config.FindFacility(first.facility_id);
    // Tonight's file has the patient as the ledger does; one that left the file is read back.
    std::optional<Patient> stored;
    const Patient* patient = ctx_.in.patients.Find(first.facility_id, first.patient_id);
    if (!patient) {
      OTP_ASSIGN_OR_RETURN(stored, ctx_.ledger.LoadPatient(first.facility_id, first.patient_id));
      if (stored) patient = &*stored;
    }
    if (!facility || !patient) {  // the facility left facility.xml: the rows stay open
      for (const StoredRow* r : open_) Count(*r, RowOutcome{Outcome::kOpen, ""}, false);
      return Status::Ok();
    }
    BillingInput in;
    in.facility = facility;
    in.patient = patient;
    for (const StoredRow* r : open_) {
      in.records.push_back(&r->record);
      in.awaiting.push_back(r->reason == kAwaitingWeeks);
    }
    // Billing opens windows only from the earliest open row on (the first: they are by date).
    OTP_ASSIGN_OR_RETURN(PatientPast past, ctx_.history.Of(first.facility_id, first.patient_id, first.service_date));
    in.history = std::move(past.billing);
    in.as_of = ctx_.as_of;
    BillingResult br = BillPatient(in, ctx_.in.rules);
    NoteUnheld(in.history.episodes, br.episodes);
    Edit(in, br, std::move(past.edits));
    Decide(br.outcomes);
    OTP_TRY(ctx_.ledger.AddEpisodes(br.episodes, ctx_.run_id));
    for (const auto& w : br.new_windows) OTP_TRY(ctx_.ledger.AddWindow(w, ctx_.run_id));
    for (auto& h : br.holds) out_.holds.push_back(std::move(h));
    for (auto& f : br.findings) out_.findings.push_back(std::move(f));
    if (br.lines.empty()) return Status::Ok();
    std::vector<Claim> claims = AssembleClaims(*patient, std::move(br.lines), ctx_.in.rules);
    for (const Claim& c : claims)
      if (std::string wrong = ScrubClaimMonth(c); !wrong.empty())
        return Status::Internal("a claim failed SC-5 after its lines passed: " + wrong);
    return ctx_.claims.Add(*patient, std::move(claims));
  }

  // The held weeks of earlier nights that tonight decided otherwise: their work items end.
  void NoteUnheld(const std::vector<Episode>& before, const std::vector<Episode>& tonight) {
    for (const Episode& e : tonight) {
      if (e.status == "held") continue;
      for (const Episode& b : before)
        if (b.start == e.start && b.status == "held") {
          Hold week{e.facility_id, e.patient_id, e.start, e.status, "", "", {}};
          week.week = e.start;
          out_.unheld_weeks.push_back(std::move(week));
        }
    }
  }

  // The pre-submission edits on the patient's lines (SC-1 … SC-5); a failed line is held.
  void Edit(const BillingInput& in, BillingResult& br, ScrubHistory history) {
    if (br.lines.empty()) return;
    ScrubInput si;
    si.facility = in.facility;
    si.patient = in.patient;
    si.as_of = ctx_.as_of;
    si.lines = &br.lines;
    si.episodes = &br.episodes;
    si.windows = &br.new_windows;
    for (const ServiceRecord* r : in.records) si.record_flags[r->record_id] = r->flags;
    si.history = std::move(history);
    if (auto s = ctx_.shared_mbis.find(SharedMbiKey(in.patient->facility_id, in.patient->patient_id));
        s != ctx_.shared_mbis.end())
      si.shared_mbi = s->second;
    ApplyVerdicts(br, in, Scrub(si, ctx_.in.rules), ctx_.in.rules);
  }

  // A row of a held week stays open with its hold reason: it is decided again next night.
  void Decide(const std::vector<RowOutcome>& outcomes) {
    for (size_t i = 0; i < open_.size(); ++i) {
      const RowOutcome& o = outcomes.at(i);
      const bool again = o.outcome == Outcome::kHeld && o.again;
      Count(*open_[i], o, again && o.reason == open_[i]->reason);
      // An open row is recorded only when its reason changes (a take-home starts or stops
      // awaiting later weeks, a held week is held for another reason).
      if ((o.outcome == Outcome::kOpen || again) && o.reason == open_[i]->reason) continue;
      const char* status = again ? OutcomeStatus(Outcome::kOpen) : OutcomeStatus(o.outcome);
      auto [it, added] = verdict_index_.try_emplace({status, o.reason}, static_cast<uint32_t>(out_.verdicts.size()));
      if (added) out_.verdicts.emplace_back(status, o.reason);
      out_.decisions.push_back({open_[i]->rowid, it->second});
    }
  }

  // Tonight's rows are counted by their outcome: the new ones (first_run) and those of earlier
  // nights offered again tonight; a row of a week still held as it was is already processed.
  void Count(const StoredRow& r, const RowOutcome& o, bool held_as_before) {
    if (r.first_run != ctx_.run_id && !OfferedTonight(r.rowid)) return;
    if (held_as_before && r.first_run != ctx_.run_id) {
      ++counts_.already_processed;
      return;
    }
    switch (o.outcome) {
      case Outcome::kBilled: ++counts_.billed; break;
      case Outcome::kHeld: ++counts_.held; ++counts_.held_by_reason[o.reason]; break;
      case Outcome::kNotBillable: ++counts_.not_billable; ++counts_.not_billable_by_reason[o.reason]; break;
      case Outcome::kOpen: ++counts_.open; break;
    }
  }

  PassContext ctx_;
  RunCounts& counts_;
  LedgerCareRows rows_source_;
  PassResult out_;
  std::map<std::pair<std::string, std::string>, uint32_t> verdict_index_;  // (status, reason)
  std::vector<const ServiceRecord*> all_;
  std::vector<const StoredRow*> open_;
  std::vector<std::pair<PatientOf, int64_t>> skipped_;  // held rows of tonight's file left unread
  std::set<PatientOf> reread_;                          // patients whose held weeks were decided after all
  bool bill_held_ = true;  // the visited patient's held-week rows are decided tonight
};

}  // namespace

Result<PassResult> RunPass(PassContext ctx, RunCounts& counts) {
  Pass pass(ctx, counts);
  return pass.Run();
}

}  // namespace otp
