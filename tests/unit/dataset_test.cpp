// Unit tests for dataset/dataset.h: the short-word search tokens, and the
// dataset's own search query (search.sql) over a database written by Writer,
// for queries of one to five characters.
#include <gtest/gtest.h>

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "dataset/dataset.h"

namespace hoshin::dataset {
namespace {

namespace fs = std::filesystem;

// ---- short_grams ----------------------------------------------------------

TEST(ShortGrams, OnePairPerCharacterAndTheLastAlone) {
    EXPECT_EQ(short_grams("防災計画"), "防災 災計 計画 画");
}

TEST(ShortGrams, SingleCharacterRun) {
    EXPECT_EQ(short_grams("防"), "防");
    EXPECT_EQ(short_grams("防、災"), "防 災");
}

TEST(ShortGrams, PunctuationAndSpacesEndARun) {
    // ・ and the space are not token characters: no pair crosses them.
    EXPECT_EQ(short_grams("SNS・LINE 2件"), "SN NS S LI IN NE E 2件 件");
}

TEST(ShortGrams, EmptyAndNoTokens) {
    EXPECT_EQ(short_grams(""), "");
    EXPECT_EQ(short_grams("、。・"), "");
}

TEST(SearchForm, FoldsWidthNotCase) {
    EXPECT_EQ(search_form("ＬＩＮＥ"), "LINE");
    EXPECT_EQ(search_form("ｶﾞｲﾄﾞ"), "ガイド");
    EXPECT_EQ(search_form("髙橋"), "髙橋");
}

// ---- the search query over a written dataset ------------------------------

class SearchQuery : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("hoshin-dataset-test-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        Document d;
        d.source = {"a.txt", "text", std::string(64, '0'), "UTF-8", 1};
        d.municipality.name = "柏原市";
        d.department.name = "政策推進部";
        d.basic_policy = {"防災計画を見直します。", "ＬＩＮＥで発信します。"};
        Goal g;
        g.number = 1;
        g.title = "危機管理課と連携した避難訓練";
        d.goals.push_back(g);
        auto w = Writer::open(dir_);
        ASSERT_TRUE(w.ok()) << w.error().message;
        ASSERT_FALSE(w.value()->add(d, "a.txt", 0));
        ASSERT_FALSE(w.value()->finish());
        std::ifstream in(dir_ / "search.sql");
        std::stringstream ss;
        ss << in.rdbuf();
        query_ = ss.str();
        ASSERT_EQ(sqlite3_open_v2((dir_ / "hoshin.sqlite").c_str(), &db_, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    }
    void TearDown() override {
        if (db_) sqlite3_close(db_);
        fs::remove_all(dir_);
    }
    // The marked texts the query finds for q.
    std::set<std::string> find(const std::string& q) {
        std::set<std::string> out;
        sqlite3_stmt* st = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db_, query_.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
        sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":q"), q.c_str(), -1, SQLITE_TRANSIENT);
        while (sqlite3_step(st) == SQLITE_ROW) out.insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 6)));
        sqlite3_finalize(st);
        return out;
    }
    fs::path dir_;
    std::string query_;
    sqlite3* db_ = nullptr;
};

TEST_F(SearchQuery, OneCharacterInsideAndAtTheEndOfARun) {
    EXPECT_EQ(find("災"), (std::set<std::string>{"防[災]計画を見直します。"}));
    // 練 ends its run: found by its own token, not by a pair.
    EXPECT_EQ(find("練"), (std::set<std::string>{"危機管理課と連携した避難訓[練]"}));
    EXPECT_TRUE(find("鬼").empty());
}

TEST_F(SearchQuery, TwoCharactersAreAPairNotTwoCharacters) {
    EXPECT_EQ(find("避難"), (std::set<std::string>{"危機管理課と連携した[避難]訓練"}));
    // Both characters occur, but never side by side.
    EXPECT_TRUE(find("防見").empty());
}

TEST_F(SearchQuery, PunctuationInAShortQueryIsNotAToken) {
    // The tokenizer keeps 防 of "、防": the rows 防 finds (more than LIKE
    // would; nothing would be less useful), unmarked, as 、防 is not there.
    EXPECT_EQ(find("、防"), (std::set<std::string>{"防災計画を見直します。"}));
    EXPECT_EQ(find("防"), (std::set<std::string>{"[防]災計画を見直します。"}));
}

TEST_F(SearchQuery, ThreeCharactersAndMoreByTrigrams) {
    EXPECT_EQ(find("危機管理課"), (std::set<std::string>{"[危機管理課]と連携した避難訓練"}));
    EXPECT_EQ(find("見直し"), (std::set<std::string>{"防災計画を[見直し]ます。"}));
}

TEST_F(SearchQuery, QueryIsFoldedLikeTheIndex) {
    EXPECT_EQ(find("ＬＩＮＥ"), find("LINE"));
    EXPECT_EQ(find("LINE").size(), 1u);
    EXPECT_EQ(find("ＬＩ"), find("LI"));
    EXPECT_EQ(find("LI").size(), 1u);
}

}  // namespace
}  // namespace hoshin::dataset
