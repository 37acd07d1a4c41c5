#include "bulk/bulk.h"

#include <fcntl.h>
#include <poll.h>
#include <csignal>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "dataset/dataset.h"
#include "ingest/sha256.h"
#include "convert/ipc.h"
#include "read/json_reader.h"
#include "text/normalize.h"

namespace hoshin::bulk {
namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

using ipc::now_seconds;
using ipc::send_all;

constexpr long long kNanosecondsPerSecond = 1'000'000'000;

// At most this many failed inputs are listed after the summary line; the
// manifest lists them all.
constexpr size_t kFailuresListed = 20;

// The parent's "your time is up" to a worker (SIGTERM is left to the user).
constexpr int kTimeUp = SIGUSR1;

// While blocked, a worker finishes what it does even when its time is up.
void hold_time_up(bool hold) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, kTimeUp);
    ::sigprocmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, nullptr);
}


bool wanted(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext == ".pdf" || ext == ".txt";
}

// An input's outcome, as the manifest names it.
enum class Status { ok, warning, error };
const char* to_string(Status s) {
    switch (s) {
        case Status::ok: return "ok";
        case Status::warning: return "warning";
        case Status::error: return "error";
    }
    return "error";
}
std::optional<Status> status_from_string(std::string_view s) {
    for (Status x : {Status::ok, Status::warning, Status::error})
        if (s == to_string(x)) return x;
    return std::nullopt;
}

// What the manifest says of one input.
struct Entry {
    std::string path;  // Item::relative
    std::string input;
    std::optional<std::string> sha256;
    Status status = Status::error;
    std::optional<ErrorCode> code;
    std::optional<std::string> message;
    std::vector<std::string> outputs;  // relative to OUT
    std::optional<long long> size, mtime_ns;  // of the input, for a resume without rehashing
    std::map<std::string, long long> warnings;  // warning diagnostics by code, over the input's documents
    std::string rows;  // the dataset rows a worker made (dataset::document_rows); not in the manifest
    int pages = 0;     // of the input, for the progress line; not in the manifest
    std::string version = kVersion;
    int schema_version = kSchemaVersion;
};

ordered_json to_json(const Entry& e) {
    ordered_json j;
    j["path"] = e.path;
    j["input"] = e.input;
    j["sha256"] = e.sha256 ? ordered_json(*e.sha256) : ordered_json(nullptr);
    j["status"] = to_string(e.status);
    j["code"] = e.code ? ordered_json(to_string(*e.code)) : ordered_json(nullptr);
    j["message"] = e.message ? ordered_json(*e.message) : ordered_json(nullptr);
    j["outputs"] = e.outputs;
    j["size"] = e.size ? ordered_json(*e.size) : ordered_json(nullptr);
    j["mtime_ns"] = e.mtime_ns ? ordered_json(*e.mtime_ns) : ordered_json(nullptr);
    j["warnings"] = ordered_json::object();
    for (const auto& [code, n] : e.warnings) j["warnings"][code] = n;
    j["hoshin_version"] = e.version;
    j["schema_version"] = e.schema_version;
    return j;
}

