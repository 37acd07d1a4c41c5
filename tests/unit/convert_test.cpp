// Unit tests for convert/convert.h: municipality codes, the per-file
// conversion, atomic output and the whole convert job.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "convert/convert.h"
#include "support.h"
#include "ingest/pdf.h"
#include "ingest/sha256.h"
#include "model/error.h"
#include "read/json_reader.h"
#include "read/xml_reader.h"
#include "write/json_writer.h"

namespace hoshin {
namespace {

namespace fs = std::filesystem;

const std::string kSeed = std::string(HOSHIN_SOURCE_DIR) + "/samples/kashiwara_r3_seisakusuishin.txt";
const std::string kCp932 = std::string(HOSHIN_SOURCE_DIR) + "/samples/kashiwara_r3_seisakusuishin_cp932.txt";

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const fs::path& p, const std::string& content) {
    std::ofstream out(p, std::ios::binary);
    out << content;
}

// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = fs::temp_directory_path() /
                ("hoshin_unit_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
                 (info ? std::string(info->name()) : std::string("x")));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

std::set<std::string> names_in(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
}

// ---- valid_municipality_code ---------------------------------------------------------------

TEST(CompiledFile, PartThatIsNoPolicyIsKeptAsUnassigned) {
    // Two departments with an appendix between them that has a title line and
    // a section of its own, but no policy markers.
    std::string appendix =
        "\xE4\xBB\xA4\xE5\x92\x8C" "3\xE5\xB9\xB4\xE5\xBA\xA6 \xE5\x8F\x82\xE8\x80\x83\xE8\xB3\x87\xE6\x96\x99"
        "\xE3\x81\xAE\xE9\x81\x8B\xE5\x96\xB6\xE6\x96\xB9\xE9\x87\x9D\n"  // 令和3年度 参考資料の運営方針
        "\xE3\x80\x90\xE5\x8F\x82\xE8\x80\x83\xE8\xB3\x87\xE6\x96\x99\xE3\x80\x91\n"  // 【参考資料】
        "APPENDIX-LINE\t42\n";
    std::string text = hoshin::testing::read_bytes("samples/kashiwara_r3_seisakusuishin.txt") + "\n" + appendix +
                       hoshin::testing::read_bytes("samples/kashiwara_r3_somu.txt");
    auto pages = layout::rows_from_text(text);
    ASSERT_TRUE(pages.ok());
    auto docs = documents_from_rows(pages.value(), Source{"compiled.txt", "text", "", "UTF-8", 1}, {});
    ASSERT_TRUE(docs.ok()) << docs.error().code;
    ASSERT_EQ(docs->size(), 2u);
    const Document& first = docs->front();
    bool kept = false;
    for (const Unassigned& u : first.unassigned) kept = kept || u.text.find("APPENDIX-LINE 42") != std::string::npos;
    EXPECT_TRUE(kept);
    bool said = false;
    for (const Diagnostic& d : first.diagnostics)
        said = said || (d.code == "unassigned-text" && d.message.find("no department's policy") != std::string::npos);
    EXPECT_TRUE(said);
}

TEST(MunicipalityCode, Valid) {
    EXPECT_TRUE(valid_municipality_code("272213"));  // 柏原市
    EXPECT_TRUE(valid_municipality_code("131016"));  // 千代田区
    EXPECT_TRUE(valid_municipality_code("011002"));  // 札幌市
    EXPECT_TRUE(valid_municipality_code("271004"));  // 大阪市
}

TEST(MunicipalityCode, Invalid) {
    EXPECT_FALSE(valid_municipality_code("272214"));   // wrong check digit
    EXPECT_FALSE(valid_municipality_code("27221"));    // too short
    EXPECT_FALSE(valid_municipality_code("2722130"));  // too long
    EXPECT_FALSE(valid_municipality_code("27221a"));
    EXPECT_FALSE(valid_municipality_code("２７２２１３"));  // full-width digits
    EXPECT_FALSE(valid_municipality_code(""));
}

// ---- format_message -------------------------------------------------------------------------

TEST(FormatMessage, Shapes) {
    EXPECT_EQ(format_message("a.txt", "error", "not-found", "no such file"), "hoshin: a.txt: error: no such file [not-found]");
    EXPECT_EQ(format_message("a.txt", "warning", "x-y", "msg", 12), "hoshin: a.txt:12: warning: msg [x-y]");
}

// ---- convert_text / convert_file ------------------------------------------------------------------

TEST(ConvertText, FillsSource) {
    std::string bytes = read_file(kSeed);
    auto r = convert_text(bytes, "some/path.txt", ConvertOptions{});
    ASSERT_TRUE(r.ok()) << r.error().code;
    EXPECT_EQ(r->source.path, "some/path.txt");
    EXPECT_EQ(r->source.format, "text");
    EXPECT_EQ(r->source.sha256, ingest::sha256_hex(bytes));
    EXPECT_EQ(r->source.sha256.size(), 64u);
    EXPECT_EQ(r->source.encoding, "UTF-8");
    EXPECT_EQ(r->source.pages, 1);
    EXPECT_EQ(r->municipality.name, "柏原市");
    EXPECT_FALSE(r->municipality.code.has_value());
}

TEST(ConvertText, MunicipalityOptionsOverrideInference) {
    ConvertOptions options;
    options.municipality_name = "八尾市";
    options.municipality_code = "272124";
    auto r = convert_text(read_file(kSeed), "x.txt", options);
    ASSERT_TRUE(r.ok()) << r.error().code;
    EXPECT_EQ(r->municipality.name, "八尾市");
    EXPECT_EQ(r->municipality.code, "272124");

    ConvertOptions code_only;
    code_only.municipality_code = "272213";
    auto c = convert_text(read_file(kSeed), "x.txt", code_only);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->municipality.name, "柏原市");  // still inferred
    EXPECT_EQ(c->municipality.code, "272213");
}

