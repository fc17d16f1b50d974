// libFuzzer target: arbitrary bytes through CsvReader, ReadPatients and ReadServices (as a whole
// file, and after a valid header). Invariants: records come in strictly increasing line order,
// fields point into the input or the record's own buffer, a malformed record has no fields;
// every reject names the file, a line inside the file and a reason, keeps at most 4 KiB of raw
// text; and rows_read = accepted + identical duplicates + rejects.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "input/csv.h"
#include "input/records_reader.h"

using namespace otp;
using otp::fuzz::Check;

namespace {

bool Inside(std::string_view part, std::string_view whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

void CheckRejects(const CollectingReporter& rep, const std::string& file, std::string_view content) {
  int64_t lines = 1;
  for (char c : content) lines += c == '\n';
  for (const Reject& r : rep.rejects) {
    Check(r.file == file, "reject names its file");
    if (r.line < 2 || r.line > lines)
      std::fprintf(stderr, "%s: reject at line %lld, the file has %lld lines: %s\n", file.c_str(),
                   static_cast<long long>(r.line), static_cast<long long>(lines), r.reason.c_str());
    Check(r.line >= 2 && r.line <= lines, "reject line is a data line of the file");
    Check(!r.reason.empty(), "reject has a reason");
    Check(r.reason.size() < 1000, "reject reason is short");
    Check(r.raw.size() <= kMaxRawBytes, "reject raw text is capped");
  }
}

void ReadBoth(const std::string& content, const Config& cfg, const QuantityBounds& bounds,
              const PatientTable& known) {
  {
    CollectingReporter rep;
    auto p = ReadPatients("patients.csv", content, cfg, rep);
    if (p.ok()) {
      Check(p->rows_read == static_cast<int64_t>(p->patients.size() + rep.rejects.size()), "patients: counts add up");
      CheckRejects(rep, "patients.csv", content);
      for (const Patient& x : p->patients) Check(p->Find(x.facility_id, x.patient_id) == &x, "patient index");
    } else {
      Check(p.status().message().rfind("patients.csv", 0) == 0, "file error names the file");
      Check(rep.rejects.empty(), "no rejects from a file that cannot be read");
    }
  }
  {
    CollectingReporter rep;
    auto s = ReadServices("services.csv", content, cfg, bounds, known, rep);
    if (s.ok()) {
      Check(s->rows_read == static_cast<int64_t>(s->records.size()) + s->duplicates_identical +
                                static_cast<int64_t>(rep.rejects.size()),
            "services: counts add up");
      CheckRejects(rep, "services.csv", content);
    } else {
      Check(s.status().message().rfind("services.csv", 0) == 0, "file error names the file");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Config cfg = fuzz::MakeConfig();
  static const QuantityBounds bounds = fuzz::MakeQuantityBounds();
  static const PatientTable known = [] {
    CollectingReporter rep;
    std::string csv = std::string(fuzz::kPatientHeader) +
                      "P0,HRC01,1EG4TE5MK73,DOE,JOHN,Q,1970-05-01,M,1 ELM ST,LA,CA,90001,2025-01-02,,,medicare,F11.20,\n";
    auto r = ReadPatients("patients.csv", csv, cfg, rep);
    Check(r.ok() && r->patients.size() == 1, "seed patient reads");
    return std::move(r).value();
  }();

  std::string_view in(reinterpret_cast<const char*>(data), size);

  CsvReader reader(in);
  CsvRecord rec;
  int64_t last_line = 0;
  size_t records = 0;
  while (reader.Next(rec)) {
    Check(rec.line > last_line, "records in increasing line order");
    last_line = rec.line;
    Check(Inside(rec.raw, in), "raw is a view of the input");
    Check(rec.error.empty() || rec.fields.empty(), "a malformed record has no fields");
    for (std::string_view f : rec.fields)
      Check(Inside(f, in) || Inside(f, rec.unescaped), "field views stay valid");
    Check(++records <= size, "no more records than bytes");
  }

  std::string content(in);
  ReadBoth(content, cfg, bounds, known);
  ReadBoth(std::string(fuzz::kPatientHeader) + content, cfg, bounds, known);
  ReadBoth(std::string(fuzz::kServiceHeader) + content, cfg, bounds, known);
  return 0;
}
