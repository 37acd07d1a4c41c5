// SHA-256 (FIPS 180-4) of a file's bytes, for source.sha256 and resume keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hoshin::ingest {

std::string sha256_hex(std::string_view bytes);

// The same of a file, read in blocks; nullopt when it cannot be read.
std::optional<std::string> sha256_file(const std::string& path);

}  // namespace hoshin::ingest
