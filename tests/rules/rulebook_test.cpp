// RuleBook tests: the real codes/ folder (effective dates, CL-5 prices hand-computed, limits)
// and Load() refusing small broken copies of it written to a temporary folder.
#include "rules/rulebook.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "model/types.h"

namespace otp {
namespace {

namespace fs = std::filesystem;

const std::string kCodes = OTP_SOURCE_DIR "/codes";

Date D(const char* iso) { return *Date::Parse(iso); }

const RuleBook& Book() {
  static const RuleBook* book = [] {
    auto r = RuleBook::Load(kCodes);
    if (!r.ok()) {
      ADD_FAILURE() << r.status().message();
      std::abort();
    }
    return new RuleBook(std::move(r).value());
  }();
  return *book;
}

Facility NoCharges() { return Facility{}; }

// ---- code table ---------------------------------------------------------------------------------

TEST(RuleBookCodes, AllTwentyThreeCodesLoaded) {
  EXPECT_EQ(Book().codes().size(), 23u);
  for (const char* c : {"G2067", "G2068", "G2069", "G0533", "G2070", "G2071", "G2072", "G2073",
                        "G2075", "G2074", "G2076", "G2077", "G2078", "G2079", "G2080", "G2215",
                        "G1028", "G2216", "G0532", "G0137", "G0534", "G0535", "G0536"}) {
    EXPECT_NE(Book().Code(c), nullptr) << c;
  }
  EXPECT_EQ(Book().Code("G9999"), nullptr);
}

TEST(RuleBookCodes, KindsAndContractorPricing) {
  EXPECT_EQ(Book().Code("G2067")->kind, CodeKind::kDrugBundle);
  EXPECT_EQ(Book().Code("G0533")->kind, CodeKind::kDrugBundle);
  EXPECT_EQ(Book().Code("G2074")->kind, CodeKind::kNonDrugBundle);
  EXPECT_EQ(Book().Code("G2080")->kind, CodeKind::kAddOn);
  EXPECT_EQ(Book().Code("G0137")->kind, CodeKind::kAddOn);
  EXPECT_TRUE(Book().Code("G2075")->contractor_priced);
  EXPECT_TRUE(Book().Code("G2216")->contractor_priced);
  EXPECT_FALSE(Book().Code("G2067")->contractor_priced);
  EXPECT_FALSE(Book().Code("G2215")->contractor_priced);
}

TEST(RuleBookCodes, EffectiveDates) {
  EXPECT_FALSE(Book().InForce("G0533", D("2024-06-01")));
  EXPECT_TRUE(Book().InForce("G0533", D("2025-01-06")));
  EXPECT_FALSE(Book().InForce("G0534", D("2023-11-01")));  // "a 2023 service never maps to G0534"
  EXPECT_TRUE(Book().InForce("G0536", D("2025-01-01")));
  EXPECT_FALSE(Book().InForce("G0137", D("2023-12-31")));
  EXPECT_TRUE(Book().InForce("G0137", D("2024-01-01")));
  EXPECT_FALSE(Book().InForce("G1028", D("2021-12-31")));
  EXPECT_TRUE(Book().InForce("G1028", D("2022-01-01")));
  EXPECT_FALSE(Book().InForce("G2215", D("2020-12-31")));
  EXPECT_TRUE(Book().InForce("G2216", D("2021-01-01")));
  EXPECT_FALSE(Book().InForce("G2067", D("2019-12-31")));
  EXPECT_TRUE(Book().InForce("G2067", D("2020-01-01")));
  EXPECT_FALSE(Book().InForce("G9999", D("2025-01-01")));
}

// ---- CL-5 prices --------------------------------------------------------------------------------

TEST(RuleBookPrice, CL5_NationalIsTheSumOfComponents) {
  auto p = Book().PriceOf("G2067", D("2026-03-02"), "national", NoCharges());
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->unit, Money::Cents(27729));  // 44.41 + 232.88 × 1.000
  EXPECT_EQ(p->rate_ref,
            "CY2026 G2067: drug 44.41 + non-drug 232.88 x GAF 1.000 (national) = 277.29 [rate unverified]");
}

TEST(RuleBookPrice, CL5_LosAngelesAdjustsOnlyTheNonDrugComponent) {
  // 232.88 × 1.095 = 255.0036 → 255.00; + 44.41 = 299.41
  auto p = Book().PriceOf("G2067", D("2026-03-02"), "CA-18", NoCharges());
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->unit, Money::Cents(29941));
  EXPECT_EQ(p->rate_ref,
            "CY2026 G2067: drug 44.41 + non-drug 232.88 x GAF 1.095 (CA-18) = 299.41 "
            "[rate unverified; GAF unverified]");
}

TEST(RuleBookPrice, CL5_MoreLosAngelesPrices) {
  struct Case { const char* code; int64_t cents; } cases[] = {
      {"G2069", 208664},  // 1823.20 + 240.58 × 1.095 = 1823.20 + 263.4351→263.44
      {"G2074", 24127},   // 220.34 × 1.095 = 241.2723 → 241.27
      {"G2078", 4441},    // drug only: 44.41
      {"G2080", 4048},    // 36.97 × 1.095 = 40.48215 → 40.48
      {"G0137", 90482},   // 826.32 × 1.095 = 904.8204 → 904.82
  };
  for (const auto& c : cases) {
    auto p = Book().PriceOf(c.code, D("2026-06-15"), "CA-18", NoCharges());
    ASSERT_TRUE(p.ok()) << c.code << ": " << p.status().message();
    EXPECT_EQ(p->unit, Money::Cents(c.cents)) << c.code << " " << p->rate_ref;
  }
}

TEST(RuleBookPrice, CL5_RestOfFloridaBelowNational) {
  // G2076 at FL-99 (GAF 0.993): 234.59 × 0.993 = 232.94787 → 232.95
  auto p = Book().PriceOf("G2076", D("2025-02-03"), "FL-99", NoCharges());
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->unit, Money::Cents(23295));
}

