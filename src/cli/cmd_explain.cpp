// `otpbatch explain`: the answer to "why was this billed, or not?" from any end — a claim (each
// line's source records, the rule that chose the code, the edits it passed, units, charge and
// rate row), a patient, a record or a work item (the same trail from that end).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/open_ledger.h"
#include "cli/system_clock_env.h"
#include "cli/work_text.h"
#include "model/text.h"
#include "platform/clock.h"
#include "platform/data_dirs.h"
#include "remit/claim_account.h"
#include "remit/posting.h"
#include "rules/code_words.h"

namespace otp {
namespace {

void PrintLine(const ClaimLine& l, int line_no) {
  std::cout << "line " << line_no << ": " << l.code;
  for (const auto& m : l.modifiers) std::cout << ":" << m;
  std::cout << "  DOS " << l.dos.Iso() << "  units " << l.units << "  charge " << l.charge.ToString() << " ("
            << l.unit_price.ToString() << " each)\n";
  std::cout << "  rule:    " << l.rule_id << "  (episode starting " << l.episode_start.Iso() << ")\n";
  std::cout << "  rate:    " << l.rate_ref << "\n";
  std::cout << "  edits:   ";
  for (const auto& e : l.edits) std::cout << e << " ";
  std::cout << (l.edits.empty() ? "(none on record)" : "passed") << "\n";
  std::cout << "  sources:";
  for (const auto& r : l.source_record_ids) std::cout << " " << r;
  std::cout << "\n";
  if (!l.practitioner_npi.empty()) std::cout << "  rendering NPI: " << l.practitioner_npi << "\n";
}

// "CO-253 31.25 (CO-253: Sequestration - reduction in federal payment.)"
std::string Adjustment(const EventAdjustment& x, const CodeWords& words) {
  return x.group + "-" + x.reason + " " + x.amount.ToString() + " (" + words.DescribeAdjustment(x.group, x.reason) + ")";
}

void PrintAccount(const ClaimAccount& a, const CodeWords& words) {
  std::cout << "what became of it: " << a.status;
  if (!a.payer_claim_number.empty()) std::cout << "  payer claim number " << a.payer_claim_number;
  if (!a.replaced_by.empty()) std::cout << "  billed again as " << a.replaced_by;
  std::cout << "\n  billed " << a.billed.ToString() << "  paid " << a.paid.ToString() << "  patient responsibility "
            << a.patient_responsibility.ToString() << "  outstanding " << a.Outstanding().ToString() << "\n";
  for (const EventAdjustment& x : a.adjustments) std::cout << "  adjusted " << Adjustment(x, words) << "\n";
}

// What each 835 said of line `line_no` (-1: the service lines it did not tie to a line of ours):
// paid, its CAS in words, and how its SVC was tied to the line.
void PrintPaidLine(const ClaimEvent& e, int line_no, const CodeWords& words) {
  for (const EventLine& l : e.lines) {
    if (l.line_no != line_no) continue;
    std::cout << "  " << (line_no < 0 ? std::string("service line not tied to a line of ours")
                                       : "line " + std::to_string(line_no))
              << ": 835 " << e.date.Iso() << " (" << e.file << ", " << e.event << "): " << l.code
              << (l.modifiers.empty() ? "" : " " + l.modifiers) << " DOS " << l.dos.Iso() << "  paid "
              << l.paid.ToString() << " of " << l.charge.ToString() << "\n";
    for (const EventAdjustment& x : e.adjustments)
      if (x.line_no == line_no) std::cout << "    adjusted " << Adjustment(x, words) << "\n";
    std::cout << "    matched by " << (l.matched_by.empty() ? "(not matched)" : l.matched_by) << "\n";
  }
}

// The provider-level adjustments (835 PLB) whose reference names the claim: an overpayment
// taken back from a later payment (WO), a refund acknowledged (72), interest (L6); each with
// its reason's next step from codes/plb-reasons.xml.
Status PrintProviderAdjustments(Ledger& ledger, const std::string& claim_id, const CodeWords& words) {
  OTP_ASSIGN_OR_RETURN(const std::vector<PaymentAdjustment> all, ledger.PaymentAdjustments());
  for (const PaymentAdjustment& p : all) {
    if (p.claim_id != claim_id) continue;
    const bool taken = p.amount.cents() > 0;
    std::cout << "  provider-level adjustment, 835 " << p.date.Iso() << " (" << p.file << ", payment "
              << PaymentTrace(p.response) << "): " << words.DescribeProviderAdjustment(p.reason) << "  "
              << (taken ? p.amount : Money() - p.amount).ToString()
              << (taken ? " taken from the facility" : " paid to the facility") << " (reference " << p.reference
              << ")\n";
    const CodeWord* w = words.ProviderAdjustment(p.reason);
    if (w && !w->next_step.empty()) std::cout << "    next: " << w->next_step << "\n";
  }
  return Status::Ok();
}

void PrintHistory(const ClaimAccount& a) {
  std::cout << "history:\n";
  for (const AccountEvent& h : a.history)
    std::cout << "  " << h.date.Iso() << "  " << h.event << "  " << (h.file.empty() ? "-" : h.file)
              << (h.detail.empty() ? "" : "  " + h.detail) << "\n";
}

// What became of the claim after its 837P: its account, what the 835s said line by line (and of
// the claim as a whole), and its history.
Status PrintOutcome(Ledger& ledger, const StoredClaim& sc, const CodeWords& words) {
  OTP_ASSIGN_OR_RETURN(const std::vector<ClaimHead> head, ledger.ClaimHeads({sc.claim.claim_id}));
  OTP_ASSIGN_OR_RETURN(const std::vector<ClaimEvent> events, ledger.EventsOf(sc.claim.claim_id));
  OTP_ASSIGN_OR_RETURN(const std::optional<Resubmission> again, ledger.FindResubmission(sc.claim.claim_id));
  const ClaimAccount a = AccountOf(head.empty() ? HeadOf(sc) : head.front(), events, again);
  PrintAccount(a, words);
  for (const ClaimEvent& e : events) {
    if (e.source != "835") continue;
    for (int n : sc.line_nos) PrintPaidLine(e, n, words);
    PrintPaidLine(e, -1, words);
    for (const EventAdjustment& x : e.adjustments)
      if (x.line_no == 0) std::cout << "  claim, 835 " << e.date.Iso() << ": adjusted " << Adjustment(x, words) << "\n";
  }
  OTP_TRY(PrintProviderAdjustments(ledger, sc.claim.claim_id, words));
  PrintHistory(a);
  return Status::Ok();
}

// kNotFound when the ledger holds no such claim.
Status PrintClaim(Ledger& ledger, const std::string& claim_id, const CodeWords& words) {
  OTP_ASSIGN_OR_RETURN(const std::optional<StoredClaim> sc, ledger.FindClaim(claim_id));
  if (!sc) return Status::NotFound("no claim " + claim_id + " in this ledger");
  const Claim& c = sc->claim;
  std::cout << "claim " << c.claim_id << "  facility " << c.facility_id << "  patient " << c.patient_id
            << "  diagnosis " << c.diagnosis << "  total " << c.Total().ToString() << "  interchange "
            << sc->interchange << "  run " << sc->run_id << "\n";
  for (size_t i = 0; i < c.lines.size(); ++i) PrintLine(c.lines[i], sc->line_nos[i]);
  return PrintOutcome(ledger, *sc, words);
}

void PrintHold(const Hold& h) {
  std::cout << "held " << h.date.Iso() << "  " << h.facility_id << " " << h.patient_id << "  "
            << (h.code.empty() ? "" : h.code + "  ") << h.reason;
  if (h.amount) std::cout << "  $" << h.amount->ToString();
  std::cout << "\n  " << h.detail << "\n";
}

void PrintRow(const std::string& record_id, const RecordTrail& t) {
  std::cout << "record " << record_id << "  facility " << t.facility_id << "  patient " << t.patient_id << "  "
            << t.date.Iso() << "  " << t.service << "\n  read from " << t.source_file << " line " << t.source_line
            << " by run " << t.first_run << "; " << t.status << (t.reason.empty() ? "" : " (" + t.reason + ")");
  if (t.decided_run) std::cout << ", decided by run " << *t.decided_run;
  std::cout << "\n";
}

bool Mentions(const WorkItem& w, const std::string& record_id) {
  return std::find(w.record_ids.begin(), w.record_ids.end(), record_id) != w.record_ids.end();
}

class ExplainCommand : public Command {
 public:
  const char* name() const override { return "explain"; }
  void Setup(CLI::App& app) override {
    auto* c = app.add_subcommand("explain",
        "Why something was billed or not. --claim: for each line, the source record ids, the rule that chose\n"
        "the code, the edits it passed, units, charge and rate row; then what became of the claim (status,\n"
        "payer claim number, paid, patient responsibility, adjustments in words, outstanding), what each\n"
        "835 said of each line, the provider-level adjustments (PLB) that name it, and its history.\n"
        "--patient, --record, --item: the same trail from that end (claims, holds, findings, work items).\n"
        "Give exactly one of them.");
    c->add_option("--db", db_, "the SQLite ledger")->required();
    c->add_option("--data", data_, "folder holding codes/ (the adjustment codes' words)");
    auto* claim = c->add_option("--claim", claim_, "a claim id (CLM01), e.g. C000000012 (any case)");
    auto* patient = c->add_option("--patient", patient_, "a patient id");
    auto* record = c->add_option("--record", record_, "a service record id");
    auto* item = c->add_option("--item", item_, "a work item id, e.g. W000012");
    claim->excludes(patient, record, item);
    patient->excludes(record, item);
    record->excludes(item);
  }
  int Run() override {
    if (claim_.empty() && patient_.empty() && record_.empty() && item_.empty()) {
      std::cerr << "otpbatch explain: give one of --claim, --patient, --record or --item\n";
      return kExitUsage;
    }
    auto clock = MakeProcessClock();
    today_ = Today(*clock);
    auto words = CodeWords::Load(CodesDir(data_));
    if (!words.ok()) {
      std::cerr << "otpbatch explain: " << words.status().message() << "\n";
      return kExitUsage;
    }
    words_ = &words.value();
    int exit = kExitOk;
    auto ledger = OpenLedger("explain", db_, LedgerAccess::kRead, exit);
    if (!ledger) return exit;
    Status s = !claim_.empty()     ? PrintClaim(*ledger, AsciiUpper(claim_), *words_)
               : !patient_.empty() ? Patient(*ledger)
               : !record_.empty()  ? Record(*ledger)
                                   : Item(*ledger);
    return s.ok() ? kExitOk : Fail("explain", s);
  }