TEST(ConvertText, ForcedEncoding) {
    ConvertOptions options;
    options.encoding = "Shift_JIS";
    auto r = convert_text(read_file(kCp932), "x.txt", options);
    ASSERT_TRUE(r.ok()) << r.error().code;
    EXPECT_EQ(r->source.encoding, "Shift_JIS");
    EXPECT_EQ(r->goals.size(), 6u);

    ConvertOptions bad;
    bad.encoding = "no-such-encoding";
    auto e = convert_text(read_file(kSeed), "x.txt", bad);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().code, ErrorCode::unknown_encoding);
}

TEST(ConvertText, PagesFromFormFeeds) {
    std::string bytes = read_file(kSeed);
    size_t at = bytes.find("部(局)名");
    ASSERT_NE(at, std::string::npos);
    bytes.insert(at, "\f");
    auto r = convert_text(bytes, "x.txt", ConvertOptions{});
    ASSERT_TRUE(r.ok()) << r.error().code;
    EXPECT_EQ(r->source.pages, 2);
    EXPECT_EQ(r->goals.at(0).provenance.page, 2);
    EXPECT_EQ(r->goals.at(0).provenance.line_start, 42);  // line numbers run over the whole input
}

TEST(ConvertFile, GoodFile) {
    auto r = convert_file(kSeed, ConvertOptions{});
    ASSERT_TRUE(r.ok()) << r.error().code;
    ASSERT_EQ(r->size(), 1u);
    const Document& d = r.value()[0];
    EXPECT_EQ(d.source.path, fs::path(kSeed).generic_string());
    EXPECT_EQ(d.source.sha256, ingest::sha256_hex(read_file(kSeed)));
    EXPECT_EQ(d.goals.size(), 6u);
}

TEST(ConvertFile, Cp932File) {
    auto r = convert_file(kCp932, ConvertOptions{});
    ASSERT_TRUE(r.ok()) << r.error().code;
    EXPECT_EQ(r.value().at(0).source.encoding, "Shift_JIS");
}

