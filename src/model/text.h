// Small text helpers every stage uses: digit checks, the occurrence key of a finding, and a
// fast non-cryptographic hash (FNV-1a) for identities that only need to tell texts apart.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace otp {

inline uint64_t Fnv1a(std::string_view s, uint64_t h = 14695981039346656037ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}
inline std::string Hex64(uint64_t h) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// ASCII letters upper-cased, every other byte as it is.
inline std::string AsciiUpper(std::string_view s) {
  std::string u(s);
  for (char& c : u)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return u;
}

// `v` without the spaces and tabs at either end.
inline std::string_view TrimBlanks(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// True when `s` is non-empty and holds only the ASCII digits 0–9.
inline bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// The occurrence key of a finding, "facility|patient|rule|when[|item]": the ledger raises each
// key once, so a re-run never duplicates a finding (compliance-rules.md).
inline std::string FindingKey(std::string_view facility, std::string_view patient, std::string_view rule,
                              std::string_view when, std::string_view item = {}) {
  std::string k;
  k.reserve(facility.size() + patient.size() + rule.size() + when.size() + item.size() + 5);
  k.append(facility).append("|").append(patient).append("|").append(rule).append("|").append(when);
  if (!item.empty()) k.append("|").append(item);
  return k;
}

}  // namespace otp
