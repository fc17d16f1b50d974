// libFuzzer target for X12 output safety. X12Safe over arbitrary bytes: the result holds no
// separator (* ~ : ^), no control or non-ASCII byte, no leading, trailing or doubled space, and
// X12Safe(X12Safe(x)) == X12Safe(x). Then the same bytes, cut into a last name, first name,
// middle initial, street and city, go through a patients.csv row: when ReadPatients accepts the
// row, Write837P's interchange for that patient must pass Check837Structure.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "input/records_reader.h"
#include "output/x12_837p.h"
#include "output/x12_check.h"

using namespace otp;
using otp::fuzz::Check;

namespace {

void CheckSafe(std::string_view in) {
  std::string s = X12Safe(in);
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    Check(b >= 0x20 && b < 0x7F, "X12Safe leaves printable ASCII only");
    Check(c != '*' && c != '~' && c != ':' && c != '^', "X12Safe removes the separators");
    Check(!(c >= 'a' && c <= 'z'), "X12Safe upper-cases");
  }
  Check(s.empty() || (s.front() != ' ' && s.back() != ' '), "X12Safe trims");
  Check(s.find("  ") == std::string::npos, "X12Safe collapses spaces");
  Check(X12Safe(s) == s, "X12Safe is idempotent");
}

std::string CsvField(const std::string& v) {
  std::string q = "\"";
  for (char c : v) {
    q += c;
    if (c == '"') q += '"';
  }
  return q + "\"";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Config cfg = fuzz::MakeConfig();
  CheckSafe(std::string_view(reinterpret_cast<const char*>(data), size));

  FuzzedDataProvider fdp(data, size);
  std::string last = fdp.ConsumeRandomLengthString(200);
  std::string first = fdp.ConsumeRandomLengthString(200);
  std::string middle = fdp.ConsumeRandomLengthString(50);
  std::string line1 = fdp.ConsumeRandomLengthString(200);
  std::string city = fdp.ConsumeRemainingBytesAsString();
  for (const std::string* s : {&last, &first, &middle, &line1, &city}) CheckSafe(*s);

  std::string csv = std::string(fuzz::kPatientHeader) + "P0,HRC01,1EG4TE5MK73," + CsvField(last) + "," +
                    CsvField(first) + "," + CsvField(middle) + ",1970-05-01,F," + CsvField(line1) + "," +
                    CsvField(city) + ",CA,90001,2025-01-02,,maintenance,medicare,F11.20,60\n";
  CollectingReporter rep;
  auto table = ReadPatients("patients.csv", csv, cfg, rep);
  Check(table.ok(), "the patients file opens");
  Check(table->rows_read == 1, "one row read");
  Check(table->patients.size() + rep.rejects.size() == 1, "the row is accepted or rejected");
  if (table->patients.empty()) return 0;

  Claim c;
  c.claim_id = "C1";
  c.facility_id = "HRC01";
  c.patient_id = "P0";
  ClaimLine l;
  l.code = "G2067";
  l.dos = *Date::Parse("2026-02-02");
  l.charge = l.unit_price = *Money::Parse("300");
  l.practitioner_npi = "1245319599";
  c.lines.push_back(l);
  const PatientTable& t = *table;
  std::string x12 = Write837P(cfg, cfg.facilities.front(), {c},
                              [&t](const std::string& f, const std::string& id) { return t.Find(f, id); },
                              InterchangeIds{1, 1}, 1770732300);
  Status st = Check837Structure(x12);
  if (!st.ok()) std::fprintf(stderr, "%s\n", st.message().c_str());
  Check(st.ok(), "an 837P with an accepted patient's names passes the structure check");
  for (char ch : x12) {
    auto b = static_cast<unsigned char>(ch);
    Check((b >= 0x20 && b < 0x7F) || ch == '\n', "the interchange is printable ASCII");
  }
  return 0;
}
