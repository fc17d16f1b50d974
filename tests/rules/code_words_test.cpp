// CodeWords tests: the shipped codes/carc.xml, rarc.xml, claim-status.xml and plb-reasons.xml load and know every
// code our X12 fixtures carry; lookups of unknown codes give text, never an error; Load() refuses
// small broken copies of the files, naming the file; and the files stay out of the RuleBook's
// fingerprint.
#include "rules/code_words.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "rules/rulebook.h"
#include "scratch_dir.h"
#include "status_helpers.h"

namespace otp {
namespace {

namespace fs = std::filesystem;

const std::string kCodes = OTP_SOURCE_DIR "/codes";

const CodeWords& Words() {
  static const CodeWords words = Val(CodeWords::Load(kCodes));
  return words;
}

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteText(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) out.push_back(part);
  if (!s.empty() && s.back() == sep) out.push_back("");
  return out;
}

// The codes an X12 return file carries, read simply: separators from the ISA (element at 3,
// component at 104, segment at 105), then CAS groups and reasons, LQ*HE and MOA03-07 remarks,
// STC01/10/11 category:status composites and PLB03/05/…/13 reason:reference composites.
struct FixtureCodes {
  std::set<std::string> groups, reasons, remarks, categories, statuses, plb;
};

void Collect(const std::string& raw, FixtureCodes& c) {
  const size_t isa = raw.find("ISA");
  if (isa == std::string::npos || raw.size() < isa + 106) return;
  const std::string text = raw.substr(isa);
  const char el = text[3], comp = text[104], seg = text[105];
  for (std::string s : Split(text, seg)) {
    s.erase(0, s.find_first_not_of(" \r\n\t"));
    std::vector<std::string> e = Split(s, el);
    if (e.empty()) continue;
    if (e[0] == "CAS" && e.size() > 2) {
      c.groups.insert(e[1]);
      for (size_t k = 2; k < e.size(); k += 3)
        if (!e[k].empty()) c.reasons.insert(e[k]);
    } else if (e[0] == "LQ" && e.size() > 2 && e[1] == "HE") {
      c.remarks.insert(e[2]);
    } else if (e[0] == "MOA") {
      for (size_t k = 3; k <= 7 && k < e.size(); ++k)
        if (!e[k].empty()) c.remarks.insert(e[k]);
    } else if (e[0] == "PLB") {
      for (size_t k = 3; k < e.size(); k += 2)
        if (!e[k].empty()) c.plb.insert(Split(e[k], comp)[0]);
    } else if (e[0] == "STC") {
      for (size_t k : {1u, 10u, 11u}) {
        if (k >= e.size() || e[k].empty()) continue;
        std::vector<std::string> parts = Split(e[k], comp);
        c.categories.insert(parts[0]);
        if (parts.size() > 1 && !parts[1].empty()) c.statuses.insert(parts[1]);
      }
    }
  }
}

FixtureCodes ReadFixtures() {
  FixtureCodes c;
  for (const char* dir : {"/fixtures/x12", "/fixtures/x12-samples", "/fixtures/demo/responses"}) {
    for (const auto& f : fs::recursive_directory_iterator(std::string(OTP_SOURCE_DIR) + dir)) {
      if (f.is_regular_file() && f.path().extension() != ".md" && f.path().extension() != ".json")
        Collect(ReadText(f.path()), c);
    }
  }
  return c;
}

// A scratch copy of the four files, for Load() to refuse once one is broken.
class CodeWordsFiles : public ::testing::Test {
 protected:
  ScratchDir dir_{"otp-code-words"};
  void SetUp() override {
    for (const char* f : {"carc.xml", "rarc.xml", "claim-status.xml", "plb-reasons.xml"})
      fs::copy_file(kCodes + "/" + f, dir_.path() / f);
  }
  // Replaces the first `from` in `file` by `to`.
  void Edit(const char* file, const std::string& from, const std::string& to) {
    std::string text = ReadText(dir_.path() / file);
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    WriteText(dir_.path() / file, text.replace(at, from.size(), to));
  }
  Status LoadStatus() const { return CodeWords::Load(dir_.path().string()).status(); }
};

// ---- the shipped files ----------------------------------------------------------------------------

TEST(CodeWords, LoadsTheShippedFiles) {
  EXPECT_EQ(Words().Carc("1")->words, "Deductible Amount");
  EXPECT_EQ(Words().Carc("16")->next_step,
            "Find the missing or invalid item the remark codes name, correct the claim and send it again.");
  EXPECT_EQ(Words().Rarc("N115")->verified, false);
  EXPECT_EQ(Words().Rarc("MA130")->verified, true);
  for (const char* g : {"CO", "PR", "OA", "PI", "CR"}) {
    ASSERT_NE(Words().Group(g), nullptr) << g;
    EXPECT_FALSE(Words().Group(g)->next_step.empty()) << g;
  }
  EXPECT_NE(Words().Category("A7"), nullptr);
  EXPECT_NE(Words().StatusCode("562"), nullptr);
}

TEST(CodeWords, KnowsTheCodesAnOtpRemitIsLikelyToCarry) {
  for (const char* c : {"1",   "2",   "3",   "4",   "5",   "6",   "11",  "16",  "18",  "22",  "23",  "24",
                        "26",  "27",  "29",  "31",  "45",  "50",  "96",  "97",  "107", "109", "119", "129",
                        "140", "146", "147", "151", "167", "170", "181", "182", "185", "189", "197", "198",
                        "204", "226", "227", "234", "236", "242", "252", "253", "A1",  "B7",  "B9",  "B15"})
    EXPECT_NE(Words().Carc(c), nullptr) << "CARC " << c;
  for (const char* c : {"M15",   "M20", "M51", "M76", "M77",  "M80",  "M86",  "MA01", "MA04", "MA07", "MA18",
                        "MA130", "N4",  "N20", "N56", "N115", "N130", "N290", "N362", "N425", "N522", "N657"})
    EXPECT_NE(Words().Rarc(c), nullptr) << "RARC " << c;
}

TEST(CodeWords, KnowsEveryCodeInTheX12Fixtures) {
  const FixtureCodes c = ReadFixtures();
  ASSERT_FALSE(c.reasons.empty());
  ASSERT_FALSE(c.categories.empty());
  for (const auto& g : c.groups) EXPECT_NE(Words().Group(g), nullptr) << "group " << g;
  for (const auto& r : c.reasons) EXPECT_NE(Words().Carc(r), nullptr) << "CARC " << r;
  for (const auto& r : c.remarks) EXPECT_NE(Words().Rarc(r), nullptr) << "RARC " << r;
  for (const auto& k : c.categories) EXPECT_NE(Words().Category(k), nullptr) << "category " << k;
  for (const auto& s : c.statuses) EXPECT_NE(Words().StatusCode(s), nullptr) << "status " << s;
  for (const auto& p : c.plb) EXPECT_NE(Words().ProviderAdjustment(p), nullptr) << "PLB " << p;
  // The fixtures' codes as read today, so a fixture change that loses the parse is noticed.
  EXPECT_EQ(c.reasons, (std::set<std::string>{"1", "2", "23", "253", "42", "45", "50", "94", "96", "97", "A2"}));
  EXPECT_EQ(c.remarks, (std::set<std::string>{"M15", "MA01", "MA02", "N115", "N130"}));
  EXPECT_EQ(c.categories, (std::set<std::string>{"A1", "A2", "A6", "A7"}));
  EXPECT_EQ(c.statuses, (std::set<std::string>{"164", "19", "20", "21", "454", "562"}));
  EXPECT_EQ(c.plb, (std::set<std::string>{"CV", "L6", "WO"}));
}

TEST(CodeWords, StopDatesParse) {
  ASSERT_TRUE(Words().Carc("42")->stopped.has_value());
  EXPECT_EQ(*Words().Carc("42")->stopped, D("2007-06-01"));
  EXPECT_EQ(*Words().Carc("A2")->stopped, D("2008-01-01"));
  EXPECT_FALSE(Words().Carc("45")->stopped.has_value());
}

// ---- which adjustments a denial names ------------------------------------------------------------

TEST(CodeWords, IsDenialExceptWhatCarcXmlMarksAsAReduction) {
  EXPECT_TRUE(Words().IsDenial("CO", "50"));
  EXPECT_TRUE(Words().IsDenial("OA", "18"));
  EXPECT_FALSE(Words().IsDenial("CO", "45"));   // the fee schedule's reduction
  EXPECT_FALSE(Words().IsDenial("CO", "253"));  // sequestration
  EXPECT_FALSE(Words().IsDenial("PR", "1"));    // the patient's share, whatever the reason
  EXPECT_FALSE(Words().IsDenial("PR", "50"));
  EXPECT_TRUE(Words().IsDenial("CO", "999"));   // a code the list lacks is shown to a clerk
  EXPECT_TRUE(Words().IsDenial("ZZ", "50"));
}

// ---- provider-level adjustments (835 PLB) ---------------------------------------------------------

TEST(CodeWords, ProviderAdjustmentsInWords) {
  EXPECT_EQ(Words().DescribeProviderAdjustment("WO"), "WO: Overpayment Recovery");
  EXPECT_EQ(Words().DescribeProviderAdjustment("L6"), "L6: Interest Owed");
  EXPECT_EQ(Words().DescribeProviderAdjustment("HM"), "HM: Hemophilia Clotting Factor Supplement [words unverified]");
  EXPECT_EQ(Words().DescribeProviderAdjustment("ZZ"), "ZZ: (code not in codes/plb-reasons.xml)");
  EXPECT_FALSE(Words().ProviderAdjustment("WO")->next_step.empty());
}

TEST(CodeWords, OnlyWoAndAuthorizedReturnNameAClaim) {
  EXPECT_TRUE(Words().NamesClaim("WO"));
  EXPECT_TRUE(Words().NamesClaim("72"));
  EXPECT_FALSE(Words().NamesClaim("L6"));
  EXPECT_FALSE(Words().NamesClaim("FB"));
  EXPECT_FALSE(Words().NamesClaim("ZZ"));  // not in the list: names nothing
}

// ---- describing codes -----------------------------------------------------------------------------

TEST(CodeWords, DescribesAdjustments) {
  EXPECT_EQ(Words().DescribeAdjustment("CO", "45"),
            "CO-45: Charge exceeds fee schedule/maximum allowable or contracted/legislated fee arrangement.");
  EXPECT_EQ(Words().DescribeAdjustment("CO", "A2"), "CO-A2: Contractual adjustment. [stopped 2008-01-01]");
  EXPECT_EQ(Words().DescribeAdjustment("", "1"), "1: Deductible Amount");
  EXPECT_EQ(Words().DescribeAdjustment("CO", "198"),
            "CO-198: Precertification/notification/authorization/pre-treatment exceeded. [words unverified]");
}

TEST(CodeWords, UnknownCodesGiveTextNotErrors) {
  EXPECT_EQ(Words().Carc("999"), nullptr);
  EXPECT_EQ(Words().DescribeAdjustment("CO", "999"), "CO-999: (code not in codes/carc.xml)");
  EXPECT_EQ(Words().DescribeAdjustment("XX", "45"),
            "XX-45: Charge exceeds fee schedule/maximum allowable or contracted/legislated fee arrangement."
            " (group XX not in codes/carc.xml)");
  EXPECT_EQ(Words().DescribeRemark("N9999"), "N9999: (code not in codes/rarc.xml)");
  EXPECT_EQ(Words().DescribeStatus("A9", "99999"),
            "A9: (code not in codes/claim-status.xml) | 99999: (code not in codes/claim-status.xml)");
  EXPECT_EQ(Words().Carc(""), nullptr);
  EXPECT_EQ(Words().Rarc("n115"), nullptr);  // codes are matched exactly, as X12 sends them
}

TEST(CodeWords, DescribesRemarksAndStatus) {
  EXPECT_EQ(Words().DescribeRemark("N522"),
            "N522: Duplicate of a claim processed, or to be processed, as a crossover claim.");
  EXPECT_EQ(
      Words().DescribeStatus("A2", "20").rfind("A2: Acknowledgement/Acceptance into adjudication system", 0),
      0u);
  EXPECT_NE(Words().DescribeStatus("A2", "20").find(" | 20: Accepted for processing."), std::string::npos);
  EXPECT_EQ(Words().DescribeStatus("A7", "").find('|'), std::string::npos);
}

// ---- Load refuses broken files --------------------------------------------------------------------

TEST_F(CodeWordsFiles, ACopyLoads) { Ok(LoadStatus()); }

TEST_F(CodeWordsFiles, MalformedXmlNamesFileAndLine) {
  Edit("carc.xml", "<reason code=\"45\"", "<reason code=\"45\" <");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("carc.xml line "), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("not well-formed XML"), std::string::npos) << st.message();
}

