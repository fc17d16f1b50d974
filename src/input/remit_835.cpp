// 835 claim payment/advice reader; see remit_835.h.
#include "input/remit_835.h"

#include "input/x12_fields.h"

namespace otp {
namespace {

using namespace x12;

// `acc` += `v`, refused rather than overflowing (amounts are below 10^15 cents each, but a file
// may hold any number of them).
bool AddTo(Money& acc, Money v) {
  int64_t out = 0;
  if (__builtin_add_overflow(acc.cents(), v.cents(), &out)) return false;
  acc = Money::Cents(out);
  return true;
}

bool IsCode(std::string_view v, size_t max) {
  if (v.empty() || v.size() > max) return false;
  for (char c : v)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

// CAS: a group code and up to six reason/amount/quantity triples (CAS02-04 … CAS17-19).
Status ReadCas(const X12Segment& s, std::vector<RemitAdjustment>& out) {
  std::string group;
  OTP_X12_TRY(NeedCode(s, 1, {"CO", "PR", "OA", "PI", "CR"}, group));
  size_t read = 0;
  for (size_t k = 0; k < 6; ++k) {
    const size_t r = 2 + 3 * k;
    if (s.Element(r).empty() && s.Element(r + 1).empty() && s.Element(r + 2).empty()) continue;
    RemitAdjustment a;
    a.group = group;
    OTP_X12_TRY(Need(s, r, a.reason));
    if (!IsCode(a.reason, 5)) return Fail(s, Ref(s, r) + " is not an adjustment reason code");
    OTP_X12_TRY(NeedAmount(s, r + 1, a.amount));
    OTP_X12_TRY(OptQuantity(s, r + 2, a.quantity));
    out.push_back(std::move(a));
    ++read;
  }
  if (read == 0) return Fail(s, "CAS02 and CAS03 (a reason and its amount) are required");
  if (s.elements.size() > 19) return Fail(s, "CAS has more than 19 elements");
  return Status::Ok();
}

Status ReadAmt(const X12Segment& s, std::vector<RemitAmount>& out) {
  RemitAmount a;
  OTP_X12_TRY(Need(s, 1, a.qualifier));
  OTP_X12_TRY(NeedAmount(s, 2, a.amount));
  out.push_back(std::move(a));
  return Status::Ok();
}

// PLB: provider, fiscal period date, and up to six reason:reference / amount pairs.
Status ReadPlb(const X12Segment& s, std::vector<ProviderAdjustment>& out) {
  ProviderAdjustment base;
  base.segment = s.ordinal;
  OTP_X12_TRY(Need(s, 1, base.provider_id));
  OTP_X12_TRY(NeedDate(s, 2, base.fiscal_period));
  size_t read = 0;
  for (size_t n = 3; n <= 13; n += 2) {
    if (s.Element(n).empty() && s.Element(n + 1).empty()) continue;
    ProviderAdjustment a = base;
    a.reason = std::string(s.Component(n, 1));
    a.reference = std::string(s.Component(n, 2));
    if (!IsCode(a.reason, 2) || a.reason.size() != 2)
      return Fail(s, Ref(s, n, 1) + " is not a two-character adjustment reason code");
    OTP_X12_TRY(NeedAmount(s, n + 1, a.amount));
    out.push_back(std::move(a));
    ++read;
  }
  if (read == 0) return Fail(s, "PLB03 and PLB04 (a reason and its amount) are required");
  if (s.elements.size() > 14) return Fail(s, "PLB has more than 14 elements");
  return Status::Ok();
}

Status ReadClp(const X12Segment& s, RemitClaim& c) {
  c.segment = s.ordinal;
  OTP_X12_TRY(Need(s, 1, c.claim_id));
  OTP_X12_TRY(NeedCode(s, 2, {"1", "2", "3", "4", "19", "20", "21", "22", "23", "25"}, c.status));
  OTP_X12_TRY(NeedAmount(s, 3, c.charge));
  OTP_X12_TRY(NeedAmount(s, 4, c.paid));
  std::optional<Money> patient;
  OTP_X12_TRY(OptAmount(s, 5, patient));
  c.patient_responsibility = patient.value_or(Money());
  OTP_X12_TRY(Need(s, 6, c.filing_indicator));
  OTP_X12_TRY(Need(s, 7, c.payer_claim_number));
  return Status::Ok();
}

Status ReadSvc(const X12Segment& s, RemitServiceLine& l) {
  l.segment = s.ordinal;
  OTP_X12_TRY(ReadProcedure(s, 1, l.procedure));
  OTP_X12_TRY(NeedAmount(s, 2, l.charge));
  OTP_X12_TRY(NeedAmount(s, 3, l.paid));
  l.revenue_code = std::string(s.Element(4));
  OTP_X12_TRY(OptQuantity(s, 5, l.units_paid));
  if (!s.Element(6).empty()) {
    X12Procedure p;
    OTP_X12_TRY(ReadProcedure(s, 6, p));
    l.submitted_procedure = std::move(p);
  }
  OTP_X12_TRY(OptQuantity(s, 7, l.submitted_units));
  return Status::Ok();
}

Status ReadBpr(const X12Segment& s, Remit835& r) {
  OTP_X12_TRY(NeedCode(s, 1, {"C", "D", "H", "I", "P", "U", "X"}, r.handling_code));
  OTP_X12_TRY(NeedAmount(s, 2, r.total));
  if (r.total < Money()) return Fail(s, "BPR02 is negative (a negative balance is carried by PLB FB)");
  std::string flag;
  OTP_X12_TRY(NeedCode(s, 3, {"C", "D"}, flag));
  r.credit_debit = flag[0];
  OTP_X12_TRY(NeedCode(s, 4, {"ACH", "BOP", "CHK", "FWT", "NON"}, r.payment_method));
  return NeedDate(s, 16, r.payment_date);
}

class Reader835 {
 public:
  Status Read(const X12Segment& s) {
    switch (state_) {
      case State::kStart:
        if (s.id != "BPR") return Fail(s, "the 835 must begin with BPR");
        bpr_segment_ = s.ordinal;
        state_ = State::kTrn;
        return ReadBpr(s, out_);
      case State::kTrn:
        if (s.id != "TRN") return Fail(s, "TRN must follow BPR");
        state_ = State::kHeader;
        OTP_X12_TRY(Need(s, 2, out_.trace_number));
        return Need(s, 3, out_.payer_trace_id);
      case State::kHeader:
      case State::kPayer:
      case State::kPayee:
        return Header(s);
      default:
        return Detail(s);
    }
  }

  Result<Remit835> Finish(const X12Transaction& tx) {
    if (state_ == State::kStart || state_ == State::kTrn || state_ == State::kHeader ||
        state_ == State::kPayer)
      return FailAt(tx.st_ordinal, "ST", "the 835 lacks BPR, TRN, the payer (N1*PR) or the payee (N1*PE)");
    for (const auto& c : out_.claims) OTP_X12_TRY(CheckClaim(c));
    OTP_X12_TRY(CheckTotal());
    return std::move(out_);
  }

 private:
  enum class State { kStart, kTrn, kHeader, kPayer, kPayee, kDetail, kClaim, kLine, kPlb };

  // Table 1 after TRN: CUR, REF, DTM, then the payer (1000A) and payee (1000B) loops.
  Status Header(const X12Segment& s) {
    if (s.id == "N1") {
      std::string who;
      OTP_X12_TRY(NeedCode(s, 1, {"PR", "PE"}, who));
      if (who == "PR" && state_ == State::kHeader) {
        state_ = State::kPayer;
        out_.payer_name = std::string(s.Element(2));
        out_.payer_id = std::string(s.Element(4));
        return Status::Ok();
      }
      if (who == "PE" && state_ == State::kPayer) {
        state_ = State::kPayee;
        out_.payee_name = std::string(s.Element(2));
        out_.payee_id_qualifier = std::string(s.Element(3));
        out_.payee_id = std::string(s.Element(4));
        return Status::Ok();
      }
      return Fail(s, "N1*PR (payer) must come once, then N1*PE (payee) once");
    }
    if (state_ == State::kHeader) {
      if (s.id == "DTM" && s.Element(1) == "405") return NeedDate(s, 2, out_.production_date);
      if (s.id == "CUR" || s.id == "REF" || s.id == "DTM") return Status::Ok();
      return Fail(s, "not a segment of the 835 header before N1*PR");
    }
    if (s.id == "REF" && state_ == State::kPayer && s.Element(1) == "2U") return Need(s, 2, out_.payer_id);
    if (s.id == "N3" || s.id == "N4" || s.id == "REF" || s.id == "PER" || s.id == "RDM") return Status::Ok();
    if (state_ == State::kPayee) return Detail(s);
    return Fail(s, "not a segment of the payer loop (N1*PR), or the payee loop (N1*PE) is missing");
  }

  // Table 2 (LX, TS3, TS2, the claims and their lines) and table 3 (PLB).
  Status Detail(const X12Segment& s) {
    if (s.id == "PLB") {
      state_ = State::kPlb;
      return ReadPlb(s, out_.provider_adjustments);
    }
    if (state_ == State::kPlb) return Fail(s, "only PLB may follow PLB");
    if (s.id == "LX") {
      state_ = State::kDetail;
      return Status::Ok();
    }
    if (s.id == "TS3" || s.id == "TS2") {
      if (state_ != State::kDetail) return Fail(s, "TS3 and TS2 belong right after LX");
      return Status::Ok();  // institutional provider summaries: not used for professional claims
    }
    if (s.id == "CLP") {
      state_ = State::kClaim;
      out_.claims.emplace_back();
      return ReadClp(s, out_.claims.back());
    }
    if (s.id == "SVC" && (state_ == State::kClaim || state_ == State::kLine)) {
      state_ = State::kLine;
      out_.claims.back().lines.emplace_back();
      return ReadSvc(s, out_.claims.back().lines.back());
    }
    if (state_ == State::kClaim) return ClaimSegment(s, out_.claims.back());
    if (state_ == State::kLine) return LineSegment(s, out_.claims.back().lines.back());
    return Fail(s, "not a segment of the 835 outside a claim (CLP)");
  }

  static Status ClaimSegment(const X12Segment& s, RemitClaim& c) {
    if (s.id == "CAS") return ReadCas(s, c.adjustments);
    if (s.id == "AMT") return ReadAmt(s, c.amounts);
    if (s.id == "NM1") {
      if (s.Element(1) != "QC") return Status::Ok();  // insured, corrected names, providers: not kept
      c.patient_id_qualifier = std::string(s.Element(8));
      c.patient_id = std::string(s.Element(9));
      return Status::Ok();
    }
    if (s.id == "DTM") {
      if (s.Element(1) == "232") return NeedDate(s, 2, c.statement_from);
      if (s.Element(1) == "233") return NeedDate(s, 2, c.statement_to);
      return Status::Ok();
    }
    if (s.id == "MOA") {
      for (size_t n = 3; n <= 7; ++n)
        if (!s.Element(n).empty()) c.remarks.push_back({"HE", std::string(s.Element(n))});
      return Status::Ok();
    }
    if (s.id == "MIA" || s.id == "REF" || s.id == "PER" || s.id == "QTY") return Status::Ok();
    return Fail(s, "not a segment of an 835 claim (2100)");
  }

  static Status LineSegment(const X12Segment& s, RemitServiceLine& l) {
    if (s.id == "CAS") return ReadCas(s, l.adjustments);
    if (s.id == "AMT") return ReadAmt(s, l.amounts);
    if (s.id == "DTM") {
      std::optional<Date> d;
      if (s.Element(1) != "472" && s.Element(1) != "150" && s.Element(1) != "151") return Status::Ok();
      OTP_X12_TRY(NeedDate(s, 2, d));
      if (s.Element(1) != "151") l.service_from = d;  // 472 (one day) or 150 (from)
      if (s.Element(1) != "150") l.service_to = d;    // 472 or 151 (to)
      return Status::Ok();
    }
    if (s.id == "REF") return s.Element(1) == "6R" ? Need(s, 2, l.line_control_number) : Status::Ok();
    if (s.id == "LQ") {
      RemitRemark r;
      OTP_X12_TRY(Need(s, 1, r.qualifier));
      OTP_X12_TRY(Need(s, 2, r.code));
      l.remarks.push_back(std::move(r));
      return Status::Ok();
    }
    if (s.id == "QTY") return Status::Ok();
    return Fail(s, "not a segment of an 835 service line (2110)");
  }

  Status CheckClaim(const RemitClaim& c) const;
  Status CheckTotal() const;

  Remit835 out_;
  State state_ = State::kStart;
  int64_t bpr_segment_ = 0;
};

Status Overflow(int64_t ordinal, std::string_view id) {
  return FailAt(ordinal, id, "amounts too large to add up");
}

// §1.10.2.1.1 and §1.10.2.1.2: charge − paid = the adjustments, for each line and the claim.
Status Reader835::CheckClaim(const RemitClaim& c) const {
  Money all;
  for (const auto& l : c.lines) {
    Money line;
    for (const auto& a : l.adjustments)
      if (!AddTo(line, a.amount)) return Overflow(l.segment, "SVC");
    if (l.charge - l.paid != line)
      return FailAt(l.segment, "SVC",
                    "claim " + Printable(c.claim_id) + ": SVC02 " + l.charge.ToString() + " - SVC03 " +
                        l.paid.ToString() + " is not the " + line.ToString() +
                        " of the line's CAS adjustments (835 service line balancing)");
    if (!AddTo(all, line)) return Overflow(l.segment, "SVC");
  }
  for (const auto& a : c.adjustments)
    if (!AddTo(all, a.amount)) return Overflow(c.segment, "CLP");
  if (c.charge - c.paid != all)
    return FailAt(c.segment, "CLP",
                  "claim " + Printable(c.claim_id) + ": CLP03 " + c.charge.ToString() + " - CLP04 " +
                      c.paid.ToString() + " is not the " + all.ToString() +
                      " of its CAS adjustments, claim and lines (835 claim balancing)");
  return Status::Ok();
}

// §1.10.2.1.3: BPR02 = the claims' CLP04 less the PLB amounts.
Status Reader835::CheckTotal() const {
  Money paid, plb;
  for (const auto& c : out_.claims)
    if (!AddTo(paid, c.paid)) return Overflow(c.segment, "CLP");
  for (const auto& p : out_.provider_adjustments)
    if (!AddTo(plb, p.amount)) return Overflow(p.segment, "PLB");
  int64_t net_cents = 0;
  if (__builtin_sub_overflow(paid.cents(), plb.cents(), &net_cents)) return Overflow(bpr_segment_, "BPR");
  const Money net = Money::Cents(net_cents);
  const Money total = out_.credit_debit == 'D' ? Money() - out_.total : out_.total;
  if (net != total)
    return FailAt(bpr_segment_, "BPR",
                  std::string("BPR02 ") + (out_.credit_debit == 'D' ? "(debit) " : "") +
                      out_.total.ToString() + " is not the claims' CLP04 " + paid.ToString() +
                      " less the PLB adjustments " + plb.ToString() + " = " + net.ToString() +
                      " (835 transaction balancing)");
  return Status::Ok();
}

}  // namespace

Money RemitServiceLine::AdjustmentTotal() const {
  Money t;
  for (const auto& a : adjustments) t += a.amount;
  return t;
}

// Lines first, then the claim's own: the order CheckClaim proved free of overflow.
Money RemitClaim::AdjustmentTotal() const {
  Money t;
  for (const auto& l : lines) t += l.AdjustmentTotal();
  for (const auto& a : adjustments) t += a.amount;
  return t;
}

Result<Remit835> Read835(const X12Transaction& tx) {
  Reader835 r;
  for (const auto& s : tx.segments) OTP_X12_TRY(r.Read(s));
  return r.Finish(tx);
}

}  // namespace otp
