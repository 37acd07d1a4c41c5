// The command line's words in English and Japanese: help texts and messages
// from data files (src/cli/help.*.txt, src/cli/messages.tsv) compiled in.
// Only what goes to people (stderr, --help) is translated; data on stdout and
// in files never depends on the locale, and codes stay the same.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hoshin::cli {

enum class Lang { en, ja };

// Japanese when the first of LC_ALL, LC_MESSAGES, LANG that is set and not
// empty starts with "ja" (as gettext chooses); English otherwise.
Lang lang_from_environment();

class Messages {
public:
    explicit Messages(Lang lang) : lang_(lang) {}
    Lang lang() const { return lang_; }
    // The message `key` of messages.tsv with {1}, {2}... replaced by `args`;
    // the key itself if there is no such message.
    std::string operator()(std::string_view key, const std::vector<std::string>& args = {}) const;
    // Whether messages.tsv has `key`.
    bool has(std::string_view key) const;
    // The top-level help (usage, exit status, codes).
    std::string_view help() const;
    // A line "hoshin: FILE[:N]: SEVERITY: MESSAGE [CODE]" as people read it:
    // in Japanese the code's meaning leads and the English detail follows in
    // parentheses; severity and code are kept for scripts.
    std::string localize_line(std::string_view line) const;

private:
    Lang lang_;
};

}  // namespace hoshin::cli
