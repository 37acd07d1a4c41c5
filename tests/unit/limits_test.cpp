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
    EXPECT_EQ(r.error().code, "too-many-lines");
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
    EXPECT_EQ(over.error().code, "too-many-goals");
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
    EXPECT_EQ(r.error().code, "input-too-large");
}

TEST(Limits, JsonNestingTooDeep) {
    std::string deep = std::string(read::kMaxNesting + 1, '[') + std::string(read::kMaxNesting + 1, ']');
    auto r = read::from_json(deep);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "nesting-too-deep");
    // At the limit it is only the wrong shape; brackets inside strings do not count.
    std::string at = std::string(read::kMaxNesting, '[') + std::string(read::kMaxNesting, ']');
    EXPECT_EQ(read::from_json(at).error().code, "bad-json");
    EXPECT_EQ(read::from_json("[\"" + std::string(200, '[') + "\"]").error().code, "bad-json");
}

TEST(Limits, XmlNestingTooDeep) {
    std::string deep;
    for (int k = 0; k <= read::kMaxNesting; ++k) deep += "<a>";
    for (int k = 0; k <= read::kMaxNesting; ++k) deep += "</a>";
    auto r = read::from_xml(deep);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "nesting-too-deep");
    std::string at;
    for (int k = 0; k < read::kMaxNesting; ++k) at += "<a>";
    for (int k = 0; k < read::kMaxNesting; ++k) at += "</a>";
    EXPECT_EQ(read::from_xml(at).error().code, "bad-xml");  // not a policy document, but not too deep
}

// A one-page PDF whose page shows `lines` lines of `width` ASCII letters in a
// 0.2-point font (Poppler rebuilds the missing cross-reference table).
std::string pdf_with_text(int lines, int width) {
    std::string content = "BT /F1 0.2 Tf 1 0 0 1 10 800 Tm\n";
    std::string word(static_cast<size_t>(width), 'x');
    for (int k = 0; k < lines; ++k) content += "(" + word + ") Tj 0 -0.3 Td\n";
    content += "ET\n";
    return "%PDF-1.4\n"
           "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
           "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
           "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
           "/Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
           "4 0 obj << /Length " + std::to_string(content.size()) + " >> stream\n" + content +
           "endstream endobj\n"
           "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
           "trailer << /Root 1 0 R >>\n%%EOF\n";
}

TEST(Limits, TooMuchTextOnOnePage) {
    // 60 lines of 1,000 letters: 60,000 characters, of which Poppler would keep 50,000.
    auto over = ingest::read_pdf(pdf_with_text(60, 1000), std::nullopt);
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().code, "too-much-text");
    EXPECT_EQ(over.error().page, 1);
    auto under = ingest::read_pdf(pdf_with_text(45, 1000), std::nullopt);
    ASSERT_TRUE(under.ok()) << under.error().code;
    size_t chars = 0;
    for (const auto& w : under->pages.at(0).words) chars += w.text.size();  // ASCII: bytes are characters
    EXPECT_EQ(chars, 45000u);
}

}  // namespace
