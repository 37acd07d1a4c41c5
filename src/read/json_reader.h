// read: JSON written by write::to_json -> Document (later stages read
// converted files instead of re-parsing sources).
#pragma once

#include <string_view>
#include <vector>

#include "hoshin/formats.h"  // from_json, documents_from_json (the public API)
#include "model/document.h"
#include "model/error.h"

namespace hoshin::read {

// Deepest nesting of arrays/objects (JSON) or elements (XML) read; a
// document nests at most 7 deep, so deeper input is not ours (error nesting-too-deep).
inline constexpr int kMaxNesting = 64;


}  // namespace hoshin::read
