// bulk: whole archives. Discovery, worker processes, the manifest (one JSON
// line per input, appended as inputs finish), resume, shards, and the
// open-data dataset built from the outputs at the end.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "convert/convert.h"
#include "dataset/dataset.h"

namespace hoshin::bulk {

struct Shard {
    int index = 1;  // 1-based K of K/N
    int count = 1;
};

struct BulkJob {
    std::vector<std::string> inputs;  // files and directories
    std::filesystem::path out;
    int jobs = 1;
    bool resume = false;
    bool force = false;
    std::optional<Shard> shard;
    ConvertOptions options;
    dataset::Metadata metadata;  // licence, publisher, source of the dataset
    bool quiet = false;
    bool jsonl_status = false;  // one JSON line per finished input on stdout
    bool progress = false;      // live progress line (stderr is a terminal)
    int timeout_seconds = kDefaultTimeoutSeconds;  // per input; the worker is killed after it; 0: none
    // Set (by a signal handler) to stop: in-flight inputs finish and are
    // recorded, nothing new starts, and the run returns kInterrupted.
    const std::atomic<bool>* stop = nullptr;
};

inline constexpr int kInterrupted = 130;

// One input found by discovery: its path and where its outputs go.
struct Item {
    std::string input;     // as found
    std::string relative;  // below the base folder; outputs are OUT/<relative>.json and .xml
    std::optional<Error> error;  // e.g. a missing input given on the command line
};

// The folder manifest paths are relative to: the deepest folder holding every
// input given (for "yrs/R3 yrs/R4", yrs; for one folder, its parent), so each
// path starts with the name of the input it was found in.
std::filesystem::path base_folder(const std::vector<std::string>& inputs);

// Files (.pdf, .txt, in any case) under the inputs, sorted by relative path;
// a file reached twice is listed once; symlinked directories are not
// followed (no loops).
std::vector<Item> discover(const std::vector<std::string>& inputs);

// "K/N" -> Shard; nullopt unless 1 <= K <= N.
std::optional<Shard> parse_shard(const std::string& text);

// Exit status: 0 every input ok or warning, 1 some failed.
int run_bulk(const BulkJob& job, const Sinks& sinks);

// Merges several bulk outputs (e.g. shards) into DEST: one manifest and one
// dataset. Exit status as for run_bulk; 2-worthy problems return 1 with a message.
// DEST gets its own copy of every output (hard links where possible), so it
// stands alone; DEST may not be one of the outputs merged (output-is-input).
int run_merge(const std::vector<std::filesystem::path>& outs, const std::filesystem::path& dest, const Sinks& sinks,
              const dataset::Metadata& metadata = {});

inline constexpr const char* kManifest = "manifest.jsonl";

}  // namespace hoshin::bulk
