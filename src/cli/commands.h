// The diff, timeline and layout commands: loading editions (converted JSON
// or XML, or sources converted on the fly; files or directories), then the
// library's diff and renderers. Messages go to the sinks already localized.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/messages.h"
#include "convert/convert.h"

namespace hoshin::cli {

// The exit status of `diff --exit-code` when an input fails (1 means "the
// editions differ" there, as for git diff and diff(1)).
inline constexpr int kDiffTrouble = 3;

struct DiffCommand {
    std::string old_path, new_path;
    std::string format = "text";
    std::string output;
    std::optional<std::string> department;
    std::optional<std::string> lang;  // ja | en; default from the documents
    bool only_changes = false, exit_code = false, color = false, no_color = false;
};

struct TimelineCommand {
    std::vector<std::string> inputs;
    std::string format = "text";
    std::string output;
    std::optional<std::string> department;
    std::optional<std::string> lang;
};

int run_diff(const DiffCommand& c, const Messages& m, const Sinks& sinks);
int run_timeline(const TimelineCommand& c, const Messages& m, const Sinks& sinks);
int run_layout(const std::string& input, const ConvertOptions& options, const std::string& format,
               std::optional<int> png_page, const std::string& output, const Messages& m, const Sinks& sinks);

}  // namespace hoshin::cli
