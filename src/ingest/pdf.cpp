#include "ingest/pdf.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <memory>
#include <mutex>

#include "text/normalize.h"

namespace hoshin::ingest {
namespace {

// Poppler's error callback is process-wide; the messages of the document
// being loaded on this thread are collected here.
thread_local std::string* t_poppler_messages = nullptr;

void on_poppler_message(const std::string& message, void*) {
    if (t_poppler_messages && t_poppler_messages->size() < 4096) {
        if (!t_poppler_messages->empty()) *t_poppler_messages += "; ";
        *t_poppler_messages += message;
    }
}

void install_error_sink() {
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function(on_poppler_message, nullptr); });
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

}  // namespace

bool looks_like_pdf(std::string_view bytes) {
    // The header opens the file, perhaps after white space or a BOM; a text
    // that mentions "%PDF-" further in is still a text.
    size_t i = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    while (i < bytes.size() && i < 1024 && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) ++i;
    return bytes.substr(i, 5) == "%PDF-";
}

Result<PdfText> read_pdf(std::string_view bytes, const std::optional<std::string>& password) {
    install_error_sink();
    std::string messages;
    MessageScope scope(&messages);
    // A complete PDF ends with %%EOF (perhaps followed by white space).
    if (bytes.substr(bytes.size() > 1024 ? bytes.size() - 1024 : 0).find("%%EOF") == std::string_view::npos)
        return Error{"pdf-truncated", "PDF is truncated (no %%EOF at the end)"};
    if (bytes.size() > static_cast<size_t>(INT32_MAX)) return Error{"pdf-damaged", "PDF too large"};
    std::string pw = password.value_or("");
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size()), pw, pw));
    if (!doc) {
        bool encrypted = messages.find("ncrypt") != std::string::npos || messages.find("assword") != std::string::npos;
        if (encrypted || bytes.find("/Encrypt") != std::string_view::npos) {
            if (password) return Error{"pdf-bad-password", "the password does not open this encrypted PDF"};
            return Error{"pdf-encrypted", "PDF is encrypted; give its user password with --password"};
        }
        return Error{"pdf-damaged", "PDF cannot be opened" + first_message(messages)};
    }
    if (doc->is_locked()) {
        if (password) return Error{"pdf-bad-password", "the password does not open this encrypted PDF"};
        return Error{"pdf-encrypted", "PDF is encrypted; give its user password with --password"};
    }
    int n = doc->pages();
    if (n <= 0) return Error{"pdf-no-pages", "PDF has no pages"};
    if (n > kMaxPages) return Error{"too-many-pages", "PDF has " + std::to_string(n) + " pages, more than " + std::to_string(kMaxPages)};
    PdfText out;
    size_t total_words = 0, vertical = 0;
    for (int i = 0; i < n; ++i) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        PdfPage p;
        if (!page) {
            out.pages.push_back(std::move(p));
            continue;
        }
        poppler::rectf box = page->page_rect(poppler::media_box);
        p.height = box.height();
        // Without text_list_include_font: font details cost a third more time
        // and the layout needs none of them.
        std::vector<poppler::text_box> boxes = page->text_list();
        p.words.reserve(boxes.size());
        // Poppler's own count: glyphs under 3 x 3 points, and the spaces
        // between them (it counts a space before skipping it).
        size_t tiny = 0;
        for (const poppler::text_box& b : boxes) {
            if (b.bbox().height() >= 3) continue;  // no glyph in it is tiny
            size_t glyphs = b.text().size();
            for (size_t k = 0; k < glyphs; ++k) {
                poppler::rectf c = b.char_bbox(k);
                tiny += c.width() < 3 && c.height() < 3;
            }
            tiny += b.has_space_after();
        }
        if (tiny >= kMaxTinyCharsPerPage) {
            Error e{"too-much-text", "page " + std::to_string(i + 1) + " holds about " + std::to_string(tiny) +
                                         " characters smaller than 3 points; Poppler drops any past 50,000, so the page cannot be read whole"};
            e.page = i + 1;
            return e;
        }
        for (const poppler::text_box& b : boxes) {
            poppler::byte_array utf8 = b.text().to_utf8();
            PdfWord w;
            w.text.assign(utf8.begin(), utf8.end());
            if (w.text.empty()) continue;
            poppler::rectf r = b.bbox();
            // Vertical writing, told by shape (the writing mode needs font
            // details): several CJK glyphs stacked in a box taller than wide.
            if (r.height() > 1.5 * r.width() && b.text().size() >= 2 && text::starts_cjk(w.text)) {
                ++vertical;
                Provenance prov{i + 1, 0, 0, std::array<double, 4>{r.left(), r.top(), r.right(), r.bottom()}};
                out.unplaced.push_back(Unassigned{std::move(w.text), prov});
                continue;
            }
            w.x0 = r.left();
            w.y0 = r.top();
            w.x1 = r.right();
            w.y1 = r.bottom();
            w.space_after = b.has_space_after();
            p.words.push_back(std::move(w));
        }
        total_words += p.words.size();
        out.pages.push_back(std::move(p));
    }
    if (total_words == 0) {
        return Error{"no-text-layer",
                     "PDF has no text layer (scanned images?); it needs OCR before hoshin can read it"};
    }
    if (vertical > 0) {
        out.notes.push_back(Diagnostic{Severity::warning, "vertical-text",
                                       std::to_string(vertical) + " words in vertical writing mode cannot be placed; kept in unassigned",
                                       std::nullopt});
    }
    return out;
}

}  // namespace hoshin::ingest
