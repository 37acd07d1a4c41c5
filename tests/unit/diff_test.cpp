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
    // Deletion first, as [-old-]{+new+} reads.
    EXPECT_EQ(ops[0], (InlineOp{InlineOp::Kind::remove, "フェイスブック"}));
    EXPECT_EQ(ops[1], (InlineOp{InlineOp::Kind::insert, "LINE"}));
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
    EXPECT_EQ(d.goals[0].status, GoalStatus::unchanged);
    EXPECT_EQ(d.goals[0].old_number, 5);
    EXPECT_EQ(d.goals[0].new_number, 4);
    EXPECT_TRUE(d.goals[0].renumbered());
    EXPECT_EQ(d.renumbered, 1);
    EXPECT_TRUE(d.differs());  // renumbering alone is a difference for --exit-code
}

TEST(InlineDiff, EveryRunDeletesBeforeItInsertsAndRebuildsBothTexts) {
    const std::pair<const char*, const char*> cases[] = {
        {"フェイスブックなどのSNSも活用", "LINEなどのSNSも活用"},
        {"市民の安全と安心を守る", "市民が安心して暮らせるまちを守り育てる"},
        {"a b c d e", "x b y d z w"},
        {"", "新しい文"},
        {"古い文", ""},
    };
    for (const auto& [a, b] : cases) {
        auto ops = inline_diff(a, b);
        std::string old_text, new_text;
        for (size_t i = 0; i < ops.size(); ++i) {
            if (i > 0) {
                EXPECT_FALSE(ops[i - 1].kind == InlineOp::Kind::insert && ops[i].kind == InlineOp::Kind::remove) << a << " / " << b;
                EXPECT_NE(ops[i - 1].kind, ops[i].kind) << "runs are merged";
            }
            if (ops[i].kind != InlineOp::Kind::insert) old_text += ops[i].text;
            if (ops[i].kind != InlineOp::Kind::remove) new_text += ops[i].text;
        }
        EXPECT_EQ(old_text, a);
        EXPECT_EQ(new_text, b);
    }
}

Goal sample_goal(int number, const std::string& title) {
    Goal g;
    g.number = number;
    g.title = title;
    g.targets.push_back(Target{"SNSのフォロワー数を増やす", std::string("前年度比1.4倍"), std::string("A"), {}});
    g.initiatives.push_back(Initiative{"LINEで情報発信する", {"広報課", "秘書課"}, std::nullopt, {}});
    g.evaluation.grade = "B";
    return g;
}

TEST(Diff, AddedAndRemovedGoalsAreListedWhole) {
    Document a, b;
    a.goals.push_back(sample_goal(1, "情報発信の強化"));
    Goal other = sample_goal(1, "働き方改革に関する取組の推進");
    other.field = "行財政運営";
    other.targets[0].text = "時間外勤務を前年度より一割減らす";
    other.initiatives[0].text = "テレワークと時差出勤を全庁で試行する";
    b.goals.push_back(other);
    DocumentDiff d = diff(a, b);
    ASSERT_EQ(d.goals.size(), 2u);
    const GoalDiff& added = d.goals[0];
    const GoalDiff& removed = d.goals[1];
    EXPECT_EQ(added.status, GoalStatus::added);
    EXPECT_EQ(removed.status, GoalStatus::removed);
    std::vector<std::string> fields;
    for (const FieldChange& c : added.changes) {
        fields.push_back(c.field);
        EXPECT_FALSE(c.old_value.has_value()) << c.field;
    }
    EXPECT_EQ(fields, (std::vector<std::string>{"title", "field", "targets[1]", "targets[1].status", "targets[1].grade", "initiatives[1]",
                                                "initiatives[1].divisions", "evaluation.grade"}));
    ASSERT_FALSE(removed.changes.empty());
    EXPECT_EQ(removed.changes[0].old_value, "情報発信の強化");
    EXPECT_FALSE(removed.changes[0].new_value.has_value());
}

TEST(Diff, WarnsWhenDepartmentsOrMunicipalitiesDiffer) {
    Document a, b;
    a.department.name = "総務部";
    b.department.name = "政策推進部";
    a.municipality.name = b.municipality.name = "柏原市";
    EXPECT_EQ(diff(a, b).warnings.size(), 1u);
    EXPECT_EQ(diff(a, b).warnings[0].code, "different-departments");
    b.department.name = "総務部";
    EXPECT_TRUE(diff(a, b).warnings.empty());
    b.municipality.name = "八尾市";
    ASSERT_EQ(diff(a, b).warnings.size(), 1u);
    EXPECT_EQ(diff(a, b).warnings[0].code, "different-municipalities");
    b.department.name = std::nullopt;  // unknown on one side: no claim either way
    b.municipality.name = std::nullopt;
    EXPECT_TRUE(diff(a, b).warnings.empty());
}

Document edition(int year, const std::string& grade) {
    Document d;
    d.department.name = "政策推進部";
    d.fiscal_year = FiscalYear{"令和" + std::to_string(year - 2018) + "年度", "令和", year - 2018, year};
    Goal g = sample_goal(1, "情報発信の強化");
    g.evaluation.grade = grade;
    d.goals.push_back(g);
    return d;
}

TEST(Timeline, OrdersEditionsByFiscalYearAndSaysSo) {
    Timeline t = timeline({edition(2022, "A"), edition(2021, "B")});
    ASSERT_EQ(t.editions.size(), 2u);
    EXPECT_EQ(t.editions[0].fiscal_year->gregorian, 2021);
    ASSERT_EQ(t.lineages.size(), 1u);
    EXPECT_EQ(t.lineages[0][0].grade, "B");
    EXPECT_EQ(t.lineages[0][1].grade, "A");
    ASSERT_EQ(t.warnings.size(), 1u);
    EXPECT_EQ(t.warnings[0].code, "editions-reordered");
    EXPECT_TRUE(timeline({edition(2021, "B"), edition(2022, "A")}).warnings.empty());
}

TEST(Timeline, CsvHasOneColumnPerFiscalYearWithTheGrade) {
    std::vector<Timeline> ts{timeline({edition(2021, "B"), edition(2022, "A")})};
    std::string csv = to_csv(ts, Lang::ja);
    EXPECT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
    EXPECT_NE(csv.find("令和3年度 (2021),令和4年度 (2022)\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",政策推進部,1,情報発信の強化,B,A\r\n"), std::string::npos) << csv;
}

TEST(RelativeHref, FromThePageFolderPercentEncoded) {
    EXPECT_EQ(relative_href("/a/samples/柏原 市.pdf", "/a/reports"), "../samples/%E6%9F%8F%E5%8E%9F%20%E5%B8%82.pdf");
    EXPECT_EQ(relative_href("/a/x#1.pdf", "/a"), "x%231.pdf");
}

}  // namespace
}  // namespace hoshin::diff
