// layout (PDF, ruled tables): the drawn rules of a page -> grids of cells,
// as the "lattice" mode of table extractors does. Collinear pieces are merged
// (producers leave small gaps and draw double borders), rules that cross are
// grouped into tables, and every region the rules close is a cell, spanning
// the grid rows and columns it covers. Pure geometry: no text here.
#pragma once

#include <array>
#include <vector>

#include "ingest/pdf.h"

namespace hoshin::layout {

// Rules closer than this (points) across their direction are one border: a
// double border, or a border both stroked and filled.
inline constexpr double kRuleSnap = 2.0;
// Collinear pieces with a gap up to this (points) are one rule, and a rule
// ending this close to another meets it.
inline constexpr double kRuleJoin = 3.0;
// A side of a grid square is drawn when rules cover at least this share of it.
inline constexpr double kSideCoverage = 0.5;

struct GridCell {
    int row = 0, col = 0;  // top-left square, 0-based
    int row_span = 1, col_span = 1;
    std::array<double, 4> box{};  // x0, y0, x1, y1 in points, origin top-left
};

struct Grid {
    std::vector<double> xs;  // column boundaries, left to right
    std::vector<double> ys;  // row boundaries, top to bottom
    std::vector<GridCell> cells;  // closed regions, by row then column
    std::vector<int> owner;       // grid square (row * columns + col) -> index in cells, or -1
    std::array<double, 4> box() const { return {xs.front(), ys.front(), xs.back(), ys.back()}; }
    int columns() const { return static_cast<int>(xs.size()) - 1; }
    int rows() const { return static_cast<int>(ys.size()) - 1; }
    // The cell holding point (x, y), or -1 (outside the grid, or in an open region).
    int cell_at(double x, double y) const;
};

// The tables a page's rules draw, top to bottom. A lone box (one cell: a
// frame around text) is not a table. Grids wider than kMaxCellsPerRow columns
// are left out (their text is read from alignment), and so is a page with
// more than ingest::kMaxRulesPerPage rules. Work is O(H x V) in the merged
// rules plus O(squares) for the grid.
std::vector<Grid> find_grids(const std::vector<ingest::PdfRule>& rules);

}  // namespace hoshin::layout
