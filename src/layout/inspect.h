// layout (inspection): the intermediate form as data and as a picture, so a
// user can see why a field went wrong (as pdfplumber's visual debugging).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ingest/pdf.h"
#include "layout/rows.h"
#include "model/error.h"

namespace hoshin::layout {

// {"pages", "tables": [{page, columns, rows}], "rows": [{page, line, table,
// table_row, bbox, cells: [{col, text, bbox, row_span, col_span, lines}]}]};
// cells covered by a span (no text, no box) are left out.
std::string layout_json(const Pages& pages);

// The resolution of the debugging picture.
inline constexpr double kPictureDpi = 144;

// Renders page `page` (1-based) of the PDF with Poppler's renderer and draws
// over it the drawn rules found (blue), each table cell's box (red) and each
// row of text outside tables (orange); writes a PNG to `out` through a
// temporary file. Error codes: no-such-page, output-error.
std::optional<Error> draw_layout(std::string_view pdf_bytes, const std::optional<std::string>& password,
                                 const ingest::PdfText& pdf, const Pages& pages, int page,
                                 const std::filesystem::path& out);

}  // namespace hoshin::layout