TEST(ConvertFile, MissingPath) {
    TempDir dir;
    auto r = convert_file(dir / "does-not-exist.txt", ConvertOptions{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::not_found);
}

TEST(ConvertFile, Directory) {
    TempDir dir;
    auto r = convert_file(dir.path(), ConvertOptions{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::is_directory);
}

TEST(ConvertFile, PdfIsToldByContentNotByName) {
    TempDir dir;
    // PDF bytes in a .txt file go to the PDF front end (and this one is cut short).
    write_file(dir / "a.txt", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n");
    auto r = convert_file(dir / "a.txt", ConvertOptions{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::pdf_truncated);
    // Text in a .pdf file is not silently read as text.
    write_file(dir / "b.pdf", "text pretending to be a PDF\n");
    auto t = convert_file(dir / "b.pdf", ConvertOptions{});
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().code, ErrorCode::not_a_pdf);
}

TEST(ConvertFile, SamplePdfHasPageAndBoxProvenance) {
    auto r = convert_file(std::string(HOSHIN_SOURCE_DIR) + "/samples/kashiwara_r3_seisakusuishin.pdf", ConvertOptions{});
    ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
    ASSERT_EQ(r->size(), 1u);
    const Document& d = r->front();
    EXPECT_EQ(d.source.format, "pdf");
    EXPECT_EQ(d.source.pages, 8);
    ASSERT_EQ(d.goals.size(), 6u);
    for (const Goal& g : d.goals) {
        for (const Provenance* p : {&g.provenance, &g.targets.front().provenance, &g.initiatives.front().provenance}) {
            ASSERT_TRUE(p->bbox.has_value()) << "goal " << g.number;
            EXPECT_GE(p->page, 3);  // detail pages follow the summary
            EXPECT_LT((*p->bbox)[0], (*p->bbox)[2]);
            EXPECT_LT((*p->bbox)[1], (*p->bbox)[3]);
        }
    }
    // Goal 1's detail page is page 3; its target box lies on the A4 page.
    EXPECT_EQ(d.goals[0].provenance.page, 3);
    EXPECT_LT((*d.goals[0].targets[0].provenance.bbox)[3], 842.0);
}

TEST(ConvertFile, CompiledPdfGivesOneDocumentPerDepartment) {
    auto r = convert_file(std::string(HOSHIN_SOURCE_DIR) + "/samples/kashiwara_r3_compiled.pdf", ConvertOptions{});
    ASSERT_TRUE(r.ok()) << r.error().code;
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].department.name, "政策推進部");
    EXPECT_EQ((*r)[1].department.name, "総務部");
    EXPECT_EQ((*r)[0].goals.size(), 6u);
    EXPECT_EQ((*r)[1].goals.size(), 3u);
    EXPECT_GE((*r)[1].goals.front().provenance.page, 9);
}

TEST(ConvertFile, EmptyBinaryAndNonPolicyFiles) {
    TempDir dir;
    write_file(dir / "empty.txt", "");
    write_file(dir / "binary.bin", std::string("\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16));
    write_file(dir / "prose.txt", "これは普通の文章です。\n");
    auto empty = convert_file(dir / "empty.txt", ConvertOptions{});
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, ErrorCode::empty_input);
    auto binary = convert_file(dir / "binary.bin", ConvertOptions{});
    ASSERT_FALSE(binary.ok());
    EXPECT_EQ(binary.error().code, ErrorCode::binary_input);
    auto prose = convert_file(dir / "prose.txt", ConvertOptions{});
    ASSERT_FALSE(prose.ok());
    EXPECT_EQ(prose.error().code, ErrorCode::not_a_policy_document);
}

TEST(ConvertFile, InputTooLarge) {
    TempDir dir;
    fs::path big = dir / "big.txt";
    write_file(big, "a");
    fs::resize_file(big, kMaxInputBytes + 1);  // sparse: no real 64 MiB written
    auto r = convert_file(big, ConvertOptions{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::input_too_large);
}

// ---- write_file_atomic -----------------------------------------------------------------------------

TEST(WriteFileAtomic, WritesAndLeavesNoTemporary) {
    TempDir dir;
    fs::path out = dir / "out.json";
    auto err = write_file_atomic(out, "{\"a\": \"髙\"}\n");
    ASSERT_FALSE(err.has_value()) << err->message;
    EXPECT_EQ(read_file(out), "{\"a\": \"髙\"}\n");
    EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out.json"});

    // Replacing an existing file.
    err = write_file_atomic(out, "second");
    ASSERT_FALSE(err.has_value());
    EXPECT_EQ(read_file(out), "second");
    for (const std::string& name : names_in(dir.path())) EXPECT_EQ(name.find(".tmp."), std::string::npos) << name;
    EXPECT_EQ(names_in(dir.path()).size(), 1u);
}

TEST(WriteFileAtomic, EmptyContent) {
    TempDir dir;
    auto err = write_file_atomic(dir / "empty", "");
    ASSERT_FALSE(err.has_value());
    EXPECT_TRUE(fs::exists(dir / "empty"));
    EXPECT_EQ(fs::file_size(dir / "empty"), 0u);
}

TEST(WriteFileAtomic, MissingDirectory) {
    TempDir dir;
    auto err = write_file_atomic(dir / "no-such-dir" / "out.json", "x");
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->code, ErrorCode::output_error);
    EXPECT_FALSE(fs::exists(dir / "no-such-dir"));
    EXPECT_TRUE(names_in(dir.path()).empty());
}

TEST(WriteFileAtomic, TargetIsADirectory) {
    TempDir dir;
    fs::create_directories(dir / "taken");
    auto err = write_file_atomic(dir / "taken", "x");
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->code, ErrorCode::output_error);
    EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"taken"});  // temporary removed
}