TEST(RuleBookPrice, CL5_NaloxoneAndNalmefeneAddOnsAdjustTheirNonDrugPart) {
  // Non-drug 2.72 derived from First Coast's CY2022 allowances (codes/README.md CL-5); the drug
  // part is the national total less it, so the national amount is the source's.
  struct Case { const char* code; const char* dos; const char* loc; int64_t cents; } cases[] = {
      {"G2215", "2026-03-02", "national", 3374},  // 31.02 + 2.72
      {"G2215", "2026-03-02", "CA-18", 3400},     // 31.02 + 2.72 × 1.095 (2.9784 → 2.98)
      {"G2215", "2026-03-02", "FL-99", 3372},     // 31.02 + 2.72 × 0.993 (2.70096 → 2.70)
      {"G1028", "2026-03-02", "national", 12798},
      {"G1028", "2026-03-02", "FL-04", 12819},    // 125.26 + 2.72 × 1.077 (2.92944 → 2.93)
      {"G0532", "2025-06-02", "national", 9120},
      {"G0532", "2025-06-02", "CA-18", 9146},     // 88.48 + 2.98
      {"G2215", "2024-06-03", "CA-18", 3400},     // carried years price alike
  };
  for (const auto& c : cases) {
    auto p = Book().PriceOf(c.code, D(c.dos), c.loc, NoCharges());
    ASSERT_TRUE(p.ok()) << c.code << ": " << p.status().message();
    EXPECT_EQ(p->unit, Money::Cents(c.cents)) << c.code << " " << c.loc << " " << p->rate_ref;
  }
  auto p = Book().PriceOf("G2215", D("2026-03-02"), "CA-18", NoCharges());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rate_ref,
            "CY2026 G2215: drug 31.02 + non-drug 2.72 x GAF 1.095 (CA-18) = 34.00 [rate unverified; GAF unverified]");
}

TEST(RuleBookPrice, CL5_ContractorPricedTakesTheFacilityCharge) {
  Facility f;
  f.charges["G2075"] = Money::Cents(15000);
  auto p = Book().PriceOf("G2075", D("2026-01-05"), "CA-18", f);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->unit, Money::Cents(15000));
  EXPECT_EQ(p->rate_ref, "G2075: facility charge 150.00 (contractor-priced)");
}

TEST(RuleBookPrice, CL5_ContractorPricedWithoutChargeIsNotFound) {
  Facility f;
  f.charges["G2075"] = Money::Cents(15000);
  auto p = Book().PriceOf("G2216", D("2026-01-05"), "CA-18", f);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(p.status().message(), "no facility <charge> for G2216");
  auto q = Book().PriceOf("G2075", D("2026-01-05"), "CA-18", NoCharges());
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().message(), "no facility <charge> for G2075");
}

TEST(RuleBookPrice, CL5_YearWithoutRateTableIsNotFound) {
  auto p = Book().PriceOf("G2067", D("2023-05-01"), "CA-18", NoCharges());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(p.status().message(), "no CY2023 rate for G2067");
}

TEST(RuleBookPrice, CL5_ImplantCodesHaveNoRateInAnyYear) {
  for (const char* d : {"2024-03-01", "2025-03-01", "2026-03-01"}) {
    auto p = Book().PriceOf("G2070", D(d), "national", NoCharges());
    ASSERT_FALSE(p.ok()) << d;
    EXPECT_EQ(p.status().message(), std::string("no CY") + std::string(d).substr(0, 4) + " rate for G2070");
  }
}

TEST(RuleBookPrice, CL5_CodeNotInForceIsNotFound) {
  auto p = Book().PriceOf("G0533", D("2024-06-01"), "national", NoCharges());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
  auto q = Book().PriceOf("G0533", D("2025-01-06"), "national", NoCharges());
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->unit, Money::Cents(63741));  // 396.83 + 240.58 (components as given; see README)
}

TEST(RuleBookPrice, CL5_UnknownLocalityIsNotFound) {
  auto p = Book().PriceOf("G2067", D("2026-03-02"), "CA-99", NoCharges());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "no CY2026 GAF for locality CA-99");
}

TEST(RuleBookPrice, CL5_CarriedYearsPriceLikeTheirSource) {
  // CY2024 and CY2025 carry the CY2026 components and the CY2025 GAFs (README): same numbers.
  for (const char* d : {"2024-07-01", "2025-07-01"}) {
    auto p = Book().PriceOf("G2067", D(d), "CA-18", NoCharges());
    ASSERT_TRUE(p.ok()) << d << ": " << p.status().message();
    EXPECT_EQ(p->unit, Money::Cents(29941)) << d;
  }
}

TEST(RuleBookLocalities, KnowsLocality) {
  EXPECT_TRUE(Book().KnowsLocality("national"));
  EXPECT_TRUE(Book().KnowsLocality("CA-18"));
  EXPECT_TRUE(Book().KnowsLocality("FL-99"));
  EXPECT_TRUE(Book().KnowsLocality("AL-00"));
  EXPECT_FALSE(Book().KnowsLocality("CA-99"));
  EXPECT_FALSE(Book().KnowsLocality("ca-18"));
}

TEST(RuleBookRates, YearsLoaded) {
  EXPECT_EQ(Book().RateYears(), (std::vector<int>{2024, 2025, 2026}));
}

// ---- services.xml -------------------------------------------------------------------------------

TEST(RuleBookServices, EveryWordLoadedWithItsRole) {
  for (int i = 0; i < kServiceCount; ++i) {
    auto s = static_cast<Service>(i);
    EXPECT_FALSE(Book().BillingOf(s).source.empty()) << ServiceName(s);
  }
  const ServiceBilling& monthly = Book().BillingOf(Service::kBuprenorphineInjectionMonthly);
  EXPECT_EQ(monthly.role, ServiceRole::kDrug);
  EXPECT_EQ(monthly.code, "G2069");
  EXPECT_EQ(monthly.coverage_limit, "injection_monthly.coverage_days");
  const ServiceBilling& takehome = Book().BillingOf(Service::kMethadoneTakehome);
  EXPECT_EQ(takehome.role, ServiceRole::kTakeHome);
  EXPECT_EQ(takehome.code, "G2078");
  EXPECT_EQ(takehome.takehome_bundle, "G2067");
  EXPECT_TRUE(takehome.methadone);
  EXPECT_TRUE(Book().BillingOf(Service::kNaloxoneInjection).units_from_quantity);
  EXPECT_TRUE(Book().BillingOf(Service::kCounselingGroup).counseling);
  EXPECT_EQ(Book().BillingOf(Service::kToxicologyTest).role, ServiceRole::kBundleService);
  EXPECT_FALSE(Book().BillingOf(Service::kToxicologyTest).counseling);
  EXPECT_EQ(Book().BillingOf(Service::kCarePlan).role, ServiceRole::kComplianceOnly);
  EXPECT_EQ(Book().BillingOf(Service::kCarePlan).code, "");
  EXPECT_EQ(Book().NonDrugBundleCode(), "G2074");
  EXPECT_EQ(Book().CounselingBeyondPlanCode(), "G2080");
}

// ---- rules.xml ----------------------------------------------------------------------------------

