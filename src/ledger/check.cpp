// The full check of a ledger (`otpbatch check`): SQLite's integrity check, then the store's
// own promises read from the tables themselves rather than through their indexes.
#include <utility>

#include "ledger/ledger.h"
#include "ledger/sqlite_db.h"

namespace otp {
namespace {

// Each promise the store keeps, as a query counting the rows that break it.
struct Promise {
  const char* broken;  // what a non-zero count means
  const char* count;
};

constexpr Promise kPromises[] = {
    {"source rows that feed one code on more than one claim line (billed twice)",
     "SELECT count(*) FROM (SELECT 1 FROM line_sources NOT INDEXED GROUP BY facility_id, record_id, code "
     "HAVING count(*) > 1)"},
    {"service rows recorded twice", "SELECT count(*) FROM (SELECT 1 FROM service_rows NOT INDEXED "
                                    "GROUP BY facility_id, record_id HAVING count(*) > 1)"},
    {"claim lines of no claim", "SELECT count(*) FROM claim_lines l WHERE NOT EXISTS "
                                "(SELECT 1 FROM claims c WHERE c.claim_id = l.claim_id)"},
    {"claim lines with no source row (other than a rejected claim's, billed again on a new claim)",
     "SELECT count(*) FROM claim_lines l WHERE NOT EXISTS "
     "(SELECT 1 FROM line_sources s WHERE s.claim_id = l.claim_id AND s.line_no = l.line_no) "
     "AND NOT EXISTS (SELECT 1 FROM resubmissions r WHERE r.claim_id = l.claim_id AND r.new_claim_id <> '')"},
    {"claims billed again on more than one new claim, or on one that does not exist",
     "SELECT count(*) FROM resubmissions r WHERE r.new_claim_id <> '' AND NOT EXISTS "
     "(SELECT 1 FROM claims c WHERE c.claim_id = r.new_claim_id)"},
    {"claims whose total is not the sum of their lines",
     "SELECT count(*) FROM claims c WHERE total_cents <> "
     "(SELECT coalesce(sum(charge_cents), 0) FROM claim_lines l WHERE l.claim_id = c.claim_id)"},
    {"claims of an interchange the ledger does not hold",
     "SELECT count(*) FROM claims c WHERE NOT EXISTS (SELECT 1 FROM interchanges x WHERE x.control = c.interchange)"},
    {"interchange control numbers beyond the counter (the next run would use one again)",
     "SELECT count(*) FROM interchanges WHERE control > "
     "coalesce((SELECT value FROM counters WHERE name = 'interchange'), 0)"},
    {"service rows decided by a run the ledger does not hold",
     "SELECT count(*) FROM service_rows r WHERE status <> 'open' AND NOT EXISTS "
     "(SELECT 1 FROM runs u WHERE u.run_id = r.decided_run)"},
};

// The one number a count(*) query answers.
Result<int64_t> CountOf(sql::Db& db, const std::string& query) {
  sql::Stmt q(db, query);
  const int64_t n = q.Step() ? q.Int(0) : 0;
  OTP_TRY(q.Done());
  return n;
}

Status IntegrityCheck(sql::Db& db, std::vector<std::string>& problems) {
  OTP_ASSIGN_OR_RETURN(const std::vector<std::string> said, sql::Stmt(db, "PRAGMA integrity_check(20)").Texts());
  if (said.size() == 1 && said[0] == "ok") return Status::Ok();
  for (auto& s : said) problems.push_back("SQLite: " + s);
  return Status::Ok();
}

Result<std::vector<std::pair<std::string, int64_t>>> TableCounts(sql::Db& db) {
  OTP_ASSIGN_OR_RETURN(
      const std::vector<std::string> tables,
      sql::Stmt(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
          .Texts());
  std::vector<std::pair<std::string, int64_t>> counts;
  for (const auto& name : tables) {
    // A table's name cannot be bound; these come from the file's own schema, quoted.
    std::string quoted = "\"";
    for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    OTP_ASSIGN_OR_RETURN(const int64_t rows, CountOf(db, "SELECT count(*) FROM " + quoted + "\""));
    counts.emplace_back(name, rows);
  }
  return counts;
}

}  // namespace

Result<LedgerCheck> Ledger::Check() {
  LedgerCheck out;
  // A ledger made before the tables of responses is checked as if they were empty.
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  if (!has) OTP_TRY(db_->Exec("CREATE TEMP TABLE resubmissions (claim_id TEXT, new_claim_id TEXT)"));
  OTP_TRY(IntegrityCheck(*db_, out.problems));
  for (const Promise& p : kPromises) {
    OTP_ASSIGN_OR_RETURN(const int64_t n, CountOf(*db_, p.count));
    if (n != 0) out.problems.push_back(std::to_string(n) + " " + p.broken);
  }
  OTP_ASSIGN_OR_RETURN(out.counts, TableCounts(*db_));
  return out;
}

}  // namespace otp
