// The services.csv vocabulary (interface.md §1.3) as an enum, with the groups the billing
// rules talk about: on-site medication, take-home supply, bundle services, add-ons and the
// compliance-only events that never start an episode.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace otp {

enum class Service {
  kMethadoneDose,
  kBuprenorphineOralDose,
  kBuprenorphineInjectionWeekly,
  kBuprenorphineInjectionMonthly,
  kBuprenorphineImplantInsert,
  kBuprenorphineImplantRemove,
  kBuprenorphineImplantInsertRemove,
  kNaltrexoneInjection,
  kOtherMoudDose,
  kMethadoneTakehome,
  kBuprenorphineTakehome,
  kCounselingIndividual,
  kCounselingGroup,
  kToxicologyTest,
  kIntake,
  kPeriodicAssessment,
  kIopService,
  kNaloxoneNasal4mg,
  kNaloxoneNasal8mg,
  kNaloxoneInjection,
  kNalmefeneNasal,
  kCareCoordination,
  kPatientNavigation,
  kPeerSupport,
  kPhysicalExam,
  kPsychosocialAssessment,
  kCarePlan,
};
inline constexpr int kServiceCount = static_cast<int>(Service::kCarePlan) + 1;

enum class ServiceGroup { kOnSiteMedication, kTakeHome, kBundleService, kAddOn, kComplianceOnly };

std::optional<Service> ParseService(std::string_view word);
std::string_view ServiceName(Service s);
// The service as a person reads it in a finding or a hold ("physical exam", "methadone
// take-home"): the services.csv words are the EHR export's, not a clerk's.
std::string ServiceWords(Service s);
ServiceGroup GroupOf(Service s);
// Billable rows start and continue episodes (EP-1); compliance-only events do not.
inline bool IsBillable(Service s) { return GroupOf(s) != ServiceGroup::kComplianceOnly; }
// What PA-8 counts as counseling.
inline bool IsCounseling(Service s) { return s == Service::kCounselingIndividual || s == Service::kCounselingGroup; }

enum class Modality { kInPerson, kVideo, kAudio };
std::optional<Modality> ParseModality(std::string_view word);  // empty → in_person
std::string_view ModalityName(Modality m);

// flags column bits
enum ServiceFlag : unsigned {
  kFlagDoseJustified = 1u << 0,
  kFlagMedicallyNecessary = 1u << 1,
  kFlagSma168Exception = 1u << 2,
};

}  // namespace otp
