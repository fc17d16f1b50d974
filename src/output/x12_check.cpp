// Structural checks of an 837P interchange; see x12_check.h.
#include "output/x12_check.h"

#include "model/text.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace otp {
namespace {

using Segment = std::vector<std::string>;  // [0] is the tag

// Mandatory elements (1-based) per segment tag, for the segments our 837P uses.
const std::map<std::string, std::vector<int>>& Mandatory() {
  static const std::map<std::string, std::vector<int>> m = {{"GS", {1, 2, 3, 4, 5, 6, 7, 8}},
                                                            {"ST", {1, 2, 3}},
                                                            {"BHT", {1, 2, 3, 4, 5, 6}},
                                                            {"NM1", {1, 2, 3}},
                                                            {"PER", {1, 2, 3, 4}},
                                                            {"N3", {1}},
                                                            {"N4", {1, 2, 3}},
                                                            {"REF", {1, 2}},
                                                            {"PRV", {1, 2, 3}},
                                                            {"HL", {1, 3, 4}},
                                                            {"SBR", {1, 2, 9}},
                                                            {"DMG", {1, 2, 3}},
                                                            {"CLM", {1, 2, 5, 6, 7, 8, 9}},
                                                            {"HI", {1}},
                                                            {"LX", {1}},
                                                            {"SV1", {1, 2, 3, 4, 7}},
                                                            {"DTP", {1, 2, 3}},
                                                            {"SE", {1, 2}},
                                                            {"GE", {1, 2}},
                                                            {"IEA", {1, 2}}};
  return m;
}

// X12 type R to cents; nullopt when not a number or finer than a cent.
std::optional<int64_t> Cents(const std::string& s) {
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && s[i] == '-') {
    neg = true;
    ++i;
  }
  int64_t whole = 0, frac = 0;
  int frac_digits = 0, digits = 0;
  bool dot = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    ++digits;
    if (dot) {
      if (++frac_digits > 2) return std::nullopt;
      frac = frac * 10 + (c - '0');
    } else {
      if (whole > 100'000'000'000LL) return std::nullopt;
      whole = whole * 10 + (c - '0');
    }
  }
  if (digits == 0) return std::nullopt;
  if (frac_digits == 1) frac *= 10;
  int64_t v = whole * 100 + frac;
  return neg ? -v : v;
}

std::string Money(int64_t cents) {
  std::string sign = cents < 0 ? "-" : "";
  if (cents < 0) cents = -cents;
  std::string f = std::to_string(cents % 100);
  if (f.size() < 2) f = "0" + f;
  return sign + std::to_string(cents / 100) + "." + f;
}


class Checker {
 public:
  explicit Checker(std::string_view x12) : x12_(x12) {}

  Status Run() {
    if (Status s = Split(); !s.ok()) return s;
    for (n_ = 0; n_ < segs_.size(); ++n_) {
      if (Status s = Check(segs_[n_]); !s.ok()) return s;
    }
    if (in_transaction_) return Error(segs_.size() - 1, "the transaction set has no SE");
    if (in_group_) return Error(segs_.size() - 1, "the functional group has no GE");
    if (segs_.back()[0] != "IEA") return Error(segs_.size() - 1, "the interchange has no IEA");
    return Status::Ok();
  }

 private:
  Status Error(size_t index, const std::string& what) const {
    std::string tag = index < segs_.size() ? segs_[index][0] : "?";
    return Status::InvalidArgument("837P structure: segment " + std::to_string(index + 1) + " (" + tag +
                                   "): " + what);
  }
  Status Error(const std::string& what) const { return Error(n_, what); }

