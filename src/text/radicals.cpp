#include "text/radicals.h"

#include <algorithm>

namespace hoshin::text {

char32_t equivalent_ideograph(char32_t c) {
    if (c < 0x2E80 || c > 0x31EF) return 0;
    const RadicalRange* end = kEquivalentIdeographs + kEquivalentIdeographCount;
    const RadicalRange* r = std::upper_bound(kEquivalentIdeographs, end, c,
                                             [](char32_t v, const RadicalRange& x) { return v < x.first; });
    if (r == kEquivalentIdeographs) return 0;
    --r;
    return c <= r->last ? r->ideograph : 0;
}

namespace {

void put_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// The code point of the three-byte sequence at utf8[i], or 0.
char32_t three_byte_at(const std::string& utf8, size_t i) {
    if (i + 2 >= utf8.size()) return 0;
    unsigned char b0 = static_cast<unsigned char>(utf8[i]), b1 = static_cast<unsigned char>(utf8[i + 1]),
                  b2 = static_cast<unsigned char>(utf8[i + 2]);
    if ((b0 & 0xF0) != 0xE0 || (b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return 0;
    return (static_cast<char32_t>(b0 & 0x0F) << 12) | (static_cast<char32_t>(b1 & 0x3F) << 6) | (b2 & 0x3F);
}

bool japanese(char32_t c) { return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF); }

}  // namespace

size_t unify_shared_glyphs(std::string& utf8) {
    // Every code point concerned is three bytes, E2 80 A7 .. E3 87 AF.
    size_t n = 0;
    std::string out;
    size_t copied = 0;
    for (size_t i = 0; i + 2 < utf8.size(); ++i) {
        unsigned char b0 = static_cast<unsigned char>(utf8[i]);
        if (b0 != 0xE2 && b0 != 0xE3) continue;
        unsigned char b1 = static_cast<unsigned char>(utf8[i + 1]), b2 = static_cast<unsigned char>(utf8[i + 2]);
        if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) continue;
        char32_t c = (static_cast<char32_t>(b0 & 0x0F) << 12) | (static_cast<char32_t>(b1 & 0x3F) << 6) | (b2 & 0x3F);
        char32_t u = equivalent_ideograph(c);
        // U+2027 HYPHENATION POINT next to kana or kanji: the katakana
        // middle dot (企画‧調整), whose glyph CJK fonts share with it.
        if (c == 0x2027 && ((i >= 3 && japanese(three_byte_at(utf8, i - 3))) || japanese(three_byte_at(utf8, i + 3))))
            u = 0x30FB;
        if (!u) continue;
        out.append(utf8, copied, i - copied);
        put_utf8(out, u);
        copied = i + 3;
        i += 2;
        ++n;
    }
    if (n) {
        out.append(utf8, copied, std::string::npos);
        utf8 = std::move(out);
    }
    return n;
}

}  // namespace hoshin::text
