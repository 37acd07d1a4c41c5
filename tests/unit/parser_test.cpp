// Unit tests for parse/parser.h (with the default profile): the seed and
// end-of-year samples, vocabulary variants, diagnostics, cross-checks,
// limits and the helper functions.
#include <gtest/gtest.h>

#include "support.h"

#include <nlohmann/json.hpp>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "convert/convert.h"
#include "layout/rows.h"
#include "parse/parser.h"
#include "parse/profile.h"
#include "text/normalize.h"
#include "write/json_writer.h"

namespace hoshin::parse {
namespace {

const char* const kSeed = "samples/kashiwara_r3_seisakusuishin.txt";
const char* const kEnd = "samples/kashiwara_r3_seisakusuishin_end.txt";
const char* const kCp932 = "samples/kashiwara_r3_seisakusuishin_cp932.txt";

using hoshin::testing::read_bytes;

Result<Document> parse_text(const std::string& utf8) {
    auto pages = layout::rows_from_text(utf8);
    if (!pages.ok()) return pages.error();
    return parse(pages->rows, default_profile());
}

// Parses and fails the calling test (via the returned empty document's
// checks) when parsing fails.
Document parse_ok(const std::string& utf8) {
    auto r = parse_text(utf8);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : std::string(to_string(r.error().code)) + ": " + r.error().message);
    return r.ok() ? r.value() : Document{};
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    size_t s = 0;
    while (true) {
        size_t e = text.find('\n', s);
        out.push_back(text.substr(s, e == std::string::npos ? std::string::npos : e - s));
        if (e == std::string::npos) break;
        s = e + 1;
    }
    return out;
}

std::string unlines(const std::vector<std::string>& lines) {
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (i) out += '\n';
        out += lines[i];
    }
    return out;
}

// Inserts `extra` so that its first line becomes line `at` (1-based).
std::string insert_lines(const std::string& text, size_t at, const std::vector<std::string>& extra) {
    auto lines = lines_of(text);
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at - 1), extra.begin(), extra.end());
    return unlines(lines);
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

size_t count_diag(const Document& d, const std::string& code) {
    return static_cast<size_t>(std::count_if(d.diagnostics.begin(), d.diagnostics.end(),
                                             [&](const Diagnostic& x) { return x.code == code; }));
}

const Diagnostic* find_diag(const Document& d, const std::string& code, int line = 0) {
    for (const Diagnostic& x : d.diagnostics) {
        if (x.code != code) continue;
        if (line == 0 || (x.provenance && x.provenance->line_start == line)) return &x;
    }
    return nullptr;
}

const Unassigned* find_unassigned(const Document& d, const std::string& text) {
    for (const Unassigned& u : d.unassigned)
        if (u.text == text) return &u;
    return nullptr;
}

// Diagnostics other than the informational ones (municipality-inferred).
std::vector<Diagnostic> warnings(const Document& d) {
    std::vector<Diagnostic> out;
    for (const Diagnostic& x : d.diagnostics)
        if (x.severity != Severity::info) out.push_back(x);
    return out;
}

// The README: an inferred name comes with exactly one info diagnostic.
void expect_only_inferred_city_diagnostic(const Document& d, const std::string& city);

std::string diag_dump(const Document& d) {
    std::string out;
    for (const Diagnostic& x : d.diagnostics) out += x.code + ": " + x.message + "\n";
    for (const Unassigned& u : d.unassigned) out += "unassigned@" + std::to_string(u.provenance.line_start) + ": " + u.text + "\n";
    return out;
}

void expect_only_inferred_city_diagnostic(const Document& d, const std::string& city) {
    EXPECT_EQ(d.municipality.name, city);
    ASSERT_EQ(d.diagnostics.size(), 1u) << diag_dump(d);
    EXPECT_EQ(d.diagnostics[0].severity, Severity::info);
    EXPECT_EQ(d.diagnostics[0].code, "municipality-inferred");
    EXPECT_NE(d.diagnostics[0].message.find(city), std::string::npos);
}

// ---- The seed (beginning-of-year edition) -------------------------------------------------

class SeedTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { doc_ = new Document(parse_ok(read_bytes(kSeed))); }
    static void TearDownTestSuite() {
        delete doc_;
        doc_ = nullptr;
    }
    static Document* doc_;
    const Document& doc() { return *doc_; }
};
Document* SeedTest::doc_ = nullptr;

TEST_F(SeedTest, TitleAndFiscalYear) {
    EXPECT_EQ(doc().title, "令和3年度 政策推進部の運営方針");
    ASSERT_TRUE(doc().fiscal_year.has_value());
    EXPECT_EQ(doc().fiscal_year->label, "令和3年度");
    EXPECT_EQ(doc().fiscal_year->era, "令和");
    EXPECT_EQ(doc().fiscal_year->era_year, 3);
    EXPECT_EQ(doc().fiscal_year->gregorian, 2021);
}

TEST_F(SeedTest, DepartmentHeadAndOfficers) {
    EXPECT_EQ(doc().department.name, "政策推進部");
    ASSERT_TRUE(doc().department.head.has_value());
    EXPECT_EQ(doc().department.head->title, "部(局)長");
    EXPECT_EQ(doc().department.head->name, "市川 信行");
    ASSERT_EQ(doc().department.officers.size(), 2u);
    EXPECT_EQ(doc().department.officers[0], (Officer{"理事", "小林 一裕", "行財政健全化担当"}));
    EXPECT_EQ(doc().department.officers[1], (Officer{"理事", "小林 聡", "危機管理担当"}));
}

TEST_F(SeedTest, MunicipalityInferred) {
    EXPECT_EQ(doc().municipality.name, "柏原市");
    EXPECT_FALSE(doc().municipality.code.has_value());
}

TEST_F(SeedTest, BasicPolicyParagraphs) {
    ASSERT_EQ(doc().basic_policy.size(), 3u);
    EXPECT_EQ(doc().basic_policy[0],
              "政策推進部では、市の政策をまとめ、実行するための施策についての企画・調整をはじめ、市民からの情報を受け止め、"
              "市民への情報発信を行うなど、市民との情報交流、市を動かすための職員に関する人事管理等を行っています。");
    EXPECT_EQ(doc().basic_policy[1].rfind("全国的に少子高齢化による", 0), 0u);
    EXPECT_EQ(doc().basic_policy[2].rfind("危機管理につきましては、", 0), 0u);
    EXPECT_NE(doc().basic_policy[2].find("消防団員のさらなる確保に向けた取組みを行います。"), std::string::npos);
}

