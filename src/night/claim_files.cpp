// ClaimFiles: numbering, the ledger and the 837P files of a night's claims.
#include "night/claim_files.h"

#include <cstdio>
#include <exception>

#include "billing/engine.h"
#include "night/out_folder.h"
#include "night/publisher.h"
#include "output/claim_spill.h"
#include "output/x12_837p.h"
#include "output/x12_check.h"
#include "platform/fs.h"

namespace otp {
namespace {
std::string Key(const std::string& a, const std::string& b) { return a + '\x1f' + b; }

std::string Padded(const char* format, int64_t n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, format, static_cast<long long>(n));
  return buf;
}

// Writes, checks and publishes one facility's interchange (the writer thread's work).
Status WriteInterchange(const Config& config, const Facility& facility, const std::vector<Claim>& claims,
                        const std::map<std::string, Patient>& patients, const InterchangeIds& ids, std::time_t now,
                        Publisher& publisher, bool dry_run, Interchange& x) {
  const PatientLookup of = [&patients](const std::string& f, const std::string& p) -> const Patient* {
    auto it = patients.find(Key(f, p));
    return it == patients.end() ? nullptr : &it->second;
  };
  std::string x12;
  try {
    x12 = Write837P(config, facility, claims, of, ids, now);
  } catch (const std::exception& e) {  // a broken precondition: a bug, reported, nothing committed
    return Status::Internal(std::string("the 837P for ") + facility.id + " could not be written: " + e.what());
  }
  // Our own structural check before the file can leave: a failure is a bug, nothing is committed.
  if (Status s = Check837Structure(x12); !s.ok())
    return Status::Internal("the 837P for " + facility.id + " failed its structural check: " + s.message());
  if (!dry_run) OTP_TRY(publisher.Write(x.path, x12));
  x.content = std::move(x12);
  return Status::Ok();
}
}  // namespace

ClaimFiles::ClaimFiles(const Config& config, const RuleBook& rules, Ledger& ledger, Publisher& publisher,
                       FileSystem& fs, int64_t run_id, Where where, std::shared_ptr<ClaimSpill> spill)
    : config_(config), rules_(rules), ledger_(ledger), publisher_(publisher), fs_(fs), run_id_(run_id), where_(std::move(where)),
      spill_(std::move(spill)) {}

ClaimFiles::~ClaimFiles() {
  if (writer_.joinable()) writer_.join();
}

Status ClaimFiles::MakeOutDir() {
  if (where_.dry_run || out_dir_made_) return Status::Ok();
  OTP_TRY(fs_.MakeDirs(where_.out_dir));
  OTP_TRY(MarkOutFolder(publisher_, where_.out_dir, ledger_.id()));
  out_dir_made_ = true;
  return Status::Ok();
}

Status ClaimFiles::Add(const Patient& patient, std::vector<Claim> claims) {
  if (claims.empty()) return Status::Ok();
  if (!claims_.empty() && claims_.front().facility_id != patient.facility_id) OTP_TRY(FinishFacility());
  for (auto& c : claims) claims_.push_back(std::move(c));
  patients_[Key(patient.facility_id, patient.patient_id)] = patient;
  return Status::Ok();
}

Status ClaimFiles::Land() {
  if (writer_.joinable()) writer_.join();
  Status s = std::exchange(written_status_, Status::Ok());
  if (!written_) return s;
  if (s.ok()) s = ledger_.AddInterchange(*written_, run_id_);
  written_.reset();
  return s;
}

void ClaimFiles::BillAgain(std::vector<std::pair<Patient, Claim>> again) {
  for (auto& [patient, claim] : again) again_[claim.facility_id].emplace_back(std::move(patient), std::move(claim));
}

void ClaimFiles::TakeAgain(const std::string& facility_id) {
  auto it = again_.find(facility_id);
  if (it == again_.end()) return;
  for (auto& [patient, claim] : it->second) {
    patients_[Key(patient.facility_id, patient.patient_id)] = patient;
    claims_.push_back(std::move(claim));
  }
  again_.erase(it);
}

Status ClaimFiles::FinishFacility() {
  if (claims_.empty()) return Status::Ok();
  TakeAgain(claims_.front().facility_id);
  for (auto& c : claims_) {
    OTP_ASSIGN_OR_RETURN(const int64_t n, ledger_.NextCounter("claim"));
    c.claim_id = Padded("C%09lld", n);
  }
  const std::string fid = claims_.front().facility_id;
  const Facility* facility = config_.FindFacility(fid);
  if (!facility) return Status::Internal("claims for facility " + fid + ", which facility.xml does not list");
  OTP_TRY(MakeOutDir());
  InterchangeIds ids;
  OTP_ASSIGN_OR_RETURN(ids.interchange_control, ledger_.NextCounter("interchange"));
  OTP_ASSIGN_OR_RETURN(ids.group_control, ledger_.NextCounter("group"));
  const std::string path = where_.out_dir + "/" + fid + "-" + Padded("%09lld", ids.interchange_control) + ".837";
  for (const auto& c : claims_) {
    if (!c.replaces.empty()) OTP_TRY(ledger_.HandOverClaim(c.replaces, c.claim_id, run_id_));
    OTP_TRY(ledger_.AddClaim(c, run_id_, ids.interchange_control,
                             [this](const ClaimLine& l) { return KeptInHistory(l, rules_); }));
    OTP_TRY(spill_->Append(c));
  }
  OTP_TRY(Land());
  written_ = Interchange{ids.interchange_control, fid, path, "", ids.group_control, ids.Reference(),
                         InterchangeIds::kTransactionControl};
  writer_ = std::thread([this, facility, ids, claims = std::move(claims_), patients = std::move(patients_)] {
    written_status_ = WriteInterchange(config_, *facility, claims, patients, ids, where_.now, publisher_,
                                       where_.dry_run, *written_);
  });
  claims_.clear();
  patients_.clear();
  return Status::Ok();
}

Status ClaimFiles::Finish() {
  OTP_TRY(FinishFacility());
  while (!again_.empty()) {  // facilities that bill only claims billed again tonight
    TakeAgain(again_.begin()->first);
    OTP_TRY(FinishFacility());
  }
  OTP_TRY(Land());
  return spill_->Flush();
}

}  // namespace otp