TEST(RuleBookRules, EveryRuleIdOfTheRuleDocumentsHasCitationAndWords) {
  const char* ids[] = {"EP-1", "EP-2", "EP-3", "BU-1", "BU-2", "BU-3", "BU-4", "BU-4-overlap", "BU-5",
                       "AD-1", "AD-2", "AD-3", "AD-4", "AD-5", "AD-6", "AD-7", "TH-1", "TH-1-cap",
                       "CL-1", "CL-2", "CL-3", "CL-4", "CL-5", "CL-6", "CL-7",
                       "SC-1", "SC-2", "SC-3", "SC-4", "SC-5", "SC-6", "PG-1", "PG-2",
                       "PA-1", "PA-2", "PA-3", "PA-4", "PA-5", "PA-6", "PA-7", "PA-8", "RT-1"};
  EXPECT_EQ(Book().rules().size(), std::size(ids));
  for (const char* id : ids) {
    const RuleText* r = Book().FindRule(id);
    ASSERT_NE(r, nullptr) << id;
    EXPECT_EQ(r->id, id);
    EXPECT_FALSE(Book().CitationOf(id).empty()) << id;
    EXPECT_FALSE(Book().RuleWords(id).empty()) << id;
  }
  EXPECT_EQ(Book().rules().front().id, "EP-1");  // file order
  EXPECT_EQ(Book().FindRule("BU-9"), nullptr);
  EXPECT_THROW(Book().CitationOf("BU-9"), std::out_of_range);
  EXPECT_THROW(Book().RuleWords("BU-9"), std::out_of_range);
}

// The citations billing findings carry (the ledger keeps them; a change shows in scripts/same-lines).
TEST(RuleBookRules, CitationsOfBillingFindings) {
  const std::pair<const char*, const char*> want[] = {
      {"EP-1", "42 CFR 410.67(b)"},
      {"BU-2", "42 CFR 410.67(d)(2)"},
      {"BU-3", "42 CFR 410.67(d)(2)"},
      {"BU-4-overlap", "42 CFR 410.67(d); OIG A-09-22-03005"},
      {"BU-5", "42 CFR 410.67(d)(4)"},
      {"AD-1", "42 CFR 410.67(d)(4)(i)(A); OIG A-09-22-03005"},
      {"AD-3", "42 CFR 410.67(d)(4)(i)(C)"},
      {"AD-4", "42 CFR 410.67(d)(4)(i)(E)"},
      {"AD-5", "42 CFR 410.67(d)(4)(i)(F)"},
      {"AD-6", "42 CFR 410.67(d)(4)(i)(G)"},
      {"AD-7", "42 CFR 410.67(b); CMS OTP Billing and Payment (telehealth)"},
      {"TH-1", "42 CFR 410.67(d)(4)(i)(D)"},
      {"CL-2", "42 U.S.C. 1395x(jjj)(2); 42 CFR 410.67(c); 42 CFR 8.11"},
      {"CL-3", "OIG A-09-22-03005"},
      {"CL-5", "42 CFR 410.67(d)(4)(ii)"},
      {"CL-7", "42 CFR 410.67(b)"},
  };
  for (const auto& [id, cite] : want) EXPECT_EQ(Book().CitationOf(id), cite) << id;
}

// ---- limits -------------------------------------------------------------------------------------

TEST(RuleBookLimits, EveryLimitPresentWithItsValue) {
  struct L { const char* id; double value; const char* basis; } want[] = {
      {"episode.days", 7, "federal"},
      {"takehome.max_units", 3, "federal"},
      {"takehome.max_days", 21, "federal"},
      {"takehome.days_per_unit", 7, "federal"},
      {"injection_monthly.coverage_days", 28, "federal"},
      {"naltrexone.coverage_days", 28, "federal"},
      {"injection_weekly.coverage_days", 7, "federal"},
      {"implant.coverage_days", 182, "program-policy"},
      {"counseling.unit_minutes", 30, "federal"},
      {"timed_support.unit_minutes", 30, "federal"},
      {"iop.min_services", 9, "program-policy"},
      {"overdose_med.repeat_days", 30, "federal"},
      {"claim.max_lines", 50, "federal"},
      {"provisional.max_days", 365, "federal"},
      {"pg1.warning_days", 90, "program-policy"},
      {"pa1.days", 14, "federal"},
      {"pa2.days", 14, "federal"},
      {"pa3.review_days", 90, "program-policy"},
      {"pa4.tests_per_year", 8, "federal"},
      {"pa4.year_days", 365, "federal"},
      {"pa5.tier1.max_days", 7, "federal"},
      {"pa5.tier2.from_day", 15, "federal"},
      {"pa5.tier2.max_days", 14, "federal"},
      {"pa5.tier3.from_day", 31, "federal"},
      {"pa5.tier3.max_days", 28, "federal"},
      {"pa6.first_day_max_mg", 50, "federal"},
      {"pa7.interim_max_days", 180, "federal"},
      {"pa7.window_days", 365, "federal"},
      {"pa8.counseling_lookback_days", 30, "program-policy"},
      {"rt1.retention_days", 90, "program-policy"},
      {"payments.written_days", 365, "federal"},
      {"payments.recent_days", 30, "program-policy"},
  };
  for (const auto& w : want) {
    const Limit* l = Book().FindLimit(w.id);
    ASSERT_NE(l, nullptr) << w.id;
    EXPECT_EQ(l->value, w.value) << w.id;
    EXPECT_EQ(Book().LimitValue(w.id), w.value) << w.id;
    EXPECT_EQ(l->basis, w.basis) << w.id;
    EXPECT_FALSE(l->citation.empty()) << w.id;
    EXPECT_FALSE(l->description.empty()) << w.id;
  }
  EXPECT_EQ(Book().FindLimit("takehome.max_units")->citation, "42 CFR 410.67(d)(4)(i)(D)");
  EXPECT_EQ(Book().FindLimit("nope"), nullptr);
  EXPECT_THROW(Book().LimitValue("nope"), std::out_of_range);
}

// ---- AD-7 telehealth modifiers -------------------------------------------------------------------

TEST(RuleBookTelehealth, AD7_VideoCarries95AudioCarries93InPersonNone) {
  const std::string* video = Book().TelehealthModifier(Modality::kVideo);
  const std::string* audio = Book().TelehealthModifier(Modality::kAudio);
  ASSERT_NE(video, nullptr);
  ASSERT_NE(audio, nullptr);
  EXPECT_EQ(*video, "95");
  EXPECT_EQ(*audio, "93");
  EXPECT_EQ(Book().TelehealthModifier(Modality::kInPerson), nullptr);
}

// ---- SC-6 quantity bounds -----------------------------------------------------------------------

