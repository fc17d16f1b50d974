// `otpbatch synth` (interface.md §2): realistic synthetic input files — facility.xml,
// patients.csv and services.csv — for demos, tests and benchmarks. Deterministic: the same
// options give byte-identical files on every platform (our own PRNG, no std:: distributions).
// Everything is invented: names come from small, obviously fake lists; NPIs, MBIs, TINs and
// DEA numbers are well-formed but random.
//
// SynthesizeTo streams services row by row (date order) with memory proportional to the
// number of patients, so a 10-million-row benchmark file never sits in memory.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/status.h"

namespace otp {

struct SynthOptions {
  int patients = 100;
  int days = 90;          // services cover start … start + days - 1
  Date start;             // the CLI's default is the `days` days before today
  uint64_t seed = 1;
  // 0 = choose from patients: 1 per ~400 patients, at least 2 when patients >= 50, at most 50.
  int facilities = 0;
};

// Deliberate rule breaks, so that a night on synthetic data shows findings and holds: one
// patient in 16 (patient index 16k + 5, i.e. P000006, P000022, …) is admitted inside the
// period (early enough for the 14-day checks to fall due), on methadone, payer Medicare, and
// breaks two rules, taken in turn from this list (k-th such patient: kinds 2k and 2k+1, mod 7).
enum class SynthBreak {
  kLateExam,             // physical_exam on treatment day 15-22            -> PA-1
  kLatePsychosocial,     // psychosocial_assessment, care_plan from day 16  -> PA-2 (both)
  kHighFirstDose,        // first methadone dose 55 mg, no dose_justified   -> PA-6
  kRepeatIntake,         // a second intake 7-13 days after admission       -> held intake-repeat
  kTakeHomeAboveLadder,  // a 10-day methadone take-home from day 4-10      -> PA-5
  kNaloxoneRepeat,       // naloxone 4 mg twice, 3-8 days apart, no flag    -> held overdose-med-repeat
  kNonOudDiagnosis,      // diagnosis F10.20 (alcohol use disorder)         -> held no-oud-diagnosis
};
inline constexpr int kSynthBreakEvery = 16;
inline constexpr int kSynthBreakKinds = 7;

// The rule breaks of the patient with 0-based index `patient_index` (empty for most).
std::vector<SynthBreak> SynthBreaksOf(int patient_index);

// The limits the CLI checks before calling: patients 0…10,000,000, days 0…3,660 (ten
// years), facilities 0…50. InvalidArgument with a message naming the option otherwise.
Status ValidateSynthOptions(const SynthOptions& o);

// The number of facilities `o` produces (resolves facilities = 0).
int SynthFacilityCount(const SynthOptions& o);

struct SynthFiles {
  std::string facility_xml, patients_csv, services_csv;
  int64_t service_rows = 0;
};

// All three files in memory (tests, demo fixtures). Options outside the limits are clamped.
SynthFiles Synthesize(const SynthOptions& o);

// The same bytes, written to streams; services are streamed as they are generated.
// Returns the number of service rows written.
int64_t SynthesizeTo(const SynthOptions& o, std::ostream& facility_xml, std::ostream& patients_csv,
                     std::ostream& services_csv);

}  // namespace otp
