// ClaimSpill: one record per claim — its byte length, then the claim's fields and its lines',
// strings as a 32-bit length and bytes, numbers as fixed-width integers in host order (the
// file never outlives the process that wrote it).
#include "output/claim_spill.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace otp {
namespace {

constexpr size_t kFlushAt = 1 << 20;

template <class T>
void Put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
void PutText(std::string& out, const std::string& s) {
  Put<uint32_t>(out, static_cast<uint32_t>(s.size()));
  out += s;
}

// Reads fields back from one claim's record; a short record is a bug (the file is ours).
class Reader {
 public:
  Reader(const char* p, size_t n) : p_(p), end_(p + n) {}
  template <class T>
  T Get() {
    Need(sizeof(T));
    T v;
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
    return v;
  }
  void GetText(std::string& s) {
    const uint32_t n = Get<uint32_t>();
    Need(n);
    s.assign(p_, n);
    p_ += n;
  }

 private:
  void Need(size_t n) const {
    if (static_cast<size_t>(end_ - p_) < n) throw std::logic_error("claim spill: a record is cut short");
  }
  const char* p_;
  const char* end_;
};

std::string Errno(const char* what) { return std::string("claim spill: ") + what + ": " + std::strerror(errno); }

}  // namespace

Result<std::shared_ptr<ClaimSpill>> ClaimSpill::Create(const std::string& dir) {
  std::string path = (dir.empty() ? std::string(".") : dir) + "/.otpbatch-claims-XXXXXX";
  std::vector<char> name(path.begin(), path.end());
  name.push_back('\0');
  int fd = ::mkostemp(name.data(), O_CLOEXEC);  // created 0600
  if (fd < 0) return Status::Io(Errno("cannot create a temporary file in the ledger's directory"));
  ::unlink(name.data());
  return std::shared_ptr<ClaimSpill>(new ClaimSpill(fd));
}

ClaimSpill::~ClaimSpill() { ::close(fd_); }

Status ClaimSpill::Append(const Claim& c) {
  const size_t start = buffer_.size();
  Put<uint32_t>(buffer_, 0);  // the record's length, filled in below
  PutText(buffer_, c.claim_id);
  PutText(buffer_, c.facility_id);
  PutText(buffer_, c.patient_id);
  PutText(buffer_, c.diagnosis);
  PutText(buffer_, c.file);
  Put<uint32_t>(buffer_, static_cast<uint32_t>(c.lines.size()));
  for (const ClaimLine& l : c.lines) {
    PutText(buffer_, l.code);
    Put<uint32_t>(buffer_, static_cast<uint32_t>(l.modifiers.size()));
    for (const auto& m : l.modifiers) PutText(buffer_, m);
    Put<int32_t>(buffer_, l.dos.days());
    Put<int32_t>(buffer_, l.units);
    Put<int64_t>(buffer_, l.unit_price.cents());
    Put<int64_t>(buffer_, l.charge.cents());
    PutText(buffer_, l.rule_id);
    PutText(buffer_, l.rate_ref);
    Put<uint32_t>(buffer_, static_cast<uint32_t>(l.source_record_ids.size()));
    for (const auto& id : l.source_record_ids) PutText(buffer_, id);
    PutText(buffer_, l.practitioner_npi);
    Put<int32_t>(buffer_, l.episode_start.days());
    Put<uint32_t>(buffer_, static_cast<uint32_t>(l.edits.size()));
    for (const auto& e : l.edits) PutText(buffer_, e);
  }
  const uint32_t size = static_cast<uint32_t>(buffer_.size() - start - sizeof(uint32_t));
  std::memcpy(buffer_.data() + start, &size, sizeof size);
  lines_ += static_cast<int64_t>(c.lines.size());
  return buffer_.size() >= kFlushAt ? Flush() : Status::Ok();
}

Status ClaimSpill::Flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::pwrite(fd_, buffer_.data() + done, buffer_.size() - done, written_ + static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Io(Errno("cannot write"));
    }
    done += static_cast<size_t>(n);
  }
  written_ += static_cast<int64_t>(done);
  buffer_.clear();
  return Status::Ok();
}

Status ClaimSpill::ReadAt(int64_t at, void* to, size_t n) const {
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd_, static_cast<char*>(to) + done, n - done, at + static_cast<off_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Status::Io(Errno("cannot read"));
    if (got == 0) return Status::Io("claim spill: the file is cut short");
    done += static_cast<size_t>(got);
  }
  return Status::Ok();
}

Status ClaimSpill::ForEach(const std::function<void(const ClaimRow&)>& fn) const {
  if (!buffer_.empty()) throw std::logic_error("claim spill: read before Flush");
  std::vector<char> chunk;
  Claim c;
  int64_t at = 0;
  while (at < written_) {
    uint32_t size = 0;
    OTP_TRY(ReadAt(at, &size, sizeof size));
    chunk.resize(size);
    OTP_TRY(ReadAt(at + static_cast<int64_t>(sizeof size), chunk.data(), size));
    at += static_cast<int64_t>(sizeof size) + size;
    Reader r(chunk.data(), size);
    r.GetText(c.claim_id);
    r.GetText(c.facility_id);
    r.GetText(c.patient_id);
    r.GetText(c.diagnosis);
    r.GetText(c.file);
    c.lines.resize(r.Get<uint32_t>());
    for (ClaimLine& l : c.lines) {
      r.GetText(l.code);
      l.modifiers.resize(r.Get<uint32_t>());
      for (auto& m : l.modifiers) r.GetText(m);
      l.dos = Date::FromDays(r.Get<int32_t>());
      l.units = r.Get<int32_t>();
      l.unit_price = Money::Cents(r.Get<int64_t>());
      l.charge = Money::Cents(r.Get<int64_t>());
      r.GetText(l.rule_id);
      r.GetText(l.rate_ref);
      l.source_record_ids.resize(r.Get<uint32_t>());
      for (auto& id : l.source_record_ids) r.GetText(id);
      r.GetText(l.practitioner_npi);
      l.episode_start = Date::FromDays(r.Get<int32_t>());
      l.edits.resize(r.Get<uint32_t>());
      for (auto& e : l.edits) r.GetText(e);
    }
    const Money total = c.Total();
    for (size_t i = 0; i < c.lines.size(); ++i) fn(ClaimRow{&c, &c.lines[i], static_cast<int>(i + 1), total});
  }
  return Status::Ok();
}

}  // namespace otp
