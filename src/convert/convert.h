// The convert job: one input file -> Document(s), and the whole
// `hoshin convert` run (several inputs, outputs written atomically).
// Library code: it never prints; messages go to the sinks the caller gives.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hoshin/convert.h"
#include "hoshin/version.h"
#include "io/files.h"
#include "io/sinks.h"
#include "model/document.h"
#include "layout/rows.h"
#include "model/error.h"
#include "parse/profile.h"

namespace hoshin {

// Time allowed for one input by default (convert and bulk), in seconds. A
// 2,000-page PDF takes about 15 s; a page of scattered one-letter words costs
// Poppler time quadratic in their number (20,000 take 15 s, 50,000 minutes).
inline constexpr int kDefaultTimeoutSeconds = 300;

// The documents of a file's rows: a compiled file holds several departments,
// one after another. A part in between that is no department's policy (a
// cover, an index) is kept as unassigned text of the document before it.
// convert_pdf's last step, public for tests.
Result<std::vector<Document>> documents_from_rows(const layout::Pages& pages, const Source& source,
                                                  const ConvertOptions& options);

// Where a file's documents go, one at a time, as they are made.
using DocumentSink = std::function<void(Document&&)>;

enum class LayoutFormat { text, json };

// The rows the parser would read, for inspecting a layout. Text: one line per
// row, "PAGE:LINE<TAB>cell<TAB>cell..."; JSON: layout::layout_json (tables,
// cells with boxes and spans). Same error codes as convert_file.
Result<std::string> dump_layout(const std::filesystem::path& path, const ConvertOptions& options,
                                LayoutFormat format = LayoutFormat::text);

// A PDF page rendered with the layout drawn over it (layout::draw_layout), as
// a PNG file. Error codes: those of convert_file, not-a-pdf for a text input,
// no-such-page, output-error.
std::optional<Error> draw_layout_page(const std::filesystem::path& path, const ConvertOptions& options, int page,
                                      const std::filesystem::path& png);

// jsonl: JSON Lines on stdout, one document per line.
enum class OutputFormat { json, xml, both, jsonl };

struct ConvertJob {
    std::vector<std::string> inputs;
    std::optional<std::filesystem::path> output_dir;  // none: JSON on stdout
    OutputFormat format = OutputFormat::json;
    ConvertOptions options;
    bool quiet = false;  // no warnings on the message sink
    int timeout_seconds = kDefaultTimeoutSeconds;  // per input; 0: none
    // Set (by a signal handler) to stop before the next input; the inputs
    // done are written and run_convert returns kInterrupted.
    const std::atomic<bool>* stop = nullptr;
};

// Exit status of a run stopped by SIGINT or SIGTERM.
inline constexpr int kInterrupted = 130;

// convert_file with anything thrown caught: the per-file edge.
Result<std::vector<Document>> convert_file_guarded(const std::filesystem::path& path, const ConvertOptions& options);

// Converts inputs one after another in a child process that is killed once
// an input has taken `timeout_seconds` (error timeout) and started afresh for
// the next one; a child that dies gives worker-crashed. Documents come back
// as JSON (an exact round trip). With 0 there is no limit and no child.
// What run_convert needs of an input, made where the input is converted (in
// the child): the outputs already rendered, and the warning lines.
struct RenderRequest {
    OutputFormat format = OutputFormat::json;
    // json: one JSON text, a document or an array of several; xml: in
    // `xml` (stdout takes one); jsonl: one line per document.
    bool to_stdout = false;
    bool quiet = false;      // no warning lines
};
struct Rendered {
    size_t documents = 0;
    std::vector<std::string> json, xml;  // one per document, as the format asks
    std::string single;                  // to_stdout
    std::vector<std::string> messages;   // warning lines, formatted
};

// One document's outputs as they are rendered, before the input is done:
// its JSON and XML (either empty when the format leaves it out). An error
// makes the rest of the input's documents be rendered and dropped.
using RenderedSink = std::function<std::optional<Error>(std::string json, std::string xml)>;

class IsolatedConverter {
public:
    IsolatedConverter(ConvertOptions options, int timeout_seconds);
    ~IsolatedConverter();
    IsolatedConverter(const IsolatedConverter&) = delete;
    IsolatedConverter& operator=(const IsolatedConverter&) = delete;
    Result<std::vector<Document>> convert(const std::filesystem::path& path);
    // The same conversion, rendered in the child: the parent only writes
    // (no JSON read back and written again).
    // With `stream` (outputs to files, not stdout), each document's outputs
    // go to it as soon as they are made, so a long PDF's are never all held;
    // the Rendered then has the count and the messages only.
    Result<Rendered> render(const std::filesystem::path& path, const RenderRequest& request,
                            const RenderedSink* stream = nullptr);

private:
    void stop();
    // The reply frame, or the child's failure; frames of documents streamed
    // before it ('P') go to on_part.
    Result<std::string> ask(const std::string& request, const std::function<void(std::string_view)>* on_part = nullptr);
    ConvertOptions options_;
    int timeout_seconds_;
    int pid_ = -1;
    int fd_ = -1;  // socket to the child: a path out, a reply back
};

// Writes each document as BASE.json / BASE.xml (BASE-1, BASE-2... for
// several), atomically, all or none. Error codes: output-is-input,
// output-collision (a path in `taken`), output-error.
Result<std::vector<std::filesystem::path>> write_documents(const std::vector<Document>& docs,
                                                           const std::filesystem::path& input,
                                                           const std::filesystem::path& base, OutputFormat format,
                                                           const std::set<std::filesystem::path>& taken, bool sync = true);

// Runs the job; returns the exit status (0 all converted, 1 some failed,
// kInterrupted stopped). With an output directory, outputs are renamed into
// place in batches, each after one syncfs(): complete or absent after any
// crash.
int run_convert(const ConvertJob& job, const Sinks& sinks);

}  // namespace hoshin
