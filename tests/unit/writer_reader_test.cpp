// Unit tests for write/ and read/: JSON and XML round trips, determinism and
// reader errors.
#include <gtest/gtest.h>

#include "support.h"

#include <nlohmann/json.hpp>

#include <clocale>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "convert/convert.h"
#include "read/json_reader.h"
#include "read/xml_reader.h"
#include "write/json_writer.h"
#include "write/xml_writer.h"

namespace hoshin {
namespace {

const char* const kSamples[] = {
    "samples/kashiwara_r3_seisakusuishin.txt",
    "samples/kashiwara_r3_seisakusuishin_end.txt",
    "samples/kashiwara_r3_seisakusuishin_cp932.txt",
};

using hoshin::testing::read_bytes;

Document convert_sample(const std::string& relative) {
    auto r = convert_text(read_bytes(relative), relative, ConvertOptions{});
    EXPECT_TRUE(r.ok()) << relative << ": " << (r.ok() ? "" : to_string(r.error().code));
    return r.ok() ? r.value() : Document{};
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

// A model with every optional field set, a PDF bbox and text that needs
// escaping in both formats.
Document rich_document() {
    Document d;
    d.source = Source{"in/a&b <x>.pdf", "pdf", std::string(64, 'a'), "UTF-8", 3};
    d.municipality = Municipality{"柏原市", "272213"};
    d.title = "令和3年度 \"政策\" <推進> & 部の運営方針\n二行目";
    d.fiscal_year = FiscalYear{"令和３年度", "令和", 3, 2021};
    d.department.name = "政策<推進>部 & \"課\"\n改行";
    d.department.head = Person{"部(局)長", "髙橋 一郎"};
    d.department.officers.push_back(Officer{"理事", "小林 一裕", "行財政健全化担当"});
    d.department.officers.push_back(Officer{"総合政策監", std::nullopt, std::nullopt});
    d.basic_policy = {"第一段落 <&>\"'", "第二段落\n続き"};
    Goal g;
    g.number = 1;
    g.plan_goal = PlanGoal{5, "みんなでつくる暮らし続けられるまち"};
    g.field = "行財政運営";
    g.title = "a<b>&c\"d'e";
    g.summary_grade = "B";
    g.targets.push_back(Target{"目標 <1>", "状況 & 結果", "A", Provenance{2, 10, 12, std::array<double, 4>{72.5, 100.25, 540, 0.1}}});
    g.targets.push_back(Target{"目標2", std::nullopt, std::nullopt, Provenance{2, 13, 13, std::nullopt, 87.5}});
    g.initiatives.push_back(Initiative{"取組\n二行目", {"企画調整課", "秘書広報課"}, "実績 <済>", Provenance{3, 20, 21, std::array<double, 4>{0, 0, 595.276, 841.89}}});
    g.initiatives.push_back(Initiative{"取組2", {}, std::nullopt, Provenance{3, 22, 22, std::nullopt}});
    g.evaluation = Evaluation{"総括 \"quoted\"", "B"};
    g.next_steps = "次年度 & 以降";
    g.provenance = Provenance{2, 9, 30, std::array<double, 4>{1.0 / 3.0, 1e-7, 1234.5678, 99999.125}, 0.1};
    d.goals.push_back(g);
    d.source.ocr = OcrSource{"tesseract", "5.3.0", "jpn", 300, {OcrPage{2, 81.3, -0.98}, OcrPage{3, 100, 0}}};
    Goal g2;
    g2.number = 2;
    g2.title = "最小の目標";
    g2.provenance = Provenance{4, 31, 31, std::nullopt};
    d.goals.push_back(g2);
    d.grade_scale.push_back(GradeLevel{"A", "達成 <全部>", "100%", 100, 100});
    d.grade_scale.push_back(GradeLevel{"D", "未達成", std::nullopt, std::nullopt, 50});
    d.unassigned.push_back(Unassigned{"余り <text> & \"more\"\n次の行", Provenance{1, 5, 5, std::array<double, 4>{-1.5, 2, 3, 4}}});
    d.diagnostics.push_back(Diagnostic{Severity::warning, "unassigned-text", "メッセージ <&>", Provenance{1, 5, 5, std::nullopt}});
    d.diagnostics.push_back(Diagnostic{Severity::info, "municipality-inferred", "inferred", std::nullopt});
    d.diagnostics.push_back(Diagnostic{Severity::error, "x", "y", std::nullopt});
    return d;
}

// ---- Round trips over the samples -----------------------------------------------------------

class SampleRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(SampleRoundTrip, Json) {
    Document d = convert_sample(GetParam());
    ASSERT_FALSE(d.goals.empty());
    auto back = read::from_json(write::to_json(d));
    ASSERT_TRUE(back.ok()) << back.error().code << ": " << back.error().message;
    EXPECT_EQ(back.value(), d);
}

TEST_P(SampleRoundTrip, Xml) {
    Document d = convert_sample(GetParam());
    ASSERT_FALSE(d.goals.empty());
    auto back = read::from_xml(write::to_xml(d));
    ASSERT_TRUE(back.ok()) << back.error().code << ": " << back.error().message;
    EXPECT_EQ(back.value(), d);
}

TEST_P(SampleRoundTrip, JsonIsByteIdenticalAcrossRuns) {
    std::string a = write::to_json(convert_sample(GetParam()));
    std::string b = write::to_json(convert_sample(GetParam()));
    EXPECT_EQ(a, b);
    EXPECT_EQ(write::to_xml(convert_sample(GetParam())), write::to_xml(convert_sample(GetParam())));
    ASSERT_FALSE(a.empty());
    EXPECT_EQ(a.back(), '\n');
}

INSTANTIATE_TEST_SUITE_P(Samples, SampleRoundTrip, ::testing::ValuesIn(kSamples));

// ---- JSON shape ---------------------------------------------------------------------------------

TEST(JsonWriter, KeyOrderAndExplicitNulls) {
    Document d = convert_sample(kSamples[0]);
    std::string json = write::to_json(d);
    auto pos = [&](const char* key) { return json.find(std::string("\"") + key + "\":"); };
    EXPECT_LT(pos("schema_version"), pos("source"));
    EXPECT_LT(pos("source"), pos("municipality"));
    EXPECT_LT(pos("municipality"), pos("title"));
    EXPECT_LT(pos("title"), pos("fiscal_year"));
    EXPECT_LT(pos("fiscal_year"), pos("department"));
    EXPECT_LT(pos("department"), pos("basic_policy"));
    EXPECT_LT(pos("basic_policy"), pos("goals"));
    EXPECT_LT(pos("goals"), pos("grade_scale"));
    EXPECT_LT(pos("grade_scale"), pos("unassigned"));
    EXPECT_LT(pos("unassigned"), pos("diagnostics"));
    auto j = nlohmann::json::parse(json);
    EXPECT_EQ(j["schema_version"], 2);
    EXPECT_TRUE(j["source"]["ocr"].is_null());
    EXPECT_TRUE(j["goals"][0]["provenance"]["confidence"].is_null());
    EXPECT_TRUE(j["goals"][0]["summary_grade"].is_null());
    EXPECT_TRUE(j["goals"][0]["evaluation"]["grade"].is_null());
    EXPECT_TRUE(j["goals"][0]["provenance"]["bbox"].is_null());
    EXPECT_TRUE(j["municipality"]["code"].is_null());
    EXPECT_EQ(j["municipality"]["name"], "柏原市");
    EXPECT_EQ(j["source"]["format"], "text");
    EXPECT_EQ(j["source"]["encoding"], "UTF-8");
    EXPECT_EQ(j["source"]["pages"], 1);
    EXPECT_EQ(j["source"]["sha256"].get<std::string>().size(), 64u);
    // Characters are written as UTF-8, not \u escapes.
    EXPECT_NE(json.find("政策推進部"), std::string::npos);
}

// ---- Handmade models ----------------------------------------------------------------------------

TEST(RoundTrip, RichModelThroughJson) {
    Document d = rich_document();
    auto back = read::from_json(write::to_json(d));
    ASSERT_TRUE(back.ok()) << back.error().code << ": " << back.error().message;
    EXPECT_EQ(back.value(), d);
}

TEST(RoundTrip, RichModelThroughXml) {
    Document d = rich_document();
    std::string xml = write::to_xml(d);
    EXPECT_NE(xml.find("urn:hoshin:policy-document:2"), std::string::npos);
    EXPECT_NE(xml.find("&lt;"), std::string::npos);
    EXPECT_NE(xml.find("&amp;"), std::string::npos);
    auto back = read::from_xml(xml);
    ASSERT_TRUE(back.ok()) << back.error().code << ": " << back.error().message;
    EXPECT_EQ(back.value(), d);
    // Spot checks, so a failure says which field broke.
    EXPECT_EQ(back->title, d.title);
    EXPECT_EQ(back->department.name, d.department.name);
    EXPECT_EQ(back->goals.at(0).title, d.goals[0].title);
    EXPECT_EQ(back->goals.at(0).provenance.bbox, d.goals[0].provenance.bbox);
    EXPECT_EQ(back->unassigned.at(0).text, d.unassigned[0].text);
}

TEST(RoundTrip, EmptyModel) {
    Document d;
    auto j = read::from_json(write::to_json(d));
    ASSERT_TRUE(j.ok()) << j.error().message;
    EXPECT_EQ(j.value(), d);
    auto x = read::from_xml(write::to_xml(d));
    ASSERT_TRUE(x.ok()) << x.error().message;
    EXPECT_EQ(x.value(), d);
}

TEST(RoundTrip, EmptyStringsStayEmptyNotNull) {
    Document d;
    d.title = "";
    d.department.name = "";
    Goal g;
    g.number = 1;
    g.title = "";
    g.next_steps = "";
    g.evaluation.summary = "";
    d.goals.push_back(g);
    auto j = read::from_json(write::to_json(d));
    ASSERT_TRUE(j.ok());
    EXPECT_EQ(j.value(), d);
    auto x = read::from_xml(write::to_xml(d));
    ASSERT_TRUE(x.ok()) << x.error().message;
    EXPECT_EQ(x.value(), d);
}

TEST(JsonReader, ArrayOfTwoDocuments) {
    Document a = convert_sample(kSamples[0]);
    Document b = convert_sample(kSamples[1]);
    std::string json = write::to_json(std::vector<Document>{a, b});
    auto docs = read::documents_from_json(json);
    ASSERT_TRUE(docs.ok()) << docs.error().message;
    ASSERT_EQ(docs->size(), 2u);
    EXPECT_EQ(docs.value()[0], a);
    EXPECT_EQ(docs.value()[1], b);
    // from_json wants exactly one document.
    auto one = read::from_json(json);
    ASSERT_FALSE(one.ok());
    EXPECT_EQ(one.error().code, ErrorCode::bad_json);
}

TEST(JsonReader, SingleDocumentThroughDocumentsFromJson) {
    Document a = convert_sample(kSamples[0]);
    auto docs = read::documents_from_json(write::to_json(a));
    ASSERT_TRUE(docs.ok());
    ASSERT_EQ(docs->size(), 1u);
    EXPECT_EQ(docs.value()[0], a);
}

TEST(JsonReader, Garbage) {
    for (const char* text : {"", "not json", "{\"schema_version\": 1,", "[1, 2", "\xFF\xFE"}) {
        SCOPED_TRACE(text);
        auto r = read::from_json(text);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::bad_json);
    }
}

TEST(JsonReader, WrongShapeIsBadJson) {
    Document d = convert_sample(kSamples[0]);
    std::string json = write::to_json(d);
    // A required member missing.
    auto no_goals = nlohmann::json::parse(json);
    no_goals.erase("goals");
    auto r1 = read::from_json(no_goals.dump());
    ASSERT_FALSE(r1.ok());
    EXPECT_EQ(r1.error().code, ErrorCode::bad_json);
    // A member of the wrong type.
    auto bad_type = nlohmann::json::parse(json);
    bad_type["goals"][0]["number"] = "one";
    auto r2 = read::from_json(bad_type.dump());
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.error().code, ErrorCode::bad_json);
    // An unknown severity.
    auto bad_sev = nlohmann::json::parse(write::to_json(rich_document()));
    bad_sev["diagnostics"][0]["severity"] = "fatal";
    auto r3 = read::from_json(bad_sev.dump());
    ASSERT_FALSE(r3.ok());
    EXPECT_EQ(r3.error().code, ErrorCode::bad_json);
    // A bbox with three numbers.
    auto bad_bbox = nlohmann::json::parse(write::to_json(rich_document()));
    bad_bbox["goals"][0]["provenance"]["bbox"] = {1, 2, 3};
    auto r4 = read::from_json(bad_bbox.dump());
    ASSERT_FALSE(r4.ok());
    EXPECT_EQ(r4.error().code, ErrorCode::bad_json);
    // Not an object at all.
    auto r5 = read::from_json("42");
    ASSERT_FALSE(r5.ok());
    EXPECT_EQ(r5.error().code, ErrorCode::bad_json);
}

TEST(JsonReader, EmptyObjectIsBadJson) {
    // Lacking schema_version is a shape error, not an unsupported version.
    auto r = read::from_json("{}");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::bad_json) << r.error().message;
}

