// ClaimSpill: what a night spills is what the workbook reads back, line by line, in order, and
// the spill leaves no file behind.
#include "output/claim_spill.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "scratch_dir.h"

namespace otp {
namespace {

Claim MakeClaim(const std::string& id, const std::string& patient, int lines) {
  Claim c;
  c.claim_id = id;
  c.facility_id = "HRC01";
  c.patient_id = patient;
  c.diagnosis = "F1120";
  for (int i = 0; i < lines; ++i) {
    ClaimLine l;
    l.code = i == 0 ? "G2067" : "G2080";
    if (i == 1) l.modifiers = {"95", "93"};
    l.dos = *Date::Parse("2026-09-0" + std::to_string(1 + i));
    l.units = 1 + i;
    l.unit_price = Money::Cents(27729);
    l.charge = Money::Cents(27729 * (1 + i));
    l.rule_id = "BU-2";
    l.rate_ref = "CY2026 G2067 national (verified=no)";
    l.source_record_ids = {"R" + std::to_string(i), "a-record-id-longer-than-sso-" + std::to_string(i)};
    l.practitioner_npi = i ? "1234567893" : "";
    l.episode_start = *Date::Parse("2026-09-01");
    l.edits = {"SC-1", "SC-2"};
    c.lines.push_back(l);
  }
  return c;
}

TEST(ClaimSpill, ReadsBackEveryLineInOrderAndLeavesNoFile) {
  ScratchDir scratch("otp-spill");
  const auto& dir = scratch.path();
  auto made = ClaimSpill::Create(dir.string());
  ASSERT_TRUE(made.ok()) << made.status().message();
  std::shared_ptr<ClaimSpill> spill = made.value();
  EXPECT_TRUE(std::filesystem::is_empty(dir)) << "the spill is unlinked as soon as it is made";

  std::vector<Claim> in;
  for (int i = 0; i < 3000; ++i) in.push_back(MakeClaim("C" + std::to_string(i), "P" + std::to_string(i % 7), 1 + i % 3));
  for (const auto& c : in) ASSERT_TRUE(spill->Append(c).ok());  // more than one buffer's worth
  ASSERT_TRUE(spill->Flush().ok());
  EXPECT_EQ(spill->lines(), 3000 / 3 * (1 + 2 + 3));

  size_t claim = 0, line = 0;
  int64_t seen = 0;
  const Status read = spill->ForEach([&](const ClaimRow& r) {
    if (line == in[claim].lines.size()) {
      ++claim;
      line = 0;
    }
    const Claim& c = in[claim];
    const ClaimLine& l = c.lines[line];
    EXPECT_EQ(r.claim->claim_id, c.claim_id);
    EXPECT_EQ(r.claim->patient_id, c.patient_id);
    EXPECT_EQ(r.claim->diagnosis, c.diagnosis);
    EXPECT_EQ(r.line_no, static_cast<int>(line + 1));
    EXPECT_EQ(r.line->code, l.code);
    EXPECT_EQ(r.line->modifiers, l.modifiers);
    EXPECT_EQ(r.line->dos, l.dos);
    EXPECT_EQ(r.line->units, l.units);
    EXPECT_EQ(r.line->unit_price, l.unit_price);
    EXPECT_EQ(r.line->charge, l.charge);
    EXPECT_EQ(r.line->rule_id, l.rule_id);
    EXPECT_EQ(r.line->rate_ref, l.rate_ref);
    EXPECT_EQ(r.line->source_record_ids, l.source_record_ids);
    EXPECT_EQ(r.line->practitioner_npi, l.practitioner_npi);
    EXPECT_EQ(r.line->episode_start, l.episode_start);
    EXPECT_EQ(r.line->edits, l.edits);
    ++line;
    ++seen;
  });
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(seen, spill->lines());
  EXPECT_EQ(claim, in.size() - 1);
  // A second reading (the Audit sheet after the Claims sheet) sees the same lines.
  int64_t again = 0;
  ASSERT_TRUE(spill->ForEach([&](const ClaimRow&) { ++again; }).ok());
  EXPECT_EQ(again, seen);
  spill.reset();
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

TEST(ClaimSpill, ReadingBeforeFlushIsABug) {
  auto spill = ClaimSpill::Create(std::filesystem::temp_directory_path().string()).value();
  ASSERT_TRUE(spill->Append(MakeClaim("C1", "P1", 1)).ok());
  EXPECT_THROW((void)spill->ForEach([](const ClaimRow&) {}), std::logic_error);
  ASSERT_TRUE(spill->Flush().ok());
  EXPECT_EQ(spill->lines(), 1);
}

TEST(ClaimSpill, NoDirectoryIsAnIoError) {
  auto made = ClaimSpill::Create("/nonexistent-otpbatch-dir");
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().code(), StatusCode::kIo);
}

}  // namespace
}  // namespace otp
