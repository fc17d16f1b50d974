// The ledger: otpbatch's system of record in SQLite. Every input row and its outcome, every
// reject, episode, claim, line and the source rows behind it, holds, findings (once per
// occurrence key), coverage windows and control numbers. UNIQUE constraints make "bill once"
// a property of the store, not only of the code: a second bundle for an episode or a second
// line for the same source row and code cannot be inserted.
#pragma once

#include <compare>
#include <cstdint>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "billing/engine.h"
#include "model/claim.h"
#include "model/status.h"
#include "model/types.h"

namespace otp {

namespace sql { class Db; class Stmt; }

// One run's hold on the ledger: an exclusive flock on "<db>.lock" that names its pid and start
// time; released by the kernel when the process dies, so a stale lock never blocks.
class LedgerLock {
 public:
  // Busy (exit 4) with "held by pid N since T" when another live run holds it.
  static Result<std::unique_ptr<LedgerLock>> Acquire(const std::string& db_path, std::time_t now);
  ~LedgerLock();
 private:
  explicit LedgerLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

// What became of a service row offered to the ledger.
enum class RowState {
  kNew,             // never seen: stored as open
  kOpen,            // seen before with the same content, still undecided
  kAlreadyDecided,  // seen before with the same content and already decided: already processed
  kChangedOpen,     // seen before, undecided, content changed: updated
  kChangedDecided,  // seen before, decided, content changed: a person must look (held record-changed,
                    // once per changed version: the same change again is kAlreadyDecided)
};

// A service row as the ledger holds it: the record, its rowid and whether it is still open.
struct LedgerRow {
  ServiceRecord record;
  int64_t rowid = 0;
  int64_t first_run = 0;  // the run that stored it first
  bool open = false;
  // Only what the care checks read of it (facility, patient, date, service, rowid): a decided
  // row of the selective pass, from the kept CareFacts. Never open.
  bool partial = false;
};

// An outcome to record: row `rowid` gets verdicts[verdict] (status, reason) of SetOutcomes.
struct RowDecision {
  int64_t rowid = 0;
  uint32_t verdict = 0;
};

struct StoredClaimLine {
  ClaimLine line;
  int line_no = 0;
};

struct StoredClaim {
  Claim claim;
  int64_t run_id = 0;
  int64_t interchange = 0;
  std::vector<int> line_nos;
};

struct Interchange {
  int64_t control = 0;
  std::string facility_id, path, content;
  bool published = false;
};

class Ledger {
 public:
  // v3: care_basis. A night judges again only what it has not judged on the basis on record, so
  // a binary that does not keep that table must not run nights on the ledger (it refuses a
  // newer version).
  // v4: facility_first (FirstServiceDate's kept answer), which every night that stores rows must
  // move: the same reason.
  // v5: episodes in (facility, start, patient) order, each patient's last end in episode_last;
  // episodes_end and claims_by_patient dropped: fewer B-trees written one leaf per billed patient.
  // A v4 binary would add episodes without moving episode_last: it refuses a v5 ledger.
  // v6: care_basis keeps each patient's CareFacts (PA-6's first dose day, PA-8's last counseling
  // row), which every judgement must move: a v5 binary would leave them behind, so it refuses a
  // v6 ledger. The bases of a v5 ledger are dropped: its first v6 night judges every patient
  // from every row once.
  // v7: history_lines, each billed intake or overdose line with its patient, written by
  // AddClaim: a v6 binary would bill without adding them, and a later night would bill an intake
  // twice or miss an overdose code's limit, so it refuses a v7 ledger. The upgrade copies the
  // lines already billed.
  // Within v7: care_basis.first_day_terms (CareBasisRow), added when missing. A binary without
  // it leaves it NULL, which asks only that the first methadone day be read again: no version.
  // Within v7: windows_by_end instead of windows_patient (an index: a binary without it builds
  // windows_patient again, SQLite keeps both up to date, and this one drops it: no version).
  // v8: care_basis.checks, each patient's rows of the time-bound checks (CareFacts::checks),
  // which every judgement must move: a v7 binary would leave them behind when it adds such a
  // row (and does not write the basis at all on a re-run of the same date), and a later night
  // would miss a drug test or a care plan, so it refuses a v8 ledger. A basis kept before has
  // none (NULL): its next night reads them from service_rows_checks once.
  static constexpr int kSchemaVersion = 8;
  // The page size of a new ledger's file. A night reads and writes a few rows of many pages
  // scattered over the file (each patient's index entries, the open rows, the week's): with
  // 16 KiB pages the B-trees are shallower and a cold night reads fewer, larger pages (the 10M
  // night after a bulk load, cold, 5.5 s with 4 KiB, 4.8 s with 16 KiB; docs/performance.md
  // "Round 11"). Not part of the schema: a ledger of 4 KiB pages reads and writes the same.
  static constexpr int kPageSize = 16384;
  static Result<std::unique_ptr<Ledger>> Open(const std::string& path);
  ~Ledger();

