// The report a workbook lays out. From the ledger for a period (`otpbatch report`): counts that
// add up from the rows dated in it, held rows that match "Held by reason", no invented as-of
// date, the facilities the ledger knows without a facility file, claims with their whole total
// and file, the open work aged to the period's end, and each finding's open or closed state.
// And the lines priced from unverified rates, counted for the Summary.
#include "report/report_builder.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "ledger/ledger.h"
#include "output/summary.h"
#include "rules/code_words.h"
#include "rules/rulebook.h"
#include "scratch_dir.h"
#include "status_helpers.h"
#include "work/queue.h"

namespace otp {
namespace {

const RuleBook& Rules() {
  static const RuleBook rules = Val(RuleBook::Load(std::string(OTP_SOURCE_DIR) + "/codes"));
  return rules;
}
const CodeWords& Words() {
  static const CodeWords words = Val(CodeWords::Load(std::string(OTP_SOURCE_DIR) + "/codes"));
  return words;
}

Patient APatient(const std::string& fid, const std::string& pid) {
  Patient p;
  p.facility_id = fid;
  p.patient_id = pid;
  p.last_name = "Doe";
  p.birth_date = D("1960-02-03");
  p.admission_date = D("2026-08-01");
  p.diagnosis = "F1120";
  p.source = SourceRef{"patients.csv", 2};
  return p;
}

ServiceRecord Row(const std::string& id, const char* date) {
  ServiceRecord r;
  r.facility_id = "F1";
  r.patient_id = "P1";
  r.record_id = id;
  r.service_date = D(date);
  r.quantity = 60;
  r.content_hash = "h" + id;
  return r;
}

ClaimLine Line(const char* dos, const std::string& record, int64_t cents) {
  ClaimLine l;
  l.code = "G2067";
  l.dos = D(dos);
  l.unit_price = l.charge = Money::Cents(cents);
  l.rule_id = "BU-2";
  l.rate_ref = "CY2026 G2067: … [rate unverified]";
  l.source_record_ids = {record};
  l.episode_start = l.dos;
  return l;
}

Hold NoOudWeek() {
  Hold h{"F1", "P1", D("2026-10-12"), "no-oud-diagnosis", "diagnosis on file F1020 is not an opioid use disorder code (F11.*)",
         "G2067", {"R4", "R5"}};
  h.amount = Money::Cents(28754);
  h.week = D("2026-10-12");
  return h;
}

Finding AFinding(const std::string& key, const std::string& rule, const std::string& patient, const char* date) {
  Finding f;
  f.key = key;
  f.rule_id = rule;
  f.citation = "42 CFR 8.12";
  f.severity = Severity::kViolation;
  f.facility_id = "F1";
  f.patient_id = patient;
  f.date = D(date);
  f.detail = "a finding";
  return f;
}

// A ledger of two facilities. In October 2026: F1's rows R1-R3 billed, R4-R5 kept open for a
// hold reason, R6 waiting for its episode, R7 waiting for a take-home's weeks, R8 not billable,
// R9 held; a run as of 2026-10-20 that rejected 2 rows. Outside it: R10 (September) and a run
// as of 2026-12-01 that rejected 5. Claim C1 has a line in October and one in November.
class LedgerReport : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = Val(Ledger::Create((dir_.path() / "t.db").string()));
    Ok(ledger_->Begin());
    const int64_t run = Val(ledger_->StartRun(D("2026-10-20"), 0, false, ""));
    Ok(ledger_->UpsertPatient(APatient("F1", "P1"), run));
    Ok(ledger_->UpsertPatient(APatient("F2", "P2"), run));
    const char* dated[] = {"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-12", "2026-10-13",
                           "2026-10-25", "2026-10-26", "2026-10-27", "2026-10-28", "2026-09-15"};
    for (int i = 0; i < 10; ++i) Val(ledger_->OfferRow(Row("R" + std::to_string(i + 1), dated[i]), run));
    for (const char* r : {"R1", "R2", "R3", "R10"}) Ok(ledger_->SetOutcome("F1", r, "billed", "", run));
    for (const char* r : {"R4", "R5"}) Ok(ledger_->SetOutcome("F1", r, "open", "no-oud-diagnosis", run));
    Ok(ledger_->SetOutcome("F1", "R7", "open", "takehome-awaiting-weeks", run));
    Ok(ledger_->SetOutcome("F1", "R8", "not-billable", "payer", run));
    Ok(ledger_->SetOutcome("F1", "R9", "held", "late-record", run));
    Claim c{"C1", "F1", "P1", "F1120", {Line("2026-10-05", "R1", 29941), Line("2026-11-02", "R2", 10000)}};
    Ok(ledger_->AddClaim(c, run, 7, nullptr));
    Ok(ledger_->AddInterchange({7, "F1", "/srv/otp/out/2026-11-03/F1-000000007.837", "", 7, "000000007", "0001"}, run));
    Ok(ledger_->AddHold(NoOudWeek(), run));
    for (const Finding& f : {AFinding("k-pa1", "PA-1", "P1", "2026-10-10"), AFinding("k-pg1", "PG-1", "", "2026-10-15")})
      Val(ledger_->AddFinding(f, run));
    Ok(ledger_->FinishRun(run, 0, "completed", R"({"services": {"rejected": 2}})"));
    const int64_t later = Val(ledger_->StartRun(D("2026-12-01"), 0, false, ""));
    Ok(ledger_->FinishRun(later, 0, "completed", R"({"services": {"rejected": 5}})"));
    Ok(ledger_->Commit());
  }
  // Raises the item of `w` on `opened`; its id.
  int64_t Raise(const WorkItem& w, const char* opened) {
    Ok(ledger_->Begin());
    Val(ledger_->RaiseItem(w, 1, D(opened)));
    Ok(ledger_->Commit());
    for (const WorkItem& item : Val(ledger_->Items(std::nullopt)))
      if (item.cause == w.cause) return item.id;
    throw std::runtime_error("not raised: " + w.cause);
  }
  ReportData October(const Config* config = nullptr) {
    return Val(BuildLedgerReport(*ledger_, config, D("2026-10-01"), D("2026-10-31"), Rules(), Words()));
  }

