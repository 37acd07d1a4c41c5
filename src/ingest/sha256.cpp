#include "ingest/sha256.h"

#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <stdexcept>
#include <vector>

namespace hoshin::ingest {

namespace {

std::string hex_digest(const unsigned char* digest, unsigned int len) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(64);
    for (unsigned int i = 0; i < len; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xF];
    }
    return out;
}

}  // namespace

// OpenSSL's libcrypto: it uses the CPU's SHA extensions where there are
// some, about ten times the speed of portable code (which took 5 % of a PDF
// conversion's time).
std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr) != 1 || len != 32)
        throw std::runtime_error("SHA-256 failed (libcrypto)");
    return hex_digest(digest, len);
}

std::optional<std::string> sha256_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256 failed (libcrypto)");
    std::vector<char> block(1 << 20);
    while (in) {
        in.read(block.data(), static_cast<std::streamsize>(block.size()));
        if (in.bad()) return std::nullopt;
        if (EVP_DigestUpdate(ctx.get(), block.data(), static_cast<size_t>(in.gcount())) != 1)
            throw std::runtime_error("SHA-256 failed (libcrypto)");
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1 || len != 32) throw std::runtime_error("SHA-256 failed (libcrypto)");
    return hex_digest(digest, len);
}

}  // namespace hoshin::ingest
