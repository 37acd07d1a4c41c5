// hoshin: a thin shell. It parses options, runs one job and maps the job's
// result to an exit status (0 ok, 1 some input failed, 2 usage error).
#include <CLI/CLI.hpp>
#include <signal.h>

#include <atomic>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include <unistd.h>

#include "bulk/bulk.h"
#include "diff/diff.h"
#include "read/json_reader.h"
#include "read/xml_reader.h"
#include "convert/convert.h"
#include "parse/profile.h"
#include "ingest/decode.h"

namespace {

constexpr int kUsageError = 2;

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop.store(true); }

int usage_error(const std::string& message) {
    std::cerr << "hoshin: " << message << "\n" << "Run 'hoshin --help' for usage.\n";
    return kUsageError;
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App app{"hoshin: Japanese municipal operating-policy documents (bukyoku unei houshin) to open data"};
    app.set_version_flag("--version", std::string("hoshin ") + hoshin::kVersion);
    app.require_subcommand(1);

    hoshin::ConvertJob job;
    std::string output_dir, format, profile_path;
    CLI::App* convert = app.add_subcommand("convert", "Convert policy documents (PDF or text) into JSON and/or XML");
    convert->add_option("INPUT", job.inputs, "Input files")->required();
    convert->add_option("-o,--output", output_dir, "Write DIR/NAME.json and DIR/NAME.xml instead of JSON on stdout");
    convert->add_option("--format", format, "json, xml or both (default: json on stdout, both with -o)")
        ->check(CLI::IsMember({"json", "xml", "both"}));
    convert->add_option("--encoding", job.options.encoding, "Force the text encoding (e.g. Shift_JIS, EUC-JP, UTF-16LE)");
    convert->add_option("--password", job.options.password, "User password of encrypted PDF inputs");
    convert->add_option("--municipality", job.options.municipality_name, "Municipality name as the city writes it");
    convert->add_option("--municipality-code", job.options.municipality_code,
                        "6-digit local government code (zenkoku chihou koukyou dantai code), e.g. 272213");
    convert->add_option("--profile", profile_path, "Vocabulary profile (JSON) instead of the built-in one");
    convert->add_flag("-q,--quiet", job.quiet, "Do not print warnings (errors are always printed)");
    convert->add_option("--timeout", job.timeout_seconds, "Seconds allowed per input before it fails with [timeout]; 0: no limit")
        ->default_val(hoshin::kDefaultTimeoutSeconds)->check(CLI::Range(0, 86400));

    hoshin::bulk::BulkJob bulk_job;
    std::string shard, bulk_profile_path;
    CLI::App* bulk = app.add_subcommand("bulk", "Convert whole archives (files and directories) into OUT, with a manifest and an open-data dataset");
    bulk->add_option("INPUT", bulk_job.inputs, "Files and directories (searched for .pdf and .txt)")->required();
    bulk->add_option("-o,--output", bulk_job.out, "Output directory")->required();
    bulk->add_option("-j,--jobs", bulk_job.jobs, "Worker processes (default: the number of cores)")->check(CLI::Range(1, 256));
    bulk->add_flag("--resume", bulk_job.resume, "Skip inputs the manifest records as done with the same content and versions");
    bulk->add_flag("--force", bulk_job.force, "With --resume: redo every input");
    bulk->add_option("--shard", shard, "K/N: take a deterministic 1/N of the inputs (for N parallel jobs)");
    bulk->add_option("--encoding", bulk_job.options.encoding, "Force the text encoding");
    bulk->add_option("--password", bulk_job.options.password, "User password of encrypted PDF inputs");
    bulk->add_option("--municipality", bulk_job.options.municipality_name, "Municipality name for every input");
    bulk->add_option("--municipality-code", bulk_job.options.municipality_code, "6-digit local government code for every input");
    bulk->add_option("--profile", bulk_profile_path, "Vocabulary profile (JSON) instead of the built-in one");
    auto dataset_options = [](CLI::App* sub, hoshin::dataset::Metadata& m) {
        sub->add_option("--license", m.license, "Licence of the dataset, an SPDX identifier (default: CC-BY-4.0)");
        sub->add_option("--publisher", m.publisher, "Publisher of the dataset (default: the municipalities the documents name)");
        sub->add_option("--source-url", m.source_url, "Where the source documents are published");
    };
    dataset_options(bulk, bulk_job.metadata);
    bulk->add_flag("-q,--quiet", bulk_job.quiet, "No progress and no summary unless something failed");
    bulk->add_flag("--jsonl-status", bulk_job.jsonl_status, "One JSON line per finished input on stdout");
    bulk->add_option("--timeout", bulk_job.timeout_seconds, "Seconds allowed per input before it fails with [timeout]; 0: no limit")
        ->default_val(hoshin::kDefaultTimeoutSeconds)->check(CLI::Range(0, 86400));

    std::vector<std::filesystem::path> merge_inputs;
    std::filesystem::path merge_dest;
    CLI::App* merge = app.add_subcommand("merge", "Merge bulk outputs (e.g. shards) into one manifest and dataset");
    merge->add_option("OUT", merge_inputs, "Bulk output directories")->required();
    merge->add_option("-o,--output", merge_dest, "Destination directory")->required();
    hoshin::dataset::Metadata merge_metadata;
    dataset_options(merge, merge_metadata);

    std::string diff_old, diff_new, diff_format = "text", diff_out;
    bool diff_color = false, diff_no_color = false;
    CLI::App* diff = app.add_subcommand("diff", "Compare two editions of a department's policy: goals added, removed, reworded, re-graded");
    diff->add_option("OLD", diff_old, "Older document (converted JSON or XML, or a PDF/text source), or a directory of them")->required();
    diff->add_option("NEW", diff_new, "Newer document")->required();
    diff->add_option("--format", diff_format, "text, json or html")->check(CLI::IsMember({"text", "json", "html"}));
    diff->add_option("-o,--output", diff_out, "Write to FILE instead of stdout");
    diff->add_flag("--color", diff_color, "Colour the text output");
    diff->add_flag("--no-color", diff_no_color, "Never colour the text output");

    std::vector<std::string> timeline_inputs;
    std::string timeline_format = "text";
    CLI::App* timeline = app.add_subcommand("timeline", "Each goal's lineage and grade across three or more editions (oldest first)");
    timeline->add_option("DOC", timeline_inputs, "Editions, oldest first (JSON, XML or sources)")->required();
    timeline->add_option("--format", timeline_format, "text or json")->check(CLI::IsMember({"text", "json"}));

    std::string layout_input;
    std::string layout_format = "text";
    std::optional<int> layout_png_page;
    std::string layout_out;
    CLI::App* layout = app.add_subcommand("layout", "Print the rows of cells the parser reads (PAGE:LINE, tab-separated cells), or draw a page's layout");
    layout->add_option("INPUT", layout_input, "Input file")->required();
    layout->add_option("--format", layout_format, "text (PAGE:LINE and tab-separated cells) or json (tables, cells with boxes and spans)")
        ->check(CLI::IsMember({"text", "json"}));
    layout->add_option("--png", layout_png_page, "Draw page N of a PDF with its rules, cells and text rows over it (needs -o FILE.png)")
        ->check(CLI::PositiveNumber);
    layout->add_option("-o,--output", layout_out, "Output file (the PNG of --png; otherwise the layout instead of stdout)");
    layout->add_option("--encoding", job.options.encoding, "Force the text encoding");
    layout->add_option("--password", job.options.password, "User password of an encrypted PDF");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kUsageError;
    }

    // SOURCE_DATE_EPOCH (reproducible-builds.org) sets the dataset's `created`.
    auto source_date_epoch = []() -> std::optional<long long> {
        const char* v = std::getenv("SOURCE_DATE_EPOCH");
        if (!v || !*v) return std::nullopt;
        char* end = nullptr;
        long long n = std::strtoll(v, &end, 10);
        if (*end != '\0' || n < 0) return std::nullopt;
        return n;
    };
    hoshin::bulk::BulkSinks bulk_sinks;
    bulk_sinks.data = [](std::string_view s) {
        std::fwrite(s.data(), 1, s.size(), stdout);
        std::fflush(stdout);
    };
    bulk_sinks.message = [](std::string_view s) { std::cerr << s << '\n'; };
    bulk_sinks.progress = [](std::string_view s) { std::cerr << "\r\033[K" << s << std::flush; };
    if (bulk->parsed()) {
        if (bulk_job.force && !bulk_job.resume) bulk_job.resume = true;  // --force alone: redo all, keep the manifest
        if (!shard.empty()) {
            bulk_job.shard = hoshin::bulk::parse_shard(shard);
            if (!bulk_job.shard) return usage_error("--shard " + shard + " is not K/N with 1 <= K <= N");
        }
        if (bulk->count("--jobs") == 0) bulk_job.jobs = static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
        if (bulk_job.options.municipality_code && !hoshin::valid_municipality_code(*bulk_job.options.municipality_code))
            return usage_error("--municipality-code is not a 6-digit local government code with a valid check digit");
        if (bulk_job.options.encoding && !hoshin::ingest::known_encoding(*bulk_job.options.encoding))
            return usage_error("--encoding " + *bulk_job.options.encoding + " is not an encoding this build knows [unknown-encoding]");
        std::optional<hoshin::parse::Profile> bulk_profile;
        if (!bulk_profile_path.empty()) {  // loaded once here; the worker processes inherit it
            std::ifstream in(bulk_profile_path, std::ios::binary);
            if (!in) return usage_error("cannot read profile " + bulk_profile_path);
            std::stringstream text;
            text << in.rdbuf();
            auto loaded = hoshin::parse::load_profile(text.str(), bulk_profile_path);
            if (!loaded.ok()) return usage_error(loaded.error().message + " [" + loaded.error().code + "]");
            bulk_profile = std::move(loaded.value());
            bulk_job.options.profile = &*bulk_profile;
        }
        if (auto created = source_date_epoch()) bulk_job.metadata.created = created;
        bulk_job.progress = !bulk_job.quiet && ::isatty(STDERR_FILENO);
        // Ctrl-C and SIGTERM stop the run cleanly (in-flight inputs finish).
        struct sigaction sa {};
        sa.sa_handler = on_stop_signal;
        ::sigaction(SIGINT, &sa, nullptr);
        ::sigaction(SIGTERM, &sa, nullptr);
        bulk_job.stop = &g_stop;
        return hoshin::bulk::run_bulk(bulk_job, bulk_sinks);
    }
    if (merge->parsed()) {
        if (auto created = source_date_epoch()) merge_metadata.created = created;
        return hoshin::bulk::run_merge(merge_inputs, merge_dest, bulk_sinks, merge_metadata);
    }
    // A converted file is read back; a source is converted on the fly.
    hoshin::IsolatedConverter source_converter(hoshin::ConvertOptions{}, hoshin::kDefaultTimeoutSeconds);
    auto load = [&](const std::string& path) -> hoshin::Result<hoshin::Document> {
            std::string ext = std::filesystem::path(path).extension().string();
            if (ext == ".json" || ext == ".xml") {
                auto text = hoshin::read_input(path);
                if (!text.ok()) return text.error();
                if (ext == ".xml") return hoshin::read::from_xml(text.value());
                return hoshin::read::from_json(text.value());
            }
            auto docs = source_converter.convert(path);
            if (!docs.ok()) return docs.error();
            if (docs->size() != 1)
                return hoshin::Error{"several-documents", "holds " + std::to_string(docs->size()) + " departments; convert it and pick one"};
            return std::move(docs->front());
    };
    if (timeline->parsed()) {
        if (timeline_inputs.size() < 2) return usage_error("timeline needs at least two editions");
        std::vector<hoshin::Document> editions;
        for (const std::string& path : timeline_inputs) {
            auto doc = load(path);
            if (!doc.ok()) {
                std::cerr << hoshin::format_message(path, "error", doc.error().code, doc.error().message) << '\n';
                return 1;
            }
            editions.push_back(std::move(doc.value()));
        }
        auto t = hoshin::diff::timeline(editions);
        std::string text = timeline_format == "json" ? hoshin::diff::to_json(t) : hoshin::diff::to_text(t);
        std::fwrite(text.data(), 1, text.size(), stdout);
        return 0;
    }
    if (diff->parsed() && !diff_out.empty()) {
        // Never overwrite an edition with the diff of it.
        std::error_code ec;
        for (const std::string& in : {diff_old, diff_new}) {
            if (std::filesystem::exists(diff_out, ec) && std::filesystem::equivalent(in, diff_out, ec)) {
                std::cerr << hoshin::format_message(diff_out, "error", "output-is-input", "the output is the input " + in) << '\n';
                return 1;
            }
        }
    }
    std::error_code dir_ec;
    if (diff->parsed() && std::filesystem::is_directory(diff_old, dir_ec) && std::filesystem::is_directory(diff_new, dir_ec)) {
        int failed = 0;
        // Directories: documents paired by municipality and department.
        auto load_dir = [&](const std::string& dir, std::map<std::string, hoshin::Document>& out) {
            // Whatever is named like an input and is not a directory is
            // loaded, so a broken link or a pipe is reported, not skipped.
            std::vector<std::filesystem::path> files;
            std::error_code ec;
            std::filesystem::recursive_directory_iterator it(dir, std::filesystem::directory_options::skip_permission_denied, ec), end;
            for (; !ec && it != end; it.increment(ec)) {
                std::string ext = it->path().extension().string();
                std::error_code fe;
                if (!it->is_directory(fe) && (ext == ".json" || ext == ".xml" || ext == ".pdf" || ext == ".txt"))
                    files.push_back(it->path());
            }
            if (ec) {
                std::cerr << hoshin::format_message(dir, "error", "unreadable", "cannot list: " + ec.message()) << '\n';
                ++failed;
            }
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                auto doc = load(f.string());
                if (!doc.ok()) {
                    std::cerr << hoshin::format_message(f.string(), "error", doc.error().code, doc.error().message) << '\n';
                    ++failed;
                    continue;
                }
                std::string key = doc->municipality.code.value_or(doc->municipality.name.value_or("")) + "/" +
                                  doc->department.name.value_or(f.stem().string());
                // Two documents of one department in a directory: told apart by file name.
                if (out.count(key)) key += "#" + f.stem().string();
                out.emplace(key, std::move(doc.value()));
            }
        };
        std::map<std::string, hoshin::Document> olds, news;
        load_dir(diff_old, olds);
        load_dir(diff_new, news);
        nlohmann::ordered_json j;
        j["schema_version"] = hoshin::diff::kDiffSchemaVersion;
        j["added_departments"] = nlohmann::ordered_json::array();
        j["removed_departments"] = nlohmann::ordered_json::array();
        j["pairs"] = nlohmann::ordered_json::array();
        std::string text;
        for (const auto& [key, doc] : olds)
            if (!news.count(key)) {
                j["removed_departments"].push_back({{"key", key}, {"path", doc.source.path}});
                text += "- department " + key + " (" + doc.source.path + ")\n";
            }
        for (const auto& [key, doc] : news) {
            auto it = olds.find(key);
            if (it == olds.end()) {
                j["added_departments"].push_back({{"key", key}, {"path", doc.source.path}});
                text += "+ department " + key + " (" + doc.source.path + ")\n";
                continue;
            }
            auto d = hoshin::diff::diff(it->second, doc);
            j["pairs"].push_back(nlohmann::ordered_json::parse(hoshin::diff::to_json(d)));
            text += hoshin::diff::to_text(d, false);
        }
        std::string out = diff_format == "json" ? j.dump(2) + "\n" : text;
        if (diff_out.empty()) std::fwrite(out.data(), 1, out.size(), stdout);
        else if (auto err = hoshin::write_file_atomic(diff_out, out)) {
            std::cerr << hoshin::format_message(diff_out, "error", err->code, err->message) << '\n';
            return 1;
        }
        return failed > 0 ? 1 : 0;
    }
    if (diff->parsed()) {
        auto a = load(diff_old), b = load(diff_new);
        for (const auto& [path, r] : {std::pair{diff_old, &a}, std::pair{diff_new, &b}}) {
            if (!r->ok()) {
                std::cerr << hoshin::format_message(path, "error", r->error().code, r->error().message) << '\n';
                return 1;
            }
        }
        hoshin::diff::DocumentDiff d = hoshin::diff::diff(a.value(), b.value());
        bool color = !diff_no_color && (diff_color || (diff_out.empty() && ::isatty(STDOUT_FILENO)));
        std::string text = diff_format == "json"   ? hoshin::diff::to_json(d)
                           : diff_format == "html" ? hoshin::diff::to_html(d)
                                                   : hoshin::diff::to_text(d, color);
        if (diff_out.empty()) {
            std::fwrite(text.data(), 1, text.size(), stdout);
        } else if (auto err = hoshin::write_file_atomic(diff_out, text)) {
            std::cerr << hoshin::format_message(diff_out, "error", err->code, err->message) << '\n';
            return 1;
        }
        return 0;
    }
    if (layout->parsed()) {
        if (layout_png_page && layout_out.empty()) return usage_error("--png needs -o FILE.png");
        auto fail = [&](const hoshin::Error& e) {
            std::cerr << hoshin::format_message(layout_input, "error", e.code, e.message, e.line, e.page) << '\n';
            return 1;
        };
        try {
            if (layout_png_page) {
                if (auto err = hoshin::draw_layout_page(layout_input, job.options, *layout_png_page, layout_out)) return fail(*err);
                return 0;
            }
            auto dump = hoshin::dump_layout(layout_input, job.options,
                                            layout_format == "json" ? hoshin::LayoutFormat::json : hoshin::LayoutFormat::text);
            if (!dump.ok()) return fail(dump.error());
            if (layout_out.empty()) {
                std::fwrite(dump.value().data(), 1, dump.value().size(), stdout);
            } else if (auto err = hoshin::write_file_atomic(layout_out, dump.value())) {
                std::cerr << hoshin::format_message(layout_out, "error", err->code, err->message) << '\n';
                return 1;
            }
        } catch (const std::exception& e) {
            return fail(hoshin::Error{"internal-error", std::string("unexpected failure: ") + e.what()});
        }
        return 0;
    }
    if (job.options.municipality_code && !hoshin::valid_municipality_code(*job.options.municipality_code))
        return usage_error("--municipality-code '" + *job.options.municipality_code +
                           "' is not a 6-digit local government code with a valid check digit");
    std::optional<hoshin::parse::Profile> profile;
    if (!profile_path.empty()) {
        std::ifstream in(profile_path, std::ios::binary);
        if (!in) return usage_error("cannot read profile " + profile_path);
        std::stringstream text;
        text << in.rdbuf();
        auto loaded = hoshin::parse::load_profile(text.str(), profile_path);
        if (!loaded.ok()) return usage_error(loaded.error().message + " [" + loaded.error().code + "]");
        profile = std::move(loaded.value());
        job.options.profile = &*profile;
    }
    if (!output_dir.empty()) {
        job.output_dir = output_dir;
        std::error_code ec;
        std::filesystem::create_directories(output_dir, ec);
        if (ec || !std::filesystem::is_directory(output_dir, ec))
            return usage_error("cannot create output directory " + output_dir);
        job.format = format == "json" ? hoshin::OutputFormat::json
                     : format == "xml" ? hoshin::OutputFormat::xml
                                       : hoshin::OutputFormat::both;
    } else {
        if (job.inputs.size() != 1) return usage_error("several inputs need -o DIR");
        if (!format.empty() && format != "json") return usage_error("--format " + format + " needs -o DIR");
    }

    hoshin::Sinks sinks;
    sinks.data = [](std::string_view s) { std::fwrite(s.data(), 1, s.size(), stdout); };
    sinks.message = [](std::string_view s) { std::cerr << s << '\n'; };
    // Ctrl-C and SIGTERM: the input in flight finishes, what is done is
    // written, exit 130; a second Ctrl-C ends hoshin at once.
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESETHAND;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    job.stop = &g_stop;
    int status = hoshin::run_convert(job, sinks);
    if (std::fflush(stdout) != 0) return 1;
    return status;
}

int main(int argc, char** argv) {
    // Per-file failures are results; this catches only what escapes them
    // (e.g. out of memory while writing a dataset).
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "hoshin: error: unexpected failure: " << e.what() << " [internal-error]\n";
        return 1;
    }
}
