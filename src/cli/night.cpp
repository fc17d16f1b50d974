// The nightly run: see night.h for the order of work and the all-or-nothing promise.
#include "cli/night.h"

#include <algorithm>
#include <stdexcept>
#include <chrono>
#include <cstdio>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>

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
#include "output/claim_spill.h"
#include "output/summary.h"
#include "output/workbook.h"
#include "output/x12_837p.h"
#include "output/x12_check.h"
#include "platform/clock.h"
#include "platform/fs.h"
#include "platform/huge_pages.h"
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

// Batches of rows handed from the thread that reads services.csv to the one that offers them to
// the ledger: at most kMaxBatches wait, so memory stays a few thousand rows. Stop() wakes a
// producer waiting for room (it then throws Stopped and unwinds) when the consumer gives up.
class RowBatches {
 public:
  static constexpr size_t kBatchRows = 4096, kMaxBatches = 4;
  struct Stopped {};
  void Push(std::vector<ServiceRecord>&& batch) {
    std::unique_lock<std::mutex> lock(mu_);
    room_.wait(lock, [&] { return stopped_ || queue_.size() < kMaxBatches; });
    if (stopped_) throw Stopped{};
    queue_.push_back(std::move(batch));
    ready_.notify_one();
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    ready_.notify_one();
  }
  void Stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    room_.notify_all();
  }
  // The next batch; false when the producer closed and all were taken.
  bool Pop(std::vector<ServiceRecord>& out) {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [&] { return closed_ || !queue_.empty(); });
    if (queue_.empty()) return false;
    out = std::move(queue_.front());
    queue_.pop_front();
    room_.notify_one();
    return true;
  }

 private:
  std::mutex mu_;
  std::condition_variable room_, ready_;
  std::deque<std::vector<ServiceRecord>> queue_;
  bool closed_ = false, stopped_ = false;
};

// A task run by a second thread while this one goes on: one at a time (Run waits for the one
// before). Wait joins it and rethrows what it threw; the destructor joins it, so no exception
// leaves the night with the thread still running (a rollback's TakeBack then finds every file
// it announced); a failure of the task then goes unreported, as another is already on its way
// out. Declared after everything its task uses, which outlives it.
class OneAtATime {
 public:
  OneAtATime() = default;
  OneAtATime(const OneAtATime&) = delete;
  OneAtATime& operator=(const OneAtATime&) = delete;
  ~OneAtATime() {
    if (thread_.joinable()) thread_.join();
  }
  void Run(std::function<void()> task) {
    Wait();
    thread_ = std::thread([this, task = std::move(task)] {
      try {
        task();
      } catch (...) {
        error_ = std::current_exception();
      }
    });
  }
  void Wait() {
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  std::thread thread_;
  std::exception_ptr error_;
};

// With OTPBATCH_PROFILE set, the wall time of each stage goes to stderr (for bench/ and
// docs/performance.md), after a first line that says whether malloc was asked for 2 MiB pages
// (platform/huge_pages.h); the lines name stages only, never data.
class StageClock {
  // A "VmRSS:"-style line of /proc/self/status in KiB; 0 where there is none.
  static long StatusKb(const char* field) {
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    long kb = 0;
    const size_t n = std::strlen(field);
    while (std::fgets(line, sizeof line, f))
      if (std::strncmp(line, field, n) == 0) kb = std::strtol(line + n, nullptr, 10);
    std::fclose(f);
    return kb;
  }