  Status Split() {
    if (x12_.size() < 106 || x12_.substr(0, 3) != "ISA")
      return Status::InvalidArgument("837P structure: the file does not start with an ISA segment");
    elem_ = x12_[3];
    term_ = x12_[105];
    size_t seps = 0;
    for (size_t i = 0; i < 105; ++i) seps += x12_[i] == elem_;
    if (seps != 16 || x12_[103] != elem_)
      return Status::InvalidArgument(
          "837P structure: the ISA segment is not 106 characters with 16 elements");
    size_t pos = 0;
    while (pos < x12_.size()) {
      size_t end = x12_.find(term_, pos);
      std::string_view raw = x12_.substr(pos, end == std::string_view::npos ? end : end - pos);
      while (!raw.empty() && (raw.front() == '\n' || raw.front() == '\r')) raw.remove_prefix(1);
      if (end == std::string_view::npos) {
        if (!raw.empty())
          return Status::InvalidArgument("837P structure: text after the last segment terminator");
        break;
      }
      if (raw.empty()) return Status::InvalidArgument("837P structure: an empty segment");
      Segment seg;
      size_t b = 0;
      while (true) {
        size_t e = raw.find(elem_, b);
        seg.emplace_back(raw.substr(b, e == std::string_view::npos ? e : e - b));
        if (e == std::string_view::npos) break;
        b = e + 1;
      }
      segs_.push_back(std::move(seg));
      pos = end + 1;
    }
    if (segs_.empty()) return Status::InvalidArgument("837P structure: no segments");
    return Status::Ok();
  }

  Status CheckIsa(const Segment& s) {
    static const int widths[17] = {0, 2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1};
    if (s.size() != 17) return Error("ISA must have 16 elements");
    for (int i = 1; i <= 16; ++i)
      if (s[i].size() != static_cast<size_t>(widths[i]))
        return Error("ISA" + std::string(i < 10 ? "0" : "") + std::to_string(i) + " must be " +
                     std::to_string(widths[i]) + " characters");
    if (!AllDigits(s[13])) return Error("ISA13 must be 9 digits");
    return Status::Ok();
  }

  Status CloseClaim() {
    if (!in_claim_) return Status::Ok();
    in_claim_ = false;
    if (next_lx_ == 1) return Error(claim_index_, "the claim has no service line");
    if (claim_total_ != line_sum_)
      return Error(claim_index_, "CLM02 is " + Money(claim_total_) + " but the service lines add up to " +
                                     Money(line_sum_));
    return Status::Ok();
  }

