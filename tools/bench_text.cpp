// Benchmark of the text path (decode -> layout -> parse -> JSON) on one core.
// Usage: hoshin_bench DIR [--json]   (reads every *.txt under DIR into memory
// first, so the figure is the pipeline, not the disk).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "convert/convert.h"
#include "write/json_writer.h"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: hoshin_bench DIR [--no-json]\n");
        return 2;
    }
    bool with_json = !(argc > 2 && std::string(argv[2]) == "--no-json");
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(argv[1])) {
        if (!e.is_regular_file() || e.path().extension() != ".txt") continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        files.emplace_back(e.path().string(), ss.str());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::fprintf(stderr, "hoshin_bench: no .txt files under %s\n", argv[1]);
        return 2;
    }
    size_t bytes = 0, failed = 0, goals = 0, out_bytes = 0;
    for (const auto& f : files) bytes += f.second.size();
    hoshin::ConvertOptions options;
    // Warm-up: ICU data, profile, converters.
    (void)hoshin::convert_text(files.front().second, files.front().first, options);
    auto start = std::chrono::steady_clock::now();
    for (const auto& [path, data] : files) {
        auto doc = hoshin::convert_text(data, path, options);
        if (!doc.ok()) {
            ++failed;
            continue;
        }
        goals += doc->goals.size();
        if (with_json) out_bytes += hoshin::write::to_json(doc.value()).size();
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("documents: %zu (failed %zu), goals: %zu, input: %.2f MB\n", files.size(), failed, goals, bytes / 1e6);
    std::printf("time: %.3f s  ->  %.0f documents/s, %.2f MB/s (one core%s)\n", secs, files.size() / secs,
                bytes / 1e6 / secs, with_json ? ", JSON written to memory" : ", parse only");
    return failed == 0 ? 0 : 1;
}
