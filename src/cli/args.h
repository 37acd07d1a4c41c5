// Usage errors as people should read them: the real problem (an unknown
// subcommand or option, a value that is not a number) in hoshin's format,
// found before CLI11 reports a consequence of it ("INPUT is required").
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cli/messages.h"

namespace hoshin::cli {

inline constexpr int kUsageError = 2;

class Usage {
public:
    explicit Usage(const Messages& m) : m_(m) {}
    // Scans the arguments against the subcommands and options `app` knows:
    // an unknown one (or an option without its value, or no subcommand) is
    // reported and its exit status returned; nullopt when parsing may go on.
    std::optional<int> check(CLI::App& app, const std::vector<std::string>& args);
    // Reports what CLI11 found wrong; returns the usage exit status.
    int fail(CLI::App& app, const CLI::ParseError& e);
    // Reports `message` about `command` ("" for none); returns the usage exit status.
    int error(const std::string& command, const std::string& message);

private:
    const Messages& m_;
    std::string command_;  // the subcommand named on the command line
};

// Japanese labels for CLI11's help when the messages are Japanese.
void localize(CLI::App& app, const Messages& m);
// --format and the like: the value must be one of `choices`.
CLI::Validator one_of(std::vector<std::string> choices, const Messages& m);
// A whole number in lo..hi.
CLI::Validator whole_number(int lo, int hi, const Messages& m);

}  // namespace hoshin::cli
