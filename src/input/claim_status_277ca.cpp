// 277CA claim acknowledgment reader; see claim_status_277ca.h.
#include "input/claim_status_277ca.h"

#include <map>

#include "input/x12_fields.h"

namespace otp {
namespace {

using namespace x12;

// The loops of the 277CA as stupidedi transcribes 005010X214 (lib/stupidedi/guides/005010/
// X214-HN277.rb): 2000A information source (HL03 20), 2000B information receiver (21),
// 2000C billing provider (19), 2000D patient (PT) with its 2200D claims and 2220D lines.
enum class Level { kNone, kSource, kReceiver, kProvider, kPatient };

Level LevelOf(std::string_view code) {
  if (code == "20") return Level::kSource;
  if (code == "21") return Level::kReceiver;
  if (code == "19") return Level::kProvider;
  if (code == "PT") return Level::kPatient;
  return Level::kNone;
}

Level ParentOf(Level l) {
  switch (l) {
    case Level::kReceiver:
      return Level::kSource;
    case Level::kProvider:
      return Level::kReceiver;
    case Level::kPatient:
      return Level::kProvider;
    default:
      return Level::kNone;
  }
}

Status ReadStatusCode(const X12Segment& s, size_t n, ClaimStatusCode& out) {
  out = ClaimStatusCode{std::string(s.Component(n, 1)), std::string(s.Component(n, 2)),
                        std::string(s.Component(n, 3))};
  if (out.category.empty() || out.code.empty())
    return Fail(s, Ref(s, n) + " needs a category (-1) and a status code (-2)");
  return Status::Ok();
}

Status ReadStc(const X12Segment& s, ClaimStatus277& out) {
  out = ClaimStatus277{};
  out.segment = s.ordinal;
  OTP_X12_TRY(ReadStatusCode(s, 1, out.status));
  OTP_X12_TRY(OptDate(s, 2, out.date));
  OTP_X12_TRY(NeedCode(s, 3, {"WQ", "U"}, out.action));
  OTP_X12_TRY(OptAmount(s, 4, out.amount));
  for (size_t n : {10, 11}) {
    if (s.Element(n).empty()) continue;
    ClaimStatusCode more;
    OTP_X12_TRY(ReadStatusCode(s, n, more));
    out.more.push_back(std::move(more));
  }
  return Status::Ok();
}

AckOutcome Combine(const std::vector<ClaimStatus277>& statuses) {
  bool accepted = false, received = false;
  for (const auto& st : statuses) {
    AckOutcome o = st.Outcome();
    if (o == AckOutcome::kRejected) return o;
    accepted = accepted || o == AckOutcome::kAccepted;
    received = received || o == AckOutcome::kReceived;
  }
  return accepted ? AckOutcome::kAccepted : received ? AckOutcome::kReceived : AckOutcome::kOther;
}

class Reader277 {
 public:
  Status Read(const X12Segment& s) {
    if (!have_bht_) return Bht(s);
    if (s.id == "HL") return Hl(s);
    switch (level_) {
      case Level::kSource:
        return Source(s);
      case Level::kReceiver:
        return Receiver(s);
      case Level::kProvider:
        return Provider(s);
      case Level::kPatient:
        return line_ ? Line(s) : Patient(s);
      default:
        return Fail(s, "a segment before the first HL");
    }
  }

  Result<ClaimAck277> Finish(const X12Transaction& tx) {
    if (!have_bht_ || out_.batches.empty())
      return FailAt(tx.st_ordinal, "ST", "the 277CA has no BHT or no information receiver (HL 21)");
    OTP_X12_TRY(CloseLevel());
    return std::move(out_);
  }

 private:
  Status Bht(const X12Segment& s) {
    if (s.id != "BHT") return Fail(s, "the 277CA must begin with BHT");
    std::string code;
    OTP_X12_TRY(NeedCode(s, 1, {"0085"}, code));
    OTP_X12_TRY(Need(s, 3, out_.reference));
    OTP_X12_TRY(NeedDate(s, 4, out_.created));
    have_bht_ = true;
    return Status::Ok();
  }

  Status Hl(const X12Segment& s) {
    OTP_X12_TRY(CloseLevel());
    std::string id, parent_id = std::string(s.Element(2));
    OTP_X12_TRY(Need(s, 1, id));
    Level level = LevelOf(s.Element(3));
    if (level == Level::kNone) return Fail(s, "HL03 is not 20, 21, 19 or PT");
    if (hl_.count(id)) return Fail(s, "HL01 repeats an earlier HL01");
    Level want = ParentOf(level);
    auto parent = hl_.find(parent_id);
    if (want == Level::kNone ? !parent_id.empty() : parent == hl_.end() || parent->second.level != want)
      return Fail(s, "HL02 does not name an earlier HL one level up (20, 21, 19, PT)");
    Node node{level, want == Level::kNone ? 0 : parent->second.batch, ""};
    if (level == Level::kReceiver) {
      ClaimStatus277Batch b;
      b.segment = s.ordinal;
      node.batch = out_.batches.size();
      out_.batches.push_back(std::move(b));
    }
    if (level == Level::kPatient) node.provider = parent->second.provider;
    hl_[id] = node;
    level_ = level;
    node_ = id;
    level_start_ = s.ordinal;
    level_has_claim_ = false;
    return Status::Ok();
  }

