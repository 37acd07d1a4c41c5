#include "ingest/pdf.h"

#include <GfxState.h>
#include <PDFDoc.h>
#include <Stream.h>
#include <TextOutputDev.h>
#include <ErrorCodes.h>
#include <GlobalParams.h>
#include <Page.h>
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "ingest/ocr.h"
#include "text/normalize.h"
#include "text/radicals.h"

namespace hoshin::ingest {
namespace {

// Poppler's error callback is process-wide; the messages of the document
// being loaded on this thread are collected here.
thread_local std::string* t_poppler_messages = nullptr;

// Poppler's messages, formatted as its C++ wrapper formats them.
void on_poppler_message(ErrorCategory, Goffset pos, const char* msg) {
    if (t_poppler_messages && t_poppler_messages->size() < 4096) {
        if (!t_poppler_messages->empty()) *t_poppler_messages += "; ";
        *t_poppler_messages += pos >= 0 ? "error (" + std::to_string(pos) + "): " : std::string("error: ");
        *t_poppler_messages += msg ? msg : "";
    }
}

// Poppler's global parameters (CMaps, Unicode tables: poppler-data) for the
// life of the process, built once rather than for every document, with our
// message callback. The C++ wrapper (the layout picture) uses them too.
void install_error_sink() {
    static std::once_flag once;
    std::call_once(once, [] { static GlobalParamsIniter params(on_poppler_message); });
}

struct MessageScope {
    explicit MessageScope(std::string* sink) { t_poppler_messages = sink; }
    ~MessageScope() { t_poppler_messages = nullptr; }
};

// Poppler's first message, on one line: "error: " prefix and the escaped
// trailing newline ("<0a>") it appends removed.
std::string first_message(const std::string& messages) {
    std::string m = messages.substr(0, messages.find("; "));
    if (m.rfind("error: ", 0) == 0) m.erase(0, 7);
    for (const char* junk : {"<0a>", "\n", "\r"}) {
        for (size_t at; (at = m.find(junk)) != std::string::npos;) m.erase(at, std::string(junk).size());
    }
    return m.empty() ? std::string() : " (poppler: " + m + ")";
}

struct WordMetrics {
    double font_size, baseline;
};

// What Poppler's reading-order pass would have done to raw-order words, as
// far as the layout depends on it (TextOutputDev.cc's constants):
// - duplicated text (fake bold, drop shadows: the same word drawn again
//   within 0.1 font sizes along the line and 0.2 across) is dropped;
// - a word has a space after it when the next word on its baseline starts
//   0.03 font sizes or more after its end (TextLine::coalesce). Raw words
//   are already cut at spaces and at gaps over 0.1 font sizes.
void finish_words(std::vector<PdfWord>& words, std::vector<WordMetrics>& metrics) {
    std::vector<bool> drop(words.size(), false);
    std::unordered_map<std::string_view, std::vector<size_t>> same_text;
    for (size_t i = 0; i < words.size(); ++i) {
        const PdfWord& w = words[i];
        double pri = 0.1 * metrics[i].font_size, sec = 0.2 * metrics[i].font_size;
        std::vector<size_t>& seen = same_text[w.text];
        for (size_t j : seen) {
            const PdfWord& o = words[j];
            if (std::abs(o.x0 - w.x0) < pri && std::abs(o.x1 - w.x1) < pri && std::abs(o.y0 - w.y0) < sec && std::abs(o.y1 - w.y1) < sec) {
                drop[i] = true;
                break;
            }
        }
        if (!drop[i]) seen.push_back(i);
    }
    same_text.clear();
    size_t n = 0;
    for (size_t i = 0; i < words.size(); ++i) {
        if (drop[i]) continue;
        if (n != i) words[n] = std::move(words[i]), metrics[n] = metrics[i];
        ++n;
    }
    words.resize(n);
    metrics.resize(n);
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (metrics[a].baseline != metrics[b].baseline) return metrics[a].baseline < metrics[b].baseline;
        return words[a].x0 < words[b].x0;
    });
    // Words of one line: baselines within half a font size of the line's first.
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && metrics[order[e]].baseline - metrics[order[s]].baseline < 0.5 * metrics[order[s]].font_size) ++e;
        std::sort(order.begin() + static_cast<std::ptrdiff_t>(s), order.begin() + static_cast<std::ptrdiff_t>(e),
                  [&](size_t a, size_t b) { return words[a].x0 < words[b].x0; });
        for (size_t k = s; k + 1 < e; ++k) {
            PdfWord& a = words[order[k]];
            const PdfWord& b = words[order[k + 1]];
            a.space_after = b.x0 - a.x1 >= 0.03 * metrics[order[k]].font_size;
        }
        s = e;
    }
}

