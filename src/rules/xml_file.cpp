// XmlFile and the configuration errors of codes/ (xml_file.h).
#include "rules/xml_file.h"

#include <fstream>
#include <sstream>
#include <utility>

namespace otp {

Status ConfigAt(const std::string& file, int64_t line, const std::string& what) {
  std::string m = file;
  if (line > 0) m += " line " + std::to_string(line);
  m += ": " + what;
  return Status::Config(std::move(m));
}

int64_t LineOf(std::string_view text, ptrdiff_t offset) {
  if (offset < 0) return 0;
  size_t end = std::min(static_cast<size_t>(offset), text.size());
  return 1 + std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(end), '\n');
}

Result<std::string> ReadConfigText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Config(path + ": cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::Config(path + ": read error");
  return ss.str();
}

Status XmlFile::Parse(std::string file, std::string bytes, const char* root_name) {
  path = std::move(file);
  text = std::move(bytes);
  pugi::xml_parse_result res = doc.load_buffer(text.data(), text.size());
  if (!res) return ConfigAt(path, LineOf(text, res.offset), std::string("not well-formed XML: ") + res.description());
  root = doc.child(root_name);
  if (!root) return ConfigAt(path, 0, std::string("root element must be <") + root_name + ">");
  return Status::Ok();
}

Status XmlFile::Require(const pugi::xml_node& n, const char* name, std::string& out) const {
  pugi::xml_attribute a = n.attribute(name);
  if (!a || std::string_view(a.value()).empty()) return Error(n, std::string("<") + n.name() + "> needs attribute " + name);
  out = a.value();
  return Status::Ok();
}

Status XmlFile::OnlyAttrs(const pugi::xml_node& n, std::initializer_list<std::string_view> allowed) const {
  for (pugi::xml_attribute a : n.attributes()) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view(a.name())) == allowed.end())
      return Error(n, std::string("<") + n.name() + "> has unknown attribute " + a.name());
  }
  return Status::Ok();
}

Status XmlFile::Bool(const pugi::xml_node& n, const char* name, bool& out) const {
  pugi::xml_attribute a = n.attribute(name);
  std::string_view v = a ? a.value() : "false";
  if (v != "true" && v != "false") return Error(n, std::string(name) + " must be true or false");
  out = v == "true";
  return Status::Ok();
}

}  // namespace otp
