// One file that came back after an 837P, read whole: every 999, 277CA and 835 transaction in
// it, each with where it sits in the file (its own ISA13, GS06, ST02). All or nothing: the first
// envelope error, unknown transaction or transaction that does not read (or, for an 835, does
// not balance) makes the whole file a Status naming that segment, so that no part of a bad file
// is ever applied. Matching to the ledger's claims is the caller's business.
#pragma once

#include <string_view>
#include <vector>

#include "input/ack_999.h"
#include "input/claim_status_277ca.h"
#include "input/remit_835.h"
#include "input/x12_reader.h"
#include "model/status.h"

namespace otp {

template <typename T>
struct FromFile {
  X12Origin origin;
  T value;
  // A digest of the transaction's segments between ST and SE, whatever separators carried them:
  // the same transaction sent again in another envelope has the same digest.
  std::string digest;
};

struct ReturnFile {
  std::vector<FromFile<Ack999>> acks;
  std::vector<FromFile<ClaimAck277>> claim_acks;
  std::vector<FromFile<Remit835>> remits;
  size_t size() const { return acks.size() + claim_acks.size() + remits.size(); }
};

// Reads `bytes` (any number of interchanges, each with its own separators, transactions of any
// of the three kinds in any order). A file with no transaction at all is refused.
Result<ReturnFile> ReadReturnFile(std::string_view bytes);

}  // namespace otp
