// The PDF layout on hand-made pages of positioned words: line bands, cells,
// wrapped cells, autospace, page furniture.
#include <gtest/gtest.h>

#include "layout/pdf_layout.h"
#include "text/normalize.h"

namespace hoshin::layout {
namespace {

using ingest::PdfPage;
using ingest::PdfText;
using ingest::PdfWord;

// A word of `chars` CJK characters at 10 pt (box 10 wide per char, 13 high).
PdfWord word(const std::string& text, double x, double y, int chars, bool space_after = false) {
    return PdfWord{text, x, y, x + 10.0 * chars, y + 13, space_after};
}

std::vector<std::string> texts(const Row& r) {
    std::vector<std::string> out;
    for (const Cell& c : r.cells)
        if (!c.text.empty()) out.push_back(c.text);
    return out;
}

std::vector<const Row*> content_rows(const Pages& p) {
    std::vector<const Row*> out;
    for (const Row& r : p.rows)
        if (!r.blank()) out.push_back(&r);
    return out;
}

TEST(JoinWords, AutospaceDroppedRealSpacesKept) {
    EXPECT_EQ(text::join_words("令和", "3", true), "令和3");
    EXPECT_EQ(text::join_words("3", "年度", true), "3年度");
    EXPECT_EQ(text::join_words("各種", "SNS", true), "各種SNS");
    EXPECT_EQ(text::join_words("Open", "Data", true), "Open Data");
    EXPECT_EQ(text::join_words("小林", "一裕", true), "小林 一裕");
    EXPECT_EQ(text::join_words("一裕", "(行財政健全化担当)", true), "一裕 (行財政健全化担当)");
    EXPECT_EQ(text::join_words("A:", "達成", true), "A: 達成");
    EXPECT_EQ(text::join_words("市", "民", false), "市民");
}

TEST(PdfLayout, RaisedGradeBoxJoinsItsRowAndCellsSplitAtGaps) {
    PdfText pdf;
    PdfPage page{842, {}};
    page.words.push_back(word("達成状況", 60, 100, 4));
    page.words.push_back(word("達成度", 300, 100, 3));
    page.words.push_back(word("予定どおり実施しました。", 60, 130, 12));
    page.words.push_back(word("A", 300, 129.6, 1));  // a fraction of a point higher
    pdf.pages.push_back(page);
    auto r = rows_from_pdf(pdf);
    ASSERT_TRUE(r.ok());
    auto rows = content_rows(r.value());
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(texts(*rows[0]), (std::vector<std::string>{"達成状況", "達成度"}));
    EXPECT_EQ(texts(*rows[1]), (std::vector<std::string>{"予定どおり実施しました。", "A"}));
    // Both rows put the grade in the same slot, so the parser's columns line up.
    EXPECT_EQ(rows[0]->cells.size(), rows[1]->cells.size());
    ASSERT_TRUE(rows[1]->bbox.has_value());
    EXPECT_DOUBLE_EQ((*rows[1]->bbox)[0], 60);
}

TEST(PdfLayout, WrappedCellIsOneCellJoinedWithoutSpaces) {
    PdfText pdf;
    PdfPage page{842, {}};
    // A narrow cell (x 60..110) wrapping 団 / 員確保 beside a one-line cell.
    page.words.push_back(word("消防団", 60, 100, 3));
    page.words.push_back(word("員確保", 60, 111.65, 3));
    page.words.push_back(word("危機管理課", 200, 100, 5));
    page.words.push_back(word("次の行", 60, 140, 3));
    page.words.push_back(word("別の課", 200, 140, 3));
    // Widest text of the first column: its cell edge.
    page.words.push_back(word("ぎっしり", 60, 170, 4));
    pdf.pages.push_back(page);
    auto r = rows_from_pdf(pdf);
    ASSERT_TRUE(r.ok());
    auto rows = content_rows(r.value());
    ASSERT_GE(rows.size(), 2u);
    EXPECT_EQ(texts(*rows[0]), (std::vector<std::string>{"消防団員確保", "危機管理課"}));
    EXPECT_EQ(texts(*rows[1]), (std::vector<std::string>{"次の行", "別の課"}));
}

TEST(PdfLayout, ShortLineEndsAParagraph) {
    PdfText pdf;
    PdfPage page{842, {}};
    page.words.push_back(word("今年度の達成目標", 60, 100, 8));
    page.words.push_back(word("市の課題解決を目指して協働を進めます。", 60, 111.65, 19));
    pdf.pages.push_back(page);
    auto r = rows_from_pdf(pdf);
    ASSERT_TRUE(r.ok());
    auto rows = content_rows(r.value());
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(texts(*rows[0]).front(), "今年度の達成目標");
}

TEST(PdfLayout, PageNumbersAndRunningFootersAreNotContent) {
    PdfText pdf;
    for (int p = 1; p <= 3; ++p) {
        PdfPage page{842, {}};
        page.words.push_back(word(std::to_string(p), 500, 40, 1));
        page.words.push_back(word("本文の行です。", 60, 300, 7));
        page.words.push_back(word("柏原市", 250, 800, 3, true));
        page.words.push_back(word("部局運営方針", 290, 800, 6));
        pdf.pages.push_back(page);
    }
    PdfLayoutNotes notes;
    auto r = rows_from_pdf(pdf, &notes);
    ASSERT_TRUE(r.ok());
    auto rows = content_rows(r.value());
    ASSERT_EQ(rows.size(), 3u);
    for (const Row* row : rows) EXPECT_EQ(texts(*row).front(), "本文の行です。");
    EXPECT_EQ(notes.page_numbers_removed, 3);
    EXPECT_EQ(notes.running_lines_removed, 3);
    EXPECT_EQ(r->page_count, 3);
}

TEST(PdfLayout, OnePageFooterIsKept) {
    // With one page nothing repeats, so nothing can be told apart as furniture.
    PdfText pdf;
    PdfPage page{842, {}};
    page.words.push_back(word("本文", 60, 300, 2));
    page.words.push_back(word("柏原市", 250, 800, 3));
    pdf.pages.push_back(page);
    auto r = rows_from_pdf(pdf);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(content_rows(r.value()).size(), 2u);
}

TEST(PdfLayout, EmptyLineBetweenParagraphsIsABlankRow) {
    PdfText pdf;
    PdfPage page{842, {}};
    for (int i = 0; i < 4; ++i) page.words.push_back(word("段落の文です段落の文です", 60, 100 + 11.65 * i, 12));
    page.words.push_back(word("次の段落です。", 60, 100 + 11.65 * 5, 7));  // one empty line between
    pdf.pages.push_back(page);
    auto r = rows_from_pdf(pdf);
    ASSERT_TRUE(r.ok());
    const auto& rows = r->rows;
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_FALSE(rows[0].blank());
    EXPECT_TRUE(rows[1].blank());
    EXPECT_EQ(texts(rows[2]).front(), "次の段落です。");
}

}  // namespace
}  // namespace hoshin::layout
