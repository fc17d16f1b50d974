// E2E: what came back for a claim, as the billing clerk reads it. The demo night, then an 835
// answering its first claim (built from the 837 it answers: the Part B deductible on the first
// line, a counseling line denied CO-97, sequestration on the rest, interest paid by PLB L6),
// ingested; then `explain --claim` (the account, each line as the 835 paid it, the history),
// `report`'s Payments sheet with its A/R, and the next night's Payments sheet.
#include <cstdio>
#include <regex>

#include "e2e_fixture.h"
#include "output/xlsx_parts.h"

namespace otp_e2e {
namespace {

int64_t Cents(const std::string& amount) {
  const size_t dot = amount.find('.');
  const std::string frac = dot == std::string::npos ? "00" : (amount.substr(dot + 1) + "00").substr(0, 2);
  return std::stoll(amount.substr(0, dot)) * 100 + std::stoll(frac);
}
std::string Amount(int64_t cents) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", cents < 0 ? "-" : "", static_cast<long long>(std::llabs(cents) / 100),
                static_cast<long long>(std::llabs(cents) % 100));
  return buf;
}
std::vector<std::string> Elements(const std::string& segment) {
  std::vector<std::string> out;
  std::stringstream ss(segment);
  for (std::string e; std::getline(ss, e, '*');) out.push_back(e);
  return out;
}

// The claim as its 837 sent it: the member id and each SV1 with its date.
struct SentClaim {
  std::string member, total;
  struct Line { std::string procedure, charge, units, dos; };
  std::vector<Line> lines;
};

SentClaim Read837(const std::string& text, const std::string& claim_id) {
  SentClaim c;
  std::string member;
  bool in = false;
  std::stringstream ss(text);
  for (std::string seg; std::getline(ss, seg, '~');) {
    while (!seg.empty() && (seg[0] == '\n' || seg[0] == '\r')) seg.erase(0, 1);
    const std::vector<std::string> e = Elements(seg);
    if (e.empty()) continue;
    if (e[0] == "NM1" && e.size() > 9 && e[1] == "IL") member = e[9];
    if (e[0] == "CLM") {
      in = e[1] == claim_id;
      if (in) c.member = member, c.total = e[2];
    }
    if (!in) continue;
    if (e[0] == "HL") break;
    if (e[0] == "SV1") c.lines.push_back({e[1].substr(e[1].find(':') + 1), e[2], e[4], ""});
    if (e[0] == "DTP" && e[1] == "472" && !c.lines.empty()) c.lines.back().dos = e[3];
  }
  return c;
}

// The 835: line 1 less the deductible 100.00, the first G2080 denied CO-97, 2 % sequestration
// (CO-253) on what is paid; interest 1.25 (PLB L6) added to the payment.
std::string Answer835(const SentClaim& c, const std::string& claim_id) {
  std::vector<std::string> svc;
  int64_t paid = 0, deductible = 0;
  bool denied = false;
  for (size_t i = 0; i < c.lines.size(); ++i) {
    const auto& l = c.lines[i];
    const int64_t charge = Cents(l.charge);
    std::vector<std::string> cas;
    int64_t pays = 0;
    if (!denied && l.procedure.rfind("G2080", 0) == 0) {
      denied = true;
      cas.push_back("CAS*CO*97*" + Amount(charge));
    } else {
      const int64_t ded = i == 0 ? 10000 : 0, seq = (charge - ded) * 2 / 100;
      deductible += ded;
      pays = charge - ded - seq;
      if (ded) cas.push_back("CAS*PR*1*" + Amount(ded));
      cas.push_back("CAS*CO*253*" + Amount(seq));
    }
    paid += pays;
    svc.push_back("SVC*HC:" + l.procedure + "*" + l.charge + "*" + Amount(pays) + "**" + l.units);
    svc.push_back("DTM*472*" + l.dos);
    svc.insert(svc.end(), cas.begin(), cas.end());
  }
  std::vector<std::string> body = {
      "BPR*I*" + Amount(paid + 125) + "*C*ACH*CCP*01*011000015*DA*123456789*1999999999**01*021000021*DA*987654321*20261125",
      "TRN*1*EFT777*1999999999", "DTM*405*20261125", "N1*PR*NORIDIAN JE PART B", "N3*PO BOX 6775",
      "N4*FARGO*ND*581086775", "REF*2U*01182", "N1*PE*HARBOR RECOVERY CENTER SAN DIEGO*XX*1593475878",
      "N3*1535 LAKE DR", "N4*SAN DIEGO*CA*921019134", "REF*TJ*881808893", "LX*1",
      "CLP*" + claim_id + "*1*" + c.total + "*" + Amount(paid) + "*" + Amount(deductible) + "*MB*ICN0001",
      "NM1*QC*1*SIERRA*GIA****MI*" + c.member};
  body.insert(body.end(), svc.begin(), svc.end());
  body.push_back("PLB*1593475878*20261231*L6:" + claim_id + "*-1.25");
  std::string out = "ISA*00*          *00*          *ZZ*01182          *ZZ*SUB52646       *261125*0900*^*00501*000000777*0*T*:~\n"
                    "GS*HP*01182*SUB52646*20261125*0900*777*X*005010X221A1~\nST*835*0001*005010X221A1~\n";
  for (const std::string& s : body) out += s + "~\n";
  out += "SE*" + std::to_string(body.size() + 2) + "*0001~\nGE*1*777~\nIEA*1*000000777~\n";
  return out;
}

