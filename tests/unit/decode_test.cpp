// Unit tests for ingest/decode.h (and ingest/sha256.h): charset detection
// and conversion to UTF-8.
#include <gtest/gtest.h>

#include "support.h"

#include <unicode/unistr.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "ingest/decode.h"
#include "ingest/sha256.h"

namespace hoshin::ingest {
namespace {

using hoshin::testing::read_bytes;

std::string utf16(std::string_view utf8, bool little_endian) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    std::string out;
    for (int32_t i = 0; i < u.length(); ++i) {
        char16_t c = u.charAt(i);
        char lo = static_cast<char>(c & 0xFF), hi = static_cast<char>((c >> 8) & 0xFF);
        if (little_endian) {
            out += lo;
            out += hi;
        } else {
            out += hi;
            out += lo;
        }
    }
    return out;
}

const std::string kText = "令和3年度 政策推進部の運営方針\n部(局)\t政策推進部\n";

// The two lines below, encoded as EUC-JP (made with iconv -t EUC-JP).
const char* const kEucText = "令和3年度 政策推進部の運営方針\n市民との協働により、市の課題解決を目指します。\n";
const unsigned char kEucBytes[] = {
    0xce, 0xe1, 0xcf, 0xc2, 0x33, 0xc7, 0xaf, 0xc5, 0xd9, 0x20, 0xc0, 0xaf, 0xba, 0xf6, 0xbf, 0xe4, 0xbf, 0xca, 0xc9,
    0xf4, 0xa4, 0xce, 0xb1, 0xbf, 0xb1, 0xc4, 0xca, 0xfd, 0xbf, 0xcb, 0x0a, 0xbb, 0xd4, 0xcc, 0xb1, 0xa4, 0xc8, 0xa4,
    0xce, 0xb6, 0xa8, 0xc6, 0xaf, 0xa4, 0xcb, 0xa4, 0xe8, 0xa4, 0xea, 0xa1, 0xa2, 0xbb, 0xd4, 0xa4, 0xce, 0xb2, 0xdd,
    0xc2, 0xea, 0xb2, 0xf2, 0xb7, 0xe8, 0xa4, 0xf2, 0xcc, 0xdc, 0xbb, 0xd8, 0xa4, 0xb7, 0xa4, 0xde, 0xa4, 0xb9, 0xa1,
    0xa3, 0x0a};

std::string euc_bytes() { return std::string(reinterpret_cast<const char*>(kEucBytes), sizeof kEucBytes); }

TEST(Decode, Utf8WithoutBom) {
    auto d = decode(kText);
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_EQ(d->utf8, kText);
    EXPECT_EQ(d->encoding, "UTF-8");
}

TEST(Decode, Utf8WithBomRemovesBom) {
    auto d = decode("\xEF\xBB\xBF" + kText);
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_EQ(d->utf8, kText);
    EXPECT_EQ(d->encoding, "UTF-8");
}

TEST(Decode, Utf8BomWithInvalidBodyIsDecodeError) {
    auto d = decode("\xEF\xBB\xBF" "abc\xFF\xFE" "def");
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().code, ErrorCode::decode_error);
}

TEST(Decode, Utf16LeWithBom) {
    auto d = decode("\xFF\xFE" + utf16(kText, true));
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_EQ(d->utf8, kText);
    EXPECT_EQ(d->encoding, "UTF-16LE");
}

TEST(Decode, Utf16BeWithBom) {
    auto d = decode("\xFE\xFF" + utf16(kText, false));
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_EQ(d->utf8, kText);
    EXPECT_EQ(d->encoding, "UTF-16BE");
}

TEST(Decode, Utf16LeWithoutBom) {
    auto d = decode(utf16(kText, true));
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_EQ(d->utf8, kText);
    EXPECT_EQ(d->encoding, "UTF-16LE");
}

TEST(Decode, Utf16BeWithoutBom) {
    auto d = decode(utf16(kText, false));
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_EQ(d->utf8, kText);
    EXPECT_EQ(d->encoding, "UTF-16BE");
}

