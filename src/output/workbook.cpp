// Compliance workbook writer: the layout from templates/workbook.xml (workbook_layout.h), the
// Summary page (workbook_summary.cpp), and here the listing sheets and the file itself.
#include "output/workbook.h"


#include <algorithm>
#include <cmath>
#include <filesystem>
#include <vector>

#include "output/workbook_book.h"

namespace otp {
namespace {

using namespace workbook;

template <class Row>
using ForEachRow = std::function<Status(const std::function<void(const Row&)>&)>;

template <class Row>
ForEachRow<Row> Rows(const std::vector<Row>& rows) {
  return [&rows](const std::function<void(const Row&)>& fn) {
    for (const Row& r : rows) fn(r);
    return Status::Ok();
  };
}

// The report's claim lines, in claim order.
ForEachRow<ClaimRow> ClaimLines(const ReportData& d) {
  return [&d](const std::function<void(const ClaimRow&)>& fn) { return d.claims->ForEach(fn); };
}

// The reference entries the sheets before it used, in the rule book's order.
std::vector<ReferenceRow> UsedReference(const Book& book) {
  std::vector<ReferenceRow> used;
  for (const ReferenceRow& r : book.data().reference)
    if (book.UsesTerm(r.id)) used.push_back(r);
  return used;
}

// One listing sheet: a header row, then one row per Row from `for_each`, in order. A sheet that
// reaches the row limit continues on "Name (2)", "Name (3)"…, each with the same header, frozen
// pane, autofilter, highlights and print setup. A sheet without rows says the template's `empty`.
// A Tail goes below the last part's rows after a blank row, outside the autofilter, or on a
// part of its own when it does not fit in the rows left (it is never split).
template <class Row>
class Listing {
 public:
  Listing(Book& book, const SheetSpec& spec, std::span<const FieldDef<Row>> fields) : b_(book), spec_(spec) {
    for (const auto& col : spec.columns) defs_.push_back(FindField(fields, col.field));
    per_sheet_ = std::max<int64_t>(1, std::min<int64_t>(book.options().max_rows_per_sheet, LXW_ROW_MAX) - 1);
    last_col_ = static_cast<lxw_col_t>(spec.columns.size() - 1);
  }

  void Write(const ForEachRow<Row>& for_each, const Tail* tail = nullptr) {
    Open();
    if (!ws_) return;
    Status read = for_each([&](const Row& row) {
      if (!ws_ || !b_.ok()) return;
      if (static_cast<int64_t>(r_) - 1 == per_sheet_) {
        Close();
        ++part_;
        Open();
        if (!ws_) return;
      }
      WriteRow(row);
    });
    if (!read.ok()) b_.Fail(read);
    if (!ws_) return;
    if (part_ == 0 && r_ == 1 && !spec_.empty.empty()) {
      b_.Block(ws_, 1, last_col_, spec_.empty, spec_.columns.empty() ? 40 : TotalWidth(), b_.wrap);
      ++r_;
    }
    if (tail && tail->rows > 0 && static_cast<int64_t>(r_) + tail->rows > per_sheet_ + 1) {
      Close();
      ++part_;
      Open();
      if (!ws_) return;
    }
    Close();
    if (tail && tail->rows > 0) tail->write(ws_, r_ + 1);
  }

 private:
  double TotalWidth() const {
    double w = 0;
    for (const auto& c : spec_.columns) w += c.width;
    return w;
  }

  void Open() {
    const std::string name = part_ == 0 ? spec_.name : spec_.name + " (" + std::to_string(part_ + 1) + ")";
    ws_ = b_.AddSheet(name, 0, /*fit_width=*/true);
    if (!ws_) return;
    for (size_t c = 0; c < spec_.columns.size(); ++c) {
      const ColumnSpec& col = spec_.columns[c];
      const auto at = static_cast<lxw_col_t>(c);
      b_.Check(worksheet_set_column(ws_, at, at, col.width, col.wrap ? b_.wrap : b_.text), "column width");
    }
    for (size_t c = spec_.columns.size(); c < spec_.widths.size(); ++c) {  // its tables' alone
      const auto at = static_cast<lxw_col_t>(c);
      b_.Check(worksheet_set_column(ws_, at, at, spec_.widths[c], b_.text), "column width");
    }
    worksheet_freeze_panes(ws_, 1, 0);
    b_.HeaderRow(ws_, 0, spec_.columns);
    r_ = 1;
  }

  // The row's cells, its height set first for the wrapped text it holds.
  void WriteRow(const Row& row) {
    cells_.clear();
    int lines = 1;
    for (size_t c = 0; c < defs_.size(); ++c) {
      const ColumnSpec& col = spec_.columns[c];
      cells_.push_back(defs_[c]->get(row, b_.context()));
      if (col.wrap && !cells_.back().blank) lines = std::max(lines, Book::LinesFor(cells_.back().text, col.width));
    }
    b_.FitRow(ws_, r_, lines);
    for (size_t c = 0; c < defs_.size(); ++c) {
      const ColumnSpec& col = spec_.columns[c];
      if (col.terms && !cells_[c].blank) b_.NoteTerms(cells_[c].text);
      b_.Write(ws_, r_, static_cast<lxw_col_t>(c), cells_[c], col.format, col.wrap ? b_.wrap : b_.text);
    }
    ++r_;
  }

