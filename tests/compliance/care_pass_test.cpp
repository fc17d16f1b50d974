// The care checks' incremental read (ReadCareRows) and what CareNight keeps per patient. A
// patient judged before on the same basis is not read whole again: its kept facts are moved by
// its open rows and by the decided rows dated since the judgement, and only the days whose
// verdict may change are read whole. The decided rows come from an in-memory CareRowSource
// that records every read, so the tests say which rows were read, not only what came back.
#include "compliance/care_pass.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "compliance/helpers.h"

namespace otp {
namespace {

using testing::D;

// One facility's rows in memory, rowids 1, 2, … in the order added. The open ones are what the
// pass hands ReadCareRows; the decided ones are read through CareRowSource, as the ledger
// gives them: a day's refs in index order (service name, rowid), rows by rowid.
class FakeRows : public CareRowSource {
 public:
  int64_t Add(const std::string& id, const char* date, Service s, bool open = false, const std::string& pid = "P1") {
    StoredRow& r = rows_.emplace_back();
    r.record.facility_id = "F1";
    r.record.patient_id = pid;
    r.record.record_id = id;
    r.record.service_date = D(date);
    r.record.service = s;
    r.record.practitioner_npi = "npi-" + id;
    r.rowid = static_cast<int64_t>(rows_.size());
    r.open = open;
    return r.rowid;
  }
  void Decide(int64_t rowid) { rows_.at(static_cast<size_t>(rowid - 1)).open = false; }
  // A patient's rows, whole, by (date, rowid): only the open ones (what the pass holds), or all.
  std::vector<StoredRow> Of(const std::string& pid, bool open_only = true) const {
    std::vector<StoredRow> out;
    for (const auto& r : rows_)
      if (r.record.patient_id == pid && (r.open || !open_only)) out.push_back(r);
    std::stable_sort(out.begin(), out.end(), [](const StoredRow& a, const StoredRow& b) {
      return a.record.service_date < b.record.service_date;
    });
    return out;
  }

  Status DecidedOnDay(const std::string& fid, const std::string& pid, Date day, std::vector<RowRef>& out) override {
    if (fail == "day") return Failure();
    days_asked.insert(pid + "@" + day.Iso());
    std::vector<const StoredRow*> found;
    for (const auto& r : rows_)
      if (!r.open && r.record.facility_id == fid && r.record.patient_id == pid && r.record.service_date == day)
        found.push_back(&r);
    std::sort(found.begin(), found.end(), [](const StoredRow* a, const StoredRow* b) {
      return std::make_tuple(ServiceName(a->record.service), a->rowid) <
             std::make_tuple(ServiceName(b->record.service), b->rowid);
    });
    for (const StoredRow* r : found) out.push_back({r->record.service, r->rowid});
    return Status::Ok();
  }
  Status RowsById(const std::vector<int64_t>& rowids, std::vector<StoredRow>& out) override {
    if (fail == "rows") return Failure();
    for (int64_t id : rowids) {
      rowids_asked.push_back(id);
      if (id >= 1 && id <= static_cast<int64_t>(rows_.size())) out.push_back(rows_[static_cast<size_t>(id - 1)]);
    }
    return Status::Ok();
  }
  Result<std::vector<Date>> DecidedDays(const std::string& fid) override {
    if (fail == "days") return Failure();
    ++days_listed;
    std::set<Date> days;
    for (const auto& r : rows_)
      if (!r.open && r.record.facility_id == fid) days.insert(r.record.service_date);
    return std::vector<Date>(days.begin(), days.end());
  }

  // What was read since the last Forget: "P1@2026-09-01" per day asked, rowids in order asked.
  std::set<std::string> days_asked;
  std::vector<int64_t> rowids_asked;
  int days_listed = 0;
  std::string fail;  // the read that fails: "day" (DecidedOnDay), "rows" (RowsById), "days" (DecidedDays)
  static Status Failure() { return Status::Corrupt("the ledger holds a row it cannot read back"); }
  void Forget() {
    days_asked.clear();
    rowids_asked.clear();
    days_listed = 0;
  }

