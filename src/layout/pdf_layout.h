// layout (PDF): positioned words -> the same rows of cells the text front end
// gives, rebuilt from geometry because a PDF's stream order is not its reading
// order. Lines are vertical bands (a grade box a fraction of a point higher
// still joins its row); cells are split at gaps wider than a space; slots (cell indexes) are document-wide column positions; a
// wrapped cell or paragraph is one block when its lines are close and the line
// before ran to the right edge.
#pragma once

#include "ingest/pdf.h"
#include "layout/rows.h"

namespace hoshin::layout {

struct PdfLayoutNotes {
    int page_numbers_removed = 0;
    int running_lines_removed = 0;  // headers/footers repeated across pages
};

// Words in vertical writing (pdf.unplaced) are not laid out; the caller keeps
// them in the document's unassigned text.
// Rows are numbered from 1 and pages from pdf.first_page.
Result<Pages> rows_from_pdf(const ingest::PdfText& pdf, PdfLayoutNotes* notes = nullptr);

// The match keys of a page's first `count` lines of text, top down (in
// tables or not; page numbers skipped): where a department's title would be.
std::vector<std::string> top_lines(const ingest::PdfPage& page, size_t count);

}  // namespace hoshin::layout
