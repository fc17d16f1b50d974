// Configure: the night's inputs, checked before anything is written.
#include "night/configure.h"

#include <filesystem>

#include "platform/data_dirs.h"
#include "input/facility_reader.h"
#include "model/text.h"
#include "night/night.h"

namespace otp {

namespace {
// An input the run cannot read is the operator's to fix, like a bad configuration.
Status AsUsage(Status s) { return s.ok() ? s : Status::Config(s.message()); }

}  // namespace

Result<NightInputs> Configure(const NightOptions& opt, FileSystem& fs) {
  NightInputs in;
  OTP_ASSIGN_OR_RETURN(in.rules, RuleBook::Load(CodesDir(opt.data_dir)));
  OTP_ASSIGN_OR_RETURN(in.words, CodeWords::Load(CodesDir(opt.data_dir)));
  OTP_ASSIGN_OR_RETURN(in.layout, workbook::LoadLayout(fs, TemplatesDir(opt.data_dir)));
  const RuleBook& rules = in.rules;
  // The facility file's warnings (a taxonomy that is not an OTP's) go out with the readers'.
  auto facility_text = fs.ReadAll(opt.config);
  if (!facility_text.ok()) return Status::Config(opt.config + ": cannot open the facility file");
  OTP_ASSIGN_OR_RETURN(in.config, ReadFacilityXml(
                                      opt.config, facility_text.value(),
                                      [&](const std::string& l) { return rules.KnowsLocality(l); },
                                      &in.patient_reports.warnings));
  // What tonight decides by besides the rows; held weeks are decided again when it changes.
  in.rules_fingerprint = Hex64(Fnv1a(facility_text.value(), rules.Fingerprint()));
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