  // What a loop must hold when it ends: a line and a claim their STC, a batch its TRN and STC,
  // a patient level at least one claim.
  Status CloseLine() {
    if (line_ && Claim().lines.back().statuses.empty())
      return FailAt(Claim().lines.back().segment, "SVC", "the service line has no STC");
    line_ = false;
    return Status::Ok();
  }

  Status CloseClaim() {
    OTP_X12_TRY(CloseLine());
    if (claim_ && Claim().statuses.empty())
      return FailAt(Claim().segment, "TRN", "claim " + Printable(Claim().claim_id) + " has no STC");
    claim_ = false;
    return Status::Ok();
  }

  Status CloseLevel() {
    OTP_X12_TRY(CloseClaim());
    if (level_ == Level::kReceiver && (Batch().batch_id.empty() || Batch().statuses.empty()))
      return FailAt(level_start_, "HL", "the information receiver has no TRN or no STC");
    if (level_ == Level::kPatient && !level_has_claim_)
      return FailAt(level_start_, "HL", "the patient level has no claim (TRN)");
    return Status::Ok();
  }

  Status Source(const X12Segment& s) {
    if (s.id == "NM1") {
      out_.payer_name = std::string(s.Element(3));
      out_.payer_id = std::string(s.Element(9));
      return Status::Ok();
    }
    if (s.id == "TRN") return Status::Ok();  // the payer's own receipt trace: not ours to match
    if (s.id == "DTP") {
      if (s.Element(1) == "050") return NeedDate(s, 3, out_.received);
      if (s.Element(1) == "009") return NeedDate(s, 3, out_.processed);
      return Fail(s, "DTP01 is neither 050 nor 009 at the information source level");
    }
    return Misplaced(s, "information source (HL 20)");
  }

  Status Receiver(const X12Segment& s) {
    auto& b = Batch();
    if (s.id == "NM1") return Need(s, 9, b.receiver_id);
    if (s.id == "TRN") return Need(s, 2, b.batch_id);
    if (s.id == "STC") return AddStc(s, b.statuses);
    if (s.id == "QTY") {
      if (s.Element(1) == "90") return Count(s, b.accepted_count);
      if (s.Element(1) == "AA") return Count(s, b.rejected_count);
      return Fail(s, "QTY01 is neither 90 nor AA at the information receiver level");
    }
    if (s.id == "AMT") {
      if (s.Element(1) == "YU") return Amount(s, b.accepted_amount);
      if (s.Element(1) == "YY") return Amount(s, b.rejected_amount);
      return Fail(s, "AMT01 is neither YU nor YY at the information receiver level");
    }
    return Misplaced(s, "information receiver (HL 21)");
  }

  Status Provider(const X12Segment& s) {
    if (s.id == "NM1") {
      OTP_X12_TRY(Need(s, 9, hl_[node_].provider));
      return Status::Ok();
    }
    if (s.id == "STC") {
      ClaimStatus277 st;
      return ReadStc(s, st);  // the provider's summary status: checked, not kept
    }
    if (s.id == "TRN" || s.id == "REF" || s.id == "QTY" || s.id == "AMT") return Status::Ok();
    return Misplaced(s, "billing provider (HL 19)");
  }

  Status Patient(const X12Segment& s) {
    if (s.id == "NM1" && !claim_) return Status::Ok();  // the patient's name and id: not kept
    if (s.id == "TRN") return StartClaim(s);
    if (!claim_) return Misplaced(s, "patient (HL PT) before its claim's TRN");
    auto& c = Claim();
    if (s.id == "STC") return AddStc(s, c.statuses);
    if (s.id == "REF") {
      if (s.Element(1) == "1K") return Need(s, 2, c.payer_claim_number);
      if (s.Element(1) == "D9") return Need(s, 2, c.clearinghouse_trace);
      return Status::Ok();  // BLT (institutional bill type) and others: not ours
    }
    if (s.id == "DTP") return ServiceDates(s, c.service_from, c.service_to);
    if (s.id == "SVC") return StartLine(s);
    return Misplaced(s, "claim (2200D)");
  }

  Status Line(const X12Segment& s) {
    if (s.id == "TRN") return StartClaim(s);
    if (s.id == "SVC") return StartLine(s);
    auto& l = Claim().lines.back();
    if (s.id == "STC") return AddStc(s, l.statuses);
    if (s.id == "REF") return s.Element(1) == "FJ" ? Need(s, 2, l.line_control_number) : Status::Ok();
    if (s.id == "DTP") return ServiceDates(s, l.service_from, l.service_to);
    return Misplaced(s, "service line (2220D)");
  }

  Status StartClaim(const X12Segment& s) {
    OTP_X12_TRY(CloseClaim());
    ClaimStatus277Claim c;
    c.segment = s.ordinal;
    std::string type;
    OTP_X12_TRY(NeedCode(s, 1, {"2"}, type));
    OTP_X12_TRY(Need(s, 2, c.claim_id));
    c.billing_provider_id = hl_[node_].provider;
    Batch().claims.push_back(std::move(c));
    claim_ = level_has_claim_ = true;
    return Status::Ok();
  }