// ---- run_convert -------------------------------------------------------------------------------------

struct Captured {
    std::vector<std::string> data, messages;
    Sinks sinks() {
        return Sinks{[this](std::string_view s) { data.emplace_back(s); },
                     [this](std::string_view s) { messages.emplace_back(s); }};
    }
};

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }
bool ends_with(const std::string& s, const std::string& p) {
    return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

TEST(RunConvert, OneGoodOneMissing) {
    TempDir dir;
    fs::path out = dir / "out";
    fs::create_directories(out);
    const std::string missing = (dir / "missing.txt").string();
    ConvertJob job;
    job.inputs = {kSeed, missing};
    job.output_dir = out;
    job.format = OutputFormat::both;
    Captured cap;
    EXPECT_EQ(run_convert(job, cap.sinks()), 1);

    EXPECT_EQ(names_in(out), (std::set<std::string>{"kashiwara_r3_seisakusuishin.json", "kashiwara_r3_seisakusuishin.xml"}));
    EXPECT_TRUE(cap.data.empty());
    size_t matching = 0;
    for (const std::string& m : cap.messages) {
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;
        if (starts_with(m, "hoshin: " + missing + ": error: ")) {
            ++matching;
            EXPECT_TRUE(ends_with(m, "[not-found]")) << m;
        }
    }
    EXPECT_EQ(matching, 1u);
    EXPECT_EQ(cap.messages.size(), 1u);  // the seed has no warnings

    // The outputs are complete documents.
    auto json = read::from_json(read_file(out / "kashiwara_r3_seisakusuishin.json"));
    ASSERT_TRUE(json.ok()) << json.error().message;
    EXPECT_EQ(json->goals.size(), 6u);
    auto xml = read::from_xml(read_file(out / "kashiwara_r3_seisakusuishin.xml"));
    ASSERT_TRUE(xml.ok()) << xml.error().message;
    EXPECT_EQ(xml.value(), json.value());
}

TEST(RunConvert, AllGoodReturnsZero) {
    TempDir dir;
    ConvertJob job;
    job.inputs = {kSeed, kCp932};
    job.output_dir = dir.path();
    job.format = OutputFormat::json;
    Captured cap;
    EXPECT_EQ(run_convert(job, cap.sinks()), 0);
    EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"kashiwara_r3_seisakusuishin.json",
                                                           "kashiwara_r3_seisakusuishin_cp932.json"}));
    EXPECT_TRUE(cap.messages.empty());
}

TEST(RunConvert, XmlOnly) {
    TempDir dir;
    ConvertJob job;
    job.inputs = {kSeed};
    job.output_dir = dir.path();
    job.format = OutputFormat::xml;
    Captured cap;
    EXPECT_EQ(run_convert(job, cap.sinks()), 0);
    EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"kashiwara_r3_seisakusuishin.xml"});
}

TEST(RunConvert, StdoutWhenNoOutputDir) {
    ConvertJob job;
    job.inputs = {kSeed};
    Captured cap;
    EXPECT_EQ(run_convert(job, cap.sinks()), 0);
    ASSERT_EQ(cap.data.size(), 1u);
    auto expected = convert_file(kSeed, ConvertOptions{});
    ASSERT_TRUE(expected.ok());
    EXPECT_EQ(cap.data[0], write::to_json(expected.value().at(0)));
}

TEST(RunConvert, WarningsReportedUnlessQuiet) {
    TempDir dir;
    std::string text = read_file(kSeed);
    text.insert(text.find("重点目標 2"), "迷子の行\n");
    write_file(dir / "stray.txt", text);
    ConvertJob job;
    job.inputs = {(dir / "stray.txt").string()};
    Captured loud;
    EXPECT_EQ(run_convert(job, loud.sinks()), 0);
    ASSERT_EQ(loud.messages.size(), 1u);
    EXPECT_TRUE(starts_with(loud.messages[0], "hoshin: " + job.inputs[0] + ":69: warning: ")) << loud.messages[0];
    EXPECT_TRUE(ends_with(loud.messages[0], "[unassigned-text]")) << loud.messages[0];

    job.quiet = true;
    Captured quiet;
    EXPECT_EQ(run_convert(job, quiet.sinks()), 0);
    EXPECT_TRUE(quiet.messages.empty());
    EXPECT_EQ(quiet.data.size(), 1u);
}

