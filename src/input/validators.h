// Field validators for the input files: NPI (Luhn with the 80840 prefix), MBI (CMS format),
// TIN, US state and territory codes, ZIP, ICD-10-CM shape, dates. Each answers yes/no or
// returns the normalised value (nullopt when the text is not valid). Pure functions, no
// messages: the readers word the reasons, and never quote an MBI.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/date.h"

namespace otp {

// 10 digits whose Luhn check digit, computed over "80840" + the first 9 digits, is right.
bool IsValidNpi(std::string_view npi);
// The check digit of an NPI whose first 9 digits are `first9` (9 ASCII digits).
char NpiCheckDigit(std::string_view first9);

// MBI without dashes, or nullopt. Accepts the 11-character form and the dashed print form
// (1EG4-TE5-MK73). Upper case only; letters S, L, O, I, B, Z are never used.
std::optional<std::string> NormalizeMbi(std::string_view mbi);
inline bool IsValidMbi(std::string_view mbi) { return NormalizeMbi(mbi).has_value(); }

// Employer identification number / TIN: exactly 9 digits.
bool IsValidTin(std::string_view tin);

// The 50 states, DC and the territories PR, VI, GU, AS, MP; upper case.
bool IsValidStateCode(std::string_view state);

// 5 or 9 digits (a ZIP+4 written 12345-6789 is accepted); returns the digits only.
std::optional<std::string> NormalizeZip(std::string_view zip);
inline bool IsValidZip(std::string_view zip) { return NormalizeZip(zip).has_value(); }
// The billing provider's address must carry the full ZIP+4: 9 digits (12345-6789 accepted).
bool IsValidBillingZip(std::string_view zip);

// ICD-10-CM shape: a letter, a digit, a letter or digit, then an optional dot and up to four
// more letters or digits (with a dot, at least one). Returned upper case without the dot
// ("f11.20" → "F1120"); nullopt when the shape is wrong.
std::optional<std::string> NormalizeIcd10(std::string_view code);
// Opioid use disorder (F11.*), for a code with or without the dot.
bool IsOudDiagnosis(std::string_view code);

// True when `text` holds a character an 837P element can carry once X12Safe has cleaned it: an
// ASCII letter or digit, or an accented Latin letter (U+00C0 … U+00FF but × and ÷). A value of
// separators (* ~ : ^), punctuation, control characters or other scripts only would become an
// empty element, so the names and addresses the 837P needs are checked with this on input.
bool HasX12Text(std::string_view text);

// Why `text` cannot be a field of patients.csv or services.csv (interface.md §1.3), or "" when
// it can. A field is UTF-8 text (RFC 3629: no stray or missing continuation byte, no overlong
// form, no UTF-16 surrogate, nothing above U+10FFFF) without a control character: C0 (U+0000 to
// U+001F, tab and line breaks included), DEL (U+007F) and C1 (U+0080 to U+009F), nor a byte order
// mark (U+FEFF; only the file may start with one) or U+FFFE / U+FFFF, which XML cannot carry.
// The answer reads after a column name ("… holds a control character (U+001B escape) at byte 4")
// and names the byte offset (1-based) and the kind of fault, never the bytes themselves.
std::string TextFieldProblem(std::string_view text);

// Strict YYYY-MM-DD that is a real calendar date.
inline std::optional<Date> ParseIsoDate(std::string_view text) { return Date::Parse(text); }

}  // namespace otp