TEST(JsonReader, UnsupportedSchemaVersion) {
    for (int version : {0, 3}) {
        auto j = nlohmann::json::parse(write::to_json(convert_sample(kSamples[0])));
        j["schema_version"] = version;
        auto r = read::from_json(j.dump());
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::unsupported_schema_version);
        auto arr = read::documents_from_json("[" + j.dump() + "]");
        ASSERT_FALSE(arr.ok());
        EXPECT_EQ(arr.error().code, ErrorCode::unsupported_schema_version);
    }
}

// Version 1 (before OCR) is still read: diff and timeline compare last
// year's outputs with this year's. What it lacks is absent.
// rich_document() as a version 1 document can hold it: nothing read by OCR.
Document version1_document() {
    Document d = rich_document();
    d.source.ocr.reset();
    for (Goal& g : d.goals) {
        g.provenance.confidence.reset();
        for (Target& t : g.targets) t.provenance.confidence.reset();
    }
    return d;
}

TEST(JsonReader, ReadsSchemaVersion1) {
    Document d = version1_document();
    auto j = nlohmann::json::parse(write::to_json(d));
    j["schema_version"] = 1;
    j["source"].erase("ocr");
    for (auto& g : j["goals"]) {
        g["provenance"].erase("confidence");
        for (auto& t : g["targets"]) t["provenance"].erase("confidence");
        for (auto& i : g["initiatives"]) i["provenance"].erase("confidence");
    }
    for (auto& u : j["unassigned"]) u["provenance"].erase("confidence");
    for (auto& x : j["diagnostics"])
        if (!x["provenance"].is_null()) x["provenance"].erase("confidence");
    auto r = read::from_json(j.dump());
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value(), d);
    EXPECT_EQ(r.value().schema_version, kSchemaVersion);
}

