// Ruled tables: grids from drawn rules (merging, gaps, double borders, spans,
// open regions, frames), and the rows the PDF layout builds from them (a
// cell's whole multi-line text, never a line across cells).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "layout/lattice.h"
#include "layout/pdf_layout.h"

namespace hoshin::layout {
namespace {

using ingest::PdfPage;
using ingest::PdfRule;
using ingest::PdfText;
using ingest::PdfWord;

PdfRule h(double y, double x0, double x1) { return PdfRule{x0, y, x1, y}; }
PdfRule v(double x, double y0, double y1) { return PdfRule{x, y0, x, y1}; }

// The rules of a full grid: columns at xs, rows at ys.
std::vector<PdfRule> full_grid(const std::vector<double>& xs, const std::vector<double>& ys) {
    std::vector<PdfRule> out;
    for (double y : ys) out.push_back(h(y, xs.front(), xs.back()));
    for (double x : xs) out.push_back(v(x, ys.front(), ys.back()));
    return out;
}

TEST(Lattice, FullGridGivesEveryCell) {
    auto grids = find_grids(full_grid({10, 60, 200}, {100, 120, 140, 160}));
    ASSERT_EQ(grids.size(), 1u);
    EXPECT_EQ(grids[0].columns(), 2);
    EXPECT_EQ(grids[0].rows(), 3);
    ASSERT_EQ(grids[0].cells.size(), 6u);
    EXPECT_EQ(grids[0].cells[3].row, 1);
    EXPECT_EQ(grids[0].cells[3].col, 1);
    EXPECT_DOUBLE_EQ(grids[0].cells[3].box[0], 60);
    EXPECT_DOUBLE_EQ(grids[0].cells[3].box[3], 140);
}

TEST(Lattice, PiecesWithSmallGapsAndDoubleBordersAreOneRule) {
    // Each cell drawn as its own rectangle (as browsers do with separate
    // borders): the shared borders come twice, 0.75 pt apart, and the pieces
    // of a row's rule leave 1 pt gaps at the column lines.
    std::vector<PdfRule> rules;
    for (double x0 : {10.0, 61.0}) {
        double x1 = x0 + 50;
        for (double y0 : {100.0, 120.75}) {
            double y1 = y0 + 20;
            rules.push_back(h(y0, x0, x1));
            rules.push_back(h(y1, x0, x1));
            rules.push_back(v(x0, y0, y1));
            rules.push_back(v(x1, y0, y1));
        }
    }
    auto grids = find_grids(rules);
    ASSERT_EQ(grids.size(), 1u);
    EXPECT_EQ(grids[0].columns(), 2);
    EXPECT_EQ(grids[0].rows(), 2);
    EXPECT_EQ(grids[0].cells.size(), 4u);
}

TEST(Lattice, SpansFromMissingInnerRules) {
    // 3 columns, 2 rows: the first column's middle rule is missing (the goal
    // number spans both rows), and so is the rule between columns 1 and 2 in
    // the second row (the title spans them).
    std::vector<PdfRule> rules{h(100, 0, 300), h(140, 0, 300), h(120, 50, 300), v(0, 100, 140), v(50, 100, 140),
                               v(300, 100, 140), v(150, 100, 120)};
    auto grids = find_grids(rules);
    ASSERT_EQ(grids.size(), 1u);
    const auto& cells = grids[0].cells;
    ASSERT_EQ(cells.size(), 4u);
    EXPECT_EQ(cells[0].row_span, 2);  // the number
    EXPECT_EQ(cells[0].col_span, 1);
    EXPECT_EQ(cells[1].col, 1);
    EXPECT_EQ(cells[3].row, 1);
    EXPECT_EQ(cells[3].col, 1);
    EXPECT_EQ(cells[3].col_span, 2);  // the title
}

TEST(Lattice, OpenRegionsAndFramesAreNotCells) {
    // A short second row: beside it, the region under the first row's right
    // cell is open (no rule closes it).
    std::vector<PdfRule> rules{h(100, 0, 200), h(120, 0, 200), h(140, 0, 100), v(0, 100, 140), v(100, 100, 140), v(200, 100, 120)};
    auto grids = find_grids(rules);
    ASSERT_EQ(grids.size(), 1u);
    EXPECT_EQ(grids[0].cells.size(), 3u);
    // A box around text is a frame, not a table.
    EXPECT_TRUE(find_grids(full_grid({10, 500}, {10, 800})).empty());
    // Lines that never meet (underlines, a rule under a heading) make no table.
    EXPECT_TRUE(find_grids({h(100, 0, 200), h(130, 0, 200), v(300, 0, 50)}).empty());
}

TEST(Lattice, TwoTablesApartAreTwoGrids) {
    auto rules = full_grid({10, 60, 200}, {100, 120, 140});
    auto second = full_grid({10, 100, 200}, {300, 320, 340});
    rules.insert(rules.end(), second.begin(), second.end());
    auto grids = find_grids(rules);
    ASSERT_EQ(grids.size(), 2u);
    EXPECT_DOUBLE_EQ(grids[0].ys.front(), 100);
    EXPECT_DOUBLE_EQ(grids[1].ys.front(), 300);
}

TEST(Lattice, TooManyColumnsIsNoTable) {
    std::vector<double> xs;
    for (size_t i = 0; i <= kMaxCellsPerRow + 1; ++i) xs.push_back(static_cast<double>(i) * 5);
    EXPECT_TRUE(find_grids(full_grid(xs, {0, 10, 20})).empty());
}

PdfWord word(const std::string& text, double x, double y, int chars) { return PdfWord{text, x, y, x + 10.0 * chars, y + 10, false}; }

TEST(RuledLayout, AdjacentMultiLineCellsDoNotInterleave) {
    // Two cells side by side, each wrapping to three lines at the same
    // heights: each cell's text is whole, never a line across both.
    PdfText pdf;
    PdfPage page;
    page.width = 600, page.height = 800;
    page.rules = full_grid({50, 200, 350}, {100, 150});
    for (int i = 0; i < 3; ++i) {
        page.words.push_back(word(i == 0 ? "左の一" : i == 1 ? "左の二" : "左の三", 55, 103 + 15.0 * i, 3));
        page.words.push_back(word(i == 0 ? "右の一" : i == 1 ? "右の二" : "右の三", 205, 103 + 15.0 * i, 3));
    }
    pdf.pages.push_back(page);
    auto pages = rows_from_pdf(pdf);
    ASSERT_TRUE(pages.ok());
    ASSERT_EQ(pages->rows.size(), 1u);
    const Row& r = pages->rows[0];
    EXPECT_EQ(r.table, 0);
    ASSERT_EQ(r.cells.size(), 2u);
    EXPECT_EQ(r.cells[0].text, "左の一左の二左の三");
    EXPECT_EQ(r.cells[1].text, "右の一右の二右の三");
    EXPECT_EQ(r.cells[0].lines, 3);
    ASSERT_TRUE(r.cells[1].bbox);
    EXPECT_DOUBLE_EQ((*r.cells[1].bbox)[0], 200);
    ASSERT_EQ(pages->tables.size(), 1u);
    EXPECT_EQ(pages->tables[0].columns, (std::vector<double>{50, 200, 350}));
}

TEST(RuledLayout, SpannedNumberLeavesItsLowerHalfEmpty) {
    // The summary table's form: the number spans two rows, the title spans
    // the columns to the right of it in the second row.
    PdfText pdf;
    PdfPage page;
    page.width = 600, page.height = 800;
    page.rules = {h(100, 0, 300), h(140, 0, 300), h(120, 50, 300), v(0, 100, 140), v(50, 100, 140), v(300, 100, 140), v(150, 100, 120)};
    page.words = {word("1", 5, 115, 1), word("目標", 55, 105, 2), word("(5)", 155, 105, 3), word("民間企業との連携", 55, 125, 8)};
    pdf.pages.push_back(page);
    auto pages = rows_from_pdf(pdf);
    ASSERT_TRUE(pages.ok());
    ASSERT_EQ(pages->rows.size(), 2u);
    const Row& first = pages->rows[0];
    const Row& second = pages->rows[1];
    ASSERT_EQ(first.cells.size(), 3u);
    EXPECT_EQ(first.cells[0].text, "1");
    EXPECT_EQ(first.cells[0].row_span, 2);
    EXPECT_EQ(first.cells[1].text, "目標");
    EXPECT_EQ(first.cells[2].text, "(5)");
    ASSERT_EQ(second.cells.size(), 3u);
    EXPECT_TRUE(second.cells[0].text.empty());
    EXPECT_FALSE(second.cells[0].bbox);  // covered by the number's span
    EXPECT_EQ(second.cells[1].text, "民間企業との連携");
    EXPECT_EQ(second.cells[1].col_span, 2);
    EXPECT_EQ(second.table_row, 1);
}

TEST(RuledLayout, TextOutsideTablesKeepsItsPlace) {
    PdfText pdf;
    PdfPage page;
    page.width = 600, page.height = 800;
    page.rules = full_grid({50, 200, 350}, {100, 120});
    page.words = {word("前の段落", 50, 60, 4), word("左", 55, 105, 1), word("右", 205, 105, 1), word("後の段落", 50, 160, 4)};
    pdf.pages.push_back(page);
    auto pages = rows_from_pdf(pdf);
    ASSERT_TRUE(pages.ok());
    std::vector<std::string> firsts;
    for (const Row& r : pages->rows)
        if (!r.blank()) firsts.push_back(r.filled().front()->text);
    EXPECT_EQ(firsts, (std::vector<std::string>{"前の段落", "左", "後の段落"}));
    // The gap before the paragraph after the table is an empty line.
    EXPECT_TRUE(pages->rows[pages->rows.size() - 2].blank());
}

}  // namespace
}  // namespace hoshin::layout

