#include "text/normalize.h"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <memory>

namespace hoshin::text {
namespace {

const icu::Normalizer2& nfkc_cf() {
    static const icu::Normalizer2* n = [] {
        UErrorCode status = U_ZERO_ERROR;
        return icu::Normalizer2::getNFKCCasefoldInstance(status);
    }();
    return *n;
}

const icu::Normalizer2& nfc() {
    static const icu::Normalizer2* n = [] {
        UErrorCode status = U_ZERO_ERROR;
        return icu::Normalizer2::getNFCInstance(status);
    }();
    return *n;
}

// Calls f(code point, its UTF-8 bytes) for each code point; an invalid
// sequence comes as U+FFFD.
template <class F>
void for_each_code_point(std::string_view s, F&& f) {
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    int32_t n = static_cast<int32_t>(s.size());
    for (int32_t i = 0; i < n;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0) f(UChar32{0xFFFD}, std::string_view("\xEF\xBF\xBD"));
        else f(c, s.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
    }
}

// White space: ICU's White_Space property (checked code point by code point
// in the unit tests) plus U+FEFF. ASCII and the CJK text that makes up the
// documents are decided without a property look-up, which was 7 % of a text
// conversion.
bool is_space(UChar32 c) {
    if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r');
    if (c >= 0x3001 && c < 0xFEFF) return false;
    return c == 0x3000 || c == 0xFEFF || u_isUWhiteSpace(c);
}

bool is_control(UChar32 c) { return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c < 0xA0); }

std::string to_utf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

// Characters after which (or before which) a line break does not stand for a
// space: CJK scripts and full-width forms.
bool is_cjk(UChar32 c) {
    if (c < 0x2E80) return false;
    int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    if (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH) return true;
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &status);
    return sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA;
}

UChar32 last_code_point(std::string_view s) {
    if (s.empty()) return 0;
    int32_t i = static_cast<int32_t>(s.size());
    UChar32 c;
    U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), 0, i, c);
    return c;
}

UChar32 first_code_point(std::string_view s) {
    if (s.empty()) return 0;
    int32_t i = 0;
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(s.size()), c);
    return c;
}

std::vector<std::string> segments(std::string_view utf8, bool sentence_units, bool keep_all = false) {
    std::vector<std::string> out;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        sentence_units ? icu::BreakIterator::createSentenceInstance(icu::Locale::getJapanese(), status)
                       : icu::BreakIterator::createWordInstance(icu::Locale::getJapanese(), status));
    if (U_FAILURE(status)) return out;
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    it->setText(u);
    int32_t start = it->first();
    for (int32_t end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
        if (!sentence_units && !keep_all && it->getRuleStatus() == UBRK_WORD_NONE) continue;
        icu::UnicodeString piece = u.tempSubStringBetween(start, end);
        std::string s = sentence_units && !keep_all ? clean(to_utf8(piece)) : to_utf8(piece);
        if (!s.empty()) out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

bool is_white_space(char32_t c) { return is_space(static_cast<UChar32>(c)); }

namespace {

// Code points that a string of nothing but them leaves unchanged, so ICU's
// check can be skipped for the kanji and kana that make up most cells. Each
// has NFC_Quick_Check=Yes and combining class 0 (and for the match key also
// NFKC_Quick_Check=Yes and no change under NFKC_Casefold); the unit tests
// check every code point of both sets against ICU.
bool nfc_stable(UChar32 c) {
    return c < 0x300 || (c >= 0x3000 && c <= 0x3029) || (c >= 0x3030 && c <= 0x3098) || (c >= 0x309B && c <= 0x30FF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xFF01 && c <= 0xFF5E);
}
bool nfkc_cf_stable(UChar32 c) {
    return (c < 0x80 && !(c >= 'A' && c <= 'Z')) || (c >= 0x3001 && c <= 0x3029) || (c >= 0x3030 && c <= 0x3035) ||
           (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FE) || (c >= 0x4E00 && c <= 0x9FFF);
}

}  // namespace

bool nfc_stable_code_point(char32_t c) { return nfc_stable(static_cast<UChar32>(c)); }
bool nfkc_cf_stable_code_point(char32_t c) { return nfkc_cf_stable(static_cast<UChar32>(c)); }

namespace {

// `s` without white space and controls, copied in runs.
std::string without_spaces(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    int32_t n = static_cast<int32_t>(s.size());
    int32_t run = 0;
    for (int32_t i = 0; i < n;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0) {  // U+FFFD stays: damaged text is text
            out.append(s.substr(static_cast<size_t>(run), static_cast<size_t>(start - run)));
            out += "\xEF\xBF\xBD";
            run = i;
        } else if (is_space(c) || is_control(c)) {
            out.append(s.substr(static_cast<size_t>(run), static_cast<size_t>(start - run)));
            run = i;
        }
    }
    out.append(s.substr(static_cast<size_t>(run)));
    return out;
}

bool all_of_code_points(std::string_view s, bool (*pred)(UChar32)) {
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    int32_t n = static_cast<int32_t>(s.size());
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0 || !pred(c)) return false;
    }
    return true;
}

}  // namespace

