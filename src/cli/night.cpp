// The nightly run: see night.h for the order of work and the all-or-nothing promise.
#include "cli/night.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "billing/engine.h"
#include "cli/data_dirs.h"
#include "cli/exit_codes.h"
#include "cli/report_builder.h"
#include "compliance/checks.h"
#include "input/facility_reader.h"
#include "input/records_reader.h"
#include "input/reporter.h"
#include "ledger/ledger.h"
#include "ledger/sqlite_db.h"
#include "output/summary.h"
#include "output/workbook.h"
#include "output/x12_837p.h"
#include "platform/clock.h"
#include "platform/fs.h"
#include "rules/rulebook.h"

namespace otp {
namespace {

const char* OutcomeStatus(Outcome o) {
  switch (o) {
    case Outcome::kBilled: return "billed";
    case Outcome::kHeld: return "held";
    case Outcome::kNotBillable: return "not-billable";
    default: return "open";
  }
}

std::string Key(const std::string& a, const std::string& b) { return a + '\x1f' + b; }

char IcnText(int64_t icn, char* buf, size_t n) {
  std::snprintf(buf, n, "%09lld", static_cast<long long>(icn));
  return buf[0];
}

// Everything the run publishes, so that a failure before the commit can take it back. Each
// path is written to a journal ("<db>.publishing") before the file is published; the journal
// is removed after the commit. The journal's first line names the run ("run <id> <started>")
// and the paths follow, absolute, one a line. A run killed before its commit leaves the
// journal, and the next run removes the listed files (and any temporary files beside them)
// before it starts: they were never committed, and the retry will write them again (with the
// same control numbers, which the rollback gave back). A run killed after its commit but
// before removing the journal is recognised by its finished row in the ledger: its files are
// the committed night's and are kept.
class Publisher {
 public:
  Publisher(FileSystem& fs, std::string journal) : fs_(fs), journal_(std::move(journal)) {}
  void SetRun(int64_t run_id, std::time_t started) {
    header_ = "run " + std::to_string(run_id) + " " + std::to_string(static_cast<long long>(started)) + "\n";
  }
  Status Announce(const std::string& path) {
    pending_.push_back(path);
    std::error_code ec;
    std::string absolute = std::filesystem::absolute(path, ec).string();
    announced_ += (ec ? path : absolute) + "\n";
    return fs_.WriteAtomic(journal_, header_ + announced_);
  }
  Status Write(const std::string& path, const std::string& content) {
    if (Status s = Announce(path); !s.ok()) return s;
    return fs_.WriteAtomic(path, content);
  }
  void TakeBack() {
    for (const auto& p : pending_) fs_.Remove(p);
    pending_.clear();
    fs_.Remove(journal_);
  }
  void Committed() {
    pending_.clear();
    fs_.Remove(journal_);
  }
  const std::vector<std::string>& files() const { return pending_; }

  // Removes what an interrupted run published but never committed; returns how many files.
  // `committed(run_id, started)` says whether the ledger holds that run as finished.
  static int Recover(FileSystem& fs, const std::string& journal,
                     const std::function<bool(int64_t, int64_t)>& committed) {
    RemoveTemps(fs, journal);  // a journal being rewritten when the run was killed
    if (!fs.Exists(journal)) return 0;
    auto text = fs.ReadAll(journal);
    int n = 0;
    if (text.ok()) {
      std::istringstream in(text.value());
      std::string line;
      bool keep = false;
      while (std::getline(in, line)) {
        if (line.rfind("run ", 0) == 0) {
          long long run_id = 0, started = 0;
          keep = std::sscanf(line.c_str(), "run %lld %lld", &run_id, &started) == 2 && committed(run_id, started);
          continue;
        }
        if (line.empty()) continue;
        RemoveTemps(fs, line);
        if (!keep && fs.Exists(line)) {
          fs.Remove(line);
          ++n;
        }
      }
    }
    fs.Remove(journal);
    return n;
  }

 private:
  // Temporary files beside `path` (FileSystem::TempPathFor of any process): only a killed run
  // leaves them, and the caller holds the ledger's lock, so none belongs to a live run.
  static void RemoveTemps(FileSystem& fs, const std::string& path) {
    std::filesystem::path p(path);
    std::filesystem::path dir = p.parent_path().empty() ? std::filesystem::path(".") : p.parent_path();
    const std::string prefix = p.filename().string() + ".tmp-";
    std::error_code ec;
    std::vector<std::string> stale;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().filename().string().rfind(prefix, 0) == 0) stale.push_back(it->path().string());
    for (const auto& s : stale) fs.Remove(s);
  }