TEST(RuleBookQuantities, SC6_EveryServiceHasItsBound) {
  struct W { Service s; const char* id; const char* unit; int64_t min, max; } want[] = {
      {Service::kCounselingIndividual, "quantity.minutes", "minutes", 1'000'000, 1440'000'000},
      {Service::kPeerSupport, "quantity.minutes", "minutes", 1'000'000, 1440'000'000},
      {Service::kMethadoneTakehome, "quantity.methadone_takehome_days", "days", 1'000'000, 28'000'000},
      {Service::kBuprenorphineTakehome, "quantity.buprenorphine_takehome_days", "days", 1'000'000, 28'000'000},
      {Service::kMethadoneDose, "quantity.methadone_dose_mg", "mg", 500'000, 1000'000'000},
      {Service::kBuprenorphineOralDose, "quantity.buprenorphine_oral_dose_mg", "mg", 100'000, 100'000'000},
      {Service::kNaloxoneInjection, "quantity.naloxone_injection_mg", "mg", 400'000, 10'000'000},
      {Service::kToxicologyTest, "quantity.count", "count", 1'000'000, 10'000'000},
  };
  for (const auto& w : want) {
    const QuantityBound& b = Book().Quantities().Of(w.s);
    EXPECT_EQ(b.limit_id, w.id) << ServiceName(w.s);
    EXPECT_EQ(b.unit, w.unit) << ServiceName(w.s);
    EXPECT_EQ(b.min_micros, w.min) << ServiceName(w.s);
    EXPECT_EQ(b.max_micros, w.max) << ServiceName(w.s);
    EXPECT_EQ(Book().BillingOf(w.s).quantity_limit, w.id);
  }
  for (int i = 0; i < kServiceCount; ++i) {
    const QuantityLimit* q = Book().FindQuantityLimit(Book().Quantities().Of(static_cast<Service>(i)).limit_id);
    ASSERT_NE(q, nullptr) << ServiceName(static_cast<Service>(i));
    EXPECT_FALSE(q->citation.empty());
    EXPECT_FALSE(q->description.empty());
  }
  const QuantityLimit* th = Book().FindQuantityLimit("quantity.methadone_takehome_days");
  ASSERT_NE(th, nullptr);
  EXPECT_EQ(th->basis, "federal");
  EXPECT_NE(th->citation.find("42 CFR 8.12(i)"), std::string::npos);
  EXPECT_EQ(Book().FindQuantityLimit("quantity.minutes")->basis, "program-policy");
  EXPECT_EQ(Book().Quantities().max_integer_digits, 6u);
  EXPECT_EQ(Book().Quantities().max_decimals, 3u);
  EXPECT_EQ(Book().FindQuantityLimit("nope"), nullptr);
}

// ---- Load errors on broken copies ---------------------------------------------------------------

class BrokenCodes : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("otp_rules_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::copy(kCodes, dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Read(const std::string& rel) {
    std::ifstream in(dir_ / rel);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  void Write(const std::string& rel, const std::string& text) { std::ofstream(dir_ / rel) << text; }
  // Replaces the first `from` in file `rel` with `to` (the test fails if `from` is absent).
  void Replace(const std::string& rel, const std::string& from, const std::string& to) {
    std::string s = Read(rel);
    size_t at = s.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    s.replace(at, from.size(), to);
    Write(rel, s);
  }
  // Removes the element of file `rel` that starts with `start` (through its "/>").
  void EraseElement(const std::string& rel, const std::string& start) {
    std::string s = Read(rel);
    size_t a = s.find(start);
    ASSERT_NE(a, std::string::npos) << start;
    s.erase(a, s.find("/>", a) + 2 - a);
    Write(rel, s);
  }
  // "<rel> line <n>: ", n the line of file `rel` where `needle` first occurs: what an error
  // about that element starts with.
  // `skip` earlier occurrences are passed over.
  std::string At(const std::string& rel, const std::string& needle, int skip = 0) {
    std::string s = Read(rel);
    size_t at = s.find(needle);
    for (; skip > 0 && at != std::string::npos; --skip) at = s.find(needle, at + 1);
    EXPECT_NE(at, std::string::npos) << needle;
    if (at == std::string::npos) return "?";
    return rel + " line " + std::to_string(1 + std::count(s.begin(), s.begin() + static_cast<long>(at), '\n')) + ": ";
  }
  // Load() fails with a configuration error whose message holds `where` and `what`.
  void ExpectRefused(const std::string& where, const std::string& what) {
    Status st = LoadStatus();
    EXPECT_EQ(st.code(), StatusCode::kConfig) << st.message();
    EXPECT_NE(st.message().find(where), std::string::npos) << "want \"" << where << "\" in: " << st.message();
    EXPECT_NE(st.message().find(what), std::string::npos) << "want \"" << what << "\" in: " << st.message();
  }
  Status LoadStatus() { return RuleBook::Load(dir_.string()).status(); }

  fs::path dir_;
};

TEST_F(BrokenCodes, CopyLoadsUnchanged) { EXPECT_TRUE(LoadStatus().ok()) << LoadStatus().message(); }

TEST_F(BrokenCodes, MalformedMoney) {
  Replace("rates/CY2026.csv", "G2067,44.41,", "G2067,44.4x,");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("CY2026.csv line 2"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("drug_component"), std::string::npos) << st.message();
}

TEST_F(BrokenCodes, MoneyWithOneDecimalIsRefused) {
  Replace("rates/CY2025.csv", "G2074,0.00,220.34", "G2074,0.00,220.3");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("non_drug_component"), std::string::npos) << st.message();
}

TEST_F(BrokenCodes, UnknownKind) {
  Replace("codes.xml", "kind=\"non-drug-bundle\"", "kind=\"nondrug\"");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("codes.xml line "), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("unknown kind \"nondrug\""), std::string::npos) << st.message();
}

TEST_F(BrokenCodes, BadEffectiveDate) {
  Replace("codes.xml", "effective-from=\"2024-01-01\"", "effective-from=\"2024-02-30\"");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("G0137: bad effective-from"), std::string::npos) << st.message();
}

TEST_F(BrokenCodes, DuplicateCode) {
  Replace("codes.xml", "</codes>",
          "<code id=\"G2067\" kind=\"drug-bundle\" effective-from=\"2020-01-01\" max-units=\"1\" "
          "contractor-priced=\"false\" descriptor=\"x\" source=\"x\"/></codes>");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("duplicate code G2067"), std::string::npos) << st.message();
}

