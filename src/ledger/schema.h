// The ledger's tables and indexes (docs/ledger.md describes each), its identity (application_id,
// user_version, meta) and the check that a file is an otpbatch ledger of this schema. Private to
// src/ledger.
#pragma once

#include "ledger/sqlite_db.h"
#include "model/status.h"

namespace otp::ledger_schema {

// The schema this otpbatch reads and writes. Migrations begin with the first release.
inline constexpr int kVersion = 1;
// PRAGMA application_id of every otpbatch ledger ("OTPB"), at byte 68 of the file's header: read
// before SQLite opens a file, it tells a ledger from another program's database.
inline constexpr int kApplicationId = 0x4F545042;
// The page size of a new ledger's file: a night reads and writes a few rows of many pages
// scattered over the file; larger pages make the B-trees shallower and the reads fewer.
inline constexpr int kPageSize = 16384;

// The indexes a bulk load drops and builds again, sorted, once its rows are in (Ledger::
// BeginNight). Kept apart from the tables so that the load can build each one in one pass.
inline constexpr const char* kRecordIndex =
    "CREATE UNIQUE INDEX IF NOT EXISTS service_rows_record ON service_rows (facility_id, record_id)";
// Decided rows by (facility, date, patient): a night's decisions all fall in the last weeks, so
// they land at the end of each facility's entries. Every query of it must say `status <> 'open'`
// (SQLite uses a partial index only for a WHERE that has its terms).
inline constexpr const char* kDatedIndex =
    "CREATE INDEX IF NOT EXISTS service_rows_dated ON service_rows (facility_id, service_date, patient_id, service) "
    "WHERE status <> 'open'";
inline constexpr const char* kOpenIndex =
    "CREATE INDEX IF NOT EXISTS service_rows_open ON service_rows (status, facility_id, service_date) "
    "WHERE status = 'open'";
inline constexpr const char* kOnceIndex =
    "CREATE UNIQUE INDEX IF NOT EXISTS line_sources_once ON line_sources (facility_id, record_id, code)";
inline constexpr const char* kDropRowIndexes =
    "DROP INDEX IF EXISTS service_rows_record; DROP INDEX IF EXISTS service_rows_dated; "
    "DROP INDEX IF EXISTS service_rows_open; DROP INDEX IF EXISTS line_sources_once;";

// The columns of service_rows that make a ServiceRecord, in the order RowFrom reads them.
inline constexpr const char* kRowCols =
    "facility_id, record_id, patient_id, service_date, service, quantity, modality, practitioner_npi, flags, "
    "content_hash, source_file, source_line";

// Makes the schema in a new, empty database: page size, WAL, tables, indexes, meta (the version
// and a new random ledger id), application_id and user_version, in one transaction.
Status Create(sql::Db& db);
// The ledger id of an otpbatch ledger of kVersion; anything else is kCorrupt saying why. Reads only.
Result<std::string> Identify(sql::Db& db);
// Makes the tables of what came back after the 837Ps in a ledger made before them; in a write
// transaction. KeepsResponses: whether the ledger has them (a reader of an older ledger finds
// no response recorded).
Status KeepResponses(sql::Db& db);
Result<bool> KeepsResponses(sql::Db& db);
// The connection's pragmas; a reader's change nothing in the file.
Status SetPragmas(sql::Db& db, bool writer);

}  // namespace otp::ledger_schema
