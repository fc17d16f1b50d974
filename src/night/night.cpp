// RunNight: the night's stages in order (night.h).
#include "night/night.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include "compliance/care_pass.h"
#include "compliance/checks.h"
#include "ledger/ledger.h"
#include "night/claim_files.h"
#include "night/resubmissions.h"
#include "night/configure.h"
#include "night/history_book.h"
#include "night/held_weeks.h"
#include "night/ingest.h"
#include "night/night_ledger.h"
#include "night/night_report.h"
#include "night/pass.h"
#include "night/publisher.h"
#include "night/stage_clock.h"
#include "output/claim_spill.h"
#include "output/summary.h"
#include "output/workbook.h"
#include "platform/clock.h"
#include "platform/fs.h"
#include "platform/stop.h"
#include "work/queue.h"

namespace otp {
namespace {

// What the stages after the lock share.
struct Night {
  const NightOptions& opt;
  const Clock& clock;
  FileSystem& fs;
  NightInputs& in;
  Ledger& ledger;
  Publisher& publisher;
  StageClock& stages;
  NightResult& res;
  int64_t run_id = 0;
  std::string out_dir;
};

// Each patient's care state as the ledger kept it, decoded.
Result<std::vector<KeptCare>> KeptCareStates(Ledger& ledger) {
  OTP_ASSIGN_OR_RETURN(std::vector<PatientState> states, ledger.PatientStates());
  std::vector<KeptCare> kept;
  kept.reserve(states.size());
  for (auto& s : states) {
    OTP_ASSIGN_OR_RETURN(CareState state, DecodeCareState(s.state));
    kept.push_back({std::move(s.facility_id), std::move(s.patient_id), std::move(state)});
  }
  return kept;
}

Result<std::map<std::string, std::optional<Date>>> RecordsSince(Night& n) {
  std::map<std::string, std::optional<Date>> since;
  for (const auto& f : n.in.config.facilities) {
    OTP_ASSIGN_OR_RETURN(since[f.id], n.ledger.FirstServiceDate(f.id));
  }
  return since;
}

// Tonight's findings: all it raised, and those first raised tonight (the workbook's).
struct TonightsFindings {
  std::vector<Finding> all, added;
};

// Program checks (PG-1, PG-2) and the care findings; every finding recorded once per key.
Result<TonightsFindings> RecordFindings(Night& n, CareNight& care, std::vector<Finding> findings,
                                        std::vector<CredentialState>& credentials) {
  for (const auto& f : n.in.config.facilities) {
    for (auto& c : CredentialStates(f, n.opt.as_of, n.in.rules)) credentials.push_back(std::move(c));
    for (auto& x : CheckProgram(f, n.opt.as_of, n.in.rules)) findings.push_back(std::move(x));
  }
  for (const auto& change : care.FinishUnvisited()) {
    if (change.state) OTP_TRY(n.ledger.SetPatientState({change.facility_id, change.patient_id, *change.state}));
    else OTP_TRY(n.ledger.ForgetPatientState(change.facility_id, change.patient_id));
  }
  for (auto& f : care.TakeFindings()) findings.push_back(std::move(f));
  TonightsFindings out;
  for (auto& f : findings) {
    OTP_ASSIGN_OR_RETURN(const bool is_new, n.ledger.AddFinding(f, n.run_id));
    if (is_new) out.added.push_back(f);
    out.all.push_back(std::move(f));
  }
  for (const auto& f : out.added) ++n.res.counts.findings_by_rule[f.rule_id];
  return out;
}

// The work queue after tonight's decisions (work/queue.h).
Result<QueueChange> UpdateWork(Night& n, const std::vector<Hold>& holds, const TonightsFindings& findings,
                               const std::vector<Reject>& rejects, std::vector<Hold> unheld_weeks) {
  NightWork work{holds, findings.all, rejects, std::filesystem::path(n.opt.patients).filename().string(), {},
                 std::move(unheld_weeks)};
  for (const auto& f : n.in.config.facilities) work.facilities.insert(f.id);
  return UpdateQueue(n.ledger, work, n.in.rules, n.run_id, n.opt.as_of);
}

// The workbook (by a second thread, which makes the only file-system call until it is joined)
// beside the rows' outcomes and the indexes (this one), then summary.json.
Status WriteOutputs(Night& n, ReportData& report, PassResult& pass) {
  const std::string workbook_path = n.out_dir + "/compliance-" + n.opt.as_of.Iso() + ".xlsx";
  const std::string summary_path = n.out_dir + "/summary.json";
  report.files = n.publisher.files();
  if (!n.opt.dry_run) {
    report.files.push_back(workbook_path);
    report.files.push_back(summary_path);
  }
  n.res.summary_json = SummaryJson(report);
  Status workbook = Status::Ok();
  double workbook_seconds = 0;
  std::thread writer;
  if (!n.opt.dry_run) {
    OTP_TRY(n.publisher.Announce(workbook_path));
    writer = std::thread([&] {
      const auto start = std::chrono::steady_clock::now();
      workbook = WriteWorkbook(report, n.in.layout, n.fs, workbook_path);
      workbook_seconds = StageClock::Since(start);
    });
  }
  const auto outcomes_start = std::chrono::steady_clock::now();
  Status outcomes = n.ledger.SetOutcomes(std::move(pass.decisions), pass.verdicts, n.run_id);
  if (outcomes.ok()) outcomes = n.ledger.FinishIndexes();
  n.stages.Side("8 outcomes, indexes", StageClock::Since(outcomes_start));
  if (writer.joinable()) writer.join();
  n.stages.Side("8 workbook (second thread)", workbook_seconds);
  OTP_TRY(outcomes);
  OTP_TRY(workbook);
  if (!n.opt.dry_run) OTP_TRY(n.publisher.Write(summary_path, n.res.summary_json));
  n.res.files = report.files;
  return Status::Ok();
}

// Everything between the lock and the commit; a failure leaves it to the caller to roll back.
Status RunStages(Night& n) {
  // A bulk load on an empty ledger; a dry run writes nothing, its header included.
  OTP_TRY(n.ledger.BeginNight(!n.opt.dry_run).status());
  OTP_TRY(n.ledger.KeepResponses());
  OTP_ASSIGN_OR_RETURN(std::vector<NightRun> earlier, n.ledger.RunsOfNight(n.opt.as_of));
  const std::time_t started = n.clock.Now();
  OTP_ASSIGN_OR_RETURN(n.run_id, n.ledger.StartRun(n.opt.as_of, started, n.opt.dry_run,
                                                   n.opt.config + " " + n.opt.patients + " " + n.opt.services));
  OTP_TRY(n.ledger.SetRunRules(n.run_id, n.in.rules_fingerprint));
  n.publisher.SetRun(n.run_id, started);
  RunCounts& counts = n.res.counts;
  OTP_ASSIGN_OR_RETURN(Ingested ingested, Ingest(n.in, n.ledger, n.run_id, n.opt.as_of, counts));
  n.res.warnings.insert(n.res.warnings.end(), ingested.warnings.begin(), ingested.warnings.end());
  n.stages.Mark("4 read rows, offer them to the ledger");
  OTP_TRY(stop::Check());

  OTP_ASSIGN_OR_RETURN(auto since, RecordsSince(n));
  OTP_ASSIGN_OR_RETURN(std::vector<KeptCare> kept, KeptCareStates(n.ledger));
  CareNight care(n.in.config, n.in.patients.patients, std::move(kept), n.opt.as_of, n.in.rules, std::move(since));
  OTP_ASSIGN_OR_RETURN(HistoryBook history, HistoryBook::Read(n.ledger, n.in.rules));
  OTP_ASSIGN_OR_RETURN(std::shared_ptr<ClaimSpill> spill,
                       ClaimSpill::Create(std::filesystem::path(n.opt.db).parent_path().string()));
  ClaimFiles claims(n.in.config, n.in.rules, n.ledger, n.publisher, n.fs, n.run_id, {n.out_dir, n.opt.dry_run, n.clock.Now()},
                    spill);
  OTP_ASSIGN_OR_RETURN(auto again, ClaimsToBillAgain(n.ledger, n.in.config));
  claims.BillAgain(std::move(again));
  OTP_ASSIGN_OR_RETURN(std::vector<Patient> patients, n.ledger.AllPatients());
  const SharedMbis shared = SharedBeneficiaries(patients);
  OTP_ASSIGN_OR_RETURN(const HeldWeeks held_weeks, HeldWeeksDue(n.ledger, n.in, n.run_id));
  OTP_ASSIGN_OR_RETURN(PassResult pass, RunPass({n.in, n.ledger, history, care, claims, ingested, shared, held_weeks,
                                                 n.run_id, n.opt.as_of},
                                                counts));
  OTP_TRY(claims.Finish());
  OTP_TRY(EndRejections(n.ledger, n.run_id, n.opt.as_of));
  std::vector<Hold> holds = std::move(ingested.holds);
  for (auto& h : pass.holds) holds.push_back(std::move(h));
  holds = MergeHolds(std::move(holds));
  for (const auto& h : holds) OTP_TRY(n.ledger.AddHold(h, n.run_id));
  n.stages.Mark("5 billing, care checks, claims, 837P");
  OTP_TRY(stop::Check());

  std::vector<CredentialState> credentials;
  OTP_ASSIGN_OR_RETURN(TonightsFindings findings, RecordFindings(n, care, std::move(pass.findings), credentials));
  OTP_ASSIGN_OR_RETURN(std::vector<Reject> rejects, n.ledger.RejectsOfRun(n.run_id));
  OTP_ASSIGN_OR_RETURN(const QueueChange queue, UpdateWork(n, holds, findings, rejects, std::move(pass.unheld_weeks)));
  n.stages.Mark("6 compliance, work queue");
  OTP_TRY(claims.MakeOutDir());
  n.stages.Mark("7 output directory");

  OTP_ASSIGN_OR_RETURN(ReportData report,
                       NightReport(n.ledger, {n.opt.as_of, n.in.config, n.in.rules, n.in.words, spill, holds, findings.added,
                                              credentials, rejects, patients, counts, n.run_id, std::move(earlier)}));
  counts = report.run_counts.value_or(report.counts);
  // Counts that do not add up mean a row lost or counted twice: an index that no longer matches
  // its table (damage the quick check cannot see) or a bug. Either way nothing is committed.
  if (!CountsAddUp(counts))
    return Status::Corrupt("the night's row counts do not add up, which a damaged ledger causes; run "
                           "`otpbatch check --db " + n.opt.db + "` (docs/operations.md, \"A damaged ledger\")");
  OTP_TRY(stop::Check());
  OTP_TRY(WriteOutputs(n, report, pass));
  n.stages.Mark("8 workbook | outcomes, indexes");
  OTP_TRY(stop::Check());

  // Exit 3 for what this run opened: work items standing from earlier nights do not repeat it.
  const bool attention = queue.opened_for_attention > 0;
  OTP_TRY(n.ledger.FinishRun(n.run_id, n.clock.Now(), attention ? "completed-with-attention" : "completed",
                             n.res.summary_json));
  n.res.attention = attention;
  n.res.work_opened = queue.opened;
  n.res.work_resolved = queue.resolved;
  n.res.work_open = queue.open_now;
  return Status::Ok();
}

NightResult Failed(NightResult res, const Status& s, const char* context = nullptr) {
  res.status = context ? s.Prefixed(context) : s;
  return res;
}

// Bugs surface as exceptions; the night still takes back what it wrote.
Status RunStagesCatching(Night& n) {
  try {
    return RunStages(n);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("a bug stopped the run: ") + e.what());
  }
}

// The stages, then the commit (a dry run rolls back); a failure takes back everything the night
// wrote, its files included.
Status RunAndCommit(Night& n) {
  // A signal from here on stops the ledger's statements; the run then takes everything back.
  stop::Hook interrupt([&ledger = n.ledger] { ledger.Interrupt(); });
  Status s = RunStagesCatching(n);
  if (s.ok() && n.opt.dry_run) {
    n.ledger.Rollback();  // a dry run takes everything back
  } else if (s.ok()) {
    s = n.ledger.Commit();
    if (s.ok()) n.publisher.Committed();
  }
  if (s.ok()) return s;
  n.ledger.Rollback();
  n.publisher.TakeBack();
  if (stop::Requested() != 0) s = stop::Check();  // whatever the signal made fail first
  return s;
}

const char* OpenStage(const Ledger& ledger) {
  return ledger.opened_by() == OpenCheck::kStamp ? "3 lock, open ledger (as last left)"
                                                 : "3 lock, open ledger, quick_check";
}

}  // namespace

