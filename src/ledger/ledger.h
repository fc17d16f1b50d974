// The ledger: otpbatch's system of record in SQLite — every input row and its outcome, every
// reject, episode, claim, line and the rows behind it, hold, finding, coverage window and
// control number. It is a store: it knows the model's types and SQLite, and no rule. UNIQUE
// constraints make "bill once" a property of the store: a second bundle for an episode, a
// second line of a code from the same source row, a second finding of one key cannot be
// inserted. Tables, keys and what each guarantees: docs/ledger.md.
//
// Every call returns a Status or a Result: a failed write, a busy or damaged file, a stored
// value that does not read back (kCorrupt). Nothing is ever read back as a default.
#pragma once

#include <cstdint>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/claim.h"
#include "model/remittance.h"
#include "model/status.h"
#include "model/stored_row.h"
#include "model/types.h"
#include "model/work_item.h"

namespace otp {

class FileSystem;
namespace sql { class Db; class Stmt; }
namespace ledger_stamp { struct Look; }

// What became of a service row offered to the ledger.
enum class RowState {
  kNew,             // never seen: stored as open
  kOpen,            // seen before with the same content, still undecided
  kAlreadyDecided,  // seen before with the same content and already decided (or the same
                    // change of a decided row seen before): already processed
  kChangedOpen,     // seen before, undecided, content changed: replaced
  kChangedDecided,  // seen before, decided, content changed: kept as it was; a person must look
};
const char* RowStateName(RowState s);

struct RowOffer {
  RowState state = RowState::kNew;
  int64_t rowid = 0;              // 0 in a bulk load (the rows get theirs when stored)
  std::string previous_patient;   // kChangedOpen: the patient the row named before
};

// An outcome to record: row `rowid` gets verdicts[verdict] (status, reason).
struct RowDecision {
  int64_t rowid = 0;
  uint32_t verdict = 0;
};

struct RowStats {
  int64_t open = 0;      // rows still open
  int64_t max_rowid = 0;
  bool dated_index = false;  // false between a bulk load's StoreStagedRows and FinishIndexes
};

struct StoredClaim {
  Claim claim;
  int64_t run_id = 0;
  Date written_on;  // the as-of date of the night that wrote it
  int64_t interchange = 0;
  std::vector<int> line_nos;
};

struct Interchange {
  int64_t control = 0;
  std::string facility_id, path, content;
  // The numbers a 999 (GS06, ST02) or a 277CA (BHT03) names it by.
  int64_t group_control = 0;
  std::string reference, transaction_control;
};

// A claim as its account needs it (remit/claim_account.h): no lines, no source rows.
struct ClaimHead {
  std::string claim_id, facility_id, patient_id;
  Date written_on;   // the as-of date of the night that wrote it
  std::optional<Date> first_dos;  // its earliest line's date of service
  Money billed;      // CLM02 as sent
  std::string path;  // the 837P file it went out in ("" when the ledger has none)
};

// What a night needs to know of a claim before it reads the claim's events (ClaimBalances).
struct ClaimBalance {
  std::string claim_id;
  // What no 835 has settled yet: billed less the CLP03 of each of its 835 claims (a reversal's
  // negative). An 835 claim balances (CLP03 − CLP04 = its adjustments, input/remit_835.cpp
  // refuses one that does not), so this is billed − paid − adjustments, as ClaimAccount's.
  Money outstanding;
  std::optional<Date> last_event;  // the latest event's date; none when nothing came back
  bool resubmitted = false;        // billed again on a new claim
};

// An 837P this ledger sent, as a 999 or a 277CA finds it.
struct SentInterchange {
  int64_t control = 0;        // ISA13
  int64_t group_control = 0;  // GS06
  std::string reference;      // BHT03
  std::string transaction_control;  // ST02
  std::string facility_id, path;
};

// A line the caller asked to find by patient (AddClaim's `by_patient`).
struct PatientLine {
  std::string facility_id, patient_id, code;
  Date dos;
  int units = 1;
};

struct EpisodeEnd {
  std::string facility_id, patient_id;
  Date end;
};

// How many service rows of a period ended with one status and reason (a report's counts).
struct OutcomeCount {
  std::string status, reason;
  int64_t rows = 0;
};

// State a component keeps per patient between nights; its bytes are the component's own.
struct PatientState {
  std::string facility_id, patient_id, state;
};

// A service row as `explain --record` shows it: where it came from and what became of it.
struct RecordTrail {
  std::string facility_id, patient_id;
  Date date;
  std::string service;  // as stored (the services file's word)
  std::string status;   // open | billed | held | not-billable
  std::string reason;
  int64_t first_run = 0;
  std::optional<int64_t> decided_run;
  std::string source_file;
  int64_t source_line = 0;
};

// A patient whose open rows include rows a night keeps open on purpose (WaitingPatients).
struct WaitingPatient {
  std::string facility_id, patient_id;
  int64_t rows = 0;
  Date last;                        // the latest date of those rows
  std::set<std::string> reasons;
};

// A committed run of a night: its id and the summary.json it stored.
struct NightRun {
  int64_t run_id = 0;
  std::string summary;
};

// How a command uses the ledger (open.cpp).
enum class LedgerAccess {
  kWrite,  // a run or any command that records: the file passes PRAGMA quick_check first,
           // unless it is exactly as a writer's clean close left it (ledger/stamp.h)
  kRead,   // report, explain, check: opened SQLITE_OPEN_READONLY, so it works on a read-only
           // file and beside a run that is writing (WAL)
};

// How Open knew the file whole.
enum class OpenCheck {
  kNone,        // a reader: SQLite's own checks of each page it reads
  kQuickCheck,  // a writer: PRAGMA quick_check read every page
  kStamp,       // a writer: the file was exactly as the last writer's clean close left it
};

// What `otpbatch check` found: SQLite's integrity check and the store's own counts.
struct LedgerCheck {
  std::vector<std::string> problems;                     // empty: intact
  std::vector<std::pair<std::string, int64_t>> counts;  // rows per table
};

class Ledger {
 public:
  // Makes a new ledger at `path` (otpbatch init) with an identity of its own: a random ledger
  // id in meta, application_id and user_version. Anything already at `path` (a link, an empty
  // file) is refused (kInvalidArgument). The file appears whole or not at all.
  static Result<std::unique_ptr<Ledger>> Create(const std::string& path);
  // Opens an existing ledger. Refused before anything is written: a path with nothing there
  // (kNotFound), a link or anything but a regular file, a file this user may not write
  // (kWrite) (kInvalidArgument), an empty file, another program's database, a ledger of another
  // schema version or a damaged one (kCorrupt). Another program's database is decided from its
  // header: SQLite never opens it. Opening writes nothing, so a run opens (and checks) its
  // ledger before it makes its lock file.
  static Result<std::unique_ptr<Ledger>> Open(const std::string& path, LedgerAccess access = LedgerAccess::kWrite);
  // Closes `ledger`. When it was opened to write, no transaction is open, no call met damage and
  // none was interrupted, the file is then recorded as checked (ledger/stamp.h) through `fs`, so
  // that the next writer's Open skips the quick check while the file stays exactly so. True when
  // a stamp was recorded. Callers call it only when their command succeeded and was no dry run;
  // a ledger destroyed any other way closes without a stamp.
  static bool CloseAndStamp(std::unique_ptr<Ledger> ledger, FileSystem& fs);
  ~Ledger();

