// diff: two Documents of one department, goals matched by content (not by
// number) with one optimal assignment, and each matched goal's changes with
// word-level inline diffs on ICU word boundaries.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/document.h"

namespace hoshin::diff {

inline constexpr int kDiffSchemaVersion = 1;
// Below this similarity two goals are not the same goal.
inline constexpr double kMatchThreshold = 0.35;

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

struct GoalDiff {
    std::string status;  // added | removed | modified | unchanged
    std::optional<int> old_number, new_number;
    std::optional<std::string> old_title, new_title;
    double similarity = 0;
    std::vector<FieldChange> changes;
    std::optional<Provenance> old_provenance, new_provenance;
};

struct Side {
    Source source;
    std::optional<std::string> title;
    std::optional<FiscalYear> fiscal_year;
    std::optional<std::string> department;
};

struct DocumentDiff {
    Side old_side, new_side;
    int added = 0, removed = 0, modified = 0, unchanged = 0;
    std::vector<GoalDiff> goals;
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
std::vector<InlineOp> inline_diff(std::string_view old_text, std::string_view new_text);

DocumentDiff diff(const Document& old_doc, const Document& new_doc);

std::string to_json(const DocumentDiff& d);
// Readable in a terminal; ANSI colours when `color`.
std::string to_text(const DocumentDiff& d, bool color);
// One self-contained HTML page (no network): old and new side by side,
// insertions and deletions marked, grade moves badged, each goal linked to
// its page in a source PDF.
std::string to_html(const DocumentDiff& d);

// Lineage of goals across three or more editions (oldest first): each row is
// one goal's numbers, titles and grades year by year (null where absent).
struct LineageCell {
    std::optional<int> number;
    std::optional<std::string> title, grade;
};
struct Timeline {
    std::vector<Side> editions;
    std::vector<std::vector<LineageCell>> lineages;  // [goal][edition]
};
Timeline timeline(const std::vector<Document>& editions);
std::string to_json(const Timeline& t);
std::string to_text(const Timeline& t);

}  // namespace hoshin::diff
