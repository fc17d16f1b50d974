// Reading claims back for their accounts (the Payments sheet, `claims`): claims without their
// lines, what a night's claims still have outstanding, and the events of many claims at once.
#include "ledger/ledger.h"
#include "ledger/schema.h"
#include "ledger/sqlite_db.h"

namespace otp {
namespace {

constexpr const char* kHeadQuery =
    "SELECT c.claim_id, c.facility_id, c.patient_id, r.as_of, "
    "(SELECT min(l.dos) FROM claim_lines l WHERE l.claim_id = c.claim_id), c.total_cents, x.path "
    "FROM claims c LEFT JOIN runs r ON r.run_id = c.run_id LEFT JOIN interchanges x ON x.control = c.interchange "
    "WHERE c.claim_id = ?1";

// What 835s left outstanding of each claim a night in [?1, ?2] wrote (ClaimBalance): one probe
// of claim_events_balance per claim, the index alone. Without the tables of responses (a ledger
// no command has written to since they came), nothing came back.
constexpr const char* kBalances =
    "SELECT c.claim_id, c.total_cents - coalesce(sum(CASE WHEN e.source = '835' THEN e.charge_cents END), 0), "
    "max(e.date), EXISTS (SELECT 1 FROM resubmissions s WHERE s.claim_id = c.claim_id AND s.new_claim_id <> '') "
    "FROM claims c LEFT JOIN claim_events e ON e.claim_id = c.claim_id "
    "WHERE c.run_id IN (SELECT run_id FROM runs WHERE as_of BETWEEN ?1 AND ?2) GROUP BY c.claim_id ORDER BY c.claim_id";
constexpr const char* kBalancesWithoutResponses =
    "SELECT c.claim_id, c.total_cents, NULL, 0 FROM claims c "
    "WHERE c.run_id IN (SELECT run_id FROM runs WHERE as_of BETWEEN ?1 AND ?2) ORDER BY c.claim_id";

}  // namespace

Result<std::vector<ClaimHead>> Ledger::ClaimHeads(const std::vector<std::string>& claim_ids) {
  sql::Stmt s(*db_, kHeadQuery);
  std::vector<ClaimHead> out;
  out.reserve(claim_ids.size());
  for (const std::string& id : claim_ids) {
    s.Bind(1, id);
    if (s.Step())
      out.push_back({s.Text(0), s.Text(1), s.Text(2), s.DateAt(3), s.OptDateAt(4), Money::Cents(s.Int(5)),
                     s.IsNull(6) ? std::string() : s.Text(6)});
    OTP_TRY(s.Done());
  }
  return out;
}

Result<std::vector<ClaimHead>> Ledger::ClaimHeadsBetween(Date from, Date to) {
  sql::Stmt s(*db_, "SELECT DISTINCT claim_id FROM claim_lines WHERE dos BETWEEN ?1 AND ?2 ORDER BY claim_id");
  s.Bind(1, from).Bind(2, to);
  OTP_ASSIGN_OR_RETURN(const std::vector<std::string> ids, s.Texts());
  return ClaimHeads(ids);
}

Result<std::vector<ClaimBalance>> Ledger::ClaimBalances(Date from, Date to) {
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  sql::Stmt s(*db_, has ? kBalances : kBalancesWithoutResponses);
  s.Bind(1, from).Bind(2, to);
  std::vector<ClaimBalance> out;
  while (s.Step()) out.push_back({s.Text(0), Money::Cents(s.Int(1)), s.OptDateAt(2), s.Int(3) != 0});
  OTP_TRY(s.Done());
  return out;
}

Result<bool> Ledger::HasClaimEvents() {
  OTP_ASSIGN_OR_RETURN(const bool has, HasResponses());
  if (!has) return false;
  sql::Stmt s(*db_, "SELECT 1 FROM claim_events LIMIT 1");
  const bool any = s.Step();
  OTP_TRY(s.Done());
  return any;
}

}  // namespace otp