  void Close() {
    const lxw_row_t last_row = r_ - 1;
    b_.Check(worksheet_autofilter(ws_, 0, 0, last_row, last_col_), "autofilter");
    b_.Highlights(ws_, spec_.columns, 1, last_row);
  }

  Book& b_;
  const SheetSpec& spec_;
  std::vector<const FieldDef<Row>*> defs_;
  int64_t per_sheet_ = 0;
  lxw_col_t last_col_ = 0;
  int part_ = 0;
  lxw_worksheet* ws_ = nullptr;
  lxw_row_t r_ = 1;
  std::vector<Cell> cells_;  // the row being written
};

template <class Row>
void WriteListing(Book& book, const SheetSpec& spec, std::span<const FieldDef<Row>> fields,
                  const ForEachRow<Row>& for_each) {
  Listing<Row>(book, spec, fields).Write(for_each);
}

// The Payments sheet: a claim a row, and below them the receivables by facility and the
// payments' provider-level adjustments (PaymentsTail).
void WritePayments(Book& b, const SheetSpec& s) {
  Listing<PaymentRow> listing(b, s, PaymentFields());
  const PaymentsTail tail(b, s);
  const Tail below{tail.Rows(), [&tail](lxw_worksheet* ws, lxw_row_t first) { tail.Write(ws, first); }};
  listing.Write(Rows(b.data().payments), &below);
}

void WriteSheet(Book& b, const SheetSpec& s) {
  const ReportData& d = b.data();
  const std::string& r = s.rows;
  if (r == "summary") WriteSummary(b, s);
  else if (r == "work") WriteListing(b, s, WorkFields(), Rows(d.work));
  else if (r == "claims") WriteListing(b, s, ClaimFields(), ClaimLines(d));
  else if (r == "payments") WritePayments(b, s);
  else if (r == "held") WriteListing(b, s, HeldFields(), Rows(d.held));
  else if (r == "findings") WriteListing(b, s, FindingFields(), Rows(d.findings));
  else if (r == "credentials") WriteListing(b, s, CredentialFields(), Rows(d.credentials));
  else if (r == "rejects") WriteListing(b, s, RejectFields(), Rows(d.rejects));
  else if (r == "audit") WriteListing(b, s, AuditFields(), ClaimLines(d));
  else if (r == "reference") {
    const std::vector<ReferenceRow> used = UsedReference(b);  // the layout puts Reference last
    WriteListing(b, s, ReferenceFields(), Rows(used));
  }
}

}  // namespace

Status WriteWorkbook(const ReportData& data, const std::string& templates_dir, FileSystem& fs,
                     const std::string& path, const WorkbookOptions& options) {
  OTP_ASSIGN_OR_RETURN(const Layout layout, LoadLayout(fs, templates_dir));
  return WriteWorkbook(data, layout, fs, path, options);
}

Status WriteWorkbook(const ReportData& data, const Layout& layout, FileSystem& fs, const std::string& path,
                     const WorkbookOptions& options) {
  // The temporary file is made new and 0600 before libxlsxwriter opens it ("wb" keeps the
  // mode), so the protected health information in it is never readable by others, even for a
  // moment, and its name is one no link can have been planted at.
  OTP_ASSIGN_OR_RETURN(const std::string temp, fs.MakeTemp(path));

  // constant_memory: rows go to disk as they are written (a 1M-row Claims sheet stays small in
  // memory); its scratch files go beside the output, not in a shared /tmp.
  std::string tmpdir = std::filesystem::path(path).parent_path().string();
  if (tmpdir.empty()) tmpdir = ".";
  const int64_t total_rows = static_cast<int64_t>(data.held.size() + data.findings.size() + data.rejects.size() +
                                                  data.work.size() + data.payments.size()) +
                             2 * data.claims->lines();
  lxw_workbook_options opts{};
  opts.constant_memory = LXW_TRUE;
  opts.tmpdir = tmpdir.data();
  opts.use_zip64 = total_rows > 1000000 ? LXW_TRUE : LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(temp.c_str(), &opts);
  if (!wb) {
    (void)fs.Remove(temp);  // nothing to take back if it is not there
    return Status::Io("cannot start workbook " + path);
  }
  Status st;
  {
    Book book(wb, layout, options, data);
    for (const SheetSpec& s : layout.sheets) {
      if (!book.ok()) break;
      WriteSheet(book, s);
    }
    st = book.status();
  }
  lxw_error closed = workbook_close(wb);  // writes the file and frees the workbook
  if (st.ok() && closed != LXW_NO_ERROR) st = Status::Io("cannot write workbook " + path + ": " + lxw_strerror(closed));
  if (!st.ok()) {
    (void)fs.Remove(temp);  // the failure reported is the write's
    return st;
  }
  return fs.Publish(temp, path);
}

}  // namespace otp
