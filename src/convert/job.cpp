// The convert job: every input converted (isolated), its outputs named,
// written under temporary names and renamed into place in batches.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "convert/convert.h"
#include "convert/ipc.h"
#include "convert/render.h"
#include "io/files.h"

namespace hoshin {
namespace fs = std::filesystem;

namespace {

bool same_file(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    return fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

}  // namespace

namespace {

using Outputs = std::vector<std::pair<fs::path, std::string>>;

// An input's output files and their contents, after the checks that need no
// writing: an output that is the input, or that another input of the run
// already writes.
Result<Outputs> name_outputs(Rendered rendered, const fs::path& input, const fs::path& base, OutputFormat format,
                             const std::set<fs::path>& taken) {
    // One document per input for text; a compiled PDF may hold several.
    Outputs outputs;
    for (size_t k = 0; k < rendered.documents; ++k) {
        fs::path name = base;
        if (rendered.documents > 1) name += "-" + std::to_string(k + 1);
        if (format != OutputFormat::xml) outputs.emplace_back(fs::path(name) += ".json", std::move(rendered.json.at(k)));
        if (format != OutputFormat::json) outputs.emplace_back(fs::path(name) += ".xml", std::move(rendered.xml.at(k)));
    }
    for (const auto& [path, content] : outputs) {
        if (same_file(input, path)) return Error{ErrorCode::output_is_input, "output " + path.string() + " is the input file"};
        if (taken.count(path)) return Error{ErrorCode::output_collision, "output " + path.string() + " already written by another input in this run"};
    }
    return outputs;
}

Result<Outputs> render_outputs(const std::vector<Document>& docs, const fs::path& input, const fs::path& base,
                               OutputFormat format, const std::set<fs::path>& taken) {
    return name_outputs(render_documents(docs, input.string(), RenderRequest{format, false, true}), input, base, format, taken);
}

// convert -o: outputs are written under temporary names and renamed into
// place in batches, each after one syncfs() of the output's file system. So
// an output's data is durable before its name appears (complete or absent,
// even after a power cut), at the cost of one sync per batch rather than one
// fsync per file (which was 40 % of a text conversion's time).
class OutputBatch {
public:
    static constexpr size_t kMaxInputs = 256;
    static constexpr double kMaxSeconds = 0.5;

    explicit OutputBatch(const fs::path& dir) : dir_fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {}
    ~OutputBatch() {
        discard();
        if (dir_fd_ >= 0) ::close(dir_fd_);
    }
    OutputBatch(const OutputBatch&) = delete;
    OutputBatch& operator=(const OutputBatch&) = delete;

    // Takes an input's outputs, already written under temporary names
    // (temporary name, final name), to be renamed with the batch.
    void adopt(const std::string& input, std::vector<std::pair<fs::path, fs::path>> files) {
        if (groups_.empty()) first_ = ipc::now_seconds();
        groups_.push_back(Group{input, std::move(files)});
    }

    bool due() const { return groups_.size() >= kMaxInputs || (!groups_.empty() && ipc::now_seconds() - first_ >= kMaxSeconds); }

    // Makes the staged outputs durable, then gives them their names. Calls
    // fail(input, error) for each input whose outputs could not be placed
    // (none of its outputs is left).
    void flush(const std::function<void(const std::string&, const Error&)>& fail) {
        if (groups_.empty()) return;
        if (dir_fd_ < 0 || ::syncfs(dir_fd_) != 0) {
            Error e{ErrorCode::output_error, std::string("cannot sync the output directory: ") + std::strerror(errno)};
            for (const Group& g : groups_) fail(g.input, e);
            discard();
            return;
        }
        for (const Group& g : groups_) {
            std::vector<fs::path> placed;
            for (const auto& [tmp, path] : g.files) {
                if (::rename(tmp.c_str(), path.c_str()) != 0) {
                    int err = errno;
                    std::error_code ec;
                    for (const fs::path& p : placed) fs::remove(p, ec);
                    for (const auto& [t, f] : g.files) ::unlink(t.c_str());
                    fail(g.input, Error{ErrorCode::output_error, "cannot rename to " + path.string() + ": " + std::strerror(err)});
                    placed.clear();
                    break;
                }
                placed.push_back(path);
            }
        }
        groups_.clear();
    }

private:
    struct Group {
        std::string input;
        std::vector<std::pair<fs::path, fs::path>> files;  // temporary name, final name
    };
    void discard() {
        for (const Group& g : groups_)
            for (const auto& [tmp, path] : g.files) ::unlink(tmp.c_str());
        groups_.clear();
    }
    int dir_fd_;
    std::vector<Group> groups_;
    double first_ = 0;
};

// One input's outputs with -o: each document's are written under a
// temporary name as soon as they are rendered (a long PDF's are never all
// held), and named once the input is done: BASE.json for one document,
// BASE-1.json, BASE-2.json... for several. Whatever is not named is removed.
class StagedOutputs {
public:
    StagedOutputs(fs::path base, OutputFormat format, size_t& counter) : base_(std::move(base)), format_(format), counter_(counter) {}
    ~StagedOutputs() {
        for (const Staged& st : staged_) ::unlink(st.tmp.c_str());
    }
    StagedOutputs(const StagedOutputs&) = delete;
    StagedOutputs& operator=(const StagedOutputs&) = delete;

