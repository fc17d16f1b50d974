// libFuzzer target for the X12 tokenizer (ReadX12) and the whole-file reader (ReadReturnFile)
// over arbitrary bytes. Invariants: a refusal names a segment or the file; an accepted file has
// nine-digit ISA13s, four distinct separators, segment ids of 2-3 capitals and digits in strictly
// increasing ordinals, no element holding its element separator or terminator; and the file
// written again from what was read (same separators) reads back to the same interchanges.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "input/x12_return_file.h"
#include "model/text.h"
#include "x12_read_common.h"

using namespace otp;
using otp::fuzz::Check;

namespace {

std::string Pad(const std::string& s, size_t width) {
  return s + std::string(width > s.size() ? width - s.size() : 0, ' ');
}

void Put(std::string& out, const X12Separators& sep, const std::string& id,
         const std::vector<std::string>& elements) {
  out += id;
  for (const auto& e : elements) out += sep.element + e;
  out += sep.segment;
}

// The interchanges again, with the fields ReadX12 keeps and each one's own separators.
std::string Rewrite(const std::vector<X12Interchange>& file) {
  std::string out;
  for (const auto& ic : file) {
    const X12Separators& s = ic.separators;
    Put(out, s, "ISA",
        {"00", std::string(10, ' '), "00", std::string(10, ' '), ic.sender_qualifier, Pad(ic.sender_id, 15),
         ic.receiver_qualifier, Pad(ic.receiver_id, 15), "260120", "0930", std::string(1, s.repetition),
         "00501", ic.control, "0", std::string(1, ic.usage), std::string(1, s.component)});
    for (const auto& g : ic.groups) {
      Put(out, s, "GS",
          {g.functional_id, g.sender, g.receiver, "20260120", "0930", g.control, "X", g.version});
      for (const auto& tx : g.transactions) {
        std::vector<std::string> st = {tx.id, tx.control};
        if (!tx.version.empty()) st.push_back(tx.version);
        Put(out, s, "ST", st);
        for (const auto& seg : tx.segments) Put(out, s, seg.id, seg.elements);
        Put(out, s, "SE", {std::to_string(tx.segments.size() + 2), tx.control});
      }
      Put(out, s, "GE", {std::to_string(g.transactions.size()), g.control});
    }
    Put(out, s, "IEA", {std::to_string(ic.groups.size()), ic.control});
  }
  return out;
}

bool SameSegments(const X12Transaction& a, const X12Transaction& b) {
  if (a.id != b.id || a.control != b.control || a.version != b.version ||
      a.segments.size() != b.segments.size())
    return false;
  for (size_t i = 0; i < a.segments.size(); ++i)
    if (a.segments[i].id != b.segments[i].id || a.segments[i].elements != b.segments[i].elements ||
        a.segments[i].ordinal != b.segments[i].ordinal)
      return false;
  return true;
}

bool Same(const std::vector<X12Interchange>& a, const std::vector<X12Interchange>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto &x = a[i], &y = b[i];
    if (x.control != y.control || x.usage != y.usage || x.sender_id != y.sender_id ||
        x.groups.size() != y.groups.size())
      return false;
    for (size_t j = 0; j < x.groups.size(); ++j) {
      const auto &g = x.groups[j], &h = y.groups[j];
      if (g.functional_id != h.functional_id || g.control != h.control || g.version != h.version ||
          g.transactions.size() != h.transactions.size())
        return false;
      for (size_t k = 0; k < g.transactions.size(); ++k)
        if (!SameSegments(g.transactions[k], h.transactions[k])) return false;
    }
  }
  return true;
}

void CheckShape(const std::vector<X12Interchange>& file) {
  int64_t last = 0;
  for (const auto& ic : file) {
    const X12Separators& s = ic.separators;
    Check(ic.control.size() == 9 && AllDigits(ic.control), "ISA13 is nine digits");
    Check(s.element != s.component && s.element != s.repetition && s.element != s.segment &&
              s.component != s.repetition && s.component != s.segment && s.repetition != s.segment,
          "the separators are distinct");
    Check(ic.isa_ordinal > last, "ordinals increase");
    last = ic.isa_ordinal;
    for (const auto& g : ic.groups)
      for (const auto& tx : g.transactions)
        for (const auto& seg : tx.segments) {
          Check(seg.ordinal > last, "ordinals increase");
          last = seg.ordinal;
          Check(seg.id.size() == 2 || seg.id.size() == 3, "a segment id has 2 or 3 characters");
          for (const auto& e : seg.elements)
            Check(e.find(s.element) == std::string::npos && e.find(s.segment) == std::string::npos,
                  "no element holds its element separator or terminator");
        }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto whole = ReadReturnFile(in);
  if (!whole.ok()) fuzz::CheckRefusal(whole.status());
  auto r = ReadX12(in);
  if (!r.ok()) {
    fuzz::CheckRefusal(r.status());
    Check(!whole.ok(), "a file the tokenizer refuses is refused whole");
    return 0;
  }
  CheckShape(*r);
  auto kind = DetectKind(*r);
  if (!kind.ok()) fuzz::CheckRefusal(kind.status());
  auto again = ReadX12(Rewrite(*r));
  Check(again.ok(), "the file written again from what was read is read");
  Check(Same(*r, *again), "and reads back the same");
  return 0;
}
