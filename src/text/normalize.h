// Japanese text handling (ICU): match keys, output form, line joining and
// word/sentence units. Pure functions over UTF-8 strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hoshin::text {

// Form used only for matching markers and labels: NFKC with case folding
// (width folding comes with NFKC) and every White_Space character removed.
std::string match_key(std::string_view utf8);

// White space as match_key and clean see it: Unicode White_Space and U+FEFF.
bool is_white_space(char32_t c);

// Code points for which clean (NFC) and match_key (NFKC_Casefold) skip ICU's
// normalizer when a text holds nothing else; exposed for the tests.
bool nfc_stable_code_point(char32_t c);
bool nfkc_cf_stable_code_point(char32_t c);

// Form used for output: NFC, C0/C1 controls removed, surrounding white space
// (including U+3000) trimmed. Keeps the document's own characters (e.g. U+9AD9, the "ladder" taka of Takahashi).
std::string clean(std::string_view utf8);

// Joins a wrapped line onto the text before it: no space when either side of
// the seam is CJK (ideographs, kana, full-width forms, CJK punctuation), one
// space between words of space-separated scripts.
std::string join_lines(std::string_view before, std::string_view after);
// The same, appending to `text` in place.
void append_line(std::string& text, std::string_view after);

// True when the first character of `s` is CJK in the joiner's sense.
bool starts_cjk(std::string_view s);
// True when the last character of `s` is CJK in the joiner's sense.
bool ends_cjk(std::string_view s);

// Joins two words of one PDF line. A space Poppler reports between a CJK
// character and a Latin letter or digit is the typesetter's Asian/Latin
// autospace, not text
// (an era year typeset as "Reiwa 3 nendo" was written without spaces): it is dropped. Other spaces stay.
std::string join_words(std::string_view before, std::string_view after, bool space_between);

// ICU sentence and word units of a text; words drop pure white space and
// punctuation-only segments.
std::vector<std::string> sentences(std::string_view utf8);
std::vector<std::string> words(std::string_view utf8);
// Every ICU word-break segment, spaces and punctuation included: joined, they
// give the text back.
std::vector<std::string> word_segments(std::string_view utf8);

// Splits at the first run of white space (ASCII or U+3000): {head, rest}.
std::pair<std::string, std::string> split_head(std::string_view utf8);

// True when the whole string is valid UTF-8.
bool valid_utf8(std::string_view bytes);

// The string's code points, each as its UTF-8 bytes; an invalid byte
// sequence becomes U+FFFD (so the result is always valid UTF-8).
std::vector<std::string> code_points(std::string_view utf8);
// The number of characters (code points) of UTF-8 text.
size_t code_point_count(std::string_view utf8);

// The bytes as valid UTF-8: invalid sequences become U+FFFD.
std::string to_valid_utf8(std::string_view bytes);

}  // namespace hoshin::text