  const std::string& id() const { return id_; }  // 32 hex digits, the same for the ledger's life
  OpenCheck opened_by() const { return opened_by_; }
  // PRAGMA integrity_check (every page, every index against its table) and the store's own
  // counts; the whole file is read.
  Result<LedgerCheck> Check();
  // Stops what the ledger is doing now and fails every later statement (kStopped): a run
  // asked to stop by a signal. Safe from another thread while the ledger is open.
  void Interrupt();

  // ---- transactions
  Status Begin();
  Status Commit();
  void Rollback();
  // `work` in one transaction: committed when it succeeds, rolled back (its failure returned)
  // when it does not.
  Status InTransaction(const std::function<Status()>& work);
  // Begin for a night. On a ledger that holds no service row yet the night is a bulk load
  // (true): nobody can be reading rows that do not exist, so the night is written once in
  // rollback-journal mode, its rows are staged and stored sorted by StoreStagedRows, and the
  // row indexes are built once, sorted, by StoreStagedRows and FinishIndexes instead of one
  // random insert per row. Commit and Rollback return to WAL. A night that will be rolled back
  // (a dry run) passes false: changing the journal mode writes the file's header, whatever
  // becomes of the night.
  Result<bool> BeginNight(bool may_bulk_load = true);

  // ---- runs
  Result<int64_t> StartRun(Date as_of, std::time_t now, bool dry_run, const std::string& inputs);
  Status FinishRun(int64_t run_id, std::time_t now, const std::string& status, const std::string& summary_json);
  // Whether run `run_id`, started at `started_at`, was committed (its row is finished).
  Result<bool> RunFinished(int64_t run_id, std::time_t started_at);
  // The summary.json text of the committed, not dry runs whose as-of date is in [from, to].
  Result<std::vector<std::string>> RunSummaries(Date from, Date to);
  // A fingerprint of what a run decided by (its rules and configuration), kept with the run;
  // LastRules: the latest committed, not dry run's ("" when none).
  Status SetRunRules(int64_t run_id, const std::string& fingerprint);
  Result<std::string> LastRules();
  // The committed, not dry runs of one as-of date (a night and its re-runs), by run_id.
  Result<std::vector<NightRun>> RunsOfNight(Date as_of);