 private:
  Status Patient(Ledger& ledger) {
    OTP_ASSIGN_OR_RETURN(const std::vector<std::string> claims, ledger.ClaimIdsOfPatient(patient_));
    OTP_ASSIGN_OR_RETURN(const std::vector<Hold> holds, ledger.HoldsOfPatient(patient_));
    OTP_ASSIGN_OR_RETURN(const std::vector<Finding> findings, ledger.FindingsOfPatient(patient_));
    OTP_ASSIGN_OR_RETURN(const std::vector<WorkItem> items, ledger.Items(std::nullopt));
    std::cout << "patient " << patient_ << ": " << claims.size() << " claim(s), " << holds.size() << " hold(s), "
              << findings.size() << " finding(s)\n";
    for (const auto& id : claims) OTP_TRY(PrintClaim(ledger, id, *words_));
    for (const auto& h : holds) PrintHold(h);
    for (const auto& f : findings)
      std::cout << "finding " << f.date.Iso() << "  " << f.rule_id << " (" << f.citation << ")  "
                << SeverityName(f.severity) << "\n  " << f.detail << "\n";
    for (const auto& w : items)
      if (w.patient_id == patient_) std::cout << ItemText(w, today_);
    if (claims.empty() && holds.empty() && findings.empty()) return Status::NotFound("no patient " + patient_ + " in this ledger's claims, holds or findings");
    return Status::Ok();
  }

