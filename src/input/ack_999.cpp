// 999 implementation acknowledgment reader; see ack_999.h.
#include "input/ack_999.h"

#include "input/x12_fields.h"

namespace otp {
namespace {

using namespace x12;

class Reader999 {
 public:
  Status Read(const X12Segment& s) {
    if (state_ == State::kDone) return Fail(s, "a segment after AK9, which ends the 999");
    if (s.id == "AK1") return Ak1(s);
    if (s.id == "AK2") return Ak2(s);
    if (s.id == "IK3") return Ik3(s);
    if (s.id == "IK4") return Ik4(s);
    if (s.id == "CTX") return Ctx(s);
    if (s.id == "IK5") return Ik5(s);
    if (s.id == "AK9") return Ak9(s);
    return Fail(s, "not a segment of the 999 (005010X231A1)");
  }

  Result<Ack999> Finish(const X12Transaction& tx) {
    if (state_ != State::kDone)
      return FailAt(tx.st_ordinal, "ST", "the 999 has no AK9 (or an AK2 without IK5)");
    return std::move(out_);
  }

 private:
  enum class State { kStart, kGroup, kAk2, kIk3, kIk4, kDone };

  Status Ak1(const X12Segment& s) {
    if (state_ != State::kStart) return Fail(s, "AK1 must be the first segment, and only once");
    OTP_X12_TRY(Need(s, 1, out_.functional_id));
    int64_t control = 0;
    OTP_X12_TRY(NeedCount(s, 2, control));
    if (s.Element(2).size() > 9) return Fail(s, "AK102 is not a group control number of 1 to 9 digits");
    out_.group_control = std::string(s.Element(2));
    out_.version = std::string(s.Element(3));
    state_ = State::kGroup;
    return Status::Ok();
  }

  Status Ak2(const X12Segment& s) {
    if (state_ == State::kStart) return Fail(s, "AK2 before AK1");
    if (state_ != State::kGroup) return Fail(s, "AK2 before the IK5 that ends the previous AK2");
    Ack999Transaction t;
    OTP_X12_TRY(Need(s, 1, t.transaction_id));
    OTP_X12_TRY(Need(s, 2, t.control));
    t.version = std::string(s.Element(3));
    out_.transactions.push_back(std::move(t));
    state_ = State::kAk2;
    return Status::Ok();
  }

  Status Ik3(const X12Segment& s) {
    if (!InAk2()) return Fail(s, "IK3 outside an AK2 loop");
    Ack999SegmentError e;
    OTP_X12_TRY(Need(s, 1, e.segment_id));
    OTP_X12_TRY(NeedCount(s, 2, e.position));
    e.loop_id = std::string(s.Element(3));
    e.error_code = std::string(s.Element(4));
    out_.transactions.back().errors.push_back(std::move(e));
    state_ = State::kIk3;
    return Status::Ok();
  }

  Status Ik4(const X12Segment& s) {
    if (state_ != State::kIk3 && state_ != State::kIk4) return Fail(s, "IK4 outside an IK3 loop");
    Ack999ElementError e;
    auto parts = s.Components(1);
    if (parts.empty()) return Fail(s, "IK401-1 (the element position) is required");
    if (Status st = Position(s, parts, e); !st.ok()) return st;
    e.element_reference = std::string(s.Element(2));
    OTP_X12_TRY(Need(s, 3, e.error_code));
    e.bad_value = std::string(s.Element(4));
    out_.transactions.back().errors.back().elements.push_back(std::move(e));
    state_ = State::kIk4;
    return Status::Ok();
  }

  // IK401: element position, then optional component and repetition positions.
  static Status Position(const X12Segment& s, const std::vector<std::string_view>& parts,
                         Ack999ElementError& e) {
    int64_t* slots[3] = {&e.position, &e.component, &e.repetition};
    for (size_t i = 0; i < parts.size() && i < 3; ++i) {
      if (parts[i].empty() && i > 0) continue;
      auto v = ParseCount(parts[i]);
      if (!v) return Fail(s, Ref(s, 1, i + 1) + " is not a whole number");
      *slots[i] = *v;
    }
    return Status::Ok();
  }

  Status Ctx(const X12Segment& s) {
    if (state_ != State::kIk3 && state_ != State::kIk4) return Fail(s, "CTX outside an IK3 loop");
    Ack999Context c{std::string(s.Component(1, 1)), std::string(s.Component(1, 2))};
    if (c.name.empty()) return Fail(s, "CTX01-1 (the context name) is required");
    auto& seg_error = out_.transactions.back().errors.back();
    if (state_ == State::kIk4)
      seg_error.elements.back().contexts.push_back(std::move(c));
    else
      seg_error.contexts.push_back(std::move(c));
    return Status::Ok();
  }

  Status Ik5(const X12Segment& s) {
    if (!InAk2()) return Fail(s, "IK5 outside an AK2 loop");
    std::string code;
    OTP_X12_TRY(NeedCode(s, 1, {"A", "E", "M", "R", "W", "X"}, code));
    auto& t = out_.transactions.back();
    t.status = code[0];
    for (size_t n = 2; n <= 6; ++n)
      if (!s.Element(n).empty()) t.error_codes.emplace_back(s.Element(n));
    state_ = State::kGroup;
    return Status::Ok();
  }

  Status Ak9(const X12Segment& s) {
    if (state_ == State::kStart) return Fail(s, "AK9 before AK1");
    if (state_ != State::kGroup) return Fail(s, "AK9 before the IK5 that ends the last AK2");
    std::string code;
    OTP_X12_TRY(NeedCode(s, 1, {"A", "E", "M", "P", "R", "W", "X"}, code));
    out_.group_status = code[0];
    OTP_X12_TRY(NeedCount(s, 2, out_.included));
    OTP_X12_TRY(NeedCount(s, 3, out_.received));
    OTP_X12_TRY(NeedCount(s, 4, out_.accepted));
    for (size_t n = 5; n <= 9; ++n)
      if (!s.Element(n).empty()) out_.group_error_codes.emplace_back(s.Element(n));
    OTP_X12_TRY(CheckCounts(s));
    state_ = State::kDone;
    return Status::Ok();
  }

  Status CheckCounts(const X12Segment& s) const {
    if (out_.accepted > out_.received) return Fail(s, "AK904 (accepted) is more than AK903 (received)");
    if (static_cast<int64_t>(out_.transactions.size()) != out_.received) return Status::Ok();
    int64_t accepted = 0;
    for (const auto& t : out_.transactions) accepted += t.Accepted() ? 1 : 0;
    if (accepted != out_.accepted)
      return Fail(s, "AK904 is " + std::to_string(out_.accepted) + " but " + std::to_string(accepted) +
                         " of the AK2 loops are accepted (IK5 A or E)");
    return Status::Ok();
  }

  bool InAk2() const { return state_ == State::kAk2 || state_ == State::kIk3 || state_ == State::kIk4; }

  Ack999 out_;
  State state_ = State::kStart;
};

}  // namespace

Result<Ack999> Read999(const X12Transaction& tx) {
  Reader999 r;
  for (const auto& s : tx.segments) OTP_X12_TRY(r.Read(s));
  return r.Finish(tx);
}

}  // namespace otp