// A segment this close to axis-aligned (points) is horizontal or vertical.
constexpr double kAxisTolerance = 0.5;
// Lines drawn in (nearly) white are not visible borders.
constexpr double kWhite = 0.9;

// Poppler's TextOutputDev, in raw order, that also keeps the straight
// segments of what the page strokes and fills. Raw order gives the words as
// the content stream draws them and skips Poppler's reading-order analysis
// (TextPage::coalesce: blocks, flows, columns), which the layout does not use
// and which is a fifth of the text pass (and quadratic on scattered text);
// finish_words() does the two parts of it the layout needs.
class PageReader : public TextOutputDev {
public:
    PageReader() : TextOutputDev(nullptr, false, 0, true, false) {}
    void stroke(GfxState* state) override { add_path(state, false); }
    void fill(GfxState* state) override { add_path(state, true); }
    void eoFill(GfxState* state) override { add_path(state, true); }

    std::vector<PdfRule> rules;
    bool too_many = false;

private:
    void add(double x0, double y0, double x1, double y1) {
        if (rules.size() >= kMaxRulesPerPage) {
            too_many = true;
            return;
        }
        if (std::abs(y1 - y0) <= kAxisTolerance) {
            double y = (y0 + y1) / 2;
            rules.push_back(PdfRule{std::min(x0, x1), y, std::max(x0, x1), y});
        } else if (std::abs(x1 - x0) <= kAxisTolerance) {
            double x = (x0 + x1) / 2;
            rules.push_back(PdfRule{x, std::min(y0, y1), x, std::max(y0, y1)});
        }
    }
    static bool whitish(const GfxRGB& c) {
        return colToDbl(c.r) > kWhite && colToDbl(c.g) > kWhite && colToDbl(c.b) > kWhite;
    }
    void add_path(GfxState* state, bool filled) {
        GfxRGB rgb;
        if (filled) state->getFillRGB(&rgb);
        else state->getStrokeRGB(&rgb);
        if (whitish(rgb)) return;
        const GfxPath* path = state->getPath();
        for (int s = 0; s < path->getNumSubpaths() && !too_many; ++s) {
            const GfxSubpath* sub = path->getSubpath(s);
            int n = sub->getNumPoints();
            std::vector<std::pair<double, double>> pts;
            pts.reserve(static_cast<size_t>(n));
            bool curved = false;
            for (int i = 0; i < n; ++i) {
                curved = curved || sub->getCurve(i);
                double x, y;
                state->transform(sub->getX(i), sub->getY(i), &x, &y);
                pts.emplace_back(x, y);
            }
            if (curved || pts.size() < 2) continue;
            if (!filled) {
                for (size_t i = 1; i < pts.size(); ++i) add(pts[i - 1].first, pts[i - 1].second, pts[i].first, pts[i].second);
                if (sub->isClosed()) add(pts.back().first, pts.back().second, pts.front().first, pts.front().second);
                continue;
            }
            // A filled rectangle (four corners, perhaps the first repeated)
            // thin enough to be a line is drawn as its centre line.
            if (pts.size() < 4 || pts.size() > 5) continue;
            double x0 = pts[0].first, x1 = x0, y0 = pts[0].second, y1 = y0;
            for (const auto& [x, y] : pts) {
                x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
            }
            bool rectangle = true;
            for (const auto& [x, y] : pts) {
                bool on_x = std::abs(x - x0) <= kAxisTolerance || std::abs(x - x1) <= kAxisTolerance;
                bool on_y = std::abs(y - y0) <= kAxisTolerance || std::abs(y - y1) <= kAxisTolerance;
                rectangle = rectangle && on_x && on_y;
            }
            double w = x1 - x0, h = y1 - y0;
            if (!rectangle || std::min(w, h) > kMaxRuleThickness || std::max(w, h) < 1) continue;
            if (w >= h) add(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2);
            else add((x0 + x1) / 2, y0, (x0 + x1) / 2, y1);
        }
    }
};