TEST_F(SeedTest, GoalsNumbersTitlesPlanGoalsFields) {
    struct Expect {
        int number;
        const char* title;
        int plan;
        const char* plan_title;
        const char* field;
    };
    const Expect expected[] = {
        {1, "民間企業や大学とのさらなる連携", 5, "みんなでつくる暮らし続けられるまち", "行財政運営"},
        {2, "多様な広報媒体による市政情報、まちの魅力資源発信の充実強化", 5, "みんなでつくる暮らし続けられるまち", "行財政運営"},
        {3, "働き方改革に関する取組の推進", 5, "みんなでつくる暮らし続けられるまち", "行財政運営"},
        {4, "地域防災計画の改訂", 1, "安全で安心して健やかに暮らせるまち", "防災"},
        {5, "消防団を中核とした地域防災力の充実強化", 1, "安全で安心して健やかに暮らせるまち", "防災"},
        {6, "指定避難所の機能強化", 1, "安全で安心して健やかに暮らせるまち", "防災"},
    };
    ASSERT_EQ(doc().goals.size(), 6u);
    for (size_t i = 0; i < 6; ++i) {
        SCOPED_TRACE(i + 1);
        const Goal& g = doc().goals[i];
        EXPECT_EQ(g.number, expected[i].number);
        EXPECT_EQ(g.title, expected[i].title);
        ASSERT_TRUE(g.plan_goal.has_value());
        EXPECT_EQ(g.plan_goal->number, expected[i].plan);
        EXPECT_EQ(g.plan_goal->title, expected[i].plan_title);
        EXPECT_EQ(g.field, expected[i].field);
    }
}

TEST_F(SeedTest, GoalOneTargetInitiativeDivision) {
    const Goal& g = doc().goals.at(0);
    ASSERT_EQ(g.targets.size(), 1u);
    EXPECT_EQ(g.targets[0].text, "民間企業や大学との協働により、市の課題解決を目指します。");
    EXPECT_EQ(g.targets[0].provenance.line_start, 46);
    EXPECT_EQ(g.targets[0].provenance.page, 1);
    ASSERT_EQ(g.initiatives.size(), 1u);
    EXPECT_EQ(g.initiatives[0].text,
              "大学生による事業の企画・立案を促すとともに、大学生の事業参画を推進します。 また民間企業との協働事業を数多く実施します。");
    EXPECT_EQ(g.initiatives[0].divisions, std::vector<std::string>{"企画調整課"});
    EXPECT_EQ(g.provenance.line_start, 42);
    EXPECT_GE(g.provenance.line_end, 64);
    EXPECT_LT(g.provenance.line_end, 66);
}

TEST_F(SeedTest, GoalTwoHasTwoInitiativesWithDivision) {
    const Goal& g = doc().goals.at(1);
    ASSERT_EQ(g.targets.size(), 1u);
    ASSERT_EQ(g.initiatives.size(), 2u);
    EXPECT_EQ(g.initiatives[0].text,
              "広報誌、ウェブサイトを中心に、フェイスブックなどのSNSも活用して、より早く、より確実な情報発信に努めます。");
    EXPECT_EQ(g.initiatives[1].text,
              "観光誘客、柏原市の知名度向上につながるよう関係部局と連携し、新たな魅力を発掘し、積極的な広報活動を実施します。");
    for (const Initiative& in : g.initiatives) EXPECT_EQ(in.divisions, std::vector<std::string>{"秘書広報課"});
}

TEST_F(SeedTest, SideBySideGoalsHaveTwoTargetsAndTwoInitiatives) {
    for (size_t i : {4u, 5u}) {
        SCOPED_TRACE(i + 1);
        const Goal& g = doc().goals.at(i);
        EXPECT_EQ(g.targets.size(), 2u);
        ASSERT_EQ(g.initiatives.size(), 2u);
        for (const Initiative& in : g.initiatives) EXPECT_EQ(in.divisions, std::vector<std::string>{"危機管理課"});
    }
    const Goal& g5 = doc().goals.at(4);
    EXPECT_EQ(g5.targets.at(0).text, "市民の安全確保を図るため、消防団の災害対応力を強化します。");
    EXPECT_EQ(g5.targets.at(1).text, "消防団と地域が連携することにより、地域防災力の向上を図ります。");
    const Goal& g6 = doc().goals.at(5);
    EXPECT_EQ(g6.initiatives.at(0).text, "指定避難所に発電機及び投光器を配備します。");
    EXPECT_EQ(g6.initiatives.at(1).text, "指定避難所に段ボールベッドやルームテント等の感染症対策備品を配備します。");
}

TEST_F(SeedTest, EvaluationFieldsAreNull) {
    for (const Goal& g : doc().goals) {
        SCOPED_TRACE(g.number);
        EXPECT_FALSE(g.summary_grade.has_value());
        EXPECT_FALSE(g.evaluation.grade.has_value());
        EXPECT_FALSE(g.evaluation.summary.has_value());
        EXPECT_FALSE(g.next_steps.has_value());
        for (const Target& t : g.targets) {
            EXPECT_FALSE(t.status.has_value());
            EXPECT_FALSE(t.grade.has_value());
        }
        for (const Initiative& in : g.initiatives) EXPECT_FALSE(in.results.has_value());
    }
}

TEST_F(SeedTest, GradeScale) {
    ASSERT_EQ(doc().grade_scale.size(), 5u);
    const auto& s = doc().grade_scale;
    EXPECT_EQ(s[0], (GradeLevel{"A", "達成", "設定した目標を達成することができた。100%", 100, 100}));
    EXPECT_EQ(s[1], (GradeLevel{"B", "概ね達成", "概ね目標どおり達成することができた。70%以上100%未満", 70, 100}));
    EXPECT_EQ(s[2], (GradeLevel{"C", "一部達成", "目標の一部を達成できた。50%以上70%未満", 50, 70}));
    EXPECT_EQ(s[3].grade, "D");
    EXPECT_EQ(s[3].label, "未達成");
    EXPECT_EQ(s[3].min_percent, std::nullopt);
    EXPECT_EQ(s[3].max_percent, 50);
    EXPECT_EQ(s[4].grade, "E");
    EXPECT_EQ(s[4].label, "未実施");
    EXPECT_EQ(s[4].min_percent, 0);
    EXPECT_EQ(s[4].max_percent, 0);
}

TEST_F(SeedTest, NothingUnassignedAndNoWarnings) {
    EXPECT_TRUE(doc().unassigned.empty()) << diag_dump(doc());
    EXPECT_TRUE(warnings(doc()).empty()) << diag_dump(doc());
    expect_only_inferred_city_diagnostic(doc(), "柏原市");
}

// ---- End-of-year edition ------------------------------------------------------------------

class EndTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { doc_ = new Document(parse_ok(read_bytes(kEnd))); }
    static void TearDownTestSuite() {
        delete doc_;
        doc_ = nullptr;
    }
    static Document* doc_;
    const Document& doc() { return *doc_; }
};
Document* EndTest::doc_ = nullptr;

TEST_F(EndTest, SummaryGradesAndEvaluationGradesAgree) {
    const char* grades[] = {"B", "A", "C", "A", "B", "A"};
    ASSERT_EQ(doc().goals.size(), 6u);
    for (size_t i = 0; i < 6; ++i) {
        SCOPED_TRACE(i + 1);
        const Goal& g = doc().goals[i];
        EXPECT_EQ(g.summary_grade, grades[i]);
        EXPECT_EQ(g.evaluation.grade, grades[i]);
        EXPECT_EQ(g.evaluation.grade, g.summary_grade);
        EXPECT_TRUE(g.evaluation.summary.has_value());
        EXPECT_TRUE(g.next_steps.has_value());
    }
}