NightResult RunNight(const NightOptions& opt, const Clock& clock, FileSystem& fs) {
  NightResult res;
  StageClock stages;
  auto configured = Configure(opt, fs);
  if (!configured.ok()) return Failed(res, configured.status());
  NightInputs& in = configured.value();
  stages.Mark("1-2 configuration, patients");

  if (Status s = stop::Check(); !s.ok()) return Failed(res, s, "nothing done");
  const std::string out_dir = opt.out + "/" + opt.as_of.Iso();
  auto opened = OpenNightLedger(opt, out_dir, clock, fs);
  if (!opened.ok()) return Failed(res, opened.status());
  NightLedger& held = opened.value();
  res.recovered_files = held.recovered_files;
  if (!held.counter_raised.empty()) res.warnings.push_back(held.counter_raised);
  Publisher publisher(fs, JournalOf(opt.db));
  stages.Mark(OpenStage(*held.ledger));

  res.out_dir = out_dir;
  Night night{opt, clock, fs, in, *held.ledger, publisher, stages, res, 0, out_dir};
  if (Status s = RunAndCommit(night); !s.ok())
    return Failed(std::move(res), s, "run failed, nothing committed, its files removed");
  stages.Mark("9 commit");
  if (opt.dry_run) return res;  // closed without a stamp: a dry run makes no file
  // While the lock is held: the file as this night leaves it is the one the stamp names.
  Ledger::CloseAndStamp(std::move(held.ledger), fs);
  stages.Mark("10 close ledger, stamp it");
  return res;
}

}  // namespace otp
