// The night's first stage: everything it reads before it may write. codes/, the workbook's
// layout (templates/workbook.xml) and facility.xml (a bad one stops the run: kConfig), patients.csv (rows checked, rejects collected) and the
// services file's text and header (a file that cannot be read at all stops the run).
#pragma once

#include <string>

#include "input/records_reader.h"
#include "input/reporter.h"
#include "model/status.h"
#include "model/types.h"
#include "output/workbook_layout.h"
#include "platform/fs.h"
#include "rules/code_words.h"
#include "rules/rulebook.h"

namespace otp {

struct NightOptions;

struct NightInputs {
  RuleBook rules;
  CodeWords words;            // CARC, RARC, 277 and PLB codes in words (the Payments sheet)
  workbook::Layout layout;    // read before any work, so a bad template stops the run at once
  Config config;
  PatientTable patients;
  CollectingReporter patient_reports;
  std::string rules_fingerprint;  // facility.xml and codes/, hashed: what tonight decides by
  std::string services_file;  // the services file's name as rejects name it
  FileText services;          // read front to back once, by Ingest
};

Result<NightInputs> Configure(const NightOptions& options, FileSystem& fs);

}  // namespace otp
