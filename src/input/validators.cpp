// The field validators.
#include "input/validators.h"

#include <cstdint>
#include <cstdio>

#include "model/text.h"

#include <algorithm>
#include <array>

namespace otp {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
// MBI letters: A–Z without S, L, O, I, B, Z.
bool IsMbiAlpha(char c) {
  return IsUpper(c) && c != 'S' && c != 'L' && c != 'O' && c != 'I' && c != 'B' && c != 'Z';
}

}  // namespace

char NpiCheckDigit(std::string_view first9) {
  // Luhn over "80840" + the 9 digits; the prefix contributes a constant 24.
  int sum = 24;
  for (int i = 8, k = 0; i >= 0; --i, ++k) {  // rightmost payload digit is doubled
    int d = first9[static_cast<size_t>(i)] - '0';
    if (k % 2 == 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool IsValidNpi(std::string_view npi) {
  if (npi.size() != 10 || !AllDigits(npi)) return false;
  return NpiCheckDigit(npi.substr(0, 9)) == npi[9];
}

std::optional<std::string> NormalizeMbi(std::string_view mbi) {
  std::string m;
  if (mbi.size() == 13 && mbi[4] == '-' && mbi[8] == '-') {
    m.reserve(11);
    m.append(mbi.substr(0, 4)).append(mbi.substr(5, 3)).append(mbi.substr(9, 4));
  } else if (mbi.size() == 11) {
    m.assign(mbi);
  } else {
    return std::nullopt;
  }
  // Position kinds (CMS MBI format): N = 1-9 at position 1 else 0-9, A = alpha, X = alnum.
  static constexpr std::array<char, 11> kShape = {'C', 'A', 'X', 'N', 'A', 'X', 'N', 'A', 'A', 'N', 'N'};
  for (size_t i = 0; i < 11; ++i) {
    char c = m[i];
    switch (kShape[i]) {
      case 'C': if (c < '1' || c > '9') return std::nullopt; break;
      case 'N': if (!IsDigit(c)) return std::nullopt; break;
      case 'A': if (!IsMbiAlpha(c)) return std::nullopt; break;
      default: if (!IsDigit(c) && !IsMbiAlpha(c)) return std::nullopt; break;
    }
  }
  return m;
}

bool IsValidTin(std::string_view tin) { return tin.size() == 9 && AllDigits(tin); }

bool IsValidStateCode(std::string_view s) {
  static constexpr std::array<std::string_view, 56> kCodes = {
      "AK", "AL", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "GU", "HI",
      "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MP",
      "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA",
      "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY"};
  return std::find(kCodes.begin(), kCodes.end(), s) != kCodes.end();
}

std::optional<std::string> NormalizeZip(std::string_view zip) {
  if ((zip.size() == 5 || zip.size() == 9) && AllDigits(zip)) return std::string(zip);
  if (zip.size() == 10 && zip[5] == '-' && AllDigits(zip.substr(0, 5)) && AllDigits(zip.substr(6)))
    return std::string(zip.substr(0, 5)) + std::string(zip.substr(6));
  return std::nullopt;
}

bool IsValidBillingZip(std::string_view zip) {
  auto z = NormalizeZip(zip);
  return z && z->size() == 9;
}

std::optional<std::string> NormalizeIcd10(std::string_view code) {
  std::string out;
  out.reserve(7);
  bool dot = false;
  size_t after_dot = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == '.') {
      if (dot || out.size() != 3) return std::nullopt;
      dot = true;
      continue;
    }
    if (!IsDigit(c) && !IsUpper(c)) return std::nullopt;
    if (dot) ++after_dot;
    out.push_back(c);
  }
  if (out.size() < 3 || out.size() > 7) return std::nullopt;
  if (!IsUpper(out[0]) || !IsDigit(out[1])) return std::nullopt;
  if (dot && after_dot == 0) return std::nullopt;
  return out;
}

bool IsOudDiagnosis(std::string_view code) {
  auto n = NormalizeIcd10(code);
  return n && n->compare(0, 3, "F11") == 0;
}

bool HasX12Text(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
    if (static_cast<unsigned char>(c) == 0xC3 && i + 1 < text.size()) {
      auto c2 = static_cast<unsigned char>(text[i + 1]);
      if (c2 >= 0x80 && c2 <= 0xBF && c2 != 0x97 && c2 != 0xB7) return true;
    }
  }
  return false;
}

namespace {

std::string CodePoint(uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

const char* ControlName(uint32_t cp) {
  switch (cp) {
    case 0x00: return " NUL";
    case 0x09: return " tab";
    case 0x0A: return " line feed";
    case 0x0D: return " carriage return";
    case 0x1B: return " escape";
    case 0x7F: return " delete";
    case 0x85: return " next line";
    default: return "";
  }
}

}  // namespace

std::string TextFieldProblem(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    const unsigned char b = s[i];
    if (b >= 0x20 && b < 0x7F) {  // printable ASCII: the common case, no work
      ++i;
      continue;
    }
    auto at = [i] { return " at byte " + std::to_string(i + 1); };
    uint32_t cp;
    size_t len;
    if (b < 0x80) {
      cp = b;
      len = 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      cp = b & 0x1Fu;
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      cp = b & 0x0Fu;
      len = 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      cp = b & 0x07u;
      len = 4;
    } else if (b == 0xC0 || b == 0xC1) {
      return "is not UTF-8 text: an overlong encoding" + at();
    } else if (b < 0xC0) {
      return "is not UTF-8 text: a continuation byte with no character to continue" + at();
    } else {
      return "is not UTF-8 text: a byte that never occurs in UTF-8" + at();
    }
    for (size_t k = 1; k < len; ++k) {
      if (i + k >= n || (s[i + k] & 0xC0u) != 0x80u) return "is not UTF-8 text: a character cut short" + at();
      cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return "is not UTF-8 text: an overlong encoding" + at();
    if (cp >= 0xD800 && cp <= 0xDFFF) return "is not UTF-8 text: a UTF-16 surrogate (U+D800 to U+DFFF)" + at();
    if (cp > 0x10FFFF) return "is not UTF-8 text: a code point above U+10FFFF" + at();
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
      return "holds a control character (" + CodePoint(cp) + ControlName(cp) + ")" + at();
    if (cp == 0xFEFF) return "holds a byte order mark (U+FEFF)" + at() + "; only the file may begin with one";
    if (cp == 0xFFFE || cp == 0xFFFF) return "holds " + CodePoint(cp) + ", which is not a character" + at();
    i += len;
  }
  return {};
}

}  // namespace otp
