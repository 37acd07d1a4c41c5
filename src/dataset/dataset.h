// The open-data dataset: CSV tables (UTF-8 with BOM, RFC 4180), a Frictionless
// Data Package describing them, the same tables in SQLite with full-text
// search over every Japanese text, and a Datasette metadata.json. Documents
// are streamed in; nothing holds the whole collection.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/document.h"
#include "model/error.h"

namespace hoshin::dataset {

// Version of the dataset's layout (tables, columns, search tables), in
// datapackage.json and the database (PRAGMA user_version).
inline constexpr int kDatasetVersion = 4;  // 4: OCR columns (documents.ocr_*, goals/targets.confidence)

// The licence a dataset is published under unless --license says otherwise:
// CC BY 4.0, with which the Japanese government's standard terms of use
// (kokyo data riyou kiyaku 2.0) are compatible.
inline constexpr const char* kDefaultLicense = "CC-BY-4.0";

// What a portal needs besides the data (CKAN, DCAT-AP JP): licence,
// publisher, where the documents were published, and when.
struct Metadata {
    std::string license = kDefaultLicense;  // an SPDX identifier
    std::optional<std::string> publisher;   // default: the municipalities named in the documents
    std::optional<std::string> source_url;  // where the source documents are published
    // Seconds since the Unix epoch. Without it, `created` is the newest
    // input's modification time, so a rerun on the same inputs gives the
    // same bytes.
    std::optional<long long> created;
    // The grades a goal, target or evaluation may have (the CSV and SQLite
    // checks, the Data Package's enums). Empty: the built-in profile's.
    std::vector<std::string> grades;
};

// A known licence's title and URL; nullopt for an identifier not in the table.
struct License {
    const char* id;
    const char* title;
    const char* url;
};
std::optional<License> find_license(std::string_view id);

// Stable keys. A document is its source file (its path in the archive and
// its content) and its place in that file; a goal is (municipality-or-source,
// department, fiscal year, number), which renumbering across years breaks
// (cross-year identity is the diff's).
std::string document_id(const std::string& source_key, const Document& doc, size_t index_in_file);
std::string goal_key(const Document& doc, const Goal& goal);

// The dataset rows of one document, made where the document is converted (a
// bulk worker), so the process that writes the dataset neither parses JSON
// nor normalises text. Opaque bytes for Writer::add_rows.
std::string document_rows(const Document& doc, const std::string& source_key, size_t index_in_file);

// The text as the search index holds it: NFKC (full-width letters and digits
// become ASCII, half-width kana full-width), as written otherwise.
std::string search_form(std::string_view utf8);

// The short-word tokens of a text (in search form), separated by spaces: for
// each letter or digit, the pair it starts with its neighbour in a run of
// them, or the character alone at the end of a run (one token per
// character). They index words too short for trigrams: a two-character word
// is a token, a one-character word the prefix of one.
std::string short_grams(std::string_view search_text);

class Writer {
public:
    // Writes into DIR (created if missing); files appear only at finish().
    static Result<std::unique_ptr<Writer>> open(const std::filesystem::path& dir, const Metadata& metadata = {});
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    // source_key: the source's path in the archive (the bulk manifest's path),
    // recorded as source_path.
    std::optional<Error> add(const Document& doc, const std::string& source_key, size_t index_in_file);
    // Rows made by document_rows (perhaps in another process).
    std::optional<Error> add_rows(std::string_view rows);
    // An input's modification time (ns since the Unix epoch): `created` is the newest.
    void note_input_time(long long mtime_ns);
    std::optional<Error> finish();
    size_t documents() const;

private:
    struct Impl;
    explicit Writer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The grades a written dataset (DIR/datapackage.json) allows, in scale
// order; empty when DIR holds none.
std::vector<std::string> declared_grades(const std::filesystem::path& dir);

// RFC 4180 field: quoted when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view value);

}  // namespace hoshin::dataset
