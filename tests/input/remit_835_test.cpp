// The 835 reader (remit_835.h): the LinuxForHealth samples (and why five of them are refused as
// sent), our own remittances (a deductible, a denial, a reversal with its new adjudication, a
// PLB WO offset), the three balancing rules, and the order, code and amount errors it refuses.
#include "input/remit_835.h"

#include <gtest/gtest.h>

#include "input/x12_fields.h"
#include "input/x12_test_util.h"

namespace otp {
namespace {

using testing::Fixture;
using testing::Interchange;
using testing::OnlyTransaction;

Date D(const char* iso) { return *Date::Parse(iso); }
Money M(const char* text) { return *Money::Parse(text); }

Result<Remit835> ReadFile(const std::string& fixture) { return Read835(OnlyTransaction(Fixture(fixture))); }

// An 835 paying `total` for `detail` (claims and PLBs); the header is segments 4 to 9, the
// detail starts at segment 10.
std::vector<std::string> Body(const std::string& total, const std::vector<std::string>& detail,
                              const std::string& credit_debit = "C") {
  std::vector<std::string> b = {"BPR*I*" + total + "*" + credit_debit + "*CHK************20260120",
                                "TRN*1*CHK0001*1999999999",
                                "N1*PR*MEDICARE JURISDICTION E",
                                "REF*2U*01112",
                                "N1*PE*HARBOR RECOVERY CENTER*XX*1234567893",
                                "LX*1"};
  b.insert(b.end(), detail.begin(), detail.end());
  return b;
}

Result<Remit835> Read(const std::vector<std::string>& body) {
  return Read835(OnlyTransaction(Interchange(body)));
}

std::string ErrorOf(const std::vector<std::string>& body) {
  auto r = Read(body);
  EXPECT_FALSE(r.ok()) << "accepted";
  return r.ok() ? "" : r.status().message();
}

// Segments 10… of Body: a claim of 300.00 paid `paid` with its one line adjusted by `cas`.
std::vector<std::string> Claim(const std::string& paid, const std::string& cas) {
  return {"CLP*C000000021*1*300*" + paid + "**MB*PCN1", "SVC*HC:G2067*300*" + paid, cas};
}

TEST(Remit835, MedicarePartASampleIsReadAsSent) {
  auto r = ReadFile("x12-samples/lfh-medicare-part-a.835");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->handling_code, "C");
  EXPECT_EQ(r->total, M("150000.00"));
  EXPECT_EQ(r->credit_debit, 'C');
  EXPECT_EQ(r->payment_method, "ACH");
  EXPECT_EQ(r->payment_date, D("2002-09-13"));
  EXPECT_EQ(r->trace_number, "12345");
  EXPECT_EQ(r->payer_trace_id, "1512345678");
  EXPECT_EQ(r->production_date, D("2002-09-16"));
  EXPECT_EQ(r->payer_name, "INSURANCE COMPANY OF TIMBUCKTU");
  EXPECT_EQ(r->payer_id, "999");  // REF*2U
  EXPECT_EQ(r->payee_name, "REGIONAL HOPE HOSPITAL");
  EXPECT_EQ(r->payee_id_qualifier, "XX");
  EXPECT_EQ(r->payee_id, "6543210903");
  ASSERT_EQ(r->claims.size(), 2u);
  const RemitClaim& a = r->claims[0];
  EXPECT_EQ(a.claim_id, "666123");
  EXPECT_EQ(a.status, "1");
  EXPECT_EQ(a.charge, M("211366.97"));
  EXPECT_EQ(a.paid, M("138018.40"));
  EXPECT_EQ(a.patient_responsibility, Money());
  EXPECT_EQ(a.filing_indicator, "MA");
  EXPECT_EQ(a.payer_claim_number, "1999999444444");
  ASSERT_EQ(a.adjustments.size(), 1u);
  EXPECT_EQ(a.adjustments[0].group, "CO");
  EXPECT_EQ(a.adjustments[0].reason, "45");
  EXPECT_EQ(a.adjustments[0].amount, M("73348.57"));
  EXPECT_EQ(a.patient_id_qualifier, "HN");
  EXPECT_EQ(a.patient_id, "666666666A");
  EXPECT_EQ(a.statement_from, D("2002-08-16"));
  EXPECT_EQ(a.statement_to, D("2002-08-24"));
  EXPECT_TRUE(a.lines.empty());
  const RemitClaim& b = r->claims[1];
  EXPECT_EQ(b.filing_indicator, "MB");
  ASSERT_EQ(b.remarks.size(), 1u);  // MOA***MA02
  EXPECT_EQ(b.remarks[0].qualifier, "HE");
  EXPECT_EQ(b.remarks[0].code, "MA02");
  // 150000.00 = 138018.40 + 11980.33 − (−1.27): a negative PLB adds to the payment.
  ASSERT_EQ(r->provider_adjustments.size(), 1u);
  const ProviderAdjustment& p = r->provider_adjustments[0];
  EXPECT_EQ(p.provider_id, "6543210903");
  EXPECT_EQ(p.fiscal_period, D("2002-12-31"));
  EXPECT_EQ(p.reason, "CV");
  EXPECT_EQ(p.reference, "CP");
  EXPECT_EQ(p.amount, M("-1.27"));
}

TEST(Remit835, SamplesWithoutAValidBpr16AreRefused) {
  // These four put the payment date in BPR15 (one element too few) or send month 23.
  for (const char* f :
       {"lfh-cob-contractural-adjustment.835", "lfh-secondary-payment.835", "lfh-tertiary-payment.835"})
    EXPECT_EQ(ReadFile(std::string("x12-samples/") + f).status().message(),
              "segment 4 (BPR): BPR16 (a date) is required")
        << f;
  EXPECT_EQ(ReadFile("x12-samples/lfh-managed-care.835").status().message(),
            "segment 4 (BPR): BPR16 is not a real date CCYYMMDD in 1900-9999");
}

TEST(Remit835, ManagedCareSampleHasClaimAndLineAdjustmentsThatBalanceTogether) {
  auto r = ReadFile("x12-samples/derived/lfh-managed-care.bpr16-fixed.835");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->total, M("945.00"));
  EXPECT_EQ(r->payment_date, D("2002-03-16"));
  ASSERT_EQ(r->claims.size(), 2u);
  const RemitClaim& c = r->claims[0];
  EXPECT_EQ(c.claim_id, "5554555444");
  EXPECT_EQ(c.patient_responsibility, M("300"));
  ASSERT_EQ(c.adjustments.size(), 1u);
  EXPECT_EQ(c.adjustments[0].reason, "A2");
  ASSERT_EQ(c.lines.size(), 1u);
  const RemitServiceLine& l = c.lines[0];
  EXPECT_EQ(l.procedure, (X12Procedure{"HC", "99211", {}}));
  EXPECT_EQ(l.charge, M("800"));
  EXPECT_EQ(l.paid, M("500"));  // more than CLP04: the claim-level CO-A2 50.00 takes it down to 450.00
  EXPECT_FALSE(l.units_paid.has_value());
  EXPECT_EQ(l.service_from, D("2002-03-01"));  // DTM*150
  EXPECT_EQ(l.service_to, D("2002-03-04"));    // DTM*151
  EXPECT_EQ(l.adjustments.at(0).group, "PR");
  EXPECT_EQ(c.AdjustmentTotal(), M("350"));
  EXPECT_EQ(r->claims[1].lines.at(0).adjustments.size(), 2u);
}