TEST_F(EndTest, EveryTargetHasStatusAndGrade) {
    for (const Goal& g : doc().goals) {
        SCOPED_TRACE(g.number);
        ASSERT_FALSE(g.targets.empty());
        for (const Target& t : g.targets) {
            EXPECT_TRUE(t.grade.has_value());
            EXPECT_TRUE(t.status.has_value());
        }
    }
    const Goal& g5 = doc().goals.at(4);
    ASSERT_EQ(g5.targets.size(), 2u);
    EXPECT_EQ(g5.targets[0].grade, "A");
    EXPECT_EQ(g5.targets[1].grade, "C");
    EXPECT_EQ(g5.targets[1].status,
              "新型コロナウイルス感染症の影響により地域の自主防災訓練の多くが中止となり、消防団の参加は一部の地区にとどまりました。");
    const Goal& g1 = doc().goals.at(0);
    EXPECT_EQ(g1.targets.at(0).grade, "B");
    EXPECT_EQ(g1.targets.at(0).status,
              "大学生の事業参画や民間企業との協働事業を実施し、市の課題解決に向けた取組を進めましたが、"
              "新型コロナウイルス感染症の影響により一部の事業は規模を縮小して実施しました。");
}

TEST_F(EndTest, EveryInitiativeHasResults) {
    for (const Goal& g : doc().goals) {
        SCOPED_TRACE(g.number);
        ASSERT_FALSE(g.initiatives.empty());
        for (const Initiative& in : g.initiatives) {
            EXPECT_TRUE(in.results.has_value());
            EXPECT_FALSE(in.divisions.empty());
        }
    }
    EXPECT_EQ(doc().goals.at(1).initiatives.size(), 2u);
    EXPECT_EQ(doc().goals.at(4).initiatives.at(0).results,
              "可搬式消防ポンプ積載車2台及び消防用ホース40本を更新しました。また、団員の処遇改善を図るため、"
              "年額報酬及び出動報酬の見直しを行い、関係条例を改正しました。");
}

TEST_F(EndTest, WrappedResultsJoinedWithoutSpace) {
    const Goal& g3 = doc().goals.at(2);
    ASSERT_EQ(g3.initiatives.size(), 1u);
    EXPECT_EQ(g3.initiatives[0].results,
              "令和3年10月に出退勤管理システムを導入し、所属長が職員の時間外勤務の累積時間や有給休暇の取得状況を随時確認できる"
              "環境を整備するとともに、月45時間を超える時間外勤務が見込まれる職員がいる所属に対して業務分担の見直しを依頼しました。");
    ASSERT_TRUE(g3.initiatives[0].results.has_value());
    EXPECT_EQ(g3.initiatives[0].results->find("の取 得"), std::string::npos);
    EXPECT_EQ(g3.initiatives[0].results->find('\n'), std::string::npos);
}

TEST_F(EndTest, EvaluationTexts) {
    const Goal& g1 = doc().goals.at(0);
    EXPECT_EQ(g1.next_steps,
              "オンラインを活用した学生との意見交換の手法を確立するとともに、連携協定先企業との協働事業の成果を検証し、"
              "新たな分野での連携を検討します。");
    const Goal& g5 = doc().goals.at(4);
    EXPECT_EQ(g5.evaluation.summary,
              "消防団の装備の更新と処遇改善は予定どおり実施できましたが、地域との連携については訓練の中止が相次ぎ、"
              "十分な機会を確保できなかったため、概ね達成と評価します。");
}

TEST_F(EndTest, NothingUnassignedAndNoWarnings) {
    EXPECT_TRUE(doc().unassigned.empty()) << diag_dump(doc());
    EXPECT_TRUE(warnings(doc()).empty()) << diag_dump(doc());
    expect_only_inferred_city_diagnostic(doc(), "柏原市");
}

// ---- CP932 variant ------------------------------------------------------------------------

std::string nfkc(const std::string& s) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
    EXPECT_TRUE(U_SUCCESS(status));
    icu::UnicodeString out = n->normalize(icu::UnicodeString::fromUTF8(s), status);
    std::string utf8;
    out.toUTF8String(utf8);
    return utf8;
}

void nfkc_tree(nlohmann::json& j) {
    if (j.is_string()) {
        j = nfkc(j.get<std::string>());
    } else if (j.is_array() || j.is_object()) {
        for (auto& v : j) nfkc_tree(v);
    }
}

TEST(Cp932Sample, EqualsSeedAfterNfkc) {
    auto seed = convert_text(read_bytes(kSeed), kSeed, ConvertOptions{});
    auto cp932 = convert_text(read_bytes(kCp932), kCp932, ConvertOptions{});
    ASSERT_TRUE(seed.ok()) << seed.error().code;
    ASSERT_TRUE(cp932.ok()) << cp932.error().code;
    EXPECT_EQ(cp932->source.encoding, "Shift_JIS");
    EXPECT_EQ(seed->source.encoding, "UTF-8");
    EXPECT_EQ(cp932->source.pages, 1);

    // The variant keeps its own characters...
    EXPECT_EQ(cp932->title, "令和３年度 政策推進部の運営方針");
    ASSERT_TRUE(cp932->fiscal_year.has_value());
    EXPECT_EQ(cp932->fiscal_year->label, "令和３年度");
    EXPECT_EQ(cp932->fiscal_year->gregorian, 2021);
    // ...and matches the seed once both are NFKC-normalised.
    nlohmann::json a = nlohmann::json::parse(write::to_json(seed.value()));
    nlohmann::json b = nlohmann::json::parse(write::to_json(cp932.value()));
    a.erase("source");
    b.erase("source");
    nfkc_tree(a);
    nfkc_tree(b);
    EXPECT_EQ(a, b) << a.dump(1) << "\n---\n" << b.dump(1);
}

// ---- Vocabulary variants ---------------------------------------------------------------------

const char* const kStandardVocabulary =
    "令和2年度 総務部の運営方針\n"
    "\n"
    "部(局)\t総務部\t部(局)長\t山田 太郎\n"
    "理事\t佐藤 花子 (DX推進担当)\n"
    "\n"
    "【基本方針】\n"
    "\n"
    "市民サービスの向上に努めます。\n"
    "\n"
    "【重点目標】\n"
    "\n"
    "1\t目標\t(2)\t誰もが活躍できるまち\t分野\t行政運営\t令和2年度 達成状況\n"
    "\t窓口サービスの改善\t\t\t\t\t\n"
    "\n"
    "【達成度について】\n"
    "\n"
    "- A: 達成(目標を達成した。100%)\n"
    "- B: 概ね達成(70%以上100%未満)\n"
    "\n"
    "部(局)名\t総務部\n"
    "\n"
    "重点目標 1\t窓口サービスの改善\n"
    "\n"
    "今年度の達成目標\n"
    "待ち時間を短縮します。\n"
    "\n"
    "具体的取組\n"
    "窓口の予約制を導入します。\n"
    "所管室・課\t市民課\n";

const char* const kVariantVocabulary =
    "令和2年度 総務部の運営方針\n"
    "\n"
    "部(局)\t総務部\t部(局)長\t山田 太郎\n"
    "総合政策監\t佐藤 花子 (DX推進担当)\n"
    "\n"
    "【基本姿勢】\n"
    "\n"
    "市民サービスの向上に努めます。\n"
    "\n"
    "【重点課題】\n"
    "\n"
    "1\t目標\t(2)\t誰もが活躍できるまち\t分野\t行政運営\t令和2年度 達成状況\n"
    "\t窓口サービスの改善\t\t\t\t\t\n"
    "\n"
    "【達成度】\n"
    "\n"
    "A:達成(目標を達成した。100%)\n"
    "B:概ね達成(70%以上100%未満)\n"
    "\n"
    "部局名\t総務部\n"
    "\n"
    "重点課題１\t窓口サービスの改善\n"
    "\n"
    "今年度の目標\n"
    "待ち時間を短縮します。\n"
    "\n"
    "具体的な取組\n"
    "窓口の予約制を導入します。\n"
    "所管課\t市民課\n";

