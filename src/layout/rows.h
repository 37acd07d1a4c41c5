// layout: the one intermediate form both front ends produce. A Row is one
// physical line (text), one row of a drawn table (PDF: each cell holds its
// whole, possibly multi-line text), or one rebuilt line or block of text
// outside any table (PDF), split into cells. A text edition's tab-separated
// line is the special case: one-line cells spanning one row and one column.
#pragma once

#include <array>
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
    // A drawn table's cell: its box, the grid rows and columns it spans, and
    // how many physical lines its text joins. Text cells have no box.
    std::optional<std::array<double, 4>> bbox;
    int row_span = 1, col_span = 1;
    int lines = 1;
};

struct Row {
    int page = 1;
    int line = 0;  // 1-based
    std::vector<Cell> cells;
    std::optional<std::array<double, 4>> bbox;
    // The drawn table this row belongs to (an index into Pages::tables) and
    // its grid row there; -1 outside any table. Cell k sits in grid column k;
    // a position covered by a span from the left or from above is empty.
    int table = -1, table_row = -1;
    // Read by OCR: the mean confidence (0-100) of its words, by characters.
    std::optional<double> confidence;

    // No cell has a match key (only white space or ignorable characters).
    bool blank() const;
    // A table rule drawn with characters ("-------", "=====", "_____"), layout not content.
    bool rule() const;
    // Non-empty cells only.
    std::vector<const Cell*> filled() const;
    // The row's text with cells joined by single spaces.
    std::string joined() const;
    Provenance provenance() const { return Provenance{page, line, line, bbox, confidence}; }
};

// A table found from a PDF's drawn rules: where its grid lines are.
struct Table {
    int page = 1;
    std::vector<double> columns;  // x of the column boundaries, left to right
    std::vector<double> rows;     // y of the row boundaries, top to bottom
};

struct Pages {
    std::vector<Row> rows;
    std::vector<Table> tables;
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
