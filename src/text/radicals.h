// Radicals read as ideographs. CJK fonts (Noto CJK, Source Han, many Windows
// fonts) draw a Kangxi radical (U+2F00-2FD5) or a CJK Radicals Supplement
// character (U+2E80-2EF3) with the same glyph as its unified ideograph: 行 and
// ⾏, 長 and ⻑. A PDF producer that writes the ToUnicode map from the font's
// cmap may then give the radical where the document says the ideograph, and
// the text no longer matches (部(局)⻑ is not 部(局)長) nor reads right.
// Running text never uses these blocks, so a PDF's text is mapped back with
// Unicode's EquivalentUnifiedIdeograph.txt (generated into the build).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace hoshin::text {

struct RadicalRange {
    char32_t first, last, ideograph;
};
extern const RadicalRange kEquivalentIdeographs[];
extern const size_t kEquivalentIdeographCount;

// The unified ideograph of a radical or stroke code point, or 0.
char32_t equivalent_ideograph(char32_t c);

// Replaces, in UTF-8 text, every radical with its ideograph, and a hyphenation
// point (U+2027) next to kana or kanji with the katakana middle dot (U+30FB),
// whose glyph the same fonts share; returns how many characters it replaced.
size_t unify_shared_glyphs(std::string& utf8);

}  // namespace hoshin::text
