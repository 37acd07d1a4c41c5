// read: XML written by write::to_xml -> Document.
#pragma once

#include <string_view>

#include "model/document.h"
#include "model/error.h"

namespace hoshin::read {

// Error codes: bad-xml (syntax, namespace or shape), unsupported-schema-version.
Result<Document> from_xml(std::string_view text);

}  // namespace hoshin::read
