#include "convert/convert.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unicode/utf8.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "ingest/decode.h"
#include "ingest/pdf.h"
#include "layout/inspect.h"
#include "layout/pdf_layout.h"
#include "ingest/sha256.h"
#include "layout/rows.h"
#include "text/normalize.h"
#include "parse/parser.h"
#include "convert/ipc.h"
#include "io/files.h"
#include "read/json_reader.h"
#include "write/json_writer.h"
#include "write/xml_writer.h"

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
    std::optional<Error> run(const PartSink& sink) {
        PdfPart current;
        for (int n = 1; n <= reader_.page_count(); ++n) {
            ingest::PdfText one;
            if (auto e = reader_.read_page(n, one)) return e;
            bool starts = starts_part(one.pages.front());
            if (n > 1 && starts) {
                if (auto e = close(std::move(current), sink)) return e;
                current = PdfPart{};
                current.pdf.first_page = n;
            }
            current.pdf.pages.push_back(std::move(one.pages.front()));
            for (Unassigned& u : one.unplaced) current.pdf.unplaced.push_back(std::move(u));
        }
        if (auto e = close(std::move(current), sink)) return e;
        if (held_) {
            if (auto e = sink(*held_)) return e;
            held_.reset();
        }
        return reader_.finish();
    }

private:
    // A title line at the top of the page that is not a running header: a
    // running header stands at the top of the page before or the one before
    // that too (even and odd pages may differ), digits aside. A department's
    // title is on its first page only.
    bool starts_part(const ingest::PdfPage& page) {
        std::vector<std::string> keys = layout::top_lines(page, kTopLines);
        for (std::string& key : keys)
            for (char& c : key)
                if (c >= '0' && c <= '9') c = '#';
        bool starts = false;
        for (const std::string& key : keys) {
            if (std::find(recent_tops_.begin(), recent_tops_.end(), key) != recent_tops_.end()) continue;
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

}  // namespace

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

namespace {

void report_diagnostics(const Document& doc, const std::string& file, const Sinks& sinks) {
    for (const Diagnostic& d : doc.diagnostics) {
        if (d.severity == Severity::info) continue;
        // Text: the line; PDF (boxes, no lines to speak of): the page.
        int line = d.provenance && !d.provenance->bbox ? d.provenance->line_start : 0;
        int page = d.provenance && d.provenance->bbox ? d.provenance->page : 0;
        sinks.message(format_message(file, to_string(d.severity), d.code, d.message, line, page));
    }
}

bool same_file(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    return fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

// Renders documents as they come: each is let go once rendered, except for
// JSON on stdout, which is one document or an array of them.
class Renderer {
public:
    Renderer(const std::string& file, const RenderRequest& request, const RenderedSink* stream = nullptr)
        : file_(file), request_(request), stream_(request.to_stdout ? nullptr : stream) {}
    void add(const Document& d) {
        ++r_.documents;
        if (!request_.quiet) {
            Sinks collect;
            collect.message = [&](std::string_view line) { r_.messages.emplace_back(line); };
            report_diagnostics(d, file_, collect);
        }
        if (request_.to_stdout && request_.format == OutputFormat::jsonl) {
            r_.single += write::to_json_line(d);
        } else if (request_.to_stdout && request_.format != OutputFormat::xml) {
            array_.push_back(d);
        } else if (stream_) {
            std::string json = request_.format != OutputFormat::xml ? write::to_json(d) : std::string();
            std::string xml = request_.format != OutputFormat::json ? write::to_xml(d) : std::string();
            if (!stream_error_) stream_error_ = (*stream_)(std::move(json), std::move(xml));
        } else {
            if (request_.format != OutputFormat::xml) r_.json.push_back(write::to_json(d));
            if (request_.format != OutputFormat::json) r_.xml.push_back(write::to_xml(d));
        }
    }
    const std::optional<Error>& stream_error() const { return stream_error_; }
    Rendered finish() {
        if (!array_.empty()) r_.single = array_.size() == 1 ? write::to_json(array_.front()) : write::to_json(array_);
        return std::move(r_);
    }

private:
    const std::string& file_;
    RenderRequest request_;
    const RenderedSink* stream_;
    std::optional<Error> stream_error_;
    Rendered r_;
    std::vector<Document> array_;
};

Rendered render_documents(const std::vector<Document>& docs, const std::string& file, const RenderRequest& request) {
    Renderer renderer(file, request);
    for (const Document& d : docs) renderer.add(d);
    return renderer.finish();
}

// Converts and renders one file, each document as soon as it is made.
Result<Rendered> render_file(const fs::path& path, const ConvertOptions& options, const RenderRequest& request,
                             const RenderedSink* stream = nullptr) {
    std::string file = path.string();
    Renderer renderer(file, request, stream);
    DocumentSink each = [&](Document&& d) { renderer.add(d); };
    try {
        if (auto e = convert_file_each(path, options, each)) return *e;
    } catch (const std::exception& e) {
        return Error{ErrorCode::internal_error, std::string("unexpected failure: ") + e.what()};
    }
    if (renderer.stream_error()) return *renderer.stream_error();
    return renderer.finish();
}

// Rendered on the socket: fields of "length\n" and bytes.
void put_field(std::string& out, std::string_view field) {
    out += std::to_string(field.size());
    out += '\n';
    out += field;
}

bool get_field(std::string_view& in, std::string& field) {
    size_t nl = in.find('\n');
    if (nl == std::string_view::npos || nl == 0 || nl > 20) return false;
    size_t size = 0;
    for (size_t i = 0; i < nl; ++i) {
        if (in[i] < '0' || in[i] > '9') return false;
        size = size * 10 + static_cast<size_t>(in[i] - '0');
    }
    if (in.size() - nl - 1 < size) return false;
    field.assign(in.substr(nl + 1, size));
    in.remove_prefix(nl + 1 + size);
    return true;
}

std::string encode(const Rendered& r) {
    std::string out;
    put_field(out, std::to_string(r.documents));
    put_field(out, std::to_string(r.json.size()));
    for (const std::string& f : r.json) put_field(out, f);
    put_field(out, std::to_string(r.xml.size()));
    for (const std::string& f : r.xml) put_field(out, f);
    put_field(out, r.single);
    put_field(out, std::to_string(r.messages.size()));
    for (const std::string& f : r.messages) put_field(out, f);
    return out;
}

std::optional<Rendered> decode_rendered(std::string_view in) {
    Rendered r;
    std::string f;
    auto count = [&](size_t& n) {
        if (!get_field(in, f) || f.empty() || f.size() > 9) return false;
        n = std::stoul(f);
        return true;
    };
    size_t n = 0;
    if (!count(r.documents)) return std::nullopt;
    for (std::vector<std::string>* list : {&r.json, &r.xml}) {
        if (!count(n)) return std::nullopt;
        for (size_t i = 0; i < n; ++i) {
            if (!get_field(in, f)) return std::nullopt;
            list->push_back(std::move(f));
        }
    }
    if (!get_field(in, r.single) || !count(n)) return std::nullopt;
    for (size_t i = 0; i < n; ++i) {
        if (!get_field(in, f)) return std::nullopt;
        r.messages.push_back(std::move(f));
    }
    if (!in.empty()) return std::nullopt;
    return r;
}

}  // namespace

Result<std::vector<Document>> convert_file_guarded(const fs::path& path, const ConvertOptions& options) {
    try {
        return convert_file(path, options);
    } catch (const std::exception& e) {
        return Error{ErrorCode::internal_error, std::string("unexpected failure: ") + e.what()};
    }
}

namespace {

using ipc::now_seconds;
using ipc::send_all;

// Frames on the socket: decimal length, newline, bytes.
bool send_frame(int fd, std::string_view data) { return send_all(fd, std::to_string(data.size()) + "\n") && send_all(fd, data); }

// Reads one frame; false on end of file, error or the deadline (sets *late).
bool read_frame(int fd, std::string& buffer, std::string& frame, double deadline, bool* late) {
    char chunk[1 << 16];
    while (true) {
        size_t nl = buffer.find('\n');
        if (nl != std::string::npos) {
            size_t size = std::stoul(buffer.substr(0, nl));
            if (buffer.size() >= nl + 1 + size) {
                frame = buffer.substr(nl + 1, size);
                buffer.erase(0, nl + 1 + size);
                return true;
            }
        }
        if (deadline > 0) {
            double left = deadline - now_seconds();
            if (left <= 0) {
                *late = true;
                return false;
            }
            pollfd p{fd, POLLIN, 0};
            int ready = ::poll(&p, 1, static_cast<int>(left * 1000) + 1);
            if (ready < 0 && errno == EINTR) continue;
            if (ready == 0) continue;  // the deadline check above decides
        }
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<size_t>(n));
    }
}

[[noreturn]] void converter_child(int fd, const ConvertOptions& options) {
    // Ctrl-C and SIGTERM reach the whole process group: the parent stops
    // after the input in flight, which this child finishes.
    ::signal(SIGINT, SIG_IGN);
    ::signal(SIGTERM, SIG_IGN);
    std::string buffer, path;
    bool late = false;
    std::string request;
    while (read_frame(fd, buffer, request, 0, &late)) {
        // 'D' PATH: the documents back as JSON; 'R' FORMAT STDOUT QUIET PATH:
        // rendered here, so the parent only writes (no JSON read back); 'S'
        // the same, each document's outputs sent on ('P' frames) as soon as
        // they are made.
        bool render = !request.empty() && (request[0] == 'R' || request[0] == 'S') && request.size() >= 4;
        bool streamed = render && request[0] == 'S';
        path = request.substr(render ? 4 : 1);
        std::string reply;
        std::optional<Error> error;
        if (render) {
            RenderRequest rq{request[1] == 'j'   ? OutputFormat::json
                             : request[1] == 'x' ? OutputFormat::xml
                             : request[1] == 'l' ? OutputFormat::jsonl
                                                 : OutputFormat::both,
                             request[2] == '1', request[3] == '1'};
            RenderedSink send_part = [&](std::string json, std::string xml) -> std::optional<Error> {
                std::string part = "P";
                put_field(part, json);
                put_field(part, xml);
                if (!send_frame(fd, part)) return Error{ErrorCode::internal_error, "the parent process went away"};
                return std::nullopt;
            };
            auto r = render_file(path, options, rq, streamed ? &send_part : nullptr);
            if (r.ok()) reply = "R" + encode(r.value());
            else error = r.error();
        } else {
            auto r = convert_file_guarded(path, options);
            if (r.ok()) reply = "D" + write::to_json(r.value());
            else error = r.error();
        }
        if (error) {
            const Error& e = *error;
            reply = "E" + std::to_string(e.line) + "\n" + std::to_string(e.page) + "\n" + to_string(e.code) + "\n" + e.message;
        }
        if (!send_frame(fd, reply)) break;
    }
    _exit(0);
}

}  // namespace

IsolatedConverter::IsolatedConverter(ConvertOptions options, int timeout_seconds)
    : options_(std::move(options)), timeout_seconds_(timeout_seconds) {}

IsolatedConverter::~IsolatedConverter() { stop(); }

void IsolatedConverter::stop() {
    if (pid_ < 0) return;
    ::close(fd_);  // the child sees end of file and exits
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    fd_ = -1;
}

Result<std::vector<Document>> IsolatedConverter::convert(const fs::path& path) {
    if (timeout_seconds_ <= 0) return convert_file_guarded(path, options_);
    auto reply = ask("D" + path.string());
    if (!reply.ok()) return reply.error();
    if (reply->empty() || (*reply)[0] != 'D') return Error{ErrorCode::internal_error, "the converting process gave an unexpected reply"};
    auto docs = read::documents_from_json(std::string_view(reply.value()).substr(1));
    if (!docs.ok()) return Error{ErrorCode::internal_error, "the converting process gave unreadable output: " + docs.error().message};
    return std::move(docs.value());
}

Result<Rendered> IsolatedConverter::render(const fs::path& path, const RenderRequest& request, const RenderedSink* stream) {
    if (request.to_stdout) stream = nullptr;
    if (timeout_seconds_ <= 0) return render_file(path, options_, request, stream);
    std::string ask_for = stream ? "S" : "R";
    ask_for += request.format == OutputFormat::json    ? 'j'
               : request.format == OutputFormat::xml   ? 'x'
               : request.format == OutputFormat::jsonl ? 'l'
                                                       : 'b';
    ask_for += request.to_stdout ? '1' : '0';
    ask_for += request.quiet ? '1' : '0';
    std::optional<Error> part_error;
    std::function<void(std::string_view)> on_part = [&](std::string_view part) {
        std::string json, xml;
        if (!get_field(part, json) || !get_field(part, xml) || !part.empty()) {
            if (!part_error) part_error = Error{ErrorCode::internal_error, "the converting process gave unreadable output"};
            return;
        }
        if (!part_error && stream) part_error = (*stream)(std::move(json), std::move(xml));
    };
    auto reply = ask(ask_for + path.string(), &on_part);
    if (!reply.ok()) return reply.error();
    if (part_error) return *part_error;
    if (reply->empty() || (*reply)[0] != 'R') return Error{ErrorCode::internal_error, "the converting process gave an unexpected reply"};
    auto r = decode_rendered(std::string_view(reply.value()).substr(1));
    if (!r) return Error{ErrorCode::internal_error, "the converting process gave unreadable output"};
    return std::move(*r);
}

Result<std::string> IsolatedConverter::ask(const std::string& request, const std::function<void(std::string_view)>* on_part) {
    if (pid_ < 0) {
        int sv[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
            return Error{ErrorCode::internal_error, std::string("cannot make a socket pair: ") + std::strerror(errno)};
        std::fflush(nullptr);  // nothing buffered is written twice
        const pid_t parent = ::getpid();
        pid_t pid = ::fork();
        if (pid < 0) {
            ::close(sv[0]);
            ::close(sv[1]);
            return Error{ErrorCode::internal_error, std::string("cannot start a process: ") + std::strerror(errno)};
        }
        if (pid == 0) {
            ::close(sv[0]);
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // no conversion outlives hoshin
            if (::getppid() != parent) _exit(0);
            try {
                converter_child(sv[1], options_);
            } catch (...) {
                _exit(70);  // never unwind into the parent's frames
            }
        }
        ::close(sv[1]);
        pid_ = pid;
        fd_ = sv[0];
    }
    std::string buffer, reply;
    bool late = false;
    const double deadline = now_seconds() + timeout_seconds_;
    bool ok = send_frame(fd_, request);
    while (ok) {
        ok = read_frame(fd_, buffer, reply, deadline, &late);
        if (!ok || reply.empty() || reply[0] != 'P') break;
        if (on_part) (*on_part)(std::string_view(reply).substr(1));
    }
    if (!ok) {
        if (late) ::kill(pid_, SIGKILL);
        ::close(fd_);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
        fd_ = -1;
        if (late)
            return Error{ErrorCode::timeout, "not converted within " + std::to_string(timeout_seconds_) +
                                        " s (a page Poppler cannot lay out quickly?); --timeout changes the limit"};
        std::string how = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                              : "exit status " + std::to_string(WEXITSTATUS(status));
        return Error{ErrorCode::worker_crashed, "the process converting this input died (" + how + ")"};
    }
    if (reply.empty()) return Error{ErrorCode::internal_error, "the converting process gave an empty reply"};
    if (reply[0] == 'E') {
        Error e;
        size_t a = reply.find('\n'), b = reply.find('\n', a + 1), c = reply.find('\n', b + 1);
        e.line = std::stoi(reply.substr(1, a - 1));
        e.page = std::stoi(reply.substr(a + 1, b - a - 1));
        e.code = error_code_from_string(reply.substr(b + 1, c - b - 1)).value_or(ErrorCode::internal_error);
        e.message = reply.substr(c + 1);
        return e;
    }
    return reply;
}

namespace {

using Outputs = std::vector<std::pair<fs::path, std::string>>;

// An input's output files and their contents, after the checks that need no
// writing: an output that is the input, or that another input of the run
// already writes.
Result<Outputs> name_outputs(Rendered rendered, const fs::path& input, const fs::path& base, OutputFormat format,
                             const std::set<fs::path>& taken) {
    // One document per input for text; a compiled PDF may hold several.
    Outputs outputs;
    for (size_t k = 0; k < rendered.documents; ++k) {
        fs::path name = base;
        if (rendered.documents > 1) name += "-" + std::to_string(k + 1);
        if (format != OutputFormat::xml) outputs.emplace_back(fs::path(name) += ".json", std::move(rendered.json.at(k)));
        if (format != OutputFormat::json) outputs.emplace_back(fs::path(name) += ".xml", std::move(rendered.xml.at(k)));
    }
    for (const auto& [path, content] : outputs) {
        if (same_file(input, path)) return Error{ErrorCode::output_is_input, "output " + path.string() + " is the input file"};
        if (taken.count(path)) return Error{ErrorCode::output_collision, "output " + path.string() + " already written by another input in this run"};
    }
    return outputs;
}

Result<Outputs> render_outputs(const std::vector<Document>& docs, const fs::path& input, const fs::path& base,
                               OutputFormat format, const std::set<fs::path>& taken) {
    return name_outputs(render_documents(docs, input.string(), RenderRequest{format, false, true}), input, base, format, taken);
}

// convert -o: outputs are written under temporary names and renamed into
// place in batches, each after one syncfs() of the output's file system. So
// an output's data is durable before its name appears (complete or absent,
// even after a power cut), at the cost of one sync per batch rather than one
// fsync per file (which was 40 % of a text conversion's time).
class OutputBatch {
public:
    static constexpr size_t kMaxInputs = 256;
    static constexpr double kMaxSeconds = 0.5;

    explicit OutputBatch(const fs::path& dir) : dir_fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {}
    ~OutputBatch() {
        discard();
        if (dir_fd_ >= 0) ::close(dir_fd_);
    }
    OutputBatch(const OutputBatch&) = delete;
    OutputBatch& operator=(const OutputBatch&) = delete;

    // Takes an input's outputs, already written under temporary names
    // (temporary name, final name), to be renamed with the batch.
    void adopt(const std::string& input, std::vector<std::pair<fs::path, fs::path>> files) {
        if (groups_.empty()) first_ = ipc::now_seconds();
        groups_.push_back(Group{input, std::move(files)});
    }

    bool due() const { return groups_.size() >= kMaxInputs || (!groups_.empty() && ipc::now_seconds() - first_ >= kMaxSeconds); }

    // Makes the staged outputs durable, then gives them their names. Calls
    // fail(input, error) for each input whose outputs could not be placed
    // (none of its outputs is left).
    void flush(const std::function<void(const std::string&, const Error&)>& fail) {
        if (groups_.empty()) return;
        if (dir_fd_ < 0 || ::syncfs(dir_fd_) != 0) {
            Error e{ErrorCode::output_error, std::string("cannot sync the output directory: ") + std::strerror(errno)};
            for (const Group& g : groups_) fail(g.input, e);
            discard();
            return;
        }
        for (const Group& g : groups_) {
            std::vector<fs::path> placed;
            for (const auto& [tmp, path] : g.files) {
                if (::rename(tmp.c_str(), path.c_str()) != 0) {
                    int err = errno;
                    std::error_code ec;
                    for (const fs::path& p : placed) fs::remove(p, ec);
                    for (const auto& [t, f] : g.files) ::unlink(t.c_str());
                    fail(g.input, Error{ErrorCode::output_error, "cannot rename to " + path.string() + ": " + std::strerror(err)});
                    placed.clear();
                    break;
                }
                placed.push_back(path);
            }
        }
        groups_.clear();
    }

private:
    struct Group {
        std::string input;
        std::vector<std::pair<fs::path, fs::path>> files;  // temporary name, final name
    };
    void discard() {
        for (const Group& g : groups_)
            for (const auto& [tmp, path] : g.files) ::unlink(tmp.c_str());
        groups_.clear();
    }
    int dir_fd_;
    std::vector<Group> groups_;
    double first_ = 0;
};

}  // namespace

Result<std::vector<fs::path>> write_documents(const std::vector<Document>& docs, const fs::path& input,
                                              const fs::path& base, OutputFormat format, const std::set<fs::path>& taken,
                                              bool sync) {
    auto outputs = render_outputs(docs, input, base, format, taken);
    if (!outputs.ok()) return outputs.error();
    std::vector<fs::path> done;
    for (const auto& [path, content] : outputs.value()) {
        if (auto err = write_file_atomic(path, content, sync)) {
            // All of an input's outputs or none of them.
            std::error_code ec;
            for (const fs::path& p : done) fs::remove(p, ec);
            return *err;
        }
        done.push_back(path);
    }
    return done;
}

int run_convert(const ConvertJob& job, const Sinks& sinks) {
    int failures = 0;
    size_t staged_files = 0;  // makes every temporary name of the run unique
    std::set<fs::path> written;
    IsolatedConverter converter(job.options, job.timeout_seconds);
    std::optional<OutputBatch> batch;
    if (job.output_dir) batch.emplace(*job.output_dir);
    auto fail = [&](const std::string& input, const Error& e) {
        ++failures;
        sinks.message(format_message(input, "error", e.code, e.message, e.line, e.page));
    };
    bool stopped = false;
    for (const std::string& input : job.inputs) {
        if (job.stop && job.stop->load()) {
            stopped = true;
            break;
        }
        fs::path stem = input == kStdinName ? fs::path("stdin") : fs::path(input).stem();
        // With -o, each document's outputs are written under temporary names
        // as they come (a long PDF's are never all held), and named once the
        // input is done: BASE.json for one document, BASE-1.json... for several.
        struct Staged {
            fs::path tmp;
            size_t doc;
            const char* ext;
        };
        std::vector<Staged> staged;
        auto unstage = [&] {
            for (const Staged& st : staged) ::unlink(st.tmp.c_str());
        };
        RenderedSink stage = [&](std::string json, std::string xml) -> std::optional<Error> {
            size_t doc = staged.empty() ? 1 : staged.back().doc + 1;
            for (auto& [content, ext] : {std::pair<std::string*, const char*>{&json, ".json"}, {&xml, ".xml"}}) {
                bool json_out = std::string_view(ext) == ".json";
                if (job.format == (json_out ? OutputFormat::xml : OutputFormat::json)) continue;
                fs::path tmp = temporary_name(fs::path(*job.output_dir / stem) += "-" + std::to_string(doc) + ext);
                tmp += "." + std::to_string(++staged_files);
                if (auto err = write_new_file(tmp, *content)) return err;
                staged.push_back(Staged{tmp, doc, ext});
            }
            return std::nullopt;
        };
        auto rendered = converter.render(input, RenderRequest{job.format, !job.output_dir, job.quiet}, job.output_dir ? &stage : nullptr);
        if (!rendered.ok()) {
            unstage();
            fail(input, rendered.error());
            continue;
        }
        for (const std::string& line : rendered->messages) sinks.message(line);
        if (!job.output_dir && job.format == OutputFormat::xml) {
            if (rendered->xml.size() != 1) {
                fail(input, Error{ErrorCode::several_documents, "holds " + std::to_string(rendered->xml.size()) +
                                                           " departments: XML on stdout takes one; use -o DIR or --format jsonl"});
                continue;
            }
            sinks.data(rendered->xml.front());
            continue;
        }
        if (!job.output_dir) {
            sinks.data(rendered->single);
            continue;
        }
        std::vector<std::pair<fs::path, fs::path>> files;
        std::optional<Error> clash;
        for (const Staged& st : staged) {
            fs::path name = *job.output_dir / stem;
            if (rendered->documents > 1) name += "-" + std::to_string(st.doc);
            name += st.ext;
            if (same_file(input, name)) clash = Error{ErrorCode::output_is_input, "output " + name.string() + " is the input file"};
            else if (written.count(name)) clash = Error{ErrorCode::output_collision, "output " + name.string() + " already written by another input in this run"};
            if (clash) break;
            files.emplace_back(st.tmp, name);
        }
        if (clash) {
            unstage();
            fail(input, *clash);
            continue;
        }
        for (const auto& [tmp, name] : files) written.insert(name);
        batch->adopt(input, std::move(files));
        if (batch->due()) batch->flush(fail);
    }
    if (batch) batch->flush(fail);
    if (stopped) {
        sinks.message("hoshin: interrupted: the inputs converted so far are written; the rest were not started");
        return kInterrupted;
    }
    return failures > 0 ? 1 : 0;
}

}  // namespace hoshin
