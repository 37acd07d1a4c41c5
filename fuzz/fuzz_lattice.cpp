// Drawn rules and words -> grids of cells -> rows (layout/lattice, the PDF
// layout's table path). Bytes are read as records: rules (horizontal or
// vertical, with small coordinates so that they meet, nearly meet and double
// up often) and words. Must never crash or hang, and every grid must hold:
// cells inside the grid, spans within it, no grid square in two cells.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "layout/lattice.h"
#include "layout/pdf_layout.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    hoshin::ingest::PdfText pdf;
    pdf.pages.emplace_back();
    for (size_t i = 0; i + 5 <= size; i += 5) {
        const uint8_t* r = data + i;
        if (r[0] == 0xff) {  // a new page
            pdf.pages.emplace_back();
            continue;
        }
        hoshin::ingest::PdfPage& page = pdf.pages.back();
        page.width = 600, page.height = 850;
        double a = r[1] * 2.5 + (r[0] & 3) * 0.7, b = r[2] * 2.5, c = r[3] * 2.5 + (r[4] & 7) * 0.3;
        switch (r[0] % 3) {
            case 0:  // horizontal rule at y = a from b to c
                page.rules.push_back({std::min(b, c), a, std::max(b, c), a});
                break;
            case 1:  // vertical rule at x = a from b to c
                page.rules.push_back({a, std::min(b, c), a, std::max(b, c)});
                break;
            default: {  // a word
                hoshin::ingest::PdfWord w;
                static const char* const kTexts[] = {"1", "\xe7\x9b\xae\xe6\xa8\x99", "(5)", "A", "x y"};
                w.text = kTexts[r[4] % 5];
                w.x0 = a, w.y0 = b, w.x1 = a + 4 + r[3] % 40, w.y1 = b + 6 + r[3] % 5;
                w.space_after = r[4] & 8;
                page.words.push_back(w);
            }
        }
    }
    for (const hoshin::ingest::PdfPage& page : pdf.pages) {
        for (const hoshin::layout::Grid& g : hoshin::layout::find_grids(page.rules)) {
            std::vector<char> taken(static_cast<size_t>(g.rows() * g.columns()), 0);
            for (const hoshin::layout::GridCell& cell : g.cells) {
                if (cell.row < 0 || cell.col < 0 || cell.row_span < 1 || cell.col_span < 1 ||
                    cell.row + cell.row_span > g.rows() || cell.col + cell.col_span > g.columns())
                    __builtin_trap();
                for (int y = cell.row; y < cell.row + cell.row_span; ++y)
                    for (int x = cell.col; x < cell.col + cell.col_span; ++x) {
                        char& t = taken[static_cast<size_t>(y * g.columns() + x)];
                        if (t) __builtin_trap();
                        t = 1;
                    }
            }
        }
    }
    (void)hoshin::layout::rows_from_pdf(pdf);
    return 0;
}