TEST(RunConvert, OutputCollision) {
    TempDir dir;
    fs::create_directories(dir / "a");
    fs::create_directories(dir / "b");
    fs::create_directories(dir / "out");
    fs::copy_file(kSeed, dir / "a" / "same.txt");
    fs::copy_file(kSeed, dir / "b" / "same.txt");
    ConvertJob job;
    job.inputs = {(dir / "a" / "same.txt").string(), (dir / "b" / "same.txt").string()};
    job.output_dir = dir / "out";
    job.format = OutputFormat::both;
    Captured cap;
    EXPECT_EQ(run_convert(job, cap.sinks()), 1);
    ASSERT_EQ(cap.messages.size(), 1u);
    EXPECT_TRUE(starts_with(cap.messages[0], "hoshin: " + job.inputs[1] + ": error: ")) << cap.messages[0];
    EXPECT_TRUE(ends_with(cap.messages[0], "[output-collision]")) << cap.messages[0];
    EXPECT_EQ(names_in(dir / "out"), (std::set<std::string>{"same.json", "same.xml"}));
}

TEST(RunConvert, OutputIsInput) {
    TempDir dir;
    fs::path input = dir / "policy.json";  // a text document that happens to be named .json
    fs::copy_file(kSeed, input);
    ConvertJob job;
    job.inputs = {input.string()};
    job.output_dir = dir.path();
    job.format = OutputFormat::both;
    Captured cap;
    EXPECT_EQ(run_convert(job, cap.sinks()), 1);
    ASSERT_EQ(cap.messages.size(), 1u);
    EXPECT_TRUE(ends_with(cap.messages[0], "[output-is-input]")) << cap.messages[0];
    EXPECT_EQ(read_file(input), read_file(kSeed));  // untouched
    EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"policy.json"});  // no .xml either
}

TEST(RunConvert, OutputDirectoryMissing) {
    TempDir dir;
    ConvertJob job;
    job.inputs = {kSeed};
    job.output_dir = dir / "nope";
    job.format = OutputFormat::both;
    Captured cap;
    EXPECT_EQ(run_convert(job, cap.sinks()), 1);
    ASSERT_EQ(cap.messages.size(), 1u);
    EXPECT_TRUE(ends_with(cap.messages[0], "[output-error]")) << cap.messages[0];
    EXPECT_FALSE(fs::exists(dir / "nope"));
}

}  // namespace
}  // namespace hoshin