TEST_F(CodeWordsFiles, DuplicateCodeIsRefused) {
  Edit("rarc.xml", "<remark code=\"N20\"", "<remark code=\"N19\"");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("rarc.xml line "), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("duplicate <remark> N19"), std::string::npos) << st.message();
}

TEST_F(CodeWordsFiles, WrongRootIsRefused) {
  WriteText(dir_.path() / "claim-status.xml", "<?xml version=\"1.0\"?>\n<status-codes/>\n");
  Status st = LoadStatus();
  EXPECT_NE(st.message().find("claim-status.xml: root element must be <claim-status-codes>"),
            std::string::npos)
      << st.message();
}

TEST_F(CodeWordsFiles, SameCodeInTwoListsIsNoDuplicate) {
  Edit("claim-status.xml", "<status code=\"0\"", "<status code=\"A2\"");
  Ok(LoadStatus());
}

TEST_F(CodeWordsFiles, MissingFileIsRefused) {
  fs::remove(dir_.path() / "claim-status.xml");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("claim-status.xml: cannot be read"), std::string::npos) << st.message();
}

TEST_F(CodeWordsFiles, BadStopDateIsRefused) {
  Edit("carc.xml", "stopped=\"2007-06-01\"", "stopped=\"2007-02-30\"");
  Status st = LoadStatus();
  EXPECT_NE(st.message().find("carc.xml line "), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("stopped must be a date"), std::string::npos) << st.message();
}