TEST(Vocabulary, StandardHandmadeDocument) {
    Document d = parse_ok(kStandardVocabulary);
    EXPECT_TRUE(d.diagnostics.empty()) << diag_dump(d);
    EXPECT_TRUE(d.unassigned.empty()) << diag_dump(d);
    ASSERT_EQ(d.goals.size(), 1u);
    EXPECT_EQ(d.goals[0].title, "窓口サービスの改善");
    ASSERT_EQ(d.goals[0].targets.size(), 1u);
    ASSERT_EQ(d.goals[0].initiatives.size(), 1u);
    EXPECT_EQ(d.goals[0].initiatives[0].divisions, std::vector<std::string>{"市民課"});
}

TEST(Vocabulary, VariantWordsParseTheSameWay) {
    Document std_doc = parse_ok(kStandardVocabulary);
    Document var = parse_ok(kVariantVocabulary);
    EXPECT_TRUE(var.diagnostics.empty()) << diag_dump(var);
    EXPECT_TRUE(var.unassigned.empty()) << diag_dump(var);

    EXPECT_EQ(var.title, "令和2年度 総務部の運営方針");
    ASSERT_TRUE(var.fiscal_year.has_value());
    EXPECT_EQ(var.fiscal_year->gregorian, 2020);
    EXPECT_EQ(var.department.name, "総務部");
    ASSERT_EQ(var.department.officers.size(), 1u);
    EXPECT_EQ(var.department.officers[0], (Officer{"総合政策監", "佐藤 花子", "DX推進担当"}));
    EXPECT_EQ(var.basic_policy, std::vector<std::string>{"市民サービスの向上に努めます。"});
    ASSERT_EQ(var.grade_scale.size(), 2u);
    EXPECT_EQ(var.grade_scale[0], (GradeLevel{"A", "達成", "目標を達成した。100%", 100, 100}));
    EXPECT_EQ(var.grade_scale[1], (GradeLevel{"B", "概ね達成", "70%以上100%未満", 70, 100}));
    ASSERT_EQ(var.goals.size(), 1u);
    const Goal& g = var.goals[0];
    EXPECT_EQ(g.number, 1);
    EXPECT_EQ(g.title, "窓口サービスの改善");
    ASSERT_TRUE(g.plan_goal.has_value());
    EXPECT_EQ(g.plan_goal->number, 2);
    EXPECT_EQ(g.field, "行政運営");
    ASSERT_EQ(g.targets.size(), 1u);
    EXPECT_EQ(g.targets[0].text, "待ち時間を短縮します。");
    ASSERT_EQ(g.initiatives.size(), 1u);
    EXPECT_EQ(g.initiatives[0].text, "窓口の予約制を導入します。");
    EXPECT_EQ(g.initiatives[0].divisions, std::vector<std::string>{"市民課"});

    // Same structure as the standard wording, line for line.
    EXPECT_EQ(var.goals, std_doc.goals);
    EXPECT_EQ(var.grade_scale, std_doc.grade_scale);
    EXPECT_EQ(var.basic_policy, std_doc.basic_policy);
    EXPECT_EQ(var.department.head, std_doc.department.head);
    EXPECT_EQ(var.department.officers[0].name, std_doc.department.officers.at(0).name);
    EXPECT_EQ(var.department.officers[0].portfolio, std_doc.department.officers.at(0).portfolio);
}

TEST(Vocabulary, SpacedAndFullWidthMarkers) {
    std::string text = kStandardVocabulary;
    text = replace_once(text, "【基本方針】", "【 基本方針 】");
    text = replace_once(text, "(2)", "（２）");
    text = replace_once(text, "重点目標 1", "重点目標１");
    text = replace_once(text, "具体的取組", "具体的 取組");
    Document d = parse_ok(text);
    EXPECT_TRUE(d.diagnostics.empty()) << diag_dump(d);
    Document std_doc = parse_ok(kStandardVocabulary);
    EXPECT_EQ(d.goals, std_doc.goals);
    EXPECT_EQ(d.basic_policy, std_doc.basic_policy);
}

// ---- Missing sections and non-documents ---------------------------------------------------------

TEST(Structure, MissingSectionsGiveWarningsButADocument) {
    auto r = parse_text(
        "令和3年度 総務部の運営方針\n"
        "部(局)\t総務部\n"
        "\n"
        "【基本方針】\n"
        "\n"
        "市民サービスの向上に努めます。\n");
    ASSERT_TRUE(r.ok()) << r.error().code;
    const Document& d = r.value();
    EXPECT_EQ(d.basic_policy.size(), 1u);
    EXPECT_TRUE(d.goals.empty());
    EXPECT_EQ(d.department.name, "総務部");
    // No summary table, no grade scale, no goals.
    EXPECT_EQ(count_diag(d, "missing-section"), 3u) << diag_dump(d);
    for (const Diagnostic& x : d.diagnostics) EXPECT_EQ(x.severity, Severity::warning);
    EXPECT_EQ(count_diag(d, "missing-title"), 0u);
    EXPECT_EQ(count_diag(d, "missing-fiscal-year"), 0u);
}

TEST(Structure, MissingTitleFiscalYearAndDepartment) {
    auto r = parse_text("【基本方針】\n市民サービスの向上に努めます。\n");
    ASSERT_TRUE(r.ok()) << r.error().code;
    const Document& d = r.value();
    EXPECT_FALSE(d.title.has_value());
    EXPECT_FALSE(d.fiscal_year.has_value());
    EXPECT_EQ(count_diag(d, "missing-title"), 1u);
    EXPECT_EQ(count_diag(d, "missing-fiscal-year"), 1u);
    EXPECT_EQ(count_diag(d, "missing-department"), 1u);
}

TEST(Structure, NotAPolicyDocument) {
    auto r = parse_text("これは普通の文章です。\n特に見出しはありません。\n");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::not_a_policy_document);

    auto unknown_only = parse_text("【お知らせ】\n本日は晴天です。\n");
    ASSERT_FALSE(unknown_only.ok());
    EXPECT_EQ(unknown_only.error().code, ErrorCode::not_a_policy_document);

    auto empty = parse_text("");
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, ErrorCode::not_a_policy_document);
}

// ---- Unassigned text --------------------------------------------------------------------------

