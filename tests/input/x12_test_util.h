// Helpers for the X12 reader tests: fixture files, and interchanges built around a body of
// segments with correct control numbers and counts, so that a test can change one thing.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "input/x12_reader.h"

namespace otp::testing {

inline std::string Fixture(const std::string& relative) {
  std::ifstream in(std::string(OTP_SOURCE_DIR) + "/fixtures/" + relative, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Envelope {
  std::string functional_id = "HP";      // GS01
  std::string version = "005010X221A1";  // GS08 and ST03
  std::string transaction = "835";       // ST01
  std::string isa13 = "000000101";
  std::string gs06 = "101";
  std::string st02 = "0001";
  X12Separators sep;                 // the defaults: * : ^ ~
  std::string after_segment = "\n";  // what follows each terminator: "", "\n", "\r\n"
};

// `body` is written with '*' between elements and ':' between components; both are replaced
// by the envelope's separators.
inline std::string Interchange(const std::vector<std::string>& body, const Envelope& e = {}) {
  auto seg = [&](std::string s) {
    for (char& c : s) {
      if (c == '*')
        c = e.sep.element;
      else if (c == ':')
        c = e.sep.component;
    }
    return s + e.sep.segment + e.after_segment;
  };
  std::string isa = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260120*0930*";
  for (char& c : isa)
    if (c == '*') c = e.sep.element;
  isa += std::string(1, e.sep.repetition) + e.sep.element + "00501" + e.sep.element + e.isa13 +
         e.sep.element + "0" + e.sep.element + "T" + e.sep.element + e.sep.component + e.sep.segment +
         e.after_segment;
  std::string out = isa;
  out += seg("GS*" + e.functional_id + "*SENDER*RECEIVER*20260120*0930*" + e.gs06 + "*X*" + e.version);
  out += seg("ST*" + e.transaction + "*" + e.st02 + "*" + e.version);
  for (const auto& b : body) out += seg(b);
  out += seg("SE*" + std::to_string(body.size() + 2) + "*" + e.st02);
  out += seg("GE*1*" + e.gs06);
  out += seg("IEA*1*" + e.isa13);
  return out;
}

inline Envelope Envelope999() {
  Envelope e;
  e.functional_id = "FA";
  e.version = "005010X231A1";
  e.transaction = "999";
  return e;
}

inline Envelope Envelope277CA() {
  Envelope e;
  e.functional_id = "HN";
  e.version = "005010X214";
  e.transaction = "277";
  return e;
}

// The body of the only transaction of `x12` (the reader must accept the file).
inline X12Transaction OnlyTransaction(const std::string& x12) {
  auto r = ReadX12(x12);
  if (!r.ok()) throw std::runtime_error(r.status().message());
  if (r->size() != 1 || r->at(0).groups.size() != 1 || r->at(0).groups[0].transactions.size() != 1)
    throw std::runtime_error("not exactly one transaction");
  return r->at(0).groups[0].transactions[0];
}

}  // namespace otp::testing