    std::optional<Error> add(std::string json, std::string xml) {
        size_t doc = staged_.empty() ? 1 : staged_.back().doc + 1;
        for (auto& [content, ext] : {std::pair<std::string*, const char*>{&json, ".json"}, {&xml, ".xml"}}) {
            bool json_out = std::string_view(ext) == ".json";
            if (format_ == (json_out ? OutputFormat::xml : OutputFormat::json)) continue;
            // The counter makes every temporary name of the run unique.
            fs::path tmp = temporary_name(fs::path(base_) += "-" + std::to_string(doc) + ext);
            tmp += "." + std::to_string(++counter_);
            if (auto err = write_new_file(tmp, *content)) return err;
            staged_.push_back(Staged{tmp, doc, ext});
        }
        return std::nullopt;
    }

    // (temporary name, final name) of every output of `documents` documents,
    // none of them the input or a name another input of the run took. The
    // files then belong to the caller.
    Result<std::vector<std::pair<fs::path, fs::path>>> name(const std::string& input, size_t documents,
                                                             const std::set<fs::path>& taken) {
        std::vector<std::pair<fs::path, fs::path>> files;
        for (const Staged& st : staged_) {
            fs::path name = base_;
            if (documents > 1) name += "-" + std::to_string(st.doc);
            name += st.ext;
            if (same_file(input, name)) return Error{ErrorCode::output_is_input, "output " + name.string() + " is the input file"};
            if (taken.count(name))
                return Error{ErrorCode::output_collision, "output " + name.string() + " already written by another input in this run"};
            files.emplace_back(st.tmp, name);
        }
        staged_.clear();
        return files;
    }

private:
    struct Staged {
        fs::path tmp;
        size_t doc;
        const char* ext;
    };
    fs::path base_;
    OutputFormat format_;
    size_t& counter_;
    std::vector<Staged> staged_;
};

}  // namespace

Result<std::vector<fs::path>> write_documents(const std::vector<Document>& docs, const fs::path& input,
                                              const fs::path& base, OutputFormat format, const std::set<fs::path>& taken,
                                              bool sync) {
    auto outputs = render_outputs(docs, input, base, format, taken);
    if (!outputs.ok()) return outputs.error();
    std::vector<fs::path> done;
    for (const auto& [path, content] : outputs.value()) {
        if (auto err = write_file_atomic(path, content, sync)) {
            // All of an input's outputs or none of them.
            std::error_code ec;
            for (const fs::path& p : done) fs::remove(p, ec);
            return *err;
        }
        done.push_back(path);
    }
    return done;
}

int run_convert(const ConvertJob& job, const Sinks& sinks) {
    int failures = 0;
    size_t staged_files = 0;  // makes every temporary name of the run unique
    std::set<fs::path> written;
    IsolatedConverter converter(job.options, job.timeout_seconds);
    std::optional<OutputBatch> batch;
    if (job.output_dir) batch.emplace(*job.output_dir);
    auto fail = [&](const std::string& input, const Error& e) {
        ++failures;
        sinks.message(format_message(input, "error", e.code, e.message, e.line, e.page));
    };
    bool stopped = false;
    for (const std::string& input : job.inputs) {
        if (job.stop && job.stop->load()) {
            stopped = true;
            break;
        }
        fs::path stem = input == kStdinName ? fs::path("stdin") : fs::path(input).stem();
        std::optional<StagedOutputs> staged;
        RenderedSink stage = [&](std::string json, std::string xml) { return staged->add(std::move(json), std::move(xml)); };
        if (job.output_dir) staged.emplace(*job.output_dir / stem, job.format, staged_files);
        auto rendered = converter.render(input, RenderRequest{job.format, !job.output_dir, job.quiet}, job.output_dir ? &stage : nullptr);
        if (!rendered.ok()) {
            fail(input, rendered.error());
            continue;
        }
        for (const std::string& line : rendered->messages) sinks.message(line);
        if (!job.output_dir && job.format == OutputFormat::xml) {
            if (rendered->xml.size() != 1) {
                fail(input, Error{ErrorCode::several_documents, "holds " + std::to_string(rendered->xml.size()) +
                                                           " departments: XML on stdout takes one; use -o DIR or --format jsonl"});
                continue;
            }
            sinks.data(rendered->xml.front());
            continue;
        }
        if (!job.output_dir) {
            sinks.data(rendered->single);
            continue;
        }
        auto files = staged->name(input, rendered->documents, written);
        if (!files.ok()) {
            fail(input, files.error());
            continue;
        }
        for (const auto& [tmp, name] : files.value()) written.insert(name);
        batch->adopt(input, std::move(files.value()));
        if (batch->due()) batch->flush(fail);
    }
    if (batch) batch->flush(fail);
    if (stopped) {
        sinks.message("hoshin: interrupted: the inputs converted so far are written; the rest were not started");
        return kInterrupted;
    }
    return failures > 0 ? 1 : 0;
}


}  // namespace hoshin
