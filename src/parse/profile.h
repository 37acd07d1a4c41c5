// The vocabulary a parser reads: section markers, labels, synonyms and the
// grade scale. Loaded from JSON (data/profiles/); the default profile is
// compiled in. All words are stored as match keys (text::match_key).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace hoshin::parse {

enum class Section { none, basic_policy, goal_summary, grade_scale };

// Labels of a goal's detail page.
enum class Label {
    none,
    department,
    goal,
    target,
    status,
    grade,
    initiative,
    results,
    division,
    summary,
    overall_grade,
    next_steps,
};

struct Profile {
    std::string name;
    std::vector<std::string> title_markers;
    std::map<std::string, Section> sections;
    std::vector<std::string> section_open, section_close;
    std::vector<std::string> header_department, header_head;
    std::vector<std::string> plan_goal_labels, field_labels, grade_column_labels;
    std::map<std::string, Label> labels;
    std::vector<std::string> goal_labels;    // also in labels; kept for prefix matching
    std::vector<std::string> joined_labels;  // may run into their value with no space
    std::vector<std::string> grades;       // match keys, in scale order
    std::vector<std::string> list_bullets;
    std::string percent_sign, at_least, below, over;
    std::vector<std::string> division_separators;
    std::string municipality_suffix;
    std::vector<std::string> prefectures;  // as written, e.g. the 47 prefecture names
    size_t municipality_min_length = 2;
    std::vector<std::string> not_municipality_names;

    // Text read by OCR: a label or marker misread by a character or two
    // (全体の達成度 as 主体の吉成度, 達成状況 with its lone 況 lost) still
    // matches, through the match keys; the text is never changed. Set by the
    // parser on its own copy for a document with OCR'd rows.
    bool ocr_tolerant = false;

    Label label(std::string_view key) const;
    Section section(std::string_view key) const;
    // The grade as written in the scale (e.g. "A") for a match key, if any.
    // OCR-tolerant: stray marks beside it (。C, C') are ignored.
    std::optional<std::string> grade(std::string_view key) const;
    // `key` is in `list` (OCR-tolerant: or nearly).
    bool has(const std::vector<std::string>& list, std::string_view key) const;
    // Some word of `list` occurs in `key` (OCR-tolerant: or nearly).
    bool has_within(const std::vector<std::string>& list, std::string_view key) const;
    // Every grade as written, in scale order (e.g. A, B, C, D, E).
    std::vector<std::string> grade_names() const;
    static bool contains(const std::vector<std::string>& list, std::string_view key);
};

// Error code: bad-profile.
Result<Profile> load_profile(std::string_view json_text, const std::string& origin);
const Profile& default_profile();

}  // namespace hoshin::parse
