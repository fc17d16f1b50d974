// Names and groups of the service vocabulary.
#include "model/service.h"

#include <algorithm>
#include <array>

namespace otp {
namespace {
struct Entry { std::string_view name; ServiceGroup group; };
constexpr std::array<Entry, kServiceCount> kTable = {{
    {"methadone_dose", ServiceGroup::kOnSiteMedication},
    {"buprenorphine_oral_dose", ServiceGroup::kOnSiteMedication},
    {"buprenorphine_injection_weekly", ServiceGroup::kOnSiteMedication},
    {"buprenorphine_injection_monthly", ServiceGroup::kOnSiteMedication},
    {"buprenorphine_implant_insert", ServiceGroup::kOnSiteMedication},
    {"buprenorphine_implant_remove", ServiceGroup::kOnSiteMedication},
    {"buprenorphine_implant_insert_remove", ServiceGroup::kOnSiteMedication},
    {"naltrexone_injection", ServiceGroup::kOnSiteMedication},
    {"other_moud_dose", ServiceGroup::kOnSiteMedication},
    {"methadone_takehome", ServiceGroup::kTakeHome},
    {"buprenorphine_takehome", ServiceGroup::kTakeHome},
    {"counseling_individual", ServiceGroup::kBundleService},
    {"counseling_group", ServiceGroup::kBundleService},
    {"toxicology_test", ServiceGroup::kBundleService},
    {"intake", ServiceGroup::kAddOn},
    {"periodic_assessment", ServiceGroup::kAddOn},
    {"iop_service", ServiceGroup::kAddOn},
    {"naloxone_nasal_4mg", ServiceGroup::kAddOn},
    {"naloxone_nasal_8mg", ServiceGroup::kAddOn},
    {"naloxone_injection", ServiceGroup::kAddOn},
    {"nalmefene_nasal", ServiceGroup::kAddOn},
    {"care_coordination", ServiceGroup::kAddOn},
    {"patient_navigation", ServiceGroup::kAddOn},
    {"peer_support", ServiceGroup::kAddOn},
    {"physical_exam", ServiceGroup::kComplianceOnly},
    {"psychosocial_assessment", ServiceGroup::kComplianceOnly},
    {"care_plan", ServiceGroup::kComplianceOnly},
}};
}  // namespace

std::optional<Service> ParseService(std::string_view word) {
  for (int i = 0; i < kServiceCount; ++i)
    if (kTable[i].name == word) return static_cast<Service>(i);
  return std::nullopt;
}
std::string_view ServiceName(Service s) { return kTable[static_cast<int>(s)].name; }
std::string ServiceWords(Service s) {
  std::string words(ServiceName(s));
  std::replace(words.begin(), words.end(), '_', ' ');
  if (const size_t at = words.find("takehome"); at != std::string::npos) words.replace(at, 8, "take-home");
  return words;
}
ServiceGroup GroupOf(Service s) { return kTable[static_cast<int>(s)].group; }

std::optional<Modality> ParseModality(std::string_view w) {
  if (w.empty() || w == "in_person") return Modality::kInPerson;
  if (w == "video") return Modality::kVideo;
  if (w == "audio") return Modality::kAudio;
  return std::nullopt;
}
std::string_view ModalityName(Modality m) {
  switch (m) {
    case Modality::kVideo: return "video";
    case Modality::kAudio: return "audio";
    default: return "in_person";
  }
}

}  // namespace otp
