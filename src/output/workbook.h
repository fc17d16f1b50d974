// The compliance workbook (interface.md §4): Summary, Claims, Held, Findings, Credentials,
// Rejected, Audit, laid out by templates/workbook.xml and written with libxlsxwriter (kept
// inside workbook.cpp). Header rows frozen, autofilter on, dates as real Excel dates, money in
// a currency format, text always written as text (never a formula), a sheet that passes the
// row limit continues on "Claims (2)". Every text is written as well-formed XML text: bytes
// that are not UTF-8 and characters XML 1.0 cannot hold become U+FFFD. The file is written
// beside its target in a new temporary file (FileSystem::MakeTemp, 0600), then
// FileSystem::Publish moves it into place; on any failure no file and no temporary file is left.
#pragma once

#include <cstdint>
#include <string>

#include "model/status.h"
#include "output/report_data.h"
#include "output/workbook_layout.h"
#include "platform/fs.h"

namespace otp {

struct WorkbookOptions {
  // Rows per sheet including the header row; Excel's limit. Tests lower it to prove the split.
  int64_t max_rows_per_sheet = 1048576;
};

// With a layout read before (workbook::LoadLayout): a caller that loads it before it does any
// work stops on a bad template at once, not after the night. A write failure is kIo.
Status WriteWorkbook(const ReportData& data, const workbook::Layout& layout, FileSystem& fs,
                     const std::string& path, const WorkbookOptions& options = {});
// templates_dir holds workbook.xml, read now. A bad template is StatusCode::kConfig.
Status WriteWorkbook(const ReportData& data, const std::string& templates_dir, FileSystem& fs,
                     const std::string& path, const WorkbookOptions& options = {});

}  // namespace otp