namespace hoshin::ingest {
namespace {

TEST(PdfRules, ReadInTheSamePassAsTheWords) {
    std::ifstream in(std::string(HOSHIN_SOURCE_DIR) + "/samples/kashiwara_r3_seisakusuishin.pdf", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto pdf = read_pdf(bytes, std::nullopt);
    ASSERT_TRUE(pdf.ok());
    const PdfPage& first = pdf->pages[0];
    EXPECT_FALSE(first.words.empty());
    ASSERT_GT(first.rules.size(), 20u);  // the header table and the summary table
    for (const PdfRule& r : first.rules) {
        EXPECT_TRUE(r.x0 == r.x1 || r.y0 == r.y1);
        EXPECT_LE(r.x0, r.x1);
        EXPECT_LE(r.y0, r.y1);
        EXPECT_GE(r.y0, 0);
        EXPECT_LE(r.y1, first.height);
    }
    // Two tables on the first page: the header's and the goal summary's.
    EXPECT_EQ(layout::find_grids(first.rules).size(), 2u);
}

}  // namespace
}  // namespace hoshin::ingest

namespace hoshin::layout {
namespace {

TEST(Lattice, MoreRulesThanTheLimitAreNotLaidOut) {
    std::vector<double> ys;
    for (size_t i = 0; i <= ingest::kMaxRulesPerPage; ++i) ys.push_back(static_cast<double>(i) * 3);
    auto rules = full_grid({0, 100, 200}, ys);
    ASSERT_GT(rules.size(), ingest::kMaxRulesPerPage);
    EXPECT_TRUE(find_grids(rules).empty());
    ys.resize(ingest::kMaxRulesPerPage - 3);  // three vertical rules: exactly at the limit
    auto at_limit = full_grid({0, 100, 200}, ys);
    ASSERT_EQ(at_limit.size(), ingest::kMaxRulesPerPage);
    auto grids = find_grids(at_limit);
    ASSERT_EQ(grids.size(), 1u);
    EXPECT_EQ(grids[0].cells.size(), 2 * (ys.size() - 1));
}

}  // namespace
}  // namespace hoshin::layout

namespace hoshin::ingest {
namespace {

// A one-page PDF with the given content stream (Helvetica as /F1).
std::string pdf_of(const std::string& content) {
    return "%PDF-1.4\n"
           "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
           "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
           "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
           "/Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
           "4 0 obj << /Length " + std::to_string(content.size()) + " >> stream\n" + content +
           "endstream endobj\n"
           "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
           "trailer << /Root 1 0 R >>\n%%EOF\n";
}

std::vector<std::string> texts(const PdfPage& page) {
    std::vector<std::string> out;
    for (const PdfWord& w : page.words) out.push_back(w.text + (w.space_after ? " " : ""));
    return out;
}

// Poppler's text pass runs in raw order; what its reading-order pass did for
// the layout is done by hoshin: duplicated text dropped, spaces after words.
TEST(PdfWords, FakeBoldIsReadOnce) {
    // The same line drawn again 0.4 pt to the right (fake bold), and a
    // third time far below (a real repetition, kept).
    auto pdf = read_pdf(pdf_of("BT /F1 10 Tf 1 0 0 1 50 800 Tm (Bold text) Tj ET\n"
                               "BT /F1 10 Tf 1 0 0 1 50.4 800 Tm (Bold text) Tj ET\n"
                               "BT /F1 10 Tf 1 0 0 1 50 700 Tm (Bold text) Tj ET\n"),
                        std::nullopt);
    ASSERT_TRUE(pdf.ok()) << pdf.error().message;
    EXPECT_EQ(texts(pdf->pages.at(0)), (std::vector<std::string>{"Bold ", "text", "Bold ", "text"}));
}

TEST(PdfWords, SpacesFromGapsOnTheBaseline) {
    // "LINE Pay" with a space character; "ab" (11.12 pt wide) then "cd" 0.1 pt
    // after it (kerning: no space); "gh" drawn before "ef", 7.66 pt after its end.
    auto pdf = read_pdf(pdf_of("BT /F1 10 Tf 1 0 0 1 50 800 Tm (LINE Pay) Tj ET\n"
                               "BT /F1 10 Tf 1 0 0 1 50 780 Tm (ab) Tj ET\n"
                               "BT /F1 10 Tf 1 0 0 1 61.22 780 Tm (cd) Tj ET\n"
                               "BT /F1 10 Tf 1 0 0 1 100 760 Tm (gh) Tj ET\n"
                               "BT /F1 10 Tf 1 0 0 1 84 760 Tm (ef) Tj ET\n"),
                        std::nullopt);
    ASSERT_TRUE(pdf.ok()) << pdf.error().message;
    const PdfPage& p = pdf->pages.at(0);
    // Each line's words joined in x order, a space where space_after says.
    std::map<int, std::vector<const PdfWord*>> lines;
    for (const PdfWord& w : p.words) lines[static_cast<int>(w.y0)].push_back(&w);
    std::vector<std::string> joined;
    for (auto& [y, ws] : lines) {
        std::sort(ws.begin(), ws.end(), [](const PdfWord* a, const PdfWord* b) { return a->x0 < b->x0; });
        std::string s;
        for (const PdfWord* w : ws) s += w->text + (w->space_after ? " " : "");
        joined.push_back(s);
    }
    EXPECT_EQ(joined, (std::vector<std::string>{"LINE Pay", "abcd", "ef gh"}));
}

}  // namespace
}  // namespace hoshin::ingest
