// Making and opening a ledger: what lies at the path, whose it is, and whether it is whole.
// A mistyped path, an empty file, another program's database and a damaged ledger are all
// refused before anything is written, so that no run ever starts a second ledger that bills
// everything again.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/schema.h"
#include "ledger/sqlite_db.h"
#include "ledger/stamp.h"

namespace otp {
namespace {

// What a file's header says it is.
enum class Header {
  kOurs,      // application_id is otpbatch's
  kUnmarked,  // application_id 0: a ledger made before it was set, or another program's database
};

constexpr size_t kHeaderSize = 100;
constexpr char kMagic[16] = "SQLite format 3";  // with its NUL: the first 16 bytes of every SQLite file

// What to do about a path that holds no ledger.
std::string Missing(const std::string& path) {
  return " (is the path mistyped? `otpbatch init --db " + path + "` makes a new ledger)";
}
std::string NotALedger() {
  return " (if it was your ledger, restore it from a backup: docs/operations.md, \"A damaged ledger\")";
}

Status Unusable(const std::string& path, int err) {
  return Status::InvalidArgument("cannot read the ledger " + path + ": " + std::strerror(err));
}

// SQLite's own files beside the ledger: never opened through a link (SQLite would refuse it,
// with a message that names none of them).
Status CheckCompanions(const std::string& path) {
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    struct stat st {};
    const std::string companion = path + suffix;
    if (::lstat(companion.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
      return Status::InvalidArgument(companion + " is not a plain file (a link?); SQLite keeps the ledger's journal "
                                     "there: remove it when no run is active");
  }
  return Status::Ok();
}

// What lies at `path`: a regular, non-empty file whose header is SQLite's; decided from lstat(2)
// and the first 100 bytes, before SQLite opens anything.
Result<Header> LookAt(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound("there is no ledger at " + path + Missing(path));
    return Unusable(path, errno);
  }
  if (S_ISLNK(st.st_mode))
    return Status::InvalidArgument("the ledger " + path + " is a symbolic link: name the ledger by its own path");
  if (!S_ISREG(st.st_mode)) return Status::InvalidArgument(path + " is not a file, so it is no ledger");
  OTP_TRY(CheckCompanions(path));
  if (st.st_size == 0) return Status::Corrupt("the ledger " + path + " is empty (0 bytes), so it is no ledger" + NotALedger());
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return Unusable(path, errno);
  unsigned char h[kHeaderSize];
  const ssize_t n = ::pread(fd, h, sizeof h, 0);
  ::close(fd);
  if (n < static_cast<ssize_t>(sizeof kMagic) || std::memcmp(h, kMagic, sizeof kMagic) != 0)
    return Status::Corrupt(path + " is not an otpbatch ledger (not an SQLite database)" + NotALedger());
  if (n != static_cast<ssize_t>(kHeaderSize)) return Status::Corrupt("the ledger " + path + " is damaged: its header is cut short");
  const uint32_t app = uint32_t{h[68]} << 24 | uint32_t{h[69]} << 16 | uint32_t{h[70]} << 8 | uint32_t{h[71]};
  if (app == static_cast<uint32_t>(ledger_schema::kApplicationId)) return Header::kOurs;
  if (app == 0) return Header::kUnmarked;
  char id[16];
  std::snprintf(id, sizeof id, "0x%08X", app);
  return Status::Corrupt(path + " is another program's SQLite database (application_id " + id +
                         "), not an otpbatch ledger" + NotALedger());
}

// A file without otpbatch's application_id is read in place, with no lock and no file made
// beside it: it is a ledger made before application_id was set (used as it is, never
// stamped: opening writes nothing), or it is refused.
Status ProbeUnmarked(const std::string& path) {
  OTP_ASSIGN_OR_RETURN(std::unique_ptr<sql::Db> db, sql::Db::Open(path, sql::OpenMode::kImmutable));
  return ledger_schema::Identify(*db).status();
}

std::string FolderOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

// A writer needs the file and its folder (SQLite makes its -wal and -shm files there).
Status CheckWritable(const std::string& path) {
  if (::access(path.c_str(), W_OK) != 0 || ::access(FolderOf(path).c_str(), W_OK) != 0)
    return Status::InvalidArgument("the ledger " + path + " (or its folder) is read-only for this user, and this command writes it");
  return Status::Ok();
}

// Whether a reader must read the file in place (SQLite's immutable mode): it cannot make the
// files SQLite reads a WAL ledger through (a read-only folder or disk), and no run is writing:
// a run keeps its -wal file beside the ledger while it runs.
bool ReadInPlace(const std::string& path) {
  if (::access(FolderOf(path).c_str(), W_OK) == 0) return false;
  struct stat st {};
  return ::lstat((path + "-wal").c_str(), &st) != 0 || st.st_size == 0;
}

// SQLite's structural check: every page, cell and free-list entry (not index against table:
// that is Check's, weekly). Its report names pages and indexes, never a stored value.
Status QuickCheck(sql::Db& db, const std::string& path) {
  OTP_ASSIGN_OR_RETURN(const std::vector<std::string> lines, sql::Stmt(db, "PRAGMA quick_check(5)").Texts());
  std::string said;
  for (const std::string& line : lines) said += (said.empty() ? "" : "; ") + line;
  if (said == "ok") return Status::Ok();
  return Status::Corrupt("the ledger " + path + " failed SQLite's integrity check (" + said +
                         "); nothing was written. docs/operations.md, \"A damaged ledger\", says what to do");
}

// Whether a writer's file is whole: exactly as the last writer's clean close left it (its stamp
// says so), or PRAGMA quick_check finds it so. A stamp is never believed in part: any doubt
// about it is a full check.
Result<OpenCheck> CheckWhole(sql::Db& db, const std::string& path, const std::string& id,
                             const ledger_stamp::Look& found) {
  if (ledger_stamp::Vouches(path, id, found)) return OpenCheck::kStamp;
  OTP_TRY(QuickCheck(db, path));
  return OpenCheck::kQuickCheck;
}

// A failure reading a file whose header is SQLite's: every query made on the way in is fixed
// and right, so whatever fails but I/O, a busy file or a stop comes from the file: damage.
Status AsDamage(const std::string& path, const Status& s) {
  if (s.code() == StatusCode::kCorrupt) return s.Prefixed(path);
  if (s.code() != StatusCode::kInternal) return s;
  return Status::Corrupt("the ledger " + path + " is damaged (" + s.message() +
                         "); docs/operations.md, \"A damaged ledger\", says what to do");
}

// `path + suffix`, created 0600 and empty, its name unpredictable; never follows a link.
Result<std::string> MakeTempBeside(const std::string& path, const char* suffix) {
  std::string name = path + suffix + "XXXXXX";
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOSPC || err == EDQUOT) return Status::Io("cannot make the ledger " + path + ": " + std::strerror(err));
    return Status::InvalidArgument("cannot make the ledger " + path + ": " + std::strerror(err));
  }
  ::close(fd);
  return name;
}