// FIPS 180-4 test vectors: the empty string, "abc", and a message that needs
// a second padding block.
TEST(Sha256, KnownVectors) {
    EXPECT_EQ(hoshin::ingest::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(hoshin::ingest::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hoshin::ingest::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

namespace hoshin {
namespace {

TEST(Sha256, FileInBlocksEqualsBytes) {
    // More than one 1 MiB block, ending mid-block.
    TempDir dir;
    std::string bytes;
    for (int i = 0; bytes.size() < (5u << 19); ++i) bytes += std::to_string(i) + "\n";
    write_file(dir / "blocks.bin", bytes);
    EXPECT_EQ(hoshin::ingest::sha256_file((dir / "blocks.bin").string()), hoshin::ingest::sha256_hex(bytes));
    EXPECT_FALSE(hoshin::ingest::sha256_file((dir / "missing").string()).has_value());
}

// A PDF read from its file (Poppler reads it as it goes) gives what the same
// bytes in memory give, page by page, and the notes of any run of pages.
TEST(PdfReader, FileAndBytesReadTheSame) {
    const std::string path = std::string(HOSHIN_SOURCE_DIR) + "/tests/producers/mixed/booklet.pdf";
    const std::string bytes = testing::read_bytes("tests/producers/mixed/booklet.pdf");
    auto from_file = ingest::PdfReader::open_file(path, std::nullopt);
    auto from_bytes = ingest::PdfReader::open(bytes, std::nullopt);
    ASSERT_TRUE(from_file.ok()) << from_file.error().message;
    ASSERT_TRUE(from_bytes.ok()) << from_bytes.error().message;
    ASSERT_EQ(from_file.value()->page_count(), from_bytes.value()->page_count());
    ingest::PdfText a, b;
    for (int n = 1; n <= from_file.value()->page_count(); ++n) {
        ASSERT_FALSE(from_file.value()->read_page(n, a).has_value());
        ASSERT_FALSE(from_bytes.value()->read_page(n, b).has_value());
        const ingest::PdfPage& pa = a.pages.back();
        const ingest::PdfPage& pb = b.pages.back();
        ASSERT_EQ(pa.words.size(), pb.words.size()) << "page " << n;
        EXPECT_GT(pa.words.size(), 0u) << "page " << n;
        for (size_t k = 0; k < pa.words.size(); ++k) {
            EXPECT_EQ(pa.words[k].text, pb.words[k].text);
            EXPECT_EQ(pa.words[k].x0, pb.words[k].x0);
            EXPECT_EQ(pa.words[k].y1, pb.words[k].y1);
        }
        EXPECT_EQ(pa.rules, pb.rules) << "page " << n;
    }
    EXPECT_FALSE(from_file.value()->finish().has_value());
    // The whole file's notes: the same either way, and those of read_pdf.
    ingest::PdfText notes_a, notes_b;
    from_file.value()->notes_for(1, from_file.value()->page_count(), notes_a);
    from_bytes.value()->notes_for(1, from_bytes.value()->page_count(), notes_b);
    auto whole = ingest::read_pdf(bytes, std::nullopt);
    ASSERT_TRUE(whole.ok());
    EXPECT_EQ(notes_a.notes, notes_b.notes);
    EXPECT_EQ(notes_a.notes, whole->notes);
}

TEST(PdfReader, OpenFileErrors) {
    TempDir dir;
    const std::string good = testing::read_bytes("samples/kashiwara_r3_seisakusuishin.pdf");
    write_file(dir / "truncated.pdf", good.substr(0, good.size() / 2));
    auto truncated = ingest::PdfReader::open_file((dir / "truncated.pdf").string(), std::nullopt);
    ASSERT_FALSE(truncated.ok());
    EXPECT_EQ(truncated.error().code, ErrorCode::pdf_truncated);
    write_file(dir / "garbage.pdf", "%PDF-1.7\nnot an object at all\n%%EOF\n");
    auto garbage = ingest::PdfReader::open_file((dir / "garbage.pdf").string(), std::nullopt);
    ASSERT_FALSE(garbage.ok());
    EXPECT_EQ(garbage.error().code, ErrorCode::pdf_damaged);
}

// A booklet of five producers' PDFs: each department laid out over its own
// pages gives what its PDF gives alone (the whole booklet's measures did not:
// one producer's running header stayed in another's fields).
TEST(ConvertPdf, MixedBookletGivesEachDepartmentAsAlone) {
    auto booklet = convert_file(std::string(HOSHIN_SOURCE_DIR) + "/tests/producers/mixed/booklet.pdf", ConvertOptions{});
    ASSERT_TRUE(booklet.ok()) << booklet.error().message;
    std::vector<Document> alone;
    for (const char* part : {"chromium/seisakusuishin.pdf", "writer/seisakusuishin_end.pdf", "reportlab/r4_end.pdf",
                             "calc/compiled.pdf", "wkhtmltopdf/seisakusuishin_noto.pdf"}) {
        auto r = convert_file(std::string(HOSHIN_SOURCE_DIR) + "/tests/producers/" + part, ConvertOptions{});
        ASSERT_TRUE(r.ok()) << part;
        for (Document& d : r.value()) alone.push_back(std::move(d));
    }
    ASSERT_EQ(booklet->size(), alone.size());
    for (size_t k = 0; k < alone.size(); ++k) {
        const Document& b = (*booklet)[k];
        const Document& a = alone[k];
        EXPECT_EQ(b.title, a.title) << k;
        EXPECT_EQ(b.department.name, a.department.name) << k;
        EXPECT_EQ(b.basic_policy.size(), a.basic_policy.size()) << k;
        ASSERT_EQ(b.goals.size(), a.goals.size()) << k;
        for (size_t g = 0; g < a.goals.size(); ++g) {
            EXPECT_EQ(b.goals[g].title, a.goals[g].title) << k << " " << g;
            EXPECT_EQ(b.goals[g].field, a.goals[g].field) << k << " " << g;
            EXPECT_EQ(b.goals[g].targets.size(), a.goals[g].targets.size()) << k << " " << g;
        }
        EXPECT_EQ(b.unassigned.size(), a.unassigned.size()) << k;
        EXPECT_EQ(b.source.pages, 40);
    }
}

}  // namespace
}  // namespace hoshin