TEST(Decode, Cp932WithIbmExtensionIsDetected) {
    std::string bytes = read_bytes("tests/data/cp932_hashigo.txt");
    ASSERT_FALSE(bytes.empty());
    auto d = decode(bytes);
    ASSERT_TRUE(d.ok()) << d.error().code << ": " << d.error().message;
    EXPECT_EQ(d->encoding, "Shift_JIS");
    EXPECT_NE(d->utf8.find("髙橋 一郎"), std::string::npos);
    EXPECT_EQ(d->utf8.find("高橋"), std::string::npos);
    EXPECT_EQ(d->utf8, "令和3年度 テスト部の運営方針\r\n部(局)\tテスト部\t部(局)長\t髙橋 一郎\r\n");
}

TEST(Decode, Cp932ForcedAsShiftJis) {
    auto d = decode(read_bytes("tests/data/cp932_hashigo.txt"), std::string("Shift_JIS"));
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_NE(d->utf8.find("髙橋 一郎"), std::string::npos);
    EXPECT_EQ(d->encoding, "Shift_JIS");
}

TEST(Decode, Cp932SampleIsDetected) {
    auto d = decode(read_bytes("samples/kashiwara_r3_seisakusuishin_cp932.txt"));
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_EQ(d->encoding, "Shift_JIS");
    EXPECT_EQ(d->utf8.find("令和３年度 政策推進部の運営方針"), 4u);  // after two CRLF lines
}

TEST(Decode, Cp932AfterLongAsciiPrefix) {
    // A long ASCII preamble (rules, codes, English) before the Japanese text
    // must not make the detector settle on a single-byte charset.
    std::string prefix;
    while (prefix.size() < 40 * 1024) prefix += "-------\t-------\r\n";
    auto d = decode(prefix + read_bytes("tests/data/cp932_hashigo.txt"));
    ASSERT_TRUE(d.ok()) << d.error().code << ": " << d.error().message;
    EXPECT_EQ(d->encoding, "Shift_JIS");
    EXPECT_NE(d->utf8.find("髙橋 一郎"), std::string::npos);
}

TEST(Decode, LongCp932Document) {
    // The CP932 sample repeated well past any detection window.
    std::string one = read_bytes("samples/kashiwara_r3_seisakusuishin_cp932.txt");
    std::string bytes;
    while (bytes.size() < 100 * 1024) bytes += one + "\r\n";
    auto d = decode(bytes);
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_EQ(d->encoding, "Shift_JIS");
    EXPECT_NE(d->utf8.find("指定避難所の機能強化"), std::string::npos);
}

TEST(Decode, ShiftJisFastPathAgreesWithTheDetector) {
    // Detected without ICU's detector, the sample reads exactly as when
    // Shift_JIS is forced (and its golden output is unchanged).
    std::string bytes = read_bytes("samples/kashiwara_r3_seisakusuishin_cp932.txt");
    auto fast = decode(bytes);
    ASSERT_TRUE(fast.ok()) << fast.error().code;
    EXPECT_EQ(fast->encoding, "Shift_JIS");
    auto forced = decode(bytes, std::string("Shift_JIS"));
    ASSERT_TRUE(forced.ok());
    EXPECT_EQ(fast->utf8, forced->utf8);
}

TEST(Decode, LatinTextIsNotTakenForShiftJis) {
    // windows-1252 with curly quotes and accents, every high byte before a
    // letter: valid CP932 grammar that EUC-JP cannot be, but no hiragana.
    std::string latin = "The \x93na\xEFve\x94s r\xE9sum\xE9s, cr\xE8me br\xFBl\xE9" "es.\n";
    std::string bytes;
    for (int i = 0; i < 20; ++i) bytes += latin;
    auto d = decode(bytes);
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_NE(d->encoding, "Shift_JIS");
}

TEST(Decode, EucJpForced) {
    auto d = decode(euc_bytes(), std::string("EUC-JP"));
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_EQ(d->utf8, kEucText);
    EXPECT_EQ(d->encoding, "EUC-JP");
}

TEST(Decode, EucJpDetected) {
    auto d = decode(euc_bytes());
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_EQ(d->encoding, "EUC-JP");
    EXPECT_EQ(d->utf8, kEucText);
}

