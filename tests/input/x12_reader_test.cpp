// The X12 tokenizer and envelope checks (x12_reader.h): separators from each ISA, layout
// (one line, one segment per line, CRLF), several interchanges per file, and every envelope
// error named by segment ordinal and id; DetectKind and KindOf.
#include "input/x12_reader.h"

#include <gtest/gtest.h>

#include "input/x12_test_util.h"

namespace otp {
namespace {

using testing::Envelope;
using testing::Interchange;

const std::vector<std::string> kBody = {"BPR*I*1.00*C*CHK************20260120", "TRN*1*T1*1999999999",
                                        "SVC*HC:G2067:25*300*150"};

// The segments of every transaction, as "ID|e1|e2…" with components joined by ':'.
std::vector<std::string> Flatten(const std::vector<X12Interchange>& file) {
  std::vector<std::string> out;
  for (const auto& ic : file)
    for (const auto& g : ic.groups)
      for (const auto& tx : g.transactions)
        for (const auto& s : tx.segments) {
          std::string line = s.id;
          for (size_t n = 1; n <= s.elements.size(); ++n) {
            line += "|";
            auto parts = s.Components(n);
            for (size_t c = 0; c < parts.size(); ++c) line += (c ? ":" : "") + std::string(parts[c]);
          }
          out.push_back(line);
        }
  return out;
}

std::string ErrorOf(const std::string& x12) {
  auto r = ReadX12(x12);
  EXPECT_FALSE(r.ok()) << "accepted";
  return r.ok() ? "" : r.status().message();
}

TEST(X12Reader, ReadsTheEnvelopeAndItsControlNumbers) {
  auto r = ReadX12(Interchange(kBody));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 1u);
  const X12Interchange& ic = r->at(0);
  EXPECT_EQ(ic.control, "000000101");
  EXPECT_EQ(ic.sender_id, "SENDER");  // padding trimmed
  EXPECT_EQ(ic.receiver_id, "RECEIVER");
  EXPECT_EQ(ic.usage, 'T');
  ASSERT_EQ(ic.groups.size(), 1u);
  EXPECT_EQ(ic.groups[0].functional_id, "HP");
  EXPECT_EQ(ic.groups[0].control, "101");
  EXPECT_EQ(ic.groups[0].version, "005010X221A1");
  EXPECT_EQ(ic.groups[0].gs_ordinal, 2);
  ASSERT_EQ(ic.groups[0].transactions.size(), 1u);
  const X12Transaction& tx = ic.groups[0].transactions[0];
  EXPECT_EQ(tx.id, "835");
  EXPECT_EQ(tx.control, "0001");
  EXPECT_EQ(tx.st_ordinal, 3);
  ASSERT_EQ(tx.segments.size(), 3u);
  EXPECT_EQ(tx.segments[0].ordinal, 4);
  EXPECT_EQ(tx.segments[2].id, "SVC");
  EXPECT_EQ(tx.segments[2].Component(1, 2), "G2067");
  EXPECT_EQ(tx.segments[2].Component(1, 3), "25");
  EXPECT_EQ(tx.segments[2].Element(3), "150");
  EXPECT_EQ(tx.segments[2].Element(9), "");  // past the end: empty, not an error
}

TEST(X12Reader, OneLineAndOneSegmentPerLineReadTheSame) {
  Envelope one_line;
  one_line.after_segment = "";
  auto a = ReadX12(Interchange(kBody, one_line));
  auto b = ReadX12(Interchange(kBody));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Flatten(*a), Flatten(*b));
}

TEST(X12Reader, CrlfAfterTerminatorsAndBlankLinesAreSkipped) {
  Envelope crlf;
  crlf.after_segment = "\r\n";
  std::string text = "\xEF\xBB\xBF\r\n" + Interchange(kBody, crlf) + "\r\n\r\n";
  auto a = ReadX12(text);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(Flatten(*a), Flatten(*ReadX12(Interchange(kBody))));
}

