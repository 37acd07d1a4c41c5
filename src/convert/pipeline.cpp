// The pipeline: a file's bytes -> pages -> rows -> documents. A text
// edition is decoded and split into rows; a PDF is read a page at a time and
// laid out and parsed one department (a part) at a time (PdfParts), and the
// documents are assembled in order, covers and indexes kept (Assembler).
#include "convert/pipeline.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <set>

#include "ingest/decode.h"
#include "ingest/pdf.h"
#include "ingest/sha256.h"
#include "io/files.h"
#include "layout/inspect.h"
#include "layout/pdf_layout.h"
#include "layout/rows.h"
#include "parse/parser.h"
#include "text/normalize.h"

namespace hoshin {
namespace fs = std::filesystem;

bool valid_municipality_code(std::string_view code) {
    if (code.size() != 6) return false;
    int sum = 0;
    for (size_t i = 0; i < 6; ++i) {
        if (code[i] < '0' || code[i] > '9') return false;
        if (i < 5) sum += (code[i] - '0') * static_cast<int>(6 - i);
    }
    return (11 - sum % 11) % 10 == code[5] - '0';
}

namespace {

// File names are bytes; documents are UTF-8. Invalid sequences become U+FFFD
// here, once, so the JSON and XML writers see the same valid text.
std::string utf8_path(const fs::path& path) { return text::to_valid_utf8(path.generic_string()); }

// The caller's municipality wins over the inferred one.
void apply_municipality(Document& doc, const ConvertOptions& options) {
    if (options.municipality_name) {
        doc.municipality.name = options.municipality_name;
        std::erase_if(doc.diagnostics, [](const Diagnostic& d) { return d.code == "municipality-inferred"; });
    }
    if (options.municipality_code) doc.municipality.code = options.municipality_code;
}

// Makes a file's documents from its parts, in order. A compiled file holds
// several departments; a range of rows in between that is no department's
// policy (a cover, an index) is kept as unassigned text of the document
// before it (a cover's, of the first one). So a document is handed on only
// once the range after it is known.
class Assembler {
public:
    Assembler(const ConvertOptions& options, const DocumentSink& each) : options_(options), each_(each) {}

    // One part's rows split into ranges and parsed (parse::split_documents),
    // with the source, the notes and the unplaced text of its pages (from
    // `first_page` on).
    std::optional<Error> add(const std::vector<layout::Row>& rows, const std::vector<std::pair<size_t, size_t>>& ranges,
                             std::vector<Result<Document>>& parsed, const Source& source, const std::vector<Diagnostic>& notes,
                             const std::vector<Unassigned>& unplaced, int first_page) {
        for (size_t k = 0; k < ranges.size(); ++k) {
            const auto [begin, end] = ranges[k];
            // This range's pages, for the text the layout could not place.
            int from = k == 0 ? first_page : rows[begin].page;
            int to = k + 1 == ranges.size() ? INT32_MAX : rows[end - 1].page;
            if (k + 1 < ranges.size() && rows[ranges[k + 1].first].page == to) --to;
            std::vector<Unassigned> placed;
            for (const Unassigned& u : unplaced)
                if (u.provenance.page >= from && u.provenance.page <= to) placed.push_back(u);
            if (!parsed[k].ok()) {
                if (parsed[k].error().code != ErrorCode::not_a_policy_document) return parsed[k].error();
                if (!first_error_) first_error_ = parsed[k].error();
                std::vector<layout::Row> part(rows.begin() + static_cast<std::ptrdiff_t>(begin), rows.begin() + static_cast<std::ptrdiff_t>(end));
                if (!last_) {
                    cover_.insert(cover_.end(), part.begin(), part.end());
                    cover_unplaced_.insert(cover_unplaced_.end(), placed.begin(), placed.end());
                } else {
                    keep_unassigned(*last_, part, false);
                    place(*last_, placed, rows, begin, end);
                }
                continue;
            }
            Document doc = std::move(parsed[k].value());
            doc.source = source;
            doc.diagnostics.insert(doc.diagnostics.begin(), notes.begin(), notes.end());
            apply_municipality(doc, options_);
            place(doc, cover_unplaced_, rows, begin, end);
            place(doc, placed, rows, begin, end);
            cover_unplaced_.clear();
            if (!cover_.empty()) {
                keep_unassigned(doc, cover_, true);
                cover_.clear();
            }
            if (last_) hand_on();
            last_ = std::move(doc);
        }
        return std::nullopt;
    }