TEST(Remit835, CobSampleWithItsSeparatorAndBpr16MendedIsRead) {
  auto r = ReadFile("x12-samples/derived/lfh-cob-contractural-adjustment.bpr16-isa16-fixed.835");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->payment_method, "CHK");
  EXPECT_EQ(r->payment_date, D("2005-03-18"));
  EXPECT_EQ(r->payee_id_qualifier, "FI");
  const RemitClaim& c = r->claims.at(0);
  EXPECT_EQ(c.status, "2");
  const RemitServiceLine& l = c.lines.at(0);
  EXPECT_EQ(l.procedure.code, "55669");  // HC>55669 with ISA16 '>'
  EXPECT_EQ(l.units_paid, X12Quantity{1000});
  EXPECT_EQ(l.service_from, D("2005-02-02"));
  ASSERT_EQ(l.adjustments.size(), 2u);
  EXPECT_EQ(l.adjustments[1].reason, "94");
  EXPECT_EQ(l.adjustments[1].amount, M("-9"));  // a negative adjustment raises the payment
  EXPECT_EQ(l.amounts.at(0).qualifier, "B6");
  EXPECT_EQ(l.amounts.at(0).amount, M("550"));
}

TEST(Remit835, SecondarySampleReadsSixCasTriplesAndModifiers) {
  auto r = ReadFile("x12-samples/derived/lfh-secondary-payment.bpr16-isa16-fixed.835");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->claims.size(), 2u);
  EXPECT_EQ(r->claims[0].claim_id, "L0004828311");
  EXPECT_EQ(r->claims[0].amounts.at(0).qualifier, "AU");
  const RemitClaim& c = r->claims[1];
  EXPECT_EQ(c.patient_responsibility, M("220"));
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[0].procedure, (X12Procedure{"HC", "12345", {"26"}}));
  const RemitServiceLine& l = c.lines[1];
  EXPECT_EQ(l.revenue_code, "220");
  ASSERT_EQ(l.adjustments.size(), 3u);  // CAS*PR*1*150.00**2*70.00 and CAS*CO*42*85.00
  EXPECT_EQ(l.adjustments[1].group, "PR");
  EXPECT_EQ(l.adjustments[1].reason, "2");
  EXPECT_EQ(l.adjustments[1].amount, M("70"));
  EXPECT_EQ(l.adjustments[2].group, "CO");
}

