// read: XML written by write::to_xml -> Document.
#pragma once

#include <string_view>

#include "model/document.h"
#include "model/error.h"
#include "read/json_reader.h"  // kMaxNesting

namespace hoshin::read {

// Error codes: bad-xml (syntax, namespace or shape), nesting-too-deep,
// unsupported-schema-version.
Result<Document> from_xml(std::string_view text);

}  // namespace hoshin::read
