// libFuzzer target: arbitrary bytes through ReadFacilityXml. Invariants: a refused file is a
// Config error whose message starts with the file name; an accepted one has at least one
// facility with a valid NPI, a 9-digit billing ZIP and all five credential kinds; and an 837P
// written for an accepted facility passes Check837Structure (whatever the reader lets in, the
// writer can write).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "input/facility_reader.h"
#include "input/validators.h"
#include "output/x12_837p.h"
#include "output/x12_check.h"

using namespace otp;
using otp::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto r = ReadFacilityXml("facility.xml", in, [](const std::string& id) { return id == "CA-18"; });
  if (!r.ok()) {
    Check(r.status().code() == StatusCode::kConfig, "a refused facility file is a Config error");
    Check(r.status().message().rfind("facility.xml", 0) == 0, "the message names the file");
    return 0;
  }
  const Config& cfg = *r;
  Check(!cfg.facilities.empty(), "an accepted file has a facility");
  for (const Facility& f : cfg.facilities) {
    Check(IsValidNpi(f.npi), "facility NPI is valid");
    Check(f.address.zip.size() == 9, "billing ZIP has 9 digits");
    Check(f.credentials.size() >= 5, "all five credential kinds");
    for (const Practitioner& p : f.practitioners) Check(IsValidNpi(p.npi), "practitioner NPI is valid");
  }

  const Facility& f = cfg.facilities.front();
  Patient p;
  p.patient_id = "P0";
  p.facility_id = f.id;
  p.mbi = "1EG4TE5MK73";
  p.last_name = "DOE";
  p.first_name = "JOHN";
  p.birth_date = *Date::Parse("1970-05-01");
  p.sex = 'M';
  p.address = {"1 ELM ST", "", "LOS ANGELES", "CA", "90001"};
  p.diagnosis = "F1120";
  Claim c;
  c.claim_id = "C1";
  c.facility_id = f.id;
  c.patient_id = p.patient_id;
  ClaimLine l;
  l.code = "G2067";
  l.dos = *Date::Parse("2026-02-02");
  l.charge = l.unit_price = *Money::Parse("300");
  l.practitioner_npi = f.practitioners.empty() ? "" : f.practitioners.front().npi;
  c.lines.push_back(l);
  std::string x12 = Write837P(cfg, f, {c}, [&p](const std::string&, const std::string&) { return &p; },
                              InterchangeIds{1, 1}, 1770732300);
  Status st = Check837Structure(x12);
  if (!st.ok()) std::fprintf(stderr, "%s\n", st.message().c_str());
  Check(st.ok(), "an 837P for an accepted facility passes the structure check");
  return 0;
}