TEST(XmlReader, ReadsSchemaVersion1) {
    Document d = version1_document();
    std::string xml = replace_once(write::to_xml(d), "urn:hoshin:policy-document:2", "urn:hoshin:policy-document:1");
    xml = replace_once(xml, "schema-version=\"2\"", "schema-version=\"1\"");
    auto r = read::from_xml(xml);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value(), d);
}

TEST(XmlReader, WrongNamespace) {
    std::string xml = replace_once(write::to_xml(convert_sample(kSamples[0])), "urn:hoshin:policy-document:2",
                                   "urn:example:other:1");
    auto r = read::from_xml(xml);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::bad_xml);
}

TEST(XmlReader, NoNamespace) {
    std::string xml = replace_once(write::to_xml(Document{}), " xmlns=\"urn:hoshin:policy-document:2\"", "");
    auto r = read::from_xml(xml);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::bad_xml);
}

TEST(XmlReader, Garbage) {
    for (const char* text : {"", "not xml", "<policy-document", "<other xmlns=\"urn:hoshin:policy-document:1\"/>"}) {
        SCOPED_TRACE(text);
        auto r = read::from_xml(text);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::bad_xml);
    }
}

TEST(XmlReader, MissingRequiredChild) {
    std::string xml = replace_once(write::to_xml(rich_document()), "<grade-scale>", "<grade-scale-x>");
    xml = replace_once(xml, "</grade-scale>", "</grade-scale-x>");
    auto r = read::from_xml(xml);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::bad_xml);
}

