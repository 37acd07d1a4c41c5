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

// Parses each department's rows into a Document with its source filled in.
Result<std::vector<Document>> parse_documents(const layout::Pages& pages, const Source& source,
                                              const ConvertOptions& options, const std::vector<Diagnostic>& notes,
                                              const std::vector<Unassigned>& unplaced = {}) {
    const parse::Profile& profile = options.profile ? *options.profile : parse::default_profile();
    std::vector<Document> docs;
    std::vector<layout::Row> cover;
    std::optional<Error> first_error;
    auto keep_unassigned = [](Document& doc, const std::vector<layout::Row>& rows, bool before) {
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
    };
    auto ranges = parse::split_documents(pages.rows, profile);
    for (const auto& [begin, end] : ranges) {
        std::vector<layout::Row> rows(pages.rows.begin() + static_cast<std::ptrdiff_t>(begin),
                                      pages.rows.begin() + static_cast<std::ptrdiff_t>(end));
        auto parsed = parse::parse(rows, profile);
        if (!parsed.ok()) {
            // A compiled file may carry a cover or an index before or between
            // departments: its text goes to the document before it (a cover's
            // to the first one), as unassigned text.
            if (ranges.size() > 1 && parsed.error().code == ErrorCode::not_a_policy_document) {
                if (!first_error) first_error = parsed.error();
                if (docs.empty()) cover.insert(cover.end(), rows.begin(), rows.end());
                else keep_unassigned(docs.back(), rows, false);
                continue;
            }
            return parsed.error();
        }
        Document& doc = parsed.value();
        doc.source = source;
        doc.diagnostics.insert(doc.diagnostics.begin(), notes.begin(), notes.end());
        apply_municipality(doc, options);
        // Text the layout could not place goes to the document whose pages hold it.
        int first_page = docs.empty() || rows.empty() ? 1 : rows.front().page;
        int last_page = rows.empty() ? 1 : rows.back().page;
        bool last_doc = end == pages.rows.size();
        for (const Unassigned& u : unplaced) {
            if (u.provenance.page < first_page || (u.provenance.page > last_page && !last_doc)) continue;
            Unassigned kept = u;
            auto on_page = std::find_if(rows.begin(), rows.end(), [&](const layout::Row& r) { return r.page >= u.provenance.page; });
            kept.provenance.line_start = kept.provenance.line_end = on_page != rows.end() ? on_page->line : rows.back().line;
            doc.unassigned.push_back(std::move(kept));
        }
        if (!cover.empty()) {
            keep_unassigned(doc, cover, true);
            cover.clear();
        }
        docs.push_back(std::move(doc));
    }
    // No part is a department's policy: the file is not one.
    if (docs.empty() && first_error) return *first_error;
    return docs;
}

}  // namespace

Result<std::vector<Document>> documents_from_rows(const layout::Pages& pages, const Source& source,
                                                  const ConvertOptions& options) {
    return parse_documents(pages, source, options, {});
}

Result<Document> convert_text(std::string_view bytes, const std::string& path, const ConvertOptions& options) {
    auto decoded = ingest::decode(bytes, options.encoding);
    if (!decoded.ok()) return decoded.error();
    auto pages = layout::rows_from_text(decoded->utf8);
    if (!pages.ok()) return pages.error();
    const parse::Profile& profile = options.profile ? *options.profile : parse::default_profile();
    auto parsed = parse::parse(pages->rows, profile);
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

// The layout and the parse of a PDF already read. Each stage's input is let
// go once the next has what it needs, so peak memory is one stage's, not
// the file's plus every stage's.
Result<std::vector<Document>> pdf_documents(ingest::PdfText pdf, std::string sha256, const std::string& path,
                                            const ConvertOptions& options) {
    layout::PdfLayoutNotes furniture;
    auto pages = layout::rows_from_pdf(pdf, &furniture);
    if (!pages.ok()) return pages.error();
    std::vector<Diagnostic> notes = std::move(pdf.notes);
    std::vector<Unassigned> unplaced = std::move(pdf.unplaced);
    std::optional<OcrSource> ocr = std::move(pdf.ocr);
    pdf = ingest::PdfText{};  // the words and rules of every page
    if (furniture.page_numbers_removed + furniture.running_lines_removed > 0) {
        notes.push_back(Diagnostic{Severity::info, "page-furniture-removed",
                                   std::to_string(furniture.page_numbers_removed) + " page numbers and " +
                                       std::to_string(furniture.running_lines_removed) +
                                       " running header/footer lines are not content and were left out",
                                   std::nullopt});
    }
    Source source{path, "pdf", std::move(sha256), "pdf", pages->page_count, std::move(ocr)};
    return parse_documents(pages.value(), source, options, notes, unplaced);
}

// convert_pdf for bytes it may free: the file is let go once Poppler has read it.
Result<std::vector<Document>> convert_pdf_owned(std::string bytes, const std::string& path, const ConvertOptions& options) {
    std::string sha = ingest::sha256_hex(bytes);
    auto pdf = ingest::read_pdf(bytes, options.password, options.ocr);
    std::string().swap(bytes);
    if (!pdf.ok()) return pdf.error();
    return pdf_documents(std::move(pdf.value()), std::move(sha), path, options);
}

}  // namespace

Result<std::vector<Document>> convert_pdf(std::string_view bytes, const std::string& path, const ConvertOptions& options) {
    auto pdf = ingest::read_pdf(bytes, options.password, options.ocr);
    if (!pdf.ok()) return pdf.error();
    return pdf_documents(std::move(pdf.value()), ingest::sha256_hex(bytes), path, options);
}

