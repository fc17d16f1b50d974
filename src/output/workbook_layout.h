// The workbook's layout as templates/workbook.xml gives it (inside src/output): the sheets in
// order, their columns or Summary sections, formats, highlights and print setup. LoadLayout
// checks every name against the fields workbook_fields.h knows, so a template that asks for
// something the writer cannot show is a configuration error before anything is written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/status.h"
#include "output/workbook_fields.h"
#include "platform/fs.h"

namespace otp::workbook {

struct Highlight {
  enum class Op { kLt, kLe, kGt, kGe, kEq, kText } op = Op::kEq;
  double value = 0;
  std::string text;                      // op kText: the word
  std::optional<uint32_t> fill, font;    // 0xRRGGBB
};

struct ColumnSpec {
  std::string header, field;
  double width = 12;
  Kind format = Kind::kText;
  bool wrap = false;   // long text wraps inside the column
  bool terms = false;  // its codes, rule ids and reasons are explained on the Reference sheet
  std::vector<Highlight> highlights;
  int band = -1;       // a receivables column: the outstanding of this age band (TableSpec::bands)
};

struct ItemSpec {
  std::string label, field;
  bool night_only = false;  // left out of a period report
};

struct SectionSpec {
  std::string kind, title, source, chart, chart_title, text, total_label;
  std::string label_header, value_header;  // items, map
  std::string key_header, items_header, rows_header, total_header, amount_header;  // held, work
  std::string none, some;                  // unverified
  std::vector<ItemSpec> items;
  std::vector<ColumnSpec> columns;
  std::vector<BandSpec> bands;
};

// A table below a listing's rows, in the listing's columns (the Payments sheet's receivables and
// provider-level adjustments). A column whose width the template leaves out takes the listing's;
// a column the table and the listing share is as wide as the wider of the two.
struct TableSpec {
  std::string title, empty, total_label;
  std::vector<ColumnSpec> columns;  // for receivables, band columns among them
  std::vector<BandSpec> bands;
};

struct SheetSpec {
  std::string name, rows, title, empty;
  std::vector<ColumnSpec> columns;
  std::vector<double> widths;  // the Summary's columns; a listing's, its tables' included
  std::vector<SectionSpec> sections;
  std::optional<TableSpec> receivables, provider_adjustments;  // the Payments sheet's
};

// How every sheet prints (interface.md §4). Header and footer texts are Excel's codes already:
// "&A" the sheet's name, "&P" the page, "&N" the pages, "&&" a literal "&".
struct PrintSpec {
  uint8_t paper = 1;   // Excel's paper codes: 1 letter, 9 A4
  int page_rows = 30;  // rows of default height one landscape page holds
  std::string header, footer;
};

struct Layout {
  std::string date_fmt = "yyyy-mm-dd", money_fmt = "$#,##0.00", integer_fmt = "#,##0", percent_fmt = "0.0%";
  PrintSpec print;
  std::vector<SheetSpec> sheets;
};

// Reads <templates_dir>/workbook.xml; kConfig when it is unreadable or asks for what the
// writer cannot show.
Result<Layout> LoadLayout(FileSystem& fs, const std::string& templates_dir);

}  // namespace otp::workbook
