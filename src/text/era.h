// Japanese era fiscal years (Reiwa 3, Heisei 31, Reiwa gan-nen, kanji-numeral years).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/document.h"

namespace hoshin::text {

// Finds the first "<era><year>nendo" (or "<era><year>nen") in text and converts it
// with ICU's Japanese calendar. Era names come from ICU, so every era it knows
// (Meiji onwards) works; years may be ASCII, full-width or kanji numerals, or gan (first year).
std::optional<FiscalYear> find_fiscal_year(std::string_view utf8);

// Gregorian year in which the given era's year begins; nullopt for an
// unknown era or a year out of range.
std::optional<int> era_to_gregorian(std::string_view era, int era_year);

// kanji "31", gan -> 1, full-width "12" -> 12; nullopt if not a number.
std::optional<int> parse_japanese_number(std::string_view utf8);

}  // namespace hoshin::text