  Status StartLine(const X12Segment& s) {
    OTP_X12_TRY(CloseLine());
    if (Claim().statuses.empty())
      return Fail(s, "claim " + Printable(Claim().claim_id) + " has no STC before its first service line");
    ServiceLineStatus277 l;
    l.segment = s.ordinal;
    OTP_X12_TRY(ReadProcedure(s, 1, l.procedure));
    OTP_X12_TRY(NeedAmount(s, 2, l.charge));
    l.revenue_code = std::string(s.Element(4));
    OTP_X12_TRY(OptQuantity(s, 7, l.units));
    Claim().lines.push_back(std::move(l));
    line_ = true;
    return Status::Ok();
  }

  static Status ServiceDates(const X12Segment& s, std::optional<Date>& from, std::optional<Date>& to) {
    if (s.Element(1) != "472") return Fail(s, "DTP01 is not 472 (service date) in a claim or line");
    Date a, b;
    OTP_X12_TRY(DateOrRange(s, 2, 3, a, b));
    from = a;
    to = b;
    return Status::Ok();
  }

  static Status AddStc(const X12Segment& s, std::vector<ClaimStatus277>& to) {
    ClaimStatus277 st;
    OTP_X12_TRY(ReadStc(s, st));
    to.push_back(std::move(st));
    return Status::Ok();
  }

  static Status Count(const X12Segment& s, std::optional<int64_t>& out) {
    int64_t v = 0;
    OTP_X12_TRY(NeedCount(s, 2, v));
    out = v;
    return Status::Ok();
  }

  static Status Amount(const X12Segment& s, std::optional<Money>& out) {
    Money m;
    OTP_X12_TRY(NeedAmount(s, 2, m));
    out = m;
    return Status::Ok();
  }

  static Status Misplaced(const X12Segment& s, std::string_view where) {
    return Fail(s, "not a segment of the 277CA (005010X214) in the " + std::string(where));
  }

  ClaimStatus277Batch& Batch() { return out_.batches[hl_[node_].batch]; }
  ClaimStatus277Claim& Claim() { return Batch().claims.back(); }

  struct Node {
    Level level = Level::kNone;
    size_t batch = 0;      // index in out_.batches of the 2000B this HL is under
    std::string provider;  // 2100C NM109 of the 2000C this HL is or is under
  };

  ClaimAck277 out_;
  bool have_bht_ = false;
  std::map<std::string, Node> hl_;  // HL01 → node
  std::string node_;                // the current HL01
  Level level_ = Level::kNone;
  int64_t level_start_ = 0;       // the current HL's segment
  bool level_has_claim_ = false;  // the current PT has had a 2200D
  bool claim_ = false;            // a 2200D is open under the current PT
  bool line_ = false;             // a 2220D is open in that claim
};

}  // namespace

AckOutcome ClassifyCategory(std::string_view c) {
  // Claim Status Category Codes (code source 507), as published by X12 and transcribed in
  // https://www.rubydoc.info/gems/hippo/Hippo/CodeLists/ClaimStatusCategoryCodes : A1 "the
  // claim has been received. This does not mean that the claim has been accepted for
  // adjudication"; A2 "accepted into the adjudication system"; A3 "returned as unprocessable
  // claim - rejected and has not been entered into the adjudication system"; A4 "not found";
  // A5 "split upon acceptance into the adjudication system"; A6 "rejected for missing
  // information"; A7 "rejected for invalid information"; A8 "rejected for relational field in
  // error". A0 "forwarded to another entity" is a receipt: this payer decided nothing.
  if (c == "A0" || c == "A1") return AckOutcome::kReceived;
  if (c == "A2" || c == "A5") return AckOutcome::kAccepted;
  if (c == "A3" || c == "A4" || c == "A6" || c == "A7" || c == "A8") return AckOutcome::kRejected;
  return AckOutcome::kOther;
}

AckOutcome ClaimStatus277::Outcome() const {
  bool accepted = false, received = false;
  auto fold = [&](const ClaimStatusCode& code) {
    AckOutcome o = ClassifyCategory(code.category);
    accepted = accepted || o == AckOutcome::kAccepted;
    received = received || o == AckOutcome::kReceived;
    return o == AckOutcome::kRejected;
  };
  if (fold(status)) return AckOutcome::kRejected;
  for (const auto& m : more)
    if (fold(m)) return AckOutcome::kRejected;
  return accepted ? AckOutcome::kAccepted : received ? AckOutcome::kReceived : AckOutcome::kOther;
}

AckOutcome ServiceLineStatus277::Outcome() const { return Combine(statuses); }

AckOutcome ClaimStatus277Claim::Outcome() const { return Combine(statuses); }

Result<ClaimAck277> Read277CA(const X12Transaction& tx) {
  Reader277 r;
  for (const auto& s : tx.segments) OTP_X12_TRY(r.Read(s));
  return r.Finish(tx);
}

}  // namespace otp