TEST(Unassigned, StrayLineBetweenGoals) {
    // Line 68 of the result sits between goal 2's department row and its heading.
    std::string text = insert_lines(read_bytes(kSeed), 68, {"どこにも属さない行です。"});
    Document d = parse_ok(text);
    ASSERT_EQ(d.unassigned.size(), 1u) << diag_dump(d);
    EXPECT_EQ(d.unassigned[0].text, "どこにも属さない行です。");
    EXPECT_EQ(d.unassigned[0].provenance.line_start, 68);
    EXPECT_EQ(d.unassigned[0].provenance.line_end, 68);
    EXPECT_EQ(d.unassigned[0].provenance.page, 1);
    const Diagnostic* x = find_diag(d, "unassigned-text", 68);
    ASSERT_NE(x, nullptr) << diag_dump(d);
    EXPECT_EQ(x->severity, Severity::warning);
    EXPECT_EQ(warnings(d).size(), 1u) << diag_dump(d);
    // The rest of the document is untouched.
    EXPECT_EQ(d.goals.size(), 6u);
    EXPECT_EQ(d.goals.at(1).title, "多様な広報媒体による市政情報、まちの魅力資源発信の充実強化");
}

TEST(Unassigned, UnknownSection) {
    std::string text = insert_lines(read_bytes(kSeed), 39, {"【参考】", "参考となる情報です。", ""});
    Document d = parse_ok(text);
    const Diagnostic* unknown = find_diag(d, "unknown-section", 39);
    ASSERT_NE(unknown, nullptr) << diag_dump(d);
    const Unassigned* u = find_unassigned(d, "参考となる情報です。");
    ASSERT_NE(u, nullptr) << diag_dump(d);
    EXPECT_EQ(u->provenance.line_start, 40);
    EXPECT_NE(find_diag(d, "unassigned-text", 40), nullptr) << diag_dump(d);
    EXPECT_EQ(d.grade_scale.size(), 5u);
    EXPECT_EQ(d.goals.size(), 6u);
}

TEST(Unassigned, TextAfterUnknownSectionMarkerOnSameLine) {
    std::string text = insert_lines(read_bytes(kSeed), 39, {"【参考】追記事項", ""});
    Document d = parse_ok(text);
    EXPECT_NE(find_diag(d, "unknown-section", 39), nullptr) << diag_dump(d);
    const Unassigned* u = find_unassigned(d, "追記事項");
    ASSERT_NE(u, nullptr) << diag_dump(d);
    EXPECT_EQ(u->provenance.line_start, 39);
}

TEST(Unassigned, ExtraHeaderCell) {
    std::string text = replace_once(read_bytes(kSeed), "部(局)長\t市川 信行\n", "部(局)長\t市川 信行\t余分なセル\n");
    Document d = parse_ok(text);
    const Unassigned* u = find_unassigned(d, "余分なセル");
    ASSERT_NE(u, nullptr) << diag_dump(d);
    EXPECT_EQ(u->provenance.line_start, 5);
    EXPECT_NE(find_diag(d, "unassigned-text", 5), nullptr);
    EXPECT_EQ(d.department.head->name, "市川 信行");
}

// ---- Header and detail variants ----------------------------------------------------------------------

TEST(Header, LabelAndValueInOneCellSeparatedByIdeographicSpace) {
    std::string text = replace_once(read_bytes(kSeed), "部(局)\t政策推進部\t部(局)長\t市川 信行\n",
                                    "部(局)\u3000政策推進部\n部(局)長\u3000市川 信行\n");
    Document d = parse_ok(text);
    EXPECT_EQ(d.department.name, "政策推進部");
    ASSERT_TRUE(d.department.head.has_value());
    EXPECT_EQ(d.department.head->title, "部(局)長");
    EXPECT_EQ(d.department.head->name, "市川 信行");
    EXPECT_EQ(d.department.officers.size(), 2u);
    EXPECT_TRUE(warnings(d).empty()) << diag_dump(d);
    EXPECT_TRUE(d.unassigned.empty()) << diag_dump(d);
}

TEST(Header, SecondDepartmentNameIsUnassigned) {
    std::string text = insert_lines(read_bytes(kSeed), 7, {"部(局)\t総務部"});
    Document d = parse_ok(text);
    EXPECT_EQ(d.department.name, "政策推進部");
    const Unassigned* u = find_unassigned(d, "部(局) 総務部");
    ASSERT_NE(u, nullptr) << diag_dump(d);
    EXPECT_EQ(u->provenance.line_start, 7);
}

TEST(Detail, SeveralDivisionsInOneCell) {
    std::string text = replace_once(read_bytes(kSeed), "所管室・課\t企画調整課\n", "所管室・課\t企画調整課、人事課/秘書広報課\n");
    Document d = parse_ok(text);
    EXPECT_EQ(d.goals.at(0).initiatives.at(0).divisions,
              (std::vector<std::string>{"企画調整課", "人事課", "秘書広報課"}));
}

TEST(Detail, BlankLineSeparatesParagraphsWrappedLineJoins) {
    std::string text = insert_lines(read_bytes(kSeed), 47, {"", "第二段落です。", "続きの行です。"});
    Document d = parse_ok(text);
    ASSERT_EQ(d.goals.at(0).targets.size(), 1u) << diag_dump(d);
    EXPECT_EQ(d.goals[0].targets[0].text,
              "民間企業や大学との協働により、市の課題解決を目指します。\n第二段落です。続きの行です。");
    EXPECT_EQ(d.goals[0].targets[0].provenance.line_start, 46);
    EXPECT_EQ(d.goals[0].targets[0].provenance.line_end, 49);
    EXPECT_TRUE(d.unassigned.empty()) << diag_dump(d);
}

TEST(Detail, ContentBeforeAnyLabelIsUnassigned) {
    std::string text = insert_lines(read_bytes(kSeed), 44, {"ラベルのない本文"});
    Document d = parse_ok(text);
    const Unassigned* u = find_unassigned(d, "ラベルのない本文");
    ASSERT_NE(u, nullptr) << diag_dump(d);
    EXPECT_EQ(u->provenance.line_start, 44);
    EXPECT_NE(find_diag(d, "unassigned-text", 44), nullptr);
}

// ---- Summary vs detail ----------------------------------------------------------------------------

TEST(CrossCheck, TitleDiffersBetweenSummaryAndDetail) {
    std::string text = replace_once(read_bytes(kSeed), "\n\t民間企業や大学とのさらなる連携\t", "\n\t民間企業との連携\t");
    Document d = parse_ok(text);
    const Diagnostic* x = find_diag(d, "summary-mismatch");
    ASSERT_NE(x, nullptr) << diag_dump(d);
    EXPECT_NE(x->message.find("民間企業との連携"), std::string::npos);
    ASSERT_TRUE(x->provenance.has_value());
    EXPECT_EQ(x->provenance->line_start, 42);
    EXPECT_EQ(count_diag(d, "summary-mismatch"), 1u);
    ASSERT_EQ(d.goals.size(), 6u);
    EXPECT_EQ(d.goals[0].title, "民間企業や大学とのさらなる連携");  // the detail page's title
    EXPECT_TRUE(d.unassigned.empty());
}

TEST(CrossCheck, GoalOnlyInSummary) {
    std::string text = insert_lines(read_bytes(kSeed), 30,
                                    {"7\t目標\t(1)\t安全で安心して健やかに暮らせるまち\t分野\t防災\t令和3年度 達成状況",
                                     "\t新しい防災の取組\t\t\t\t\t"});
    Document d = parse_ok(text);
    ASSERT_EQ(d.goals.size(), 7u);
    const Goal& g = d.goals.back();
    EXPECT_EQ(g.number, 7);
    EXPECT_EQ(g.title, "新しい防災の取組");
    ASSERT_TRUE(g.plan_goal.has_value());
    EXPECT_EQ(g.plan_goal->number, 1);
    EXPECT_EQ(g.field, "防災");
    EXPECT_TRUE(g.targets.empty());
    EXPECT_TRUE(g.initiatives.empty());
    EXPECT_EQ(g.provenance.line_start, 30);
    const Diagnostic* x = find_diag(d, "summary-mismatch", 30);
    ASSERT_NE(x, nullptr) << diag_dump(d);
    EXPECT_EQ(count_diag(d, "summary-mismatch"), 1u);
}

