#include "ingest/decode.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "text/normalize.h"

namespace hoshin::ingest {
namespace {

constexpr size_t kDetectionSample = 16 * 1024;

struct ConverterDeleter {
    void operator()(UConverter* c) const { ucnv_close(c); }
};
struct DetectorDeleter {
    void operator()(UCharsetDetector* d) const { ucsdet_close(d); }
};

// Shift_JIS as published by Japanese offices is nearly always CP932 (it holds
// NEC/IBM extensions such as U+9AD9), so decode it with ICU's windows-31j table.
std::string converter_for(const std::string& name) {
    std::string upper = name;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    if (upper == "SHIFT_JIS" || upper == "SJIS" || upper == "CP932" || upper == "MS932" || upper == "WINDOWS-31J")
        return "windows-31j";
    return name;
}

}  // namespace

bool known_encoding(const std::string& name) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UConverter, ConverterDeleter> conv(ucnv_open(converter_for(name).c_str(), &status));
    return U_SUCCESS(status) && !name.empty();
}

namespace {

Result<std::string> convert(std::string_view bytes, const std::string& encoding) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UConverter, ConverterDeleter> conv(ucnv_open(converter_for(encoding).c_str(), &status));
    if (U_FAILURE(status)) return Error{ErrorCode::unknown_encoding, "unknown encoding '" + encoding + "'"};
    ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    std::vector<UChar> u16(bytes.size() * 2 + 16);
    const char* src = bytes.data();
    const char* src_end = src + bytes.size();
    UChar* dst = u16.data();
    ucnv_toUnicode(conv.get(), &dst, dst + u16.size(), &src, src_end, nullptr, true, &status);
    if (U_FAILURE(status)) {
        return Error{ErrorCode::decode_error, "invalid " + encoding + " byte sequence at byte offset " +
                                         std::to_string(src - bytes.data() - 1)};
    }
    icu::UnicodeString u(u16.data(), static_cast<int32_t>(dst - u16.data()));
    std::string out;
    u.toUTF8String(out);
    return out;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// ICU's standard name for what the user typed ("sjis" -> "Shift_JIS").
std::string canonical_name(const std::string& name) {
    if (converter_for(name) == "windows-31j") return "Shift_JIS";
    UErrorCode status = U_ZERO_ERROR;
    // The MIME name is the familiar one (EUC-JP, not IANA's long name).
    const char* standard = ucnv_getStandardName(name.c_str(), "MIME", &status);
    if (U_FAILURE(status) || !standard) {
        status = U_ZERO_ERROR;
        standard = ucnv_getStandardName(name.c_str(), "IANA", &status);
    }
    return U_SUCCESS(status) && standard ? std::string(standard) : name;
}

// UTF-16 without a byte order mark: Japanese text has a NUL in most ASCII
// code units (line ends, digits, tabs), nearly all at one parity; a few
// ideographs such as U+4E00 put one at the other.
std::optional<std::string> guess_utf16(std::string_view bytes) {
    if (bytes.size() < 4 || bytes.size() % 2 != 0) return std::nullopt;
    size_t even = 0, odd = 0;
    for (size_t i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == 0) ++(i % 2 == 0 ? even : odd);
    }
    size_t units = bytes.size() / 2;
    if (odd * 20 > units && odd > 4 * even) return std::string("UTF-16LE");
    if (even * 20 > units && even > 4 * odd) return std::string("UTF-16BE");
    return std::nullopt;
}

// Control bytes other than tab, LF, CR, form feed and ESC (ISO-2022-JP) mean
// this is no text.
bool looks_binary(std::string_view bytes) {
    size_t n = std::min<size_t>(bytes.size(), 1 << 16), bad = 0;
    for (size_t i = 0; i < n; ++i) {
        unsigned char c = static_cast<unsigned char>(bytes[i]);
        if (c == 0) return true;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B) ++bad;
    }
    return bad * 100 > n;  // more than 1% control bytes
}

// Japanese prose in Shift_JIS without ICU's detector, which runs every
// language's n-gram model and cost a Shift_JIS document twice a UTF-8 one:
// the bytes follow CP932's grammar, break EUC-JP's (a lead byte 0x81-0xA0
// that EUC-JP never has), and read as Japanese (hiragana among the
// double-byte characters, as in any sentence). Anything else, EUC-JP
// included (which is often valid CP932 too), goes to the detector.
constexpr size_t kMinHiraganaPerMille = 50;  // of double-byte characters; prose has 300 or more
bool plain_shift_jis(std::string_view bytes) {
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
    size_t n = bytes.size(), doubles = 0, hiragana = 0;
    bool euc_breaker = false;
    for (size_t i = 0; i < n;) {
        uint8_t c = p[i];
        if (c < 0x80 || (c >= 0xA1 && c <= 0xDF)) {  // ASCII, half-width katakana
            ++i;
            continue;
        }
        bool lead = (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC);
        if (!lead || i + 1 >= n) return false;
        uint8_t t = p[i + 1];
        if (t < 0x40 || t == 0x7F || t > 0xFC) return false;
        if (c <= 0xA0 && c != 0x8E && c != 0x8F) euc_breaker = true;  // 0x8E/0x8F are EUC-JP's single shifts
        ++doubles;
        if (c == 0x82 && t >= 0x9F && t <= 0xF1) ++hiragana;
        i += 2;
    }
    return euc_breaker && doubles > 0 && hiragana * 1000 >= doubles * kMinHiraganaPerMille;
}