// True when a page (or a form it draws, a few levels down) uses an image:
// a page with no text that draws one is a scan; one that draws none is blank.
bool draws_image(Dict* resources, int depth = 0) {
    if (!resources || depth > 3) return false;
    Object xobjects = resources->lookup("XObject");
    if (!xobjects.isDict()) return false;
    Dict* dict = xobjects.getDict();
    for (int k = 0; k < dict->getLength(); ++k) {
        Object x = dict->getVal(k);
        if (!x.isStream()) continue;
        Dict* sd = x.streamGetDict();
        Object subtype = sd->lookup("Subtype");
        if (subtype.isName("Image")) return true;
        if (subtype.isName("Form")) {
            Object res = sd->lookup("Resources");
            if (res.isDict() && draws_image(res.getDict(), depth + 1)) return true;
        }
    }
    return false;
}

}  // namespace

bool looks_like_pdf(std::string_view bytes) {
    // The header opens the file, perhaps after white space or a BOM; a text
    // that mentions "%PDF-" further in is still a text.
    size_t i = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    while (i < bytes.size() && i < 1024 && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) ++i;
    return bytes.substr(i, 5) == "%PDF-";
}

// What was found on each page read, for the notes on any run of pages.
struct PageTally {
    size_t words = 0, vertical = 0, radicals = 0;
    bool rules_dropped = false;
    bool ocr_tried = false;
    std::optional<OcrPage> ocr;
};

struct PdfReader::Impl {
    // The file's bytes (in memory: the caller's; from a file: Poppler reads
    // it as it goes, so a long file is never held whole).
    std::string_view bytes;
    std::string path;
    std::string password;
    OcrOptions ocr;
    std::string messages;
    std::unique_ptr<PDFDoc> core;
    std::unique_ptr<poppler::document> render_doc;  // opened for the first page read by OCR
    std::unique_ptr<poppler::page_renderer> renderer;
    std::vector<PageTally> tally;
    int pages = 0;

    std::optional<Error> ocr_page(int number, PdfPage& page, PdfText& out);
};

PdfReader::PdfReader() : impl_(std::make_unique<Impl>()) {}
PdfReader::~PdfReader() = default;

namespace {

// The last KiB of a file, where a complete PDF has its %%EOF.
std::string file_tail(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return {};
    std::streamoff size = in.tellg();
    std::streamoff from = size > 1024 ? size - 1024 : 0;
    in.seekg(from);
    std::string tail(static_cast<size_t>(size - from), '\0');
    in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
    tail.resize(static_cast<size_t>(in.gcount()));
    return tail;
}

// Does the file name an /Encrypt dictionary? Read only when it fails to open.
bool file_mentions_encrypt(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string chunk(1 << 20, '\0'), carry;
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        std::string window = carry + chunk.substr(0, static_cast<size_t>(in.gcount()));
        if (window.find("/Encrypt") != std::string::npos) return true;
        carry = window.size() >= 8 ? window.substr(window.size() - 8) : window;
    }
    return false;
}

}  // namespace

