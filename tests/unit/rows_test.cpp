// Unit tests for layout/rows.h: lines, cells, pages and limits.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layout/rows.h"

namespace hoshin::layout {
namespace {

struct Flat {
    int page;
    int line;
    std::vector<std::string> cells;
    bool operator==(const Flat&) const = default;
};

std::vector<Flat> flatten(const Pages& p) {
    std::vector<Flat> out;
    for (const Row& r : p.rows) {
        Flat f{r.page, r.line, {}};
        for (const Cell& c : r.cells) f.cells.push_back(c.text);
        out.push_back(std::move(f));
    }
    return out;
}

Pages must(std::string_view text) {
    auto r = rows_from_text(text);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : to_string(r.error().code));
    return r.ok() ? r.value() : Pages{};
}

TEST(Rows, LineEndingsGiveSameRows) {
    Pages lf = must("部(局)\t政策推進部\n\n【基本方針】\n本文");
    Pages crlf = must("部(局)\t政策推進部\r\n\r\n【基本方針】\r\n本文");
    Pages cr = must("部(局)\t政策推進部\r\r【基本方針】\r本文");
    ASSERT_EQ(lf.rows.size(), 4u);
    EXPECT_EQ(flatten(lf), flatten(crlf));
    EXPECT_EQ(flatten(lf), flatten(cr));
    EXPECT_EQ(lf.rows[3].line, 4);
    EXPECT_EQ(lf.rows[3].cells.at(0).text, "本文");
    EXPECT_TRUE(lf.rows[1].blank());
}

TEST(Rows, TrailingNewlineAddsNoRow) {
    EXPECT_EQ(must("a\nb\n").rows.size(), 2u);
    EXPECT_EQ(must("a\r\nb\r\n").rows.size(), 2u);
    EXPECT_EQ(must("a\nb").rows.size(), 2u);
}

TEST(Rows, EmptyTextHasOnePageAndNoRows) {
    Pages p = must("");
    EXPECT_TRUE(p.rows.empty());
    EXPECT_EQ(p.page_count, 1);
}

TEST(Rows, TabsSplitCells) {
    Pages p = must("1\t目標\t\t 分野 \t");
    ASSERT_EQ(p.rows.size(), 1u);
    const Row& r = p.rows[0];
    ASSERT_EQ(r.cells.size(), 5u);
    EXPECT_EQ(r.cells[0].text, "1");
    EXPECT_EQ(r.cells[1].text, "目標");
    EXPECT_EQ(r.cells[2].text, "");
    EXPECT_EQ(r.cells[3].text, "分野");  // trimmed
    EXPECT_EQ(r.cells[4].text, "");
    EXPECT_EQ(r.filled().size(), 3u);
    EXPECT_EQ(r.joined(), "1 目標 分野");
    EXPECT_FALSE(r.blank());
}

TEST(Rows, CellKeysAreMatchKeys) {
    Pages p = must("重点目標１\t（５）");
    ASSERT_EQ(p.rows.size(), 1u);
    EXPECT_EQ(p.rows[0].cells[0].text, "重点目標１");
    EXPECT_EQ(p.rows[0].cells[0].key, "重点目標1");
    EXPECT_EQ(p.rows[0].cells[1].key, "(5)");
}

TEST(Rows, FormFeedStartsPage) {
    Pages p = must("一\n二\n\f三\n四");
    EXPECT_EQ(p.page_count, 2);
    auto f = flatten(p);
    ASSERT_EQ(f.size(), 4u);
    EXPECT_EQ(f[0], (Flat{1, 1, {"一"}}));
    EXPECT_EQ(f[1], (Flat{1, 2, {"二"}}));
    EXPECT_EQ(f[2], (Flat{2, 3, {"三"}}));
    EXPECT_EQ(f[3], (Flat{2, 4, {"四"}}));
}

TEST(Rows, FormFeedInsideLineEndsLine) {
    Pages p = must("一\f二");
    EXPECT_EQ(p.page_count, 2);
    auto f = flatten(p);
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0], (Flat{1, 1, {"一"}}));
    EXPECT_EQ(f[1], (Flat{2, 2, {"二"}}));
}

TEST(Rows, TrailingFormFeedAddsNoPage) {
    Pages p = must("一\n二\n\f");
    EXPECT_EQ(p.page_count, 1);
    EXPECT_EQ(p.rows.size(), 2u);

    Pages q = must("一\f二\f");  // pdftotext style: every page ends with a form feed
    EXPECT_EQ(q.page_count, 2);
    ASSERT_EQ(q.rows.size(), 2u);
    EXPECT_EQ(q.rows[1].page, 2);
}

TEST(Rows, ThreePages) {
    Pages p = must("a\fb\fc");
    EXPECT_EQ(p.page_count, 3);
    ASSERT_EQ(p.rows.size(), 3u);
    EXPECT_EQ(p.rows[2].page, 3);
    EXPECT_EQ(p.rows[2].line, 3);
}

TEST(Rows, RuleDetection) {
    Pages p = must("-------\t-------\n--------\t-----------------\n重点目標 1\t---\n\n===\n- A: 達成");
    ASSERT_EQ(p.rows.size(), 6u);
    EXPECT_TRUE(p.rows[0].rule());
    EXPECT_TRUE(p.rows[1].rule());
    EXPECT_FALSE(p.rows[2].rule());
    EXPECT_FALSE(p.rows[3].rule());  // blank is not a rule
    EXPECT_TRUE(p.rows[4].rule());
    EXPECT_FALSE(p.rows[5].rule());
}

TEST(Rows, ProvenanceOfRow) {
    Pages p = must("a\n\fb");
    ASSERT_EQ(p.rows.size(), 2u);
    Provenance prov = p.rows[1].provenance();
    EXPECT_EQ(prov.page, 2);
    EXPECT_EQ(prov.line_start, 2);
    EXPECT_EQ(prov.line_end, 2);
    EXPECT_FALSE(prov.bbox.has_value());
}

TEST(Rows, TooManyCells) {
    std::string ok(kMaxCellsPerRow - 1, '\t');  // exactly kMaxCellsPerRow cells
    auto r = rows_from_text(ok);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->rows.at(0).cells.size(), kMaxCellsPerRow);

    std::string bad = "first\n" + std::string(kMaxCellsPerRow, '\t');  // one cell too many
    auto e = rows_from_text(bad);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().code, ErrorCode::too_many_cells);
    EXPECT_EQ(e.error().line, 2);
}

TEST(Rows, LineTooLong) {
    std::string ok(kMaxLineBytes, 'a');
    auto r = rows_from_text(ok);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->rows.size(), 1u);

    std::string bad = "first\r\n" + std::string(kMaxLineBytes + 1, 'a');
    auto e = rows_from_text(bad);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().code, ErrorCode::line_too_long);
    EXPECT_EQ(e.error().line, 2);
}

}  // namespace
}  // namespace hoshin::layout