// SC-5 reads each code's most units per line: a code without a whole number from 1 to 999 is refused.
TEST_F(BrokenCodes, SC5_MaxUnitsMustBeAWholeNumberFromOne) {
  for (const char* bad : {"0", "-1", "3.5", "x", "1000", ""}) {
    Replace("codes.xml", "id=\"G2067\" kind=\"drug-bundle\" effective-from=\"2020-01-01\" max-units=\"1\"",
            std::string("id=\"G2067\" kind=\"drug-bundle\" effective-from=\"2020-01-01\" max-units=\"") + bad + "\"");
    Status st = LoadStatus();
    EXPECT_EQ(st.code(), StatusCode::kConfig) << bad;
    EXPECT_NE(st.message().find("max-units"), std::string::npos) << bad << ": " << st.message();
    Replace("codes.xml", std::string("max-units=\"") + bad + "\"", "max-units=\"1\"");
  }
}

TEST_F(BrokenCodes, DuplicateRateRow) {
  std::string s = Read("rates/CY2026.csv");
  Write("rates/CY2026.csv", s + "G2067,1.00,2.00,dup,no\n");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("duplicate code G2067"), std::string::npos) << st.message();
}

TEST_F(BrokenCodes, RateForUnknownCode) {
  std::string s = Read("rates/CY2026.csv");
  Write("rates/CY2026.csv", s + "G9999,1.00,2.00,x,no\n");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("G9999 is not in codes.xml"), std::string::npos) << st.message();
}

TEST_F(BrokenCodes, GafNotThreeDecimals) {
  Replace("localities/CY2026.csv", ",1.095,", ",1.10,");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("CY2026.csv line "), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("bad gaf \"1.10\""), std::string::npos) << st.message();
}

TEST_F(BrokenCodes, MissingLimit) {
  std::string s = Read("limits.xml");
  size_t a = s.find("<limit id=\"pa6.first_day_max_mg\"");
  ASSERT_NE(a, std::string::npos);
  size_t b = s.find("/>", a);
  s.erase(a, b + 2 - a);
  Write("limits.xml", s);
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("required limit pa6.first_day_max_mg is missing"), std::string::npos)
      << st.message();
}

TEST_F(BrokenCodes, LimitWithBadBasis) {
  Replace("limits.xml", "value=\"182\" basis=\"program-policy\"", "value=\"182\" basis=\"custom\"");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("basis must be federal or program-policy"), std::string::npos)
      << st.message();
}

TEST_F(BrokenCodes, UnclosedQuote) {
  std::string s = Read("localities/CY2025.csv");
  Write("localities/CY2025.csv", s + "ZZ-01,\"UNCLOSED,1.000,x,no\n");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("unclosed quoted field"), std::string::npos) << st.message();
}

TEST_F(BrokenCodes, RateYearWithoutLocalities) {
  fs::remove(dir_ / "localities/CY2024.csv");
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("no localities/CY2024.csv"), std::string::npos) << st.message();
}

TEST_F(BrokenCodes, MissingCodesXml) {
  fs::remove(dir_ / "codes.xml");
  EXPECT_EQ(LoadStatus().code(), StatusCode::kConfig);
}

// ---- services.xml refused -----------------------------------------------------------------------

TEST_F(BrokenCodes, ServiceWordMissing) {
  EraseElement("services.xml", "<service word=\"toxicology_test\"");
  ExpectRefused(At("services.xml", "<services>"), "no <service word=\"toxicology_test\">");
}

TEST_F(BrokenCodes, ServiceWordTwice) {
  Replace("services.xml", "<service word=\"counseling_group\"", "<service word=\"counseling_individual\"");
  ExpectRefused(At("services.xml", "<service word=\"counseling_individual\"", 1),
                "duplicate service word counseling_individual");
}

TEST_F(BrokenCodes, ServiceWordNotInTheVocabulary) {
  Replace("services.xml", "word=\"peer_support\"", "word=\"peer_supports\"");
  ExpectRefused(At("services.xml", "word=\"peer_supports\""), "\"peer_supports\" is not a word of the services.csv vocabulary");
}

TEST_F(BrokenCodes, ServiceUnknownRole) {
  Replace("services.xml", "word=\"intake\" role=\"intake\"", "word=\"intake\" role=\"admission\"");
  ExpectRefused(At("services.xml", "word=\"intake\""), "intake: unknown role \"admission\" (drug, take-home, bundle-service");
}

TEST_F(BrokenCodes, ServiceRoleOutsideItsGroup) {
  // A drug test is a non-drug bundle service: it cannot make a drug bundle.
  Replace("services.xml", "word=\"toxicology_test\" role=\"bundle-service\"", "word=\"toxicology_test\" role=\"drug\"");
  ExpectRefused(At("services.xml", "word=\"toxicology_test\""),
                "toxicology_test: role drug does not fit a non-drug bundle service (want bundle-service)");
}

TEST_F(BrokenCodes, ServiceUnknownCode) {
  Replace("services.xml", "code=\"G0535\"", "code=\"G0599\"");
  ExpectRefused(At("services.xml", "code=\"G0599\""), "patient_navigation: code G0599 is not in codes.xml");
}

TEST_F(BrokenCodes, ServiceCodeOfTheWrongKind) {
  Replace("services.xml", "role=\"intake\" code=\"G2076\"", "role=\"intake\" code=\"G2067\"");
  ExpectRefused(At("services.xml", "word=\"intake\""), "intake: code G2067 is of kind drug-bundle, want add-on");
}

TEST_F(BrokenCodes, ServiceWithoutItsCode) {
  Replace("services.xml", " code=\"G2068\"", "");
  ExpectRefused(At("services.xml", "word=\"buprenorphine_oral_dose\""), "<service> needs attribute code");
}

TEST_F(BrokenCodes, BundleServiceBillsNoCodeOfItsOwn) {
  Replace("services.xml", "word=\"toxicology_test\" role=\"bundle-service\"",
          "word=\"toxicology_test\" role=\"bundle-service\" code=\"G2074\"");
  ExpectRefused(At("services.xml", "word=\"toxicology_test\""), "toxicology_test: role bundle-service bills no code of its own");
}

TEST_F(BrokenCodes, ServiceUnknownLimit) {
  Replace("services.xml", "coverage-limit=\"naltrexone.coverage_days\"", "coverage-limit=\"naltrexone.days\"");
  ExpectRefused(At("services.xml", "word=\"naltrexone_injection\""),
                "naltrexone_injection: coverage-limit naltrexone.days is not in limits.xml");
}

TEST_F(BrokenCodes, ServiceMisspeltAttribute) {
  Replace("services.xml", "coverage-limit=\"naltrexone.coverage_days\"", "coverage_limit=\"naltrexone.coverage_days\"");
  ExpectRefused(At("services.xml", "word=\"naltrexone_injection\""), "<service> has unknown attribute coverage_limit");
}

