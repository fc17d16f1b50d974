// Reads patients.csv (interface.md §1.2) and services.csv (§1.3) into model records, checking
// every field. A row with a bad field is rejected through the Reporter (file, line, column,
// reason, raw text) and reading goes on; a file without a required column is unusable and
// comes back as an error Status. Reasons never quote names, MBIs, birth dates or addresses.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "input/reporter.h"
#include "model/quantity.h"
#include "model/status.h"
#include "model/types.h"

namespace otp {

// Heterogeneous-lookup hash so the tables can be searched with string_views.
struct StringKeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct PatientTable {
  std::vector<Patient> patients;  // accepted rows, in file order
  int64_t rows_read = 0;          // data rows in the file, accepted or rejected

  // The accepted patient, or nullptr. O(1).
  const Patient* Find(std::string_view facility_id, std::string_view patient_id) const;
  // True when a row for this patient was rejected and no row for it was accepted (services
  // for such a patient are rejected with a reason that says so).
  bool WasRejected(std::string_view facility_id, std::string_view patient_id) const;

  // Index maintenance (ReadPatients; tests that build a table by hand call Reindex).
  void Reindex();
  std::unordered_map<std::string, size_t, StringKeyHash, std::equal_to<>> index;
  std::unordered_set<std::string, StringKeyHash, std::equal_to<>> rejected;
};

// "facility\x1Fpatient": the key of PatientTable's maps.
std::string PatientKey(std::string_view facility_id, std::string_view patient_id);

// Rejects name the column; Reject::record_id holds the patient_id when one was read.
// An error Status (InvalidArgument) when the file is empty or lacks a required column.
Result<PatientTable> ReadPatients(const std::string& file_name, std::string_view content,
                                  const Config& config, Reporter& reporter);

struct ServiceRead {
  std::vector<ServiceRecord> records;  // accepted rows, in file order (empty when streamed)
  int64_t accepted = 0;                // accepted rows (= records.size() when not streamed)
  int64_t rows_read = 0;               // data rows in the file
  // Rows whose record_id repeats an earlier accepted row of the same facility with identical
  // content: skipped with a warning. rows_read = accepted + duplicates_identical + rejects.
  int64_t duplicates_identical = 0;
  bool stopped = false;  // the streaming caller's on_row asked to stop: the rest was not read
};

// `bounds` (RuleBook::Quantities()) decides which quantities are plausible (SC-6): a quantity that
// is not a plain decimal within its digits, or outside its service's bound, rejects the row with
// the bound and its codes/limits.xml id in the reason.
Result<ServiceRead> ReadServices(const std::string& file_name, std::string_view content,
                                 const Config& config, const QuantityBounds& bounds,
                                 const PatientTable& patients, Reporter& reporter);

// The same, streamed: each accepted row goes to `on_row` as soon as it is read (the callee may
// move from it; false stops the reading) and ServiceRead::records stays empty, so memory does
// not grow with the file.
// The duplicate checks remember each (facility, record_id) by a 96-bit hash and its content by
// the 64-bit content hash, in 24 bytes a row.
// `consumed`, when given, is told now and then how many bytes of `content` were read: the text
// before that offset is not looked at again (FileText::ReleaseBefore).
Result<ServiceRead> ReadServices(const std::string& file_name, std::string_view content,
                                 const Config& config, const QuantityBounds& bounds,
                                 const PatientTable& patients, Reporter& reporter,
                                 const std::function<bool(ServiceRecord&)>& on_row,
                                 const std::function<void(size_t)>& consumed = {});

// The header check of ReadServices alone (no warnings): whether the file can be read at all.
Status CheckServicesHeader(const std::string& file_name, std::string_view content);

// FNV-1a 64 of the normalised content of a service row (facility, patient, date, service,
// quantity, modality, npi, flags), as 16 lower-case hex digits.
std::string ServiceContentHash(const ServiceRecord& r);

}  // namespace otp
