#include "model/document.h"

#include <ostream>

#include "model/error.h"

namespace hoshin {

const char* to_string(Severity s) {
    switch (s) {
        case Severity::info: return "info";
        case Severity::warning: return "warning";
        case Severity::error: return "error";
    }
    return "error";
}

std::optional<Severity> severity_from_string(std::string_view s) {
    if (s == "info") return Severity::info;
    if (s == "warning") return Severity::warning;
    if (s == "error") return Severity::error;
    return std::nullopt;
}

namespace {
struct CodeName {
    ErrorCode code;
    const char* name;
};
// The one table of names.
constexpr CodeName kErrorNames[] = {
        {ErrorCode::not_found, "not-found"},
        {ErrorCode::is_directory, "is-directory"},
        {ErrorCode::unreadable, "unreadable"},
        {ErrorCode::input_too_large, "input-too-large"},
        {ErrorCode::empty_input, "empty-input"},
        {ErrorCode::binary_input, "binary-input"},
        {ErrorCode::unknown_encoding, "unknown-encoding"},
        {ErrorCode::decode_error, "decode-error"},
        {ErrorCode::not_a_pdf, "not-a-pdf"},
        {ErrorCode::pdf_truncated, "pdf-truncated"},
        {ErrorCode::pdf_damaged, "pdf-damaged"},
        {ErrorCode::pdf_encrypted, "pdf-encrypted"},
        {ErrorCode::pdf_bad_password, "pdf-bad-password"},
        {ErrorCode::pdf_no_pages, "pdf-no-pages"},
        {ErrorCode::too_many_pages, "too-many-pages"},
        {ErrorCode::too_much_text, "too-much-text"},
        {ErrorCode::no_text_layer, "no-text-layer"},
        {ErrorCode::ocr_unavailable, "ocr-unavailable"},
        {ErrorCode::page_too_large, "page-too-large"},
        {ErrorCode::no_such_page, "no-such-page"},
        {ErrorCode::too_many_lines, "too-many-lines"},
        {ErrorCode::line_too_long, "line-too-long"},
        {ErrorCode::too_many_cells, "too-many-cells"},
        {ErrorCode::too_many_goals, "too-many-goals"},
        {ErrorCode::not_a_policy_document, "not-a-policy-document"},
        {ErrorCode::timeout, "timeout"},
        {ErrorCode::worker_crashed, "worker-crashed"},
        {ErrorCode::bad_json, "bad-json"},
        {ErrorCode::bad_xml, "bad-xml"},
        {ErrorCode::nesting_too_deep, "nesting-too-deep"},
        {ErrorCode::unsupported_schema_version, "unsupported-schema-version"},
        {ErrorCode::output_error, "output-error"},
        {ErrorCode::output_collision, "output-collision"},
        {ErrorCode::output_is_input, "output-is-input"},
        {ErrorCode::dataset_error, "dataset-error"},
        {ErrorCode::several_documents, "several-documents"},
        {ErrorCode::no_such_department, "no-such-department"},
        {ErrorCode::internal_error, "internal-error"},
        {ErrorCode::bad_profile, "bad-profile"},
};
// One entry per code, in the enum's order: checked when this file compiles.
constexpr bool names_follow_the_enum() {
    size_t k = 0;
    for (const CodeName& n : kErrorNames)
        if (static_cast<size_t>(n.code) != k++) return false;
    return k == static_cast<size_t>(ErrorCode::bad_profile) + 1;
}
static_assert(names_follow_the_enum(), "kErrorNames must name every ErrorCode, in the enum's order (bad_profile last)");
}  // namespace

const char* to_string(ErrorCode code) {
    for (const CodeName& n : kErrorNames)
        if (n.code == code) return n.name;
    return "internal-error";
}

std::optional<ErrorCode> error_code_from_string(std::string_view name) {
    for (const CodeName& n : kErrorNames)
        if (name == n.name) return n.code;
    return std::nullopt;
}

const std::vector<ErrorCode>& all_error_codes() {
    static const std::vector<ErrorCode> all = [] {
        std::vector<ErrorCode> v;
        for (const CodeName& n : kErrorNames) v.push_back(n.code);
        return v;
    }();
    return all;
}

std::ostream& operator<<(std::ostream& out, ErrorCode code) { return out << to_string(code); }

std::string format_message(const std::string& file, const std::string& severity, ErrorCode code, const std::string& message,
                           int line, int page) {
    return format_message(file, severity, std::string(to_string(code)), message, line, page);
}

std::string format_message(const std::string& file, const std::string& severity,
                           const std::string& code, const std::string& message,
                           int line, int page) {
    std::string out = "hoshin: " + file;
    if (line > 0) {
        out += ":" + std::to_string(line);
    } else if (page > 0) {
        out += ":" + std::to_string(page);
    }
    out += ": " + severity + ": " + message + " [" + code + "]";
    return out;
}

}  // namespace hoshin
