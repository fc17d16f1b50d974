// Reading a written .xlsx back in tests: its parts with `unzip -p`, sheets by name, cells by
// reference, and number formats by style index. libxlsxwriter in constant-memory mode writes
// every text as an inline string in its sheet, so a sheet's XML holds all its text.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

namespace otp::xlsx {

inline std::string MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "otp_wb_XXXXXX").string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  char* d = ::mkdtemp(buf.data());
  EXPECT_NE(d, nullptr);
  return d ? std::string(d) : std::string();
}

inline std::string Run(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

// One member of the zip, or "" when absent.
inline std::string Unzip(const std::string& zip, const std::string& member) {
  return Run("unzip -p '" + zip + "' '" + member + "' 2>/dev/null");
}

inline std::vector<std::string> Members(const std::string& zip) {
  std::vector<std::string> out;
  std::string list = Run("unzip -Z1 '" + zip + "' 2>/dev/null");
  size_t start = 0;
  for (size_t i = 0; i <= list.size(); ++i) {
    if (i == list.size() || list[i] == '\n') {
      if (i > start) out.push_back(list.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

// Sheet names in xl/workbook.xml, in order.
inline std::vector<std::string> SheetNames(const std::string& zip) {
  std::string xml = Unzip(zip, "xl/workbook.xml");
  std::vector<std::string> names;
  std::regex re("<sheet name=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), re); it != std::sregex_iterator(); ++it)
    names.push_back((*it)[1]);
  return names;
}

// The n-th sheet's XML (1-based, in workbook order).
inline std::string Sheet(const std::string& zip, int n) {
  return Unzip(zip, "xl/worksheets/sheet" + std::to_string(n) + ".xml");
}

// The XML of the sheet named `name`, or "" when there is none.
inline std::string SheetNamed(const std::string& zip, const std::string& name) {
  const std::vector<std::string> names = SheetNames(zip);
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return Sheet(zip, static_cast<int>(i + 1));
  return "";
}

// The text of cell `ref` ("B2") of a sheet's XML when it is a string, else its value; "" when
// the cell is absent.
inline std::string CellText(const std::string& sheet_xml, const std::string& ref) {
  std::smatch m;
  const std::regex cell("<c r=\"" + ref + "\"[^>]*?(/>|>(.*?)</c>)");
  if (!std::regex_search(sheet_xml, m, cell)) return "";
  const std::string inner = m[2];
  std::smatch t;
  if (std::regex_search(inner, t, std::regex("<t[^>]*>([^<]*)</t>"))) return t[1];
  if (std::regex_search(inner, t, std::regex("<v>([^<]*)</v>"))) return t[1];
  return "";
}

// Every text the workbook holds: the XML of every part.
inline std::string AllXml(const std::string& zip) {
  std::string all;
  for (const auto& m : Members(zip))
    if (m.size() > 4 && m.substr(m.size() - 4) == ".xml") all += Unzip(zip, m);
  return all;
}

// The number format code of cell style index `s` (the s-th <xf> of cellXfs).
inline std::string FormatCodeOfStyle(const std::string& styles, int s) {
  size_t at = styles.find("<cellXfs");
  for (int i = 0; i <= s && at != std::string::npos; ++i) at = styles.find("<xf ", at + 1);
  if (at == std::string::npos) return "";
  std::smatch m;
  std::string xf = styles.substr(at, styles.find('>', at) - at);
  if (!std::regex_search(xf, m, std::regex("numFmtId=\"(\\d+)\""))) return "";
  std::regex code("<numFmt numFmtId=\"" + m[1].str() + "\" formatCode=\"([^\"]*)\"");
  if (!std::regex_search(styles, m, code)) return "";
  return m[1];
}

// The number format code of cell `ref` of a sheet.
inline std::string FormatOfCell(const std::string& zip, const std::string& sheet_xml, const std::string& ref) {
  std::smatch m;
  if (!std::regex_search(sheet_xml, m, std::regex("<c r=\"" + ref + "\" s=\"(\\d+)\""))) return "";
  return FormatCodeOfStyle(Unzip(zip, "xl/styles.xml"), std::stoi(m[1]));
}

}  // namespace otp::xlsx
