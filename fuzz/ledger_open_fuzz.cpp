// libFuzzer target for the ledger's open path (issue 24): a file at --db that is damaged,
// foreign or not SQLite at all. The input is either the whole file (first byte even) or, to
// reach deep into a real ledger, patches to one made once by Ledger::Create and filled with a
// night's worth of rows, claims and findings (first byte odd): records of a 24-bit offset, a
// length byte and that many bytes, after a 24-bit length the file is cut to.
// Invariants: Open for reading and for writing return a Status or a ledger, never crash; a
// refusal is one of the codes a missing, foreign or damaged ledger gives and says why; a refused
// open and a reader leave the file's bytes as they were; every read of an opened ledger and the
// full check end in a Status.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "fuzz_common.h"
#include "ledger/ledger.h"
#include "ledger/sqlite_db.h"

using namespace otp;
using otp::fuzz::Check;

namespace {

// The fuzzer's own folder, removed with everything in it when the process exits (libFuzzer
// ends a timed run through exit(), so static destructors run).
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/otp-ledger-fuzz-XXXXXX";
    Check(::mkdtemp(tmpl) != nullptr, "a temporary folder is made");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

std::string Dir() {
  static const TempDir dir;
  return dir.path;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void Fill(Ledger& l) {
  Check(l.Begin().ok(), "seed: begin");
  const int64_t run = l.StartRun(Date::FromYmd(2026, 1, 12), 0, false, "seed").value();
  for (int i = 0; i < 300; ++i) {
    ServiceRecord r;
    r.facility_id = "F1";
    r.patient_id = "P" + std::to_string(i % 30);
    r.record_id = "R" + std::to_string(i);
    r.service_date = Date::FromYmd(2026, 1, 5 + i % 7);
    r.service = Service::kMethadoneDose;
    r.quantity = 60;
    r.content_hash = "h" + std::to_string(i);
    Check(l.OfferRow(r, run).ok(), "seed: a row");
  }
  Claim c;
  c.claim_id = "C000000001";
  c.facility_id = "F1";
  c.patient_id = "P1";
  c.diagnosis = "F1120";
  ClaimLine line;
  line.code = "G2067";
  line.dos = Date::FromYmd(2026, 1, 5);
  line.unit_price = line.charge = Money::Cents(29941);
  line.rule_id = "BU-2";
  line.source_record_ids = {"R1"};
  line.episode_start = line.dos;
  c.lines.push_back(line);
  Check(l.NextCounter("interchange").ok() && l.AddClaim(c, run, 1, nullptr).ok(), "seed: a claim");
  Check(l.AddInterchange(Interchange{1, "F1", "out/F1-000000001.837", "ISA"}, run).ok(), "seed: an interchange");
  Check(l.Commit().ok(), "seed: commit");
}

// A real ledger's bytes, made once.
const std::string& Pristine() {
  static const std::string bytes = [] {
    const std::string path = Dir() + "/seed.db";
    ::unlink(path.c_str());
    {
      auto l = Ledger::Create(path);
      Check(l.ok(), "seed: the ledger is made");
      Fill(*l.value());
    }
    return Slurp(path);
  }();
  return bytes;
}

uint32_t Bytes3(const uint8_t* p) { return uint32_t{p[0]} << 16 | uint32_t{p[1]} << 8 | p[2]; }

std::string Patched(const uint8_t* data, size_t size) {
  std::string file = Pristine();
  if (size >= 3) {
    const size_t cut = Bytes3(data) % (file.size() + 1);
    if (cut != 0) file.resize(cut);
    data += 3;
    size -= 3;
  }
  while (size >= 4 && !file.empty()) {
    const size_t at = Bytes3(data) % file.size();
    const size_t n = std::min<size_t>(data[3], size - 4);
    for (size_t k = 0; k < n && at + k < file.size(); ++k) file[at + k] = static_cast<char>(data[4 + k]);
    data += 4 + n;
    size -= 4 + n;
  }
  return file;
}

void Remove(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((path + suffix).c_str());
}

bool Expected(StatusCode c) {
  return c == StatusCode::kNotFound || c == StatusCode::kInvalidArgument || c == StatusCode::kCorrupt ||
         c == StatusCode::kIo;
}

// Everything a reader or the weekly check may read; each ends in a Status.
void ReadAll(Ledger& l) {
  (void)l.Stats();
  (void)l.OpenRows();
  (void)l.AllPatients();
  (void)l.FindClaim("C000000001");
  (void)l.ClaimsBetween(Date::FromYmd(2026, 1, 1), Date::FromYmd(2026, 12, 31));
  (void)l.FindingsBetween(Date::FromYmd(2026, 1, 1), Date::FromYmd(2026, 12, 31));
  (void)l.Check();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string file = (data[0] & 1) ? Patched(data + 1, size - 1)
                                         : std::string(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string path = Dir() + "/led.db";
  Remove(path);
  { std::ofstream(path, std::ios::binary) << file; }
  // A reader first: whatever it finds, it writes nothing.
  for (LedgerAccess access : {LedgerAccess::kRead, LedgerAccess::kWrite}) {
    auto opened = Ledger::Open(path, access);
    if (!opened.ok()) {
      if (!Expected(opened.status().code())) std::fprintf(stderr, "refused: %s\n", opened.status().message().c_str());
      Check(Expected(opened.status().code()), "a refusal is not-found, invalid-argument, corrupt or io");
      Check(!opened.status().message().empty(), "a refusal says why");
      Check(Slurp(path) == file, "a refused open wrote nothing into the file");
      continue;
    }
    ReadAll(*opened.value());
    // A writer that accepted the file may set its journal mode back to WAL: a write it may make.
    if (access == LedgerAccess::kRead) Check(Slurp(path) == file, "a reader wrote nothing into the file");
  }
  Remove(path);
  return 0;
}