Result<std::unique_ptr<PdfReader>> PdfReader::open_source(std::string_view bytes, const std::string* path,
                                                          const std::optional<std::string>& password, const OcrOptions& ocr) {
    install_error_sink();
    std::unique_ptr<PdfReader> reader(new PdfReader());
    Impl& d = *reader->impl_;
    d.bytes = bytes;
    d.path = path ? *path : std::string();
    d.password = password.value_or("");
    d.ocr = ocr;
    MessageScope scope(&d.messages);
    // A complete PDF ends with %%EOF (perhaps followed by white space).
    std::string tail = path ? file_tail(*path) : std::string(bytes.substr(bytes.size() > 1024 ? bytes.size() - 1024 : 0));
    if (tail.find("%%EOF") == std::string::npos) return Error{ErrorCode::pdf_truncated, "PDF is truncated (no %%EOF at the end)"};
    if (!path && bytes.size() > static_cast<size_t>(INT32_MAX)) return Error{ErrorCode::pdf_damaged, "PDF too large"};
    // Poppler's core opens the document once: the checks below are those of
    // the C++ wrapper's document::load_from_raw_data() and is_locked(), and
    // the same document is then read page by page.
    if (path)
        d.core = std::make_unique<PDFDoc>(std::make_unique<GooString>(*path), GooString(d.password), GooString(d.password));
    else
        d.core = std::make_unique<PDFDoc>(new MemStream(bytes.data(), 0, static_cast<Goffset>(bytes.size()), Object(objNull)),
                                          GooString(d.password), GooString(d.password));
    PDFDoc& core = *d.core;
    if (!core.isOk()) {
        if (core.getErrorCode() == errEncrypted) {
            if (password) return Error{ErrorCode::pdf_bad_password, "the password does not open this encrypted PDF"};
            return Error{ErrorCode::pdf_encrypted, "PDF is encrypted; give its user password with --password"};
        }
        bool encrypted = d.messages.find("ncrypt") != std::string::npos || d.messages.find("assword") != std::string::npos;
        if (encrypted || (path ? file_mentions_encrypt(*path) : bytes.find("/Encrypt") != std::string_view::npos)) {
            if (password) return Error{ErrorCode::pdf_bad_password, "the password does not open this encrypted PDF"};
            return Error{ErrorCode::pdf_encrypted, "PDF is encrypted; give its user password with --password"};
        }
        return Error{ErrorCode::pdf_damaged, "PDF cannot be opened" + first_message(d.messages)};
    }
    d.pages = core.getNumPages();
    if (d.pages <= 0) return Error{ErrorCode::pdf_no_pages, "PDF has no pages"};
    if (d.pages > kMaxPages)
        return Error{ErrorCode::too_many_pages, "PDF has " + std::to_string(d.pages) + " pages, more than " + std::to_string(kMaxPages)};
    d.tally.resize(static_cast<size_t>(d.pages));
    return reader;
}

Result<std::unique_ptr<PdfReader>> PdfReader::open(std::string_view bytes, const std::optional<std::string>& password,
                                                   const OcrOptions& ocr) {
    return open_source(bytes, nullptr, password, ocr);
}

Result<std::unique_ptr<PdfReader>> PdfReader::open_file(const std::string& path, const std::optional<std::string>& password,
                                                        const OcrOptions& ocr) {
    return open_source({}, &path, password, ocr);
}

int PdfReader::page_count() const { return impl_->pages; }

// Reads one page by OCR, in place of its text layer.
std::optional<Error> PdfReader::Impl::ocr_page(int number, PdfPage& page, PdfText& out) {
    PageTally& t = tally[static_cast<size_t>(number - 1)];
    t.ocr_tried = true;
    auto engine = thread_ocr_engine(ocr.language);
    if (!engine.ok()) return engine.error();
    int dpi = ocr.dpi > 0 ? ocr.dpi : kOcrDpi;
    double px_w = page.width * dpi / 72.0, px_h = page.height * dpi / 72.0;
    if (px_w * px_h > kMaxOcrPixels || px_w < 1 || px_h < 1) {
        Error e{ErrorCode::page_too_large,
                "page " + std::to_string(number) + " is " + std::to_string(static_cast<long>(page.width / 72 * 25.4)) + " x " +
                    std::to_string(static_cast<long>(page.height / 72 * 25.4)) + " mm; at " + std::to_string(dpi) +
                    " dpi its image for OCR would exceed " + std::to_string(static_cast<long>(kMaxOcrPixels / 1e6)) + " million pixels"};
        e.page = number;
        return e;
    }
    if (!render_doc) {
        render_doc.reset(path.empty() ? poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size()), password, password)
                                      : poppler::document::load_from_file(path, password, password));
        if (!render_doc) return Error{ErrorCode::pdf_damaged, "PDF cannot be opened for OCR"};
        renderer = std::make_unique<poppler::page_renderer>();
        renderer->set_image_format(poppler::image::format_gray8);
        renderer->set_render_hints(poppler::page_renderer::antialiasing | poppler::page_renderer::text_antialiasing);
    }
    std::unique_ptr<poppler::page> p(render_doc->create_page(number - 1));
    if (!p) return std::nullopt;
    poppler::image img = renderer->render_page(p.get(), dpi, dpi);
    if (!img.is_valid() || img.format() != poppler::image::format_gray8) return std::nullopt;
    GreyImage grey{reinterpret_cast<const unsigned char*>(img.const_data()), img.width(), img.height(),
                   static_cast<size_t>(img.bytes_per_row())};
    OcrPageResult r = engine.value()->recognise(grey, dpi, page.width, page.height);
    page.words = std::move(r.page.words);
    page.rules = std::move(r.page.rules);
    // Text-layer words of this page in vertical writing are read again by OCR.
    std::erase_if(out.unplaced, [&](const Unassigned& u) { return u.provenance.page == number; });
    t.vertical = 0;
    t.ocr = OcrPage{number, std::round(r.confidence * 10) / 10, std::round(r.skew_degrees * 100) / 100};
    return std::nullopt;
}