 public:
  StageClock() : on_(std::getenv("OTPBATCH_PROFILE") != nullptr), last_(std::chrono::steady_clock::now()) {
    if (!on_) return;
    const std::optional<std::string> hugetlb = HugePagesTunable();
    const std::string named = hugetlb ? " (glibc.malloc.hugetlb=" + *hugetlb + ")" : "";
    std::fprintf(stderr, "otpbatch profile: malloc in 2 MiB pages: %s%s\n", hugetlb == "1" ? "asked" : "no",
                 named.c_str());
  }
  void Mark(const char* stage) {
    if (!on_) return;
    auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "otpbatch profile: %-34s %8.3f s  rss %5ld MiB  peak %5ld MiB\n", stage,
                 std::chrono::duration<double>(now - last_).count(), StatusKb("VmRSS:") / 1024,
                 StatusKb("VmHWM:") / 1024);
    last_ = now;
  }
  // One side of a stage whose two sides run at once: its own wall time, indented under it.
  void Side(const char* what, double seconds) const {
    if (on_) std::fprintf(stderr, "otpbatch profile:   %-32s %8.3f s\n", what, seconds);
  }
  static double Since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
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
  auto services_text = fs.ReadText(opt.services);  // mapped: given back as it is read
  if (!services_text.ok()) return fail(kExitUsage, services_text.status().message());

  stages.Mark("1 configuration");
  // 2. Read rows. A file that lacks a required column is unusable: a usage error.
  CollectingReporter patient_reports, service_reports;
  const std::string pfile = std::filesystem::path(opt.patients).filename().string();
  const std::string sfile = std::filesystem::path(opt.services).filename().string();
  auto ptable = ReadPatients(pfile, patients_text.value(), config, patient_reports);
  if (!ptable.ok()) return fail(kExitUsage, ptable.status().message());
  // The services are streamed into the ledger below; a file that cannot be read at all is
  // refused here, before anything is written.
  if (Status s = CheckServicesHeader(sfile, services_text.value().view()); !s.ok()) return fail(kExitUsage, s.message());
  patients_text = Status::Ok();  // free the text early

  stages.Mark("2 read patients");
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
    ledger.BeginNight();  // a bulk load on an empty ledger
    const std::time_t started = clock.Now();
    int64_t run_id = ledger.StartRun(opt.as_of, started, opt.dry_run,
                                     opt.config + " " + opt.patients + " " + opt.services);
    publisher.SetRun(run_id, started);

    counts.patient_rows_read = ptable.value().rows_read;
    counts.patient_rows_rejected = static_cast<int64_t>(patient_reports.rejects.size());
    for (const auto& p : ptable.value().patients) ledger.UpsertPatient(p, run_id);
    for (const auto& r : patient_reports.rejects) ledger.AddReject(r, run_id);

    stages.Mark("3 lock, open ledger, patients");
    // 4. Read the services and offer each row to the ledger as it is read. Tonight's rows that
    // stay undecided are counted by their outcome: the new ones are known by first_run, the
    // ones stored on an earlier night and still open by their rowid.
    std::vector<int64_t> tonight_earlier;  // rowids of rows of earlier nights offered again tonight
    std::vector<Hold> holds;
    int64_t already_processed = 0;
    // A second thread reads and checks the rows while this one stores them. The reader owns
    // service_reports until it is joined; the joiner (a local of this block) stops and joins
    // it before an exception from the ledger leaves the block.
    Result<ServiceRead> sread = Status::Io("the services file was not read to its end");
    {
      RowBatches batches;
      std::thread reader([&] {
        try {
          std::vector<ServiceRecord> batch;
          batch.reserve(RowBatches::kBatchRows);
          FileText& text = services_text.value();
          sread = ReadServices(sfile, text.view(), config, ptable.value(), service_reports,
                               [&](ServiceRecord& r) {
            batch.push_back(std::move(r));
            if (batch.size() == RowBatches::kBatchRows) {
              batches.Push(std::move(batch));
              batch = {};
              batch.reserve(RowBatches::kBatchRows);
            }
          }, [&](size_t offset) { text.ReleaseBefore(offset); });
          if (!batch.empty()) batches.Push(std::move(batch));
        } catch (const RowBatches::Stopped&) {
        } catch (const std::exception& e) {
          sread = Status::Io(std::string("cannot read the services: ") + e.what());
        }
        batches.Close();
      });
      struct Joiner {
        RowBatches& b;
        std::thread& t;
        ~Joiner() {
          b.Stop();
          if (t.joinable()) t.join();
        }
      } joiner{batches, reader};
      std::vector<ServiceRecord> batch;
      while (batches.Pop(batch)) {
        for (ServiceRecord& r : batch) {
          int64_t rowid = 0;
          switch (ledger.OfferRow(r, run_id, &rowid)) {
            case RowState::kAlreadyDecided:
              ++already_processed;
              break;
            case RowState::kChangedDecided: {
              Hold h{r.facility_id, r.patient_id, r.service_date, "record-changed",
                     "record " + r.record_id + " changed after it was decided; the ledger keeps the first version",
                     "", {r.record_id}};
              holds.push_back(h);
              ++counts.held;
              ++counts.held_by_reason["record-changed"];
              break;
            }
            case RowState::kNew:
              break;
            default:  // kOpen, kChangedOpen (the ledger forgot its patients' care bases)
              tonight_earlier.push_back(rowid);
          }
        }
      }
    }
    if (!sread.ok()) throw sql::Error(sread.status().message());  // the header was checked above
    services_text = Status::Ok();
    std::sort(tonight_earlier.begin(), tonight_earlier.end());
    for (const auto& r : service_reports.rejects) ledger.AddReject(r, run_id);