Status SyncFolderOf(const std::string& path) {
  const int fd = ::open(FolderOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::Io("cannot open the folder of " + path + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::Io("cannot sync the folder of " + path + ": " + std::strerror(errno));
}

// The schema, made in the file at `temp` (closed again, so its WAL is folded into it).
Status BuildIn(const std::string& temp) {
  OTP_ASSIGN_OR_RETURN(std::unique_ptr<sql::Db> db, sql::Db::Open(temp, sql::OpenMode::kExisting));
  return ledger_schema::Create(*db);
}

// Links `temp` at `path` (link(2) never replaces a file) and removes the temporary name.
Status LinkInPlace(const std::string& temp, const std::string& path) {
  const int rc = ::link(temp.c_str(), path.c_str());
  const int err = errno;
  ::unlink(temp.c_str());
  if (rc != 0 && err == EEXIST) return Status::InvalidArgument("there is already a file at " + path);
  if (rc != 0) return Status::Io("cannot make the ledger " + path + ": " + std::strerror(err));
  return SyncFolderOf(path);
}

}  // namespace

Result<std::unique_ptr<Ledger>> Ledger::Create(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0)
    return Status::InvalidArgument("there is already a file at " + path +
                                   ": init makes a new ledger only where there is nothing");
  OTP_ASSIGN_OR_RETURN(const std::string temp, MakeTempBeside(path, ".init-"));
  if (Status s = BuildIn(temp); !s.ok()) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((temp + suffix).c_str());
    return s.Prefixed("cannot make the ledger " + path);
  }
  OTP_TRY(LinkInPlace(temp, path));
  return Open(path, LedgerAccess::kWrite);
}

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& path, LedgerAccess access) {
  OTP_ASSIGN_OR_RETURN(const Header header, LookAt(path));
  // A writer looks at the file before SQLite opens it: SQLite makes a -wal beside a WAL ledger.
  const ledger_stamp::Look found =
      access == LedgerAccess::kWrite ? ledger_stamp::LookAt(path) : ledger_stamp::Look{};
  auto opened = OpenFile(path, header == Header::kUnmarked, access, found);
  if (!opened.ok()) return AsDamage(path, opened.status());
  return opened;
}

