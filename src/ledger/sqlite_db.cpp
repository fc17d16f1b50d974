// SQLite connection and statement wrappers.
#include "ledger/sqlite_db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstring>

namespace otp::sql {
namespace {
constexpr int kBusyTimeoutMs = 5000;

// Parses a stored date, remembering the last text parsed: a patient's rows repeat a few dates.
std::optional<Date> ParseStoredDate(std::string_view s) {
  thread_local char last[10] = {0};
  thread_local std::optional<Date> last_date;
  if (s.size() == sizeof last && std::memcmp(s.data(), last, sizeof last) == 0) return last_date;
  std::optional<Date> d = Date::Parse(s);
  if (s.size() == sizeof last) {
    std::memcpy(last, s.data(), sizeof last);
    last_date = d;
  }
  return d;
}
// The system's reason for a failed read or write, and a file-size limit (ulimit -f) when one is
// set: with SIGXFSZ ignored, a write past it fails with EFBIG, which SQLite does not always
// report as such.
std::string IoCause(int err) {
  std::string cause = err != 0 ? std::string(" (") + std::strerror(err) + ")" : "";
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    cause += "; this process may write no file past " + std::to_string(limit.rlim_cur) + " bytes (ulimit -f)";
  return cause;
}
}  // namespace

Status Db::Failure(int rc, std::string_view what) const {
  std::string m = std::string(what) + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
  // SQLite's message for a failed read or write is generic; say what may have caused it.
  if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL) m += IoCause(db_ ? sqlite3_system_errno(db_) : 0);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Io("the ledger is busy: another program holds a write transaction on it (gave up after " +
                          std::to_string(kBusyTimeoutMs / 1000) + " s): " + m);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      damage_seen_.store(true, std::memory_order_relaxed);
      return Status::Corrupt("the ledger is damaged (" + m + "); docs/operations.md, \"A damaged ledger\", says what to do");
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Status::Io(m);
    case SQLITE_CONSTRAINT:
      return Status::Internal("the ledger refused a duplicate: " + m);
    case SQLITE_NOMEM:
      // What a damaged page does when it claims a record or page number larger than memory.
      damage_seen_.store(true, std::memory_order_relaxed);
      return Status::Corrupt("SQLite ran out of memory reading the ledger, which a damaged ledger causes (if "
                             "`otpbatch check` finds it whole, the machine was short of memory): " + m);
    case SQLITE_INTERRUPT:
      return Status::Stopped("the run was asked to stop: " + m);
    default:
      return Status::Internal(m);
  }
}

namespace {
// `path` as an SQLite URI naming a file read in place, without locks or files beside it.
std::string ImmutableUri(const std::string& path) {
  std::string uri = "file:";
  for (unsigned char c : path) {
    if (std::isalnum(c) || std::strchr("/._-~", c)) {
      uri += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      uri += hex;
    }
  }
  return uri + "?immutable=1";
}

int OpenFlags(OpenMode mode) {
  // NOMUTEX: a connection is used by one thread at a time (the night's second threads read
  // files and write the workbook, never the ledger), so SQLite's per-call mutex is pure cost.
  const int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
  switch (mode) {
    case OpenMode::kCreate:
    case OpenMode::kExisting: return flags | SQLITE_OPEN_READWRITE;
    case OpenMode::kReadOnly: return flags | SQLITE_OPEN_READONLY;
    case OpenMode::kImmutable: return flags | SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
  }
  return flags;
}
}  // namespace

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, OpenMode mode) {
  // Once, before SQLite's first use in the process: no memory statistics. otpbatch reads none,
  // and keeping them takes a global mutex around every allocation SQLite makes. Had anything
  // in the process used SQLite before, SQLite refuses the setting and keeps counting: slower,
  // not wrong.
  static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)memstatus_off;
  if (mode == OpenMode::kCreate) {
    // Created here first so that it is born 0600 (the ledger holds PHI).
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return Status::Io("cannot open the ledger " + path + ": " + std::strerror(errno));
    ::close(fd);
  }
  sqlite3* db = nullptr;
  const std::string name = mode == OpenMode::kImmutable ? ImmutableUri(path) : path;
  const int rc = sqlite3_open_v2(name.c_str(), &db, OpenFlags(mode), nullptr);
  if (rc != SQLITE_OK) {
    std::string m = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status::Io("cannot open the ledger " + path + ": " + m);
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return std::unique_ptr<Db>(new Db(db));
}