TEST(X12Reader, TakesEverySeparatorFromTheIsa) {
  Envelope odd;
  odd.sep = {'|', '>', '!', '\n'};  // LF itself as the segment terminator…
  odd.after_segment = "";
  std::string text = Interchange(kBody, odd);
  auto a = ReadX12(text);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->at(0).separators.element, '|');
  EXPECT_EQ(a->at(0).separators.component, '>');
  EXPECT_EQ(a->at(0).separators.repetition, '!');
  EXPECT_EQ(Flatten(*a), Flatten(*ReadX12(Interchange(kBody))));
  // …with CR before each LF dropped.
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  auto b = ReadX12(crlf);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(Flatten(*b), Flatten(*a));
}

TEST(X12Reader, TwoInterchangesInOneFileEachWithItsOwnSeparators) {
  Envelope second;
  second.sep = {'|', '>', '!', '~'};
  second.isa13 = "000000102";
  second.gs06 = "102";
  second.st02 = "0002";
  auto r = ReadX12(Interchange(kBody) + Interchange({"TRN*1*T2*1999999999", "SVC*HC:G2080*20*20"}, second));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ(r->at(1).control, "000000102");
  EXPECT_EQ(r->at(1).isa_ordinal, 10);  // after the nine segments of the first
  const auto& tx = r->at(1).groups[0].transactions[0];
  EXPECT_EQ(tx.control, "0002");
  EXPECT_EQ(tx.segments[1].Component(1, 2), "G2080");
}

TEST(X12Reader, ControlNumbersCompareAsNumbers) {
  std::string text = Interchange(kBody);
  text.replace(text.find("GE*1*101"), 8, "GE*1*000000101");
  EXPECT_TRUE(ReadX12(text).ok());
}

TEST(X12Reader, TruncatedFileNamesTheOpenEnvelope) {
  const std::string full = Interchange(kBody);
  EXPECT_EQ(ErrorOf(full.substr(0, full.find("SE*"))),
            "segment 3 (ST): the file ends before its SE (transaction 0001)");
  EXPECT_EQ(ErrorOf(full.substr(0, full.find("GE*"))),
            "segment 2 (GS): the file ends before its GE (group 101)");
  EXPECT_EQ(ErrorOf(full.substr(0, full.find("IEA*"))),
            "segment 1 (ISA): the file ends before its IEA (interchange 000000101)");
  EXPECT_EQ(ErrorOf(full.substr(0, full.size() - 2)),  // "IEA*1*000000101" without its '~'
            "segment 9: the file ends inside a segment (no segment terminator)");
  EXPECT_EQ(ErrorOf(full.substr(0, 50)),
            "segment 1 (ISA): the file ends inside the ISA, which is 106 characters long");
}

TEST(X12Reader, SegmentsMissingBeforeTheNextEnvelopeAreNamed) {
  std::string text = Interchange(kBody);
  text.erase(text.find("SE*"), text.find("GE*") - text.find("SE*"));
  EXPECT_EQ(ErrorOf(text), "segment 7 (GE): transaction 0001 (segment 3) has no SE before this segment");
}

TEST(X12Reader, WrongSeCountIsRefused) {
  std::string text = Interchange(kBody);
  text.replace(text.find("SE*5*"), 5, "SE*6*");
  EXPECT_EQ(ErrorOf(text), "segment 7 (SE): SE01 is 6 but transaction 0001 has 5 segments from ST to SE");
}

TEST(X12Reader, WrongSeControlIsRefused) {
  std::string text = Interchange(kBody);
  text.replace(text.find("SE*5*0001"), 9, "SE*5*0002");
  EXPECT_EQ(ErrorOf(text), "segment 7 (SE): SE02 does not match ST02 0001");
}

TEST(X12Reader, St02MustBeAControlNumber) {
  Envelope short_control;
  short_control.st02 = "001";
  EXPECT_EQ(ErrorOf(Interchange(kBody, short_control)),
            "segment 3 (ST): ST02 is not a control number of 4 to 9 printable characters");
}

TEST(X12Reader, WrongGeCountAndControlAreRefused) {
  std::string text = Interchange(kBody);
  text.replace(text.find("GE*1*"), 5, "GE*2*");
  EXPECT_EQ(ErrorOf(text), "segment 8 (GE): GE01 does not match the 1 transactions of group 101");
  text = Interchange(kBody);
  text.replace(text.find("GE*1*101"), 8, "GE*1*102");
  EXPECT_EQ(ErrorOf(text), "segment 8 (GE): GE02 does not match GS06 101");
}