std::optional<Error> PdfReader::read_page(int number, PdfText& out) {
    Impl& d = *impl_;
    if (number < 1 || number > d.pages) return Error{ErrorCode::internal_error, "no page " + std::to_string(number)};
    MessageScope scope(&d.messages);
    PDFDoc& core = *d.core;
    PageTally& t = d.tally[static_cast<size_t>(number - 1)];
    PdfPage p;
    p.width = core.getPageMediaWidth(number);
    p.height = core.getPageMediaHeight(number);
    PageReader reader;
    core.displayPageSlice(&reader, number, 72, 72, 0, false, false, false, -1, -1, -1, -1);
    std::unique_ptr<TextWordList> list = reader.makeWordList();
    int count = list ? list->getLength() : 0;
    // Poppler's own count: glyphs under 3 x 3 points, and the spaces
    // between them (it counts a space before skipping it). In raw order
    // a word ends at a space or at a gap: each tiny word counts one
    // space after it, so the estimate errs towards refusing.
    size_t tiny = 0;
    for (int k = 0; k < count; ++k) {
        const TextWord* word = list->get(k);
        double x0, y0, x1, y1;
        word->getBBox(&x0, &y0, &x1, &y1);
        if (y1 - y0 >= 3) continue;  // no glyph in it is tiny
        for (int c = 0; c < word->getLength(); ++c) {
            word->getCharBBox(c, &x0, &y0, &x1, &y1);
            tiny += x1 - x0 < 3 && y1 - y0 < 3;
        }
        ++tiny;
    }
    if (tiny >= kMaxTinyCharsPerPage) {
        Error e{ErrorCode::too_much_text, "page " + std::to_string(number) + " holds about " + std::to_string(tiny) +
                                              " characters smaller than 3 points; Poppler drops any past 50,000, so the page cannot be read whole"};
        e.page = number;
        return e;
    }
    p.words.reserve(static_cast<size_t>(count));
    std::vector<WordMetrics> metrics;
    metrics.reserve(static_cast<size_t>(count));
    for (int k = 0; k < count; ++k) {
        const TextWord* word = list->get(k);
        std::unique_ptr<GooString> text(word->getText());
        PdfWord w;
        w.text.assign(text->c_str(), static_cast<size_t>(text->getLength()));
        if (w.text.empty()) continue;
        t.radicals += text::unify_shared_glyphs(w.text);
        double x0, y0, x1, y1;
        word->getBBox(&x0, &y0, &x1, &y1);
        // Vertical writing, told by shape (the writing mode needs font
        // details): several CJK glyphs stacked in a box taller than wide.
        if (y1 - y0 > 1.5 * (x1 - x0) && word->getLength() >= 2 && text::starts_cjk(w.text)) {
            ++t.vertical;
            Provenance prov{number, 0, 0, std::array<double, 4>{x0, y0, x1, y1}};
            out.unplaced.push_back(Unassigned{std::move(w.text), prov});
            continue;
        }
        w.x0 = x0, w.y0 = y0, w.x1 = x1, w.y1 = y1;
        p.words.push_back(std::move(w));
        metrics.push_back(WordMetrics{word->getFontSize(), word->getBaseline()});
    }
    list.reset();
    finish_words(p.words, metrics);
    if (reader.too_many) t.rules_dropped = true;
    else p.rules = std::move(reader.rules);
    // A damaged page tree can give no Page for a page number it counts.
    Page* core_page = p.words.empty() && d.ocr.mode == OcrMode::automatic ? core.getPage(number) : nullptr;
    bool scan = core_page && draws_image(core_page->getResourceDict());
    if (d.ocr.mode == OcrMode::always || scan) {
        if (auto e = d.ocr_page(number, p, out)) return e;
    }
    t.words = p.words.size();
    out.pages.push_back(std::move(p));
    return std::nullopt;
}

