// Unit tests for text/normalize.h: match keys, output form, line joining,
// sentence and word units, head splitting.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include "text/normalize.h"
#include "text/radicals.h"

namespace hoshin::text {
namespace {

// ---- match_key ------------------------------------------------------------

TEST(MatchKey, IgnoresSpacesInsideSectionBrackets) {
    EXPECT_EQ(match_key("【 基本方針 】"), match_key("【基本方針】"));
    EXPECT_EQ(match_key("【基本方針】"), "【基本方針】");
}

TEST(MatchKey, IgnoresSpaceInsideLabel) {
    EXPECT_EQ(match_key("具体的 取組"), match_key("具体的取組"));
    EXPECT_EQ(match_key("具体的\u3000取組"), match_key("具体的取組"));
}

TEST(MatchKey, FoldsFullWidthDigits) {
    EXPECT_EQ(match_key("重点目標１"), match_key("重点目標 1"));
    EXPECT_EQ(match_key("重点目標１"), "重点目標1");
}

TEST(MatchKey, FoldsFullWidthParentheses) {
    EXPECT_EQ(match_key("（５）"), match_key("(5)"));
    EXPECT_EQ(match_key("（５）"), "(5)");
}

TEST(MatchKey, FoldsCaseAndFullWidthLatin) {
    EXPECT_EQ(match_key("Ａ"), "a");
    EXPECT_EQ(match_key("A"), "a");
    EXPECT_EQ(match_key("：").size(), 1u);
    EXPECT_EQ(match_key("："), ":");
}

TEST(MatchKey, KeepsDistinctWordsDistinct) {
    EXPECT_NE(match_key("基本方針"), match_key("基本姿勢"));
    EXPECT_NE(match_key("重点目標1"), match_key("重点目標2"));
}

TEST(MatchKey, EmptyAndSpaceOnly) {
    EXPECT_EQ(match_key(""), "");
    EXPECT_EQ(match_key(" \u3000\t "), "");
}

// ---- clean ------------------------------------------------------------------

TEST(Clean, KeepsHashigoDaka) {
    // 髙 (U+9AD9) must not be folded to 高 (U+9AD8).
    EXPECT_EQ(clean("髙橋 一郎"), "髙橋 一郎");
    EXPECT_NE(clean("髙橋"), "高橋");
}

TEST(Clean, KeepsFullWidthFormsAsWritten) {
    // Output form is NFC, not NFKC: full-width digits stay.
    EXPECT_EQ(clean("令和３年度"), "令和３年度");
}

TEST(Clean, ComposesToNfc) {
    // か + combining voiced mark -> が
    EXPECT_EQ(clean("\u304B\u3099"), "\u304C");
    // e + combining acute -> é
    EXPECT_EQ(clean("e\u0301"), "\u00E9");
}

TEST(Clean, TrimsIdeographicAndAsciiSpaces) {
    EXPECT_EQ(clean("\u3000 政策推進部 \u3000"), "政策推進部");
    EXPECT_EQ(clean("   abc   "), "abc");
    EXPECT_EQ(clean("\u3000\u3000"), "");
}

TEST(Clean, KeepsInnerSpaces) { EXPECT_EQ(clean(" 市川 信行 "), "市川 信行"); }

TEST(Clean, DropsControlCharacters) {
    EXPECT_EQ(clean("a\x01" "b\x7F" "c"), "abc");
    EXPECT_EQ(clean("\x1B" "市\x07民"), "市民");
    EXPECT_EQ(clean("a\u0085b"), "ab");  // C1 control (NEL)
}

TEST(Clean, DropsByteOrderMark) { EXPECT_EQ(clean("\uFEFF部長"), "部長"); }

// ---- join_lines ---------------------------------------------------------------

TEST(JoinLines, NoSpaceBetweenJapanese) { EXPECT_EQ(join_lines("市", "民からの"), "市民からの"); }

TEST(JoinLines, SpaceBetweenLatinWords) { EXPECT_EQ(join_lines("Open", "Data"), "Open Data"); }

TEST(JoinLines, NoSpaceAtJapaneseLatinSeam) {
    EXPECT_EQ(join_lines("LINE", "公式アカウント"), "LINE公式アカウント");
    EXPECT_EQ(join_lines("各種", "SNS"), "各種SNS");
    EXPECT_EQ(join_lines("約1,200", "人増加"), "約1,200人増加");
}

TEST(JoinLines, NoSpaceAfterCjkPunctuationOrFullWidth) {
    EXPECT_EQ(join_lines("実施します。", "Next"), "実施します。Next");
    EXPECT_EQ(join_lines("ＡＢＣ", "def"), "ＡＢＣdef");
}

TEST(JoinLines, EmptySides) {
    EXPECT_EQ(join_lines("", "市民"), "市民");
    EXPECT_EQ(join_lines("市民", ""), "市民");
    EXPECT_EQ(join_lines("", ""), "");
}

// ---- sentences / words -------------------------------------------------------------

TEST(Sentences, SplitsAtJapaneseFullStop) {
    auto s = sentences("市民と協働します。また情報を発信します。");
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0], "市民と協働します。");
    EXPECT_EQ(s[1], "また情報を発信します。");
}

