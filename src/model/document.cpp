#include "model/document.h"
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
