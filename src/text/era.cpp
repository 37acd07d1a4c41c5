#include "text/era.h"

#include <unicode/calendar.h>
#include <unicode/dtfmtsym.h>
#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/unistr.h>

#include <map>
#include <memory>
#include <mutex>

#include "text/normalize.h"

namespace hoshin::text {
namespace {

// The only Japanese this file knows, the numerals, as code point escapes.
const std::u32string kKanjiDigits = U"\u3007\u4E00\u4E8C\u4E09\u56DB\u4E94\u516D\u4E03\u516B\u4E5D";
constexpr char32_t kTen = U'\u5341';      // ju (ten)
constexpr char32_t kHundred = U'\u767E';  // hyaku (hundred)
constexpr char32_t kGan = U'\u5143';      // gan (first year)
constexpr char32_t kNen = U'\u5E74';      // nen (year)
constexpr char32_t kDo = U'\u5EA6';       // do (as in nendo, fiscal year)

std::u32string to_u32(std::string_view s) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
    std::u32string out;
    for (int32_t i = 0; i < u.length();) {
        UChar32 c = u.char32At(i);
        i += U16_LENGTH(c);
        out.push_back(static_cast<char32_t>(c));
    }
    return out;
}

std::string to_utf8(const std::u32string& s) {
    icu::UnicodeString u;
    for (char32_t c : s) u.append(static_cast<UChar32>(c));
    std::string out;
    u.toUTF8String(out);
    return out;
}

struct EraTable {
    std::map<std::u32string, int> index;  // era name -> ICU era number
    size_t longest = 0;
};

// Built once from ICU's Japanese calendar symbols.
const EraTable& eras() {
    static const EraTable table = [] {
        EraTable t;
        UErrorCode status = U_ZERO_ERROR;
        // A formatter, not DateFormatSymbols(locale), carries the calendar's
        // own symbols (the latter falls back to Gregorian eras).
        icu::SimpleDateFormat format(icu::UnicodeString("G"), icu::Locale("ja_JP@calendar=japanese"), status);
        if (U_FAILURE(status)) return t;
        int32_t count = 0;
        const icu::UnicodeString* names = format.getDateFormatSymbols()->getEraNames(count);
        for (int32_t i = 0; i < count; ++i) {
            std::string utf8;
            names[i].toUTF8String(utf8);
            std::u32string name = to_u32(utf8);
            if (name.empty()) continue;
            t.index.emplace(name, i);
            t.longest = std::max(t.longest, name.size());
        }
        return t;
    }();
    return table;
}

std::optional<int> number_from(const std::u32string& s) {
    if (s.empty()) return std::nullopt;
    if (s.size() == 1 && s[0] == kGan) return 1;
    bool ascii = true;
    for (char32_t c : s) ascii = ascii && c >= U'0' && c <= U'9';
    if (ascii) {
        if (s.size() > 6) return std::nullopt;
        int v = 0;
        for (char32_t c : s) v = v * 10 + static_cast<int>(c - U'0');
        return v;
    }
    // Kanji numerals: positional (2-0-2-1) or with ju/hyaku (3-ju-1).
    int total = 0, digit = -1;
    bool positional = true;
    for (char32_t c : s) positional = positional && kKanjiDigits.find(c) != std::u32string::npos;
    if (positional) {
        if (s.size() > 6) return std::nullopt;
        for (char32_t c : s) total = total * 10 + static_cast<int>(kKanjiDigits.find(c));
        return total;
    }
    for (char32_t c : s) {
        size_t d = kKanjiDigits.find(c);
        if (d != std::u32string::npos) {
            if (digit >= 0) return std::nullopt;
            digit = static_cast<int>(d);
        } else if (c == kTen || c == kHundred) {
            total += (digit < 0 ? 1 : digit) * (c == kTen ? 10 : 100);
            digit = -1;
        } else {
            return std::nullopt;
        }
    }
    return total + (digit < 0 ? 0 : digit);
}

bool is_year_char(char32_t c) {
    return (c >= U'0' && c <= U'9') || c == kGan || c == kTen || c == kHundred ||
           kKanjiDigits.find(c) != std::u32string::npos;
}

}  // namespace

std::optional<int> parse_japanese_number(std::string_view utf8) {
    std::string k = match_key(utf8);  // full-width digits become ASCII
    return number_from(to_u32(k));
}

std::optional<int> era_to_gregorian(std::string_view era, int era_year) {
    const EraTable& t = eras();
    auto it = t.index.find(to_u32(era));
    if (it == t.index.end() || era_year < 1 || era_year > 100) return std::nullopt;
    static std::mutex mu;  // icu::Calendar instances are not shared; creation is cheap enough
    std::lock_guard<std::mutex> lock(mu);
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Calendar> cal(icu::Calendar::createInstance(icu::Locale("ja_JP@calendar=japanese"), status));
    if (U_FAILURE(status)) return std::nullopt;
    cal->clear();
    cal->set(UCAL_ERA, it->second);
    cal->set(UCAL_YEAR, era_year);
    cal->set(UCAL_MONTH, UCAL_DECEMBER);
    cal->set(UCAL_DATE, 31);
    int32_t y = cal->get(UCAL_EXTENDED_YEAR, status);
    if (U_FAILURE(status)) return std::nullopt;
    return y;
}

std::optional<FiscalYear> find_fiscal_year(std::string_view utf8) {
    // Work on the text with widths folded but keep a map back to the original
    // characters so the label is what the document wrote.
    std::u32string orig = to_u32(utf8);
    std::u32string folded;
    folded.reserve(orig.size());
    for (char32_t c : orig) {
        if (c >= U'\uFF10' && c <= U'\uFF19') c = U'0' + (c - U'\uFF10');
        folded.push_back(c);
    }
    const EraTable& t = eras();
    for (size_t i = 0; i < folded.size(); ++i) {
        for (size_t len = std::min(t.longest, folded.size() - i); len >= 1; --len) {
            auto it = t.index.find(folded.substr(i, len));
            if (it == t.index.end()) continue;
            size_t j = i + len;
            while (j < folded.size() && (folded[j] == U' ' || folded[j] == U'\u3000')) ++j;
            size_t ys = j;
            while (j < folded.size() && is_year_char(folded[j])) ++j;
            size_t ye = j;
            while (j < folded.size() && (folded[j] == U' ' || folded[j] == U'\u3000')) ++j;
            if (ye == ys || j >= folded.size() || folded[j] != kNen) continue;
            auto year = number_from(folded.substr(ys, ye - ys));
            if (!year) continue;
            size_t end = j + 1;
            if (end < folded.size() && folded[end] == kDo) ++end;
            auto greg = era_to_gregorian(to_utf8(it->first), *year);
            if (!greg) continue;
            FiscalYear fy;
            fy.label = to_utf8(orig.substr(i, end - i));
            fy.era = to_utf8(it->first);
            fy.era_year = *year;
            fy.gregorian = *greg;
            return fy;
        }
    }
    return std::nullopt;
}

}  // namespace hoshin::text
