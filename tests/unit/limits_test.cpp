// The explicit limits, each exceeded once, and SHA-256 against FIPS vectors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "convert/convert.h"
#include "ingest/sha256.h"
#include "layout/rows.h"
#include "parse/parser.h"

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

}  // namespace
