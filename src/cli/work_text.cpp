// ItemLine, ItemText, ItemJson (work_text.h).
#include "cli/work_text.h"

#include <sstream>

#include "work/queue.h"

namespace otp {
namespace {

std::string Joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : " ") + id;
  return out;
}

std::string Ended(const WorkItem& w) {
  if (w.state == ItemState::kOpen) return "";
  std::string out = ItemStateName(w.state);
  if (w.ended_on) out += " on " + w.ended_on->Iso();
  if (!w.ended_by.empty()) out += " by " + w.ended_by;
  if (!w.ended_at.empty()) out += " at " + w.ended_at;
  if (!w.note.empty()) out += ": " + w.note;
  return out;
}

}  // namespace

std::string ItemLine(const WorkItem& w, Date today) {
  std::ostringstream o;
  o << ItemId(w.id) << "  " << w.kind << "  " << w.facility_id << (w.patient_id.empty() ? "" : " " + w.patient_id)
    << "  " << w.reason;
  if (w.date) o << "  " << w.date->Iso();
  if (!w.code.empty() && w.code != w.reason) o << "  " << w.code;
  if (w.amount) o << "  $" << w.amount->ToString();
  o << "  opened " << w.opened_on.Iso() << " (" << AgeDays(w, today) << " days)";
  return o.str();
}

std::string ItemText(const WorkItem& w, Date today) {
  std::ostringstream o;
  o << "item " << ItemId(w.id) << "  " << w.kind << "  " << ItemStateName(w.state) << "\n";
  o << "  facility:   " << w.facility_id << (w.patient_id.empty() ? "" : "  patient " + w.patient_id) << "\n";
  o << "  reason:     " << w.reason << (w.code.empty() || w.code == w.reason ? "" : "  code " + w.code)
    << (w.date ? "  date " + w.date->Iso() : "") << "\n";
  o << "  detail:     " << w.detail << "\n";
  o << "  next step:  " << w.next_step << "\n";
  if (w.amount) o << "  at stake:   " << w.amount->ToString() << "\n";
  if (w.week) o << "  held week:  " << w.week->Iso() << " to " << (*w.week + 6).Iso() << "\n";
  if (!w.record_ids.empty()) o << "  records:    " << Joined(w.record_ids) << "\n";
  o << "  opened:     " << w.opened_on.Iso() << " by run " << w.opened_run << ", last seen by run " << w.seen_run
    << ", " << AgeDays(w, today) << " days old\n";
  if (w.state != ItemState::kOpen) o << "  ended:      " << Ended(w) << "\n";
  return o.str();
}

nlohmann::json ItemJson(const WorkItem& w, Date today) {
  nlohmann::json j;
  j["id"] = ItemId(w.id);
  j["kind"] = w.kind;
  j["state"] = ItemStateName(w.state);
  j["facility_id"] = w.facility_id;
  j["patient_id"] = w.patient_id;
  j["reason"] = w.reason;
  j["code"] = w.code;
  j["date"] = w.date ? nlohmann::json(w.date->Iso()) : nlohmann::json(nullptr);
  j["detail"] = w.detail;
  j["next_step"] = w.next_step;
  j["amount_at_stake"] = w.amount ? nlohmann::json(w.amount->ToString()) : nlohmann::json(nullptr);
  j["record_ids"] = w.record_ids;
  j["opened"] = w.opened_on.Iso();
  j["age_days"] = AgeDays(w, today);
  if (w.state != ItemState::kOpen) j["ended"] = Ended(w);
  return j;
}

}  // namespace otp
