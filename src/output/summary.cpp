// summary.json from ReportData with nlohmann::json (keys come out sorted: stable output).
#include "output/summary.h"

#include <nlohmann/json.hpp>

namespace otp {

bool CountsAddUp(const RunCounts& c) {
  return c.accepted + c.rejected == c.service_rows_read &&
         c.billed + c.held + c.not_billable + c.already_processed + c.open == c.accepted;
}

namespace {
nlohmann::json MoneyJson(Money m) {
  return nlohmann::json{{"text", m.ToString()}, {"value", m.ToDouble()}};
}
}  // namespace

std::string SummaryJson(const ReportData& data) {
  const RunCounts& c = data.rerun && data.run_counts ? *data.run_counts : data.counts;
  nlohmann::json j;
  j["as_of"] = data.as_of.Iso();
  j["period"] = {{"from", data.from.Iso()}, {"to", data.to.Iso()}};
  j["patients"] = {{"rows_read", c.patient_rows_read}, {"rows_rejected", c.patient_rows_rejected}};
  j["services"] = {
      {"rows_read", c.service_rows_read},
      {"accepted", c.accepted},
      {"rejected", c.rejected},
      {"billed", c.billed},
      {"held", c.held},
      {"not_billable", c.not_billable},
      {"already_processed", c.already_processed},
      {"open", c.open},
  };
  j["counts_add_up"] = CountsAddUp(c);
  j["claims_written"] = c.claims;
  j["lines_written"] = c.lines;
  j["nothing_new_billed"] = c.claims == 0;
  j["total_charges"] = c.total_charges.ToString();
  j["total_charges_value"] = c.total_charges.ToDouble();
  j["held_by_reason"] = nlohmann::json::object();
  for (const auto& [k, v] : c.held_by_reason) j["held_by_reason"][k] = v;
  j["not_billable_by_reason"] = nlohmann::json::object();
  for (const auto& [k, v] : c.not_billable_by_reason) j["not_billable_by_reason"][k] = v;
  j["findings_by_rule"] = nlohmann::json::object();
  for (const auto& [k, v] : c.findings_by_rule) j["findings_by_rule"][k] = v;
  j["charges_by_code"] = nlohmann::json::object();
  for (const auto& [k, v] : c.charges_by_code) j["charges_by_code"][k] = MoneyJson(v);
  j["rejects"] = static_cast<int64_t>(data.rejects.size());
  j["findings"] = static_cast<int64_t>(data.findings.size());
  nlohmann::json retention = {{"admissions", data.retention.admissions},
                              {"retained_90_days", data.retention.retained_90_days}};
  if (data.retention.admissions > 0) {
    retention["share"] = static_cast<double>(data.retention.retained_90_days) /
                         static_cast<double>(data.retention.admissions);
  } else {
    retention["share"] = nullptr;
  }
  j["retention"] = retention;
  j["files"] = data.files;
  j["rerun"] = data.rerun;
  if (data.rerun) {
    const RunCounts& n = data.counts;
    j["night"] = {{"claims", n.claims},
                  {"lines", n.lines},
                  {"total_charges", n.total_charges.ToString()},
                  {"held", static_cast<int64_t>(data.held.size())},
                  {"findings", static_cast<int64_t>(data.findings.size())},
                  {"rejects", static_cast<int64_t>(data.rejects.size())}};
  }
  // A path is bytes, not always UTF-8 (an --out folder named in another encoding): such bytes
  // become U+FFFD rather than an exception that would stop the run.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace otp