Result<std::unique_ptr<Ledger>> Ledger::OpenFile(const std::string& path, bool unmarked, LedgerAccess access,
                                                 const ledger_stamp::Look& found) {
  const bool writer = access == LedgerAccess::kWrite;
  if (unmarked) OTP_TRY(ProbeUnmarked(path));
  if (writer) OTP_TRY(CheckWritable(path));
  const sql::OpenMode mode = writer ? sql::OpenMode::kExisting
                                    : ReadInPlace(path) ? sql::OpenMode::kImmutable : sql::OpenMode::kReadOnly;
  OTP_ASSIGN_OR_RETURN(std::unique_ptr<sql::Db> db, sql::Db::Open(path, mode));
  OTP_TRY(ledger_schema::SetPragmas(*db, false));
  OTP_ASSIGN_OR_RETURN(std::string id, ledger_schema::Identify(*db));
  OpenCheck check = OpenCheck::kNone;
  if (writer) {
    // SQLite opens a file it may not write read-only: a run would fail at its first write.
    if (db->ReadOnly())
      return Status::InvalidArgument("the ledger " + path + " can only be read here, and this command writes it");
    OTP_ASSIGN_OR_RETURN(check, CheckWhole(*db, path, id, found));
    OTP_TRY(ledger_schema::SetPragmas(*db, true));
  }
  std::unique_ptr<Ledger> l(new Ledger(std::move(db)));
  l->id_ = std::move(id);
  l->path_ = path;
  l->writer_ = writer;
  l->opened_by_ = check;
  OTP_TRY(l->PrepareStatements());
  return l;
}

bool Ledger::CloseAndStamp(std::unique_ptr<Ledger> ledger, FileSystem& fs) {
  if (!ledger) return false;
  // Only a writer that ends settled vouches for what it leaves: an open transaction would be
  // rolled back by the close, and a call that met damage or a stop ended the command's work.
  const sql::Db& db = *ledger->db_;
  const bool settled = ledger->writer_ && !db.InTransaction() && !db.interrupted() && !db.damage_seen();
  const std::string path = ledger->path_, id = ledger->id_;
  // The close folds the WAL into the file and removes it: the file as the next writer finds it.
  const bool closed = ledger->Close().ok();
  ledger.reset();
  return settled && closed && ledger_stamp::Record(fs, path, id);
}

void Ledger::Interrupt() { db_->Interrupt(); }

}  // namespace otp