TEST(Sentences, SingleSentence) {
    auto s = sentences("市民と協働します。");
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0], "市民と協働します。");
}

TEST(Sentences, EmptyText) { EXPECT_TRUE(sentences("").empty()); }

TEST(Words, SegmentsJapaneseAndDropsPunctuation) {
    const std::string text = "市民との情報交流を行います。";
    auto w = words(text);
    EXPECT_GE(w.size(), 3u);
    for (const std::string& word : w) {
        EXPECT_NE(word, "。");
        EXPECT_NE(word, "、");
        EXPECT_FALSE(word.empty());
    }
    std::string joined;
    for (const std::string& word : w) joined += word;
    EXPECT_EQ(joined, "市民との情報交流を行います");
}

TEST(Words, DropsSpacesAndAsciiPunctuation) {
    auto w = words("Open Data, now!");
    EXPECT_EQ(w, (std::vector<std::string>{"Open", "Data", "now"}));
}

// ---- split_head ----------------------------------------------------------------------

TEST(SplitHead, FullWidthSpace) {
    auto [head, rest] = split_head("部長\u3000市川 信行");
    EXPECT_EQ(head, "部長");
    EXPECT_EQ(rest, "市川 信行");
}

TEST(SplitHead, RunOfMixedSpaces) {
    auto [head, rest] = split_head("所管室・課 \u3000 危機管理課");
    EXPECT_EQ(head, "所管室・課");
    EXPECT_EQ(rest, "危機管理課");
}

TEST(SplitHead, NoSpace) {
    auto [head, rest] = split_head("危機管理課");
    EXPECT_EQ(head, "危機管理課");
    EXPECT_EQ(rest, "");
}

// ---- valid_utf8 --------------------------------------------------------------

TEST(ValidUtf8, AcceptsAndRejects) {
    EXPECT_TRUE(valid_utf8("髙橋 abc"));
    EXPECT_TRUE(valid_utf8(""));
    EXPECT_FALSE(valid_utf8("\xE9\xAB"));          // truncated
    EXPECT_FALSE(valid_utf8("a\xFF" "b"));         // invalid byte
    EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong
}

}  // namespace
}  // namespace hoshin::text

// Fonts that share a glyph between an ideograph and its radical (Noto CJK)
// let some producers write the radical into the PDF's Unicode map.
TEST(SharedGlyphs, RadicalsBecomeTheirIdeographs) {
    std::string s = "部(局)⻑ 実⾏ 市⺠";  // U+2ED1, U+2F8F, U+2EA0
    EXPECT_EQ(hoshin::text::unify_shared_glyphs(s), 3u);
    EXPECT_EQ(s, "部(局)長 実行 市民");
}

