// ingest (OCR): a page image -> the positioned words and drawn rules a PDF's
// text layer gives (ingest/pdf.h), so the layout and the parser read a scan
// the way they read any PDF. A third front end, not a second pipeline.
//
// Per page: the grey image is deskewed (Leptonica, up to kMaxDeskewDegrees),
// binarised (a fixed ink threshold), and its table rules found as long thin runs of dark
// pixels (a morphological opening with a horizontal, then a vertical line;
// what is left are the rules, as lattice table finders do on images). The
// rules are taken out of the image, so Tesseract sees cells of text and no
// frames, and what Tesseract recognises comes back as words with boxes and
// confidences, in points.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoshin/convert.h"
#include "ingest/pdf.h"
#include "model/error.h"

namespace hoshin::ingest {

// The resolution a page is rendered at for recognition. On the test scans
// (200 dpi, tests/scans/) Tesseract's Japanese model read 45.9 % of the
// fields right at 200 dpi (it confuses strokes: 施 as 筑), 61.0 % at 300 and
// 63.0 % at 400, at 1.4 and 1.8 s a page.
inline constexpr int kOcrDpi = 400;
inline constexpr int kMinOcrDpi = 100, kMaxOcrDpi = 600;
// A page rendered for OCR holds at most this many pixels (an A3 page at
// 400 dpi is 62 million, 62 MB of grey). A larger page is refused
// (page-too-large): a poster-sized page would take gigabytes.
inline constexpr double kMaxOcrPixels = 80e6;
// Skew corrected before recognition, degrees either way: a sheet laid on a
// scanner by hand.
inline constexpr double kMaxDeskewDegrees = 2.0;
// Words below this confidence (Tesseract's 0-100) make a page's text doubtful:
// a page whose mean is below it gets an ocr-low-confidence warning.
inline constexpr double kLowConfidence = 70;

// An 8-bit grey image, row-major, `stride` bytes a row, 0 black.
struct GreyImage {
    const unsigned char* data = nullptr;
    int width = 0, height = 0;
    size_t stride = 0;
};

struct OcrPageResult {
    PdfPage page;              // words (with confidence) and rules, in points
    double confidence = 0;     // mean word confidence, by characters; 0 with no words
    double skew_degrees = 0;   // the rotation corrected
};

// A rule found in a page image, in pixels of the deskewed image.
struct ImageRule {
    int x0, y0, x1, y1;
    bool horizontal;
};

class OcrEngine {
public:
    // Error codes: ocr-unavailable (Tesseract or its language data missing).
    static Result<std::unique_ptr<OcrEngine>> open(const std::string& language);
    ~OcrEngine();
    OcrEngine(const OcrEngine&) = delete;
    OcrEngine& operator=(const OcrEngine&) = delete;

    // One page image at `dpi`, of a page `width` x `height` points.
    OcrPageResult recognise(const GreyImage& image, double dpi, double width, double height);
    static std::string version();

private:
    struct Impl;
    explicit OcrEngine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The engine of this thread for a language, opened on first use and kept:
// loading Tesseract's Japanese model takes a third of a second.
Result<OcrEngine*> thread_ocr_engine(const std::string& language);

// The preprocessing alone (deskew, binarise, rules), for tests and fuzzing:
// the rules found in a grey image, in pixels of the deskewed image.
std::vector<ImageRule> find_image_rules(const GreyImage& image, double dpi, double* skew_degrees = nullptr);

}  // namespace hoshin::ingest