  Status Record(Ledger& ledger) {
    OTP_ASSIGN_OR_RETURN(const std::vector<RecordTrail> rows, ledger.RowsOfRecord(record_));
    if (rows.empty()) return Status::NotFound("no service record " + record_ + " in this ledger");
    for (const auto& t : rows) PrintRow(record_, t);
    OTP_ASSIGN_OR_RETURN(const std::vector<std::string> claims, ledger.ClaimIdsOfRecord(record_));
    for (const auto& id : claims) OTP_TRY(PrintClaim(ledger, id, *words_));
    OTP_ASSIGN_OR_RETURN(const std::vector<WorkItem> items, ledger.Items(std::nullopt));
    for (const auto& w : items)
      if (Mentions(w, record_)) std::cout << ItemText(w, today_);
    return Status::Ok();
  }

  Status Item(Ledger& ledger) {
    const std::optional<int64_t> id = ParseItemId(item_);
    if (!id) return Status::InvalidArgument("--item: \"" + item_ + "\" is not a work item id (e.g. W000012)");
    OTP_ASSIGN_OR_RETURN(const std::optional<WorkItem> w, ledger.FindItem(*id));
    if (!w) return Status::NotFound("there is no work item " + ItemId(*id));
    std::cout << ItemText(*w, today_);
    for (const auto& record : w->record_ids) {
      OTP_ASSIGN_OR_RETURN(const std::vector<RecordTrail> rows, ledger.RowsOfRecord(record));
      for (const auto& t : rows)
        if (t.facility_id == w->facility_id) PrintRow(record, t);
      OTP_ASSIGN_OR_RETURN(const std::vector<std::string> claims, ledger.ClaimIdsOfRecord(record));
      for (const auto& c : claims) std::cout << "  billed on claim " << c << " (explain --claim " << c << ")\n";
    }
    return Status::Ok();
  }

  std::string db_, claim_, patient_, record_, item_, data_;
  Date today_;
  const CodeWords* words_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> MakeExplainCommand() { return std::make_unique<ExplainCommand>(); }

}  // namespace otp
