// A whole 999 / 277CA / 835 file; see x12_return_file.h.
#include "input/x12_return_file.h"

#include "model/text.h"

namespace otp {
namespace {

std::string DigestOf(const X12Transaction& tx) {
  uint64_t h = Fnv1a(tx.id);
  for (const X12Segment& seg : tx.segments) {
    h = Fnv1a("\x1e" + seg.id, h);
    for (const std::string& e : seg.elements) h = Fnv1a("\x1f" + e, h);
  }
  return Hex64(h);
}

template <typename T>
Status Add(Result<T> r, X12Origin origin, const X12Transaction& tx, std::vector<FromFile<T>>& to) {
  if (!r.ok()) return r.status();
  to.push_back({std::move(origin), std::move(r).value(), DigestOf(tx)});
  return Status::Ok();
}

Status ReadOne(const X12Interchange& ic, const X12Group& g, const X12Transaction& tx, ReturnFile& out) {
  auto kind = KindOf(g, tx);
  if (!kind.ok()) return kind.status();
  X12Origin origin = OriginOf(ic, g, tx);
  switch (*kind) {
    case X12Kind::k999:
      return Add(Read999(tx), std::move(origin), tx, out.acks);
    case X12Kind::k277CA:
      return Add(Read277CA(tx), std::move(origin), tx, out.claim_acks);
    case X12Kind::k835:
      return Add(Read835(tx), std::move(origin), tx, out.remits);
  }
  return Status::Internal("unknown X12 kind");
}

}  // namespace

Result<ReturnFile> ReadReturnFile(std::string_view bytes) {
  auto file = ReadX12(bytes);
  if (!file.ok()) return file.status();
  ReturnFile out;
  for (const auto& ic : *file)
    for (const auto& g : ic.groups)
      for (const auto& tx : g.transactions)
        if (Status s = ReadOne(ic, g, tx, out); !s.ok()) return s;
  if (out.size() == 0) return Status::InvalidArgument("the file holds no transaction (no ST)");
  return out;
}

}  // namespace otp