    counts.service_rows_read = sread.value().rows_read;
    counts.rejected = static_cast<int64_t>(service_reports.rejects.size());
    counts.accepted = counts.service_rows_read - counts.rejected;
    counts.already_processed = sread.value().duplicates_identical + already_processed;

    ledger.IndexRows(opt.as_of);  // a bulk load's sorted index build
    stages.Mark("4 read rows, offer them to the ledger");
    // 5. One pass over the ledger, patient by patient (facility, patient): bill each patient's
    // undecided rows (tonight's and earlier nights' open ones), and check the care of every
    // patient in tonight's file against all of that patient's rows (compliance, step 6).
    std::map<std::string, std::optional<Date>> records_since;
    for (const auto& f : config.facilities) records_since[f.id] = ledger.FirstServiceDate(f.id);
    const std::vector<Patient>& file_patients = ptable.value().patients;
    std::vector<std::vector<Finding>> care_findings(file_patients.size());
    std::vector<char> care_checked(file_patients.size(), 0), care_judged(file_patients.size(), 0);
    auto check_care = [&](size_t i, const std::vector<const ServiceRecord*>& rows, bool first_day_stands) {
      const Patient& p = file_patients[i];
      care_checked[i] = 1;
      const Facility* f = config.FindFacility(p.facility_id);
      if (!f) return;
      care_findings[i] = CheckPatient(*f, p, rows, opt.as_of, rb, records_since[f->id], first_day_stands);
      care_judged[i] = 1;
    };

