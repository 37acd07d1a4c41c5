#include "cli/commands.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "diff/diff.h"
#include "read/json_reader.h"
#include "read/xml_reader.h"
#include "text/normalize.h"

namespace hoshin::cli {
namespace {

namespace fs = std::filesystem;

std::string lower_extension(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

// `--department NAME` names this document's department (after NFKC and width folding).
bool of_department(const Document& d, const std::string& name) {
    return d.department.name && text::match_key(*d.department.name) == text::match_key(name);
}

bool is_input_name(const fs::path& p) {
    std::string ext = lower_extension(p);
    return ext == ".json" || ext == ".xml" || ext == ".pdf" || ext == ".txt";
}

// Reads editions: converted JSON or XML back, sources converted (in the
// isolated child for files; in process for standard input).
class Loader {
public:
    Loader(const Messages& m, const Sinks& sinks) : m_(m), sinks_(sinks), converter_(ConvertOptions{}, kDefaultTimeoutSeconds) {}

    Result<std::vector<Document>> load(const std::string& path) {
        std::string ext = lower_extension(path);
        if (path == kStdinName) {
            auto bytes = read_input(path);
            if (!bytes.ok()) return bytes.error();
            std::string_view b = bytes.value();
            size_t first = b.find_first_not_of(" \t\r\n");
            if (b.substr(0, 3) == "\xEF\xBB\xBF") first = b.find_first_not_of(" \t\r\n", 3);
            char c = first == std::string_view::npos ? '\0' : b[first];
            if (c == '{' || c == '[') return read::documents_from_json(b);
            if (c == '<') return one(read::from_xml(b));
            if (b.substr(0, 5) == "%PDF-") return convert_pdf(b, kStdinName, ConvertOptions{});
            return one(convert_text(b, kStdinName, ConvertOptions{}));
        }
        if (ext == ".json" || ext == ".xml") {
            auto text = read_input(path);
            if (!text.ok()) return text.error();
            if (ext == ".xml") return one(read::from_xml(text.value()));
            return read::documents_from_json(text.value());
        }
        return converter_.convert(path);
    }

    // The one document of a file, or the one of `department`.
    Result<Document> edition(const std::string& path, const std::optional<std::string>& department) {
        auto docs = load(path);
        if (!docs.ok()) return docs.error();
        std::vector<Document>& all = docs.value();
        std::string names;
        for (const Document& d : all) names += (names.empty() ? "" : ", ") + d.department.name.value_or("?");
        if (department) {
            for (Document& d : all)
                if (of_department(d, *department)) return std::move(d);
            return Error{ErrorCode::no_such_department, m_.lang() == Lang::ja ? m_("no-such-department", {*department, names})
                                                                     : "no department " + *department + " here; it holds " + names};
        }
        if (all.size() != 1)
            return Error{ErrorCode::several_documents, "holds " + std::to_string(all.size()) + " departments (" + names + "); choose one with --department"};
        return std::move(all.front());
    }

    // Every input file under a directory, sorted; what cannot be listed is reported.
    std::vector<fs::path> files_under(const std::string& dir, int& failed) {
        std::vector<fs::path> files;
        std::error_code ec;
        fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
        for (; !ec && it != end; it.increment(ec)) {
            std::error_code fe;
            // Whatever is named like an input and is not a directory is
            // loaded, so a broken link or a pipe is reported, not skipped.
            if (!it->is_directory(fe) && is_input_name(it->path())) files.push_back(it->path());
        }
        if (ec) {
            report_error(dir, Error{ErrorCode::unreadable, "cannot list: " + ec.message()});
            ++failed;
        }
        std::sort(files.begin(), files.end());
        return files;
    }

    void report_error(const std::string& file, const Error& e) {
        sinks_.message(m_.localize_line(format_message(file, "error", e.code, e.message, e.line, e.page)));
    }
    void report(const std::string& file, const diff::Warning& w) {
        std::string text = m_.has(w.code) && m_.lang() == Lang::ja ? m_(w.code, w.args) : w.message;
        sinks_.message(format_message(file, "warning", w.code, text));
    }

private:
    static Result<std::vector<Document>> one(Result<Document> d) {
        if (!d.ok()) return d.error();
        std::vector<Document> v;
        v.push_back(std::move(d.value()));
        return v;
    }
    const Messages& m_;
    const Sinks& sinks_;
    IsolatedConverter converter_;
};

std::optional<Error> write_output(const std::string& output, const std::string& content, const Sinks& sinks) {
    if (output.empty()) {
        sinks.data(content);
        return std::nullopt;
    }
    std::error_code ec;
    fs::path parent = fs::path(output).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    return write_file_atomic(output, content);
}

// The href of an edition's source PDF from the page's folder, when the PDF
// can be found: the input itself, or the path a converted file records
// (taken from the current directory, else from the converted file's folder).
std::string pdf_href(const std::string& input, const diff::Side& side, const std::string& page_dir) {
    if (side.source.format != "pdf" || input == kStdinName) return {};
    std::error_code ec;
    std::string ext = lower_extension(input);
    std::vector<fs::path> candidates;
    if (ext != ".json" && ext != ".xml") {
        candidates.push_back(input);
    } else {
        candidates.push_back(side.source.path);
        candidates.push_back(fs::path(input).parent_path() / side.source.path);
    }
    for (const fs::path& c : candidates)
        if (fs::is_regular_file(c, ec)) return diff::relative_href(c.string(), page_dir);
    return {};
}

diff::Lang lang_of(const std::optional<std::string>& option, diff::Lang fallback) {
    if (!option) return fallback;
    return *option == "en" ? diff::Lang::en : diff::Lang::ja;
}

int diff_directories(const DiffCommand& c, Loader& loader, const Sinks& sinks) {
    int failed = 0;
    // Documents paired by municipality and department.
    auto load_dir = [&](const std::string& dir, std::map<std::string, Document>& out) {
        for (const fs::path& f : loader.files_under(dir, failed)) {
            auto docs = loader.load(f.string());
            if (!docs.ok()) {
                loader.report_error(f.string(), docs.error());
                ++failed;
                continue;
            }
            for (Document& doc : docs.value()) {
                if (c.department && !of_department(doc, *c.department)) continue;
                std::string key = doc.municipality.code.value_or(doc.municipality.name.value_or("")) + "/" +
                                  doc.department.name.value_or(f.stem().string());
                // Two documents of one department in a directory: told apart by file name.
                if (out.count(key)) key += "#" + f.stem().string();
                out.emplace(key, std::move(doc));
            }
        }
    };
    std::map<std::string, Document> olds, news;
    load_dir(c.old_path, olds);
    load_dir(c.new_path, news);
    nlohmann::ordered_json j;
    j["schema_version"] = diff::kDiffSchemaVersion;
    j["added_departments"] = nlohmann::ordered_json::array();
    j["removed_departments"] = nlohmann::ordered_json::array();
    j["pairs"] = nlohmann::ordered_json::array();
    std::string text;
    bool differs = false;
    diff::RenderOptions o;
    o.only_changes = c.only_changes;
    o.color = c.color;
    for (const auto& [key, doc] : olds)
        if (!news.count(key)) {
            j["removed_departments"].push_back({{"key", key}, {"path", doc.source.path}});
            text += "- department " + key + " (" + doc.source.path + ")\n";
            differs = true;
        }
    for (const auto& [key, doc] : news) {
        auto it = olds.find(key);
        if (it == olds.end()) {
            j["added_departments"].push_back({{"key", key}, {"path", doc.source.path}});
            text += "+ department " + key + " (" + doc.source.path + ")\n";
            differs = true;
            continue;
        }
        auto d = diff::diff(it->second, doc);
        differs = differs || d.differs();
        j["pairs"].push_back(nlohmann::ordered_json::parse(diff::to_json(d, o)));
        text += diff::to_text(d, o);
    }
    std::string out = c.format == "json" ? j.dump(2) + "\n" : text;
    if (auto err = write_output(c.output, out, sinks)) {
        loader.report_error(c.output, *err);
        ++failed;
    }
    if (c.exit_code) return failed > 0 ? kDiffTrouble : differs ? 1 : 0;
    return failed > 0 ? 1 : 0;
}

}  // namespace

int run_diff(const DiffCommand& c, const Messages& m, const Sinks& sinks) {
    const int trouble = c.exit_code ? kDiffTrouble : 1;
    Loader loader(m, sinks);
    if (!c.output.empty()) {
        // Never overwrite an edition with the diff of it.
        std::error_code ec;
        for (const std::string& in : {c.old_path, c.new_path}) {
            if (in != kStdinName && fs::exists(c.output, ec) && fs::equivalent(in, c.output, ec)) {
                loader.report_error(c.output, Error{ErrorCode::output_is_input, "the output is the input " + in});
                return trouble;
            }
        }
    }
    std::error_code ec;
    if (fs::is_directory(c.old_path, ec) && fs::is_directory(c.new_path, ec)) {
        if (c.format == "html") {
            loader.report_error(c.old_path, Error{ErrorCode::is_directory, "--format html compares two documents, not directories"});
            return trouble;
        }
        return diff_directories(c, loader, sinks);
    }
    auto a = loader.edition(c.old_path, c.department);
    auto b = loader.edition(c.new_path, c.department);
    bool failed = false;
    for (const auto& [path, r] : {std::pair{c.old_path, &a}, std::pair{c.new_path, &b}})
        if (!r->ok()) {
            loader.report_error(path, r->error());
            failed = true;
        }
    if (failed) return trouble;
    diff::DocumentDiff d = diff::diff(a.value(), b.value());
    for (const diff::Warning& w : d.warnings) loader.report(c.new_path, w);
    diff::RenderOptions o;
    o.only_changes = c.only_changes;
    o.color = c.color;
    o.lang = lang_of(c.lang, diff::default_lang(d.old_side, d.new_side));
    if (c.format == "html") {
        std::string page_dir = c.output.empty() ? std::string(".") : fs::path(c.output).parent_path().string();
        o.old_href = pdf_href(c.old_path, d.old_side, page_dir);
        o.new_href = pdf_href(c.new_path, d.new_side, page_dir);
    }
    std::string out = c.format == "json" ? diff::to_json(d, o) : c.format == "html" ? diff::to_html(d, o) : diff::to_text(d, o);
    if (auto err = write_output(c.output, out, sinks)) {
        loader.report_error(c.output, *err);
        return trouble;
    }
    if (c.exit_code) return d.differs() ? 1 : 0;
    return 0;
}

int run_timeline(const TimelineCommand& c, const Messages& m, const Sinks& sinks) {
    Loader loader(m, sinks);
    int failed = 0;
    std::vector<Document> docs;
    bool any_directory = false;
    for (const std::string& in : c.inputs) {
        std::error_code ec;
        std::vector<std::string> files;
        if (in != kStdinName && fs::is_directory(in, ec)) {
            any_directory = true;
            for (const fs::path& f : loader.files_under(in, failed)) files.push_back(f.string());
        } else {
            files.push_back(in);
        }
        for (const std::string& f : files) {
            auto loaded = loader.load(f);
            if (!loaded.ok()) {
                loader.report_error(f, loaded.error());
                ++failed;
                continue;
            }
            for (Document& d : loaded.value()) {
                if (c.department && !of_department(d, *c.department)) continue;
                docs.push_back(std::move(d));
            }
        }
    }
    if (failed > 0 && !any_directory) return 1;  // explicit editions: a missing one would break each lineage
    if (docs.empty()) {
        loader.report_error(c.inputs.front(), Error{c.department ? ErrorCode::no_such_department : ErrorCode::not_found,
                                                    c.department ? "no edition of " + *c.department : "no editions found"});
        return 1;
    }
    std::vector<diff::Timeline> ts = diff::timelines(std::move(docs));
    for (const diff::Timeline& t : ts)
        for (const diff::Warning& w : t.warnings) loader.report(t.editions.front().source.path, w);
    diff::Lang lang = lang_of(c.lang, diff::default_lang(ts.front().editions.front(), ts.front().editions.back()));
    std::string out = c.format == "json" ? diff::to_json(ts)
                      : c.format == "csv" ? diff::to_csv(ts, lang)
                      : c.format == "html" ? diff::to_html(ts, lang)
                                           : diff::to_text(ts);
    if (auto err = write_output(c.output, out, sinks)) {
        loader.report_error(c.output, *err);
        return 1;
    }
    return failed > 0 ? 1 : 0;
}

int run_layout(const std::string& input, const ConvertOptions& options, const std::string& format, std::optional<int> png_page,
               const std::string& output, const Messages& m, const Sinks& sinks) {
    auto fail = [&](const Error& e) {
        sinks.message(m.localize_line(format_message(input, "error", e.code, e.message, e.line, e.page)));
        return 1;
    };
    try {
        if (png_page) {
            if (auto err = draw_layout_page(input, options, *png_page, output)) return fail(*err);
            return 0;
        }
        auto dump = dump_layout(input, options, format == "json" ? LayoutFormat::json : LayoutFormat::text);
        if (!dump.ok()) return fail(dump.error());
        if (output.empty()) {
            sinks.data(dump.value());
        } else if (auto err = write_file_atomic(output, dump.value())) {
            sinks.message(m.localize_line(format_message(output, "error", err->code, err->message)));
            return 1;
        }
    } catch (const std::exception& e) {
        return fail(Error{ErrorCode::internal_error, std::string("unexpected failure: ") + e.what()});
    }
    return 0;
}

}  // namespace hoshin::cli