std::optional<Entry> from_json(const std::string& line) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;  // a torn last line
    try {
        Entry e;
        e.path = j.at("path").get<std::string>();
        e.input = j.at("input").get<std::string>();
        if (!j.at("sha256").is_null()) e.sha256 = j.at("sha256").get<std::string>();
        auto status = status_from_string(j.at("status").get<std::string>());
        if (!status) return std::nullopt;  // not a line this program wrote
        e.status = *status;
        if (!j.at("code").is_null()) {
            e.code = error_code_from_string(j.at("code").get<std::string>());
            if (!e.code) return std::nullopt;  // not a code this program knows
        }
        if (!j.at("message").is_null()) e.message = j.at("message").get<std::string>();
        e.outputs = j.at("outputs").get<std::vector<std::string>>();
        if (j.contains("size") && j["size"].is_number_integer()) e.size = j["size"].get<long long>();
        if (j.contains("mtime_ns") && j["mtime_ns"].is_number_integer()) e.mtime_ns = j["mtime_ns"].get<long long>();
        if (j.contains("warnings") && j["warnings"].is_object())
            for (const auto& [code, n] : j["warnings"].items())
                if (n.is_number_integer()) e.warnings[code] = n.get<long long>();
        e.version = j.at("hoshin_version").get<std::string>();
        e.schema_version = j.at("schema_version").get<int>();
        return e;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

// Last line wins; lines that do not parse (a run killed mid-write) are skipped.
std::map<std::string, Entry> read_manifest(const fs::path& file) {
    std::map<std::string, Entry> out;
    std::ifstream in(file, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        if (auto e = from_json(line)) out[e->path] = std::move(*e);
    }
    return out;
}

std::optional<Error> write_manifest(const fs::path& file, const std::map<std::string, Entry>& entries) {
    std::string text;
    for (const auto& [path, e] : entries) text += to_json(e).dump() + "\n";
    return write_file_atomic(file, text);
}

std::optional<std::string> file_sha256(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return std::nullopt;  // a pipe would block
    if (fs::file_size(path, ec) > kMaxInputBytes || ec) return std::nullopt;  // not read whole into memory
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return ingest::sha256_hex(ss.str());
}

// Size and modification time: when both match the manifest, the content is
// taken as unchanged without reading it again (as make and rsync do).
// The time is stat(2)'s, in nanoseconds since the Unix epoch (std::filesystem's
// clock has another epoch, so its count means nothing outside this program).
void stamp(Entry& e, const std::string& input) {
    struct stat st {};
    if (::stat(input.c_str(), &st) != 0) return;
    e.size = static_cast<long long>(st.st_size);
    e.mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * kNanosecondsPerSecond + st.st_mtim.tv_nsec;
}

// OUT/<path>.json: the input's folder and its extension are kept, so inputs
// that differ in either (R3/x.txt and R4/x.txt, x.pdf and x.txt) never share
// an output.
fs::path output_base(const fs::path& out, const std::string& relative) { return out / fs::path(relative); }

// An entry for an input, before its outcome is known.
Entry entry_for(const Item& item) {
    Entry e;
    e.path = item.relative;
    e.input = text::to_valid_utf8(item.input);  // a file name need not be UTF-8; JSON must be
    return e;
}

// Converts one input in a worker and describes the result.
Entry process(const Item& item, const BulkJob& job) {
    Entry e = entry_for(item);
    stamp(e, item.input);
    auto docs = convert_file_guarded(item.input, job.options);
    if (!docs.ok()) {
        e.sha256 = file_sha256(item.input);
        e.status = Status::error;
        e.code = docs.error().code;
        e.message = docs.error().message;
        return e;
    }
    e.sha256 = docs->front().source.sha256;
    // From here until its result is sent, the parent's "time is up" waits:
    // no half-written outputs.
    hold_time_up(true);
    fs::path base = output_base(job.out, item.relative);
    std::error_code ec;
    fs::create_directories(base.parent_path(), ec);
    // No fsync per file: the parent syncs the file system before it records
    // a batch of inputs in the manifest (see flush_manifest).
    auto written = write_documents(docs.value(), item.input, base, OutputFormat::both, {}, /*sync=*/false);
    if (!written.ok()) {
        e.status = Status::error;
        e.code = written.error().code;
        e.message = written.error().message;
        return e;
    }
    for (const fs::path& p : written.value()) e.outputs.push_back(p.lexically_relative(job.out).generic_string());
    for (const Document& d : docs.value())
        for (const Diagnostic& x : d.diagnostics)
            if (x.severity == Severity::warning) ++e.warnings[x.code];
    e.status = e.warnings.empty() ? Status::ok : Status::warning;
    if (!docs->empty()) e.pages = docs->front().source.pages;
    // The dataset rows are made here, in parallel, not by the parent.
    for (size_t k = 0; k < docs->size(); ++k) e.rows += dataset::document_rows((*docs)[k], item.relative, k);
    return e;
}

struct Worker {
    pid_t pid = -1;
    int fd = -1;            // socket to the worker: tasks out, results in
    long inflight = -1;     // index of the item it is working on
    std::string buffer;     // partial result line
    double started = 0;     // when the in-flight item was sent
};

[[noreturn]] void worker_main(int fd, const std::vector<Item>& items, const BulkJob& job) {
    std::string buffer;
    char chunk[256];
    while (true) {
        size_t nl;
        while ((nl = buffer.find('\n')) == std::string::npos) {
            ssize_t n = ::read(fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) _exit(0);
            buffer.append(chunk, static_cast<size_t>(n));
        }
        size_t index = std::stoul(buffer.substr(0, nl));
        buffer.erase(0, nl + 1);
        Entry e = process(items[index], job);
        // A result: the manifest entry, then "ROWS_SIZE PAGES", then the rows.
        if (!send_all(fd, to_json(e).dump() + "\n" + std::to_string(e.rows.size()) + " " + std::to_string(e.pages) + "\n") ||
            !send_all(fd, e.rows))
            _exit(1);
        hold_time_up(false);  // a pending "time is up" ends the worker here
    }
}

// A worker's result: the entry as a JSON line, the size of its dataset rows
// on a line, then the rows. False while the buffer holds less than that; a
// result that cannot be read is taken as nullopt (its input then times out).
bool take_result(std::string& buffer, std::optional<Entry>& out) {
    size_t nl = buffer.find('\n');
    if (nl == std::string::npos) return false;
    size_t nl2 = buffer.find('\n', nl + 1);
    if (nl2 == std::string::npos) return false;
    size_t size = 0;
    int pages = 0;
    try {
        std::string counts = buffer.substr(nl + 1, nl2 - nl - 1);
        size_t used = 0;
        size = std::stoul(counts, &used);
        if (used < counts.size()) pages = std::stoi(counts.substr(used));
    } catch (const std::exception&) {
        buffer.clear();
        out.reset();
        return true;
    }
    if (buffer.size() - nl2 - 1 < size) return false;
    out = from_json(buffer.substr(0, nl));
    if (out) out->rows = buffer.substr(nl2 + 1, size), out->pages = pages;
    buffer.erase(0, nl2 + 1 + size);
    return true;
}

// Adds the documents of one ok/warning entry: the rows its worker made, or
// (an entry done by an earlier run, a merge) rows made from its JSON outputs
// under root.
std::optional<Error> add_entry(dataset::Writer& writer, const Entry& e, const fs::path& root) {
    if (e.mtime_ns) writer.note_input_time(*e.mtime_ns);
    if (e.status == Status::error) return std::nullopt;
    if (!e.rows.empty()) return writer.add_rows(e.rows);
    size_t index = 0;
    for (const std::string& out : e.outputs) {
        if (fs::path(out).extension() != ".json") continue;
        std::ifstream in(root / out, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        auto doc = read::from_json(ss.str());
        if (!doc.ok()) return Error{ErrorCode::dataset_error, (root / out).string() + ": " + doc.error().message};
        if (auto err = writer.add(doc.value(), e.path, index++)) return err;
    }
    return std::nullopt;
}

// Reads the documents of every ok/warning entry, in path order, into a dataset.
std::optional<Error> build_dataset(const std::map<std::string, Entry>& entries, const fs::path& root, const fs::path& dir,
                                   const dataset::Metadata& metadata) {
    auto writer = dataset::Writer::open(dir, metadata);
    if (!writer.ok()) return writer.error();
    for (const auto& [path, e] : entries)
        if (auto err = add_entry(*writer.value(), e, root)) return err;
    return writer.value()->finish();
}

// What a run's summary says: counts by status, warnings by code, and the
// failed inputs (the first kFailuresListed of them; the manifest has all).
struct Tally {
    size_t ok = 0, warned = 0, errors = 0;
    std::map<std::string, long long> warnings;
    std::vector<std::string> failures;  // formatted lines

    void add(const Entry& e) {
        (e.status == Status::ok ? ok : e.status == Status::warning ? warned : errors)++;
        for (const auto& [code, n] : e.warnings) warnings[code] += n;
        if (e.status == Status::error && failures.size() < kFailuresListed)
            failures.push_back(format_message(e.input, "error", e.code.value_or(ErrorCode::internal_error), e.message.value_or("")));
    }

    // One summary line, then a line per failed input listed. Quiet runs say
    // nothing unless something failed.
    // `tail` ends the summary line (what was skipped, how long it took).
    void report(const char* what, size_t inputs, const std::string& tail, const fs::path& manifest, bool quiet,
                const Sinks& sinks) const {
        if (quiet && errors == 0) return;
        std::string line = std::string("hoshin: ") + what + ": " + std::to_string(inputs) + " inputs: " + std::to_string(ok) +
                           " ok, " + std::to_string(warned) + " with warnings";
        if (!warnings.empty()) {
            line += " (";
            bool first = true;
            for (const auto& [code, n] : warnings) {
                line += (first ? "" : ", ") + std::to_string(n) + " " + code;
                first = false;
            }
            line += ")";
        }
        line += ", " + std::to_string(errors) + " failed" + tail;
        sinks.message(line);
        for (const std::string& f : failures) sinks.message(f);
        if (errors > failures.size())
            sinks.message(std::string("hoshin: ") + what + ": " + std::to_string(errors - failures.size()) +
                          " more failed inputs are listed in " + manifest.string() + " (status \"error\")");
    }
};

// The progress line. Pages a second tell how fast a run of scans goes
// (OCR reads about one page a second, the text path thousands).
std::string rate_line(size_t done, size_t total, size_t failed, size_t pages, double elapsed) {
    double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
    double page_rate = elapsed > 0 ? static_cast<double>(pages) / elapsed : 0;
    double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0;
    char buf[200];
    std::snprintf(buf, sizeof buf, "hoshin: %zu/%zu inputs, %.1f/s, %.1f pages/s, ETA %.0f s, %zu failed", done, total, rate,
                  page_rate, eta, failed);
    return buf;
}

}  // namespace

std::optional<Shard> parse_shard(const std::string& text) {
    size_t slash = text.find('/');
    if (slash == std::string::npos) return std::nullopt;
    try {
        size_t a = 0, b = 0;
        int k = std::stoi(text.substr(0, slash), &a);
        int n = std::stoi(text.substr(slash + 1), &b);
        if (a != slash || b != text.size() - slash - 1 || n < 1 || k < 1 || k > n) return std::nullopt;
        return Shard{k, n};
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

namespace {

// An input as an absolute, lexically normal path naming the file or folder
// itself ("R3/" and "R3/." become ".../R3").
fs::path absolute_input(const std::string& input) {
    std::error_code ec;
    fs::path p = fs::absolute(fs::path(input), ec).lexically_normal();
    if (p.filename().empty() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
    return p;
}

}  // namespace

fs::path base_folder(const std::vector<std::string>& inputs) {
    std::optional<fs::path> base;
    for (const std::string& input : inputs) {
        fs::path parent = absolute_input(input).parent_path();
        if (!base) {
            base = parent;
            continue;
        }
        fs::path common;
        for (auto a = base->begin(), b = parent.begin(); a != base->end() && b != parent.end() && *a == *b; ++a, ++b)
            common /= *a;
        base = common;
    }
    return base.value_or(fs::path("/"));
}

std::vector<Item> discover(const std::vector<std::string>& inputs) {
    // The relative path keys the manifest and names the outputs, so it is
    // made valid UTF-8 (U+FFFD for what is not); the input stays as found.
    // It is relative to the base folder, so it starts with the folder given:
    // year folders holding the same names stay apart.
    const fs::path base = base_folder(inputs);
    auto make_item = [&](const std::string& input, std::optional<Error> error) {
        fs::path relative = absolute_input(input).lexically_relative(base);
        return Item{input, text::to_valid_utf8(relative.generic_string()), std::move(error)};
    };
    std::vector<Item> items;
    for (const std::string& input : inputs) {
        std::error_code ec;
        fs::file_status st = fs::status(input, ec);
        if (ec || !fs::exists(st)) {
            items.push_back(make_item(input, Error{ErrorCode::not_found, "no such file or directory"}));
            continue;
        }
        if (!fs::is_directory(st)) {
            items.push_back(make_item(input, std::nullopt));
            continue;
        }
        // Directory symlinks are not followed, so a symlink loop ends here.
        fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied, ec), end;
        for (; !ec && it != end; it.increment(ec)) {
            std::error_code fe;
            // Named like an input but not a regular file (a pipe, a dangling
            // or looping link): kept, so the conversion reports what it is.
            if (!wanted(it->path()) || it->is_directory(fe)) continue;
            items.push_back(make_item(it->path().string(), std::nullopt));
        }
        if (ec) items.push_back(make_item(input, Error{ErrorCode::unreadable, "cannot list: " + ec.message()}));
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.relative < b.relative; });
    // The same file reached twice (a folder and a file in it, or an input
    // given twice) is one input.
    items.erase(std::unique(items.begin(), items.end(),
                            [](const Item& a, const Item& b) {
                                return a.relative == b.relative && absolute_input(a.input) == absolute_input(b.input);
                            }),
                items.end());
    return items;
}

int run_bulk(const BulkJob& job, const Sinks& sinks) {
    double start = now_seconds();
    std::vector<Item> items = discover(job.inputs);
    if (job.shard) {  // a deterministic 1/N: every N-th of the sorted inputs
        std::vector<Item> mine;
        for (size_t k = 0; k < items.size(); ++k)
            if (static_cast<int>(k % static_cast<size_t>(job.shard->count)) == job.shard->index - 1) mine.push_back(items[k]);
        items = std::move(mine);
    }
    std::error_code ec;
    fs::create_directories(job.out, ec);
    if (ec || !fs::is_directory(job.out, ec)) {
        sinks.message("hoshin: " + job.out.string() + ": error: cannot create the output directory [output-error]");
        return 1;
    }
    // Temporary files of a run that was killed outright: never read, removed.
    for (fs::recursive_directory_iterator it(job.out, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        std::error_code fe;
        if (it->is_regular_file(fe) && it->path().filename().string().find(".tmp.") != std::string::npos)
            fs::remove(it->path(), fe);
    }
    const fs::path manifest = job.out / kManifest;
    const std::map<std::string, Entry> previous = job.resume ? read_manifest(manifest) : std::map<std::string, Entry>{};

    // Every input's final entry, in the inputs' sorted order. Known now: errors
    // found by discovery and (resume) work already done.
    std::vector<std::unique_ptr<Entry>> slot(items.size());  // null until final, and again once written out
    std::vector<size_t> todo;
    size_t skipped = 0;
    bool all_as_before = job.resume && previous.size() == items.size();
    for (size_t k = 0; k < items.size(); ++k) {
        const Item& item = items[k];
        Entry e = entry_for(item);
        e.status = Status::error;
        if (item.error) {
            e.code = item.error->code;
            e.message = item.error->message;
            slot[k] = std::make_unique<Entry>(e);
        } else if (auto prev = previous.find(item.relative); job.resume && !job.force && prev != previous.end() &&
                                                             prev->second.version == kVersion &&
                                                             prev->second.schema_version == kSchemaVersion &&
                                                             prev->second.code != ErrorCode::worker_crashed) {
            Entry now;
            stamp(now, item.input);
            bool same = prev->second.size && now.size == prev->second.size && now.mtime_ns == prev->second.mtime_ns;
            if (!same) same = prev->second.sha256 && prev->second.sha256 == file_sha256(item.input);
            bool outputs_there = std::all_of(prev->second.outputs.begin(), prev->second.outputs.end(),
                                             [&](const std::string& o) { std::error_code oe; return fs::exists(job.out / o, oe); });
            if (same && outputs_there) {
                slot[k] = std::make_unique<Entry>(prev->second);
                ++skipped;
            }
        }
        if (!slot[k]) {
            todo.push_back(k);
            all_as_before = false;
        } else if (auto prev = previous.find(slot[k]->path);
                   prev == previous.end() || to_json(prev->second) != to_json(*slot[k])) {
            all_as_before = false;
        }
    }

    // The dataset is written as entries become final, in input order, while
    // workers go on; a resumed run with nothing new keeps the one it has.
    std::unique_ptr<dataset::Writer> data;
    bool keep_dataset = all_as_before && fs::exists(job.out / "dataset" / "datapackage.json", ec);
    if (!keep_dataset) {
        auto opened = dataset::Writer::open(job.out / "dataset", job.metadata);
        if (!opened.ok()) {
            sinks.message(format_message((job.out / "dataset").string(), "error", opened.error().code, opened.error().message));
            return 1;
        }
        data = std::move(opened.value());
    }
    // The final manifest is written in input order as entries become final,
    // like the dataset, and each entry is then let go: nothing grows with the
    // archive but the list of inputs.
    const fs::path final_manifest = job.out / (std::string(".") + kManifest + ".tmp." + std::to_string(::getpid()));
    std::ofstream canon(final_manifest, std::ios::binary | std::ios::trunc);
    size_t emitted = 0;
    Tally tally;
    std::optional<Error> data_error;
    // `yield` is asked between entries whether a worker is waiting for its
    // next input: writing the dataset must never keep workers idle.
    auto emit_ready = [&](const std::function<bool()>& yield) {
        for (; emitted < slot.size() && slot[emitted] && !yield(); slot[emitted++].reset()) {
            const Entry& e = *slot[emitted];
            canon << to_json(e).dump() << '\n';
            tally.add(e);
            if (data && !data_error) data_error = add_entry(*data, e, job.out);
        }
    };

    // The manifest is appended to as inputs finish, so a killed run loses at
    // most the inputs in flight; it is rewritten whole, sorted, at the end.
    int manifest_fd = ::open(manifest.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (job.resume ? 0 : O_TRUNC), 0644);
    if (manifest_fd < 0) {
        sinks.message("hoshin: " + manifest.string() + ": error: cannot write: " + std::strerror(errno) + " [output-error]");
        return 1;
    }
    // Finished inputs reach the manifest in batches, each after one syncfs():
    // an input the manifest records as done has its outputs on disk, even
    // after a power cut, at the cost of one sync per batch, not two fsyncs
    // per input. A killed run loses at most the last batch (redone on resume).
    std::string pending;
    size_t pending_count = 0;
    double last_flush = now_seconds();
    auto flush_manifest = [&](bool force) {
        if (pending.empty() || (!force && pending_count < 256 && now_seconds() - last_flush < 0.5)) return;
        if (::syncfs(manifest_fd) != 0)
            sinks.message("hoshin: " + job.out.string() + ": error: cannot sync: " + std::strerror(errno) + " [output-error]");
        if (::write(manifest_fd, pending.data(), pending.size()) < 0)
            sinks.message("hoshin: " + manifest.string() + ": error: cannot append: " + std::strerror(errno) + " [output-error]");
        pending.clear();
        pending_count = 0;
        last_flush = now_seconds();
    };
    auto record = [&](size_t k, Entry entry, double seconds) {  // by value: it may be slot[k] itself
        slot[k] = std::make_unique<Entry>(std::move(entry));
        const Entry& e = *slot[k];
        pending += to_json(e).dump() + "\n";
        ++pending_count;
        if (job.jsonl_status) {
            ordered_json j = {{"path", e.input}, {"status", to_string(e.status)}, {"code", e.code ? ordered_json(to_string(*e.code)) : ordered_json(nullptr)},
                              {"message", e.message ? ordered_json(*e.message) : ordered_json(nullptr)}};
            j["seconds"] = std::round(seconds * 1000) / 1000;
            sinks.data(j.dump() + "\n");
        }
    };
    for (size_t k = 0; k < slot.size(); ++k)
        if (slot[k] && slot[k]->status == Status::error && !previous.count(slot[k]->path)) record(k, *slot[k], 0);

    // Worker processes: Poppler's error callback and global parameters are
    // process-wide, so each worker is a process of its own.
    size_t next = 0, done = 0, failed = 0;
    const size_t total = todo.size();
    // Progress counts every input, those known before any work included.
    const size_t known = items.size() - todo.size();
    const size_t known_failed = static_cast<size_t>(std::count_if(
        slot.begin(), slot.end(), [](const std::unique_ptr<Entry>& e) { return e && e->status == Status::error; }));
    std::vector<Worker> workers;
    const pid_t parent = ::getpid();
    auto spawn = [&]() -> bool {
        int sv[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return false;
        pid_t pid = ::fork();
        if (pid < 0) {
            ::close(sv[0]);
            ::close(sv[1]);
            return false;
        }
        if (pid == 0) {
            // A worker dies with the parent, and stops only when the parent
            // says so: Ctrl-C or SIGTERM to the process group lets it finish
            // its input. kTimeUp (default action: exit) is the parent's "time is up".
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent) _exit(0);
            ::signal(SIGINT, SIG_IGN);
            ::signal(SIGTERM, SIG_IGN);
            ::signal(kTimeUp, SIG_DFL);
            ::close(sv[0]);
            ::close(manifest_fd);
            for (const Worker& w : workers)
                if (w.fd >= 0) ::close(w.fd);
            try {
                worker_main(sv[1], items, job);
            } catch (...) {
                _exit(70);  // never unwind into the parent's frames (its dataset, its manifest)
            }
        }
        ::close(sv[1]);
        workers.push_back(Worker{pid, sv[0], -1, {}, 0});
        return true;
    };
    auto stopping = [&] { return job.stop && job.stop->load(); };
    auto dispatch = [&](Worker& w) {
        if (next >= todo.size() || stopping()) {
            ::shutdown(w.fd, SHUT_WR);  // no more work: the worker exits
            return;
        }
        w.inflight = static_cast<long>(todo[next++]);
        w.started = now_seconds();
        if (!send_all(w.fd, std::to_string(w.inflight) + "\n")) --next, w.inflight = -1;
    };
    int n_workers = std::max(1, std::min<int>(job.jobs, static_cast<int>(std::max<size_t>(total, 1))));
    for (int k = 0; k < n_workers && total > 0; ++k) {
        if (!spawn()) {
            sinks.message("hoshin: error: cannot start a worker process: " + std::string(std::strerror(errno)) + " [internal-error]");
            break;
        }
    }
    // Ends worker k: what it holds is recorded (as finished, if its result
    // came in the meantime, else as `code`); a new worker takes its place.
    auto retire = [&](size_t k, ErrorCode code, const std::string& message) {
        Worker& w = workers[k];
        ::close(w.fd);
        if (w.pid > 0)
            while (::waitpid(w.pid, nullptr, 0) < 0 && errno == EINTR) {
            }
        if (w.inflight >= 0) {
            const Item& item = items[static_cast<size_t>(w.inflight)];
            Entry e = entry_for(item);
            e.sha256 = file_sha256(item.input);
            e.status = Status::error;
            e.code = code;
            e.message = message;
            stamp(e, item.input);
            record(static_cast<size_t>(w.inflight), e, now_seconds() - w.started);
            ++done;
            ++failed;
        }
        workers.erase(workers.begin() + static_cast<std::ptrdiff_t>(k));
        if (next < todo.size() && !stopping() && spawn()) dispatch(workers.back());
    };
    // A worker past its time is sent kTimeUp, which it takes at once while
    // converting, or once it has sent its result while writing outputs. Its
    // socket is read to the end before it is reaped: a large result must not
    // wait on a parent that waits on it.
    auto expire = [&](size_t k) {
        Worker& w = workers[k];
        ::kill(w.pid, kTimeUp);
        char chunk[4096];
        while (true) {
            ssize_t n = ::read(w.fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            w.buffer.append(chunk, static_cast<size_t>(n));
        }
        while (::waitpid(w.pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        w.pid = -1;
        std::optional<Entry> e;
        if (take_result(w.buffer, e) && e && w.inflight >= 0) {
            record(static_cast<size_t>(w.inflight), *e, now_seconds() - w.started);
            ++done;
            failed += e->status == Status::error;
            w.inflight = -1;
        }
        retire(k, ErrorCode::timeout,
               "not converted within " + std::to_string(job.timeout_seconds) +
                   " s (a page Poppler cannot lay out quickly?); --timeout changes the limit");
    };
    for (Worker& w : workers) dispatch(w);
    double last_progress = 0;
    size_t pages_done = 0;
    while (done < total && !workers.empty()) {
        if (stopping() && std::none_of(workers.begin(), workers.end(), [](const Worker& w) { return w.inflight >= 0; })) break;
        std::vector<pollfd> fds;
        for (const Worker& w : workers) fds.push_back(pollfd{w.fd, POLLIN, 0});
        int wait_ms = 500;
        if (job.timeout_seconds > 0)
            for (const Worker& w : workers)
                if (w.inflight >= 0)
                    wait_ms = std::clamp(static_cast<int>((w.started + job.timeout_seconds - now_seconds()) * 1000) + 1, 0, wait_ms);
        if (::poll(fds.data(), fds.size(), wait_ms) < 0 && errno != EINTR) break;
        bool expired = false;
        if (job.timeout_seconds > 0) {
            for (size_t k = 0; k < workers.size(); ++k) {
                if (workers[k].inflight >= 0 && now_seconds() - workers[k].started >= job.timeout_seconds) {
                    expire(k);
                    expired = true;
                    break;  // fds no longer match workers; poll again
                }
            }
        }
        if (expired) continue;
        for (size_t k = 0; k < workers.size(); ++k) {
            if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            Worker& w = workers[k];
            char chunk[1 << 16];  // a result with its dataset rows is tens of KB
            ssize_t n = ::read(w.fd, chunk, sizeof chunk);
            if (n > 0) {
                w.buffer.append(chunk, static_cast<size_t>(n));
                std::optional<Entry> e;
                while (take_result(w.buffer, e)) {
                    if (!e || w.inflight < 0) continue;
                    size_t index = static_cast<size_t>(w.inflight);
                    w.inflight = -1;
                    failed += e->status == Status::error;
                    pages_done += static_cast<size_t>(std::max(0, e->pages));
                    record(index, std::move(*e), now_seconds() - w.started);
                    ++done;
                    dispatch(w);
                }
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            // The worker is gone. Whatever it held failed; others carry on.
            retire(k, ErrorCode::worker_crashed, "the worker process converting this input died");
            break;  // fds no longer match workers; poll again
        }
        emit_ready([&] {
            std::vector<pollfd> ready;
            for (const Worker& w : workers) ready.push_back(pollfd{w.fd, POLLIN, 0});
            return ::poll(ready.data(), ready.size(), 0) > 0;
        });
        flush_manifest(false);
        if (job.progress && sinks.progress && now_seconds() - last_progress > 0.2) {
            last_progress = now_seconds();
            sinks.progress(rate_line(known + done, items.size(), known_failed + failed, pages_done, last_progress - start));
        }
    }
    for (Worker& w : workers) {
        ::close(w.fd);
        ::waitpid(w.pid, nullptr, 0);
    }
    flush_manifest(true);
    ::close(manifest_fd);
    if (job.progress && sinks.progress) sinks.progress("");

    if (stopping()) {
        // The appended manifest already holds every finished input (and, on a
        // resume, the earlier ones); the dataset is not written.
        canon.close();
        fs::remove(final_manifest, ec);
        sinks.message("hoshin: bulk: interrupted after " + std::to_string(done) + " of " + std::to_string(total) +
                      " inputs; the manifest is complete for those; rerun with --resume to finish");
        return kInterrupted;
    }
    emit_ready([] { return false; });
    canon.close();
    if (!canon) data_error = Error{ErrorCode::output_error, "cannot write " + final_manifest.string()};
    if (!data_error) {
        fs::rename(final_manifest, manifest, ec);
        if (ec) data_error = Error{ErrorCode::output_error, "cannot rename to " + manifest.string() + ": " + ec.message()};
    }
    if (data && !data_error) data_error = data->finish();
    if (data_error) {
        fs::remove(final_manifest, ec);
        sinks.message(format_message(job.out.string(), "error", data_error->code, data_error->message));
        return 1;
    }
    char tail[64];
    std::snprintf(tail, sizeof tail, ", %zu skipped as done; %.1f s", skipped, now_seconds() - start);
    tally.report("bulk", items.size(), tail, manifest, job.quiet, sinks);
    return tally.errors > 0 ? 1 : 0;
}

namespace {

// DEST gets its own copy of an output: a hard link where the file system
// allows it (no space used), else a copy; through a temporary name, so DEST
// never holds a partial file.
std::optional<Error> place(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::create_directories(to.parent_path(), ec);
    fs::path tmp = to;
    tmp += ".tmp." + std::to_string(::getpid());
    fs::remove(tmp, ec);
    fs::create_hard_link(from, tmp, ec);
    if (ec) {
        ec.clear();
        fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec);
    }
    if (!ec) fs::rename(tmp, to, ec);
    if (ec) {
        std::error_code rm;
        fs::remove(tmp, rm);
        return Error{ErrorCode::output_error, "cannot place " + from.string() + " at " + to.string() + ": " + ec.message()};
    }
    return std::nullopt;
}

bool same_folder(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    return fs::weakly_canonical(fs::absolute(a), ec) == fs::weakly_canonical(fs::absolute(b), ec);
}

}  // namespace

int run_merge(const std::vector<fs::path>& outs, const fs::path& dest, const Sinks& sinks, const dataset::Metadata& metadata) {
    std::error_code ec;
    for (const fs::path& out : outs) {
        if (same_folder(out, dest)) {
            sinks.message(format_message(dest.string(), "error", ErrorCode::output_is_input,
                                         "the destination is one of the outputs merged; merge into a new folder"));
            return 1;
        }
    }
    std::map<std::string, Entry> merged;
    std::map<std::string, fs::path> from;  // entry path -> the output folder it comes from
    for (const fs::path& out : outs) {
        if (!fs::exists(out / kManifest, ec)) {
            sinks.message(format_message(out.string(), "error", ErrorCode::not_found, "no " + std::string(kManifest) + " here"));
            return 1;
        }
        for (auto& [key, e] : read_manifest(out / kManifest)) {
            if (merged.count(key)) {
                sinks.message(format_message(out.string(), "error", ErrorCode::output_collision,
                                             key + " is also in " + from[key].string() +
                                                 " (merge takes outputs of disjoint inputs, such as shards)"));
                return 1;
            }
            from[key] = out;
            merged[key] = e;
        }
    }
    fs::create_directories(dest, ec);
    if (ec) {
        sinks.message(format_message(dest.string(), "error", ErrorCode::output_error, "cannot create: " + ec.message()));
        return 1;
    }
    // DEST is self-contained: every output the merged manifest lists is in
    // DEST, at the same path relative to it as in the output it came from.
    for (const auto& [key, e] : merged)
        for (const std::string& o : e.outputs)
            if (auto err = place(from[key] / o, dest / o)) {
                sinks.message(format_message(dest.string(), "error", err->code, err->message));
                return 1;
            }
    if (auto err = write_manifest(dest / kManifest, merged)) {
        sinks.message(format_message((dest / kManifest).string(), "error", err->code, err->message));
        return 1;
    }
    // The grades the outputs' datasets allow (bulk --profile may have widened
    // them), unless the caller says: merged rows must pass the checks they
    // passed in their own dataset.
    dataset::Metadata merged_metadata = metadata;
    if (merged_metadata.grades.empty())
        for (const fs::path& out : outs)
            for (std::string& g : dataset::declared_grades(out / "dataset"))
                if (std::find(merged_metadata.grades.begin(), merged_metadata.grades.end(), g) == merged_metadata.grades.end())
                    merged_metadata.grades.push_back(std::move(g));
    if (auto err = build_dataset(merged, dest, dest / "dataset", merged_metadata)) {
        sinks.message(format_message((dest / "dataset").string(), "error", err->code, err->message));
        return 1;
    }
    Tally tally;
    for (const auto& [key, e] : merged) tally.add(e);
    tally.report("merge", merged.size(), " (from " + std::to_string(outs.size()) + " outputs)", dest / kManifest, false, sinks);
    return tally.errors > 0 ? 1 : 0;
}

}  // namespace hoshin::bulk