TEST(X12Reader, WrongIeaControlAndCountAreRefused) {
  std::string text = Interchange(kBody);
  text.replace(text.find("IEA*1*000000101"), 15, "IEA*1*000000109");
  EXPECT_EQ(ErrorOf(text), "segment 9 (IEA): IEA02 does not match ISA13 000000101");
  text = Interchange(kBody);
  text.replace(text.find("IEA*1*"), 6, "IEA*2*");
  EXPECT_EQ(ErrorOf(text), "segment 9 (IEA): IEA01 does not match the 1 groups of interchange 000000101");
}

TEST(X12Reader, RefusesWhatIsNotAnInterchange) {
  EXPECT_EQ(ErrorOf(""), "the file is empty: no ISA");
  EXPECT_EQ(ErrorOf(" \r\n"), "the file is empty: no ISA");
  EXPECT_EQ(ErrorOf("GS*HP*A*B~"), "segment 1: expected ISA (a file holds interchanges and nothing else)");
  EXPECT_EQ(ErrorOf(Interchange(kBody) + "junk~"),
            "segment 10: expected ISA (a file holds interchanges and nothing else)");
  std::string text = Interchange(kBody);
  text.replace(text.find("GS*"), 3, "XS*");
  EXPECT_EQ(ErrorOf(text), "segment 2 (XS): expected GS or IEA in interchange 000000101");
  text = Interchange(kBody);
  text.replace(text.find("ST*"), 3, "SX*");
  EXPECT_EQ(ErrorOf(text), "segment 3 (SX): expected ST or GE in group 101");
}

TEST(X12Reader, RefusesAnIsaThatIsNotFixedWidth) {
  std::string text = Interchange(kBody);
  text.erase(text.find("SENDER") + 6, 1);  // ISA06 one character short
  EXPECT_EQ(ErrorOf(text), "segment 1 (ISA): ISA06 is not 15 characters followed by the element separator");
}

TEST(X12Reader, RefusesVersionsAndSeparatorsItCannotRead) {
  std::string text = Interchange(kBody);
  text.replace(text.find("00501"), 5, "00401");
  EXPECT_EQ(ErrorOf(text), "segment 1 (ISA): ISA12 is not 00501: only version 5010 interchanges are read");
  Envelope same;
  same.sep = {'*', '*', '^', '~'};
  EXPECT_EQ(ErrorOf(Interchange(kBody, same)),
            "segment 1 (ISA): two of the separators are the same character");
  Envelope cr;
  cr.sep = {'\r', ':', '^', '\n'};
  EXPECT_EQ(ErrorOf(Interchange(kBody, cr)),
            "segment 1 (ISA): CR or LF is the element, component or repetition separator");
  Envelope letter;
  letter.sep.repetition = 'U';  // the 4010 habit
  EXPECT_EQ(
      ErrorOf(Interchange(kBody, letter)),
      "segment 1 (ISA): a separator (byte 3, ISA11, ISA16 or the terminator) is a letter, digit or space");
}

TEST(X12Reader, RefusesControlCharactersAndBadSegmentIds) {
  std::string text = Interchange(kBody);
  text[text.find("SENDER") + 6] = '\t';  // inside ISA06's padding
  EXPECT_EQ(ErrorOf(text), "segment 1 (ISA): holds a control character");
  Envelope unprintable;  // separators may be control characters; elements may not hold them
  unprintable.sep = {'\x1D', '\x1F', '\x1E', '\x1C'};
  unprintable.after_segment = "";
  auto a = ReadX12(Interchange(kBody, unprintable));
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(Flatten(*a), Flatten(*ReadX12(Interchange(kBody))));
  text = Interchange(kBody);
  text.insert(text.find("T1*"), 1, '\x01');
  EXPECT_EQ(ErrorOf(text), "segment 5: holds a control character");
  text = Interchange(kBody);
  text.replace(text.find("TRN*"), 3, "trn");
  EXPECT_EQ(ErrorOf(text), "segment 5: does not begin with a segment id (2 or 3 capital letters and digits)");
  text = Interchange(kBody);
  text.insert(text.find("TRN*"), "~");  // an empty segment
  EXPECT_EQ(ErrorOf(text), "segment 5: does not begin with a segment id (2 or 3 capital letters and digits)");
}

