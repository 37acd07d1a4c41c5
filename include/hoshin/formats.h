// hoshin's public API: the document model as JSON (schemas/policy-document-2.schema.json)
// and XML (schemas/policy-document-2.xsd), written and read back exactly.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hoshin/document.h"
#include "hoshin/error.h"

namespace hoshin {

namespace write {
// Key order is fixed, nulls are explicit, numbers in the classic locale.
std::string to_json(const Document& doc);
// Several documents from one input (a compiled PDF) as a JSON array.
std::string to_json(const std::vector<Document>& docs);
// One line of JSON Lines: the document without indentation, then "\n".
std::string to_json_line(const Document& doc);
// The JSON names in kebab-case; arrays are wrappers of singular items; null is absence.
std::string to_xml(const Document& doc);
}  // namespace write

namespace read {
// Error codes: bad-json (syntax or shape), nesting-too-deep, unsupported-schema-version.
Result<Document> from_json(std::string_view text);
// One document or an array of them.
Result<std::vector<Document>> documents_from_json(std::string_view text);
// Error codes: bad-xml (syntax, namespace or shape), nesting-too-deep,
// unsupported-schema-version.
Result<Document> from_xml(std::string_view text);
}  // namespace read

}  // namespace hoshin
