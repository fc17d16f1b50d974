// facility.xml through pugixml; every check of interface.md §1.1 with a line-numbered message.
#include "input/facility_reader.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include <pugixml.hpp>

#include "input/validators.h"

namespace otp {
namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

std::string Trimmed(const char* s) {
  std::string_view v(s);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '\r' || v.front() == '\n'))
    v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n'))
    v.remove_suffix(1);
  return std::string(v);
}

class Reader {
 public:
  Reader(const std::string& file, std::string_view content,
         const std::function<bool(const std::string&)>& known_locality)
      : file_(file), content_(content), known_locality_(known_locality) {}

  Result<Config> Read();
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  int64_t LineOf(ptrdiff_t offset) const {
    if (offset < 0) return 0;
    size_t end = std::min(static_cast<size_t>(offset), content_.size());
    return 1 + std::count(content_.begin(), content_.begin() + static_cast<ptrdiff_t>(end), '\n');
  }
  // "facility.xml:12: <credential kind="…">"
  std::string Where(const pugi::xml_node& n) const {
    std::string s = file_ + ":" + std::to_string(LineOf(n.offset_debug())) + ": <" + n.name();
    const char* key = std::string_view(n.name()) == "credential" ? "kind"
                      : std::string_view(n.name()) == "charge"   ? "code"
                                                                 : "id";
    if (auto a = n.attribute(key)) s += std::string(" ") + key + "=\"" + a.value() + "\"";
    return s + ">";
  }
  Status Error(const pugi::xml_node& n, const std::string& what) const {
    return Status::Config(Where(n) + " " + what);
  }
  Status AttrError(const pugi::xml_node& n, const char* attr, const std::string& why) const {
    return Status::Config(Where(n) + " attribute " + attr + ": " + why);
  }
  // A required attribute, trimmed; sets `st` when it is missing or empty.
  bool Required(const pugi::xml_node& n, const char* attr, std::string& out, Status& st) const {
    out = Trimmed(n.attribute(attr).value());
    if (out.empty()) { st = AttrError(n, attr, "is required"); return false; }
    return true;
  }
  // A required attribute that an 837P element carries (a name, an address, an id): it must
  // keep a letter or digit once X12Safe has removed separators and control characters.
  bool RequiredText(const pugi::xml_node& n, const char* attr, std::string& out, Status& st) const {
    if (!Required(n, attr, out, st)) return false;
    if (!HasX12Text(out)) {
      st = AttrError(n, attr, "has no letter or digit (A-Z, 0-9 or an accented Latin letter)");
      return false;
    }
    return true;
  }
  bool ReadDate(const pugi::xml_node& n, const char* attr, bool required, std::optional<Date>& out,
                Status& st) const {
    std::string v = Trimmed(n.attribute(attr).value());
    if (v.empty()) {
      if (required) { st = AttrError(n, attr, "is required"); return false; }
      out.reset();
      return true;
    }
    out = Date::Parse(v);
    if (!out) { st = AttrError(n, attr, "\"" + v + "\" is not a real date (YYYY-MM-DD)"); return false; }
    return true;
  }
  bool ReadNpi(const pugi::xml_node& n, std::string& out, Status& st) const {
    if (!Required(n, "npi", out, st)) return false;
    if (!IsValidNpi(out)) {
      st = AttrError(n, "npi", "\"" + out + "\" is not a valid NPI (10 digits, Luhn check with prefix 80840)");
      return false;
    }
    return true;
  }
  Status ReadFacility(const pugi::xml_node& n, Facility& f) const;

  std::string file_;
  std::string_view content_;
  const std::function<bool(const std::string&)>& known_locality_;
  mutable std::vector<std::string> warnings_;  // handed to the caller once the file is valid
};