TEST(XmlReader, BadInteger) {
    std::string xml = replace_once(write::to_xml(rich_document()), "number=\"1\"", "number=\"one\"");
    auto r = read::from_xml(xml);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::bad_xml);
}

TEST(XmlReader, UnsupportedSchemaVersion) {
    std::string xml = replace_once(write::to_xml(convert_sample(kSamples[0])), "schema-version=\"2\"", "schema-version=\"3\"");
    auto r = read::from_xml(xml);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::unsupported_schema_version);
}

TEST(FormatDouble, ShortestRoundTrip) {
    EXPECT_EQ(write::format_double(0.1), "0.1");
    EXPECT_EQ(write::format_double(72.5), "72.5");
    EXPECT_EQ(write::format_double(540), "540");
    EXPECT_EQ(write::format_double(-1.5), "-1.5");
    EXPECT_EQ(write::format_double(0), "0");
    double third = 1.0 / 3.0;
    EXPECT_EQ(std::stod(write::format_double(third)), third);
}

TEST(FormatDouble, LocaleIndependent) {
    // A decimal comma locale must not change the output; skip the switch if
    // no such locale is installed, the assertion still runs.
    const char* old = std::setlocale(LC_NUMERIC, nullptr);
    std::string saved = old ? old : "C";
    std::setlocale(LC_NUMERIC, "de_DE.UTF-8");
    EXPECT_EQ(write::format_double(1234.5), "1234.5");
    std::setlocale(LC_NUMERIC, saved.c_str());
}

}  // namespace
}  // namespace hoshin