TEST_F(CodeWordsFiles, BadEntriesAreRefused) {
  struct Case {
    const char* file;
    const char* from;
    const char* to;
    const char* says;
  };
  for (const Case& c :
       {Case{"carc.xml", "words=\"Contractual Obligations\" verified=\"yes\"",
             "words=\"Contractual Obligations\" verified=\"maybe\"", "verified must be yes or no"},
        Case{"carc.xml", "<reason code=\"45\"", "<reason code=\"4 5\"", "needs a code"},
        Case{"carc.xml", "Patient Responsibility\" denial=\"no\"", "Patient Responsibility\" denial=\"never\"",
             "denial must be yes or no"},
        Case{"rarc.xml", "<remark code=\"N20\"", "<remark cod=\"N20\"", "unknown attribute cod"},
        Case{"rarc.xml", "<remark code=\"N20\"", "<remarks code=\"N20\"", "unexpected element <remarks>"},
        Case{"plb-reasons.xml", "Authorized Return\" names-claim=\"yes\"", "Authorized Return\" names-claim=\"sure\"",
             "names-claim must be yes or no"},
        Case{"plb-reasons.xml", "<reason code=\"L6\"", "<reason denial=\"no\" code=\"L6\"", "unknown attribute denial"},
        Case{"rarc.xml", "<remark code=\"N20\"", "<remark names-claim=\"yes\" code=\"N20\"",
             "unknown attribute names-claim"},
        Case{"claim-status.xml", "words=\"Accepted for processing.\"", "words=\"\"",
             "needs attribute words"}}) {
    for (const char* f : {"carc.xml", "rarc.xml", "claim-status.xml", "plb-reasons.xml"})
      fs::copy_file(kCodes + "/" + f, dir_.path() / f, fs::copy_options::overwrite_existing);
    Edit(c.file, c.from, c.to);
    Status st = LoadStatus();
    EXPECT_EQ(st.code(), StatusCode::kConfig) << c.says;
    EXPECT_NE(st.message().find(c.file), std::string::npos) << st.message();
    EXPECT_NE(st.message().find(c.says), std::string::npos) << st.message();
  }
}

// ---- not billing rules --------------------------------------------------------------------------

TEST(CodeWords, FilesAreNotInTheRuleBookFingerprint) {
  ScratchDir dir("otp-code-words-fp");
  fs::copy(kCodes, dir.path() / "codes", fs::copy_options::recursive);
  const std::string codes = (dir.path() / "codes").string();
  const uint64_t before = Val(RuleBook::Load(codes)).Fingerprint();
  WriteText(dir.path() / "codes" / "carc.xml",
            ReadText(dir.path() / "codes" / "carc.xml") + "<!-- changed -->\n");
  EXPECT_EQ(Val(RuleBook::Load(codes)).Fingerprint(), before);
}

}  // namespace
}  // namespace otp