TEST(Remit835, TertiarySampleIsRefusedForItsSvcWithoutAProcedureCode) {
  // SVC*HC*24599.00*…: the code is missing from SVC01, so every amount sits one element off.
  EXPECT_EQ(ReadFile("x12-samples/derived/lfh-tertiary-payment.bpr16-fixed.835").status().message(),
            "segment 20 (SVC): SVC01-2 (the procedure code, 1 to 48 characters) is required");
}

TEST(Remit835, PartialPaymentWithAPr1Deductible) {
  auto r = ReadFile("x12/ours-835-deductible.x12");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->total, M("150"));
  EXPECT_EQ(r->trace_number, "EFT0005001");
  EXPECT_EQ(r->payee_id, "1234567893");
  const RemitClaim& c = r->claims.at(0);
  EXPECT_EQ(c.claim_id, "C000000021");
  EXPECT_EQ(c.status, "1");
  EXPECT_EQ(c.paid, M("150"));
  EXPECT_EQ(c.patient_responsibility, M("100"));
  EXPECT_EQ(c.patient_id, "1EG4TE5MK73");
  EXPECT_FALSE(c.IsDenial());
  const RemitServiceLine& l = c.lines.at(0);
  EXPECT_EQ(l.procedure.code, "G2067");
  EXPECT_EQ(l.service_from, D("2026-01-05"));
  EXPECT_EQ(l.service_to, D("2026-01-05"));
  EXPECT_EQ(l.line_control_number, "1");
  ASSERT_EQ(l.adjustments.size(), 2u);
  EXPECT_EQ(l.adjustments[0].group, "PR");
  EXPECT_EQ(l.adjustments[0].reason, "1");
  EXPECT_EQ(l.adjustments[0].amount, M("100"));
  EXPECT_EQ(l.adjustments[1].group, "CO");
  EXPECT_EQ(l.adjustments[1].reason, "45");
}

TEST(Remit835, DenialPaysNothingAndExplainsTheWholeCharge) {
  auto r = ReadFile("x12/ours-835-denial.x12");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->handling_code, "H");
  EXPECT_EQ(r->payment_method, "NON");
  EXPECT_EQ(r->total, Money());
  const RemitClaim& c = r->claims.at(0);
  EXPECT_TRUE(c.IsDenial());
  EXPECT_EQ(c.paid, Money());
  EXPECT_EQ(c.AdjustmentTotal(), M("300"));
  const RemitServiceLine& l = c.lines.at(0);
  EXPECT_EQ(l.adjustments.at(0).group, "CO");
  EXPECT_EQ(l.adjustments.at(0).reason, "50");
  ASSERT_EQ(l.remarks.size(), 1u);
  EXPECT_EQ(l.remarks[0].qualifier, "HE");
  EXPECT_EQ(l.remarks[0].code, "N115");
}