  // ---- patients
  Status UpsertPatient(const Patient& p, int64_t run_id);  // written only when it changed
  Result<std::optional<Patient>> LoadPatient(const std::string& facility_id, const std::string& patient_id);
  Result<std::vector<Patient>> AllPatients();  // by (facility, patient)
  // The patients run `run_id` stored or changed, as (facility, patient).
  Result<std::set<std::pair<std::string, std::string>>> PatientsOfRun(int64_t run_id);

  // ---- service rows
  Result<RowOffer> OfferRow(const ServiceRecord& r, int64_t run_id);
  Status AddReject(const Reject& r, int64_t run_id);
  // In a bulk load, stores the staged rows in two parts, each in (facility, patient, date,
  // line) order: those dated before `recent_from`, then the rest (the rows the next nights
  // decide, in one part of the table). A no-op otherwise. Nothing may read service_rows in a
  // bulk load before it.
  Status StoreStagedRows(Date recent_from);
  // After the night's outcomes: builds the indexes a bulk load dropped. A no-op otherwise.
  Status FinishIndexes();
  Result<RowStats> Stats();
  // Every open row, by (facility, patient, date, rowid).
  Result<std::vector<StoredRow>> OpenRows();
  // The same, but a row whose reason is not one of `plain` (a row a night keeps open on purpose)
  // is read only when `keep(facility, patient, rowid)` says so.
  using KeepFn = std::function<bool(std::string_view fid, std::string_view pid, int64_t rowid)>;
  Result<std::vector<StoredRow>> OpenRows(const std::vector<std::string>& plain, const KeepFn& keep);
  // Every open row of one patient, by (date, rowid).
  Result<std::vector<StoredRow>> OpenRowsOf(const std::string& facility_id, const std::string& patient_id);
  // The patients with open rows whose reason is not one of `plain`: how many, the latest date
  // and the reasons.
  Result<std::vector<WaitingPatient>> WaitingPatients(const std::vector<std::string>& plain);
  // Every row, patient by patient in (facility, patient) byte order, each patient's rows by
  // (date, rowid). `fn` may not change service_rows.
  using PatientRowsFn = std::function<Status(std::vector<StoredRow>& rows)>;
  Status ScanAllRows(const PatientRowsFn& fn);
  // The decided rows of a patient's day (service and rowid, from the dated index).
  Status DecidedOnDay(const std::string& facility_id, const std::string& patient_id, Date day,
                      std::vector<RowRef>& out);
  // Rows by rowid, whole, appended to `out` in the order of `rowids`.
  Status RowsById(const std::vector<int64_t>& rowids, std::vector<StoredRow>& out);
  // Each day on which the facility has decided rows, ascending.
  Result<std::vector<Date>> DecidedDays(const std::string& facility_id);
  // The first date of service the ledger holds for a facility (stored rows, open or decided).
  Result<std::optional<Date>> FirstServiceDate(const std::string& facility_id);
  // Records outcomes: status, reason and decided_run = run_id.
  Status SetOutcomes(std::vector<RowDecision> decisions,
                     const std::vector<std::pair<std::string, std::string>>& verdicts, int64_t run_id);
  Status SetOutcome(const std::string& facility_id, const std::string& record_id, const std::string& status,
                    const std::string& reason, int64_t run_id);

