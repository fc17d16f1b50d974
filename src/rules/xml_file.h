// A file of codes/ read whole and parsed with pugixml, for the strict loaders (RuleBook,
// CodeWords): every error is a Status::Config naming the file and, where there is one, the line.
#pragma once

#include <pugixml.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "model/status.h"

namespace otp {

// "<file> line <line>: <what>"; line 0 leaves the line out.
Status ConfigAt(const std::string& file, int64_t line, const std::string& what);

// The 1-based line of byte `offset` in `text`; 0 for a negative offset.
int64_t LineOf(std::string_view text, ptrdiff_t offset);

// The bytes of `path`; "cannot be read" or "read error" as a configuration error.
Result<std::string> ReadConfigText(const std::string& path);

struct XmlFile {
  std::string path, text;
  pugi::xml_document doc;
  pugi::xml_node root;

  // Parses `bytes`, read from `file`; its root element must be <root_name>.
  Status Parse(std::string file, std::string bytes, const char* root_name);

  int64_t Line(const pugi::xml_node& n) const { return LineOf(text, n.offset_debug()); }
  Status Error(const pugi::xml_node& n, const std::string& what) const { return ConfigAt(path, Line(n), what); }

  // Attribute `name` of `n`, required non-empty.
  Status Require(const pugi::xml_node& n, const char* name, std::string& out) const;

  // Refuses an attribute of `n` not in `allowed`: a misspelt optional attribute would otherwise
  // be ignored without a word.
  Status OnlyAttrs(const pugi::xml_node& n, std::initializer_list<std::string_view> allowed) const;

  // An optional true/false attribute; absent = false.
  Status Bool(const pugi::xml_node& n, const char* name, bool& out) const;

  // Calls `each(element)` for every element under the root, in file order (comments skipped);
  // an element named otherwise than `children` is refused.
  template <typename F>
  Status ForEach(std::initializer_list<std::string_view> children, F each) const {
    for (pugi::xml_node n : root.children()) {
      if (n.type() != pugi::node_element) continue;
      if (std::find(children.begin(), children.end(), std::string_view(n.name())) == children.end())
        return Error(n, std::string("unexpected element <") + n.name() + ">");
      if (Status st = each(n); !st.ok()) return st;
    }
    return Status::Ok();
  }
};

}  // namespace otp