TEST_F(BrokenCodes, ServiceOptionOnAnotherRole) {
  Replace("services.xml", "word=\"intake\" role=\"intake\"", "word=\"intake\" role=\"intake\" counseling=\"true\"");
  ExpectRefused(At("services.xml", "word=\"intake\""), "intake: counseling does not apply to role intake");
}

TEST_F(BrokenCodes, ServiceFlagNotTrueOrFalse) {
  Replace("services.xml", "units-from-quantity=\"true\"", "units-from-quantity=\"yes\"");
  ExpectRefused(At("services.xml", "word=\"naloxone_injection\""), "units-from-quantity must be true or false");
}

TEST_F(BrokenCodes, TakeHomeWithoutTheBundleItSupplements) {
  Replace("services.xml", " supplements=\"G2068\"", "");
  ExpectRefused(At("services.xml", "word=\"buprenorphine_takehome\""), "<service> needs attribute supplements");
}

TEST_F(BrokenCodes, TakeHomeSupplementingAnAddOn) {
  Replace("services.xml", "supplements=\"G2068\"", "supplements=\"G2080\"");
  ExpectRefused(At("services.xml", "word=\"buprenorphine_takehome\""),
                "buprenorphine_takehome: supplements G2080 is of kind add-on, want drug-bundle");
}

TEST_F(BrokenCodes, BU3_NonDrugBundleCodeMissing) {
  EraseElement("services.xml", "<episode-code part=\"non-drug-bundle\"");
  ExpectRefused(At("services.xml", "<services>"), "no <episode-code part=\"non-drug-bundle\">");
}

TEST_F(BrokenCodes, AD3_CounselingCodeOfTheWrongKind) {
  Replace("services.xml", "part=\"counseling-beyond-plan\" code=\"G2080\"", "part=\"counseling-beyond-plan\" code=\"G2074\"");
  ExpectRefused(At("services.xml", "<episode-code part=\"counseling-beyond-plan\""),
                "part counseling-beyond-plan: code G2074 is of kind non-drug-bundle, want add-on");
}

TEST_F(BrokenCodes, EpisodeCodeUnknownPart) {
  Replace("services.xml", "<episode-code part=\"counseling-beyond-plan\"", "<episode-code part=\"counseling\"");
  ExpectRefused(At("services.xml", "<episode-code part=\"counseling\""),
                "unknown part \"counseling\" (non-drug-bundle or counseling-beyond-plan)");
}

TEST_F(BrokenCodes, EpisodeCodeTwice) {
  Replace("services.xml", "part=\"counseling-beyond-plan\" code=\"G2080\"", "part=\"non-drug-bundle\" code=\"G2074\"");
  ExpectRefused(At("services.xml", "<episode-code part=\"non-drug-bundle\"", 1), "duplicate part non-drug-bundle");
}

TEST_F(BrokenCodes, MissingServicesXml) {
  fs::remove(dir_ / "services.xml");
  ExpectRefused("services.xml", "cannot be read");
}

// ---- rules.xml refused --------------------------------------------------------------------------

TEST_F(BrokenCodes, RuleIdOfTheWrongFormat) {
  for (const char* bad : {"bu-2", "BU2", "BU-02", "BU-2-", "BU-4-Overlap", "BUX-2"}) {
    Replace("rules.xml", "<rule id=\"BU-2\"", std::string("<rule id=\"") + bad + "\"");
    ExpectRefused(At("rules.xml", std::string("<rule id=\"") + bad + "\""),
                  std::string("bad rule id \"") + bad + "\"");
    Replace("rules.xml", std::string("<rule id=\"") + bad + "\"", "<rule id=\"BU-2\"");
  }
  EXPECT_TRUE(LoadStatus().ok()) << LoadStatus().message();
}

TEST_F(BrokenCodes, RuleWithoutCitation) {
  Replace("rules.xml", "<rule id=\"PA-7\" citation=\"42 CFR 8.12(j)\"", "<rule id=\"PA-7\"");
  ExpectRefused(At("rules.xml", "<rule id=\"PA-7\""), "<rule> needs attribute citation");
}

TEST_F(BrokenCodes, RuleWithEmptyWords) {
  Replace("rules.xml", "words=\"The care plan is reviewed at least every 90 days.\"", "words=\"\"");
  ExpectRefused(At("rules.xml", "<rule id=\"PA-3\""), "<rule> needs attribute words");
}

TEST_F(BrokenCodes, RuleTwice) {
  Replace("rules.xml", "<rule id=\"EP-3\"", "<rule id=\"EP-2\"");
  ExpectRefused(At("rules.xml", "<rule id=\"EP-2\"", 1), "duplicate rule EP-2");
}

TEST_F(BrokenCodes, RequiredRuleMissing) {
  EraseElement("rules.xml", "<rule id=\"TH-1-cap\"");
  ExpectRefused(At("rules.xml", "<rules>"), "required rule TH-1-cap is missing");
}

TEST_F(BrokenCodes, RuleUnknownAttribute) {
  Replace("rules.xml", "<rule id=\"CL-6\"", "<rule id=\"CL-6\" severity=\"info\"");
  ExpectRefused(At("rules.xml", "<rule id=\"CL-6\""), "<rule> has unknown attribute severity");
}

TEST_F(BrokenCodes, MissingRulesXml) {
  fs::remove(dir_ / "rules.xml");
  ExpectRefused("rules.xml", "cannot be read");
}

TEST_F(BrokenCodes, AddingAYearIsADataChange) {
  // CY2027 files dropped in: the new year prices with no code change.
  fs::copy_file(dir_ / "rates/CY2026.csv", dir_ / "rates/CY2027.csv");
  fs::copy_file(dir_ / "localities/CY2026.csv", dir_ / "localities/CY2027.csv");
  Replace("rates/CY2027.csv", "G2067,44.41,232.88", "G2067,45.00,240.00");
  auto rb = RuleBook::Load(dir_.string());
  ASSERT_TRUE(rb.ok()) << rb.status().message();
  auto p = rb->PriceOf("G2067", D("2027-01-04"), "CA-18", NoCharges());
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->unit, Money::Cents(30780));  // 45.00 + 240.00 × 1.095 = 45.00 + 262.80
}

