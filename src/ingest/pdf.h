// ingest (PDF): Poppler -> pages of positioned words and drawn rules. The C++
// API opens and checks the document; one pass of Poppler's own TextOutputDev
// per page (the words page::text_list() gives) also sees every stroke and
// fill, so the straight segments that draw table borders come in the same
// pass as the text (layout/lattice.h rebuilds cells from them).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoshin/convert.h"
#include "model/document.h"
#include "model/error.h"

namespace hoshin::ingest {

struct PdfWord {
    std::string text;  // UTF-8, as Poppler gives it
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // points, origin top-left
    bool space_after = false;
    float confidence = -1;  // OCR: Tesseract's 0-100 for the word; -1 for a text layer's
};

// A straight, axis-aligned segment of the page's drawing: a stroked line or
// the centre line of a thin filled rectangle (browsers draw borders so).
// Points, origin top-left; x0 <= x1, y0 <= y1, and x0 == x1 or y0 == y1.
struct PdfRule {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool horizontal() const { return y0 == y1; }
    bool operator==(const PdfRule&) const = default;
};

struct PdfPage {
    double width = 0, height = 0;  // points; the outer bands of a page hold its furniture
    std::vector<PdfWord> words;
    std::vector<PdfRule> rules;
};

struct PdfText {
    int first_page = 1;  // the number of pages[0]: a part of a file is laid out on its own
    std::vector<PdfPage> pages;
    std::optional<OcrSource> ocr;     // pages read by OCR, if any
    std::vector<Diagnostic> notes;    // e.g. vertical text found
    std::vector<Unassigned> unplaced;  // text the layout cannot place (vertical writing)
};

// Limits on what a PDF can make us do.
inline constexpr int kMaxPages = 2000;
// Tiny characters (under 3 points both ways, spaces included) on one page.
// Poppler keeps 50,000 of them and drops any more without a word, so a page
// near that count is refused rather than read in part. Text of a readable
// size has no such cap (a dense A4 page holds about 5,000 characters). The
// count hoshin can see misses runs of several spaces, hence the margin.
inline constexpr size_t kMaxTinyCharsPerPage = 49000;
// Rules kept per page. A page of tables draws a few hundred; a page drawn
// with more (a chart, a hatching, a hostile file) keeps its text in stream
// layout instead of feeding the quadratic cell finder.
inline constexpr size_t kMaxRulesPerPage = 4000;
// A filled rectangle thinner than this (points) is a drawn line; thicker
// ones are shading, not borders.
inline constexpr double kMaxRuleThickness = 2.5;

// True when the bytes open with a PDF header (after white space or a BOM at most).
bool looks_like_pdf(std::string_view bytes);

// A PDF read a page at a time, so a long file is never held whole: open()
// checks the document; read_page() appends each page (in order) to a
// PdfText; notes_for() gives the notes on any run of pages read; finish()
// says whether the file had any text at all. Error codes as read_pdf's.
class PdfReader {
public:
    // The bytes must outlive the reader.
    static Result<std::unique_ptr<PdfReader>> open(std::string_view bytes, const std::optional<std::string>& password,
                                                   const OcrOptions& ocr = {});
    // Poppler reads the file as it needs it.
    static Result<std::unique_ptr<PdfReader>> open_file(const std::string& path, const std::optional<std::string>& password,
                                                        const OcrOptions& ocr = {});
    ~PdfReader();
    PdfReader(const PdfReader&) = delete;
    PdfReader& operator=(const PdfReader&) = delete;

    int page_count() const;
    // Page `number` (1-based): its words and rules appended to out.pages,
    // its words in vertical writing to out.unplaced; read by OCR as the
    // options say.
    std::optional<Error> read_page(int number, PdfText& out);
    // The notes (OCR, vertical text, shared glyphs, dropped rules) and the
    // OCR source of pages first..last, into out.notes and out.ocr.
    void notes_for(int first, int last, PdfText& out) const;
    // After the last page: no-text-layer when no page gave a word.
    std::optional<Error> finish() const;

private:
    struct Impl;
    PdfReader();
    static Result<std::unique_ptr<PdfReader>> open_source(std::string_view bytes, const std::string* path,
                                                          const std::optional<std::string>& password, const OcrOptions& ocr);
    std::unique_ptr<Impl> impl_;
};

// Error codes: pdf-truncated, pdf-damaged, pdf-encrypted (a user password is
// needed), pdf-bad-password, pdf-no-pages, too-many-pages, too-much-text (tiny
// characters on one page), no-text-layer; with OCR also ocr-unavailable and
// page-too-large. Pages are read by OCR as `ocr.mode` says (ingest/ocr.h).
Result<PdfText> read_pdf(std::string_view bytes, const std::optional<std::string>& password,
                         const OcrOptions& ocr = {});

}  // namespace hoshin::ingest