TEST(Decode, DamagedUtf8IsReadWithReplacementsAndLines) {
    // Two stray bytes (a Latin-1 byte and a cut-off lead byte) on lines 2 and 3
    // of otherwise UTF-8 text.
    std::string seed = read_bytes("samples/kashiwara_r3_seisakusuishin.txt");
    size_t l2 = seed.find('\n') + 1, l3 = seed.find('\n', l2) + 1;
    std::string bytes = seed.substr(0, l2) + "\xE9" + seed.substr(l2, l3 - l2) + "\xE3\x81" + seed.substr(l3);
    auto d = decode(bytes);
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_EQ(d->encoding, "UTF-8");
    EXPECT_EQ(d->replaced, 2u);
    EXPECT_EQ(d->replaced_lines, (std::vector<int>{2, 3}));
    EXPECT_EQ(d->utf8, seed.substr(0, l2) + "\uFFFD" + seed.substr(l2, l3 - l2) + "\uFFFD" + seed.substr(l3));
}

TEST(Decode, DamagedUtf8LinesCountedAsRowsCountThem) {
    // CR, CRLF and LF each end a line; a form feed at a line's start does not.
    std::string bytes;
    for (int k = 0; k < 30; ++k) bytes += "\xE6\x96\xB9\xE9\x87\x9D";  // 60 valid characters (方針)
    bytes += "\r2\r\n3\n\f4\xFF\f5\xFF\n";
    auto d = decode(bytes);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->replaced_lines, (std::vector<int>{4, 5}));
    // With a BOM in front it is the same damaged UTF-8, not a decode error.
    auto b = decode("\xEF\xBB\xBF" + bytes);
    ASSERT_TRUE(b.ok()) << b.error().code;
    EXPECT_EQ(b->replaced_lines, (std::vector<int>{4, 5}));
    EXPECT_EQ(b->utf8, d->utf8);
}

TEST(Decode, MostlyInvalidUtf8IsNotDamagedUtf8) {
    // Shift_JIS bytes are nearly all invalid as UTF-8: detected, not "repaired".
    auto d = decode(read_bytes("samples/kashiwara_r3_seisakusuishin_cp932.txt"));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->replaced, 0u);
    // One invalid sequence per ten valid ones is over the limit too.
    std::string bytes;
    for (int k = 0; k < 50; ++k) bytes += "\xE6\x96\xB9\xE9\x87\x9D\xE6\x96\xB9\xE9\x87\x9D\xE6\x96\xB9\xE9\x87\x9D\xE6\x96\xB9\xE9\x87\x9D\xE6\x96\xB9\xE9\x87\x9D\xFF\n";
    auto e = decode(bytes);
    EXPECT_TRUE(!e.ok() || e->replaced == 0u);
}

TEST(Decode, EmptyInput) {
    auto d = decode("");
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().code, ErrorCode::empty_input);
    auto forced = decode("", std::string("UTF-8"));
    ASSERT_FALSE(forced.ok());
    EXPECT_EQ(forced.error().code, ErrorCode::empty_input);
}

TEST(Decode, NulHeavyBinaryInput) {
    std::string bytes;
    uint32_t state = 12345;
    for (int i = 0; i < 4096; ++i) {
        state = state * 1103515245u + 12345u;
        bytes += (i % 3 == 0) ? '\0' : static_cast<char>((state >> 16) & 0xFF);
    }
    auto d = decode(bytes);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().code, ErrorCode::binary_input);
}

TEST(Decode, ControlHeavyBinaryInput) {
    std::string bytes(200, '\x01');
    bytes += "abc";
    auto d = decode(bytes);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().code, ErrorCode::binary_input);
}

TEST(Decode, ForcedUnknownEncoding) {
    auto d = decode(kText, std::string("no-such-encoding-xyz"));
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().code, ErrorCode::unknown_encoding);
}

TEST(Decode, ForcedUtf8WithInvalidBytes) {
    auto d = decode("abc\xFF\xFE" "def\n", std::string("UTF-8"));
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().code, ErrorCode::decode_error);
}

TEST(Decode, ForcedUtf8WithBomRemovesBom) {
    auto d = decode("\xEF\xBB\xBF" + kText, std::string("UTF-8"));
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_EQ(d->utf8, kText);
}

TEST(Decode, Utf16LeBomWithOddTrailingByteIsDecodeError) {
    auto d = decode("\xFF\xFE" + utf16("abc", true) + "a");
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().code, ErrorCode::decode_error);
}

TEST(Sha256, KnownVectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

}  // namespace
}  // namespace hoshin::ingest