  // ---- state kept per patient between nights (opaque bytes)
  Result<std::vector<PatientState>> PatientStates();  // by (facility, patient)
  Status SetPatientState(const PatientState& s);
  Status ForgetPatientState(const std::string& facility_id, const std::string& patient_id);

  // ---- decisions
  Status AddEpisodes(const std::vector<Episode>& episodes, int64_t run_id);  // moves episode_last
  Result<std::vector<EpisodeEnd>> LastEpisodeEnds();                        // by (facility, patient)
  Result<std::optional<Date>> LastEpisodeEnd(const std::string& facility_id, const std::string& patient_id);
  // The status of the episode stored for that start, if any.
  Result<std::optional<std::string>> EpisodeStatus(const std::string& facility_id, const std::string& patient_id,
                                                   Date start);
  // The facility's episodes that start on or after `from` (and before `before`, when given),
  // by (start, patient).
  using EpisodeFn = std::function<void(Episode e)>;
  Status EpisodesStarting(const std::string& facility_id, Date from, std::optional<Date> before, const EpisodeFn& fn);
  // A hold is stored once per HoldKey: raised again, its row says so (run_id, detail, records).
  Status AddHold(const Hold& h, int64_t run_id);
  // A held episode decided again and held again, or billed: AddEpisodes replaces only an
  // episode stored as held; deciding any other episode twice fails (kInternal).
  Result<bool> AddFinding(const Finding& f, int64_t run_id);  // false when its key was raised before
  Status AddWindow(const CoverageWindow& w, int64_t run_id);
  Result<bool> HasWindows();
  // The facility's windows that end on or after `from` (and before `before`, when given),
  // each with its rowid, in index order.
  using WindowFn = std::function<void(int64_t rowid, CoverageWindow w)>;
  Status WindowsEnding(const std::string& facility_id, std::optional<Date> from, std::optional<Date> before,
                       const WindowFn& fn);
  // Every window of a patient, by (start, rowid).
  Result<std::vector<CoverageWindow>> WindowsOf(const std::string& facility_id, const std::string& patient_id);

  // ---- work items (model/work_item.h)
  // Raises an item by its cause: a new cause opens one; a known one is seen again (its reason,
  // detail, amount and records as given); a resolved one opens again; a closed one stays closed.
  // True when it is open now and was not before this call.
  Result<bool> RaiseItem(const WorkItem& w, int64_t run_id, Date as_of);
  Result<std::vector<WorkItem>> Items(std::optional<ItemState> state);  // by id
  Result<std::optional<WorkItem>> FindItem(int64_t id);
  Result<std::optional<WorkItem>> ItemOfCause(const std::string& cause);
  Result<std::vector<WorkItem>> OpenItemsOf(const std::string& kind, bool renews);  // by id
  Result<int64_t> CountItems(ItemState state);
  // The items whose `finding` is this finding's key (the finding itself, holds it says why of).
  Result<std::vector<WorkItem>> ItemsOfFinding(const std::string& finding_key);
  Status ResolveItem(int64_t id, int64_t run_id, Date on, const std::string& note);
  // A person's close of an open item; false when the item is not open.
  Result<bool> CloseItem(int64_t id, const std::string& by, const std::string& note, const std::string& at, Date on);
  // Whether the ledger holds the record: a service row (file_kind "services") or a patient.
  Result<bool> HoldsRecord(const std::string& facility_id, const std::string& file_kind, const std::string& record_id);
  // A held week a person wrote off: the episode stored as held becomes `closed` and its
  // undecided rows (each kept open with its hold reason) are decided as held, so that no night
  // decides it again.
  Status WriteOffWeek(const std::string& facility_id, const std::string& patient_id, Date start);

