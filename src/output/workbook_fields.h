// The values each kind of workbook row can show, by the field names templates/workbook.xml uses
// (inside src/output: the layout loader checks names against these, the writers read them).
// A field turns a row into a Cell: text, a date, money, a count or a share, or nothing.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/money.h"
#include "output/report_data.h"

namespace otp::workbook {

enum class Kind { kText, kDate, kMoney, kInteger, kPercent };

struct Cell {
  Kind kind = Kind::kText;
  bool blank = false;
  std::string text;  // kText, or the words shown instead of a number (e.g. "open")
  Date date;
  Money money;
  int64_t integer = 0;
  double ratio = 0;

  std::string Display() const;
};

Cell TextCell(std::string s);
Cell DateCell(Date d);
Cell MoneyCell(Money m);
Cell IntCell(int64_t n);
Cell BlankCell(Kind kind);
// An amount at stake: blank when there is none (a finding, a line that could not be priced).
Cell StakeCell(Money m);

// What a field may read besides its row: the whole report, and the 837P file of each facility's
// claims for the claims of a night, which do not carry their file (one file per facility and
// night, interface.md §3).
struct FieldContext {
  const ReportData& data;
  std::map<std::string, std::string> file_of_facility;
};
// The file_of_facility of a night's output files ("<facility>-<control number>.837").
std::map<std::string, std::string> ClaimFilesByFacility(const std::vector<std::string>& files);

// One facility's accounts receivable: its rows of the Payments sheet added up, and the
// provider-level adjustments of its payments (Receivables). `aged` is what is outstanding in
// each age band the template names, by the claims' age.
struct ReceivableRow {
  std::string facility_id;  // or the template's label of the total of all facilities
  int64_t claims = 0, open_claims = 0;  // open: something outstanding
  Money billed, paid, contractual, denied, other_adjusted, deductible, other_patient, outstanding;
  Money provider_adjustments;  // PLB: positive took money from the facility
  std::vector<Money> aged;
};

// The receivables of each facility of d.payments, in facility order, then (when there are
// several) their total labelled `total_label`; `bands` as workbook_layout.h reads them (ages up
// to each band's up_to, the last band every older one).
struct BandSpec {
  std::optional<int> up_to;  // the band holds ages up to this many days; none: every older one
  std::string label;
};
std::vector<ReceivableRow> Receivables(const ReportData& d, const std::vector<BandSpec>& bands,
                                       const std::string& total_label);

template <class Row>
struct FieldDef {
  const char* name;
  Kind kind;
  Cell (*get)(const Row&, const FieldContext&);
};

std::span<const FieldDef<WorkRow>> WorkFields();
std::span<const FieldDef<ClaimRow>> ClaimFields();
std::span<const FieldDef<PaymentRow>> PaymentFields();
std::span<const FieldDef<ReceivableRow>> ReceivableFields();
std::span<const FieldDef<ProviderAdjustmentRow>> ProviderAdjustmentFields();
std::span<const FieldDef<HeldRow>> HeldFields();
std::span<const FieldDef<Finding>> FindingFields();
std::span<const FieldDef<CredentialStatus>> CredentialFields();
std::span<const FieldDef<Reject>> RejectFields();
std::span<const FieldDef<ClaimRow>> AuditFields();
std::span<const FieldDef<ReferenceRow>> ReferenceFields();
std::span<const FieldDef<ReportData>> SummaryFields();  // the Summary's kind="items" lines

template <class Row>
const FieldDef<Row>* FindField(std::span<const FieldDef<Row>> fields, const std::string& name) {
  for (const auto& f : fields)
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace otp::workbook
