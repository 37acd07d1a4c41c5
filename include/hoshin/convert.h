// hoshin's public API: converting a policy document (a PDF or a text
// edition) into the document model. Library code: it never prints; errors
// come back as Result values with a stable code (hoshin/error.h).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoshin/document.h"
#include "hoshin/error.h"

namespace hoshin {

namespace parse {
struct Profile;  // a vocabulary profile (data/profiles/); nullptr means the built-in one
}

// When pages are read by OCR (Tesseract) instead of from their text layer.
enum class OcrMode {
    automatic,  // "auto": pages with no text layer that draw an image (scans)
    always,     // every page, its text layer ignored
    never,      // no OCR: a PDF with no text layer is an error (no-text-layer)
};
const char* to_string(OcrMode m);
std::optional<OcrMode> ocr_mode_from_string(std::string_view s);

struct OcrOptions {
    OcrMode mode = OcrMode::automatic;
    int dpi = 0;                   // 0: 400 (ingest::kOcrDpi)
    std::string language = "jpn";  // Tesseract's language data
};

struct ConvertOptions {
    std::optional<std::string> encoding;  // forces the text decoder
    std::optional<std::string> password;  // user password of an encrypted PDF
    std::optional<std::string> municipality_name;
    std::optional<std::string> municipality_code;
    const parse::Profile* profile = nullptr;  // nullptr: the built-in profile
    OcrOptions ocr;
};

// True for a 6-digit local government code (JIS X 0402) with a correct check digit.
bool valid_municipality_code(std::string_view code);

// Converts the bytes of a text edition; `path` is recorded in source.path.
Result<Document> convert_text(std::string_view bytes, const std::string& path, const ConvertOptions& options);

// Converts the bytes of a PDF: one document per department it holds.
Result<std::vector<Document>> convert_pdf(std::string_view bytes, const std::string& path, const ConvertOptions& options);

// Reads and converts one file (PDF or text, told apart by content). Error
// codes: not-found, is-directory, unreadable, input-too-large, empty-input, not-a-pdf,
// plus those of decode, ingest::read_pdf, layout and parse.
Result<std::vector<Document>> convert_file(const std::filesystem::path& path, const ConvertOptions& options);

}  // namespace hoshin
