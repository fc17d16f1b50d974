// Shared pieces of the X12 reader fuzz targets (x12_read, x12_999, x12_277ca, x12_835): an
// input is either a whole file (it starts with "ISA") or the body of one transaction, which
// Wrap puts in a correct envelope of the target's kind so that the fuzzer spends its time in
// the transaction reader rather than in SE01 counts; and the shape every refusal must have.
// The seeds in fuzz/corpus/x12_*/ are copies of fixtures/x12-samples (third-party, licences
// there) and fixtures/x12, each whole and as a body (body-*).
#pragma once

#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "input/x12_reader.h"

namespace otp::fuzz {

struct Kind {
  const char* functional_id;  // GS01
  const char* transaction;    // ST01
  const char* version;        // GS08 and ST03
};
inline constexpr Kind k999{"FA", "999", "005010X231A1"};
inline constexpr Kind k277CA{"HN", "277", "005010X214"};
inline constexpr Kind k835{"HP", "835", "005010X221A1"};

// `body` (segments ending in '~') inside ISA/GS/ST … SE/GE/IEA, SE01 counting its terminators.
inline std::string Wrap(std::string_view body, const Kind& k) {
  std::string b(body);
  size_t last = b.find_last_not_of(" \t\r\n");
  if (last != std::string::npos && b[last] != '~') b += '~';
  size_t segments = 0;
  for (char c : b) segments += c == '~';
  std::string out =
      "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
      "*260120*0930*^*00501*000000001*0*T*:~\n";
  out += std::string("GS*") + k.functional_id + "*SENDER*RECEIVER*20260120*0930*1*X*" + k.version + "~\n";
  out += std::string("ST*") + k.transaction + "*0001*" + k.version + "~\n";
  out += b + "\n";
  out += "SE*" + std::to_string(segments + 2) + "*0001~\nGE*1*1~\nIEA*1*000000001~\n";
  return out;
}

inline std::string FileOf(const uint8_t* data, size_t size, const Kind& k) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  return in.substr(0, 3) == "ISA" ? std::string(in) : Wrap(in, k);
}

// A refusal names a segment ("segment N …") or the whole file, and never holds a control byte.
inline void CheckRefusal(const Status& s) {
  const std::string& m = s.message();
  Check(s.code() == StatusCode::kInvalidArgument, "a refusal is InvalidArgument");
  Check(m.rfind("segment ", 0) == 0 || m.rfind("the file ", 0) == 0, "a refusal names a segment or the file");
  for (char c : m) Check(static_cast<unsigned char>(c) >= 0x20, "a refusal holds no control byte");
}

}  // namespace otp::fuzz