    std::vector<Finding> findings;
    // Claims are finished one facility at a time. The pass runs in (facility, patient) order, so
    // when it moves on from a facility, that facility's claims take their ids and control numbers
    // (the same as numbering every claim first: each counter counts on its own), go into its
    // 837P file and into the ledger, and are spilled for the workbook: at most two facilities'
    // claims are held at once (the one whose 837P a second thread writes, and the next).
    auto spill_made = ClaimSpill::Create(std::filesystem::path(opt.db).parent_path().string());
    if (!spill_made.ok()) throw sql::Error(spill_made.status().message());
    std::shared_ptr<ClaimSpill> spill = spill_made.value();
    std::vector<Claim> facility_claims;
    std::map<std::string, Patient> claim_patients;  // of facility_claims
    bool out_dir_made = false;
    auto make_out_dir = [&] {
      if (opt.dry_run || out_dir_made) return;
      if (Status s = fs.MakeDirs(out_dir); !s.ok()) throw sql::Error(s.message());
      out_dir_made = true;
    };
    // A facility's 837P is written, given its structural check and published by a second
    // thread while this one goes on with the next facility's patients (a quarter of the pass's
    // own work on the night that bills a week). Its ledger row waits for the file: `land`, when
    // the next one starts and after the pass. While it runs nothing else calls the publisher or
    // the file system, so files are written in the same order as before.
    std::optional<Interchange> written;  // filled by the thread, landed by this one
    OneAtATime interchanges;
    auto land = [&] {
      interchanges.Wait();
      if (!written) return;
      ledger.AddInterchange(*written, run_id);
      if (!opt.dry_run) ledger.MarkPublished(written->control);
      written.reset();
    };
    auto finish_facility = [&] {
      if (facility_claims.empty()) return;
      for (auto& c : facility_claims) {
        char id[24];
        std::snprintf(id, sizeof id, "C%09lld", static_cast<long long>(ledger.NextCounter("claim")));
        c.claim_id = id;
      }
      const std::string fid = facility_claims.front().facility_id;
      const Facility& facility = *config.FindFacility(fid);
      make_out_dir();
      InterchangeIds ids{ledger.NextCounter("interchange"), ledger.NextCounter("group")};
      char icn[16];
      IcnText(ids.interchange_control, icn, sizeof icn);
      std::string path = out_dir + "/" + fid + "-" + icn + ".837";
      for (const auto& c : facility_claims) {
        ledger.AddClaim(c, run_id, ids.interchange_control);
        spill->Append(c);
      }
      land();
      written = Interchange{ids.interchange_control, fid, path, "", false};
      interchanges.Run([&config, &opt, &publisher, &written, claims = std::move(facility_claims),
                        patients = std::move(claim_patients), ids, now = clock.Now(), facility = &facility] {
        PatientLookup of = [&patients](const std::string& f, const std::string& p) -> const Patient* {
          auto it = patients.find(Key(f, p));
          return it == patients.end() ? nullptr : &it->second;
        };
        std::string x12 = Write837P(config, *facility, claims, of, ids, now);
        // Our own structural check before the file can leave: envelope counts, control
        // numbers, HL tree, CLM02 = sum of lines. A failure here is a bug: nothing is committed.
        if (Status s = Check837Structure(x12); !s.ok())
          throw std::logic_error("the 837P for " + facility->id + " failed its structural check: " + s.message());
        if (!opt.dry_run)
          if (Status s = publisher.Write(written->path, x12); !s.ok()) throw sql::Error(s.message());
        written->content = std::move(x12);
      });
      facility_claims.clear();
      claim_patients.clear();
    };
    std::vector<RowDecision> decisions;
    std::vector<std::pair<std::string, std::string>> verdicts;  // (status, reason) by index
    std::map<std::pair<Outcome, std::string>, uint32_t> verdict_index;
    auto count_outcome = [&](const LedgerRow& r, const RowOutcome& o) {
      if (r.first_run != run_id && !std::binary_search(tonight_earlier.begin(), tonight_earlier.end(), r.rowid))
        return;
      switch (o.outcome) {
        case Outcome::kBilled: ++counts.billed; break;
        case Outcome::kHeld: ++counts.held; ++counts.held_by_reason[o.reason]; break;
        case Outcome::kNotBillable: ++counts.not_billable; ++counts.not_billable_by_reason[o.reason]; break;
        case Outcome::kOpen: ++counts.open; break;
      }
    };
    // The care checks of tonight's patients need their open rows, their decided rows of the
    // services the time-bound checks read, their first methadone_dose day in the admission
    // (PA-6, judged only for an admission that began inside our records, and not again while
    // its verdict stands on the same FirstDayTerms), their last counseling day (PA-8), and the
    // take-home days not judged yet on the basis on record (PA-5); every row when the basis
    // changed (CareBasis).
    // The basis each patient was last judged on (in (facility, patient) order), and tonight's.
    std::vector<Ledger::CareBasisRow> bases_on_record = ledger.CareBases();
    const std::string first_day_terms = FirstDayTerms(rb);
    std::vector<Ledger::CareBasisRow*> basis_then(file_patients.size());
    std::vector<std::string> basis_now(file_patients.size());
    std::vector<Ledger::CarePatient> care_patients;
    care_patients.reserve(file_patients.size());
    for (size_t i = 0; i < file_patients.size(); ++i) {
      const Patient& p = file_patients[i];
      Ledger::CarePatient cp;
      cp.facility_id = p.facility_id;
      cp.patient_id = p.patient_id;
      const bool discharged = p.discharge_date && *p.discharge_date <= opt.as_of;
      const Date end = discharged ? *p.discharge_date : opt.as_of;
      auto since = records_since.find(p.facility_id);
      if (p.admission_date <= end) {
        cp.from = p.admission_date;
        cp.to = end;
        cp.first_dose_day = since == records_since.end() || !since->second || *since->second <= p.admission_date;
      }
      auto b = std::lower_bound(bases_on_record.begin(), bases_on_record.end(), std::tie(p.facility_id, p.patient_id),
                                [](const Ledger::CareBasisRow& r, const auto& key) {
                                  return std::tie(r.facility_id, r.patient_id) < key;
                                });
      if (b != bases_on_record.end() && b->facility_id == p.facility_id && b->patient_id == p.patient_id)
        basis_then[i] = &*b;
      basis_now[i] = CareBasis(p, rb);
      // On the same basis, judged on an earlier as-of date, only what is newer is read; a night
      // before the one on record (a re-run of an older date) reads every row (the kept facts
      // reach past its end). A patient with an open row replaced tonight has no basis on record
      // (OfferRow forgot it): every row.
      if (basis_then[i] && basis_then[i]->basis == basis_now[i] &&
          basis_then[i]->judged_through <= opt.as_of) {
        cp.whole = false;
        cp.judged_through = basis_then[i]->judged_through;
        // Moved: the pass holds a patient's kept facts once (its checks' rows grow with its
        // years), and tells whether tonight's differ (CareRead::facts_changed).
        cp.facts = std::move(basis_then[i]->facts);
        cp.first_day_judged = basis_then[i]->first_day_terms == first_day_terms;
      }
      care_patients.push_back(std::move(cp));
    }
    // Each patient once: ReadPatients refuses a patient the file repeats.
    std::sort(care_patients.begin(), care_patients.end(), [](const auto& a, const auto& b) {
      return std::tie(a.facility_id, a.patient_id) < std::tie(b.facility_id, b.patient_id);
    });
    // Billing's view of every patient's past: made once, the windows read as the pass reaches
    // back for them (tonight's additions come after each patient's own look-up, as the pass
    // visits each patient once).
    Ledger::HistoryBook history_book = ledger.ReadHistoryBook();
    std::vector<const ServiceRecord*> all, open;
    std::vector<const LedgerRow*> open_rows;
    // What the pass read of each patient judged, its CareFacts and where PA-6 stands, is kept
    // with its basis as the pass leaves it (not held for every patient until the end: the facts
    // grow with a patient's years): judged tonight on this basis, through as_of, the next night
    // reads only what is newer. PA-6's terms are kept when it judged the first day (tonight, or
    // on an earlier night with its verdict standing). A patient not in tonight's file has no new
    // rows (a row is stored only for a patient of the file); its open rows, decided tonight
    // without a judgement, were in its facts when they came, or are dated after its judgement,
    // where its next night reads them.
    auto keep_basis = [&](size_t i, const Ledger::CareRead& read) {
      const Ledger::CareBasisRow* b = basis_then[i];
      const std::string terms = read.first_day_judged ? first_day_terms : std::string();
      if (!b || b->basis != basis_now[i] || b->judged_through != opt.as_of || read.facts_changed ||
          b->first_day_terms != terms)
        ledger.SetCareBasis({file_patients[i].facility_id, file_patients[i].patient_id, basis_now[i], opt.as_of,
                             read.facts, terms});
    };
    ledger.ForEachPatient(care_patients, [&](const std::string& fid, const std::string& pid, bool care,
                                             std::vector<LedgerRow>& rows, const Ledger::CareRead& read) {
      all.clear();
      open.clear();
      open_rows.clear();
      for (const auto& r : rows) {
        all.push_back(&r.record);
        if (r.open) {
          open.push_back(&r.record);
          open_rows.push_back(&r);
        }
      }
      if (care)
        if (const Patient* fp = ptable.value().Find(fid, pid)) {
          const auto i = static_cast<size_t>(fp - file_patients.data());
          check_care(i, all, read.first_day_stands);
          if (care_judged[i]) keep_basis(i, read);
        }
      if (open.empty()) return;
      const ServiceRecord& first = *open.front();
      const Facility* facility = config.FindFacility(first.facility_id);
      // Tonight's file has the patient as the ledger does (stored above); one that left the
      // file is read back from the ledger.
      std::optional<Patient> stored;
      const Patient* patient = ptable.value().Find(first.facility_id, first.patient_id);
      if (!patient && (stored = ledger.LoadPatient(first.facility_id, first.patient_id))) patient = &*stored;
      if (!facility || !patient) {
        // The facility left facility.xml (or the patient vanished): keep the rows open.
        for (const auto* r : open_rows) count_outcome(*r, RowOutcome{Outcome::kOpen, ""});
        return;
      }
      BillingInput in;
      in.facility = facility;
      in.patient = patient;
      in.records = open;
      // Billing looks up coverage windows on the dates of these rows and opens windows only
      // from them on: the windows that end before the earliest (the first: the pass hands a
      // patient's rows over by date) are left out, unless one kept overlaps them.
      in.history = ledger.History(first.facility_id, first.patient_id, &history_book, first.service_date);
      in.as_of = opt.as_of;
      BillingResult br = BillPatient(in, rb);
      for (size_t i = 0; i < open_rows.size(); ++i) {
        const RowOutcome& o = br.outcomes.at(i);
        count_outcome(*open_rows[i], o);
        if (o.outcome == Outcome::kOpen) continue;
        auto [it, added] = verdict_index.try_emplace({o.outcome, o.reason}, static_cast<uint32_t>(verdicts.size()));
        if (added) verdicts.emplace_back(OutcomeStatus(o.outcome), o.reason);
        decisions.push_back({open_rows[i]->rowid, it->second});
      }
      ledger.AddEpisodes(br.episodes, run_id);
      for (const auto& w : br.new_windows) ledger.AddWindow(w, run_id);
      for (auto& h : br.holds) holds.push_back(std::move(h));
      for (auto& f : br.findings) findings.push_back(std::move(f));
      if (!br.lines.empty()) {
        if (!facility_claims.empty() && facility_claims.front().facility_id != first.facility_id) finish_facility();
        for (auto& c : AssembleClaims(*patient, std::move(br.lines), rb)) facility_claims.push_back(std::move(c));
        claim_patients[Key(first.facility_id, first.patient_id)] = *patient;
      }
    });
    finish_facility();
    land();
    spill->Flush();
    // The outcomes are recorded in step 8, beside the workbook: nothing before reads them.
    for (const auto& h : holds) ledger.AddHold(h, run_id);

