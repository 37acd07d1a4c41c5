// decode: bytes of a text edition -> UTF-8, with the encoding detected by ICU
// (or forced by the caller).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/error.h"

namespace hoshin::ingest {

struct Decoded {
    std::string utf8;      // BOM removed
    std::string encoding;  // canonical name, e.g. "UTF-8", "Shift_JIS", "UTF-16LE"
};

// Error codes: empty-input, binary-input, unknown-encoding, decode-error.
Result<Decoded> decode(std::string_view bytes, const std::optional<std::string>& forced_encoding = std::nullopt);

}  // namespace hoshin::ingest