void Db::Interrupt() {
  interrupted_.store(true, std::memory_order_relaxed);
  sqlite3_interrupt(db_);
}

Db::~Db() { sqlite3_close(db_); }

Status Db::Close() {
  const int rc = sqlite3_close(db_);
  if (rc != SQLITE_OK) return Failure(rc, "ledger: cannot close");
  db_ = nullptr;
  return Status::Ok();
}

Status Db::Exec(std::string_view sql) {
  char* err = nullptr;
  const std::string s(sql);
  if (int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
    const std::string m = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return Failure(rc, "ledger: " + m);
  }
  return Status::Ok();
}

int64_t Db::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Db::Changes() const { return sqlite3_changes(db_); }
bool Db::ReadOnly() const { return sqlite3_db_readonly(db_, "main") == 1; }
bool Db::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

Stmt::Stmt(Db& db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v3(db.raw(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &st_, nullptr);
  if (rc != SQLITE_OK) error_ = db.Failure(rc, "ledger: cannot prepare a statement");
}
Stmt::~Stmt() { sqlite3_finalize(st_); }

Stmt& Stmt::Bind(int i, int64_t v) {
  if (st_) sqlite3_bind_int64(st_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, double v) {
  if (st_) sqlite3_bind_double(st_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, std::string_view v) {
  if (st_) sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::Bind(int i, Date d) { return Bind(i, d.Iso()); }
Stmt& Stmt::Bind(int i, const std::optional<Date>& d) { return d ? Bind(i, *d) : BindNull(i); }
Stmt& Stmt::BindNull(int i) {
  if (st_) sqlite3_bind_null(st_, i);
  return *this;
}
Stmt& Stmt::BindBlob(int i, std::string_view bytes) {
  if (!st_) return *this;
  // A null pointer would bind NULL: an empty BLOB is bound as one of no bytes.
  if (bytes.empty())
    sqlite3_bind_zeroblob(st_, i, 0);
  else
    sqlite3_bind_blob(st_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

bool Stmt::Step() {
  if (!error_.ok() || !st_) return false;
  // sqlite3_interrupt stops only what runs at that moment: a statement begun later fails here.
  if (db_.interrupted()) {
    error_ = Status::Stopped("the run was asked to stop");
    return false;
  }
  const int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) error_ = db_.Failure(rc, "ledger");
  return false;
}

Status Stmt::Done() {
  Status s = std::move(error_);
  error_ = Status::Ok();
  if (!st_ && s.ok()) s = Status::Internal("ledger: a statement was not prepared");
  Reset();
  return s;
}

Status Stmt::Run() {
  while (Step()) {
  }
  return Done();
}

Result<std::vector<std::string>> Stmt::Texts(int col) {
  std::vector<std::string> texts;
  while (Step()) texts.push_back(Text(col));
  OTP_TRY(Done());
  return texts;
}

void Stmt::Reset() {
  if (!st_) return;
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
}

void Stmt::Fail(Status s) {
  if (s.code() == StatusCode::kCorrupt) db_.NoteDamage();
  if (error_.ok()) error_ = std::move(s);
}

int64_t Stmt::Int(int c) const { return sqlite3_column_int64(st_, c); }
double Stmt::Real(int c) const { return sqlite3_column_double(st_, c); }
std::string_view Stmt::View(int c) const {
  auto p = sqlite3_column_text(st_, c);
  return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(st_, c)))
           : std::string_view();
}
std::string_view Stmt::BlobView(int c) const {
  auto p = sqlite3_column_blob(st_, c);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(st_, c)))
           : std::string_view();
}
std::string Stmt::Text(int c) const { return std::string(View(c)); }
bool Stmt::IsNull(int c) const { return sqlite3_column_type(st_, c) == SQLITE_NULL; }

Date Stmt::DateAt(int c) {
  if (std::optional<Date> d = ParseStoredDate(View(c))) return *d;
  // The value itself is not named: the column may be a birth date.
  Fail(Status::Corrupt(std::string("the ledger holds a value that is not a date in the column ") +
                       sqlite3_column_name(st_, c)));
  return Date();
}

std::optional<Date> Stmt::OptDateAt(int c) {
  if (IsNull(c)) return std::nullopt;
  return DateAt(c);
}

}  // namespace otp::sql
