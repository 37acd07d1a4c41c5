// Goal matching and inline diffs.
#include <gtest/gtest.h>

#include "diff/diff.h"

namespace hoshin::diff {
namespace {

TEST(Similarity, IdenticalWidthFoldedAndUnrelated) {
    EXPECT_DOUBLE_EQ(similarity("地域防災計画の改訂", "地域防災計画の改訂"), 1.0);
    EXPECT_DOUBLE_EQ(similarity("令和3年度 計画", "令和３年度計画"), 1.0);  // width and spaces fold
    EXPECT_GT(similarity("地域防災計画の改訂", "地域防災計画の見直し"), 0.4);
    EXPECT_LT(similarity("地域防災計画の改訂", "働き方改革に関する取組の推進"), 0.2);
    EXPECT_DOUBLE_EQ(similarity("", "abc"), 0.0);
}

TEST(Assign, OptimalNotGreedy) {
    // Greedy would take (0,0)=0.9 and leave row 1 with 0.1; the optimum is 0.8 + 0.85.
    std::vector<std::vector<double>> s = {{0.9, 0.8}, {0.85, 0.1}};
    EXPECT_EQ(assign(s, 0.3), (std::vector<int>{1, 0}));
}

TEST(Assign, ThresholdAndRectangular) {
    std::vector<std::vector<double>> s = {{0.2, 0.1, 0.9}, {0.05, 0.1, 0.2}};
    EXPECT_EQ(assign(s, 0.35), (std::vector<int>{2, -1}));
    EXPECT_TRUE(assign({}, 0.35).empty());
}

TEST(InlineDiff, WordLevelOnIcuBoundaries) {
    auto ops = inline_diff("フェイスブックなどのSNSも活用", "LINEなどのSNSも活用");
    ASSERT_GE(ops.size(), 3u);
    EXPECT_EQ(ops[0], (InlineOp{InlineOp::Kind::insert, "LINE"}));
    EXPECT_EQ(ops[1], (InlineOp{InlineOp::Kind::remove, "フェイスブック"}));
    EXPECT_EQ(ops.back().kind, InlineOp::Kind::equal);
    std::string rebuilt;
    for (const auto& op : ops)
        if (op.kind != InlineOp::Kind::remove) rebuilt += op.text;
    EXPECT_EQ(rebuilt, "LINEなどのSNSも活用");
}

TEST(SameText, FoldsWidthSpacingNotContent) {
    EXPECT_TRUE(same_text(std::string("ＡＢＣ 1"), std::string("ABC1")));
    EXPECT_FALSE(same_text(std::string("A"), std::string("B")));
    EXPECT_TRUE(same_text(std::nullopt, std::nullopt));
    EXPECT_FALSE(same_text(std::string("A"), std::nullopt));
}

TEST(Diff, RenumberedGoalIsUnchangedWithBothNumbers) {
    Document a, b;
    Goal g;
    g.number = 5;
    g.title = "消防団を中核とした地域防災力の充実強化";
    a.goals.push_back(g);
    g.number = 4;
    b.goals.push_back(g);
    DocumentDiff d = diff(a, b);
    ASSERT_EQ(d.goals.size(), 1u);
    EXPECT_EQ(d.goals[0].status, "unchanged");
    EXPECT_EQ(d.goals[0].old_number, 5);
    EXPECT_EQ(d.goals[0].new_number, 4);
}

}  // namespace
}  // namespace hoshin::diff