TEST(Remit835, ReversalAndItsNewAdjudicationAreBothKept) {
  auto r = ReadFile("x12/ours-835-reversal.x12");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->claims.size(), 2u);
  const RemitClaim& reversal = r->claims[0];
  const RemitClaim& again = r->claims[1];
  EXPECT_EQ(reversal.claim_id, "C000000012");
  EXPECT_TRUE(reversal.IsReversal());
  EXPECT_EQ(reversal.charge, M("-300"));
  EXPECT_EQ(reversal.paid, M("-240"));
  EXPECT_EQ(reversal.payer_claim_number, "26005000001");  // the payment it takes back
  EXPECT_EQ(reversal.lines.at(0).adjustments.at(0).amount, M("-60"));
  EXPECT_EQ(again.claim_id, "C000000012");
  EXPECT_FALSE(again.IsReversal());
  EXPECT_EQ(again.paid, M("260"));
  EXPECT_EQ(again.payer_claim_number, "26020000003");
  EXPECT_EQ(again.remarks.at(0).code, "MA01");
  EXPECT_EQ(r->total, M("20"));
}

TEST(Remit835, PlbWoOffsetNamesTheEarlierClaim) {
  auto r = ReadFile("x12/ours-835-plb-wo.x12");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->total, M("191.25"));  // 250.00 − (60.00 − 1.25)
  EXPECT_EQ(r->claims.at(0).lines.at(0).procedure.modifiers, std::vector<std::string>{"GT"});
  ASSERT_EQ(r->provider_adjustments.size(), 2u);
  const ProviderAdjustment& wo = r->provider_adjustments[0];
  EXPECT_EQ(wo.provider_id, "1234567893");
  EXPECT_EQ(wo.fiscal_period, D("2026-12-31"));
  EXPECT_EQ(wo.reason, "WO");
  EXPECT_EQ(wo.reference, "C000000012");
  EXPECT_EQ(wo.amount, M("60"));
  EXPECT_EQ(r->provider_adjustments[1].reason, "L6");
  EXPECT_EQ(r->provider_adjustments[1].amount, M("-1.25"));
}

