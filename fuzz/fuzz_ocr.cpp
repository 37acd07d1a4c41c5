// The OCR front end's image side (ingest/ocr): a grey page image -> deskew,
// binarisation, rules found as long runs of ink, and (for every other input)
// recognition by Tesseract into words. Bytes are read as a size, a
// resolution, then records that draw on a white page: horizontal and
// vertical rules (thin or thick, whole or broken), filled boxes, specks and
// noise. Must never crash or hang; every rule lies inside the image, every
// word's box is finite, inside the page and its confidence 0-100.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "ingest/ocr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 4) return 0;
    const int w = 16 + (data[0] % 128) * 4, h = 16 + (data[1] % 128) * 4;  // up to 524 x 524
    const double dpi = 50 + (data[2] % 64) * 10;                        // 50-680
    const bool recognise = data[3] & 1;
    std::vector<unsigned char> px(static_cast<size_t>(w) * static_cast<size_t>(h), 255);
    auto fill = [&](int x0, int y0, int x1, int y1, unsigned char v) {
        for (int y = std::max(0, y0); y < std::min(h, y1); ++y)
            for (int x = std::max(0, x0); x < std::min(w, x1); ++x) px[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)] = v;
    };
    for (size_t i = 4; i + 5 <= size; i += 5) {
        const uint8_t* r = data + i;
        int a = r[1] * w / 256, b = r[2] * h / 256, len = r[3] * 2, t = 1 + (r[4] & 7);
        unsigned char shade = static_cast<unsigned char>((r[4] >> 3) * 8);
        switch (r[0] % 5) {
            case 0: fill(a, b, a + len, b + t, shade); break;  // horizontal rule
            case 1: fill(a, b, a + t, b + len, shade); break;  // vertical rule
            case 2: fill(a, b, a + r[3] % 40, b + r[4] % 40, shade); break;  // box
            case 3: fill(a, b, a + 1 + (r[3] & 3), b + 1 + (r[4] & 3), 0); break;  // speck
            default:  // a broken rule: dashes
                for (int k = 0; k < len; k += 6) fill(a + k, b, a + k + 4, b + t, shade);
        }
    }
    hoshin::ingest::GreyImage img{px.data(), w, h, static_cast<size_t>(w)};
    double skew = 0;
    for (const auto& rule : hoshin::ingest::find_image_rules(img, dpi, &skew)) {
        if (rule.x0 < 0 || rule.y0 < 0 || rule.x1 >= w || rule.y1 >= h || rule.x0 > rule.x1 || rule.y0 > rule.y1) std::abort();
    }
    if (!std::isfinite(skew) || std::abs(skew) > 10) std::abort();
    if (!recognise) return 0;
    auto engine = hoshin::ingest::thread_ocr_engine("jpn");
    if (!engine.ok()) return 0;  // no language data here: the image side alone
    const double pw = w * 72 / dpi, ph = h * 72 / dpi;
    auto page = engine.value()->recognise(img, dpi, pw, ph);
    for (const auto& word : page.page.words) {
        if (!std::isfinite(word.x0) || !std::isfinite(word.y1) || word.confidence < 0 || word.confidence > 100) std::abort();
        if (word.x0 < -1 || word.x1 > pw + 1 || word.text.empty()) std::abort();
    }
    for (const auto& rule : page.page.rules) {
        if (rule.x0 < -1 || rule.x1 > pw + 1 || rule.y0 < -1 || rule.y1 > ph + 1) std::abort();
    }
    return 0;
}