TEST(CrossCheck, GoalOnlyInDetail) {
    std::string text = read_bytes(kSeed);
    text = replace_once(text,
                        "6\t目標\t(1)\t安全で安心して健やかに暮らせるまち\t分野\t防災\t令和3年度 達成状況\n"
                        "\t指定避難所の機能強化\t\t\t\t\t\n",
                        "");
    Document d = parse_ok(text);
    ASSERT_EQ(d.goals.size(), 6u);
    EXPECT_FALSE(d.goals[5].plan_goal.has_value());
    EXPECT_EQ(count_diag(d, "summary-mismatch"), 1u) << diag_dump(d);
}

TEST(CrossCheck, GradeMismatchBetweenSummaryAndDetail) {
    std::string text = replace_once(read_bytes(kEnd), "全体の達成度\nB\n", "全体の達成度\nA\n");
    Document d = parse_ok(text);
    EXPECT_EQ(d.goals.at(0).summary_grade, "B");
    EXPECT_EQ(d.goals.at(0).evaluation.grade, "A");
    EXPECT_EQ(count_diag(d, "grade-mismatch"), 1u) << diag_dump(d);
}

TEST(CrossCheck, DepartmentMismatch) {
    std::string text = read_bytes(kSeed);
    text = insert_lines(text, 66, {"部(局)名\t総務部", ""});  // lines 66-67, before goal 1's end
    Document d = parse_ok(text);
    EXPECT_NE(find_diag(d, "department-mismatch", 66), nullptr) << diag_dump(d);
    EXPECT_EQ(d.department.name, "政策推進部");
}

TEST(CrossCheck, DuplicateGoalNumberInSummary) {
    std::string text = insert_lines(read_bytes(kSeed), 30,
                                    {"6\t目標\t(1)\t安全で安心して健やかに暮らせるまち\t分野\t防災\t令和3年度 達成状況",
                                     "\t指定避難所の機能強化\t\t\t\t\t"});
    Document d = parse_ok(text);
    EXPECT_NE(find_diag(d, "duplicate-goal-number", 30), nullptr) << diag_dump(d);
    EXPECT_EQ(d.goals.size(), 6u);
}

// ---- Invalid grades ---------------------------------------------------------------------------------

TEST(Grades, InvalidOverallGrade) {
    std::string text = replace_once(read_bytes(kEnd), "全体の達成度\nB\n", "全体の達成度\nZ\n");
    Document d = parse_ok(text);
    const Diagnostic* x = find_diag(d, "invalid-grade", 65);
    ASSERT_NE(x, nullptr) << diag_dump(d);
    const Unassigned* u = find_unassigned(d, "Z");
    ASSERT_NE(u, nullptr) << diag_dump(d);
    EXPECT_EQ(u->provenance.line_start, 65);
    EXPECT_FALSE(d.goals.at(0).evaluation.grade.has_value());
    EXPECT_EQ(d.goals.at(0).summary_grade, "B");
    EXPECT_EQ(count_diag(d, "grade-mismatch"), 0u);
}

TEST(Grades, InvalidTargetGrade) {
    // Goal 5's first target: "…維持しました。\tA" becomes "\tZ" (line 186).
    std::string text = replace_once(read_bytes(kEnd), "消防団の災害即応体制を維持しました。\tA", "消防団の災害即応体制を維持しました。\tZ");
    Document d = parse_ok(text);
    EXPECT_NE(find_diag(d, "invalid-grade", 186), nullptr) << diag_dump(d);
    const Unassigned* u = find_unassigned(d, "Z");
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->provenance.line_start, 186);
    EXPECT_FALSE(d.goals.at(4).targets.at(0).grade.has_value());
    EXPECT_TRUE(d.goals.at(4).targets.at(0).status.has_value());
}

TEST(Grades, LowerCaseAndFullWidthGradesAreAccepted) {
    std::string text = replace_once(read_bytes(kEnd), "全体の達成度\nB\n", "全体の達成度\nｂ\n");
    Document d = parse_ok(text);
    EXPECT_EQ(d.goals.at(0).evaluation.grade, "B");
    EXPECT_TRUE(warnings(d).empty()) << diag_dump(d);
}

TEST(Grades, InvalidGradeInSummaryColumn) {
    std::string text = replace_once(read_bytes(kEnd), "\t民間企業や大学とのさらなる連携\t\t\t\t\tB", "\t民間企業や大学とのさらなる連携\t\t\t\t\tZ");
    Document d = parse_ok(text);
    EXPECT_FALSE(d.goals.at(0).summary_grade.has_value());
    const Unassigned* u = find_unassigned(d, "Z");
    ASSERT_NE(u, nullptr) << diag_dump(d);
    EXPECT_EQ(u->provenance.line_start, 19);
    EXPECT_NE(find_diag(d, "invalid-grade", 19), nullptr) << diag_dump(d);
}

// ---- Limits -----------------------------------------------------------------------------------------------

std::string many_stray_lines(size_t n) {
    std::vector<std::string> extra;
    for (size_t i = 0; i < n; ++i) extra.push_back("迷子の行 " + std::to_string(i));
    return insert_lines(read_bytes(kSeed), 68, extra);
}

// On the seed, n stray lines make n unassigned-text warnings, plus the one
// info diagnostic municipality-inferred: n + 1 diagnostics in all.
TEST(Limits, TooManyDiagnosticsKeepsAllUnassigned) {
    const size_t n = kMaxDiagnostics + 100;
    Document d = parse_ok(many_stray_lines(n));
    ASSERT_EQ(d.unassigned.size(), n);
    for (size_t i = 0; i < n; ++i) {
        EXPECT_EQ(d.unassigned[i].text, "迷子の行 " + std::to_string(i));
        EXPECT_EQ(d.unassigned[i].provenance.line_start, static_cast<int>(68 + i));
    }
    EXPECT_EQ(d.diagnostics.size(), kMaxDiagnostics);
    ASSERT_FALSE(d.diagnostics.empty());
    EXPECT_EQ(d.diagnostics.back().code, "too-many-diagnostics");
    EXPECT_EQ(d.diagnostics.back().severity, Severity::warning);
    EXPECT_EQ(count_diag(d, "too-many-diagnostics"), 1u);
    EXPECT_EQ(d.diagnostics.front().code, "unassigned-text");
    EXPECT_EQ(d.goals.size(), 6u);
    EXPECT_EQ(d.municipality.name, "柏原市");
}

TEST(Limits, TooManyDiagnosticsCountsEveryDroppedDiagnostic) {
    const size_t n = kMaxDiagnostics + 100;
    Document d = parse_ok(many_stray_lines(n));
    ASSERT_FALSE(d.diagnostics.empty());
    // n + 1 produced, kMaxDiagnostics - 1 kept before the marker.
    const size_t dropped = n + 1 - (kMaxDiagnostics - 1);
    EXPECT_EQ(d.diagnostics.back().message.rfind(std::to_string(dropped) + " further diagnostics dropped", 0), 0u)
        << d.diagnostics.back().message;
}

