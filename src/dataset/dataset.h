// The open-data dataset: CSV tables (UTF-8 with BOM, RFC 4180), a Frictionless
// Data Package describing them, and the same tables in SQLite with an FTS5
// index over the Japanese texts. Documents are streamed in; nothing holds the
// whole collection.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "model/document.h"
#include "model/error.h"

namespace hoshin::dataset {

inline constexpr const char* kDatasetVersion = "1";

// Stable keys. A document is its source file (its path in the archive and
// its content) and its place in that file; a goal is (municipality-or-source,
// department, fiscal year, number), which renumbering across years breaks
// (cross-year identity is the diff's).
std::string document_id(const std::string& source_key, const Document& doc, size_t index_in_file);
std::string goal_key(const Document& doc, const Goal& goal);

class Writer {
public:
    // Writes into DIR (created if missing); files appear only at finish().
    static Result<std::unique_ptr<Writer>> open(const std::filesystem::path& dir);
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    // source_key: the source's path in the archive (the bulk manifest's path),
    // recorded as source_path.
    std::optional<Error> add(const Document& doc, const std::string& source_key, size_t index_in_file);
    std::optional<Error> finish();
    size_t documents() const;

private:
    struct Impl;
    explicit Writer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// RFC 4180 field: quoted when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view value);

}  // namespace hoshin::dataset
