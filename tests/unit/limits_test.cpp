// The explicit limits, each exceeded once, and SHA-256 against FIPS vectors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "convert/convert.h"
#include "ingest/sha256.h"
#include "ingest/pdf.h"
#include "layout/rows.h"
#include "parse/parser.h"
#include "read/json_reader.h"
#include "read/xml_reader.h"

namespace {

using namespace hoshin;

TEST(Sha256, FipsVectors) {
    EXPECT_EQ(ingest::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(ingest::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(ingest::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(ingest::sha256_hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Limits, TooManyLines) {
    std::string text(layout::kMaxLines + 1, '\n');
    auto r = layout::rows_from_text(text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::too_many_lines);
    EXPECT_TRUE(layout::rows_from_text(std::string(layout::kMaxLines - 1, '\n')).ok());
}

std::string many_goals(size_t n) {
    std::string text = "\xE4\xBB\xA4\xE5\x92\x8C" "3\xE5\xB9\xB4\xE5\xBA\xA6\n";  // 令和3年度
    for (size_t i = 1; i <= n; ++i) {
        // 重点目標 N <tab> title
        text += "\xE9\x87\x8D\xE7\x82\xB9\xE7\x9B\xAE\xE6\xA8\x99 " + std::to_string(i) + "\tT" + std::to_string(i) + "\n";
    }
    return text;
}

TEST(Limits, TooManyGoals) {
    auto over = convert_text(many_goals(parse::kMaxGoals + 1), "goals.txt", {});
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().code, ErrorCode::too_many_goals);
    auto at = convert_text(many_goals(parse::kMaxGoals - 1), "goals.txt", {});
    ASSERT_TRUE(at.ok()) << at.error().message;
    EXPECT_EQ(at->goals.size(), parse::kMaxGoals - 1);
}

TEST(Limits, InputTooLarge) {
    auto path = std::filesystem::temp_directory_path() / "hoshin_limits_large.txt";
    {
        std::ofstream out(path, std::ios::binary);
        out.seekp(static_cast<std::streamoff>(kMaxInputBytes));  // sparse: one byte past the limit
        out.put('\n');
    }
    auto r = convert_file(path, {});
    std::filesystem::remove(path);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::input_too_large);
}

TEST(Limits, JsonNestingTooDeep) {
    std::string deep = std::string(read::kMaxNesting + 1, '[') + std::string(read::kMaxNesting + 1, ']');
    auto r = read::from_json(deep);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::nesting_too_deep);
    // At the limit it is only the wrong shape; brackets inside strings do not count.
    std::string at = std::string(read::kMaxNesting, '[') + std::string(read::kMaxNesting, ']');
    EXPECT_EQ(read::from_json(at).error().code, ErrorCode::bad_json);
    EXPECT_EQ(read::from_json("[\"" + std::string(200, '[') + "\"]").error().code, ErrorCode::bad_json);
}

TEST(Limits, XmlNestingTooDeep) {
    std::string deep;
    for (int k = 0; k <= read::kMaxNesting; ++k) deep += "<a>";
    for (int k = 0; k <= read::kMaxNesting; ++k) deep += "</a>";
    auto r = read::from_xml(deep);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::nesting_too_deep);
    std::string at;  // 64 elements deep, text in the innermost
    for (int k = 0; k < read::kMaxNesting; ++k) at += "<a>";
    at += "text";
    for (int k = 0; k < read::kMaxNesting; ++k) at += "</a>";
    EXPECT_EQ(read::from_xml(at).error().code, ErrorCode::bad_xml);  // not a policy document, but not too deep
}

// A one-page PDF (width x height points) whose page shows `lines` lines of
// `text` in a `size`-point font (Poppler rebuilds the missing xref table).
std::string pdf_with_text(int lines, const std::string& text, double size, int width = 595, int height = 842) {
    std::string content = "BT /F1 " + std::to_string(size) + " Tf 1 0 0 1 10 " + std::to_string(height - 2 * size) + " Tm\n";
    for (int k = 0; k < lines; ++k) content += "(" + text + ") Tj 0 -" + std::to_string(size * 1.2) + " Td\n";
    content += "ET\n";
    return "%PDF-1.4\n"
           "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
           "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
           "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::to_string(width) + " " + std::to_string(height) +
           "] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
           "4 0 obj << /Length " + std::to_string(content.size()) + " >> stream\n" + content +
           "endstream endobj\n"
           "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
           "trailer << /Root 1 0 R >>\n%%EOF\n";
}

size_t letters(const ingest::PdfText& pdf) {
    size_t n = 0;
    for (const auto& w : pdf.pages.at(0).words) n += w.text.size();  // ASCII: bytes are characters
    return n;
}

TEST(Limits, TooManyTinyCharactersOnOnePage) {
    // 60 lines of 1,000 letters at 0.2 pt: Poppler would keep 50,000 of the 60,000.
    auto over = ingest::read_pdf(pdf_with_text(60, std::string(1000, 'x'), 0.2), std::nullopt);
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().code, ErrorCode::too_much_text);
    EXPECT_EQ(over.error().page, 1);
    // Spaces count towards Poppler's cap: 60 lines of 200 "xxxx " are 48,000
    // letters, of which Poppler keeps 40,000.
    std::string words;
    for (int k = 0; k < 200; ++k) words += "xxxx ";
    auto spaced = ingest::read_pdf(pdf_with_text(60, words, 0.2), std::nullopt);
    ASSERT_FALSE(spaced.ok());
    EXPECT_EQ(spaced.error().code, ErrorCode::too_much_text);
    // Under the limit, everything is read.
    auto under = ingest::read_pdf(pdf_with_text(45, std::string(1000, 'x'), 0.2), std::nullopt);
    ASSERT_TRUE(under.ok()) << under.error().code;
    EXPECT_EQ(letters(under.value()), 45000u);
}

TEST(Limits, ManyCharactersOfReadableSizeAreNotCapped) {
    // 500 lines of 100 letters at 10 pt on a tall page: 50,000 characters, all kept.
    auto big = ingest::read_pdf(pdf_with_text(500, std::string(100, 'x'), 10, 1000, 6100), std::nullopt);
    ASSERT_TRUE(big.ok()) << big.error().code << ": " << big.error().message;
    EXPECT_EQ(letters(big.value()), 50000u);
}

}  // namespace