TEST(Limits, DiagnosticsAtTheLimitAreNotTruncated) {
    Document d = parse_ok(many_stray_lines(kMaxDiagnostics - 1));  // exactly kMaxDiagnostics in all
    EXPECT_EQ(d.unassigned.size(), kMaxDiagnostics - 1);
    EXPECT_EQ(d.diagnostics.size(), kMaxDiagnostics);
    EXPECT_EQ(count_diag(d, "too-many-diagnostics"), 0u);
    EXPECT_EQ(count_diag(d, "municipality-inferred"), 1u);
}

TEST(Limits, OneDiagnosticOverTheLimitIsMarked) {
    Document d = parse_ok(many_stray_lines(kMaxDiagnostics));  // kMaxDiagnostics + 1 in all
    EXPECT_EQ(d.unassigned.size(), kMaxDiagnostics);
    EXPECT_EQ(d.diagnostics.size(), kMaxDiagnostics);
    ASSERT_FALSE(d.diagnostics.empty());
    EXPECT_EQ(d.diagnostics.back().code, "too-many-diagnostics") << d.diagnostics.back().code;
    EXPECT_EQ(count_diag(d, "too-many-diagnostics"), 1u);
}

std::string many_goals(size_t n) {
    std::string text = "令和3年度 総務部の運営方針\n部(局)\t総務部\n";
    for (size_t i = 1; i <= n; ++i) {
        text += "重点目標 " + std::to_string(i) + "\t目標" + std::to_string(i) + "\n";
        text += "今年度の達成目標\n達成目標" + std::to_string(i) + "\n";
    }
    return text;
}

TEST(Limits, TooManyGoals) {
    auto r = parse_text(many_goals(kMaxGoals + 1));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::too_many_goals);
}

TEST(Limits, ExactlyMaxGoalsIsAccepted) {
    // The limit says "more than kMaxGoals goals" is an error.
    auto r = parse_text(many_goals(kMaxGoals));
    ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
    EXPECT_EQ(r->goals.size(), kMaxGoals);
}

// ---- Helpers -----------------------------------------------------------------------------------------------

TEST(SplitPortfolio, AsciiParentheses) {
    auto [name, portfolio] = split_portfolio("小林 一裕 (行財政健全化担当)");
    EXPECT_EQ(name, "小林 一裕");
    EXPECT_EQ(portfolio, "行財政健全化担当");
}

TEST(SplitPortfolio, FullWidthParentheses) {
    auto [name, portfolio] = split_portfolio("小林 聡（危機管理担当）");
    EXPECT_EQ(name, "小林 聡");
    EXPECT_EQ(portfolio, "危機管理担当");
}

TEST(SplitPortfolio, NoPortfolio) {
    auto [name, portfolio] = split_portfolio("市川 信行");
    EXPECT_EQ(name, "市川 信行");
    EXPECT_FALSE(portfolio.has_value());

    auto [only, none] = split_portfolio("(危機管理担当)");
    EXPECT_EQ(only, "(危機管理担当)");
    EXPECT_FALSE(none.has_value());

    auto [empty_name, empty_portfolio] = split_portfolio("小林 聡 ()");
    EXPECT_EQ(empty_name, "小林 聡 ()");
    EXPECT_FALSE(empty_portfolio.has_value());
}

TEST(ParseGradeLine, WithBullet) {
    auto l = parse_grade_line("- A: 達成(設定した目標を達成することができた。100%)", default_profile());
    ASSERT_TRUE(l.has_value());
    EXPECT_EQ(*l, (GradeLevel{"A", "達成", "設定した目標を達成することができた。100%", 100, 100}));
}

TEST(ParseGradeLine, WithoutBullet) {
    auto l = parse_grade_line("B:概ね達成(概ね目標どおり達成することができた。70%以上100%未満)", default_profile());
    ASSERT_TRUE(l.has_value());
    EXPECT_EQ(l->grade, "B");
    EXPECT_EQ(l->label, "概ね達成");
    EXPECT_EQ(l->description, "概ね目標どおり達成することができた。70%以上100%未満");
    EXPECT_EQ(l->min_percent, 70);
    EXPECT_EQ(l->max_percent, 100);
}

TEST(ParseGradeLine, FullWidthColonDigitsAndParentheses) {
    auto l = parse_grade_line("・C：一部達成（目標の一部を達成できた。５０％以上７０％未満）", default_profile());
    ASSERT_TRUE(l.has_value());
    EXPECT_EQ(l->grade, "C");
    EXPECT_EQ(l->label, "一部達成");
    EXPECT_EQ(l->description, "目標の一部を達成できた。５０％以上７０％未満");  // as written
    EXPECT_EQ(l->min_percent, 50);
    EXPECT_EQ(l->max_percent, 70);
}

TEST(ParseGradeLine, BelowOnlyAndZero) {
    auto d = parse_grade_line("- D: 未達成(目標達成にはいたらなかった。50%未満)", default_profile());
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->min_percent, std::nullopt);
    EXPECT_EQ(d->max_percent, 50);
    auto e = parse_grade_line("- E: 未実施(評価不能又は困難。0%)", default_profile());
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->min_percent, 0);
    EXPECT_EQ(e->max_percent, 0);
}

TEST(ParseGradeLine, LabelWithoutDescription) {
    auto l = parse_grade_line("A: 達成", default_profile());
    ASSERT_TRUE(l.has_value());
    EXPECT_EQ(l->label, "達成");
    EXPECT_FALSE(l->description.has_value());
    EXPECT_FALSE(l->min_percent.has_value());
}

TEST(ParseGradeLine, NotALegendLine) {
    EXPECT_FALSE(parse_grade_line("本文です。", default_profile()).has_value());
    EXPECT_FALSE(parse_grade_line("Z: 不明(0%)", default_profile()).has_value());
    EXPECT_FALSE(parse_grade_line("AB: 何か", default_profile()).has_value());
    EXPECT_FALSE(parse_grade_line("Apple pie", default_profile()).has_value());
    EXPECT_FALSE(parse_grade_line("A:", default_profile()).has_value());
    EXPECT_FALSE(parse_grade_line("", default_profile()).has_value());
}

std::vector<layout::Row> rows_of(const std::string& text) {
    auto p = layout::rows_from_text(text);
    EXPECT_TRUE(p.ok());
    return p.ok() ? p->rows : std::vector<layout::Row>{};
}

TEST(InferCity, SeedNamesKashiwara) {
    EXPECT_EQ(infer_city(rows_of(read_bytes(kSeed)), default_profile()), std::optional<std::string>("柏原市"));
}

TEST(InferCity, TwoCitiesGiveNothing) {
    EXPECT_EQ(infer_city(rows_of("柏原市と八尾市の連携を進めます。"), default_profile()), std::nullopt);
}

TEST(InferCity, PrefectureIsCutOff) {
    EXPECT_EQ(infer_city(rows_of("大阪府柏原市の運営方針"), default_profile()), std::optional<std::string>("柏原市"));
}