  void Begin();
  void Commit();
  void Rollback();
  // Begin for a night. On a ledger that holds no service row yet (a first night, a backfill)
  // the night is a bulk load, and true is returned: nobody can be reading rows that do not
  // exist, so it is written once in rollback-journal mode instead of twice (WAL, then the
  // checkpoint), and the indexes on service_rows are dropped inside the transaction and built
  // once, sorted, by IndexRows and IndexCareRows after the rows are in, instead of one random
  // insert per row. A rollback brings them back; Commit and Rollback return to WAL.
  bool BeginNight();
  // After tonight's rows are offered: in a bulk load, stores them from their staging table in
  // two parts, the rows dated before the last days before `as_of` and then the rest, each in
  // (facility, patient, date, line) order (the pass walks both in rowid order, merged), and builds
  // service_rows_record; service_rows_dated is built by IndexCareRows, after the outcomes. A
  // no-op otherwise. In a bulk load OfferRow stages every row as kNew with rowid 0 (the ledger
  // was empty; the reader drops a file's duplicates), and nothing may read service_rows before
  // IndexRows.
  void IndexRows(Date as_of);

  int64_t StartRun(Date as_of, std::time_t now, bool dry_run, const std::string& inputs);
  void FinishRun(int64_t run_id, std::time_t now, const std::string& status, const std::string& summary_json);
  // Whether run `run_id`, started at `started_at`, was committed (its row is finished): how
  // the next run tells a journal left after a commit from one left before it.
  bool RunFinished(int64_t run_id, std::time_t started_at);