TEST_F(BrokenCodes, CL5_HalfUpAndVerifiedMarks) {
  // A test-only locality with GAF 1.500: G2076 234.59 × 1.5 = 351.885 → 351.89 (half-up).
  std::string s = Read("localities/CY2026.csv");
  Write("localities/CY2026.csv", s + "ZZ-01,TEST,1.500,test,yes\n");
  // G2076's row replaced by one marked verified.
  std::string r = Read("rates/CY2026.csv");
  size_t at = r.find("\nG2076,");
  ASSERT_NE(at, std::string::npos);
  r.erase(at + 1, r.find('\n', at + 1) - at);
  Write("rates/CY2026.csv", r + "G2076,0.00,234.59,CMS PUF,yes\n");
  auto rb = RuleBook::Load(dir_.string());
  ASSERT_TRUE(rb.ok()) << rb.status().message();
  auto p = rb->PriceOf("G2076", D("2026-02-02"), "ZZ-01", NoCharges());
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->unit, Money::Cents(35189));
  EXPECT_EQ(p->rate_ref, "CY2026 G2076: drug 0.00 + non-drug 234.59 x GAF 1.500 (ZZ-01) = 351.89 [verified]");
}

// ---- SC-6 quantity bounds refused ---------------------------------------------------------------

TEST_F(BrokenCodes, SC6_ServiceWithoutQuantityLimit) {
  Replace("services.xml", " quantity-limit=\"quantity.count\" source=\"billing-rules.md AD-1", " source=\"billing-rules.md AD-1");
  ExpectRefused(At("services.xml", "<service word=\"intake\""), "<service> needs attribute quantity-limit");
}

TEST_F(BrokenCodes, SC6_UnknownQuantityLimitId) {
  Replace("services.xml", "quantity-limit=\"quantity.methadone_dose_mg\"", "quantity-limit=\"quantity.methadone_mg\"");
  ExpectRefused(At("services.xml", "<service word=\"methadone_dose\""),
                "methadone_dose: quantity-limit quantity.methadone_mg is not a <quantity-limit> in limits.xml");
}

TEST_F(BrokenCodes, SC6_QuantityLimitNamingAPlainLimit) {
  // A <limit> is a number the rules use, not a quantity bound.
  Replace("services.xml", "quantity-limit=\"quantity.methadone_dose_mg\"", "quantity-limit=\"pa6.first_day_max_mg\"");
  ExpectRefused(At("services.xml", "<service word=\"methadone_dose\""), "is not a <quantity-limit> in limits.xml");
}

TEST_F(BrokenCodes, SC6_UnitThatDoesNotFitTheRole) {
  Replace("services.xml", "quantity-limit=\"quantity.methadone_takehome_days\"", "quantity-limit=\"quantity.minutes\"");
  ExpectRefused(At("services.xml", "<service word=\"methadone_takehome\""),
                "quantity-limit quantity.minutes is in minutes; role take-home reads the quantity as days");
}

TEST_F(BrokenCodes, SC6_TimedSupportBoundedByACount) {
  Replace("services.xml", "word=\"peer_support\" role=\"timed-support\" code=\"G0536\" quantity-limit=\"quantity.minutes\"",
          "word=\"peer_support\" role=\"timed-support\" code=\"G0536\" quantity-limit=\"quantity.count\"");
  ExpectRefused(At("services.xml", "<service word=\"peer_support\""), "reads the quantity as minutes");
}

TEST_F(BrokenCodes, SC6_QuantityLimitBadUnit) {
  Replace("limits.xml", "id=\"quantity.count\" unit=\"count\"", "id=\"quantity.count\" unit=\"each\"");
  ExpectRefused(At("limits.xml", "<quantity-limit id=\"quantity.count\""), "quantity.count: unknown unit \"each\"");
}

TEST_F(BrokenCodes, SC6_QuantityLimitBoundsMustBePlainDecimals) {
  for (const char* bad : {"1e3", "-5", "+1440", "1440.0000001", "", "inf"}) {
    Replace("limits.xml", "max=\"1440\"", std::string("max=\"") + bad + "\"");
    ExpectRefused(At("limits.xml", "<quantity-limit id=\"quantity.minutes\""),
                  *bad ? std::string("quantity.minutes: bad max \"") + bad + "\"" : "needs attribute max");
    Replace("limits.xml", std::string("max=\"") + bad + "\"", "max=\"1440\"");
  }
  EXPECT_TRUE(LoadStatus().ok()) << LoadStatus().message();
}

TEST_F(BrokenCodes, SC6_QuantityLimitMinAboveMax) {
  Replace("limits.xml", "min=\"1\" max=\"28\" basis=\"federal\"", "min=\"29\" max=\"28\" basis=\"federal\"");
  ExpectRefused(At("limits.xml", "<quantity-limit id=\"quantity.methadone_takehome_days\""),
                "min 29 and max 28 leave no quantity");
}

TEST_F(BrokenCodes, SC6_QuantityLimitUnknownAttribute) {
  Replace("limits.xml", "<quantity-limit id=\"quantity.count\"", "<quantity-limit id=\"quantity.count\" value=\"10\"");
  ExpectRefused(At("limits.xml", "<quantity-limit id=\"quantity.count\""), "<quantity-limit> has unknown attribute value");
}

TEST_F(BrokenCodes, SC6_QuantityLimitIdTwice) {
  Replace("limits.xml", "<quantity-limit id=\"quantity.count\"", "<quantity-limit id=\"quantity.minutes\"");
  ExpectRefused(At("limits.xml", "<quantity-limit id=\"quantity.minutes\"", 1), "duplicate limit quantity.minutes");
}

TEST_F(BrokenCodes, SC6_DigitLimitsOutsideWhatTheMechanismHolds) {
  Replace("limits.xml", "<limit id=\"quantity.max_decimals\" value=\"3\"", "<limit id=\"quantity.max_decimals\" value=\"7\"");
  ExpectRefused(At("limits.xml", "<limit id=\"quantity.max_decimals\""), "quantity.max_decimals: value must be a whole number from 0 to 6");
  Replace("limits.xml", "<limit id=\"quantity.max_decimals\" value=\"7\"", "<limit id=\"quantity.max_decimals\" value=\"2.5\"");
  ExpectRefused(At("limits.xml", "<limit id=\"quantity.max_decimals\""), "whole number");
  Replace("limits.xml", "<limit id=\"quantity.max_decimals\" value=\"2.5\"", "<limit id=\"quantity.max_decimals\" value=\"3\"");
  Replace("limits.xml", "<limit id=\"quantity.max_integer_digits\" value=\"6\"", "<limit id=\"quantity.max_integer_digits\" value=\"10\"");
  ExpectRefused(At("limits.xml", "<limit id=\"quantity.max_integer_digits\""), "from 1 to 9");
}