Status Reader::ReadFacility(const pugi::xml_node& n, Facility& f) const {
  Status st;
  if (!Required(n, "id", f.id, st) || !RequiredText(n, "name", f.name, st) || !ReadNpi(n, f.npi, st) ||
      !Required(n, "tin", f.tin, st) || !Required(n, "taxonomy", f.taxonomy, st) ||
      !Required(n, "locality", f.locality, st))
    return st;
  if (!IsValidTin(f.tin)) return AttrError(n, "tin", "\"" + f.tin + "\" is not 9 digits");
  if (f.taxonomy.size() != 10 ||
      !std::all_of(f.taxonomy.begin(), f.taxonomy.end(),
                   [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }))
    return AttrError(n, "taxonomy", "\"" + f.taxonomy + "\" is not a 10-character taxonomy code");
  if (f.taxonomy != kOtpTaxonomy)
    warnings_.push_back(Where(n) + " taxonomy " + f.taxonomy + " is not " + std::string(kOtpTaxonomy) +
                        ", the taxonomy of an opioid treatment program (methadone clinic); the 837P carries it as "
                        "written (PRV*BI), so check it against the facility's NPPES record");
  if (f.locality != "national" && known_locality_ && !known_locality_(f.locality))
    return AttrError(n, "locality", "\"" + f.locality + "\" is not a payment locality in the rate data");

  std::string cycle = Trimmed(n.attribute("episode-cycle").value());
  if (cycle.empty() || cycle == "patient") {
    f.cycle = EpisodeCycle{};
  } else if (cycle.rfind("weekday:", 0) == 0) {
    auto it = std::find(kWeekdays.begin(), kWeekdays.end(), std::string_view(cycle).substr(8));
    if (it == kWeekdays.end())
      return AttrError(n, "episode-cycle", "\"" + cycle + "\" is not patient or weekday:monday … weekday:sunday");
    f.cycle.patient = false;
    f.cycle.weekday = static_cast<int>(it - kWeekdays.begin());
  } else {
    return AttrError(n, "episode-cycle", "\"" + cycle + "\" is not patient or weekday:monday … weekday:sunday");
  }

  // <address>
  pugi::xml_node addr = n.child("address");
  if (!addr) return Error(n, "has no <address> (the billing provider address)");
  if (addr.next_sibling("address")) return Error(addr.next_sibling("address"), "is a second <address>; one is allowed");
  if (!RequiredText(addr, "line1", f.address.line1, st) || !RequiredText(addr, "city", f.address.city, st) ||
      !Required(addr, "state", f.address.state, st) || !Required(addr, "zip", f.address.zip, st))
    return st;
  f.address.line2 = Trimmed(addr.attribute("line2").value());
  if (!IsValidStateCode(f.address.state))
    return AttrError(addr, "state", "\"" + f.address.state + "\" is not a US state or territory code");
  if (!IsValidBillingZip(f.address.zip))
    return AttrError(addr, "zip", "\"" + f.address.zip + "\" must be 9 digits (ZIP+4) for the billing address");
  f.address.zip = *NormalizeZip(f.address.zip);

  // <payer>
  pugi::xml_node payer = n.child("payer");
  if (!payer) return Error(n, "has no <payer>");
  if (payer.next_sibling("payer")) return Error(payer.next_sibling("payer"), "is a second <payer>; one is allowed");
  if (!RequiredText(payer, "name", f.payer_name, st) || !RequiredText(payer, "id", f.payer_id, st)) return st;

  // <credential>
  for (pugi::xml_node c : n.children("credential")) {
    Credential cred;
    if (!Required(c, "kind", cred.kind, st)) return st;
    if (std::find(kCredentialKinds.begin(), kCredentialKinds.end(), cred.kind) == kCredentialKinds.end()) {
      std::string kinds;
      for (std::string_view k : kCredentialKinds) kinds.append(kinds.empty() ? "" : ", ").append(k);
      return AttrError(c, "kind", "\"" + cred.kind + "\" is not a credential kind (" + kinds + ")");
    }
    cred.status = Trimmed(c.attribute("status").value());
    cred.number = Trimmed(c.attribute("number").value());
    cred.body = Trimmed(c.attribute("body").value());
    if (cred.kind == kCertificationKind && cred.status != "full" && cred.status != "provisional")
      return AttrError(c, "status", cred.status.empty() ? std::string("is required: full or provisional")
                                                        : "\"" + cred.status + "\" is not full or provisional");
    std::optional<Date> eff, exp;
    if (!ReadDate(c, "effective", true, eff, st) || !ReadDate(c, "expires", false, exp, st)) return st;
    cred.effective = *eff;
    cred.expires = exp;
    if (exp && *exp < *eff) return AttrError(c, "expires", "is before effective");
    f.credentials.push_back(std::move(cred));
  }
  for (std::string_view kind : kCredentialKinds) {
    bool found = std::any_of(f.credentials.begin(), f.credentials.end(),
                             [&](const Credential& c) { return c.kind == kind; });
    if (!found) return Error(n, "has no <credential kind=\"" + std::string(kind) + "\">; every facility lists all five kinds");
  }

  // <charge>
  for (pugi::xml_node c : n.children("charge")) {
    std::string code, amount;
    if (!Required(c, "code", code, st) || !Required(c, "amount", amount, st)) return st;
    auto m = Money::Parse(amount);
    if (!m || m->cents() <= 0)
      return AttrError(c, "amount", "\"" + amount + "\" is not a positive amount with at most two decimals");
    if (!f.charges.emplace(code, *m).second) return Error(c, "repeats the charge for " + code);
  }

  // <practitioner> (our extension)
  for (pugi::xml_node p : n.children("practitioner")) {
    Practitioner pr;
    if (!ReadNpi(p, pr.npi, st) || !RequiredText(p, "last-name", pr.last_name, st) ||
        !RequiredText(p, "first-name", pr.first_name, st))
      return st;
    f.practitioners.push_back(std::move(pr));
  }
  return Status::Ok();
}