    // After the last part: the number of documents handed on.
    Result<size_t> finish() {
        if (last_) hand_on();
        // No part is a department's policy: the file is not one (with one
        // range, its own error).
        if (handed_ == 0 && first_error_) return *first_error_;
        return handed_;
    }

private:
    void hand_on() {
        each_(std::move(*last_));
        last_.reset();
        ++handed_;
    }
    // Text the layout could not place, at the line of the first row on its page.
    static void place(Document& doc, const std::vector<Unassigned>& unplaced, const std::vector<layout::Row>& rows, size_t begin,
                      size_t end) {
        for (const Unassigned& u : unplaced) {
            Unassigned kept = u;
            auto first = rows.begin() + static_cast<std::ptrdiff_t>(begin), last = rows.begin() + static_cast<std::ptrdiff_t>(end);
            auto on_page = std::find_if(first, last, [&](const layout::Row& r) { return r.page >= u.provenance.page; });
            int line = on_page != last ? on_page->line : first != last ? std::prev(last)->line : 0;
            kept.provenance.line_start = kept.provenance.line_end = line;
            doc.unassigned.push_back(std::move(kept));
        }
    }
    static void keep_unassigned(Document& doc, const std::vector<layout::Row>& rows, bool before) {
        std::vector<Unassigned> kept;
        for (const layout::Row& r : rows)
            if (!r.blank() && !r.rule()) kept.push_back(Unassigned{r.joined(), r.provenance()});
        if (kept.empty()) return;
        doc.diagnostics.push_back(Diagnostic{
            Severity::warning, "unassigned-text",
            "pages " + std::to_string(rows.front().page) + "-" + std::to_string(rows.back().page) +
                " hold no department's policy (a cover or an index?): text kept in unassigned",
            kept.front().provenance});
        doc.unassigned.insert(before ? doc.unassigned.begin() : doc.unassigned.end(), kept.begin(), kept.end());
    }

    const ConvertOptions& options_;
    const DocumentSink& each_;
    std::optional<Document> last_;
    std::vector<layout::Row> cover_;
    std::vector<Unassigned> cover_unplaced_;
    std::optional<Error> first_error_;
    size_t handed_ = 0;
};

const parse::Profile& profile_of(const ConvertOptions& options) {
    return options.profile ? *options.profile : parse::default_profile();
}

// Splits rows into departments and parses each.
std::vector<Result<Document>> parse_ranges(const std::vector<layout::Row>& rows, const std::vector<std::pair<size_t, size_t>>& ranges,
                                           const parse::Profile& profile) {
    std::vector<Result<Document>> parsed;
    for (const auto& [begin, end] : ranges) {
        std::vector<layout::Row> part(rows.begin() + static_cast<std::ptrdiff_t>(begin), rows.begin() + static_cast<std::ptrdiff_t>(end));
        parsed.push_back(parse::parse(part, profile));
    }
    return parsed;
}

}  // namespace

Result<std::vector<Document>> documents_from_rows(const layout::Pages& pages, const Source& source,
                                                  const ConvertOptions& options) {
    std::vector<Document> docs;
    DocumentSink collect = [&](Document&& d) { docs.push_back(std::move(d)); };
    Assembler assembler(options, collect);
    const parse::Profile& profile = profile_of(options);
    auto ranges = parse::split_documents(pages.rows, profile);
    auto parsed = parse_ranges(pages.rows, ranges, profile);
    if (auto e = assembler.add(pages.rows, ranges, parsed, source, {}, {}, 1)) return *e;
    auto n = assembler.finish();
    if (!n.ok()) return n.error();
    return docs;
}

Result<Document> convert_text(std::string_view bytes, const std::string& path, const ConvertOptions& options) {
    auto decoded = ingest::decode(bytes, options.encoding);
    if (!decoded.ok()) return decoded.error();
    auto pages = layout::rows_from_text(decoded->utf8);
    if (!pages.ok()) return pages.error();
    auto parsed = parse::parse(pages->rows, profile_of(options));
    if (!parsed.ok()) return parsed.error();
    Document& doc = parsed.value();
    doc.source = Source{path, "text", ingest::sha256_hex(bytes), decoded->encoding, pages->page_count};
    if (decoded->replaced > 0) {
        // Damaged UTF-8: said once, at the first damaged line, naming the others.
        const std::vector<int>& lines = decoded->replaced_lines;
        std::string where;
        for (size_t k = 0; k < lines.size() && k < 10; ++k) where += (k ? ", " : "") + std::to_string(lines[k]);
        if (lines.size() > 10) where += " and " + std::to_string(lines.size() - 10) + " more";
        int first = lines.empty() ? 1 : lines.front();
        doc.diagnostics.insert(doc.diagnostics.begin(),
                               Diagnostic{Severity::warning, "invalid-utf8",
                                          std::to_string(decoded->replaced) +
                                              " invalid UTF-8 byte sequence(s) replaced with U+FFFD on line(s) " + where,
                                          Provenance{0, first, first, std::nullopt}});
    }
    apply_municipality(doc, options);
    return std::move(doc);
}

namespace {

// A PDF is read, laid out and parsed a part at a time, so memory does not
// grow with its length: a compiled booklet's departments each start a page
// whose first line of text (after any running header) holds a title marker.
// Such a page starts a part. The document-wide measures of the layout (cell
// slots, line pitch, running headers) are then taken over a part's pages.
// A part is kept until the next one is known to start a department: if it
// does not (its first rows are no department's policy: a header that runs
// from the second page on, an index page), the two are laid out again as one
// and split as the whole file would be.
struct PdfPart {
    ingest::PdfText pdf;  // the part's pages, kept until the part is handed on
    layout::Pages pages;  // rows numbered on from the parts before
    std::vector<std::pair<size_t, size_t>> ranges;
    std::vector<Result<Document>> parsed;
    std::vector<Diagnostic> notes;
    std::optional<OcrSource> ocr;
    int last_page() const { return pdf.first_page + static_cast<int>(pdf.pages.size()) - 1; }
};

// Does a match key hold one of the profile's title markers?
bool title_like(const std::string& key, const parse::Profile& profile) {
    return std::any_of(profile.title_markers.begin(), profile.title_markers.end(),
                       [&](const std::string& m) { return !m.empty() && key.find(m) != std::string::npos; });
}

// Does a part laid out start a department, as parse::split_documents would
// have split the whole file there: its first row (running headers and page
// numbers left out) is a title, and what follows parses as a department or
// fails for another reason than being none?
bool starts_department(const PdfPart& part, const parse::Profile& profile) {
    const auto& rows = part.pages.rows;
    auto first = std::find_if(rows.begin(), rows.end(), [](const layout::Row& r) { return !r.blank(); });
    if (first == rows.end() || first->page != part.pdf.first_page) return false;
    if (std::none_of(first->cells.begin(), first->cells.end(), [&](const layout::Cell& c) { return title_like(c.key, profile); }))
        return false;
    return part.parsed.empty() || part.parsed.front().ok() || part.parsed.front().error().code != ErrorCode::not_a_policy_document;
}

class PdfParts {
public:
    using PartSink = std::function<std::optional<Error>(PdfPart&)>;

