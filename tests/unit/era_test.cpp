// Unit tests for text/era.h: Japanese era fiscal years.
#include <gtest/gtest.h>

#include "text/era.h"

namespace hoshin::text {
namespace {

void expect_year(const char* text, const char* label, const char* era, int era_year, int gregorian) {
    SCOPED_TRACE(text);
    auto fy = find_fiscal_year(text);
    ASSERT_TRUE(fy.has_value());
    EXPECT_EQ(fy->label, label);
    EXPECT_EQ(fy->era, era);
    EXPECT_EQ(fy->era_year, era_year);
    EXPECT_EQ(fy->gregorian, gregorian);
}

TEST(FindFiscalYear, Reiwa3) { expect_year("令和3年度 政策推進部の運営方針", "令和3年度", "令和", 3, 2021); }

TEST(FindFiscalYear, ReiwaGannen) { expect_year("令和元年度 運営方針", "令和元年度", "令和", 1, 2019); }

TEST(FindFiscalYear, Heisei31) { expect_year("平成31年度", "平成31年度", "平成", 31, 2019); }

TEST(FindFiscalYear, HeiseiGannen) { expect_year("平成元年度の予算", "平成元年度", "平成", 1, 1989); }

TEST(FindFiscalYear, Showa64WithoutDo) { expect_year("昭和64年", "昭和64年", "昭和", 64, 1989); }

TEST(FindFiscalYear, FullWidthDigitsKeepLabelAsWritten) {
    expect_year("令和３年度 政策推進部の運営方針", "令和３年度", "令和", 3, 2021);
}

TEST(FindFiscalYear, KanjiNumerals) {
    expect_year("令和三年度", "令和三年度", "令和", 3, 2021);
    expect_year("平成三十一年度", "平成三十一年度", "平成", 31, 2019);
}

TEST(FindFiscalYear, FoundInsideLongerText) {
    expect_year("これは令和2年度の運営方針です", "令和2年度", "令和", 2, 2020);
}

TEST(FindFiscalYear, NoEra) {
    EXPECT_FALSE(find_fiscal_year("政策推進部の運営方針").has_value());
    EXPECT_FALSE(find_fiscal_year("2021年度").has_value());
    EXPECT_FALSE(find_fiscal_year("").has_value());
}

TEST(FindFiscalYear, EraWithoutYearIsNotAFiscalYear) {
    EXPECT_FALSE(find_fiscal_year("令和の時代").has_value());
    EXPECT_FALSE(find_fiscal_year("令和年度").has_value());
}

TEST(ParseJapaneseNumber, Values) {
    EXPECT_EQ(parse_japanese_number("二十三"), 23);
    EXPECT_EQ(parse_japanese_number("三十一"), 31);
    EXPECT_EQ(parse_japanese_number("十"), 10);
    EXPECT_EQ(parse_japanese_number("元"), 1);
    EXPECT_EQ(parse_japanese_number("１２"), 12);
    EXPECT_EQ(parse_japanese_number("12"), 12);
    EXPECT_EQ(parse_japanese_number("二〇二一"), 2021);
}

TEST(ParseJapaneseNumber, NotANumber) {
    EXPECT_FALSE(parse_japanese_number("abc").has_value());
    EXPECT_FALSE(parse_japanese_number("").has_value());
    EXPECT_FALSE(parse_japanese_number("年度").has_value());
}

TEST(EraToGregorian, KnownEras) {
    EXPECT_EQ(era_to_gregorian("令和", 3), 2021);
    EXPECT_EQ(era_to_gregorian("令和", 1), 2019);
    EXPECT_EQ(era_to_gregorian("平成", 1), 1989);
    EXPECT_EQ(era_to_gregorian("昭和", 1), 1926);
    EXPECT_EQ(era_to_gregorian("大正", 1), 1912);
    EXPECT_EQ(era_to_gregorian("明治", 1), 1868);
}

TEST(EraToGregorian, UnknownEraOrYearOutOfRange) {
    EXPECT_FALSE(era_to_gregorian("未知", 3).has_value());
    EXPECT_FALSE(era_to_gregorian("令和", 0).has_value());
    EXPECT_FALSE(era_to_gregorian("令和", -1).has_value());
}

}  // namespace
}  // namespace hoshin::text