void PdfReader::notes_for(int first, int last, PdfText& out) const {
    const Impl& d = *impl_;
    size_t vertical = 0, radicals = 0, dropped = 0;
    int first_dropped = 0;
    bool ocr_tried = false;
    OcrSource source{"tesseract", OcrEngine::version(), d.ocr.language, d.ocr.dpi > 0 ? d.ocr.dpi : kOcrDpi, {}};
    for (int n = std::max(first, 1); n <= std::min(last, d.pages); ++n) {
        const PageTally& t = d.tally[static_cast<size_t>(n - 1)];
        vertical += t.vertical, radicals += t.radicals;
        if (t.rules_dropped && dropped++ == 0) first_dropped = n;
        ocr_tried = ocr_tried || t.ocr_tried;
        if (t.ocr) source.pages.push_back(*t.ocr);
    }
    if (ocr_tried) {
        for (const OcrPage& p : source.pages) {
            // The whole page as the box: a message names a PDF's page by its box.
            const double page_w = d.core->getPageMediaWidth(p.page), page_h = d.core->getPageMediaHeight(p.page);
            if (p.confidence < kLowConfidence) {
                std::ostringstream c;
                c.imbue(std::locale::classic());
                c << p.confidence;
                out.notes.push_back(Diagnostic{Severity::warning, "ocr-low-confidence",
                                               "page " + std::to_string(p.page) + " was read by OCR with a mean word confidence of " +
                                                   c.str() + " (under " + std::to_string(static_cast<int>(kLowConfidence)) +
                                                   "): check its text against the page",
                                               Provenance{p.page, 0, 0, std::array<double, 4>{0, 0, page_w, page_h}, std::nullopt}});
            }
        }
        out.notes.push_back(Diagnostic{Severity::info, "ocr",
                                       std::to_string(source.pages.size()) + " page(s) read by OCR (Tesseract " + source.version + ", " +
                                           source.language + ", " + std::to_string(source.dpi) + " dpi)",
                                       std::nullopt});
        out.ocr = std::move(source);
    }
    if (vertical > 0) {
        out.notes.push_back(Diagnostic{Severity::warning, "vertical-text",
                                       std::to_string(vertical) + " words in vertical writing mode cannot be placed; kept in unassigned",
                                       std::nullopt});
    }
    if (radicals > 0) {
        out.notes.push_back(Diagnostic{Severity::info, "shared-glyphs-unified",
                                       std::to_string(radicals) +
                                           " characters that the fonts' Unicode maps give as radicals or as a hyphenation point read as the ideographs and middle dots they draw (⾏ as 行, ‧ as ・)",
                                       std::nullopt});
    }
    if (dropped > 0) {
        out.notes.push_back(Diagnostic{Severity::warning, "too-many-rules",
                                       std::to_string(dropped) + " page(s) draw more than " + std::to_string(kMaxRulesPerPage) +
                                           " straight lines (first: page " + std::to_string(first_dropped) +
                                           "); their tables are read from alignment, not from drawn borders",
                                       Provenance{first_dropped, 0, 0, std::nullopt}});
    }
}

std::optional<Error> PdfReader::finish() const {
    const Impl& d = *impl_;
    size_t words = 0;
    bool ocr_tried = false;
    for (const PageTally& t : d.tally) words += t.words, ocr_tried = ocr_tried || t.ocr_tried;
    if (words > 0) return std::nullopt;
    if (d.ocr.mode == OcrMode::never)
        return Error{ErrorCode::no_text_layer, "PDF has no text layer (scanned images?); read it with --ocr auto"};
    if (ocr_tried) return Error{ErrorCode::no_text_layer, "PDF has no text layer and OCR found no text on its pages"};
    return Error{ErrorCode::no_text_layer, "PDF has no text layer and draws no image to read by OCR"};
}

Result<PdfText> read_pdf(std::string_view bytes, const std::optional<std::string>& password, const OcrOptions& ocr) {
    auto reader = PdfReader::open(bytes, password, ocr);
    if (!reader.ok()) return reader.error();
    PdfText out;
    int n = reader.value()->page_count();
    for (int i = 1; i <= n; ++i)
        if (auto e = reader.value()->read_page(i, out)) return *e;
    if (auto e = reader.value()->finish()) return *e;
    reader.value()->notes_for(1, n, out);
    return out;
}

}  // namespace hoshin::ingest