    PdfParts(ingest::PdfReader& reader, const parse::Profile& profile) : reader_(reader), profile_(profile) {}

    // Reads every page and hands on each part, laid out and parsed, in order.
    // A page is placed once the next one is read: a line that also opens the
    // next page is a running header, not a title.
    std::optional<Error> run(const PartSink& sink) {
        PdfPart current;
        ingest::PdfText pending;
        std::vector<std::string> pending_tops;
        for (int n = 1; n <= reader_.page_count() + 1; ++n) {
            ingest::PdfText one;
            std::vector<std::string> tops;
            if (n <= reader_.page_count()) {
                if (auto e = reader_.read_page(n, one)) return e;
                tops = top_keys(one.pages.front());
            }
            if (n > 1) {
                bool starts = starts_part(pending_tops, tops.empty() ? std::string() : tops.front());
                if (n > 2 && starts) {
                    if (auto e = close(std::move(current), sink)) return e;
                    current = PdfPart{};
                    current.pdf.first_page = n - 1;
                }
                current.pdf.pages.push_back(std::move(pending.pages.front()));
                for (Unassigned& u : pending.unplaced) current.pdf.unplaced.push_back(std::move(u));
            }
            pending = std::move(one);
            pending_tops = std::move(tops);
        }
        if (auto e = close(std::move(current), sink)) return e;
        if (held_) {
            if (auto e = sink(*held_)) return e;
            held_.reset();
        }
        return reader_.finish();
    }

private:
    // The match keys of a page's first lines, digits masked.
    static std::vector<std::string> top_keys(const ingest::PdfPage& page) {
        std::vector<std::string> keys = layout::top_lines(page, kTopLines);
        for (std::string& key : keys)
            for (char& c : key)
                if (c >= '0' && c <= '9') c = '#';
        return keys;
    }

