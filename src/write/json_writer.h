// write: Document -> JSON (schemas/policy-document-1.schema.json). Key order
// is fixed, nulls are explicit, numbers classic-locale.
#pragma once

#include <string>
#include <vector>

#include "model/document.h"

namespace hoshin::write {

std::string to_json(const Document& doc);
// Several documents from one input (a compiled PDF) as a JSON array.
std::string to_json(const std::vector<Document>& docs);
// One line of JSON Lines: the document without indentation, then "\n".
std::string to_json_line(const Document& doc);

}  // namespace hoshin::write