// Both forms work on UTF-8 directly (Normalizer2::normalizeUTF8), which is
// several times faster than a round trip through UnicodeString.
std::string match_key(std::string_view utf8) {
    if (all_of_code_points(utf8, nfkc_cf_stable)) return without_spaces(utf8);
    UErrorCode status = U_ZERO_ERROR;
    std::string folded;
    icu::StringPiece piece(utf8.data(), static_cast<int32_t>(utf8.size()));
    icu::StringByteSink<std::string> sink(&folded, static_cast<int32_t>(utf8.size()));
    nfkc_cf().normalizeUTF8(0, piece, sink, nullptr, status);
    if (U_FAILURE(status)) folded.assign(utf8);
    return without_spaces(folded);
}

std::string clean(std::string_view utf8) {
    std::string stripped;
    stripped.reserve(utf8.size());
    const auto* p = reinterpret_cast<const uint8_t*>(utf8.data());
    int32_t n = static_cast<int32_t>(utf8.size());
    size_t content_end = 0;  // end of the last non-space code point in `stripped`
    int32_t run = 0;         // start of the bytes not yet copied
    bool stable = true;      // every code point kept is nfc_stable
    auto flush = [&](int32_t upto) {
        stripped.append(utf8.substr(static_cast<size_t>(run), static_cast<size_t>(upto - run)));
    };
    for (int32_t i = 0; i < n;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0 || c == 0xFEFF || (c != '\t' && is_control(c))) {
            flush(start);
            run = i;
            continue;
        }
        bool space = c == '\t' || is_space(c);
        if (space && stripped.empty() && start == run) {  // leading white space
            run = i;
            continue;
        }
        if (c == '\t') {
            flush(start);
            stripped += ' ';
            run = i;
        }
        stable = stable && nfc_stable(c);
        if (!space) {
            flush(i);
            run = i;
            content_end = stripped.size();
        }
    }
    flush(n);
    stripped.resize(content_end);
    if (stable) return stripped;
    UErrorCode status = U_ZERO_ERROR;
    icu::StringPiece piece(stripped.data(), static_cast<int32_t>(stripped.size()));
    if (nfc().isNormalizedUTF8(piece, status) || U_FAILURE(status)) return stripped;
    status = U_ZERO_ERROR;
    std::string out;
    icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(stripped.size()));
    nfc().normalizeUTF8(0, piece, sink, nullptr, status);
    return U_SUCCESS(status) ? out : stripped;
}

void append_line(std::string& text, std::string_view after) {
    if (after.empty()) return;
    if (!text.empty() && !is_cjk(last_code_point(text)) && !is_cjk(first_code_point(after))) text += ' ';
    text += after;
}

std::string join_lines(std::string_view before, std::string_view after) {
    std::string out(before);
    append_line(out, after);
    return out;
}

bool starts_cjk(std::string_view s) { return !s.empty() && is_cjk(first_code_point(s)); }

bool ends_cjk(std::string_view s) { return !s.empty() && is_cjk(last_code_point(s)); }

size_t code_point_count(std::string_view utf8) {
    size_t n = 0;
    for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
    return n;
}

std::string join_words(std::string_view before, std::string_view after, bool space_between) {
    std::string out(before);
    if (space_between && !before.empty() && !after.empty()) {
        // Autospace only ever separates CJK from Latin letters and digits;
        // a space next to punctuation ("NAME (PORTFOLIO)", "A: ...") is real.
        UChar32 a = last_code_point(before), b = first_code_point(after);
        bool autospace = is_cjk(a) != is_cjk(b) && (is_cjk(a) ? u_isalnum(b) : u_isalnum(a));
        if (!autospace) out += ' ';
    }
    out += after;
    return out;
}

std::vector<std::string> sentences(std::string_view utf8) { return segments(utf8, true); }

std::vector<std::string> words(std::string_view utf8) { return segments(utf8, false); }

std::vector<std::string> word_segments(std::string_view utf8) { return segments(utf8, false, true); }

std::pair<std::string, std::string> split_head(std::string_view s) {
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    int32_t n = static_cast<int32_t>(s.size());
    int32_t i = 0;
    while (i < n) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (is_space(c)) {
            int32_t rest = i;
            while (rest < n) {
                int32_t r0 = rest;
                UChar32 d;
                U8_NEXT(p, rest, n, d);
                if (!is_space(d)) {
                    rest = r0;
                    break;
                }
            }
            return {std::string(s.substr(0, at)), std::string(s.substr(rest))};
        }
    }
    return {std::string(s), std::string()};
}


std::vector<std::string> code_points(std::string_view utf8) {
    std::vector<std::string> out;
    for_each_code_point(utf8, [&](UChar32, std::string_view cp) { out.emplace_back(cp); });
    return out;
}

std::string to_valid_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for_each_code_point(bytes, [&](UChar32, std::string_view cp) { out += cp; });
    return out;
}

bool valid_utf8(std::string_view bytes) {
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
    int32_t n = static_cast<int32_t>(bytes.size());
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0) return false;
    }
    return true;
}

}  // namespace hoshin::text
