// A ledger in a scratch folder holding the claims the hand-made responses in fixtures/x12
// answer (fixtures/x12/README.md): interchange 12 (GS06 12, BHT03 000000012) with C000000012
// (Jane, 1EG4TE5MK73) and C000000013 (Richard, 2EG4TE5MK74); interchange 13 with C000000021,
// C000000022 and C000000030 (Jane). Each claim is one G2067 line of 300.00 on 2026-01-05.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "input/x12_test_util.h"
#include "ledger/ledger.h"
#include "remit/accounts.h"
#include "remit/posting.h"
#include "rules/code_words.h"
#include "rules/rulebook.h"
#include "scratch_dir.h"
#include "status_helpers.h"

namespace otp::testing {

class RemitTest : public ::testing::Test {
 protected:
  RemitTest()
      : dir_("remit"),
        rules_(Val(RuleBook::Load(std::string(OTP_SOURCE_DIR) + "/codes"))),
        words_(Val(CodeWords::Load(std::string(OTP_SOURCE_DIR) + "/codes"))) {}

  void SetUp() override {
    ledger_ = Val(Ledger::Create((dir_.path() / "l.db").string()));
    Ok(ledger_->Begin());
    Ok(ledger_->KeepResponses());
    const int64_t run = Val(ledger_->StartRun(D("2026-01-12"), 1768200000, false, "test"));
    AddPatient("P1", "1EG4TE5MK73", run);
    AddPatient("P2", "2EG4TE5MK74", run);
    AddClaim("C000000012", "P1", 12, run);
    AddClaim("C000000013", "P2", 12, run);
    for (const char* id : {"C000000021", "C000000022", "C000000030"}) AddClaim(id, "P1", 13, run);
    Ok(ledger_->AddInterchange({12, "HRC01", "/out/HRC01-000000012.837", "", 12, "000000012", "0001"}, run));
    Ok(ledger_->AddInterchange({13, "HRC01", "/out/HRC01-000000013.837", "", 13, "000000013", "0001"}, run));
    Ok(ledger_->FinishRun(run, 1768200000, "completed", "{}"));
    Ok(ledger_->Commit());
    run_ = Val(ledger_->RecordIngest(D("2026-01-25"), 1769300000, "ingest test"));
  }

  // Posts one file in its own transaction, as `ingest` does.
  FileOutcome Post(const std::string& name, const std::string& bytes) {
    Ok(ledger_->Begin());
    Result<FileOutcome> out = PostFile(*ledger_, name, bytes, {rules_, words_, run_, D("2026-01-25")});
    if (!out.ok()) {
      ledger_->Rollback();
      Ok(out.status());
    }
    Ok(ledger_->Commit());
    return std::move(out).value();
  }
  FileOutcome PostFixture(const std::string& name) { return Post(name, Fixture("x12/" + name)); }

  ClaimAccount Account(const std::string& id) {
    for (ClaimAccount& a : Val(ClaimAccounts(*ledger_, D("2026-01-01"), D("2026-12-31"))))
      if (a.claim_id == id) return a;
    throw std::runtime_error("no claim " + id);
  }
  std::vector<WorkItem> OpenItems(const std::string& kind) {
    std::vector<WorkItem> out;
    for (WorkItem& w : Val(ledger_->Items(ItemState::kOpen)))
      if (w.kind == kind) out.push_back(std::move(w));
    return out;
  }
  size_t EventCount() { return Val(ledger_->AllEvents()).size(); }

  ScratchDir dir_;
  RuleBook rules_;
  CodeWords words_;
  std::unique_ptr<Ledger> ledger_;
  int64_t run_ = 0;

 private:
  void AddPatient(const char* id, const char* mbi, int64_t run) {
    Patient p;
    p.facility_id = "HRC01";
    p.patient_id = id;
    p.mbi = mbi;
    p.diagnosis = "F1120";
    p.birth_date = D("1970-01-01");
    p.admission_date = D("2025-01-01");
    Ok(ledger_->UpsertPatient(p, run));
  }
  void AddClaim(const char* id, const char* patient, int64_t interchange, int64_t run) {
    ClaimLine l;
    l.code = "G2067";
    l.dos = D("2026-01-05");
    l.unit_price = l.charge = Money::Cents(30000);
    l.rule_id = "BU-2";
    l.source_record_ids = {std::string("R-") + id};
    l.episode_start = D("2026-01-05");
    Claim c{id, "HRC01", patient, "F1120", {l}};
    Ok(ledger_->AddClaim(c, run, interchange, nullptr));
  }
};

inline double Cents(Money m) { return static_cast<double>(m.cents()); }

}  // namespace otp::testing
