// diff: two Documents of one department, goals matched by content (not by
// number) with one optimal assignment, and each matched goal's changes with
// word-level inline diffs on ICU word boundaries; timelines chain the diffs
// of consecutive editions. Renderers for text, JSON, HTML and CSV live in
// render.cpp and never depend on the locale.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/document.h"

namespace hoshin::diff {

// Version 2: deletions before insertions in inline diffs, added and removed
// goals listed whole, `renumbered`, `warnings`; timelines grouped by department.
inline constexpr int kDiffSchemaVersion = 2;
// Below this similarity two goals are not the same goal.
inline constexpr double kMatchThreshold = 0.35;
// Below this similarity two targets or initiatives of matched goals are not the same item.
inline constexpr double kItemMatchThreshold = 0.3;

struct InlineOp {
    enum class Kind { equal, insert, remove };
    Kind kind = Kind::equal;
    std::string text;
    bool operator==(const InlineOp&) const = default;
};

struct FieldChange {
    std::string field;  // e.g. "title", "evaluation.grade", "targets[2].text", "targets[3]"
    std::optional<std::string> old_value, new_value;
    std::vector<InlineOp> inline_ops;  // for text changes
};

// How a goal fares from the old edition to the new.
enum class GoalStatus { added, removed, modified, unchanged };
// "added", "removed", "modified", "unchanged": the JSON's and the HTML's names.
const char* to_string(GoalStatus status);

struct GoalDiff {
    GoalStatus status = GoalStatus::unchanged;
    std::optional<int> old_number, new_number;
    std::optional<std::string> old_title, new_title;
    double similarity = 0;
    // For a matched goal its changed fields; for an added or removed goal
    // every field it has (the other side null), so it is shown whole.
    std::vector<FieldChange> changes;
    std::optional<Provenance> old_provenance, new_provenance;
    bool renumbered() const { return old_number && new_number && *old_number != *new_number; }
};

struct Side {
    Source source;
    std::optional<std::string> title;
    std::optional<FiscalYear> fiscal_year;
    std::optional<std::string> department;
    Municipality municipality;
};

// Something about the comparison itself (not about one goal): codes
// different-departments, different-municipalities, new-older-than-old,
// editions-reordered, no-fiscal-year. `args` are the
// message's variable parts, for callers that word the message themselves.
struct Warning {
    std::string code;
    std::string message;
    std::vector<std::string> args;
    bool operator==(const Warning&) const = default;
};

struct DocumentDiff {
    Side old_side, new_side;
    int added = 0, removed = 0, modified = 0, unchanged = 0, renumbered = 0;
    std::vector<GoalDiff> goals;
    std::vector<Warning> warnings;
    // True when a goal was added, removed, modified or renumbered.
    bool differs() const { return added + removed + modified + renumbered > 0; }
};

// Texts equal for matching: same after NFKC, width and white-space folding.
bool same_text(const std::optional<std::string>& a, const std::optional<std::string>& b);

// 0..1: Dice coefficient over ICU word bigrams and character bigrams of the
// match keys, averaged.
double similarity(std::string_view a, std::string_view b);

// Maximum-weight one-to-one assignment (Hungarian method) of rows to columns;
// pairs scoring below `threshold` are left unassigned. Returns, per row, the
// column or -1.
std::vector<int> assign(const std::vector<std::vector<double>>& score, double threshold);

// Word-level diff (LCS over ICU word segments, spaces kept with their words).
// Within each run of changes the deletion comes first: [-old-]{+new+}.
std::vector<InlineOp> inline_diff(std::string_view old_text, std::string_view new_text);

DocumentDiff diff(const Document& old_doc, const Document& new_doc);

Side side_of(const Document& d);

// The same department: equal match keys of municipality (code, else name)
// and department name; a side without one matches any.
std::string department_key(const Document& d);

// Lineage of goals across two or more editions of one department (oldest
// first): each row is one goal's numbers, titles and grades year by year
// (null where absent).
struct LineageCell {
    std::optional<int> number;
    std::optional<std::string> title, grade;
};
struct Timeline {
    std::optional<std::string> municipality, department;
    std::vector<Side> editions;
    std::vector<std::vector<LineageCell>> lineages;  // [goal][edition]
    std::vector<Warning> warnings;
};
// Editions are put in fiscal-year order (in one year, the beginning-of-year
// edition, without evaluation grades, first) with an editions-reordered
// warning when that moved any; with an edition lacking its year the order
// given is kept (no-fiscal-year).
Timeline timeline(std::vector<Document> editions);
// Documents of several departments: one timeline per department (by
// municipality and department name), in the order of their first document.
std::vector<Timeline> timelines(std::vector<Document> documents);

// Renderers. Output depends only on the data and these options, never on
// the locale.
enum class Lang { ja, en };
struct RenderOptions {
    bool only_changes = false;  // leave out goals that are unchanged (and not renumbered)
    bool color = false;         // text: ANSI colours
    Lang lang = Lang::ja;       // HTML and CSV headings
    // HTML: the links to the source PDFs, relative to the page (empty: no link).
    std::string old_href, new_href;
};
// Japanese when either document's department or title holds Japanese text.
Lang default_lang(const Side& a, const Side& b);

std::string to_json(const DocumentDiff& d, const RenderOptions& o = {});
// Readable in a terminal.
std::string to_text(const DocumentDiff& d, const RenderOptions& o = {});
// One self-contained HTML page (no network): a summary (counts, grade
// moves), then added, removed and modified goals side by side with
// insertions and deletions marked; unchanged goals folded away; print CSS.
std::string to_html(const DocumentDiff& d, const RenderOptions& o = {});

std::string to_json(const std::vector<Timeline>& t);
std::string to_text(const std::vector<Timeline>& t);
// One row per goal lineage, one column per fiscal year (the grade in each
// cell; "-" present without a grade, empty absent), UTF-8 with a BOM.
std::string to_csv(const std::vector<Timeline>& t, Lang lang);
std::string to_html(const std::vector<Timeline>& t, Lang lang);

// href for `target` from a page in `page_dir`: relative, '/'-separated,
// percent-encoded (RFC 3986 unreserved characters kept).
std::string relative_href(const std::string& target, const std::string& page_dir);

}  // namespace hoshin::diff