namespace hoshin {
namespace {

// The JSON writer writes straight from the model; its bytes must be exactly
// nlohmann's dump of the same values (indent 2, and compact for JSON Lines).
void expect_nlohmann_bytes(const std::string& pretty, const std::string& line) {
    using nlohmann::ordered_json;
    auto again = [](const std::string& s, int indent) {
        return ordered_json::parse(s).dump(indent, ' ', false, ordered_json::error_handler_t::replace) + "\n";
    };
    EXPECT_EQ(pretty, again(pretty, 2));
    EXPECT_EQ(line, again(line, -1));
    EXPECT_EQ(line.find('\n'), line.size() - 1);
}

TEST(JsonWriter, BytesAreNlohmannsForEveryValueKind) {
    Document d;
    d.source = Source{"dir/\"quoted\" \\back\\slash.txt", "pdf", std::string(64, 'a'), "UTF-8", 3};
    d.title = std::string("tab\there, newline\nthere, \x01\x1f control, \x7f del, \xE2\x80\xA8 line separator, 髙橋");
    d.fiscal_year = FiscalYear{"令和3年度", "令和", 3, 2021};
    d.department.name = "政策推進部";
    d.department.officers.push_back(Officer{std::string("理事"), std::nullopt, std::string("")});
    d.basic_policy = {"一つ目", "", "\b\f\r"};
    Goal g;
    g.number = -7;
    g.title = "目標";
    g.targets.push_back(Target{"t", std::nullopt, std::string("A"), Provenance{2, 10, 12, std::array<double, 4>{0.1, 1e-7, 595.2756, 1e21}}});
    g.initiatives.push_back(Initiative{"i", {}, std::nullopt, {}});
    g.initiatives.push_back(Initiative{"j", {"広報課", "秘書課"}, std::string("r"), {}});
    d.goals.push_back(g);
    d.grade_scale.push_back(GradeLevel{"A", "達成", std::nullopt, 100, std::nullopt});
    d.diagnostics.push_back(Diagnostic{Severity::warning, "x", "m", std::nullopt});
    expect_nlohmann_bytes(write::to_json(d), write::to_json_line(d));
    expect_nlohmann_bytes(write::to_json(std::vector<Document>{d, Document{}}), write::to_json_line(Document{}));
    expect_nlohmann_bytes(write::to_json(std::vector<Document>{}), write::to_json_line(d));
    // Invalid UTF-8 (decode never lets it through) is replaced as nlohmann would.
    d.title = std::string("bad \xC3 byte");
    expect_nlohmann_bytes(write::to_json(d), write::to_json_line(d));
    EXPECT_NE(write::to_json(d).find("bad \xEF\xBF\xBD byte"), std::string::npos);
}

TEST(JsonWriter, SamplesAreNlohmannsBytes) {
    for (const char* path : {"samples/kashiwara_r3_seisakusuishin_end.txt", "samples/kashiwara_r3_seisakusuishin_end.pdf"}) {
        auto docs = convert_file(path, ConvertOptions{});
        ASSERT_TRUE(docs.ok()) << path;
        for (const Document& d : docs.value()) expect_nlohmann_bytes(write::to_json(d), write::to_json_line(d));
    }
}

}  // namespace
}  // namespace hoshin