  // ---- claims and control numbers
  Result<int64_t> NextCounter(const std::string& name);  // 1, 2, 3 … forever per name
  // Moves the counter up to `used` when it is below (the next number is then used + 1); true
  // when it moved. Numbers found in use elsewhere are never handed out again.
  Result<bool> RaiseCounter(const std::string& name, int64_t used);
  // Stores a claim, its lines and their source rows. Lines for which `by_patient` answers true
  // are also kept in patient order (PatientLines).
  using LineFilter = std::function<bool(const ClaimLine&)>;
  Status AddClaim(const Claim& c, int64_t run_id, int64_t interchange, const LineFilter& by_patient);
  Result<std::vector<PatientLine>> PatientLines();  // by (facility, patient, dos)
  Result<std::vector<PatientLine>> PatientLinesOf(const std::string& facility_id, const std::string& patient_id);
  Status AddInterchange(const Interchange& x, int64_t run_id);

  // ---- what came back after the 837Ps (model/remittance.h; responses.cpp)
  // Gives a ledger made before them the tables of responses; inside a write transaction.
  Status KeepResponses();
  // A run row for an `ingest` (status "ingest", no summary: the nights' queries pass it by):
  // the run its events and work items name. Finished as it is made.
  Result<int64_t> RecordIngest(Date today, std::time_t now, const std::string& files);
  // The digest a response was recorded with; nullopt when it never was.
  Result<std::optional<std::string>> ResponseDigest(const std::string& key);
  Status AddResponse(const ResponseRecord& r);
  Result<std::vector<ResponseRecord>> Responses();  // by (date, key)
  // Stores an event with its adjustments and lines; its id.
  Result<int64_t> AddClaimEvent(const ClaimEvent& e);
  Status AddPaymentAdjustment(const PaymentAdjustment& p);
  // A claim's events by (date, id), adjustments and lines included.
  Result<std::vector<ClaimEvent>> EventsOf(const std::string& claim_id);
  // Every claim's events, by (claim, date, id).
  Result<std::vector<ClaimEvent>> AllEvents();
  Result<std::vector<PaymentAdjustment>> PaymentAdjustments();  // by (date, response, seq)
  // The events of each claim in `claim_ids`, by (claim in the order given, date, id), with their
  // adjustments and lines: a few statements for any number of claims.
  Result<std::vector<ClaimEvent>> EventsOfClaims(const std::vector<std::string>& claim_ids);
  // Whether any response event was ever recorded.
  Result<bool> HasClaimEvents();
  // The 837P whose GS06 or BHT03 this is; nullopt when this ledger sent none.
  Result<std::optional<SentInterchange>> SentByGroup(int64_t group_control);
  Result<std::optional<SentInterchange>> SentByReference(const std::string& reference);
  Result<std::vector<std::string>> ClaimIdsOfInterchange(int64_t control);  // by claim id
  // The claim a payer claim number (REF*1K, CLP07) was given to; nullopt when none.
  Result<std::optional<std::string>> ClaimOfPayerNumber(const std::string& number);
  // A person asks for a rejected claim to be billed again; false when it was asked before.
  Result<bool> AddResubmission(const Resubmission& r);
  Result<std::optional<Resubmission>> FindResubmission(const std::string& claim_id);
  Result<std::vector<Resubmission>> Resubmissions(bool pending_only);  // by claim id
  // The night that bills `old_id` again as `new_id`: the old claim's source rows and history
  // lines are let go (AddClaim of the new claim takes them), and the request names the new claim.
  Status HandOverClaim(const std::string& old_id, const std::string& new_id, int64_t run_id);

