// SQLite connection and statement wrappers.
#include "ledger/sqlite_db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>

namespace otp::sql {
namespace {
constexpr int kBusyTimeoutMs = 5000;

// SQLITE_BUSY after the busy timeout: another program (not an otpbatch run: those are kept
// out by LedgerLock) holds a write transaction on the ledger file.
std::string Explain(int rc, const std::string& message) {
  if ((rc & 0xff) == SQLITE_BUSY)
    return "ledger: the ledger is busy: another program holds a write transaction on it (gave up after " +
           std::to_string(kBusyTimeoutMs / 1000) + " s): " + message;
  return "ledger: " + message;
}
}  // namespace

Result<Db*> Db::Open(const std::string& path) {
  // Once, before SQLite's first use in the process: no memory statistics. otpbatch reads none,
  // and keeping them takes a global mutex around every allocation SQLite makes (this build of
  // SQLite has no lookaside memory: every small allocation goes to malloc) — 6% of the
  // instructions of a 100k-row first night, 0.2-0.4 s of a chain's billing night. Had anything in
  // the process used SQLite before, SQLite refuses the setting (SQLITE_MISUSE) and keeps
  // counting: slower, not wrong.
  static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)memstatus_off;
  // Create the file ourselves first so it is born 0600 (the ledger holds PHI).
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io("cannot open ledger " + path);
  ::close(fd);
  ::chmod(path.c_str(), 0600);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string m = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::Io("cannot open ledger " + path + ": " + m);
  }
  // NOMUTEX: a connection is used by one thread at a time (the night's second threads read
  // files and write the workbook, never the ledger), so SQLite's per-call mutex is pure cost
  // (7% of a 1M-row night in perf).
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return new Db(db);
}

Db::~Db() { sqlite3_close(db_); }

void Db::Exec(std::string_view sql) {
  char* err = nullptr;
  std::string s(sql);
  if (int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
    std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    throw Error(Explain(rc, m));
  }
}

int64_t Db::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Db::Changes() const { return sqlite3_changes(db_); }
std::string Db::ErrorMessage() const { return sqlite3_errmsg(db_); }

Stmt::Stmt(Db& db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v3(db.raw(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st_,
                         nullptr) != SQLITE_OK)
    throw Error("ledger: cannot prepare statement: " + db.ErrorMessage());
}
Stmt::~Stmt() { sqlite3_finalize(st_); }

Stmt& Stmt::Bind(int i, int64_t v) { sqlite3_bind_int64(st_, i, v); return *this; }
Stmt& Stmt::Bind(int i, double v) { sqlite3_bind_double(st_, i, v); return *this; }
Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindNull(int i) { sqlite3_bind_null(st_, i); return *this; }
Stmt& Stmt::BindBlob(int i, std::string_view bytes) {
  // A null pointer would bind NULL: an empty BLOB is bound as one of no bytes.
  if (bytes.empty())
    sqlite3_bind_zeroblob(st_, i, 0);
  else
    sqlite3_bind_blob(st_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

bool Stmt::Step() {
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string m = db_.ErrorMessage();
  sqlite3_reset(st_);
  throw Error(Explain(rc, m));
}
void Stmt::Run() {
  while (Step()) {
  }
  Reset();
}
void Stmt::Reset() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
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
std::string Stmt::Text(int c) const {
  auto p = sqlite3_column_text(st_, c);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(st_, c)) : std::string();
}
bool Stmt::IsNull(int c) const { return sqlite3_column_type(st_, c) == SQLITE_NULL; }

}  // namespace otp::sql