    // A title line at the top of a page that is not a running header: a
    // running header also opens the page after it, or one of the two before
    // (even and odd pages may differ), digits aside. A department's title is
    // on its first page only.
    bool starts_part(const std::vector<std::string>& keys, const std::string& next_top) {
        bool starts = false;
        for (const std::string& key : keys) {
            if (key == next_top || std::find(recent_tops_.begin(), recent_tops_.end(), key) != recent_tops_.end()) continue;
            starts = title_like(key, profile_);
            break;
        }
        recent_tops_[1] = std::move(recent_tops_[0]);
        recent_tops_[0] = keys.empty() ? std::string() : keys.front();
        return starts;
    }

    std::optional<Error> lay_out(PdfPart& part, size_t line_base, size_t table_base) {
        layout::PdfLayoutNotes furniture;
        auto pages = layout::rows_from_pdf(part.pdf, &furniture);
        if (!pages.ok()) return pages.error();
        part.pages = std::move(pages.value());
        if (line_base + part.pages.rows.size() > layout::kMaxLines)
            return Error{ErrorCode::too_many_lines, "more than " + std::to_string(layout::kMaxLines) + " rows"};
        for (layout::Row& r : part.pages.rows) {
            r.line += static_cast<int>(line_base);
            if (r.table >= 0) r.table += static_cast<int>(table_base);
        }
        ingest::PdfText notes;
        reader_.notes_for(part.pdf.first_page, part.last_page(), notes);
        part.notes = std::move(notes.notes);
        part.ocr = std::move(notes.ocr);
        if (furniture.page_numbers_removed + furniture.running_lines_removed > 0) {
            part.notes.push_back(Diagnostic{Severity::info, "page-furniture-removed",
                                            std::to_string(furniture.page_numbers_removed) + " page numbers and " +
                                                std::to_string(furniture.running_lines_removed) +
                                                " running header/footer lines are not content and were left out",
                                            std::nullopt});
        }
        part.ranges = parse::split_documents(part.pages.rows, profile_);
        part.parsed = parse_ranges(part.pages.rows, part.ranges, profile_);
        return std::nullopt;
    }

    // The part read so far is complete: laid out, then held (or merged into
    // the held one, which is then laid out again).
    std::optional<Error> close(PdfPart part, const PartSink& sink) {
        size_t held_lines = held_ ? held_->pages.rows.size() : 0, held_tables = held_ ? held_->pages.tables.size() : 0;
        if (auto e = lay_out(part, line_base_ + held_lines, table_base_ + held_tables)) return e;
        if (held_ && !starts_department(part, profile_)) {
            for (ingest::PdfPage& p : part.pdf.pages) held_->pdf.pages.push_back(std::move(p));
            for (Unassigned& u : part.pdf.unplaced) held_->pdf.unplaced.push_back(std::move(u));
            return lay_out(*held_, line_base_, table_base_);
        }
        if (held_) {
            line_base_ += held_lines, table_base_ += held_tables;
            if (auto e = sink(*held_)) return e;
        }
        held_ = std::move(part);
        return std::nullopt;
    }