Result<std::string> dump_layout(const fs::path& path, const ConvertOptions& options, LayoutFormat format) {
    auto bytes = read_input(path);
    if (!bytes.ok()) return bytes.error();
    Result<layout::Pages> pages = Error{};
    if (ingest::looks_like_pdf(bytes.value())) {
        auto pdf = ingest::read_pdf(bytes.value(), options.password, options.ocr);
        if (!pdf.ok()) return pdf.error();
        pages = layout::rows_from_pdf(pdf.value());
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
    auto pages = layout::rows_from_pdf(pdf.value());
    if (!pages.ok()) return pages.error();
    return layout::draw_layout(bytes.value(), options.password, pdf.value(), pages.value(), page, png);
}

Result<std::vector<Document>> convert_file(const fs::path& path, const ConvertOptions& options) {
    auto read = read_input(path);
    if (!read.ok()) return read.error();
    std::string& bytes = read.value();
    if (ingest::looks_like_pdf(bytes)) return convert_pdf_owned(std::move(bytes), utf8_path(path), options);
    auto doc = convert_text(bytes, utf8_path(path), options);
    if (!doc.ok()) return doc.error();
    return std::vector<Document>{std::move(doc.value())};
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

Rendered render_documents(const std::vector<Document>& docs, const std::string& file, const RenderRequest& request) {
    Rendered r;
    r.documents = docs.size();
    if (!request.quiet) {
        Sinks collect;
        collect.message = [&](std::string_view line) { r.messages.emplace_back(line); };
        for (const Document& d : docs) report_diagnostics(d, file, collect);
    }
    if (request.to_stdout && request.format == OutputFormat::jsonl) {
        for (const Document& d : docs) r.single += write::to_json_line(d);
        return r;
    }
    if (request.to_stdout && request.format != OutputFormat::xml) {
        r.single = docs.size() == 1 ? write::to_json(docs.front()) : write::to_json(docs);
        return r;
    }
    for (const Document& d : docs) {
        if (request.format != OutputFormat::xml) r.json.push_back(write::to_json(d));
        if (request.format != OutputFormat::json) r.xml.push_back(write::to_xml(d));
    }
    return r;
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
        // rendered here, so the parent only writes (no JSON read back).
        bool render = !request.empty() && request[0] == 'R' && request.size() >= 4;
        path = request.substr(render ? 4 : 1);
        auto r = convert_file_guarded(path, options);
        std::string reply;
        if (r.ok() && render) {
            RenderRequest rq{request[1] == 'j'   ? OutputFormat::json
                             : request[1] == 'x' ? OutputFormat::xml
                             : request[1] == 'l' ? OutputFormat::jsonl
                                                 : OutputFormat::both,
                             request[2] == '1', request[3] == '1'};
            reply = "R" + encode(render_documents(r.value(), path, rq));
        } else if (r.ok()) {
            reply = "D" + write::to_json(r.value());
        } else {
            const Error& e = r.error();
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

Result<Rendered> IsolatedConverter::render(const fs::path& path, const RenderRequest& request) {
    if (timeout_seconds_ <= 0) {
        auto docs = convert_file_guarded(path, options_);
        if (!docs.ok()) return docs.error();
        return render_documents(docs.value(), path.string(), request);
    }
    std::string ask_for = "R";
    ask_for += request.format == OutputFormat::json    ? 'j'
               : request.format == OutputFormat::xml   ? 'x'
               : request.format == OutputFormat::jsonl ? 'l'
                                                       : 'b';
    ask_for += request.to_stdout ? '1' : '0';
    ask_for += request.quiet ? '1' : '0';
    auto reply = ask(ask_for + path.string());
    if (!reply.ok()) return reply.error();
    if (reply->empty() || (*reply)[0] != 'R') return Error{ErrorCode::internal_error, "the converting process gave an unexpected reply"};
    auto r = decode_rendered(std::string_view(reply.value()).substr(1));
    if (!r) return Error{ErrorCode::internal_error, "the converting process gave unreadable output"};
    return std::move(*r);
}

Result<std::string> IsolatedConverter::ask(const std::string& request) {
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
    bool ok = send_frame(fd_, request) && read_frame(fd_, buffer, reply, now_seconds() + timeout_seconds_, &late);
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

    // Writes an input's outputs under temporary names; all or none.
    std::optional<Error> stage(const std::string& input, const Outputs& outputs) {
        Group g{input, {}};
        for (const auto& [path, content] : outputs) {
            fs::path tmp = temporary_name(path);
            if (auto err = write_new_file(tmp, content)) {
                for (const auto& [t, f] : g.files) ::unlink(t.c_str());
                return err;
            }
            g.files.emplace_back(tmp, path);
        }
        if (groups_.empty()) first_ = ipc::now_seconds();
        groups_.push_back(std::move(g));
        return std::nullopt;
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
        auto rendered = converter.render(input, RenderRequest{job.format, !job.output_dir, job.quiet});
        if (!rendered.ok()) {
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
        fs::path stem = input == kStdinName ? fs::path("stdin") : fs::path(input).stem();
        auto outputs = name_outputs(std::move(rendered.value()), input, *job.output_dir / stem, job.format, written);
        if (!outputs.ok()) {
            fail(input, outputs.error());
            continue;
        }
        if (auto err = batch->stage(input, outputs.value())) {
            fail(input, *err);
            continue;
        }
        for (const auto& [path, content] : outputs.value()) written.insert(path);
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