Result<Config> Reader::Read() {
  pugi::xml_document doc;
  // No parse_eol: offsets must stay those of the original text for line numbers.
  unsigned options = pugi::parse_default & ~pugi::parse_eol;
  pugi::xml_parse_result pr = doc.load_buffer(content_.data(), content_.size(), options, pugi::encoding_utf8);
  if (!pr)
    return Status::Config(file_ + ":" + std::to_string(LineOf(pr.offset)) +
                          ": not well-formed XML: " + pr.description());
  pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "otpbatch")
    return Status::Config(file_ + ": the root element is <" + root.name() + ">, expected <otpbatch version=\"1\">");
  std::string version = Trimmed(root.attribute("version").value());
  if (version != "1")
    return AttrError(root, "version", version.empty() ? std::string("is required and must be 1")
                                                      : "\"" + version + "\" is not supported (expected 1)");
  Config cfg;
  Status st;

  pugi::xml_node sub = root.child("submitter");
  if (!sub) return Error(root, "has no <submitter>");
  if (sub.next_sibling("submitter")) return Error(sub.next_sibling("submitter"), "is a second <submitter>; one is allowed");
  if (!RequiredText(sub, "name", cfg.submitter.name, st) || !RequiredText(sub, "id", cfg.submitter.id, st) ||
      !Required(sub, "phone", cfg.submitter.phone, st))
    return st;
  cfg.submitter.contact = Trimmed(sub.attribute("contact").value());
  // The 837P's 1000A PER04 is the phone number's digits: it cannot be empty.
  if (std::count_if(cfg.submitter.phone.begin(), cfg.submitter.phone.end(),
                    [](char c) { return c >= '0' && c <= '9'; }) < 10)
    return AttrError(sub, "phone", "\"" + cfg.submitter.phone + "\" has fewer than 10 digits");

  pugi::xml_node rec = root.child("receiver");
  if (!rec) return Error(root, "has no <receiver>");
  if (rec.next_sibling("receiver")) return Error(rec.next_sibling("receiver"), "is a second <receiver>; one is allowed");
  std::string usage;
  if (!RequiredText(rec, "name", cfg.receiver.name, st) || !RequiredText(rec, "id", cfg.receiver.id, st) ||
      !Required(rec, "usage", usage, st))
    return st;
  if (usage != "T" && usage != "P") return AttrError(rec, "usage", "\"" + usage + "\" is not T (test) or P (production)");
  cfg.receiver.usage = usage[0];

  std::set<std::string> ids;
  for (pugi::xml_node fn : root.children("facility")) {
    Facility f;
    Status fs = ReadFacility(fn, f);
    if (!fs.ok()) return fs;
    if (!ids.insert(f.id).second) return AttrError(fn, "id", "\"" + f.id + "\" is used by an earlier <facility>");
    cfg.facilities.push_back(std::move(f));
  }
  if (cfg.facilities.empty()) return Error(root, "has no <facility>");
  return cfg;
}

}  // namespace

Result<Config> ReadFacilityXml(const std::string& file_name, std::string_view content,
                               const std::function<bool(const std::string&)>& known_locality,
                               std::vector<std::string>* warnings) {
  Reader reader(file_name, content, known_locality);
  auto cfg = reader.Read();
  if (cfg.ok() && warnings) warnings->insert(warnings->end(), reader.warnings().begin(), reader.warnings().end());
  return cfg;
}

Result<Config> ReadFacilityFile(const std::string& path,
                                const std::function<bool(const std::string&)>& known_locality,
                                std::vector<std::string>* warnings) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Config(path + ": cannot open the facility file");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::Config(path + ": cannot read the facility file");
  return ReadFacilityXml(path, content, known_locality, warnings);
}

}  // namespace otp
