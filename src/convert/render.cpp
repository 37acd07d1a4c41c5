// Rendering documents for the convert job: JSON, XML or JSON Lines, and the
// warning lines, made where the input is converted (the convert child).
#include "convert/render.h"

#include "convert/pipeline.h"
#include "write/json_writer.h"
#include "write/xml_writer.h"

namespace hoshin {
namespace fs = std::filesystem;

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

}  // namespace

Rendered render_documents(const std::vector<Document>& docs, const std::string& file, const RenderRequest& request) {
    Renderer renderer(file, request);
    for (const Document& d : docs) renderer.add(d);
    return renderer.finish();
}

// Converts and renders one file, each document as soon as it is made.
Result<Rendered> render_file(const fs::path& path, const ConvertOptions& options, const RenderRequest& request,
                             const RenderedSink* stream) {
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

}  // namespace hoshin
