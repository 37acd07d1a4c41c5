// write: Document -> XML (schemas/policy-document-2.xsd). The JSON names in
// kebab-case; arrays are wrappers of singular items; null is absence.
#pragma once

#include <string>

#include "hoshin/formats.h"  // to_xml (the public API)
#include "model/document.h"

namespace hoshin::write {

inline constexpr const char* kXmlNamespace = "urn:hoshin:policy-document:2";
// Version 1's, which the reader still takes.
inline constexpr const char* kXmlNamespaceV1 = "urn:hoshin:policy-document:1";

// Shortest round-tripping, locale-independent decimal form of a double.
std::string format_double(double v);

}  // namespace hoshin::write