  // ---- reading back (report, explain)
  Result<std::optional<StoredClaim>> FindClaim(const std::string& claim_id);
  Result<std::vector<StoredClaim>> ClaimsBetween(Date from, Date to);  // by DOS of the claim's lines
  // The same claims without their lines, by claim id (claim_heads.cpp).
  Result<std::vector<ClaimHead>> ClaimHeadsBetween(Date from, Date to);
  // The claims of `claim_ids` the ledger holds, in the order given.
  Result<std::vector<ClaimHead>> ClaimHeads(const std::vector<std::string>& claim_ids);
  // Every claim written by a night whose as-of date is in [from, to], by claim id, with what
  // its 835s left outstanding: through the index claims_by_run, never the older claims.
  Result<std::vector<ClaimBalance>> ClaimBalances(Date from, Date to);
  Result<std::vector<Hold>> HoldsBetween(Date from, Date to);
  Result<std::vector<Hold>> HoldsOfRuns(const std::vector<int64_t>& run_ids);  // last raised by them
  Result<std::vector<Finding>> FindingsBetween(Date from, Date to);
  Result<std::vector<Finding>> FindingsOfRuns(const std::vector<int64_t>& run_ids);  // first raised by them
  Result<std::vector<StoredClaim>> ClaimsOfRuns(const std::vector<int64_t>& run_ids);  // written by them
  Result<std::vector<Reject>> RejectsOfRuns(Date from, Date to);  // runs whose as-of is in range
  Result<std::vector<Reject>> RejectsOfRun(int64_t run_id);
  // A patient's or a record's trail (explain): across facilities, the id as given.
  Result<std::vector<std::string>> ClaimIdsOfPatient(const std::string& patient_id);
  Result<std::vector<std::string>> ClaimIdsOfRecord(const std::string& record_id);  // claims it is a source of
  Result<std::vector<RecordTrail>> RowsOfRecord(const std::string& record_id);
  Result<std::vector<Hold>> HoldsOfPatient(const std::string& patient_id);
  Result<std::vector<Finding>> FindingsOfPatient(const std::string& patient_id);
  // The service rows whose date of service is in [from, to], counted by (status, reason).
  Result<std::vector<OutcomeCount>> RowOutcomesBetween(Date from, Date to);
  // Every facility the ledger holds a patient of, in byte order.
  Result<std::vector<std::string>> FacilityIds();
  // The file each interchange was written to, by interchange control number.
  Result<std::map<int64_t, std::string>> InterchangePaths();

  // For tests and tools that inspect the file itself.
  sql::Db& db() { return *db_; }

 private:
  explicit Ledger(std::unique_ptr<sql::Db> db);
  // Open after the file's header passed (open.cpp); `unmarked`: it has no application_id;
  // `found`: the file as it lay before SQLite opened it (a writer's; ledger/stamp.h).
  static Result<std::unique_ptr<Ledger>> OpenFile(const std::string& path, bool unmarked, LedgerAccess access,
                                                  const ledger_stamp::Look& found);
  struct Statements;
  Status PrepareStatements();
  // Closes the connection, its statements first; every later call but the destructor is a bug.
  Status Close();
  Status EndTransaction();
  Result<bool> HasIndex(const char* name);
  void NoteStored(const ServiceRecord& r);
  Result<std::vector<StoredRow>> ReadRows(sql::Stmt& s);

  std::unique_ptr<sql::Db> db_;
  std::string id_;
  std::string path_;
  bool writer_ = false;
  OpenCheck opened_by_ = OpenCheck::kNone;
  std::unique_ptr<Statements> st_;
  std::optional<bool> keeps_responses_;  // whether the file has the tables of responses (HasResponses)
  Result<bool> HasResponses();
  bool bulk_ = false;
  std::unique_ptr<sql::Stmt> staging_;  // a bulk load's insert into temp.staging
  int64_t recent_from_ = 0;             // a bulk load's first rowid of its second part
  // A bulk load's least date per facility of the rows staged (the ledger held none before).
  std::map<std::string, Date, std::less<>> staged_first_;
};

}  // namespace otp