TEST(InferCity, CityNamesContainingPrefectureSuffixCharacters) {
    // 都, 府, 道 and 県 end prefecture names, but they also occur inside city
    // names; a text naming only one such city still names exactly one city.
    EXPECT_EQ(infer_city(rows_of("令和3年度 京都市政策推進部の運営方針"), default_profile()), std::optional<std::string>("京都市"));
    EXPECT_EQ(infer_city(rows_of("令和3年度 府中市政策推進部の運営方針"), default_profile()), std::optional<std::string>("府中市"));
    EXPECT_EQ(infer_city(rows_of("京都府京都市の運営方針"), default_profile()), std::optional<std::string>("京都市"));
}

TEST(InferCity, CityNameContainingTheSuffix) {
    // 四日市市 is one city, not 四日市 and 四日市市.
    EXPECT_EQ(infer_city(rows_of("令和3年度 四日市市政策推進部の運営方針"), default_profile()), std::optional<std::string>("四日市市"));
    EXPECT_EQ(infer_city(rows_of("令和3年度 市川市政策推進部の運営方針"), default_profile()), std::optional<std::string>("市川市"));
}

TEST(InferCity, StopWordsAndShortNames) {
    EXPECT_EQ(infer_city(rows_of("本市の取組と全国の市町村、近隣市との連携"), default_profile()), std::nullopt);
    EXPECT_EQ(infer_city(rows_of("本市と柏原市"), default_profile()), std::optional<std::string>("柏原市"));
    EXPECT_EQ(infer_city(rows_of("市民の皆さま"), default_profile()), std::nullopt);
}

// ---- Profile -------------------------------------------------------------------------------------------------

TEST(Profile, DefaultProfileLoaded) {
    const Profile& p = default_profile();
    EXPECT_EQ(p.name, "default");
    EXPECT_EQ(p.grades.size(), 5u);
    EXPECT_EQ(p.grade("a"), "A");
    EXPECT_EQ(p.grade("z"), std::nullopt);
    EXPECT_EQ(p.section("基本姿勢"), Section::basic_policy);
    EXPECT_EQ(p.section("重点課題"), Section::goal_summary);
    EXPECT_EQ(p.label("具体的な取組"), Label::initiative);
    EXPECT_EQ(p.label("具体的取組実績"), Label::results);
    EXPECT_EQ(p.label("何か"), Label::none);
}

TEST(Profile, BadProfile) {
    auto r = load_profile("not json", "x.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::bad_profile);
    auto missing = load_profile("{\"name\": \"x\"}", "y.json");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::bad_profile);
}

}  // namespace
}  // namespace hoshin::parse

// ---- Rows as the PDF front end gives them ------------------------------------------------------

namespace hoshin::parse {
namespace {

TEST(PdfRows, DivisionLabelRunIntoItsValue) {
    // A PDF line wrap right at the space drops it: "<label><name>" in one cell.
    std::string text = read_bytes("samples/kashiwara_r3_seisakusuishin.txt");
    size_t at = text.find("\xE6\x89\x80\xE7\xAE\xA1\xE5\xAE\xA4\xE3\x83\xBB\xE8\xAA\xB2\t\xE4\xBC\x81");  // 所管室・課<TAB>企
    ASSERT_NE(at, std::string::npos);
    text.erase(at + 15, 1);  // drop the tab: "所管室・課企画調整課"
    auto pages = layout::rows_from_text(text);
    ASSERT_TRUE(pages.ok());
    auto doc = parse(pages->rows, default_profile());
    ASSERT_TRUE(doc.ok());
    EXPECT_EQ(doc->goals[0].initiatives[0].divisions, std::vector<std::string>{"企画調整課"});
    EXPECT_TRUE(doc->unassigned.empty());
}

TEST(PdfRows, SummaryHeadingCellCompletedOnTheNextRow) {
    // "令和3年度 達成状況" wrapped (or broken across a page) into two rows.
    std::string text = read_bytes("samples/kashiwara_r3_seisakusuishin_end.txt");
    const std::string heading = "\t\xE4\xBB\xA4\xE5\x92\x8C" "3\xE5\xB9\xB4\xE5\xBA\xA6 \xE9\x81\x94\xE6\x88\x90\xE7\x8A\xB6\xE6\xB3\x81\n";  // \t令和3年度 達成状況\n
    size_t at = text.find(heading);
    ASSERT_NE(at, std::string::npos);
    // Row 1 keeps "令和3年"; a new row carries "度 達成状況" in the same column.
    text.replace(at, heading.size(), "\t\xE4\xBB\xA4\xE5\x92\x8C" "3\xE5\xB9\xB4\n\t\t\t\t\t\t\xE5\xBA\xA6 \xE9\x81\x94\xE6\x88\x90\xE7\x8A\xB6\xE6\xB3\x81\n");
    auto pages = layout::rows_from_text(text);
    ASSERT_TRUE(pages.ok());
    auto doc = parse(pages->rows, default_profile());
    ASSERT_TRUE(doc.ok());
    EXPECT_TRUE(doc->unassigned.empty()) << doc->unassigned.front().text;
    EXPECT_EQ(doc->goals[0].summary_grade, "B");
    EXPECT_EQ(doc->goals[0].title, "\xE6\xB0\x91\xE9\x96\x93\xE4\xBC\x81\xE6\xA5\xAD\xE3\x82\x84\xE5\xA4\xA7\xE5\xAD\xA6\xE3\x81\xA8\xE3\x81\xAE\xE3\x81\x95\xE3\x82\x89\xE3\x81\xAA\xE3\x82\x8B\xE9\x80\xA3\xE6\x90\xBA");  // 民間企業や大学とのさらなる連携
}

}  // namespace
}  // namespace hoshin::parse

// Rows read by OCR: labels misread by a character still match, through the
// match keys; short words and text editions match exactly only.
TEST(ProfileOcr, NearLabelsMatchOnlyWhenTolerant) {
    hoshin::parse::Profile p = hoshin::parse::default_profile();
    using hoshin::parse::Label;
    const std::string misread = hoshin::text::match_key("主体の達成度");  // 全体の達成度, one slip
    EXPECT_EQ(p.label(misread), Label::none);
    EXPECT_FALSE(p.grade(hoshin::text::match_key("。C")));
    EXPECT_FALSE(p.has_within(p.grade_column_labels, hoshin::text::match_key("令和3年度達成状")));
    p.ocr_tolerant = true;
    EXPECT_EQ(p.label(misread), Label::overall_grade);
    EXPECT_EQ(p.grade(hoshin::text::match_key("。C")).value_or(""), "C");
    EXPECT_TRUE(p.has_within(p.grade_column_labels, hoshin::text::match_key("令和3年度達成状")));
    // Words under six characters match exactly: 部(局)長 is not 部(局), 理事 not 理念.
    EXPECT_FALSE(p.has(p.header_department, hoshin::text::match_key("部(局)長")));
    EXPECT_TRUE(p.has(p.header_head, hoshin::text::match_key("部(局)長")));
    EXPECT_EQ(p.label(hoshin::text::match_key("達成皮")), Label::none);
    // A heading without the word (or a near form of it) is no grade column.
    EXPECT_FALSE(p.has_within(p.grade_column_labels, hoshin::text::match_key("令和3年度")));
}