  Status Check(const Segment& s) {
    const std::string& tag = s[0];
    if (tag.size() < 2 || tag.size() > 3) return Error("not a segment tag");
    for (char c : tag)
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return Error("not a segment tag");
    if (n_ == 0 && tag != "ISA") return Error("the first segment must be ISA");
    if (tag == "ISA") {
      if (n_ != 0) return Error("a second ISA in one file");
      return CheckIsa(s);
    }
    if (s.size() > 1 && s.back().empty()) return Error("ends with an empty element");
    if (auto it = Mandatory().find(tag); it != Mandatory().end()) {
      for (int i : it->second)
        if (static_cast<size_t>(i) >= s.size() || s[i].empty())
          return Error(tag + (i < 10 ? "0" : "") + std::to_string(i) + " is empty");
    }
    if (in_transaction_) ++seg_count_;

    if (tag == "GS") {
      if (in_group_) return Error("GS inside a functional group");
      in_group_ = true;
      ++group_count_;
      st_count_ = 0;
      gs06_ = s[6];
    } else if (tag == "GE") {
      if (!in_group_ || in_transaction_) return Error("GE without an open functional group");
      in_group_ = false;
      if (s[1] != std::to_string(st_count_))
        return Error("GE01 is " + s[1] + " but the group has " + std::to_string(st_count_) +
                     " transaction sets");
      if (s[2] != gs06_) return Error("GE02 does not match GS06");
    } else if (tag == "IEA") {
      if (in_group_) return Error("IEA inside a functional group");
      if (n_ + 1 != segs_.size()) return Error("segments after IEA");
      if (s[1] != std::to_string(group_count_))
        return Error("IEA01 is " + s[1] + " but the interchange has " + std::to_string(group_count_) +
                     " functional groups");
      if (s[2] != segs_[0][13]) return Error("IEA02 does not match ISA13");
    } else if (tag == "ST") {
      if (!in_group_ || in_transaction_) return Error("ST outside a functional group");
      in_transaction_ = true;
      ++st_count_;
      seg_count_ = 1;
      st02_ = s[2];
      hl_levels_.clear();
      if (s[1] != "837") return Error("ST01 must be 837");
    } else if (!in_transaction_) {
      return Error("segment outside a transaction set");
    } else if (tag == "SE") {
      if (Status st = CloseClaim(); !st.ok()) return st;
      in_transaction_ = false;
      if (s[1] != std::to_string(seg_count_))
        return Error("SE01 is " + s[1] + " but the transaction has " + std::to_string(seg_count_) +
                     " segments");
      if (s[2] != st02_) return Error("SE02 does not match ST02");
    } else if (tag == "HL") {
      if (Status st = CloseClaim(); !st.ok()) return st;
      if (s[1] != std::to_string(hl_levels_.size() + 1))
        return Error("HL01 is " + s[1] + ", expected " + std::to_string(hl_levels_.size() + 1));
      const std::string& parent = s.size() > 2 ? s[2] : std::string();
      if (s[3] == "20") {
        if (!parent.empty()) return Error("a billing provider HL (20) has no parent");
      } else if (s[3] == "22") {
        if (!AllDigits(parent) || std::stoul(parent) < 1 || std::stoul(parent) > hl_levels_.size() ||
            hl_levels_[std::stoul(parent) - 1] != "20")
          return Error("a subscriber HL (22) must name an earlier billing provider HL as parent");
      } else {
        return Error("unexpected HL03 level " + s[3]);
      }
      hl_levels_.push_back(s[3]);
      claim_allowed_ = s[3] == "22";
    } else if (tag == "CLM") {
      if (Status st = CloseClaim(); !st.ok()) return st;
      if (!claim_allowed_) return Error("CLM outside a subscriber HL");
      // The guide allows 38, but payers and clearinghouses keep only 20 and echo what they kept.
      if (s[1].size() > 20) return Error("CLM01 is longer than 20 characters, which receivers keep");
      auto total = Cents(s[2]);
      if (!total) return Error("CLM02 is not an amount");
      in_claim_ = true;
      claim_index_ = n_;
      claim_total_ = *total;
      line_sum_ = 0;
      next_lx_ = 1;
    } else if (tag == "LX") {
      if (!in_claim_) return Error("LX outside a claim");
      if (s[1] != std::to_string(next_lx_))
        return Error("LX01 is " + s[1] + ", expected " + std::to_string(next_lx_));
      ++next_lx_;
      if (n_ + 1 >= segs_.size() || segs_[n_ + 1][0] != "SV1") return Error("LX not followed by SV1");
    } else if (tag == "SV1") {
      if (!in_claim_ || next_lx_ == 1) return Error("SV1 outside a service line");
      auto charge = Cents(s[2]);
      if (!charge) return Error("SV102 is not an amount");
      line_sum_ += *charge;
      if (!AllDigits(s[4]) || s[4] == "0") return Error("SV104 must be a positive whole number");
    } else if (tag == "NM1") {
      bool has_qual = s.size() > 8 && !s[8].empty();
      bool has_id = s.size() > 9 && !s[9].empty();
      if (has_qual != has_id) return Error("NM108 and NM109 must come together");
    }
    return Status::Ok();
  }

  std::string_view x12_;
  char elem_ = '*', term_ = '~';
  std::vector<Segment> segs_;
  size_t n_ = 0;
  bool in_group_ = false, in_transaction_ = false, in_claim_ = false, claim_allowed_ = false;
  int group_count_ = 0, st_count_ = 0, seg_count_ = 0, next_lx_ = 1;
  std::string gs06_, st02_;
  std::vector<std::string> hl_levels_;
  size_t claim_index_ = 0;
  int64_t claim_total_ = 0, line_sum_ = 0;
};

}  // namespace

Status Check837Structure(std::string_view x12) { return Checker(x12).Run(); }

}  // namespace otp
