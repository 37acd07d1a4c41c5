#include "io/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "ingest/pdf.h"

namespace hoshin {
namespace fs = std::filesystem;

namespace {

Result<std::string> read_stdin() {
    std::string bytes;
    char buf[1 << 16];
    for (;;) {
        ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Error{ErrorCode::unreadable, std::string("cannot read standard input: ") + std::strerror(errno)};
        if (n == 0) break;
        bytes.append(buf, static_cast<size_t>(n));
        if (bytes.size() > kMaxInputBytes)
            return Error{ErrorCode::input_too_large, "standard input is larger than the " + std::to_string(kMaxInputBytes >> 20) + " MiB limit"};
    }
    if (bytes.empty()) return Error{ErrorCode::empty_input, "standard input is empty"};
    return bytes;
}

}  // namespace

namespace {

// The checks before an input is read: it exists, is a regular file and is
// not too large. Returns its size.
Result<std::uintmax_t> check_input(const fs::path& path) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec == std::errc::too_many_symbolic_link_levels) return Error{ErrorCode::unreadable, "symbolic link loop"};
    if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) return Error{ErrorCode::unreadable, "cannot look it up: " + ec.message()};
    if (ec || !fs::exists(st)) return Error{ErrorCode::not_found, "no such file"};
    if (fs::is_directory(st)) return Error{ErrorCode::is_directory, "is a directory, not a file"};
    if (!fs::is_regular_file(st)) return Error{ErrorCode::unreadable, "not a regular file (device, pipe or socket)"};
    std::uintmax_t size = fs::file_size(path, ec);
    if (ec) return Error{ErrorCode::unreadable, "cannot read its size: " + ec.message()};
    if (size > kMaxInputBytes)
        return Error{ErrorCode::input_too_large, "file is larger than the " + std::to_string(kMaxInputBytes >> 20) + " MiB limit"};
    return size;
}

// Reads up to `limit` bytes from the start of a checked input.
Result<std::string> read_checked(const fs::path& path, std::uintmax_t size, std::uintmax_t limit) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{ErrorCode::unreadable, std::string("cannot open: ") + std::strerror(errno)};
    std::string bytes;
    bytes.resize(static_cast<size_t>(std::min(size, limit)));
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (static_cast<std::uintmax_t>(in.gcount()) != bytes.size()) return Error{ErrorCode::unreadable, "read error"};
    if (bytes.empty()) return Error{ErrorCode::empty_input, "file is empty"};
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".pdf" && !ingest::looks_like_pdf(bytes))
        return Error{ErrorCode::not_a_pdf, "file is named .pdf but is not a PDF (no %PDF- header)"};
    return bytes;
}

}  // namespace

Result<std::string> read_input(const fs::path& path) {
    if (path == kStdinName) return read_stdin();
    auto size = check_input(path);
    if (!size.ok()) return size.error();
    return read_checked(path, size.value(), size.value());
}

Result<std::string> read_input_head(const fs::path& path) {
    auto size = check_input(path);
    if (!size.ok()) return size.error();
    return read_checked(path, size.value(), kInputHeadBytes);
}

fs::path temporary_name(const fs::path& path) {
    fs::path tmp = path;
    tmp += ".tmp." + std::to_string(::getpid());
    return tmp;
}

// Writes content to a new file, on disk before it returns with `sync`.
std::optional<Error> write_new_file(const fs::path& path, std::string_view content, bool sync) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Error{ErrorCode::output_error, "cannot write " + path.string() + ": " + std::strerror(errno)};
    size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            ::unlink(path.c_str());
            return Error{ErrorCode::output_error, "cannot write " + path.string() + ": " + std::strerror(err)};
        }
        done += static_cast<size_t>(n);
    }
    if ((sync && ::fsync(fd) != 0) || ::close(fd) != 0) {
        ::unlink(path.c_str());
        return Error{ErrorCode::output_error, "cannot flush " + path.string()};
    }
    return std::nullopt;
}

std::optional<Error> write_file_atomic(const fs::path& path, std::string_view content, bool sync) {
    fs::path tmp = temporary_name(path);
    if (auto err = write_new_file(tmp, content, sync)) return err;
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return Error{ErrorCode::output_error, "cannot rename to " + path.string() + ": " + std::strerror(err)};
    }
    return std::nullopt;
}

}  // namespace hoshin