  // ---- input rows
  void UpsertPatient(const Patient& p, int64_t run_id);
  // `rowid`, when given, receives the row's rowid (new or found). An open row replaced
  // (kChangedOpen) may be held, with its old content, in the kept CareFacts of its patient and,
  // when the new content names another, of the patient it left: both care bases are forgotten,
  // so that each is judged from every row next (tonight, for a patient of tonight's file).
  RowState OfferRow(const ServiceRecord& r, int64_t run_id, int64_t* rowid = nullptr);
  void AddReject(const Reject& r, int64_t run_id);
  std::vector<ServiceRecord> OpenRows();
  // The night's pass over the ledger, one patient at a time, in (facility, patient) byte order.
  // `care` lists tonight's patients, sorted that way, each once. `fn` gets the patient, whether
  // it is in `care`, and its rows ordered by (date of service, rowid), each once. When many rows
  // are open (a fresh ledger), before IndexCareRows, or when many patients of `care` are `whole`:
  // every patient that has rows, with all of its rows. Otherwise (an incremental night) only the
  // patients with open rows and those of `care`, with their open rows and, for a patient of
  // `care`:
  // - `whole`: every row it has;
  // - otherwise what CheckPatient needs to raise every finding not raised before (its days
  //   already judged, on a basis that has not changed, need not be judged again): its rows in
  //   [from, to] of the services the time-bound checks read (physical_exam,
  //   psychosocial_assessment, care_plan, toxicology_test: PA-1..PA-4, which read their dates
  //   only) and its last counseling row in [from, to] (PA-8 reads its date only), partial, from
  //   the kept CareFacts moved by tonight's rows (the checks' rows from service_rows_checks for a
  //   basis kept before v8); and every row of the first
  //   methadone_dose day in [from, to] if `first_dose_day` (PA-6; not if its verdict stands:
  //   `first_day_judged`, the kept day, no open row on it), of each day of an open
  //   methadone_takehome row, and of each day in (judged_through, to] with a
  //   methadone_takehome row (PA-5: a day's verdict depends on that day's rows and the basis).
  // `fn` gets for a patient of `care` its CareFacts through tonight, which the night keeps with
  // the basis (it forgets the basis of a patient of `care` it does not judge: ForgetCareBasis),
  // and where PA-6 stands (CareRead).
  // `fn` must not change service_rows; other tables are fine.
  //
  // What PA-6 and PA-8 read of a patient's rows, kept with its basis (v6) so that a night need
  // not look them up by patient: among its rows dated in [from, to] of the judgement, open or
  // decided, the first methadone_dose day and the last counseling row (by date, service's name,
  // rowid). A night moves them with what it reads anyway: the open rows and the decided rows
  // dated after judged_through (service_rows_dated is ordered by date, not by patient).
  //
  // What PA-1..PA-4 read (v8): the date and service of every row of the services they judge
  // (physical_exam, psychosocial_assessment, care_plan, toxicology_test) dated in [from, to],
  // with its rowid (the same row may also be held open, whole: the pass keeps that copy). A
  // patient has a few dozen a year; kept with its basis, they spare the night a look-up per
  // patient in service_rows_checks, the largest tree it read (docs/performance.md "Round 13").
  struct CheckRow {
    Date date;
    Service service = Service::kToxicologyTest;
    int64_t rowid = 0;
    auto operator<=>(const CheckRow&) const = default;
  };
  struct CareFacts {
    std::optional<Date> first_dose;
    std::optional<Date> counseling_date;
    Service counseling_service = Service::kCounselingIndividual;
    int64_t counseling_rowid = 0;
    std::vector<CheckRow> checks;  // sorted, each row once
    // A basis kept before v8 (or whose checks cannot be read back): `checks` is not known, and
    // the pass reads them from service_rows_checks.
    bool checks_unknown = false;
    bool operator==(const CareFacts&) const = default;
    // Adds a row dated in [from, to].
    void Add(Date date, Service service, int64_t rowid);
  };
  struct CarePatient {
    std::string facility_id, patient_id;
    std::optional<Date> from, to;            // the admission as tonight's checks see it
    bool first_dose_day = false;             // PA-6 is judged: the admission began inside our records
    // PA-6 judged the kept first day on tonight's FirstDayTerms: its rows are read again only if
    // the day moved or an open row lies on it.
    bool first_day_judged = false;
    bool whole = true;                       // no basis on record, or it changed: every row
    std::optional<Date> judged_through;      // the as-of date of the last judgement on this basis
    CareFacts facts;                         // kept on that basis (not `whole`)
  };
  // What the pass read of a patient of `care` (empty otherwise): its CareFacts over tonight's
  // [from, to], to keep with tonight's basis, and where PA-6 stands on its first methadone_dose
  // day (facts.first_dose):
  // - `first_day_judged`: PA-6 applies (`first_dose_day`, admitted, a dose): tonight judges the
  //   day or its verdict stands, so tonight's FirstDayTerms are the ones to keep;
  // - `first_day_stands`: its verdict stands (`first_day_judged` on record, the kept day, no open
  //   row on it) and `rows` need not hold that day: CheckPatient's `first_day_stands`.
  // - `facts_changed`: `facts` may differ from the kept ones (CarePatient::facts): always when
  //   the patient was read whole.
  struct CareRead {
    CareFacts facts;
    bool first_day_judged = false, first_day_stands = false;
    bool facts_changed = true;
  };
  using PatientRowsFn = std::function<void(const std::string& facility_id, const std::string& patient_id,
                                           bool care, std::vector<LedgerRow>& rows, const CareRead& read)>;
  void ForEachPatient(const std::vector<CarePatient>& care, const PatientRowsFn& fn);
  // Creates the index the selective pass reads (service_rows_care) if the ledger has none yet:
  // one sorted build after a night's rows are stored. Until it exists, the pass walks every row.
  // In a bulk load, also service_rows_open (after SetOutcomes: it then holds the few rows left
  // open).
  void IndexCareRows();
  // Records outcomes: status, reason and decided_run = run_id, in rowid order.
  void SetOutcomes(std::vector<RowDecision> decisions,
                   const std::vector<std::pair<std::string, std::string>>& verdicts, int64_t run_id);
  std::optional<Patient> LoadPatient(const std::string& facility_id, const std::string& patient_id);
  std::vector<Patient> AllPatients();
  // The first date of service the ledger holds for a facility: where its evidence begins. Kept
  // in facility_first and moved by the rows stored since; counted again from the rows (a seek
  // per patient) when none is kept or an open row of the facility was replaced tonight (its
  // date may have moved later).
  std::optional<Date> FirstServiceDate(const std::string& facility_id);
  // What the care checks last judged a patient on (compliance's CareBasis text) and the as-of
  // date of that judgement, in (facility, patient) byte order. Tells ForEachPatient which
  // patients need every row and which only the days not judged yet.
  // `first_day_terms`: compliance's FirstDayTerms under which PA-6 judged the first day in
  // `facts` ("": not judged, e.g. PA-6 did not apply or no dose yet). A binary older than the
  // column leaves it NULL whenever it writes a basis (the next night reads that day again,
  // nothing more); a basis it leaves alone, it judged from every row of that day itself.
  struct CareBasisRow {
    std::string facility_id, patient_id, basis;
    Date judged_through;
    CareFacts facts;
    std::string first_day_terms;
  };
  std::vector<CareBasisRow> CareBases();
  void SetCareBasis(const CareBasisRow& b);
  // Its next judgement reads every row: for a patient of the night's file whose care the night
  // did not judge (its facility left facility.xml: its kept facts would miss tonight's rows), and
  // for the patients of an open row replaced (OfferRow).
  void ForgetCareBasis(const std::string& facility_id, const std::string& patient_id);
  void SetOutcome(const std::string& facility_id, const std::string& record_id, const std::string& status,
                  const std::string& reason, int64_t run_id);

