// layout: the one intermediate form both front ends produce. A Row is one
// physical line (text) or one rebuilt table row (PDF), split into cells.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/document.h"
#include "model/error.h"

namespace hoshin::layout {

struct Cell {
    std::string text;  // output form: NFC, trimmed
    std::string key;   // match form: NFKC, case- and width-folded, no spaces
};

struct Row {
    int page = 1;
    int line = 0;  // 1-based
    std::vector<Cell> cells;
    std::optional<std::array<double, 4>> bbox;

    // No cell has a match key (only white space or ignorable characters).
    bool blank() const;
    // A table rule drawn with characters ("-------", "=====", "_____"), layout not content.
    bool rule() const;
    // Non-empty cells only.
    std::vector<const Cell*> filled() const;
    // The row's text with cells joined by single spaces.
    std::string joined() const;
    Provenance provenance() const { return Provenance{page, line, line, bbox}; }
};

struct Pages {
    std::vector<Row> rows;
    int page_count = 1;
};

// Limits on what a text input can make us do.
inline constexpr size_t kMaxLines = 200000;
inline constexpr size_t kMaxCellsPerRow = 256;
inline constexpr size_t kMaxLineBytes = 1 << 20;

// Splits decoded text into rows: LF, CRLF and CR end lines, a form feed
// starts a page, a tab separates cells. Error codes: too-many-lines,
// line-too-long, too-many-cells.
Result<Pages> rows_from_text(std::string_view utf8);

}  // namespace hoshin::layout