  FileSystem& fs_;
  std::string journal_;
  std::string header_ = "run 0 0\n";
  std::string announced_;
  std::vector<std::string> pending_;
};

// With OTPBATCH_PROFILE set, the wall time of each stage goes to stderr (for bench/ and
// docs/performance.md); the lines name stages only, never data.
class StageClock {
 public:
  StageClock() : on_(std::getenv("OTPBATCH_PROFILE") != nullptr), last_(std::chrono::steady_clock::now()) {}
  void Mark(const char* stage) {
    if (!on_) return;
    auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "otpbatch profile: %-34s %8.3f s\n", stage,
                 std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }

 private:
  bool on_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace

NightResult RunNight(const NightOptions& opt, const Clock& clock, FileSystem& fs) {
  NightResult res;
  StageClock stages;
  auto fail = [&](int code, std::string msg) {
    res.exit_code = code;
    res.message = std::move(msg);
    return res;
  };

  // 1. Configuration: codes/ and facility.xml. Nothing is written before both are good.
  auto rules = RuleBook::Load(CodesDir(opt.data_dir));
  if (!rules.ok()) return fail(kExitUsage, rules.status().message());
  const RuleBook& rb = rules.value();
  auto cfg = ReadFacilityFile(opt.config, [&](const std::string& loc) { return rb.KnowsLocality(loc); });
  if (!cfg.ok()) return fail(kExitUsage, cfg.status().message());
  const Config& config = cfg.value();
  auto patients_text = fs.ReadAll(opt.patients);
  if (!patients_text.ok()) return fail(kExitUsage, patients_text.status().message());
  auto services_text = fs.ReadAll(opt.services);
  if (!services_text.ok()) return fail(kExitUsage, services_text.status().message());

  stages.Mark("1 configuration");
  // 2. Read rows. A file that lacks a required column is unusable: a usage error.
  CollectingReporter patient_reports, service_reports;
  const std::string pfile = std::filesystem::path(opt.patients).filename().string();
  const std::string sfile = std::filesystem::path(opt.services).filename().string();
  auto ptable = ReadPatients(pfile, patients_text.value(), config, patient_reports);
  if (!ptable.ok()) return fail(kExitUsage, ptable.status().message());
  auto sread = ReadServices(sfile, services_text.value(), config, ptable.value(), service_reports);
  if (!sread.ok()) return fail(kExitUsage, sread.status().message());
  patients_text = Status::Ok();  // free the text early
  services_text = Status::Ok();

  stages.Mark("2 read rows");
  // 3. The ledger: one run at a time.
  auto lock = LedgerLock::Acquire(opt.db, clock.Now());
  if (!lock.ok()) return fail(kExitLocked, lock.status().message());
  auto ledger_r = Ledger::Open(opt.db);
  if (!ledger_r.ok()) return fail(kExitInternal, ledger_r.status().message());
  Ledger& ledger = *ledger_r.value();

  const std::string out_dir = opt.out + "/" + opt.as_of.Iso();
  const std::string journal = opt.db + ".publishing";
  try {
    res.recovered_files = Publisher::Recover(fs, journal, [&](int64_t run_id, int64_t started) {
      return ledger.RunFinished(run_id, static_cast<std::time_t>(started));
    });
  } catch (const std::exception& e) {
    return fail(kExitInternal, std::string("cannot recover an interrupted run, nothing done: ") + e.what());
  }
  Publisher publisher(fs, journal);
  RunCounts& counts = res.counts;
  ReportData report;
  try {
    ledger.Begin();
    const std::time_t started = clock.Now();
    int64_t run_id = ledger.StartRun(opt.as_of, started, opt.dry_run,
                                     opt.config + " " + opt.patients + " " + opt.services);
    publisher.SetRun(run_id, started);

    counts.patient_rows_read = ptable.value().rows_read;
    counts.patient_rows_rejected = static_cast<int64_t>(patient_reports.rejects.size());
    for (const auto& p : ptable.value().patients) ledger.UpsertPatient(p, run_id);
    for (const auto& r : patient_reports.rejects) ledger.AddReject(r, run_id);
    for (const auto& r : service_reports.rejects) ledger.AddReject(r, run_id);

    counts.service_rows_read = sread.value().rows_read;
    counts.rejected = static_cast<int64_t>(service_reports.rejects.size());
    counts.accepted = counts.service_rows_read - counts.rejected;
    counts.already_processed = sread.value().duplicates_identical;

    stages.Mark("3 lock, open ledger, patients");
    // 4. Offer every row. Tonight's rows that stay undecided are counted by their outcome.
    std::set<std::string> tonight;  // Key(facility, record) of rows to count by outcome
    std::vector<Hold> holds;
    for (const auto& r : sread.value().records) {
      switch (ledger.OfferRow(r, run_id)) {
        case RowState::kAlreadyDecided:
          ++counts.already_processed;
          break;
        case RowState::kChangedDecided: {
          Hold h{r.facility_id, r.patient_id, r.service_date, "record-changed",
                 "record " + r.record_id + " changed after it was decided; the ledger keeps the first version", "",
                 {r.record_id}};
          holds.push_back(h);
          ++counts.held;
          ++counts.held_by_reason["record-changed"];
          break;
        }
        default:
          tonight.insert(Key(r.facility_id, r.record_id));
      }
    }

    stages.Mark("4 offer rows to the ledger");
    // 5. Bill each patient's undecided rows (tonight's and earlier nights' open ones).
    std::vector<ServiceRecord> open = ledger.OpenRows();
    std::map<std::string, std::vector<const ServiceRecord*>> by_patient;
    for (const auto& r : open) by_patient[Key(r.facility_id, r.patient_id)].push_back(&r);

    std::vector<Finding> findings;
    std::vector<Claim> claims;
    std::map<std::string, Patient> claim_patients;
    auto count_outcome = [&](const ServiceRecord& r, const RowOutcome& o) {
      if (!tonight.count(Key(r.facility_id, r.record_id))) return;
      switch (o.outcome) {
        case Outcome::kBilled: ++counts.billed; break;
        case Outcome::kHeld: ++counts.held; ++counts.held_by_reason[o.reason]; break;
        case Outcome::kNotBillable: ++counts.not_billable; ++counts.not_billable_by_reason[o.reason]; break;
        case Outcome::kOpen: ++counts.open; break;
      }
    };
    for (auto& [key, rows] : by_patient) {
      const ServiceRecord& first = *rows.front();
      const Facility* facility = config.FindFacility(first.facility_id);
      auto patient = ledger.LoadPatient(first.facility_id, first.patient_id);
      if (!facility || !patient) {
        // The facility left facility.xml (or the patient vanished): keep the rows open.
        for (const auto* r : rows) count_outcome(*r, RowOutcome{Outcome::kOpen, ""});
        continue;
      }
      BillingInput in;
      in.facility = facility;
      in.patient = &*patient;
      in.records = rows;
      in.history = ledger.History(first.facility_id, first.patient_id);
      in.as_of = opt.as_of;
      BillingResult br = BillPatient(in, rb);
      for (size_t i = 0; i < rows.size(); ++i) {
        const RowOutcome& o = br.outcomes.at(i);
        count_outcome(*rows[i], o);
        if (o.outcome != Outcome::kOpen)
          ledger.SetOutcome(rows[i]->facility_id, rows[i]->record_id, OutcomeStatus(o.outcome), o.reason, run_id);
      }
      for (const auto& e : br.episodes) ledger.AddEpisode(e, run_id);
      for (const auto& w : br.new_windows) ledger.AddWindow(w, run_id);
      for (auto& h : br.holds) holds.push_back(std::move(h));
      for (auto& f : br.findings) findings.push_back(std::move(f));
      if (!br.lines.empty()) {
        for (auto& c : AssembleClaims(*patient, std::move(br.lines))) claims.push_back(std::move(c));
        claim_patients[key] = *patient;
      }
    }
    for (const auto& h : holds) ledger.AddHold(h, run_id);

    stages.Mark("5 billing");
    // 6. Compliance: the program on the as-of date, and every patient in tonight's file.
    std::vector<CredentialState> credentials;
    for (const auto& f : config.facilities) {
      for (auto& c : CredentialStates(f, opt.as_of, rb)) credentials.push_back(std::move(c));
      for (auto& x : CheckProgram(f, opt.as_of, rb)) findings.push_back(std::move(x));
    }
    std::map<std::string, std::optional<Date>> records_since;
    for (const auto& f : config.facilities) records_since[f.id] = ledger.FirstServiceDate(f.id);
    for (const auto& p : ptable.value().patients) {
      const Facility* f = config.FindFacility(p.facility_id);
      if (!f) continue;
      std::vector<ServiceRecord> all = ledger.PatientRows(p.facility_id, p.patient_id);
      std::vector<const ServiceRecord*> ptrs;
      ptrs.reserve(all.size());
      for (const auto& r : all) ptrs.push_back(&r);
      for (auto& x : CheckPatient(*f, p, ptrs, opt.as_of, rb, records_since[f->id])) findings.push_back(std::move(x));
    }
    std::vector<Finding> new_findings;
    for (auto& f : findings)
      if (ledger.AddFinding(f, run_id)) new_findings.push_back(std::move(f));
    for (const auto& f : new_findings) ++counts.findings_by_rule[f.rule_id];

    stages.Mark("6 compliance");
    // 7. Claims: ids and control numbers from the ledger, one interchange per facility.
    std::map<std::string, std::vector<Claim>> by_facility;
    for (auto& c : claims) {
      char id[24];
      std::snprintf(id, sizeof id, "C%09lld", static_cast<long long>(ledger.NextCounter("claim")));
      c.claim_id = id;
      by_facility[c.facility_id].push_back(std::move(c));
    }
    if (!opt.dry_run) {
      if (Status s = fs.MakeDirs(out_dir); !s.ok()) throw sql::Error(s.message());
    }
    PatientLookup lookup = [&](const std::string& fid, const std::string& pid) -> const Patient* {
      auto it = claim_patients.find(Key(fid, pid));
      return it == claim_patients.end() ? nullptr : &it->second;
    };
    std::vector<Claim> written_claims;
    for (auto& [fid, fclaims] : by_facility) {
      const Facility& facility = *config.FindFacility(fid);
      InterchangeIds ids{ledger.NextCounter("interchange"), ledger.NextCounter("group")};
      std::string x12 = Write837P(config, facility, fclaims, lookup, ids, clock.Now());
      char icn[16];
      IcnText(ids.interchange_control, icn, sizeof icn);
      std::string path = out_dir + "/" + fid + "-" + icn + ".837";
      for (const auto& c : fclaims) ledger.AddClaim(c, run_id, ids.interchange_control);
      ledger.AddInterchange({ids.interchange_control, fid, path, x12, false}, run_id);
      if (!opt.dry_run) {
        if (Status s = publisher.Write(path, x12); !s.ok()) throw sql::Error(s.message());
        ledger.MarkPublished(ids.interchange_control);
      }
      for (auto& c : fclaims) written_claims.push_back(std::move(c));
    }

    stages.Mark("7 claims, 837P files");
    // 8. The night's workbook and summary.
    report = BuildRunReport(opt.as_of, config, written_claims, holds, new_findings, credentials,
                            ledger.RejectsOfRun(run_id), ledger.AllPatients(), rb);
    report.counts = counts;  // counts gathered above; BuildRunReport fills charges and claims
    FillClaimCounts(report);
    counts = report.counts;
    std::string workbook_path = out_dir + "/compliance-" + opt.as_of.Iso() + ".xlsx";
    std::string summary_path = out_dir + "/summary.json";
    report.files = publisher.files();
    if (!opt.dry_run) {
      report.files.push_back(workbook_path);
      report.files.push_back(summary_path);
    }
    res.summary_json = SummaryJson(report);
    if (!opt.dry_run) {
      if (Status s = publisher.Announce(workbook_path); !s.ok()) throw sql::Error(s.message());
      if (Status s = WriteWorkbook(report, TemplatesDir(opt.data_dir), fs, workbook_path); !s.ok())
        throw sql::Error(s.message());
      if (Status s = publisher.Write(summary_path, res.summary_json); !s.ok()) throw sql::Error(s.message());
    }
    res.files = report.files;

    stages.Mark("8 workbook, summary");
    // 9. Commit: only now is anything decided. A dry run takes everything back.
    bool attention = counts.rejected > 0 || counts.held > 0 || counts.patient_rows_rejected > 0;
    ledger.FinishRun(run_id, clock.Now(), attention ? "completed-with-attention" : "completed", res.summary_json);
    if (opt.dry_run) {
      ledger.Rollback();
    } else {
      ledger.Commit();
      publisher.Committed();
    }
    stages.Mark("9 commit");
    res.exit_code = attention ? kExitAttention : kExitOk;
    return res;
  } catch (const std::exception& e) {
    ledger.Rollback();
    publisher.TakeBack();
    return fail(kExitInternal, std::string("run failed, nothing committed: ") + e.what());
  }
}

}  // namespace otp
