// Configure: the night's inputs, checked before anything is written.
#include "night/configure.h"

#include <algorithm>
#include <filesystem>

#include "platform/data_dirs.h"
#include "input/facility_reader.h"
#include "model/text.h"
#include "night/night.h"

namespace otp {

namespace {
// An input the run cannot read is the operator's to fix, like a bad configuration.
Status AsUsage(Status s) { return s.ok() ? s : Status::Config(s.message()); }

// What the night decides by besides the rows: facility.xml and every file under codes/, each
// with its name, hashed. Held weeks are decided again when it differs from the last night's.
Result<std::string> RulesFingerprint(const std::string& config, const std::string& codes, FileSystem& fs) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(codes, ec))
    if (e.is_regular_file()) files.push_back(e.path());
  if (ec) return Status::Config("cannot list " + codes + ": " + ec.message());
  std::sort(files.begin(), files.end());
  OTP_ASSIGN_OR_RETURN(const std::string facility, fs.ReadAll(config));
  uint64_t h = Fnv1a(facility);
  for (const auto& f : files) {
    OTP_ASSIGN_OR_RETURN(const std::string text, fs.ReadAll(f.string()));
    h = Fnv1a(text, Fnv1a(std::filesystem::relative(f, codes).string(), h));
  }
  return Hex64(h);
}
}  // namespace

Result<NightInputs> Configure(const NightOptions& opt, FileSystem& fs) {
  NightInputs in;
  OTP_ASSIGN_OR_RETURN(in.rules, RuleBook::Load(CodesDir(opt.data_dir)));
  const RuleBook& rules = in.rules;
  // The facility file's warnings (a taxonomy that is not an OTP's) go out with the readers'.
  OTP_ASSIGN_OR_RETURN(in.config, ReadFacilityFile(
                                      opt.config, [&](const std::string& l) { return rules.KnowsLocality(l); },
                                      &in.patient_reports.warnings));
  auto fingerprint = RulesFingerprint(opt.config, CodesDir(opt.data_dir), fs);
  OTP_TRY(AsUsage(fingerprint.status()));
  in.rules_fingerprint = std::move(fingerprint).value();
  auto patients_text = fs.ReadAll(opt.patients);
  OTP_TRY(AsUsage(patients_text.status()));
  auto services = fs.ReadText(opt.services);  // mapped: given back as it is read
  OTP_TRY(AsUsage(services.status()));
  in.services = std::move(services).value();
  const std::string pfile = std::filesystem::path(opt.patients).filename().string();
  in.services_file = std::filesystem::path(opt.services).filename().string();
  // A file that lacks a required column is unusable: a usage error, before anything is written.
  OTP_ASSIGN_OR_RETURN(in.patients, ReadPatients(pfile, patients_text.value(), in.config, in.patient_reports));
  OTP_TRY(CheckServicesHeader(in.services_file, in.services.view()));
  return in;
}

}  // namespace otp