  // ---- decisions
  // What billing needs of a patient's past: the latest end of its decided episodes, its coverage
  // windows, its billed intakes and overdose codes. With a book (ReadHistoryBook, made once for
  // a night's pass, which asks for one patient after another), the codes and the latest end come
  // from the book, and the windows from each facility's by end date (windows_by_end), read from
  // the latest back only as far as the patients asked for so far need: no look-up per patient.
  // The book is a snapshot: each patient must be asked for before the night adds its own
  // episodes, claims or windows (the pass visits each once).
  //
  // `windows_from`: the earliest date billing will look up in the windows (the patient's earliest
  // open row; every window billing adds starts on or after it). The windows that end before it
  // are left out, unless a window kept overlaps them: WindowSet merges overlapping windows and
  // keeps the code of the first, so the windows handed over cover each date from `windows_from`
  // on with the same code as all of the patient's would. Without it, every window. Without a
  // book (tests), every window of the patient, from a scan of its facility's.
  struct HistoryBook {
    struct Code {
      std::string facility_id, patient_id, code;
      Date dos;
    };
    struct LastEnd {
      std::string facility_id, patient_id;
      Date end;
    };
    std::vector<Code> codes;  // billed G2076 and overdose lines, by (facility, patient, dos)
    std::vector<LastEnd> last_ends;  // episode_last, by (facility, patient)
    // The windows of a facility read so far: those ending on or after `reach` (none read while
    // it is empty), by patient, with their rowids (History hands them over in windows_of's order).
    struct Windows {
      std::optional<Date> reach;
      std::map<std::string, std::vector<std::pair<int64_t, CoverageWindow>>, std::less<>> by_patient;
    };
    bool no_windows = false;  // the ledger held none when the book was made
    std::map<std::string, Windows, std::less<>> windows;  // by facility
  };
  HistoryBook ReadHistoryBook();
  PatientHistory History(const std::string& facility_id, const std::string& patient_id, HistoryBook* book = nullptr,
                         std::optional<Date> windows_from = std::nullopt);
  void AddEpisodes(const std::vector<Episode>& episodes, int64_t run_id);
  void AddHold(const Hold& h, int64_t run_id);
  bool AddFinding(const Finding& f, int64_t run_id);  // false when its key was raised before
  void AddWindow(const CoverageWindow& w, int64_t run_id);

  // ---- claims and control numbers
  int64_t NextCounter(const std::string& name);  // claim, interchange, group: 1, 2, 3 … forever
  void AddClaim(const Claim& c, int64_t run_id, int64_t interchange);
  void AddInterchange(const Interchange& x, int64_t run_id);
  void MarkPublished(int64_t control);
  std::vector<Interchange> UnpublishedInterchanges();

  // ---- reading back (report, explain)
  std::optional<StoredClaim> FindClaim(const std::string& claim_id);
  std::vector<StoredClaim> ClaimsBetween(Date from, Date to);          // by DOS of the claim's lines
  std::vector<Hold> HoldsBetween(Date from, Date to);
  std::vector<Finding> FindingsBetween(Date from, Date to);
  std::vector<Reject> RejectsOfRuns(Date from, Date to);              // runs whose as-of is in range
  std::vector<Reject> RejectsOfRun(int64_t run_id);

  sql::Db& db() { return *db_; }

 private:
  explicit Ledger(sql::Db* db);
  void Migrate();
  void EndBulk();
  void EndTransaction();
  bool HasIndex(const char* name);
  bool HasColumn(const char* table, const char* column);
  // History's book: the facility's windows ending on or after `from` that `book` does not hold yet.
  void ReadWindows(HistoryBook::Windows& book, const std::string& facility_id, Date from);
  std::unique_ptr<sql::Db> db_;
  bool bulk_ = false;
  std::unique_ptr<sql::Stmt> staging_;  // a bulk load's insert into temp.staging, until IndexRows
  int64_t recent_from_ = 0;             // a bulk load's first rowid of its second part (IndexRows)
  // What OfferRow did to each facility's first date since the last commit: the least date of
  // the rows it stored (on a bulk load's night, every row there is), and the facilities whose
  // open rows it replaced. open_first_: each facility's least open date, read once when a
  // first date is counted from the rows, forgotten when a row is stored or replaced.
  void NoteStored(const ServiceRecord& r);
  std::map<std::string, Date, std::less<>> stored_since_;
  std::set<std::string, std::less<>> replaced_;
  std::optional<std::map<std::string, Date, std::less<>>> open_first_;
  struct Statements;
  std::unique_ptr<Statements> st_;
};

const char* RowStateName(RowState s);

}  // namespace otp
