// SHA-256 (FIPS 180-4) of a file's bytes, for source.sha256 and resume keys.
#pragma once

#include <string>
#include <string_view>

namespace hoshin::ingest {

std::string sha256_hex(std::string_view bytes);

}  // namespace hoshin::ingest
