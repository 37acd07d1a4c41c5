// Reading inputs and writing outputs safely: an input read whole without
// blocking on a pipe or following a link loop; an output that is complete or
// absent (a temporary file in the same directory, then a rename).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "model/error.h"

namespace hoshin {

// Largest input read; larger files fail with input-too-large.
inline constexpr std::uintmax_t kMaxInputBytes = 64u << 20;

// The input name that stands for standard input.
inline constexpr const char* kStdinName = "-";

// Reads one input file whole, never blocking on a pipe or following a link
// loop; "-" reads standard input to its end (up to kMaxInputBytes). Error codes: not-found, is-directory, unreadable, input-too-large,
// empty-input, not-a-pdf (named .pdf without a PDF header).
Result<std::string> read_input(const std::filesystem::path& path);

// The first bytes of an input file (enough to tell a PDF), after the same
// checks and with the same error codes as read_input; not for "-".
inline constexpr std::uintmax_t kInputHeadBytes = 1024;
Result<std::string> read_input_head(const std::filesystem::path& path);

// Writes content to path through a temporary file in the same directory and
// a rename, so no reader ever sees a partial file. With `sync`, the data is
// on disk before the rename (fsync); without, the caller makes it durable
// some other way (bulk syncs the file system once per batch).
std::optional<Error> write_file_atomic(const std::filesystem::path& path, std::string_view content, bool sync = true);

// The temporary name an output is written under before its rename: PATH.tmp.PID.
std::filesystem::path temporary_name(const std::filesystem::path& path);

// Writes content to a new file (truncating one there), on disk before it
// returns with `sync`; a failed write leaves no file.
std::optional<Error> write_new_file(const std::filesystem::path& path, std::string_view content, bool sync = false);

}  // namespace hoshin
