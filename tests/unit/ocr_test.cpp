// The OCR front end (ingest/ocr): rules found in a page image, modes, and a
// page read so badly that it gets its warning.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ingest/ocr.h"
#include "ingest/pdf.h"
#include "support.h"

namespace hoshin {
namespace {

TEST(OcrMode, NamesRoundTrip) {
    for (OcrMode m : {OcrMode::automatic, OcrMode::always, OcrMode::never}) EXPECT_EQ(ocr_mode_from_string(to_string(m)), m);
    EXPECT_FALSE(ocr_mode_from_string("sometimes"));
}

// A 300 dpi page with a box of two cells drawn in 3-pixel lines and, inside,
// strokes as long as a character's: the box's lines are rules, the strokes not.
TEST(OcrRules, LongThinRunsAreRulesAndStrokesAreNot) {
    const int w = 1200, h = 800;
    std::vector<unsigned char> px(static_cast<size_t>(w) * h, 255);
    auto fill = [&](int x0, int y0, int x1, int y1) {
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) px[static_cast<size_t>(y) * w + x] = 0;
    };
    fill(100, 100, 1100, 103);  // top
    fill(100, 600, 1100, 603);  // bottom
    fill(100, 100, 103, 603);   // left
    fill(600, 100, 603, 603);   // the middle
    fill(1097, 100, 1100, 603); // right
    fill(200, 300, 250, 303);   // a 4 mm stroke: 一
    fill(300, 250, 303, 290);   // a 3.4 mm stroke: 丨
    fill(700, 300, 900, 340);   // a filled box 3.4 mm thick: shading, not a rule
    ingest::GreyImage img{px.data(), w, h, static_cast<size_t>(w)};
    double skew = 99;
    auto rules = ingest::find_image_rules(img, 300, &skew);
    int horizontal = 0, vertical = 0;
    for (const auto& r : rules) (r.horizontal ? horizontal : vertical) += 1;
    EXPECT_EQ(horizontal, 2);
    EXPECT_EQ(vertical, 3);
    for (const auto& r : rules) {
        if (r.horizontal) EXPECT_GE(r.x1 - r.x0, 900);
        else EXPECT_GE(r.y1 - r.y0, 450);
    }
    EXPECT_LE(std::abs(skew), 0.1);
}

// One page rendered at 100 dpi and blurred, as a bad fax: read, but flagged
// with its page, so a user knows which text to check.
TEST(OcrConfidence, APoorPageIsAWarningNamingIt) {
    auto pdf = ingest::read_pdf(testing::read_bytes("tests/scans/blurred_page.pdf"), std::nullopt);
    ASSERT_TRUE(pdf.ok()) << pdf.error().message;
    ASSERT_TRUE(pdf->ocr);
    ASSERT_EQ(pdf->ocr->pages.size(), 1u);
    EXPECT_LT(pdf->ocr->pages[0].confidence, ingest::kLowConfidence);
    auto low = std::find_if(pdf->notes.begin(), pdf->notes.end(), [](const Diagnostic& d) { return d.code == "ocr-low-confidence"; });
    ASSERT_NE(low, pdf->notes.end());
    EXPECT_EQ(low->severity, Severity::warning);
    ASSERT_TRUE(low->provenance);
    EXPECT_EQ(low->provenance->page, 1);
    EXPECT_TRUE(low->provenance->bbox);  // messages name a PDF's page by its box
    // --ocr never: the same file is refused.
    auto never = ingest::read_pdf(testing::read_bytes("tests/scans/blurred_page.pdf"), std::nullopt, OcrOptions{OcrMode::never, 0, "jpn"});
    ASSERT_FALSE(never.ok());
    EXPECT_EQ(never.error().code, ErrorCode::no_text_layer);
}

}  // namespace
}  // namespace hoshin