// UTF-8 but for a few invalid byte sequences: at least kDamagedUtf8Ratio
// valid multi-byte code points for each invalid one. Shift_JIS and EUC-JP
// text is nearly all invalid as UTF-8, so it never passes.
std::optional<Decoded> damaged_utf8(std::string_view bytes) {
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
    int32_t n = static_cast<int32_t>(bytes.size());
    Decoded d;
    d.encoding = "UTF-8";
    d.utf8.reserve(bytes.size() + 16);
    size_t multi = 0;
    // Lines are counted as layout::rows_from_text counts them: CR, LF and
    // CRLF end a line; a form feed ends one unless it starts it.
    int line = 1;
    bool fresh = true;
    for (int32_t i = 0; i < n;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0) {
            d.utf8 += "\xEF\xBF\xBD";  // U+FFFD
            ++d.replaced;
            if (d.replaced_lines.empty() || d.replaced_lines.back() != line) d.replaced_lines.push_back(line);
            fresh = false;
            continue;
        }
        multi += i - start > 1;
        d.utf8.append(bytes.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
        if (c == '\r' || c == '\n' || (c == '\f' && !fresh)) {
            ++line;
            fresh = true;
            if (c == '\r' && i < n && p[i] == '\n') {
                d.utf8 += '\n';
                ++i;
            }
        } else if (c != '\f') {
            fresh = false;
        }
    }
    if (d.replaced == 0 || multi < d.replaced * kDamagedUtf8Ratio) return std::nullopt;
    return d;
}

// ISO-2022-JP's kanji-in escape sequences (ESC $ B, ESC $ @), in one pass.
bool iso_2022_jp_escape(std::string_view body) {
    for (size_t at = body.find('\x1B'); at != std::string_view::npos; at = body.find('\x1B', at + 1))
        if (at + 2 < body.size() && body[at + 1] == '$' && (body[at + 2] == 'B' || body[at + 2] == '@')) return true;
    return false;
}

}  // namespace

Result<Decoded> decode(std::string_view bytes, const std::optional<std::string>& forced) {
    if (bytes.empty()) return Error{ErrorCode::empty_input, "file is empty"};
    std::string encoding;
    std::string_view body = bytes;
    bool validated = false;  // UTF-8 already checked
    if (forced) {
        encoding = canonical_name(*forced);
        if (starts_with(body, "\xEF\xBB\xBF") && converter_for(encoding) == "UTF-8") body.remove_prefix(3);
    } else if (starts_with(body, "\xEF\xBB\xBF")) {
        encoding = "UTF-8";
        body.remove_prefix(3);
    } else if (starts_with(body, "\xFF\xFE")) {
        encoding = "UTF-16LE";
        body.remove_prefix(2);
    } else if (starts_with(body, "\xFE\xFF")) {
        encoding = "UTF-16BE";
        body.remove_prefix(2);
    } else if (auto utf16 = guess_utf16(body)) {
        encoding = *utf16;
    } else if (looks_binary(body)) {
        return Error{ErrorCode::binary_input, "file is binary, not text (control or NUL bytes)"};
    } else if (iso_2022_jp_escape(body)) {
        // ISO-2022-JP is 7-bit, so it would pass for UTF-8; its kanji-in
        // escape sequences give it away.
        encoding = "ISO-2022-JP";
    } else if (text::valid_utf8(body)) {
        encoding = "UTF-8";
        validated = true;
    } else if (auto damaged = damaged_utf8(body)) {
        return std::move(*damaged);
    } else if (plain_shift_jis(body)) {
        encoding = "Shift_JIS";
    } else {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<UCharsetDetector, DetectorDeleter> det(ucsdet_open(&status));
        // A prefix is enough to tell the encodings apart, and scanning the
        // whole file dominated the time of a Shift_JIS document.
        // The sample starts at the first non-ASCII byte: an ASCII preamble
        // tells the detector nothing.
        size_t from = 0;
        while (from < body.size() && static_cast<unsigned char>(body[from]) < 0x80) ++from;
        std::string_view sample = body.substr(from, kDetectionSample);
        ucsdet_setText(det.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
        int32_t found = 0;
        const UCharsetMatch** matches = ucsdet_detectAll(det.get(), &found, &status);
        if (U_FAILURE(status) || found == 0) return Error{ErrorCode::unknown_encoding, "cannot detect the text encoding"};
        // Take the best match that decodes the whole file without error.
        for (int32_t i = 0; i < found; ++i) {
            const char* name = ucsdet_getName(matches[i], &status);
            if (U_FAILURE(status)) break;
            std::string candidate = name;
            // UTF-8 failed validation above; UTF-16/32 without a BOM were
            // handled by guess_utf16 and would "decode" any even-length input.
            if (candidate.rfind("UTF-16", 0) == 0 || candidate.rfind("UTF-32", 0) == 0) continue;
            if (candidate == "UTF-8" && !text::valid_utf8(body)) continue;
            auto converted = convert(body, candidate);
            if (converted.ok()) {
                encoding = candidate;
                return Decoded{std::move(converted.value()), encoding, {}, 0};
            }
        }
        return Error{ErrorCode::unknown_encoding, "cannot detect the text encoding (not UTF-8, Shift_JIS, EUC-JP or UTF-16)"};
    }
    if (encoding == "UTF-8" && !forced) {
        if (!validated && !text::valid_utf8(body)) {
            if (auto damaged = damaged_utf8(body)) return std::move(*damaged);
            return Error{ErrorCode::decode_error, "invalid UTF-8 after the byte order mark"};
        }
        return Decoded{std::string(body), encoding, {}, 0};
    }
    auto converted = convert(body, encoding);
    if (!converted.ok()) return converted.error();
    std::string& out = converted.value();
    if (starts_with(out, "\xEF\xBB\xBF")) out.erase(0, 3);
    if (looks_binary(out)) return Error{ErrorCode::binary_input, "decoded text contains NUL or control characters"};
    return Decoded{std::move(out), encoding, {}, 0};
}

}  // namespace hoshin::ingest