class Payments : public E2E {
 protected:
  void Ingested() {
    ASSERT_EQ(Otp(DemoRun()), 3) << stderr_;
    const SentClaim sent = Read837(Slurp(dir_ / "out" / kAsOf / "HRC01-000000001.837"), "C000000001");
    ASSERT_GT(sent.lines.size(), 3u);
    std::ofstream(dir_ / "answer.835") << Answer835(sent, "C000000001");
    const int rc = Otp("ingest --db otpbatch.db answer.835");
    ASSERT_TRUE(rc == 0 || rc == 3) << rc << stderr_;
  }
};

TEST_F(Payments, ExplainSaysWhatBecameOfTheClaimLineByLineAndItsHistory) {
  Ingested();
  ASSERT_EQ(Otp("explain --db otpbatch.db --claim C000000001"), 0) << stderr_;
  const std::string& x = stdout_;
  EXPECT_NE(x.find("what became of it: partially_paid  payer claim number ICN0001"), std::string::npos) << x;
  EXPECT_NE(x.find("adjusted PR-1 100.00 (PR-1: Deductible Amount"), std::string::npos) << x;
  EXPECT_NE(x.find("adjusted CO-97 "), std::string::npos) << x;
  EXPECT_NE(x.find("outstanding 0.00"), std::string::npos) << x;
  EXPECT_NE(x.find("line 1: 835 2026-11-25 (answer.835, partially_paid): G2067 DOS 2026-09-01  paid "),
            std::string::npos) << x;
  EXPECT_NE(x.find("    matched by "), std::string::npos) << x;
  EXPECT_NE(x.find("history:\n  2026-11-10  written  HRC01-000000001.837"), std::string::npos) << x;
  EXPECT_NE(x.find("  2026-11-25  partially_paid  answer.835"), std::string::npos) << x;
  EXPECT_NE(x.find("  provider-level adjustment, 835 2026-11-25 (answer.835, payment EFT777): L6: Interest Owed  1.25 "
                   "paid to the facility (reference C000000001)\n    next: Interest Medicare paid"),
            std::string::npos)
      << x;
  ASSERT_EQ(Otp("explain --db otpbatch.db --claim C000000002"), 0) << stderr_;
  EXPECT_NE(stdout_.find("what became of it: written\n"), std::string::npos) << stdout_;
}

TEST_F(Payments, TheReportAndTheNextNightShowTheClaimAndTheReceivables) {
  Ingested();
  ASSERT_EQ(Otp("report --db otpbatch.db --from 2026-08-01 --to 2026-11-30 --out r.xlsx"), 0) << stderr_;
  const std::string p = otp::xlsx::SheetNamed((dir_ / "r.xlsx").string(), "Payments");
  EXPECT_EQ(otp::xlsx::CellText(p, "B2"), "C000000001");
  EXPECT_EQ(otp::xlsx::CellText(p, "G2"), "partially_paid");
  EXPECT_NE(otp::xlsx::CellText(p, "L2").find("PR-1 100.00"), std::string::npos) << otp::xlsx::CellText(p, "L2");
  EXPECT_EQ(otp::xlsx::CellText(p, "B3"), "C000000002");
  EXPECT_EQ(otp::xlsx::CellText(p, "G3"), "written");
  EXPECT_NE(p.find("Accounts receivable by facility"), std::string::npos);
  EXPECT_NE(p.find("<t>L6</t>"), std::string::npos) << "the interest the payment carried";

  std::string next = DemoRun();
  next.replace(next.find(kAsOf), 10, "2026-12-08");
  const int rc = Otp(next);
  ASSERT_TRUE(rc == 0 || rc == 3) << rc << stderr_;
  const std::string night = otp::xlsx::SheetNamed((dir_ / "out/2026-12-08/compliance-2026-12-08.xlsx").string(),
                                                  "Payments");
  EXPECT_EQ(otp::xlsx::CellText(night, "B2"), "C000000001") << "paid within the last 30 days";
  EXPECT_NE(night.find("<t>C000000147</t>"), std::string::npos) << "written, nothing back: outstanding";
}

}  // namespace
}  // namespace otp_e2e
