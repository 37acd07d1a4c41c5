// Japanese era fiscal years (令和3年度, 平成31年度, 令和元年度, 令和三年度).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/document.h"

namespace hoshin::text {

// Finds the first "<era><year>年度" (or "<era><year>年") in text and converts it
// with ICU's Japanese calendar. Era names come from ICU, so every era it knows
// (明治 onwards) works; years may be ASCII, full-width or kanji numerals, or 元.
std::optional<FiscalYear> find_fiscal_year(std::string_view utf8);

// Gregorian year in which the given era's year begins; nullopt for an
// unknown era or a year out of range.
std::optional<int> era_to_gregorian(std::string_view era, int era_year);

// "三十一" -> 31, "元" -> 1, "１２" -> 12; nullopt if not a number.
std::optional<int> parse_japanese_number(std::string_view utf8);

}  // namespace hoshin::text