 private:
  std::vector<StoredRow> rows_;  // by rowid
};

// A patient of F1 in tonight's care, admitted 2026-09-01, through 09-30, PA-6 applying; judged
// before through `judged_through` on the same basis (read selectively), or else read whole.
CarePatient Care(const char* pid, const char* judged_through = nullptr) {
  CarePatient c;
  c.facility_id = "F1";
  c.patient_id = pid;
  c.from = D("2026-09-01");
  c.to = D("2026-09-30");
  c.first_dose_day = true;
  c.whole = judged_through == nullptr;
  if (judged_through) c.judged_through = D(judged_through);
  return c;
}

// The rows handed over: record id ("*" open), or for a partial row (from the kept facts, no
// record) "#rowid~service@date".
std::string Described(const std::vector<StoredRow>& rows, std::optional<Date> up_to = std::nullopt) {
  std::string s;
  for (const auto& r : rows) {
    if (up_to && r.record.service_date > *up_to) continue;
    if (r.partial)
      s += "#" + std::to_string(r.rowid) + "~" + std::string(ServiceName(r.record.service)) + "@" +
           r.record.service_date.Iso() + ",";
    else
      s += r.record.record_id + (r.open ? "*" : "") + ",";
  }
  return s;
}

// ReadCareRows over the patient's open rows from `source`: the rows handed over and the read.
struct Read {
  std::vector<StoredRow> rows;
  CareRead read;
};
Read ReadOf(const CarePatient& cp, FakeRows& source) {
  Read r{source.Of(cp.patient_id), {}};
  auto got = ReadCareRows(cp, r.rows, source);
  if (!got.ok()) throw std::runtime_error(got.status().message());
  r.read = got.value();
  return r;
}

std::string Rowids(const std::vector<int64_t>& ids) {
  std::string s;
  for (int64_t id : ids) s += std::to_string(id) + ",";
  return s;
}

// ---- ReadCareRows

// A patient judged before on the same basis is handed its open rows, its kept check rows and
// last counseling row (partial: the checks read their dates only), and whole only the days
// whose verdict may change: the first methadone day (PA-6, not judged on tonight's terms), the
// day of an open take-home row and of one decided since the judgement (PA-5). No other decided
// row is read, and no row of another patient. Rowids 1..21 in the order added.
TEST(ReadCareRowsTest, ReadsOnlyTheOpenRowsAndTheRowsTheChecksNeed) {
  FakeRows rows;
  auto add = [&](const char* pid, const char* id, const char* date, Service s, bool open = false) {
    rows.Add(id, date, s, open, pid);
  };
  add("P1", "R1", "2026-09-01", Service::kMethadoneDose);             // first methadone day
  add("P1", "R2", "2026-09-02", Service::kMethadoneDose);             // decided: not read
  add("P1", "R3", "2026-09-03", Service::kMethadoneDose, true);       // open
  add("P1", "R4", "2026-09-02", Service::kToxicologyTest);            // kept check row
  add("P1", "R5", "2026-09-03", Service::kCarePlan);                  // kept check row
  add("P2", "R6", "2026-09-01", Service::kMethadoneDose);             // another patient
  add("P1", "R7", "2026-09-01", Service::kPeerSupport);               // on the first methadone day
  add("P1", "R8", "2026-09-04", Service::kCounselingIndividual, true);  // a care row left open: whole
  add("P1", "R9", "2026-09-05", Service::kCounselingGroup);           // the last counseling (PA-8)
  add("P1", "R10", "2026-09-06", Service::kMethadoneTakehome);        // a take-home day judged before
  add("P1", "R11", "2026-09-07", Service::kMethadoneTakehome, true);  // open: its day is judged
  add("P1", "R12", "2026-09-07", Service::kMethadoneDose);            // ... with every row of it
  add("P1", "R13", "2026-09-20", Service::kMethadoneTakehome);        // after the last judgement
  add("P1", "R14", "2026-09-07", Service::kPhysicalExam);  // a kept check row on a day read whole: whole
  // P6: its first methadone day has an open row (before a decided one): that day is read whole;
  // its last counseling row is open (after a decided one): the decided one is not handed over.
  add("P6", "R15", "2026-09-02", Service::kMethadoneDose, true);
  add("P6", "R16", "2026-09-02", Service::kPeerSupport);
  add("P6", "R17", "2026-09-03", Service::kMethadoneDose);
  add("P6", "R18", "2026-09-04", Service::kCounselingIndividual);
  add("P6", "R19", "2026-09-08", Service::kCounselingGroup, true);
  add("P2", "R20", "2026-09-02", Service::kMethadoneDose);
  add("P2", "R21", "2026-09-03", Service::kMethadoneDose);

  // Judged through 09-10, the facts kept then: P1's first dose R1, last counseling R9, the
  // check rows R4, R5, R14; P6's first dose R15 and last counseling R19.
  CarePatient p1 = Care("P1", "2026-09-10");
  p1.facts.first_dose = D("2026-09-01");
  p1.facts.Add(D("2026-09-05"), Service::kCounselingGroup, 9);
  p1.facts.Add(D("2026-09-02"), Service::kToxicologyTest, 4);
  p1.facts.Add(D("2026-09-03"), Service::kCarePlan, 5);
  p1.facts.Add(D("2026-09-07"), Service::kPhysicalExam, 14);
  CarePatient p6 = Care("P6", "2026-09-10");
  p6.facts.first_dose = D("2026-09-02");
  p6.facts.Add(D("2026-09-08"), Service::kCounselingGroup, 19);

  // Of a day read whole only the rows not held whole are fetched (R12, R14: not R11, open), and
  // R14 replaces its partial copy.
  Read r1 = ReadOf(p1, rows);
  EXPECT_EQ(Described(r1.rows),
            "R1,R7,#4~toxicology_test@2026-09-02,R3*,#5~care_plan@2026-09-03,R8*,"
            "#9~counseling_group@2026-09-05,R11*,R12,R14,R13,");
  EXPECT_EQ(Rowids(rows.rowids_asked), "1,7,12,14,13,");  // not R2, R10, nor the kept R4, R5, R9
  std::set<std::string> before_judgement;  // the days asked for up to the judgement
  for (const auto& d : rows.days_asked)
    if (d.substr(0, 3) != "P1@") ADD_FAILURE() << "read another patient's day " << d;
    else if (d < "P1@2026-09-11") before_judgement.insert(d);
  EXPECT_EQ(before_judgement, (std::set<std::string>{"P1@2026-09-01", "P1@2026-09-07"}));
  EXPECT_EQ(rows.days_asked.size(), 22u);  // and each day since: 09-11 .. 09-30
  EXPECT_EQ(rows.days_listed, 0);          // never the facility's every day
  EXPECT_FALSE(r1.read.facts_changed);
  EXPECT_TRUE(r1.read.first_day_judged);
  EXPECT_FALSE(r1.read.first_day_stands);  // not judged on tonight's terms

  rows.Forget();
  EXPECT_EQ(Described(ReadOf(p6, rows).rows), "R15*,R16,R19*,");
  EXPECT_EQ(Rowids(rows.rowids_asked), "16,");

  // A patient with nothing kept and no rows: nothing handed over, nothing read but the days since.
  rows.Forget();
  EXPECT_EQ(Described(ReadOf(Care("P3", "2026-09-10"), rows).rows), "");
  EXPECT_TRUE(rows.rowids_asked.empty());

  // The check rows come from the kept facts, not from the rows: a kept one the source does not
  // hold is handed over, one it holds but the facts leave out is not.
  CarePatient other = p1;
  other.facts.checks.clear();
  other.facts.Add(D("2026-09-04"), Service::kToxicologyTest, 99);
  other.facts.Add(D("2026-09-07"), Service::kPhysicalExam, 14);
  EXPECT_EQ(Described(ReadOf(other, rows).rows),
            "R1,R7,R3*,R8*,#99~toxicology_test@2026-09-04,#9~counseling_group@2026-09-05,R11*,R12,R14,R13,");

  // No state on record (or a changed basis): every row of the patient, read day by day, and
  // the facts those rows give.
  rows.Forget();
  const Read whole = ReadOf(Care("P1"), rows);
  EXPECT_EQ(Described(whole.rows), "R1,R7,R2,R4,R3*,R5,R8*,R9,R10,R11*,R12,R14,R13,");
  EXPECT_EQ(rows.days_listed, 1);
  std::set<int64_t> p1_rowids;
  for (const auto& r : rows.Of("P1", false)) p1_rowids.insert(r.rowid);
  for (int64_t id : rows.rowids_asked) EXPECT_EQ(p1_rowids.count(id), 1u) << "read row " << id << " of another patient";
  EXPECT_EQ(whole.read.facts, CareReadOfWhole(Care("P1"), rows.Of("P1", false)).facts);
  EXPECT_EQ(whole.read.facts.checks.size(), 3u);
}

// PA-6, PA-8: the kept facts of a patient judged on the same basis are moved by its open rows
// and by its decided rows dated after the judgement, within [from, to]; read whole, they are
// counted from every row. Either way the same.
TEST(ReadCareRowsTest, PA6_PA8_CareFactsMovedByOpenRowsAndRowsDecidedSinceTheJudgement) {
  FakeRows rows;
  rows.Add("R1", "2026-09-02", Service::kMethadoneDose);         // the first dose in [from, to]
  rows.Add("R2", "2026-09-03", Service::kCounselingIndividual);  // the last counseling at the judgement
  rows.Add("R3", "2026-09-12", Service::kCounselingGroup);       // decided after it
  rows.Add("R4", "2026-09-12", Service::kCounselingIndividual, true);  // open, same day: after "group"
  rows.Add("R5", "2026-08-25", Service::kMethadoneDose);         // before the admission
  rows.Add("R6", "2026-10-05", Service::kCounselingGroup);       // after `to`
  rows.Add("R7", "2026-09-04", Service::kMethadoneDose);
  rows.Add("R8", "2026-09-05", Service::kMethadoneDose);
  CarePatient p1 = Care("P1", "2026-09-10");
  p1.facts.first_dose = D("2026-09-02");
  p1.facts.Add(D("2026-09-03"), Service::kCounselingIndividual, 2);
  p1.first_day_judged = true;
  // The facts read, and the counseling rows handed over.
  auto facts_of = [&](const CarePatient& p) {
    const Read r = ReadOf(p, rows);
    std::string handed;
    for (const auto& x : r.rows)
      if (IsCounseling(x.record.service)) handed += (x.partial ? "#" + std::to_string(x.rowid) : x.record.record_id) + ",";
    return std::make_pair(r.read.facts, handed);
  };
  CareFacts expected;
  expected.first_dose = D("2026-09-02");
  expected.Add(D("2026-09-12"), Service::kCounselingIndividual, 4);
  const auto [moved, handed] = facts_of(p1);
  EXPECT_EQ(moved, expected);
  EXPECT_EQ(handed, "R4,");  // the last counseling is open: its whole copy, not a partial one
  EXPECT_EQ(facts_of(Care("P1")).first, expected);  // read whole: the same
  // R4 decided too: the last counseling handed over partial, from the facts.
  rows.Decide(4);
  EXPECT_EQ(facts_of(p1).second, "#4,");
  // Judged after 09-12: nothing newer; the kept facts are handed back as they were.
  p1.judged_through = D("2026-09-29");
  p1.facts = expected;
  EXPECT_EQ(facts_of(p1).first, expected);
  EXPECT_FALSE(ReadOf(p1, rows).read.facts_changed);
  // A counseling row decided on `to` itself, the day after the judgement: the last.
  rows.Add("R9", "2026-09-30", Service::kCounselingGroup);
  CareFacts last = expected;
  last.Add(D("2026-09-30"), Service::kCounselingGroup, 9);
  ASSERT_EQ(*last.counseling_date, D("2026-09-30"));
  EXPECT_EQ(facts_of(p1), std::make_pair(last, std::string("#9,")));
  EXPECT_TRUE(ReadOf(p1, rows).read.facts_changed);
}

// PA-1..PA-4: the kept check rows of a patient judged on the same basis are moved by its open
// rows (tonight's, a late one dated before the judgement too) and by its decided rows dated
// after the judgement, within [from, to], and handed over partial unless held whole; read
// whole, the same facts.
TEST(ReadCareRowsTest, PA1_PA4_ChecksRowsKeptMovedByOpenRowsAndRowsDecidedSinceTheJudgement) {
  FakeRows rows;
  rows.Add("C1", "2026-09-02", Service::kToxicologyTest);        // kept at the judgement
  rows.Add("C2", "2026-09-03", Service::kCarePlan);              // kept at the judgement
  rows.Add("C3", "2026-08-25", Service::kToxicologyTest);        // before the admission
  rows.Add("C4", "2026-09-05", Service::kToxicologyTest, true);  // kept, open then and now
  rows.Add("C5", "2026-09-12", Service::kToxicologyTest);        // decided after the judgement
  rows.Add("C6", "2026-09-14", Service::kPhysicalExam, true);    // tonight's, open
  rows.Add("C7", "2026-10-05", Service::kCarePlan);              // after `to`
  rows.Add("C8", "2026-09-08", Service::kToxicologyTest, true);  // tonight's, late: before the judgement
  rows.Add("C9", "2026-09-01", Service::kMethadoneDose);         // not a check row (the first dose day)
  for (int i = 0; i < 8; ++i)  // another patient's rows: never read
    rows.Add("D" + std::to_string(i), "2026-09-02", Service::kToxicologyTest, false, "P2");
  CarePatient p1 = Care("P1", "2026-09-10");
  p1.facts.first_dose = D("2026-09-01");
  p1.facts.Add(D("2026-09-02"), Service::kToxicologyTest, 1);
  p1.facts.Add(D("2026-09-03"), Service::kCarePlan, 2);
  p1.facts.Add(D("2026-09-05"), Service::kToxicologyTest, 4);
  auto read = [&](const CarePatient& p) {
    const Read r = ReadOf(p, rows);
    std::string handed;
    for (const auto& x : r.rows)
      if (x.record.service != Service::kMethadoneDose)
        handed += (x.partial ? "#" + std::to_string(x.rowid) : x.record.record_id + (x.open ? "*" : "")) + ",";
    return std::make_pair(r.read.facts, handed);
  };
  CareFacts expected = p1.facts;
  expected.Add(D("2026-09-08"), Service::kToxicologyTest, 8);
  expected.Add(D("2026-09-12"), Service::kToxicologyTest, 5);
  expected.Add(D("2026-09-14"), Service::kPhysicalExam, 6);
  const auto [moved, handed] = read(p1);
  EXPECT_EQ(moved, expected);
  EXPECT_EQ(moved.checks.size(), 6u);
  EXPECT_EQ(handed, "#1,#2,C4*,C8*,#5,C6*,");
  EXPECT_EQ(Rowids(rows.rowids_asked), "9,");  // the first dose day only (not judged on tonight's terms)
  EXPECT_EQ(read(Care("P1")).first, expected);  // read whole: the same facts
}

// A decided check row on the first methadone day is both kept (partial) and read with that
// day's rows (whole): the whole copy is the one handed over, once.
TEST(ReadCareRowsTest, FirstDoseDayKeepsTheWholeCopyOfACareRow) {
  FakeRows rows;
  rows.Add("R1", "2026-09-01", Service::kMethadoneDose);
  rows.Add("R2", "2026-09-01", Service::kToxicologyTest);  // same day as the first dose, decided
  rows.Add("R3", "2026-09-08", Service::kMethadoneDose, true);
  CarePatient p1 = Care("P1", "2026-09-30");  // judged before on the same basis
  p1.facts.first_dose = D("2026-09-01");      // kept at that judgement, with R2
  p1.facts.Add(D("2026-09-01"), Service::kToxicologyTest, 2);
  std::vector<std::string> got;
  for (const auto& r : ReadOf(p1, rows).rows)
    got.push_back(r.partial ? "partial#" + std::to_string(r.rowid) : r.record.record_id + "/" + r.record.practitioner_npi);
  EXPECT_EQ(got, (std::vector<std::string>{"R1/npi-R1", "R2/npi-R2", "R3/npi-R3"}));
}

// PA-6: a patient judged before on tonight's terms (`first_day_judged`) is not handed its first
// methadone_dose day again while that day is the kept one and no open row lies on it; without
// those terms, with an open row on the day (a dose or not), or with an earlier dose, the day is
// read whole.
TEST(ReadCareRowsTest, PA6_FirstDayReadAgainOnlyWhenItsVerdictMayChange) {
  FakeRows rows;
  // R1, R2: two doses on the first day (09-02), decided; R3 open on 09-08; decided doses after
  // (rowids 4..13).
  rows.Add("R1", "2026-09-02", Service::kMethadoneDose);
  rows.Add("R2", "2026-09-02", Service::kMethadoneDose);
  rows.Add("R3", "2026-09-08", Service::kMethadoneDose, true);
  for (int d = 10; d < 20; ++d)
    rows.Add("D" + std::to_string(d), ("2026-09-" + std::to_string(d)).c_str(), Service::kMethadoneDose);
  CarePatient p1 = Care("P1", "2026-09-29");
  p1.facts.first_dose = D("2026-09-02");
  // The rows handed over dated up to 09-08 ("*": open, "#rowid": partial), where PA-6 stands,
  // and the first dose day of the facts read.
  auto visit = [&](const CarePatient& p) {
    const Read r = ReadOf(p, rows);
    std::string s;
    for (const auto& x : r.rows)
      if (x.record.service_date <= D("2026-09-08"))
        s += (x.partial ? "#" + std::to_string(x.rowid) : x.record.record_id) + (x.open ? "*" : "") + ",";
    s += r.read.first_day_stands ? " stands " : r.read.first_day_judged ? " judged " : " not judged ";
    return s + (r.read.facts.first_dose ? r.read.facts.first_dose->Iso() : "-");
  };
  EXPECT_EQ(visit(p1), "R1,R2,R3*, judged 2026-09-02");  // not judged on tonight's terms
  p1.first_day_judged = true;
  rows.Forget();
  EXPECT_EQ(visit(p1), "R3*, stands 2026-09-02");
  EXPECT_TRUE(rows.rowids_asked.empty());  // no day read whole
  EXPECT_EQ(rows.days_asked, std::set<std::string>{"P1@2026-09-30"});  // only the day since
  // A late dose for the first day, open: the day is read whole again.
  const int64_t r4 = rows.Add("R4", "2026-09-02", Service::kMethadoneDose, true);  // rowid 14
  EXPECT_EQ(visit(p1), "R1,R2,R4*,R3*, judged 2026-09-02");
  // Judged with it (decided since): the verdict stands again.
  rows.Decide(r4);
  EXPECT_EQ(visit(p1), "R3*, stands 2026-09-02");
  // Any open row on the first day (dose_justified may be on any row): read whole again.
  const int64_t c1 = rows.Add("C1", "2026-09-02", Service::kCounselingIndividual, true);  // 15
  EXPECT_EQ(visit(p1), "R1,R2,R4,C1*,R3*, judged 2026-09-02");
  rows.Decide(c1);
  p1.facts.Add(D("2026-09-02"), Service::kCounselingIndividual, c1);  // judged with it
  EXPECT_EQ(visit(p1), "#15,R3*, stands 2026-09-02");
  // A decided row of 09-01 (counseling, not a dose) is not read while the day is not the first.
  rows.Add("C2", "2026-09-01", Service::kCounselingGroup);  // 16
  EXPECT_EQ(visit(p1), "#15,R3*, stands 2026-09-02");
  // An earlier dose (09-01), open: the first day moved, and every row of it is read.
  rows.Add("R5", "2026-09-01", Service::kMethadoneDose, true);  // 17
  EXPECT_EQ(visit(p1), "C2,R5*,#15,R3*, judged 2026-09-01");
  // PA-6 does not apply to this admission (the records began after it): the day is not read.
  p1.first_dose_day = false;
  EXPECT_EQ(visit(p1), "R5*,#15,R3*, not judged 2026-09-01");
}

// A read the source cannot make is the read's failure, whole or selective: never rows missing
// without a word.
TEST(ReadCareRowsTest, ASourceFailureIsReturned) {
  FakeRows rows;
  rows.Add("R1", "2026-09-02", Service::kMethadoneDose);
  rows.Add("R2", "2026-09-12", Service::kMethadoneTakehome);
  // Each read failing on its own, on each path that makes it: read whole (the facility's days,
  // then each day), the days since the judgement (the first day's verdict stands), the first
  // day alone (judged through `to`, not on tonight's terms).
  CarePatient since = Care("P1", "2026-09-10");
  since.facts.first_dose = D("2026-09-02");
  since.first_day_judged = true;
  CarePatient first_day = since;
  first_day.judged_through = D("2026-09-30");
  first_day.first_day_judged = false;
  const std::vector<std::pair<CarePatient, const char*>> cases = {
      {Care("P1"), "days"}, {Care("P1"), "day"}, {Care("P1"), "rows"},
      {since, "day"},       {first_day, "day"},  {first_day, "rows"}};
  for (const auto& [p, read] : cases) {
    rows.fail = read;
    std::vector<StoredRow> open;
    const auto r = ReadCareRows(p, open, rows);
    EXPECT_EQ(r.status().code(), StatusCode::kCorrupt) << read << (p.whole ? " whole" : " selective");
  }
}

// ---- CareNight: the state kept per patient

// The care basis on record is each patient's own: a patient whose state was judged on the same
// basis at an earlier as-of is read selectively from its kept facts; one with no state, another
// basis, or a judgement after tonight's as-of (a re-run of an older date) is read whole. The
// state to store is written only when it changed, and forgotten when the patient's facility
// left facility.xml.
TEST(CareNightTest, CareBasisIsKeptPerPatient) {
  using testing::OpenFacility;
  using testing::Pat;
  using testing::Rules;
  Config config;
  config.facilities = {OpenFacility()};  // HRC01
  const std::vector<Patient> patients = {Pat("2026-09-01", Program::kMaintenance, nullptr, "P3"),
                                         Pat("2026-09-01", Program::kMaintenance, nullptr, "P1"),
                                         Pat("2026-09-01", Program::kMaintenance, nullptr, "P2"),
                                         Pat("2026-09-01", Program::kMaintenance, nullptr, "P4"),
                                         Pat("2026-09-01", Program::kMaintenance, nullptr, "P5")};
  const Date as_of = D("2026-09-30");
  const std::string terms = FirstDayTerms(Rules());
  CareFacts facts;
  facts.first_dose = D("2026-09-02");
  facts.Add(D("2026-09-05"), Service::kToxicologyTest, 7);
  auto kept = [&](const char* pid, const std::string& basis, const char* judged) {
    return KeptCare{"HRC01", pid, CareState{basis, D(judged), terms, facts}};
  };
  const std::string basis_p1 = CareBasis(patients[1], Rules());
  const std::map<std::string, std::optional<Date>> since = {{"HRC01", D("2026-01-01")}};
  auto night = [&](const Config& c, std::vector<KeptCare> states) {
    return CareNight(c, patients, std::move(states), as_of, Rules(), since);
  };
  // By (facility, patient). P3 has none (the state next to it, P4's, on the same basis as P3's
  // would be, is not P3's); P9 is not in tonight's file.
  CareNight n = night(config, {kept("P1", basis_p1, "2026-09-10"), kept("P2", "another basis", "2026-09-10"),
                               kept("P4", CareBasis(patients[3], Rules()), "2026-09-10"),
                               kept("P5", CareBasis(patients[4], Rules()), "2026-10-05"),
                               kept("P9", "b", "2026-09-10")});
  ASSERT_EQ(CareBasis(patients[0], Rules()), CareBasis(patients[3], Rules()));
  std::string seen;
  for (const CarePatient& c : n.patients())
    seen += c.patient_id + (c.whole ? " whole" : " kept") + "#" + std::to_string(c.index) + ", ";
  EXPECT_EQ(seen, "P1 kept#1, P2 whole#2, P3 whole#0, P4 kept#3, P5 whole#4, ");
  const CarePatient* p1 = n.Find("HRC01", "P1");
  ASSERT_NE(p1, nullptr);
  EXPECT_EQ(p1->facts, facts);
  EXPECT_EQ(p1->judged_through, D("2026-09-10"));
  EXPECT_TRUE(p1->first_day_judged);  // kept on tonight's terms
  EXPECT_TRUE(p1->first_dose_day);
  EXPECT_EQ(n.Find("HRC01", "P2")->facts, CareFacts{});
  EXPECT_EQ(n.Find("HRC01", "P9"), nullptr);

  // Judged tonight: the state to store is tonight's basis, as-of, terms and facts.
  CareRead read;
  read.facts = facts;
  read.facts.Add(D("2026-09-20"), Service::kCarePlan, 8);
  read.first_day_judged = true;
  const auto change = n.Check(*p1, {}, read);
  ASSERT_TRUE(change.has_value());
  ASSERT_TRUE(change->state.has_value());
  const auto stored = DecodeCareState(*change->state);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored.value(), (CareState{basis_p1, as_of, terms, read.facts}));
  // The others, not visited, each get a state of their own (none had one on tonight's basis).
  std::string unvisited;
  for (const auto& c : n.FinishUnvisited()) unvisited += c.patient_id + (c.state ? " state, " : " forget, ");
  EXPECT_EQ(unvisited, "P3 state, P2 state, P4 state, P5 state, ");

  // Judged before as of tonight, on the same basis, terms and facts: nothing to write again.
  CareNight again = night(config, {kept("P1", basis_p1, "2026-09-30")});
  CareRead same;
  same.facts = facts;
  same.first_day_judged = true;
  same.facts_changed = false;
  EXPECT_FALSE(again.Check(*again.Find("HRC01", "P1"), {}, same).has_value());
  same.first_day_judged = false;  // the first day no longer judged: the terms kept change
  EXPECT_TRUE(again.Check(*again.Find("HRC01", "P1"), {}, same).has_value());

  // The facility left facility.xml: a kept state is forgotten, none is made.
  const Config without;
  CareNight gone = night(without, {kept("P1", basis_p1, "2026-09-10")});
  const auto forget = gone.Check(*gone.Find("HRC01", "P1"), {}, read);
  ASSERT_TRUE(forget.has_value());
  EXPECT_FALSE(forget->state.has_value());
  EXPECT_FALSE(gone.Check(*gone.Find("HRC01", "P3"), {}, read).has_value());
}

}  // namespace
}  // namespace otp
