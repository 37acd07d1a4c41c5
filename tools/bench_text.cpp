// In-process benchmark of the pipeline on one core, inputs read into memory
// first so the figure is the pipeline, not the disk.
//   hoshin_bench DIR [--no-json]
//   hoshin_bench --diff OLD.json NEW.json   (the diff alone, documents in memory)
// Text files (*.txt): decode -> rows -> parse (-> JSON).
// PDF files (*.pdf): poppler-cpp's page::text_list() alone (words only, the
// ingest before ruled tables), hoshin's ingest (ingest::read_pdf: the same
// TextOutputDev pass, keeping the drawn rules too), then the whole PDF
// pipeline, so what the rules and the layout+parse cost over text_list shows.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "convert/convert.h"
#include "diff/diff.h"
#include "read/json_reader.h"
#include "ingest/pdf.h"

#include <poppler-document.h>
#include <poppler-page.h>

#include <memory>
#include "write/json_writer.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: hoshin_bench DIR [--no-json] | --diff OLD.json NEW.json\n");
        return 2;
    }
    if (std::string(argv[1]) == "--diff" && argc == 4) {
        hoshin::Document docs[2];
        for (int k = 0; k < 2; ++k) {
            std::ifstream in(argv[2 + k], std::ios::binary);
            std::stringstream ss;
            ss << in.rdbuf();
            auto d = hoshin::read::from_json(ss.str());
            if (!d.ok()) return 1;
            docs[k] = std::move(d.value());
        }
        (void)hoshin::diff::diff(docs[0], docs[1]);  // warm-up: ICU break iterators and data
        const int runs = 20;
        auto start = Clock::now();
        for (int k = 0; k < runs; ++k) (void)hoshin::diff::to_json(hoshin::diff::diff(docs[0], docs[1]));
        double ms = seconds_since(start) * 1e3 / runs;
        std::printf("diff of %zu and %zu goals: %.1f ms (matching, changes, inline diffs and JSON; mean of %d)\n",
                    docs[0].goals.size(), docs[1].goals.size(), ms, runs);
        return 0;
    }
    bool with_json = !(argc > 2 && std::string(argv[2]) == "--no-json");
    std::vector<std::pair<std::string, std::string>> texts, pdfs;
    for (const auto& e : std::filesystem::recursive_directory_iterator(argv[1])) {
        if (!e.is_regular_file()) continue;
        std::string ext = e.path().extension().string();
        if (ext != ".txt" && ext != ".pdf") continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        (ext == ".pdf" ? pdfs : texts).emplace_back(e.path().string(), ss.str());
    }
    std::sort(texts.begin(), texts.end());
    std::sort(pdfs.begin(), pdfs.end());
    if (texts.empty() && pdfs.empty()) {
        std::fprintf(stderr, "hoshin_bench: no .txt or .pdf files under %s\n", argv[1]);
        return 2;
    }
    hoshin::ConvertOptions options;
    size_t failed = 0;
    if (!texts.empty()) {
        size_t bytes = 0, goals = 0;
        for (const auto& f : texts) bytes += f.second.size();
        (void)hoshin::convert_text(texts.front().second, texts.front().first, options);  // warm-up: ICU data
        auto start = Clock::now();
        for (const auto& [path, data] : texts) {
            auto doc = hoshin::convert_text(data, path, options);
            if (!doc.ok()) {
                ++failed;
                continue;
            }
            goals += doc->goals.size();
            if (with_json) (void)hoshin::write::to_json(doc.value());
        }
        double secs = seconds_since(start);
        std::printf("text: %zu documents, %zu goals, %.2f MB: %.3f s -> %.0f documents/s, %.2f MB/s (one core%s)\n",
                    texts.size(), goals, static_cast<double>(bytes) / 1e6, secs, static_cast<double>(texts.size()) / secs,
                    static_cast<double>(bytes) / 1e6 / secs, with_json ? ", JSON written to memory" : ", parse only");
    }
    if (!pdfs.empty()) {
        size_t pages = 0, goals = 0;
        (void)hoshin::convert_pdf(pdfs.front().second, pdfs.front().first, options);  // warm-up
        auto start = Clock::now();
        for (const auto& [path, data] : pdfs) {
            std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(data.data(), static_cast<int>(data.size())));
            for (int i = 0; doc && i < doc->pages(); ++i) {
                std::unique_ptr<poppler::page> page(doc->create_page(i));
                if (page) (void)page->text_list();
            }
        }
        double t_list = seconds_since(start);
        start = Clock::now();
        size_t rules = 0;
        for (const auto& [path, data] : pdfs) {
            auto pdf = hoshin::ingest::read_pdf(data, std::nullopt);
            if (!pdf.ok()) continue;
            pages += pdf->pages.size();
            for (const auto& p : pdf->pages) rules += p.rules.size();
        }
        double t_ingest = seconds_since(start);
        start = Clock::now();
        for (const auto& [path, data] : pdfs) {
            auto docs = hoshin::convert_pdf(data, path, options);
            if (!docs.ok()) {
                ++failed;
                continue;
            }
            for (const auto& d : docs.value()) {
                goals += d.goals.size();
                if (with_json) (void)hoshin::write::to_json(d);
            }
        }
        double t_all = seconds_since(start);
        double n = static_cast<double>(pdfs.size());
        std::printf("pdf: %zu documents, %zu pages, %zu goals\n", pdfs.size(), pages, goals);
        std::printf("  Poppler text_list alone: %.3f s (%.2f ms/document)\n", t_list, t_list * 1e3 / n);
        std::printf("  ingest (words + rules):  %.3f s (%.2f ms/document, %zu rules) = %.2fx text_list\n", t_ingest,
                    t_ingest * 1e3 / n, rules, t_ingest / t_list);
        std::printf("  whole PDF pipeline:      %.3f s (%.2f ms/document, %.0f pages/s) = %.2fx text_list\n", t_all,
                    t_all * 1e3 / n, static_cast<double>(pages) / t_all, t_all / t_list);
    }
    if (failed) std::printf("failed: %zu\n", failed);
    return failed == 0 ? 0 : 1;
}
