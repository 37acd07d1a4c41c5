// Rendering a file's documents for the convert job (JSON, XML, JSON Lines,
// warning lines), in the convert child or in process.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "convert/convert.h"

namespace hoshin {

// Renders documents already made.
Rendered render_documents(const std::vector<Document>& docs, const std::string& file, const RenderRequest& request);

// Converts and renders one file, each document as soon as it is made; with
// `stream` (outputs to files), each one's outputs go there instead of into
// the result.
Result<Rendered> render_file(const std::filesystem::path& path, const ConvertOptions& options, const RenderRequest& request,
                             const RenderedSink* stream = nullptr);

}  // namespace hoshin