TEST_F(BrokenCodes, SC6_ABoundNoQuantityCouldBeWrittenToReach) {
  // Three integer digits cannot write 1000 mg: the bound would silently be 999.
  Replace("limits.xml", "<limit id=\"quantity.max_integer_digits\" value=\"6\"", "<limit id=\"quantity.max_integer_digits\" value=\"3\"");
  ExpectRefused(At("limits.xml", "<quantity-limit id=\"quantity.methadone_dose_mg\""),
                "quantity.methadone_dose_mg: 1000 has more digits than quantity.max_integer_digits (3)");
}

TEST_F(BrokenCodes, SC6_DigitLimitMissing) {
  EraseElement("limits.xml", "<limit id=\"quantity.max_decimals\"");
  ExpectRefused("limits.xml", "required limit quantity.max_decimals is missing");
}

// ---- AD-7 telehealth modifiers refused -----------------------------------------------------------

TEST_F(BrokenCodes, AD7_TheModifierIsData) {
  // A MAC that asks for FQ again is a data change.
  Replace("services.xml", "modality=\"audio\" code=\"93\"", "modality=\"audio\" code=\"FQ\"");
  auto rb = RuleBook::Load(dir_.string());
  ASSERT_TRUE(rb.ok()) << rb.status().message();
  EXPECT_EQ(*rb->TelehealthModifier(Modality::kAudio), "FQ");
  EXPECT_EQ(*rb->TelehealthModifier(Modality::kVideo), "95");
}

TEST_F(BrokenCodes, AD7_ModalityWithoutModifier) {
  EraseElement("services.xml", "<telehealth-modifier modality=\"audio\"");
  ExpectRefused(At("services.xml", "<services>"), "no <telehealth-modifier modality=\"audio\"> (AD-7)");
}

TEST_F(BrokenCodes, AD7_ModifierTwice) {
  Replace("services.xml", "modality=\"audio\" code=\"93\"", "modality=\"video\" code=\"93\"");
  ExpectRefused(At("services.xml", "<telehealth-modifier modality=\"video\"", 1), "duplicate telehealth-modifier for video");
}

TEST_F(BrokenCodes, AD7_InPersonCarriesNoModifier) {
  Replace("services.xml", "modality=\"audio\" code=\"93\"", "modality=\"in_person\" code=\"93\"");
  ExpectRefused(At("services.xml", "<telehealth-modifier modality=\"in_person\""),
                "modality \"in_person\" is not video or audio (in_person carries no modifier)");
}

TEST_F(BrokenCodes, AD7_ModifierNotTwoLettersOrDigits) {
  for (const char* bad : {"9", "935", "fq", "9 ", "F-"}) {
    Replace("services.xml", "modality=\"audio\" code=\"93\"", std::string("modality=\"audio\" code=\"") + bad + "\"");
    ExpectRefused(At("services.xml", "<telehealth-modifier modality=\"audio\""),
                  std::string("audio: modifier \"") + bad + "\" is not two capital letters or digits");
    Replace("services.xml", std::string("modality=\"audio\" code=\"") + bad + "\"", "modality=\"audio\" code=\"93\"");
  }
  EXPECT_TRUE(LoadStatus().ok()) << LoadStatus().message();
}

TEST_F(BrokenCodes, AD7_ModifierWithoutSourceOrWithAnUnknownAttribute) {
  Replace("services.xml", "<telehealth-modifier modality=\"audio\" code=\"93\"\n      source=",
          "<telehealth-modifier modality=\"audio\" code=\"93\"\n      note=");
  ExpectRefused(At("services.xml", "<telehealth-modifier modality=\"audio\""), "<telehealth-modifier> needs attribute source");
  Replace("services.xml", "\n      note=", "\n      source=");
  Replace("services.xml", "<telehealth-modifier modality=\"video\" code=\"95\"",
          "<telehealth-modifier modality=\"video\" code=\"95\" codes=\"G2076\"");
  ExpectRefused(At("services.xml", "<telehealth-modifier modality=\"video\""), "<telehealth-modifier> has unknown attribute codes");
}

}  // namespace
}  // namespace otp

namespace otp {
namespace {

// codes/reasons.xml: the words and next step of every reason the code gives, every item kind
// and every finding rule; a file missing one, or naming a rule rules.xml does not have, is refused.
TEST(Reasons, EveryHoldReasonItemKindAndFindingRuleHasItsNextStep) {
  auto rb = RuleBook::Load(kCodes);
  ASSERT_TRUE(rb.ok()) << rb.status().message();
  const ReasonText* r = rb->FindReason("hold", "no-oud-diagnosis");
  ASSERT_NE(r, nullptr);
  EXPECT_NE(r->words.find("F11"), std::string::npos);
  EXPECT_FALSE(r->next_step.empty());
  ASSERT_NE(rb->FindReason("finding", "PA-1"), nullptr);
  EXPECT_EQ(rb->FindReason("finding", "PA-1")->words, "");
  ASSERT_NE(rb->FindReason("not-billable", "payer"), nullptr);
  EXPECT_EQ(rb->FindReason("not-billable", "payer")->next_step, "");
  EXPECT_EQ(rb->FindReason("hold", "no-such-reason"), nullptr);
}

TEST_F(BrokenCodes, ReasonsMissingARequiredOneAreRefused) {
  std::string s = Read("reasons.xml");
  const auto at = s.find("<hold reason=\"no-price\"");
  ASSERT_NE(at, std::string::npos);
  s.erase(at, s.find("/>", at) + 2 - at);
  Write("reasons.xml", s);
  Status st = LoadStatus();
  EXPECT_EQ(st.code(), StatusCode::kConfig);
  EXPECT_NE(st.message().find("required <hold> no-price is missing"), std::string::npos) << st.message();
}

TEST_F(BrokenCodes, ReasonsRefuseDuplicatesUnknownRulesAndMissingNextSteps) {
  const std::string good = Read("reasons.xml");
  for (const auto& [extra, says] :
       {std::pair<std::string, std::string>{"<hold reason=\"no-price\" words=\"w\" next-step=\"n\"/>", "duplicate"},
        {"<finding rule=\"ZZ-9\" next-step=\"n\"/>", "not in rules.xml"},
        {"<hold reason=\"x-y\" words=\"w\"/>", "next-step"},
        {"<item kind=\"k\" words=\"w\" next-step=\"n\" colour=\"red\"/>", "unknown attribute"},
        {"<holdx reason=\"x\"/>", "unexpected element"}}) {
    std::string s = good;
    s.replace(s.find("</reasons>"), 10, extra + "</reasons>");
    Write("reasons.xml", s);
    Status st = LoadStatus();
    EXPECT_EQ(st.code(), StatusCode::kConfig) << extra;
    EXPECT_NE(st.message().find(says), std::string::npos) << extra << ": " << st.message();
  }
}

}  // namespace
}  // namespace otp
