// A thin RAII layer over the SQLite C API: a connection and prepared statements with typed
// binds. Every query in otpbatch goes through Stmt, so values are always bound, never pasted
// into SQL text.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

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
  Stmt& BindNull(int i);
  // Bytes as a BLOB (never converted, may hold any byte).
  Stmt& BindBlob(int i, std::string_view bytes);

  bool Step();   // true: a row is ready; false: done. Throws sql::Error on failure.
  void Run();    // Step to completion, then Reset
  void Reset();

  int64_t Int(int col) const;
  double Real(int col) const;
  std::string Text(int col) const;
  // The text of a column without a copy: valid until the next Step, Reset or column call.
  std::string_view View(int col) const;
  // The bytes of a BLOB column without a copy, valid as View's.
  std::string_view BlobView(int col) const;
  bool IsNull(int col) const;

 private:
  Db& db_;
  sqlite3_stmt* st_ = nullptr;
};

// SQLite failures inside the ledger are bugs or environment faults (disk full, I/O): they
// surface as this exception, caught once by the run and mapped to exit 1 after a rollback.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Db {
 public:
  static Result<Db*> Open(const std::string& path);  // caller owns; creates with mode 0600
  ~Db();
  void Exec(std::string_view sql);
  int64_t LastInsertId() const;
  int Changes() const;
  sqlite3* raw() const { return db_; }
  std::string ErrorMessage() const;

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace otp::sql
