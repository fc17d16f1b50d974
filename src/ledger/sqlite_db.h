// A thin RAII layer over the SQLite C API: a connection and prepared statements with typed
// binds. Every query in otpbatch goes through Stmt, so values are always bound, never pasted
// into SQL text. Nothing here throws: a failure is a Status. A statement that could not be
// prepared, bound or stepped holds its failure; Step() then answers false and Done() or Run()
// hands the failure over, like an iterator's status.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/date.h"
#include "model/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace otp::sql {

class Db;

class Stmt {
 public:
  Stmt(Db& db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, double v);
  Stmt& Bind(int i, std::string_view v);
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, Date d);
  Stmt& Bind(int i, const std::optional<Date>& d);  // NULL when empty
  Stmt& BindNull(int i);
  // Bytes as a BLOB (never converted, may hold any byte).
  Stmt& BindBlob(int i, std::string_view bytes);

  // True: a row is ready. False: done, or failed (then Done() returns the failure).
  bool Step();
  // The failure that ended the rows, if any; resets the statement for its next use.
  Status Done();
  // Steps to completion and resets: for statements that return no rows.
  Status Run();
  // Steps to completion and resets: the text of column `col` of every row (a check PRAGMA's
  // report, a list of names).
  Result<std::vector<std::string>> Texts(int col = 0);
  void Reset();

  int64_t Int(int col) const;
  double Real(int col) const;
  std::string Text(int col) const;
  // The text of a column without a copy: valid until the next Step, Reset or column call.
  std::string_view View(int col) const;
  // The bytes of a BLOB column without a copy, valid as View's.
  std::string_view BlobView(int col) const;
  bool IsNull(int col) const;
  // A stored date. Text that is not a date is a damaged ledger: the statement fails (the
  // next Step answers false, Done() says which column) and Date() is returned.
  Date DateAt(int col);
  std::optional<Date> OptDateAt(int col);  // NULL → nullopt
  // Records that a stored value could not be read back (the caller's own decoding).
  void Fail(Status s);
  // The failure the statement holds (one that kept it from being prepared, say), if any.
  const Status& status() const { return error_; }

 private:
  Db& db_;
  sqlite3_stmt* st_ = nullptr;
  Status error_;
};

// No mode follows a symbolic link at the path: a link is refused.
enum class OpenMode {
  kCreate,     // create the file (mode 0600) when it is missing
  kExisting,   // the file must exist
  kReadOnly,   // the file must exist; never written (SQLite may add its -wal and -shm files)
  kImmutable,  // the file must exist; read as it lies on disk, with no lock and no file beside it
               // (for looking at a file that may be another program's database)
};

class Db {
 public:
  static Result<std::unique_ptr<Db>> Open(const std::string& path, OpenMode mode);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  Status Exec(std::string_view sql);
  int64_t LastInsertId() const;
  int Changes() const;
  bool ReadOnly() const;  // the file is open read-only (asked for, or all the OS allows)
  bool InTransaction() const;  // a transaction is open (closing now would roll it back)
  // Whether any call on this connection met damage: SQLite reported a damaged file, or a stored
  // value did not read back (Stmt::Fail with kCorrupt).
  bool damage_seen() const { return damage_seen_.load(std::memory_order_relaxed); }
  void NoteDamage() { damage_seen_.store(true, std::memory_order_relaxed); }
  // Closes the connection (the last one to a WAL file folds the WAL into it and removes it);
  // fails, leaving it open, while a statement of it is alive. Every later call is a bug.
  Status Close();
  sqlite3* raw() const { return db_; }
  // The failure of the last call on this connection, as a Status of the right code (busy,
  // corrupt, full disk, …) with `what` in front.
  Status Failure(int rc, std::string_view what) const;
  // Stops the statement running now and fails every later step (kStopped). Safe from another
  // thread while the connection is open.
  void Interrupt();
  bool interrupted() const { return interrupted_.load(std::memory_order_relaxed); }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::atomic<bool> interrupted_{false};
  mutable std::atomic<bool> damage_seen_{false};  // set by Failure, which is const
};

}  // namespace otp::sql