    stages.Mark("5 billing, care checks, claims, 837P");
    // 6. Compliance: the program on the as-of date, and every patient in tonight's file (their
    // care was checked in the pass above; a patient without any row is checked here).
    std::vector<CredentialState> credentials;
    for (const auto& f : config.facilities) {
      for (auto& c : CredentialStates(f, opt.as_of, rb)) credentials.push_back(std::move(c));
      for (auto& x : CheckProgram(f, opt.as_of, rb)) findings.push_back(std::move(x));
    }
    for (size_t i = 0; i < file_patients.size(); ++i) {
      const bool in_pass = care_checked[i];  // checked in the pass (its basis kept there if judged)
      if (!in_pass) check_care(i, {}, false);
      for (auto& x : care_findings[i]) findings.push_back(std::move(x));
      const Ledger::CareBasisRow* b = basis_then[i];
      if (!care_judged[i]) {  // its facility left facility.xml: tonight's rows were not judged
        if (b) ledger.ForgetCareBasis(b->facility_id, b->patient_id);
        continue;
      }
      if (!in_pass) keep_basis(i, Ledger::CareRead{});  // judged just now without rows: no facts
    }
    care_findings.clear();
    std::vector<Finding> new_findings;
    for (auto& f : findings)
      if (ledger.AddFinding(f, run_id)) new_findings.push_back(std::move(f));
    for (const auto& f : new_findings) ++counts.findings_by_rule[f.rule_id];

