// Unit tests for model/error.h: the error codes' one name table, held to the
// README's table of codes, and Result's checks.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "model/error.h"

namespace hoshin {
namespace {

// The codes the README's error table lists, in its order: the backquoted
// names in the first column of the table under "| code | meaning |".
std::vector<std::string> readme_codes() {
    std::ifstream in(std::string(HOSHIN_SOURCE_DIR) + "/README.md");
    std::string line;
    std::vector<std::string> out;
    bool in_table = false;
    const std::regex name("`([a-z0-9-]+)`");
    while (std::getline(in, line)) {
        if (line == "| code | meaning |") {
            in_table = true;
            continue;
        }
        if (!in_table) continue;
        if (line.empty() || line[0] != '|') break;
        if (line.rfind("|---", 0) == 0) continue;
        std::string first = line.substr(1, line.find('|', 1) - 1);
        for (std::sregex_iterator it(first.begin(), first.end(), name), end; it != end; ++it) out.push_back((*it)[1]);
    }
    return out;
}

TEST(ErrorCodes, ReadmeTableListsExactlyTheCodes) {
    std::vector<std::string> documented = readme_codes();
    ASSERT_FALSE(documented.empty()) << "no error table found in README.md";
    std::vector<std::string> declared;
    for (ErrorCode c : all_error_codes()) declared.push_back(to_string(c));
    EXPECT_EQ(documented, declared);
}

TEST(ErrorCodes, NamesRoundTripAndAreUnique) {
    std::set<std::string> seen;
    for (ErrorCode c : all_error_codes()) {
        std::string n = to_string(c);
        EXPECT_TRUE(seen.insert(n).second) << n;
        EXPECT_EQ(error_code_from_string(n), c) << n;
        EXPECT_TRUE(std::regex_match(n, std::regex("[a-z0-9]+(-[a-z0-9]+)*"))) << n;
    }
    EXPECT_EQ(error_code_from_string("no-such-code"), std::nullopt);
}

TEST(ErrorCodes, FormatMessageUsesTheName) {
    EXPECT_EQ(format_message("a.pdf", "error", ErrorCode::pdf_damaged, "PDF cannot be opened", 0, 3),
              "hoshin: a.pdf:3: error: PDF cannot be opened [pdf-damaged]");
}

TEST(ResultTest, ValueOfAnErrorThrowsInsteadOfReadingNothing) {
    Result<int> r = Error{ErrorCode::timeout, "slow"};
    EXPECT_FALSE(r.ok());
    EXPECT_THROW((void)r.value(), std::logic_error);
    Result<int> ok = 3;
    EXPECT_EQ(ok.value(), 3);
    EXPECT_THROW((void)ok.error(), std::logic_error);
}

}  // namespace
}  // namespace hoshin
