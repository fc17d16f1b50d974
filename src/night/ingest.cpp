// Ingest: patients and service rows into the ledger.
#include "night/ingest.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "ledger/ledger.h"
#include "night/configure.h"

namespace otp {
namespace {

// A bulk load stores the rows of the last days before the as-of date after the others: the
// week the night leaves open, whose rows the next nights decide, in one part of the table.
constexpr int kRecentDays = 8;

// Batches of rows handed from the thread that reads services.csv to the one that offers them to
// the ledger: at most kMaxBatches wait, so memory stays a few thousand rows. Stop() wakes a
// producer waiting for room (Push then answers false) when the consumer gives up.
class RowBatches {
 public:
  static constexpr size_t kBatchRows = 4096, kMaxBatches = 4;
  bool Push(std::vector<ServiceRecord>&& batch) {
    std::unique_lock<std::mutex> lock(mu_);
    room_.wait(lock, [&] { return stopped_ || queue_.size() < kMaxBatches; });
    if (stopped_) return false;
    queue_.push_back(std::move(batch));
    ready_.notify_one();
    return true;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    ready_.notify_one();
  }
  void Stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    room_.notify_all();
  }
  // The next batch; false when the producer closed and all were taken.
  bool Pop(std::vector<ServiceRecord>& out) {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [&] { return closed_ || !queue_.empty(); });
    if (queue_.empty()) return false;
    out = std::move(queue_.front());
    queue_.pop_front();
    room_.notify_one();
    return true;
  }

 private:
  std::mutex mu_;
  std::condition_variable room_, ready_;
  std::deque<std::vector<ServiceRecord>> queue_;
  bool closed_ = false, stopped_ = false;
};

// The reading thread's work: the services file, row by row, into `batches`.
Result<ServiceRead> ReadInto(NightInputs& in, CollectingReporter& reports, RowBatches& batches) {
  std::vector<ServiceRecord> batch;
  batch.reserve(RowBatches::kBatchRows);
  FileText& text = in.services;
  auto read = ReadServices(
      in.services_file, text.view(), in.config, in.rules.Quantities(), in.patients, reports,
      [&](ServiceRecord& r) {
        batch.push_back(std::move(r));
        if (batch.size() < RowBatches::kBatchRows) return true;
        const bool more = batches.Push(std::move(batch));
        batch = {};
        batch.reserve(RowBatches::kBatchRows);
        return more;
      },
      [&](size_t offset) { text.ReleaseBefore(offset); });
  if (read.ok() && !read.value().stopped && !batch.empty()) batches.Push(std::move(batch));
  return read;
}

// Offers one row; what it became is counted or remembered.
Status Offer(Ledger& ledger, const ServiceRecord& r, int64_t run_id, Ingested& out, RunCounts& counts) {
  OTP_ASSIGN_OR_RETURN(const RowOffer offer, ledger.OfferRow(r, run_id));
  switch (offer.state) {
    case RowState::kAlreadyDecided:
      ++counts.already_processed;
      break;
    case RowState::kChangedDecided:
      out.holds.push_back({r.facility_id, r.patient_id, r.service_date, "record-changed",
                           "record " + r.record_id + " changed after it was decided; the ledger keeps the first version",
                           "", {r.record_id}});
      ++counts.held;
      ++counts.held_by_reason["record-changed"];
      break;
    case RowState::kNew:
      break;
    case RowState::kChangedOpen:
      // State kept for its patients between nights may hold the row's old content.
      OTP_TRY(ledger.ForgetPatientState(r.facility_id, r.patient_id));
      if (offer.previous_patient != r.patient_id)
        OTP_TRY(ledger.ForgetPatientState(r.facility_id, offer.previous_patient));
      out.earlier_open.push_back(offer.rowid);
      break;
    case RowState::kOpen:
      out.earlier_open.push_back(offer.rowid);
      break;
  }
  return Status::Ok();
}

// The services, read on a second thread and offered here.
Status IngestServices(NightInputs& in, Ledger& ledger, int64_t run_id, Ingested& out, RunCounts& counts,
                      CollectingReporter& reports, Result<ServiceRead>& read) {
  RowBatches batches;
  std::thread reader([&] {
    read = ReadInto(in, reports, batches);
    batches.Close();
  });
  Status status;
  std::vector<ServiceRecord> batch;
  while (status.ok() && batches.Pop(batch))
    for (const ServiceRecord& r : batch)
      if (status = Offer(ledger, r, run_id, out, counts); !status.ok()) break;
  batches.Stop();  // a reader waiting for room gives up
  reader.join();
  return status;
}

}  // namespace

Result<Ingested> Ingest(NightInputs& in, Ledger& ledger, int64_t run_id, Date as_of, RunCounts& counts) {
  Ingested out;
  counts.patient_rows_read = in.patients.rows_read;
  counts.patient_rows_rejected = static_cast<int64_t>(in.patient_reports.rejects.size());
  for (const auto& p : in.patients.patients) OTP_TRY(ledger.UpsertPatient(p, run_id));
  for (const auto& r : in.patient_reports.rejects) OTP_TRY(ledger.AddReject(r, run_id));

  CollectingReporter reports;  // owned by the reading thread until it is joined
  Result<ServiceRead> read = Status::Io("the services file was not read to its end");
  OTP_TRY(IngestServices(in, ledger, run_id, out, counts, reports, read));
  if (!read.ok()) return read.status();  // the header was checked by Configure
  in.services = FileText();
  std::sort(out.earlier_open.begin(), out.earlier_open.end());
  for (const auto& r : reports.rejects) OTP_TRY(ledger.AddReject(r, run_id));
  counts.service_rows_read = read.value().rows_read;
  counts.rejected = static_cast<int64_t>(reports.rejects.size());
  counts.accepted = counts.service_rows_read - counts.rejected;
  counts.already_processed += read.value().duplicates_identical;
  out.warnings = in.patient_reports.warnings;
  out.warnings.insert(out.warnings.end(), reports.warnings.begin(), reports.warnings.end());
  OTP_TRY(ledger.StoreStagedRows(as_of - kRecentDays));
  return out;
}

}  // namespace otp
