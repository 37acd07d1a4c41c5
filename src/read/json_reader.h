// read: JSON written by write::to_json -> Document (later stages read
// converted files instead of re-parsing sources).
#pragma once

#include <string_view>
#include <vector>

#include "model/document.h"
#include "model/error.h"

namespace hoshin::read {

// Error codes: bad-json (syntax or shape), unsupported-schema-version.
Result<Document> from_json(std::string_view text);
// One document or an array of them.
Result<std::vector<Document>> documents_from_json(std::string_view text);

}  // namespace hoshin::read
