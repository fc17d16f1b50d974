// Reads facility.xml (interface.md §1.1) into a Config: submitter, receiver and one or more
// facilities with address, payer, credentials, charges and practitioners. Every
// configuration error (bad NPI, TIN, state, ZIP, missing credential kind, unknown locality,
// unreal date, duplicate facility id, …) is a Status::Config whose message names the file,
// the line, the element or attribute and the reason; then the run stops before reading any
// record. pugixml stays behind facility_reader.cpp.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"
#include "model/types.h"

namespace otp {

// `known_locality` answers whether codes/ has rates for a locality id; "national" is always
// known and is not asked. An empty function accepts every locality (no rate data at hand).
// `warnings`, when given, receives what the file may hold but probably should not, as
// "facility.xml:LINE: <facility id=…> …" (today: a taxonomy other than kOtpTaxonomy); only when
// the file is valid.
Result<Config> ReadFacilityFile(const std::string& path,
                                const std::function<bool(const std::string&)>& known_locality,
                                std::vector<std::string>* warnings = nullptr);

// The same over text already in memory; `file_name` is used in messages (tests, check-config).
Result<Config> ReadFacilityXml(const std::string& file_name, std::string_view content,
                               const std::function<bool(const std::string&)>& known_locality,
                               std::vector<std::string>* warnings = nullptr);

}  // namespace otp
