// Inputs found by review that once crashed, hung, lost text or were misread.
#include <gtest/gtest.h>

#include <unicode/ucnv.h>

#include <filesystem>
#include <fstream>

#include "convert/convert.h"
#include "ingest/decode.h"
#include "ingest/pdf.h"
#include "support.h"

namespace hoshin {
namespace {

using testing::read_bytes;
const char* const kSeed = "samples/kashiwara_r3_seisakusuishin.txt";

std::string encode(const std::string& utf8, const char* charset) {
    UErrorCode status = U_ZERO_ERROR;
    std::string out(utf8.size() * 4 + 16, '\0');
    int32_t n = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                             static_cast<int32_t>(utf8.size()), &status);
    EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
    out.resize(static_cast<size_t>(n));
    return out;
}

TEST(Robustness, Iso2022JpIsNotTakenForUtf8) {
    auto d = ingest::decode(encode(read_bytes(kSeed), "ISO-2022-JP"));
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_EQ(d->encoding, "ISO-2022-JP");
    EXPECT_EQ(d->utf8, read_bytes(kSeed));
}

TEST(Robustness, Utf16WithoutBomHoldingU4E00) {
    // U+4E00 (一) has a zero byte at the "wrong" parity.
    std::string text = read_bytes(kSeed) + "\n\xE4\xB8\x80\n";
    auto d = ingest::decode(encode(text, "UTF-16LE"));
    ASSERT_TRUE(d.ok()) << d.error().code;
    EXPECT_EQ(d->encoding, "UTF-16LE");
}

TEST(Robustness, ForcedEncodingNameIsCanonical) {
    auto d = ingest::decode(encode(read_bytes(kSeed), "windows-31j"), std::string("sjis"));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->encoding, "Shift_JIS");
}

TEST(Robustness, TextMentioningPdfHeaderIsText) {
    EXPECT_TRUE(ingest::looks_like_pdf("%PDF-1.7\n"));
    EXPECT_TRUE(ingest::looks_like_pdf("\n  %PDF-1.4\n"));
    EXPECT_FALSE(ingest::looks_like_pdf("about PDFs: %PDF-1.7 starts each file\n"));
}

TEST(Robustness, DeviceFilesAreUnreadableNotFatal) {
    auto r = convert_file("/dev/null", ConvertOptions{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::unreadable);
}

TEST(Robustness, ZeroWidthOnlySummaryRowIsBlank) {
    std::string text = read_bytes(kSeed);
    size_t at = text.find("\n1\t");
    ASSERT_NE(at, std::string::npos);
    text.insert(at + 1, "\xE2\x80\x8B\n");  // a row holding only U+200B before goal 1's row
    auto d = convert_text(text, "x.txt", {});
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->goals.size(), 6u);
}

TEST(Robustness, DuplicateSummaryRowAndSecondHeadAreKept) {
    std::string text = read_bytes(kSeed);
    size_t at = text.find("\n2\t");
    ASSERT_NE(at, std::string::npos);
    text.insert(at + 1, "1\tX\t(9)\tPLANX\tY\tFIELDX\tZ\n\tTITLEX\t\t\t\t\t\n");
    size_t head = text.find("\n\xE7\x90\x86\xE4\xBA\x8B");  // the officers' row (理事...)
    ASSERT_NE(head, std::string::npos);
    text.insert(head + 1, "\xE9\x83\xA8\xE9\x95\xB7\t\xE5\xB1\xB1\xE7\x94\xB0 \xE5\xA4\xAA\xE9\x83\x8E\n");  // 部長<TAB>山田 太郎
    auto d = convert_text(text, "x.txt", {});
    ASSERT_TRUE(d.ok());
    std::string all;
    for (const Unassigned& u : d->unassigned) all += u.text + "\n";
    EXPECT_NE(all.find("TITLEX"), std::string::npos) << all;
    EXPECT_NE(all.find("PLANX"), std::string::npos) << all;
    EXPECT_NE(all.find("\xE5\xB1\xB1\xE7\x94\xB0"), std::string::npos) << all;  // 山田
    EXPECT_EQ(d->department.head->name, "\xE5\xB8\x82\xE5\xB7\x9D \xE4\xBF\xA1\xE8\xA1\x8C");  // 市川 信行
}

TEST(Robustness, ManyCitySuffixesStayLinear) {
    std::string text = read_bytes(kSeed);
    std::string run;
    for (int i = 0; i < 50000; ++i) run += "\xE4\xBA\x9C\xE5\xB8\x82";  // 亜市 x 50,000
    text += "\n" + run + "\n";
    // A hang here (it once took minutes) trips CTest's per-test timeout.
    auto d = convert_text(text, "x.txt", {});
    ASSERT_TRUE(d.ok());
    EXPECT_FALSE(d->municipality.name.has_value());  // several cities named: none inferred
}

}  // namespace
}  // namespace hoshin
