// hoshin: a thin shell. It parses options, runs one job and maps the job's
// result to an exit status (0 ok, 1 some input failed, 2 usage error).
#include <CLI/CLI.hpp>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "bulk/bulk.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/messages.h"
#include "convert/convert.h"
#include "ingest/decode.h"
#include "ingest/ocr.h"
#include "parse/profile.h"

namespace {

using hoshin::cli::kUsageError;

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop.store(true); }

void on_stop(bool reset_after_first) {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    if (reset_after_first) sa.sa_flags = SA_RESETHAND;  // a second Ctrl-C ends hoshin at once
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace

int run(int argc, char** argv) {
    const hoshin::cli::Messages m(hoshin::cli::lang_from_environment());
    hoshin::cli::Usage usage(m);
    auto tr = [&](const char* key) { return m(key); };

    CLI::App app{m("opt:hoshin"), "hoshin"};
    app.set_version_flag("--version", std::string("hoshin ") + hoshin::kVersion, tr("opt:version"));
    app.set_help_flag("-h,--help", tr("opt:help"));
    app.require_subcommand(1);
    hoshin::cli::localize(app, m);
    const auto formats = [&](std::vector<std::string> choices) { return hoshin::cli::one_of(std::move(choices), m); };
    const auto whole = [&](int lo, int hi) { return hoshin::cli::whole_number(lo, hi, m); };

    // --ocr and --ocr-dpi, the same for convert, bulk and layout.
    const auto ocr_options = [&](CLI::App* sub, std::string& mode, hoshin::OcrOptions& ocr) {
        sub->add_option("--ocr", mode, tr("opt:ocr"))->check(formats({"auto", "always", "never"}));
        sub->add_option("--ocr-dpi", ocr.dpi, tr("opt:ocr-dpi"))->check(whole(hoshin::ingest::kMinOcrDpi, hoshin::ingest::kMaxOcrDpi));
    };
    const auto set_ocr_mode = [](const std::string& mode, hoshin::OcrOptions& ocr) {
        if (auto parsed = hoshin::ocr_mode_from_string(mode)) ocr.mode = *parsed;
    };
    std::string convert_ocr, bulk_ocr, layout_ocr;

    hoshin::ConvertJob job;
    std::string output_dir, format, profile_path;
    CLI::App* convert = app.add_subcommand("convert", tr("opt:convert"));
    convert->add_option("INPUT", job.inputs, tr("opt:convert.input"))->required();
    convert->add_option("-o,--output", output_dir, tr("opt:convert.output"));
    convert->add_option("--format", format, tr("opt:convert.format"))->check(formats({"json", "xml", "both", "jsonl"}));
    convert->add_option("--encoding", job.options.encoding, tr("opt:encoding"));
    convert->add_option("--password", job.options.password, tr("opt:password"));
    convert->add_option("--municipality", job.options.municipality_name, tr("opt:municipality"));
    convert->add_option("--municipality-code", job.options.municipality_code, tr("opt:municipality-code"));
    convert->add_option("--profile", profile_path, tr("opt:profile"));
    ocr_options(convert, convert_ocr, job.options.ocr);
    convert->add_flag("-q,--quiet", job.quiet, tr("opt:quiet"));
    convert->add_option("--timeout", job.timeout_seconds, tr("opt:timeout"))
        ->default_val(hoshin::kDefaultTimeoutSeconds)->check(whole(0, 86400));

    hoshin::bulk::BulkJob bulk_job;
    std::string shard, bulk_profile_path;
    CLI::App* bulk = app.add_subcommand("bulk", tr("opt:bulk"));
    bulk->add_option("INPUT", bulk_job.inputs, tr("opt:bulk.input"))->required();
    bulk->add_option("-o,--output", bulk_job.out, tr("opt:bulk.output"))->required();
    bulk->add_option("-j,--jobs", bulk_job.jobs, tr("opt:bulk.jobs"))->check(whole(1, 256));
    bulk->add_flag("--resume", bulk_job.resume, tr("opt:bulk.resume"));
    bulk->add_flag("--force", bulk_job.force, tr("opt:bulk.force"));
    bulk->add_option("--shard", shard, tr("opt:bulk.shard"));
    bulk->add_option("--encoding", bulk_job.options.encoding, tr("opt:encoding"));
    bulk->add_option("--password", bulk_job.options.password, tr("opt:password"));
    bulk->add_option("--municipality", bulk_job.options.municipality_name, tr("opt:bulk.municipality"));
    bulk->add_option("--municipality-code", bulk_job.options.municipality_code, tr("opt:bulk.municipality-code"));
    bulk->add_option("--profile", bulk_profile_path, tr("opt:profile"));
    ocr_options(bulk, bulk_ocr, bulk_job.options.ocr);
    const auto dataset_options = [&](CLI::App* sub, hoshin::dataset::Metadata& md) {
        sub->add_option("--license", md.license, tr("opt:dataset.license"));
        sub->add_option("--publisher", md.publisher, tr("opt:dataset.publisher"));
        sub->add_option("--source-url", md.source_url, tr("opt:dataset.source-url"));
    };
    dataset_options(bulk, bulk_job.metadata);
    bulk->add_flag("-q,--quiet", bulk_job.quiet, tr("opt:bulk.quiet"));
    bulk->add_flag("--jsonl-status", bulk_job.jsonl_status, tr("opt:bulk.jsonl-status"));
    bulk->add_option("--timeout", bulk_job.timeout_seconds, tr("opt:timeout"))
        ->default_val(hoshin::kDefaultTimeoutSeconds)->check(whole(0, 86400));

    std::vector<std::filesystem::path> merge_inputs;
    std::filesystem::path merge_dest;
    hoshin::dataset::Metadata merge_metadata;
    CLI::App* merge = app.add_subcommand("merge", tr("opt:merge"));
    merge->add_option("OUT", merge_inputs, tr("opt:merge.out"))->required();
    merge->add_option("-o,--output", merge_dest, tr("opt:merge.output"))->required();
    dataset_options(merge, merge_metadata);

    hoshin::cli::DiffCommand dc;
    CLI::App* diff = app.add_subcommand("diff", tr("opt:diff"));
    diff->add_option("OLD", dc.old_path, tr("opt:diff.old"))->required();
    diff->add_option("NEW", dc.new_path, tr("opt:diff.new"))->required();
    diff->add_option("--format", dc.format, tr("opt:diff.format"))->check(formats({"text", "json", "html"}));
    diff->add_option("-o,--output", dc.output, tr("opt:diff.output"));
    diff->add_option("--department", dc.department, tr("opt:department"));
    diff->add_flag("--only-changes", dc.only_changes, tr("opt:diff.only-changes"));
    diff->add_flag("--exit-code", dc.exit_code, tr("opt:diff.exit-code"));
    diff->add_option("--lang", dc.lang, tr("opt:lang"))->check(formats({"ja", "en"}));
    diff->add_flag("--color", dc.color, tr("opt:diff.color"));
    diff->add_flag("--no-color", dc.no_color, tr("opt:diff.no-color"));

    hoshin::cli::TimelineCommand tc;
    CLI::App* timeline = app.add_subcommand("timeline", tr("opt:timeline"));
    timeline->add_option("DOC", tc.inputs, tr("opt:timeline.doc"))->required();
    timeline->add_option("--format", tc.format, tr("opt:timeline.format"))->check(formats({"text", "json", "csv", "html"}));
    timeline->add_option("-o,--output", tc.output, tr("opt:timeline.output"));
    timeline->add_option("--department", tc.department, tr("opt:department"));
    timeline->add_option("--lang", tc.lang, tr("opt:lang"))->check(formats({"ja", "en"}));

    std::string layout_input;
    std::string layout_format = "text";
    std::optional<int> layout_png_page;
    std::string layout_out;
    CLI::App* layout = app.add_subcommand("layout", tr("opt:layout"));
    layout->add_option("INPUT", layout_input, tr("opt:layout.input"))->required();
    layout->add_option("--format", layout_format, tr("opt:layout.format"))->check(formats({"text", "json"}));
    layout->add_option("--png", layout_png_page, tr("opt:layout.png"))->check(whole(1, 1 << 30));
    layout->add_option("-o,--output", layout_out, tr("opt:layout.output"));
    layout->add_option("--encoding", job.options.encoding, tr("opt:encoding"));
    layout->add_option("--password", job.options.password, tr("opt:password"));
    ocr_options(layout, layout_ocr, job.options.ocr);

    std::vector<std::string> args(argv + 1, argv + argc);
    if (auto early = usage.check(app, args)) return *early;
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        if (app.get_subcommands().empty()) {
            std::string_view help = m.help();
            std::fwrite(help.data(), 1, help.size(), stdout);
            return 0;
        }
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return usage.fail(app, e);
    }

    hoshin::Sinks sinks;
    sinks.data = [](std::string_view s) { std::fwrite(s.data(), 1, s.size(), stdout); };
    sinks.message = [&](std::string_view s) { std::cerr << m.localize_line(s) << '\n'; };
    hoshin::Sinks raw = sinks;  // for commands that localize their own messages
    raw.message = [](std::string_view s) { std::cerr << s << '\n'; };

    // SOURCE_DATE_EPOCH (reproducible-builds.org) sets the dataset's `created`.
    const auto source_date_epoch = []() -> std::optional<long long> {
        const char* v = std::getenv("SOURCE_DATE_EPOCH");
        if (!v || !*v) return std::nullopt;
        char* end = nullptr;
        long long n = std::strtoll(v, &end, 10);
        if (*end != '\0' || n < 0) return std::nullopt;
        return n;
    };
    // A --profile FILE is loaded once, here; bulk's worker processes inherit it.
    const auto load_profile = [&](const char* command, const std::string& path, std::optional<hoshin::parse::Profile>& into,
                                  hoshin::ConvertOptions& options) -> int {
        if (path.empty()) return 0;
        std::ifstream in(path, std::ios::binary);
        if (!in) return usage.error(command, m("cannot-read-profile", {path}));
        std::stringstream text;
        text << in.rdbuf();
        auto loaded = hoshin::parse::load_profile(text.str(), path);
        if (!loaded.ok()) return usage.error(command, loaded.error().message + " [" + to_string(loaded.error().code) + "]");
        into = std::move(loaded.value());
        options.profile = &*into;
        return 0;
    };
    const auto check_encoding = [&](const char* command, const std::optional<std::string>& encoding) -> int {
        if (encoding && !hoshin::ingest::known_encoding(*encoding)) return usage.error(command, m("unknown-encoding", {*encoding}));
        return 0;
    };

    set_ocr_mode(convert_ocr, job.options.ocr);
    set_ocr_mode(layout_ocr, job.options.ocr);
    set_ocr_mode(bulk_ocr, bulk_job.options.ocr);

    if (bulk->parsed()) {
        hoshin::Sinks bulk_sinks;
        bulk_sinks.data = [](std::string_view s) {
            std::fwrite(s.data(), 1, s.size(), stdout);
            std::fflush(stdout);
        };
        bulk_sinks.message = sinks.message;
        bulk_sinks.progress = [](std::string_view s) { std::cerr << "\r\033[K" << s << std::flush; };
        if (bulk_job.force && !bulk_job.resume) bulk_job.resume = true;  // --force alone: redo all, keep the manifest
        if (!shard.empty()) {
            bulk_job.shard = hoshin::bulk::parse_shard(shard);
            if (!bulk_job.shard) return usage.error("bulk", m("bad-shard", {shard}));
        }
        if (bulk->count("--jobs") == 0) bulk_job.jobs = static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
        if (bulk_job.options.municipality_code && !hoshin::valid_municipality_code(*bulk_job.options.municipality_code))
            return usage.error("bulk", m("bad-municipality-code", {*bulk_job.options.municipality_code}));
        if (int status = check_encoding("bulk", bulk_job.options.encoding)) return status;
        std::optional<hoshin::parse::Profile> bulk_profile;
        if (int status = load_profile("bulk", bulk_profile_path, bulk_profile, bulk_job.options)) return status;
        if (bulk_profile) bulk_job.metadata.grades = bulk_profile->grade_names();
        if (auto created = source_date_epoch()) bulk_job.metadata.created = created;
        bulk_job.progress = !bulk_job.quiet && ::isatty(STDERR_FILENO);
        on_stop(false);  // in-flight inputs finish
        bulk_job.stop = &g_stop;
        return hoshin::bulk::run_bulk(bulk_job, bulk_sinks);
    }
    if (merge->parsed()) {
        hoshin::Sinks bulk_sinks;
        bulk_sinks.data = sinks.data;
        bulk_sinks.message = sinks.message;
        bulk_sinks.progress = [](std::string_view) {};
        if (auto created = source_date_epoch()) merge_metadata.created = created;
        return hoshin::bulk::run_merge(merge_inputs, merge_dest, bulk_sinks, merge_metadata);
    }
    if (diff->parsed()) {
        if (dc.old_path == hoshin::kStdinName && dc.new_path == hoshin::kStdinName) return usage.error("diff", m("stdin-once"));
        dc.color = !dc.no_color && (dc.color || (dc.output.empty() && ::isatty(STDOUT_FILENO)));
        return hoshin::cli::run_diff(dc, m, raw);
    }
    if (timeline->parsed()) {
        if (std::count(tc.inputs.begin(), tc.inputs.end(), hoshin::kStdinName) > 1) return usage.error("timeline", m("stdin-once"));
        return hoshin::cli::run_timeline(tc, m, raw);
    }
    if (layout->parsed()) {
        if (int status = check_encoding("layout", job.options.encoding)) return status;
        if (layout_png_page && layout_out.empty()) return usage.error("layout", m("png-needs-o"));
        return hoshin::cli::run_layout(layout_input, job.options, layout_format, layout_png_page, layout_out, m, raw);
    }

    if (job.options.municipality_code && !hoshin::valid_municipality_code(*job.options.municipality_code))
        return usage.error("convert", m("bad-municipality-code", {*job.options.municipality_code}));
    if (std::count(job.inputs.begin(), job.inputs.end(), hoshin::kStdinName) > 1) return usage.error("convert", m("stdin-once"));
    if (int status = check_encoding("convert", job.options.encoding)) return status;
    std::optional<hoshin::parse::Profile> profile;
    if (int status = load_profile("convert", profile_path, profile, job.options)) return status;
    if (format == "jsonl") {
        if (!output_dir.empty()) return usage.error("convert", m("jsonl-is-stdout"));
        job.format = hoshin::OutputFormat::jsonl;
    } else if (!output_dir.empty()) {
        job.output_dir = output_dir;
        std::error_code ec;
        std::filesystem::create_directories(output_dir, ec);
        if (ec || !std::filesystem::is_directory(output_dir, ec)) return usage.error("convert", m("cannot-create-dir", {output_dir}));
        job.format = format == "json" ? hoshin::OutputFormat::json
                     : format == "xml" ? hoshin::OutputFormat::xml
                                       : hoshin::OutputFormat::both;
    } else {
        if (job.inputs.size() != 1) return usage.error("convert", m("several-inputs-need-o"));
        if (format == "both") return usage.error("convert", m("format-needs-o", {format}));
        job.format = format == "xml" ? hoshin::OutputFormat::xml : hoshin::OutputFormat::json;
    }
    on_stop(true);  // the input in flight finishes, what is done is written, exit 130
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
