// The pipeline inside the convert job (convert_file and the rest of
// hoshin/convert.h are built on it).
#pragma once

#include <filesystem>
#include <optional>

#include "convert/convert.h"

namespace hoshin {

// Converts one file, handing each document to `each` as soon as it is made
// (a long PDF's documents are never all held). On an error the documents
// already handed on are not the file's result: the caller drops them.
std::optional<Error> convert_file_each(const std::filesystem::path& path, const ConvertOptions& options,
                                       const DocumentSink& each);

}  // namespace hoshin