    static constexpr size_t kTopLines = 3;  // a running header, a page number, then the title
    ingest::PdfReader& reader_;
    const parse::Profile& profile_;
    std::array<std::string, 2> recent_tops_;  // the first lines of the last two pages
    std::optional<PdfPart> held_;
    size_t line_base_ = 0, table_base_ = 0;
};

std::optional<Error> pdf_documents(ingest::PdfReader& reader, const std::string& sha256, const std::string& path,
                                   const ConvertOptions& options, const DocumentSink& each) {
    Assembler assembler(options, each);
    PdfParts parts(reader, profile_of(options));
    auto error = parts.run([&](PdfPart& part) -> std::optional<Error> {
        Source source{path, "pdf", sha256, "pdf", reader.page_count(), std::move(part.ocr)};
        auto e = assembler.add(part.pages.rows, part.ranges, part.parsed, source, part.notes, part.pdf.unplaced, part.pdf.first_page);
        part = PdfPart{};  // handed on: its pages and rows are let go
        return e;
    });
    if (error) return error;
    auto n = assembler.finish();
    if (!n.ok()) return n.error();
    return std::nullopt;
}

// A PDF's rows as the parser reads them, part after part.
Result<layout::Pages> pdf_rows(ingest::PdfReader& reader, const ConvertOptions& options) {
    layout::Pages all;
    all.page_count = reader.page_count();
    PdfParts parts(reader, profile_of(options));
    auto error = parts.run([&](PdfPart& part) -> std::optional<Error> {
        for (layout::Row& r : part.pages.rows) all.rows.push_back(std::move(r));
        for (layout::Table& t : part.pages.tables) all.tables.push_back(std::move(t));
        return std::nullopt;
    });
    if (error) return *error;
    return all;
}

}  // namespace

// Files up to this size are read whole (a text edition always is); a larger
// PDF is read by Poppler from the file, so its bytes are never all held.
constexpr std::uintmax_t kReadWholeBytes = 4u << 20;

std::optional<Error> convert_file_each(const fs::path& path, const ConvertOptions& options, const DocumentSink& each) {
    std::error_code ec;
    if (path != kStdinName && fs::file_size(path, ec) > kReadWholeBytes && !ec) {
        // A large PDF is read from its file as Poppler needs it, never whole.
        auto head = read_input_head(path);
        if (!head.ok()) return head.error();
        if (ingest::looks_like_pdf(head.value())) {
            std::optional<std::string> sha = ingest::sha256_file(path.string());
            if (!sha) return Error{ErrorCode::unreadable, std::string("read error: ") + std::strerror(errno)};
            auto reader = ingest::PdfReader::open_file(path.string(), options.password, options.ocr);
            if (!reader.ok()) return reader.error();
            return pdf_documents(*reader.value(), *sha, utf8_path(path), options, each);
        }
    }
    auto read = read_input(path);
    if (!read.ok()) return read.error();
    const std::string& bytes = read.value();
    if (ingest::looks_like_pdf(bytes)) {
        auto reader = ingest::PdfReader::open(bytes, options.password, options.ocr);
        if (!reader.ok()) return reader.error();
        return pdf_documents(*reader.value(), ingest::sha256_hex(bytes), utf8_path(path), options, each);
    }
    auto doc = convert_text(bytes, utf8_path(path), options);
    if (!doc.ok()) return doc.error();
    each(std::move(doc.value()));
    return std::nullopt;
}


Result<std::vector<Document>> convert_pdf(std::string_view bytes, const std::string& path, const ConvertOptions& options) {
    auto reader = ingest::PdfReader::open(bytes, options.password, options.ocr);
    if (!reader.ok()) return reader.error();
    std::vector<Document> docs;
    DocumentSink collect = [&](Document&& d) { docs.push_back(std::move(d)); };
    if (auto e = pdf_documents(*reader.value(), ingest::sha256_hex(bytes), path, options, collect)) return *e;
    return docs;
}

Result<std::string> dump_layout(const fs::path& path, const ConvertOptions& options, LayoutFormat format) {
    auto bytes = read_input(path);
    if (!bytes.ok()) return bytes.error();
    Result<layout::Pages> pages = Error{};
    if (ingest::looks_like_pdf(bytes.value())) {
        auto reader = ingest::PdfReader::open(bytes.value(), options.password, options.ocr);
        if (!reader.ok()) return reader.error();
        pages = pdf_rows(*reader.value(), options);
    } else {
        auto decoded = ingest::decode(bytes.value(), options.encoding);
        if (!decoded.ok()) return decoded.error();
        pages = layout::rows_from_text(decoded->utf8);
    }
    if (!pages.ok()) return pages.error();
    if (format == LayoutFormat::json) return layout::layout_json(pages.value());
    std::string out;
    for (const layout::Row& r : pages->rows) {
        out += std::to_string(r.page) + ":" + std::to_string(r.line);
        for (const layout::Cell& c : r.cells) out += "\t" + c.text;
        out += "\n";
    }
    return out;
}

std::optional<Error> draw_layout_page(const fs::path& path, const ConvertOptions& options, int page, const fs::path& png) {
    auto bytes = read_input(path);
    if (!bytes.ok()) return bytes.error();
    if (!ingest::looks_like_pdf(bytes.value())) return Error{ErrorCode::not_a_pdf, "a picture of the layout needs a PDF input"};
    auto pdf = ingest::read_pdf(bytes.value(), options.password, options.ocr);
    if (!pdf.ok()) return pdf.error();
    auto reader = ingest::PdfReader::open(bytes.value(), options.password, options.ocr);
    if (!reader.ok()) return reader.error();
    auto pages = pdf_rows(*reader.value(), options);
    if (!pages.ok()) return pages.error();
    return layout::draw_layout(bytes.value(), options.password, pdf.value(), pages.value(), page, png);
}

Result<std::vector<Document>> convert_file(const fs::path& path, const ConvertOptions& options) {
    std::vector<Document> docs;
    DocumentSink collect = [&](Document&& d) { docs.push_back(std::move(d)); };
    if (auto e = convert_file_each(path, options, collect)) return *e;
    return docs;
}

Result<std::vector<Document>> convert_file_guarded(const fs::path& path, const ConvertOptions& options) {
    try {
        return convert_file(path, options);
    } catch (const std::exception& e) {
        return Error{ErrorCode::internal_error, std::string("unexpected failure: ") + e.what()};
    }
}

}  // namespace hoshin
