// decode: bytes of a text edition -> UTF-8, with the encoding detected by ICU
// (or forced by the caller).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace hoshin::ingest {

struct Decoded {
    std::string utf8;      // BOM removed
    std::string encoding;  // canonical name, e.g. "UTF-8", "Shift_JIS", "UTF-16LE"
    // UTF-8 with a few invalid byte sequences (a damaged file) is decoded
    // with each one replaced by U+FFFD; these are the lines (1-based) where
    // that happened, in order, and how many sequences were replaced.
    std::vector<int> replaced_lines;
    size_t replaced = 0;
};

// At most this share of a text's non-ASCII code points may be invalid UTF-8
// byte sequences for it to be read as damaged UTF-8 (1 in kDamagedUtf8Ratio);
// more, and it is some other encoding.
inline constexpr size_t kDamagedUtf8Ratio = 20;

// True when `name` is an encoding the decoder can force (ICU knows it), so a
// caller can refuse a bad --encoding before any input is read.
bool known_encoding(const std::string& name);

// Error codes: empty-input, binary-input, unknown-encoding, decode-error.
Result<Decoded> decode(std::string_view bytes, const std::optional<std::string>& forced_encoding = std::nullopt);

}  // namespace hoshin::ingest