TEST(SharedGlyphs, HyphenationPointOnlyBesideJapanese) {
    std::string s = "企画‧調整 ‧A a‧b";
    EXPECT_EQ(hoshin::text::unify_shared_glyphs(s), 1u);
    EXPECT_EQ(s, "企画・調整 ‧A a‧b");
    std::string ja = "ア‧";
    EXPECT_EQ(hoshin::text::unify_shared_glyphs(ja), 1u);
    EXPECT_EQ(ja, "ア・");
}

TEST(SharedGlyphs, OtherTextUntouched) {
    std::string s = "行政 長 ―〜ー… \xE2\xBA";  // ideographs, punctuation, a truncated sequence
    const std::string before = s;
    EXPECT_EQ(hoshin::text::unify_shared_glyphs(s), 0u);
    EXPECT_EQ(s, before);
    EXPECT_EQ(hoshin::text::equivalent_ideograph(U'⼀'), U'一');
    EXPECT_EQ(hoshin::text::equivalent_ideograph(U'一'), 0u);
}

namespace hoshin::text {
namespace {

TEST(WhiteSpace, AgreesWithIcuOnEveryCodePoint) {
    // The fast path decides ASCII and CJK without ICU; every answer must be ICU's.
    for (UChar32 c = 0; c <= 0x10FFFF; ++c) {
        bool want = u_isUWhiteSpace(c) || c == 0xFEFF;
        ASSERT_EQ(is_white_space(static_cast<char32_t>(c)), want) << std::hex << c;
    }
}

}  // namespace
}  // namespace hoshin::text

namespace hoshin::text {
namespace {

TEST(NormalizerShortcut, StableCodePointsAreStableForIcu) {
    // A string made only of these is left as it is by NFC (clean) or by
    // NFKC_Casefold (match_key): quick check Yes, combining class 0, and for
    // the match key no change under NFKC_Casefold.
    size_t nfc = 0, nfkc = 0;
    for (UChar32 c = 0; c <= 0x10FFFF; ++c) {
        if (nfc_stable_code_point(static_cast<char32_t>(c))) {
            ++nfc;
            ASSERT_EQ(u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK), UNORM_YES) << std::hex << c;
            ASSERT_EQ(u_getCombiningClass(c), 0) << std::hex << c;
        }
        if (nfkc_cf_stable_code_point(static_cast<char32_t>(c))) {
            ++nfkc;
            ASSERT_EQ(u_getIntPropertyValue(c, UCHAR_NFKC_QUICK_CHECK), UNORM_YES) << std::hex << c;
            ASSERT_EQ(u_getCombiningClass(c), 0) << std::hex << c;
            ASSERT_FALSE(u_hasBinaryProperty(c, UCHAR_CHANGES_WHEN_NFKC_CASEFOLDED)) << std::hex << c;
        }
    }
    EXPECT_GT(nfc, 20000u);
    EXPECT_GT(nfkc, 20000u);
}

TEST(NormalizerShortcut, SameResultsAsTheNormalizer) {
    // Kana with a combining voiced mark still composes; full-width and
    // upper-case text still folds; plain kanji and kana come back as they are.
    EXPECT_EQ(clean("\xE3\x81\x8B\xE3\x82\x99"), "\xE3\x81\x8C");  // か + U+3099 -> が
    EXPECT_EQ(match_key("ＡＢＣ１２３ 令和３年度"), "abc123令和3年度");
    EXPECT_EQ(match_key("政策推進部\t の 運営方針"), "政策推進部の運営方針");
    EXPECT_EQ(clean("  政策推進部\tの運営方針\x01  "), "政策推進部 の運営方針");
    EXPECT_EQ(clean(" \t "), "");
    EXPECT_EQ(match_key("bad \xC3 byte"), "bad\xEF\xBF\xBD" "byte");
}

}  // namespace
}  // namespace hoshin::text