TEST(Remit835, Svc06KeepsTheProcedureBilledWhenThePayerPaidAnother) {
  auto r =
      Read(Body("250", {"CLP*C1*1*300*250**MB*P1", "SVC*HC:G2068*300*250**1*HC:G2067:25*1", "CAS*CO*45*50"}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const RemitServiceLine& l = r->claims.at(0).lines.at(0);
  EXPECT_EQ(l.procedure, (X12Procedure{"HC", "G2068", {}}));
  ASSERT_TRUE(l.submitted_procedure.has_value());
  EXPECT_EQ(*l.submitted_procedure, (X12Procedure{"HC", "G2067", {"25"}}));
  EXPECT_EQ(l.submitted_units, X12Quantity{1000});
  EXPECT_EQ(ErrorOf(Body("250", {"CLP*C1*1*300*250**MB*P1", "SVC*HC:G2068*300*250**1*HC", "CAS*CO*45*50"})),
            "segment 11 (SVC): SVC06-2 (the procedure code, 1 to 48 characters) is required");
}

TEST(Remit835, BprThatDoesNotBalanceIsRefused) {
  EXPECT_EQ(ReadFile("x12/ours-835-unbalanced.x12").status().message(),
            "segment 4 (BPR): BPR02 160.00 is not the claims' CLP04 150.00 less the PLB adjustments 0.00 = "
            "150.00 (835 transaction balancing)");
  // The PLB sign: a positive PLB takes money, so paying 250 with PLB +60 must total 190, not 310.
  EXPECT_TRUE(Read(Body("190", {"CLP*C1*1*250*250**MB*P1", "PLB*1234567893*20261231*WO:C0*60"})).ok());
  EXPECT_EQ(ErrorOf(Body("310", {"CLP*C1*1*250*250**MB*P1", "PLB*1234567893*20261231*WO:C0*60"})),
            "segment 4 (BPR): BPR02 310.00 is not the claims' CLP04 250.00 less the PLB adjustments 60.00 = "
            "190.00 (835 transaction balancing)");
}

TEST(Remit835, DebitBprBalancesANegativeNet) {
  // A reversal not yet offset by new payments: the payer takes 20.00 (BPR03 D).
  auto body = Body("20", {"CLP*C1*22*-300*-20**MB*P1", "CAS*CO*45*-280"}, "D");
  EXPECT_TRUE(Read(body).ok());
  body[0] = "BPR*I*20*C*CHK************20260120";
  EXPECT_FALSE(Read(body).ok());
}

TEST(Remit835, ServiceLineThatDoesNotBalanceIsRefused) {
  EXPECT_EQ(ErrorOf(Body("150", Claim("150", "CAS*CO*45*140"))),
            "segment 11 (SVC): claim C000000021: SVC02 300.00 - SVC03 150.00 is not the 140.00 of the line's "
            "CAS adjustments (835 service line balancing)");
}

TEST(Remit835, ClaimThatDoesNotBalanceIsRefused) {
  auto detail = Claim("150", "CAS*CO*45*150");
  detail.insert(detail.begin() + 1, "CAS*OA*23*10");  // a claim-level adjustment too many
  EXPECT_EQ(ErrorOf(Body("150", detail)),
            "segment 10 (CLP): claim C000000021: CLP03 300.00 - CLP04 150.00 is not the 160.00 of its CAS "
            "adjustments, claim and lines (835 claim balancing)");
  // A claim without lines balances on its own adjustments.
  EXPECT_TRUE(Read(Body("150", {"CLP*C1*1*300*150**MB*P1", "CAS*CO*45*150"})).ok());
}

TEST(Remit835, SegmentsOutOfPlaceAreRefused) {
  EXPECT_EQ(ErrorOf({"TRN*1*T*1999999999"}), "segment 4 (TRN): the 835 must begin with BPR");
  EXPECT_EQ(ErrorOf({"BPR*I*0*C*NON************20260120", "N1*PR*P"}), "segment 5 (N1): TRN must follow BPR");
  auto body = Body("150", Claim("150", "CAS*CO*45*150"));
  body.erase(body.begin() + 4);  // N1*PE
  EXPECT_EQ(ErrorOf(body),
            "segment 8 (LX): not a segment of the payer loop (N1*PR), or the payee loop (N1*PE) is missing");
  EXPECT_EQ(ErrorOf(Body("0", {"SVC*HC:G2067*300*0"})),
            "segment 10 (SVC): not a segment of the 835 outside a claim (CLP)");
  EXPECT_EQ(ErrorOf(Body("0", {"PLB*1*20261231*WO:C1*0", "CLP*C1*1*0*0**MB*P1"})),
            "segment 11 (CLP): only PLB may follow PLB");
  EXPECT_EQ(ErrorOf(Body("0", {"CLP*C1*1*0*0**MB*P1", "HL*1**20*1"})),
            "segment 11 (HL): not a segment of an 835 claim (2100)");
  EXPECT_EQ(ErrorOf(Body("0", {"CLP*C1*1*0*0**MB*P1", "SVC*HC:G2067*0*0", "STC*A1:19"})),
            "segment 12 (STC): not a segment of an 835 service line (2110)");
  EXPECT_EQ(ErrorOf({"BPR*I*0*C*NON************20260120", "TRN*1*T*1999999999"}),
            "segment 3 (ST): the 835 lacks BPR, TRN, the payer (N1*PR) or the payee (N1*PE)");
}

TEST(Remit835, CodesAndRequiredElementsAreChecked) {
  EXPECT_EQ(ErrorOf(Body("0", {"CLP*C1*5*0*0**MB*P1"})),
            "segment 10 (CLP): CLP02 is not one of 1, 2, 3, 4, 19, 20, 21, 22, 23, 25");
  EXPECT_EQ(ErrorOf(Body("0", {"CLP*C1*1*0*0**MB"})), "segment 10 (CLP): CLP07 is required");
  EXPECT_EQ(ErrorOf(Body("0", {"CLP*C1*1*0*0**MB*P1", "CAS*XX*45*0"})),
            "segment 11 (CAS): CAS01 is not one of CO, PR, OA, PI, CR");
  EXPECT_EQ(ErrorOf(Body("0", {"CLP*C1*1*0*0**MB*P1", "CAS*CO*45"})),
            "segment 11 (CAS): CAS03 (an amount) is required");
  EXPECT_EQ(ErrorOf(Body("0", {"CLP*C1*1*0*0**MB*P1", "CAS*CO**5"})), "segment 11 (CAS): CAS02 is required");
  EXPECT_EQ(ErrorOf(Body("0", {"CLP*C1*1*0*0**MB*P1", "CAS*CO"})),
            "segment 11 (CAS): CAS02 and CAS03 (a reason and its amount) are required");
  EXPECT_EQ(ErrorOf(Body("0", {"CLP*C1*1*0*0**MB*P1", "SVC*XX:G2067*0*0"})),
            "segment 11 (SVC): SVC01-1 is not a product or service id qualifier (HC, AD, ER, …)");
  EXPECT_EQ(ErrorOf(Body("0", {"CLP*C1*1*0*0**MB*P1", "SVC*HC:G2067:G*0*0"})),
            "segment 11 (SVC): SVC01-3 (a modifier) is not two characters");
  EXPECT_EQ(ErrorOf(Body("0", {"PLB*1*20261231*W:C1*0"})),
            "segment 10 (PLB): PLB03-1 is not a two-character adjustment reason code");
  EXPECT_EQ(ErrorOf(Body("0", {"PLB*1*2026*WO:C1*0"})),
            "segment 10 (PLB): PLB02 is not a real date CCYYMMDD in 1900-9999");
  EXPECT_EQ(ErrorOf(Body("0", {"CLP*C1*1*0*0**MB*P1", "SVC*HC:G2067*0*0", "DTM*472"})),
            "segment 12 (DTM): DTM02 (a date) is required");
  EXPECT_EQ(ErrorOf(Body("0", {"CLP*C1*1*0*0**MB*P1", "DTM*232*20260230"})),
            "segment 11 (DTM): DTM02 is not a real date CCYYMMDD in 1900-9999");
  EXPECT_EQ(ErrorOf(Body("-5", {})),
            "segment 4 (BPR): BPR02 is negative (a negative balance is carried by PLB FB)");
  auto body = Body("0", {});
  body[0] = "BPR*I*0*C*EFT************20260120";
  EXPECT_EQ(ErrorOf(body), "segment 4 (BPR): BPR04 is not one of ACH, BOP, CHK, FWT, NON");
}

TEST(Remit835, AmountsAreReadExactlyInCents) {
  using x12::ParseAmount;
  EXPECT_EQ(ParseAmount("125.000"), M("125"));  // zeros past the cent change nothing
  EXPECT_EQ(ParseAmount("0.1"), M("0.10"));
  EXPECT_EQ(ParseAmount(".5"), M("0.50"));
  EXPECT_EQ(ParseAmount("-1.27"), Money::Cents(-127));
  EXPECT_EQ(ParseAmount("211366.97"), Money::Cents(21136697));
  for (const char* bad : {"0.001", "1.005", "+1", "1e2", "1,00", "", "-", "12.3.4", " 1"})
    EXPECT_FALSE(ParseAmount(bad).has_value()) << bad;
  EXPECT_EQ(ErrorOf(Body("0.005", {})), "segment 4 (BPR): BPR02 is not an amount in dollars and cents");
}

TEST(Remit835, ManyLargeAmountsAreRefusedRatherThanOverflowing) {
  // Each amount is just under 10^13 dollars (10^15 cents); the 9224th takes the sum of the PLB
  // amounts past 2^63 cents. Six to a PLB, that one is in the 1538th PLB: segment 10 + 1537.
  const std::string big = "*WO:C1*9999999999999";
  std::string plb = "PLB*1*20261231";
  for (int i = 0; i < 6; ++i) plb += big;
  EXPECT_EQ(ErrorOf(Body("0", std::vector<std::string>(1540, plb))),
            "segment 1547 (PLB): amounts too large to add up");
}

TEST(Remit835, ErrorsDoNotQuoteThePatient) {
  // An element lost before CLP02 puts the patient's member id where the status code belongs.
  std::string err = ErrorOf(Body("0", {"CLP*C1*1EG4TE5MK73*0*0**MB*P1"}));
  EXPECT_NE(err.find("CLP02"), std::string::npos) << err;
  EXPECT_EQ(err.find("1EG4TE5MK73"), std::string::npos) << err;
}

}  // namespace
}  // namespace otp
