// Receivables (workbook_fields.h): the Payments sheet's rows added up per facility. Adding up
// is all it does: what each amount means (paid, denied, the deductible …) the report decided.
#include <map>

#include "output/workbook_fields.h"

namespace otp::workbook {
namespace {

size_t BandOf(int age_days, const std::vector<BandSpec>& bands) {
  size_t b = 0;
  while (b + 1 < bands.size() && bands[b].up_to && age_days > *bands[b].up_to) ++b;
  return b;
}

void Add(ReceivableRow& t, const PaymentRow& p, const std::vector<BandSpec>& bands) {
  ++t.claims;
  t.billed += p.billed;
  t.paid += p.paid;
  t.contractual += p.contractual;
  t.denied += p.denied;
  t.other_adjusted += p.other_adjusted;
  t.deductible += p.deductible;
  t.other_patient += p.other_patient;
  t.outstanding += p.outstanding;
  if (p.outstanding.cents() == 0) return;
  ++t.open_claims;
  if (!bands.empty()) t.aged[BandOf(p.age_days, bands)] += p.outstanding;
}

void AddUp(ReceivableRow& total, const ReceivableRow& r) {
  total.claims += r.claims;
  total.open_claims += r.open_claims;
  for (auto [sum, part] : {std::pair{&total.billed, r.billed}, std::pair{&total.paid, r.paid},
                           std::pair{&total.contractual, r.contractual}, std::pair{&total.denied, r.denied},
                           std::pair{&total.other_adjusted, r.other_adjusted}, std::pair{&total.deductible, r.deductible},
                           std::pair{&total.other_patient, r.other_patient}, std::pair{&total.outstanding, r.outstanding},
                           std::pair{&total.provider_adjustments, r.provider_adjustments}})
    *sum += part;
  for (size_t b = 0; b < r.aged.size(); ++b) total.aged[b] += r.aged[b];
}

}  // namespace

std::vector<ReceivableRow> Receivables(const ReportData& d, const std::vector<BandSpec>& bands,
                                       const std::string& total_label) {
  std::map<std::string, ReceivableRow> by_facility;
  auto row = [&](const std::string& facility) -> ReceivableRow& {
    ReceivableRow& r = by_facility[facility];
    if (r.aged.empty()) r.aged.resize(bands.size());
    r.facility_id = facility;
    return r;
  };
  for (const PaymentRow& p : d.payments) Add(row(p.facility_id), p, bands);
  for (const ProviderAdjustmentRow& a : d.provider_adjustments) row(a.facility_id).provider_adjustments += a.amount;
  std::vector<ReceivableRow> out;
  ReceivableRow total;
  total.facility_id = total_label;
  total.aged.resize(bands.size());
  for (auto& [facility, r] : by_facility) {
    AddUp(total, r);
    out.push_back(std::move(r));
  }
  if (out.size() > 1) out.push_back(std::move(total));
  return out;
}

}  // namespace otp::workbook