TEST(X12Reader, ErrorsNeverQuoteSegmentText) {
  // A segment that is not a segment may be a patient's name cut loose: it is never quoted.
  std::string text = Interchange({"NM1*QC*1*DOE*JANE****MI*1EG4TE5MK73"});
  text.replace(text.find("NM1*"), 4, "DOE JANE*");
  std::string err = ErrorOf(text);
  EXPECT_NE(err.find("segment 4:"), std::string::npos) << err;
  EXPECT_EQ(err.find("DOE"), std::string::npos) << err;
  EXPECT_EQ(err.find("JANE"), std::string::npos) << err;
}

TEST(X12Kind, ComesFromGs01St01AndTheVersion) {
  auto kind = [](const Envelope& e) {
    auto r = ReadX12(Interchange({"X1*A"}, e));
    EXPECT_TRUE(r.ok());
    return DetectKind(*r);
  };
  EXPECT_EQ(*kind(testing::Envelope999()), X12Kind::k999);
  EXPECT_EQ(*kind(testing::Envelope277CA()), X12Kind::k277CA);
  EXPECT_EQ(*kind(Envelope()), X12Kind::k835);
  EXPECT_EQ(KindName(X12Kind::k277CA), "277CA");
}

TEST(X12Kind, UnknownTransactionsAreRefusedByTheirSt) {
  Envelope claim;  // an 837P sent back to us
  claim.functional_id = "HC";
  claim.transaction = "837";
  claim.version = "005010X222A1";
  auto r = ReadX12(Interchange({"BHT*0019*00*1*20260120*0930*CH"}, claim));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(DetectKind(*r).status().message(),
            "segment 3 (ST): transaction ST01 837 in group GS01 HC, version 005010X222A1 is not a 999 "
            "(005010X231A1), 277CA (005010X214) or 835 (005010X221A1)");
  Envelope status_response = testing::Envelope277CA();  // a 277 answering a 276, not a 277CA
  status_response.version = "005010X212";
  EXPECT_FALSE(DetectKind(*ReadX12(Interchange({"X1*A"}, status_response))).ok());
  Envelope mislabelled;  // an 835 in a 999's group
  mislabelled.functional_id = "FA";
  EXPECT_FALSE(DetectKind(*ReadX12(Interchange({"X1*A"}, mislabelled))).ok());
}

TEST(X12Kind, St03MustMatchGs08) {
  std::string text = Interchange({"X1*A"});
  text.replace(text.find("ST*835*0001*005010X221A1"), 24, "ST*835*0001*005010X221");
  auto r = ReadX12(text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(DetectKind(*r).status().message(), "segment 3 (ST): ST03 does not match GS08 of its group");
}

TEST(X12Kind, AFileOfTwoKindsOrNoTransactionIsRefused) {
  Envelope second = testing::Envelope999();
  second.isa13 = "000000102";
  auto r = ReadX12(Interchange({"X1*A"}) + Interchange({"X1*A"}, second));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(DetectKind(*r).status().message(), "segment 10 (ST): a 999 in a file of 835 transactions");
  EXPECT_EQ(DetectKind({}).status().message(), "the file holds no transaction (no ST)");
}

TEST(X12Quantity, ParsesExactlyInThousandths) {
  EXPECT_EQ(X12Quantity::Parse("1")->thousandths, 1000);
  EXPECT_EQ(X12Quantity::Parse("1.00")->thousandths, 1000);
  EXPECT_EQ(X12Quantity::Parse("0.5")->thousandths, 500);
  EXPECT_EQ(X12Quantity::Parse(".125")->thousandths, 125);
  EXPECT_EQ(X12Quantity::Parse("-2")->thousandths, -2000);
  EXPECT_EQ(X12Quantity::Parse("2.5000")->thousandths, 2500);
  EXPECT_TRUE(X12Quantity::Parse("3")->IsWhole());
  EXPECT_FALSE(X12Quantity::Parse("0.5")->IsWhole());
  for (const char* bad : {"", "-", ".", "1.2345", "1e3", "1,5", "+1", "1.2.3", "9999999999999"})
    EXPECT_FALSE(X12Quantity::Parse(bad).has_value()) << bad;
}

}  // namespace
}  // namespace otp