    stages.Mark("6 compliance");
    // 7. Claims: finished facility by facility in the pass above (ids, control numbers, 837P
    // files, the ledger). The output directory is made even when nothing was billed.
    make_out_dir();

    stages.Mark("7 output directory");
    // 8. The night's workbook and summary.
    report = BuildRunReport(opt.as_of, config, spill, holds, new_findings, credentials,
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
    {
      // The workbook is written by a second thread while this one records the rows' outcomes
      // and builds the indexes: the two share nothing (the thread reads `report` only, and makes
      // the only file-system call until it is joined), so the order of file operations is the
      // same as writing one after the other.
      double workbook_seconds = 0;
      OneAtATime workbook;
      if (!opt.dry_run) {
        if (Status s = publisher.Announce(workbook_path); !s.ok()) throw sql::Error(s.message());
        workbook.Run([&report, &fs, &workbook_seconds, templates = TemplatesDir(opt.data_dir), workbook_path] {
          const auto start = std::chrono::steady_clock::now();
          Status status = Status::Ok();
          try {
            status = WriteWorkbook(report, templates, fs, workbook_path);
          } catch (const std::exception& e) {
            status = Status::Io(std::string("cannot write the workbook: ") + e.what());
          }
          workbook_seconds = StageClock::Since(start);
          if (!status.ok()) throw sql::Error(status.message());
        });
      }
      const auto outcomes_start = std::chrono::steady_clock::now();
      ledger.SetOutcomes(std::move(decisions), verdicts, run_id);
      ledger.IndexCareRows();  // the first night's one sorted build; a no-op after
      stages.Side("8 outcomes, indexes", StageClock::Since(outcomes_start));
      workbook.Wait();
      stages.Side("8 workbook (second thread)", workbook_seconds);
    }
    if (!opt.dry_run) {
      if (Status s = publisher.Write(summary_path, res.summary_json); !s.ok()) throw sql::Error(s.message());
    }
    res.files = report.files;

    stages.Mark("8 workbook | outcomes, indexes");
    // 9. Commit: only now is anything decided. A dry run takes everything back.
    // Holds decided tonight from rows of earlier nights count too: the Held sheet lists them.
    bool attention = counts.rejected > 0 || counts.held > 0 || counts.patient_rows_rejected > 0 || !holds.empty();
    ledger.FinishRun(run_id, clock.Now(), attention ? "completed-with-attention" : "completed", res.summary_json);
    if (opt.dry_run) {
      ledger.Rollback();
    } else {
      ledger.Commit();
      publisher.Committed();
    }
    stages.Mark("9 commit");
    res.exit_code = attention ? kExitAttention : kExitOk;
    res.warnings = patient_reports.warnings;
    res.warnings.insert(res.warnings.end(), service_reports.warnings.begin(), service_reports.warnings.end());
    return res;
  } catch (const std::exception& e) {
    ledger.Rollback();
    publisher.TakeBack();
    return fail(kExitInternal, std::string("run failed, nothing committed: ") + e.what());
  }
}

}  // namespace otp
