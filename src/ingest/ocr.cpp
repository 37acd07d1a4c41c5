#include "ingest/ocr.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

#include "text/normalize.h"

namespace hoshin {

const char* to_string(OcrMode m) {
    switch (m) {
        case OcrMode::automatic: return "auto";
        case OcrMode::always: return "always";
        case OcrMode::never: return "never";
    }
    return "auto";
}

std::optional<OcrMode> ocr_mode_from_string(std::string_view s) {
    if (s == "auto") return OcrMode::automatic;
    if (s == "always") return OcrMode::always;
    if (s == "never") return OcrMode::never;
    return std::nullopt;
}

}  // namespace hoshin

namespace hoshin::ingest {

namespace {

// The preprocessing's lengths, in millimetres of the page (so they hold at
// any resolution).
// A horizontal rule is at least this long: the narrowest column of these
// tables (a goal number) is about 8 mm, and the longest horizontal stroke of
// a 14-point character about 4.5 mm.
constexpr double kMinRuleLengthH = 7.0;
// A vertical rule is at least this long: one line of 10.5-point text with the
// cell's padding is about 6 mm tall; a character's strokes are shorter.
constexpr double kMinRuleLengthV = 5.0;
// A run of ink thicker than this (points) is a filled shape, not a rule
// (the PDF front end's kMaxRuleThickness).
constexpr double kRuleThicknessPt = kMaxRuleThickness;
// Pixels around a found rule taken out with it (its blurred edges).
constexpr int kRuleMargin = 3;
// Ink specks at most this size (mm) both ways are dust, not text: the full
// stop of 10.5-point text is about 1 mm across, a dakuten's stroke 0.8 mm long.
constexpr double kSpeckMm = 0.45;
// Grey values darker than this are ink for finding rules. Scans' paper is
// 200-255 and their toner 0-120; an anti-aliased thin rule is 60-150.
constexpr int kInkThreshold = 170;
// A gap between two recognised symbols (ink to ink) wider than this share
// of the line's height is a space even between Japanese characters (a
// name's 市川 信行: a full-width space is a whole character of ink-free
// width); narrower gaps are closed, as a font's advance widths close them.
// Tesseract cuts Japanese text into "words" where there is no space at all.
constexpr double kSpaceGap = 0.9;
// A text line's box is its symbols' median ink height times this: about a
// font's em, as a PDF word's box is.
constexpr double kFontBox = 1.1;

struct PixFree {
    void operator()(Pix* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<Pix, PixFree>;
struct BoxaFree {
    void operator()(Boxa* b) const { boxaDestroy(&b); }
};
using BoxaPtr = std::unique_ptr<Boxa, BoxaFree>;

void quiet_leptonica() {
    static std::once_flag once;
    std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

PixPtr to_pix(const GreyImage& img, double dpi) {
    PixPtr pix(pixCreateNoInit(img.width, img.height, 8));
    if (!pix) return nullptr;
    l_uint32* data = pixGetData(pix.get());
    int wpl = pixGetWpl(pix.get());
    for (int y = 0; y < img.height; ++y) {
        l_uint32* line = data + static_cast<size_t>(y) * static_cast<size_t>(wpl);
        const unsigned char* src = img.data + static_cast<size_t>(y) * img.stride;
        for (int x = 0; x < img.width; ++x) SET_DATA_BYTE(line, x, src[x]);
    }
    int res = static_cast<int>(std::lround(dpi));
    pixSetResolution(pix.get(), res, res);
    return pix;
}

int mm_to_px(double mm, double dpi) { return std::max(3, static_cast<int>(std::lround(mm * dpi / 25.4))); }

struct Prepared {
    PixPtr grey;   // deskewed
    PixPtr text;   // 1 bpp, what Tesseract reads: the ink without rules and speckle
    std::vector<ImageRule> found;
    double skew = 0;
};

// Deskew, binarise, find the rules.
Prepared prepare(const GreyImage& image, double dpi) {
    quiet_leptonica();
    Prepared out;
    PixPtr pix = to_pix(image, dpi);
    if (!pix) return out;
    l_float32 angle = 0, conf = 0;
    // Sweep +-(max + a margin) at 1/4 resolution, then a binary search to
    // 0.01 degree; a confidence too low (no text lines) leaves the image as it is.
    PixPtr desk(pixDeskewGeneral(pix.get(), 0, static_cast<l_float32>(kMaxDeskewDegrees + 0.5), 0.5f, 0, kInkThreshold, &angle, &conf));
    if (desk) {
        out.grey = std::move(desk);
        out.skew = conf > 0 ? angle : 0;
    } else {
        out.grey = std::move(pix);
    }
    PixPtr bin(pixThresholdToBinary(out.grey.get(), kInkThreshold));
    if (!bin) return out;
    int hlen = mm_to_px(kMinRuleLengthH, dpi), vlen = mm_to_px(kMinRuleLengthV, dpi);
    int thick = std::max(2, static_cast<int>(std::lround(kRuleThicknessPt * dpi / 72)));
    PixPtr hor(pixOpenBrick(nullptr, bin.get(), hlen, 1));
    PixPtr ver(pixOpenBrick(nullptr, bin.get(), 1, vlen));
    if (!hor || !ver) return out;
    PixPtr mask(pixCreate(pixGetWidth(bin.get()), pixGetHeight(bin.get()), 1));
    auto collect = [&](Pix* lines, bool horizontal) {
        BoxaPtr boxes(pixConnCompBB(lines, 8));
        if (!boxes) return;
        int n = boxaGetCount(boxes.get());
        for (int i = 0; i < n; ++i) {
            l_int32 x, y, w, h;
            if (boxaGetBoxGeometry(boxes.get(), i, &x, &y, &w, &h) != 0) continue;
            int across = horizontal ? h : w;
            if (across > thick) continue;  // a filled shape
            if (horizontal) out.found.push_back(ImageRule{x, y + h / 2, x + w - 1, y + h / 2, true});
            else out.found.push_back(ImageRule{x + w / 2, y, x + w / 2, y + h - 1, false});
            // The rule's pixels, a little wider (its anti-aliased edges), to
            // take out of the image Tesseract reads.
            pixRasterop(mask.get(), x - kRuleMargin, y - kRuleMargin, w + 2 * kRuleMargin, h + 2 * kRuleMargin, PIX_SET, nullptr, 0, 0);
        }
    };
    collect(hor.get(), true);
    collect(ver.get(), false);
    // The ink Tesseract reads: the rules taken out (a rule beside a
    // character is read as 1, l, | or ー, a remnant of one as ' or 。) and
    // specks too small to be any mark of the text.
    pixSubtract(bin.get(), bin.get(), mask.get());
    int speck = std::max(1, static_cast<int>(std::lround(kSpeckMm * dpi / 25.4)));
    PixPtr clean(pixSelectBySize(bin.get(), speck + 1, speck + 1, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, nullptr));
    out.text = clean ? std::move(clean) : std::move(bin);
    pixSetResolution(out.text.get(), static_cast<int>(std::lround(dpi)), static_cast<int>(std::lround(dpi)));
    return out;
}

struct OcrWord {
    PdfWord word;         // one symbol
    int line = 0;         // Tesseract's text line
    double height = 0;    // pixels
    size_t chars = 0;
    bool word_end = false;  // the last symbol of one of Tesseract's words
};

// Text Tesseract gives for a word, white space removed.
std::string word_text(const char* s) {
    std::string out;
    for (const char* p = s; *p; ++p) {
        if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r') out += *p;
    }
    return out;
}

}  // namespace

struct OcrEngine::Impl {
    tesseract::TessBaseAPI api;
};

OcrEngine::OcrEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OcrEngine::~OcrEngine() = default;

std::string OcrEngine::version() { return tesseract::TessBaseAPI::Version(); }

namespace {

// Tesseract's LSTM asks OpenMP for several threads per text line. On a
// machine whose cores are already busy (bulk runs a worker per core) the
// threads spin waiting for each other: a page took 4.7 s of wall time and
// 2 s of system time instead of 1.3 s. One thread per recognition, then;
// OMP_THREAD_LIMIT cannot be set from inside the process (OpenMP reads it
// when it is loaded), but no parallel region is active with
// max-active-levels 0. Looked up at run time: it is libgomp's, which
// Tesseract loads, and hoshin need not link OpenMP itself.
void single_threaded_openmp() {
    using SetLevels = void (*)(int);
    if (auto set = reinterpret_cast<SetLevels>(dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"))) set(0);
}

}  // namespace

Result<std::unique_ptr<OcrEngine>> OcrEngine::open(const std::string& language) {
    quiet_leptonica();
    single_threaded_openmp();
    auto impl = std::make_unique<Impl>();
    // Tesseract's messages go nowhere: what matters comes back as results.
    impl->api.SetVariable("debug_file", "/dev/null");
    if (impl->api.Init(nullptr, language.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
        return Error{ErrorCode::ocr_unavailable, "Tesseract cannot load its '" + language +
                                                     "' language data (Debian: apt install tesseract-ocr-" + language + ")"};
    }
    impl->api.SetVariable("debug_file", "/dev/null");
    impl->api.SetPageSegMode(tesseract::PSM_SINGLE_COLUMN);
    return std::unique_ptr<OcrEngine>(new OcrEngine(std::move(impl)));
}

Result<OcrEngine*> thread_ocr_engine(const std::string& language) {
    thread_local std::map<std::string, std::unique_ptr<OcrEngine>> engines;
    auto it = engines.find(language);
    if (it != engines.end()) return it->second.get();
    auto engine = OcrEngine::open(language);
    if (!engine.ok()) return engine.error();
    OcrEngine* raw = engine.value().get();
    engines.emplace(language, std::move(engine.value()));
    return raw;
}

std::vector<ImageRule> find_image_rules(const GreyImage& image, double dpi, double* skew_degrees) {
    Prepared p = prepare(image, dpi);
    if (skew_degrees) *skew_degrees = p.skew;
    return p.found;
}

OcrPageResult OcrEngine::recognise(const GreyImage& image, double dpi, double width, double height) {
    OcrPageResult out;
    out.page.width = width;
    out.page.height = height;
    Prepared prep = prepare(image, dpi);
    out.skew_degrees = prep.skew;
    if (!prep.grey) return out;
    // Points per pixel of the image, each way (the image covers the page).
    double sx = width / pixGetWidth(prep.grey.get()), sy = height / pixGetHeight(prep.grey.get());
    for (const ImageRule& r : prep.found) {
        PdfRule rule{r.x0 * sx, r.y0 * sy, r.x1 * sx, r.y1 * sy};
        if (r.horizontal) rule.y1 = rule.y0;
        else rule.x1 = rule.x0;
        out.page.rules.push_back(rule);
    }
    if (out.page.rules.size() > kMaxRulesPerPage) out.page.rules.clear();  // as the PDF front end does
    tesseract::TessBaseAPI& api = impl_->api;
    api.SetImage(prep.text ? prep.text.get() : prep.grey.get());
    api.SetSourceResolution(static_cast<int>(std::lround(dpi)));
    // Symbol by symbol: the boxes Tesseract's LSTM gives its "words" are
    // rough (a word may reach over its neighbours), its symbols' are close.
    // A Japanese "word" of Tesseract's is a run it happened to cut at no
    // space; a symbol ends a word where the next starts a new one.
    // One pass over the whole page, the rules taken out. Reading the cells
    // of ruled tables one by one, each as a block, was tried and read fewer
    // fields right (52.7 % against 57.5 % on the test scans): Tesseract's
    // single-block mode drops more lone characters than its page layout.
    std::vector<OcrWord> words;
    std::unique_ptr<tesseract::ResultIterator> it(api.Recognize(nullptr) == 0 ? api.GetIterator() : nullptr);
    int line = 0;
    // Each symbol takes its word's confidence: the LSTM is sure of every
    // symbol of a blurred page (86.7 on average, where its words average 53),
    // its word confidences tell a poor page from a good one (86 on a clean scan).
    float word_confidence = 0;
    if (it) {
        do {
            if (it->Empty(tesseract::RIL_SYMBOL)) continue;
            if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) ++line;
            bool word_start = it->IsAtBeginningOf(tesseract::RIL_WORD);
            if (word_start) word_confidence = it->Confidence(tesseract::RIL_WORD);
            std::unique_ptr<char[]> raw(it->GetUTF8Text(tesseract::RIL_SYMBOL));
            if (!raw) continue;
            std::string text = word_text(raw.get());
            if (text.empty()) continue;
            int x0, y0, x1, y1;
            if (!it->BoundingBox(tesseract::RIL_SYMBOL, &x0, &y0, &x1, &y1)) continue;
            if (word_start && !words.empty()) words.back().word_end = true;
            OcrWord w;
            w.chars = text::code_point_count(text);
            w.word.text = std::move(text);
            w.word.x0 = x0 * sx, w.word.x1 = x1 * sx;
            w.word.y0 = y0 * sy, w.word.y1 = y1 * sy;
            w.word.confidence = word_confidence;
            w.line = line;
            words.push_back(std::move(w));
        } while (it->Next(tesseract::RIL_SYMBOL));
        if (!words.empty()) words.back().word_end = true;
    }
    it.reset();
    api.Clear();
    // A symbol's box is as tall as its ink (ー is a dash, 。 a dot), and the
    // LSTM's boxes of kana are often a line and a half tall and shifted: one
    // such box joins two lines. A PDF word's box is its font's. So every
    // symbol of one of Tesseract's text lines gets the line's middle and
    // height: the medians of its symbols'.
    for (size_t s0 = 0; s0 < words.size();) {
        size_t e = s0;
        std::vector<double> mids, heights;
        while (e < words.size() && words[e].line == words[s0].line) {
            mids.push_back((words[e].word.y0 + words[e].word.y1) / 2);
            heights.push_back(words[e].word.y1 - words[e].word.y0);
            ++e;
        }
        auto median = [](std::vector<double>& v) {
            std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
            return v[v.size() / 2];
        };
        double mid = median(mids), h = kFontBox * median(heights);
        for (size_t k = s0; k < e; ++k) {
            words[k].word.y0 = mid - h / 2, words[k].word.y1 = mid + h / 2;
            words[k].height = h / sy;
            // Ink boxes leave gaps a font's advance widths do not: after 、
            // or beside a narrow kana, most of a character's width. Closed
            // up to the next symbol unless the gap is a space or a cell's.
            if (k + 1 < e) {
                double gap = words[k + 1].word.x0 - words[k].word.x1;
                if (gap > 0 && gap < kSpaceGap * h) words[k].word.x1 = words[k + 1].word.x0;
            }
        }
        s0 = e;
    }
    // Spaces: between words of one line where the gap is wide, or between two
    // words that are not Japanese (Tesseract splits Latin text at its spaces).
    double total = 0;
    size_t chars = 0;
    for (size_t i = 0; i < words.size(); ++i) {
        OcrWord& w = words[i];
        if (i + 1 < words.size() && words[i + 1].line == w.line) {
            const OcrWord& n = words[i + 1];
            double gap = (n.word.x0 - w.word.x1) / sx;  // pixels
            bool latin = w.word_end && !text::ends_cjk(w.word.text) && !text::starts_cjk(n.word.text);
            w.word.space_after = gap > kSpaceGap * w.height || (latin && gap > 0.15 * w.height);
        }
        total += w.word.confidence * static_cast<double>(w.chars);
        chars += w.chars;
        out.page.words.push_back(std::move(w.word));
    }
    out.confidence = chars ? total / static_cast<double>(chars) : 0;
    return out;
}

}  // namespace hoshin::ingest