  ScratchDir dir_{"otp-report"};
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(LedgerReport, CountsOfAPeriodAreItsRowsOutcomesAndTheyAddUp) {
  const ReportData r = October();
  const RunCounts& c = r.counts;
  EXPECT_EQ(c.accepted, 9) << "R1-R9: the rows dated in October";
  EXPECT_EQ(c.billed, 3);
  EXPECT_EQ(c.held, 3) << "R4, R5 kept open for a hold reason, R9 held";
  EXPECT_EQ(c.open, 2) << "R6 and R7 wait";
  EXPECT_EQ(c.not_billable, 1);
  EXPECT_EQ(c.already_processed, 0);
  EXPECT_EQ(c.rejected, 2) << "rejected by the run as of 2026-10-20, not by the one of 2026-12-01";
  EXPECT_EQ(c.service_rows_read, 11);
  EXPECT_TRUE(CountsAddUp(c));
  EXPECT_EQ(c.held_by_reason, (std::map<std::string, int64_t>{{"late-record", 1}, {"no-oud-diagnosis", 2}}));
  EXPECT_EQ(c.not_billable_by_reason, (std::map<std::string, int64_t>{{"payer", 1}}));
}

TEST_F(LedgerReport, HeldRowsMatchHeldByReasonAndSayWhatFixesThemAndTheirItem) {
  const int64_t item = Raise(ItemOfHold(NoOudWeek(), Rules()), "2026-10-20");
  const ReportData r = October();
  ASSERT_EQ(r.held.size(), 1u);
  const HeldRow& h = r.held[0];
  EXPECT_EQ(h.code, "G2067");
  EXPECT_NE(h.detail.find("F1020"), std::string::npos) << "the diagnosis on file";
  EXPECT_EQ(h.amount_at_stake, Money::Cents(28754));
  EXPECT_EQ(h.next_step, Rules().FindReason("hold", "no-oud-diagnosis")->next_step);
  EXPECT_EQ(h.item_id, ItemId(item));
  EXPECT_TRUE(r.counts.held_by_reason.count(h.reason)) << "every held row's reason is in Held by reason";
}

TEST_F(LedgerReport, IsAPeriodWithoutAnAsOfDateNamingTheLedgersFacilitiesWithoutConfig) {
  ReportData r = October();
  EXPECT_TRUE(r.period_report);
  EXPECT_EQ(r.facilities, (std::vector<std::string>{"F1", "F2"}));
  EXPECT_EQ(r.from, D("2026-10-01"));
  EXPECT_EQ(r.to, D("2026-10-31"));
  Config config;
  Facility f1;
  f1.id = "F1";
  f1.name = "HARBOR RECOVERY CENTER";
  config.facilities = {f1};
  r = October(&config);
  EXPECT_EQ(r.facilities, (std::vector<std::string>{"F1 HARBOR RECOVERY CENTER", "F2"}))
      << "named where the facility file names them, by id where only the ledger knows them";
}

TEST_F(LedgerReport, ClaimsShowThePeriodsLinesWithTheirClaimsWholeTotalAndFile) {
  const ReportData r = October();
  EXPECT_EQ(r.counts.lines, 1);
  EXPECT_EQ(r.counts.total_charges, Money::Cents(29941));
  EXPECT_EQ(r.unverified_lines, 1);
  EXPECT_EQ(r.unverified_charges, Money::Cents(29941));
  int rows = 0;
  Ok(r.claims->ForEach([&](const ClaimRow& row) {
    ++rows;
    EXPECT_EQ(row.claim_total, Money::Cents(39941)) << "the claim as sent, both lines";
    EXPECT_EQ(row.claim->file, "F1-000000007.837");
  }));
  EXPECT_EQ(rows, 1);
}

TEST_F(LedgerReport, WorkIsTheOpenItemsOpenedByThePeriodsEndAgedToIt) {
  const int64_t hold = Raise(ItemOfHold(NoOudWeek(), Rules()), "2026-10-20");
  const int64_t pa1 = Raise(ItemOfFinding(AFinding("k-pa1", "PA-1", "P1", "2026-10-10"), Rules()), "2026-10-11");
  Raise(ItemOfFinding(AFinding("k-pg1", "PG-1", "", "2026-10-15"), Rules()), "2026-10-16");
  Raise(ItemOfFinding(AFinding("k-later", "PA-2", "P1", "2026-11-10"), Rules()), "2026-11-12");
  Ok(ledger_->Begin());
  ASSERT_TRUE(Val(ledger_->CloseItem(pa1, "ANA RIVERA", "exam done late", "2026-10-30T10:00:00", D("2026-10-30"))));
  Ok(ledger_->Commit());
  const ReportData r = October();
  ASSERT_EQ(r.work.size(), 2u) << "not the closed item, not the one opened after October";
  EXPECT_EQ(r.work[0].id, ItemId(hold));
  EXPECT_EQ(r.work[0].kind, "hold");
  EXPECT_EQ(r.work[0].age_days, 11) << "2026-10-20 to 2026-10-31";
  EXPECT_EQ(r.work[0].amount_at_stake, Money::Cents(28754));
  EXPECT_FALSE(r.work[0].next_step.empty());
  EXPECT_EQ(r.work[1].kind, "finding");
  EXPECT_EQ(r.work[1].age_days, 15);
  const FindingState& closed = r.finding_states.at("k-pa1");
  EXPECT_FALSE(closed.open);
  EXPECT_EQ(closed.closed_by, "ANA RIVERA");
  EXPECT_EQ(closed.note, "exam done late");
  EXPECT_EQ(closed.closed_on, D("2026-10-30"));
  EXPECT_TRUE(r.finding_states.at("k-pg1").open);
}

TEST_F(LedgerReport, FacilityFindingsComeFirstAndReferenceKnowsTheRuleBook) {
  const ReportData r = October();
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].rule_id, "PG-1") << "a lapsed credential holds every claim: it leads";
  bool g2067 = false, pa1 = false, reason = false;
  for (const ReferenceRow& x : r.reference) {
    g2067 |= x.id == "G2067" && !x.words.empty();
    pa1 |= x.id == "PA-1" && !x.source.empty() && !x.next_step.empty();
    reason |= x.id == "no-oud-diagnosis" && x.kind == "hold reason";
  }
  EXPECT_TRUE(g2067 && pa1 && reason);
}

TEST(RunReport, CL5_CountsTheLinesPricedFromUnverifiedRates) {
  ReportData r;
  Claim c{"C1", "F1", "P1", "F1120", {Line("2026-10-05", "R1", 29941), Line("2026-10-06", "R2", 10000)}};
  c.lines[1].rate_ref = "CY2026 G2067: … [verified]";
  SetClaims(r, {c});
  Ok(FillClaimCounts(r));
  EXPECT_EQ(r.unverified_lines, 1);
  EXPECT_EQ(r.unverified_charges, Money::Cents(29941));
  EXPECT_EQ(r.counts.total_charges, Money::Cents(39941));
}

}  // namespace
}  // namespace otp
