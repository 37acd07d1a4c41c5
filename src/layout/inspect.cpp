#include "layout/inspect.h"

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

namespace hoshin::layout {

std::string layout_json(const Pages& pages) {
    using nlohmann::ordered_json;
    auto box = [](const std::optional<std::array<double, 4>>& b) {
        return b ? ordered_json::array({(*b)[0], (*b)[1], (*b)[2], (*b)[3]}) : ordered_json(nullptr);
    };
    ordered_json out;
    out["pages"] = pages.page_count;
    ordered_json tables = ordered_json::array();
    for (size_t t = 0; t < pages.tables.size(); ++t) {
        const Table& table = pages.tables[t];
        tables.push_back(ordered_json{{"table", t}, {"page", table.page}, {"columns", table.columns}, {"rows", table.rows}});
    }
    out["tables"] = std::move(tables);
    ordered_json rows = ordered_json::array();
    for (const Row& r : pages.rows) {
        ordered_json row{{"page", r.page}, {"line", r.line}};
        row["table"] = r.table >= 0 ? ordered_json(r.table) : ordered_json(nullptr);
        row["table_row"] = r.table >= 0 ? ordered_json(r.table_row) : ordered_json(nullptr);
        row["bbox"] = box(r.bbox);
        ordered_json cells = ordered_json::array();
        for (size_t k = 0; k < r.cells.size(); ++k) {
            const Cell& c = r.cells[k];
            if (c.text.empty() && !c.bbox) continue;
            cells.push_back(ordered_json{{"col", k}, {"text", c.text}, {"bbox", box(c.bbox)}, {"row_span", c.row_span},
                                         {"col_span", c.col_span}, {"lines", c.lines}});
        }
        row["cells"] = std::move(cells);
        rows.push_back(std::move(row));
    }
    out["rows"] = std::move(rows);
    return out.dump(1) + "\n";
}

namespace {

// Draws on a 32-bit BGRA picture (poppler's argb32 in memory order).
struct Canvas {
    poppler::image& img;
    double scale;
    void dot(int x, int y, uint32_t argb) {
        if (x < 0 || y < 0 || x >= img.width() || y >= img.height()) return;
        auto* px = reinterpret_cast<unsigned char*>(img.data() + static_cast<size_t>(y) * img.bytes_per_row() + static_cast<size_t>(x) * 4);
        px[0] = argb & 0xff, px[1] = (argb >> 8) & 0xff, px[2] = (argb >> 16) & 0xff, px[3] = 0xff;
    }
    void line(double x0, double y0, double x1, double y1, uint32_t argb, int width) {
        int ax = static_cast<int>(std::lround(x0 * scale)), ay = static_cast<int>(std::lround(y0 * scale));
        int bx = static_cast<int>(std::lround(x1 * scale)), by = static_cast<int>(std::lround(y1 * scale));
        int steps = std::max({std::abs(bx - ax), std::abs(by - ay), 1});
        for (int i = 0; i <= steps; ++i) {
            int x = ax + (bx - ax) * i / steps, y = ay + (by - ay) * i / steps;
            for (int d = 0; d < width; ++d) dot(ax == bx ? x + d : x, ay == by ? y + d : y, argb);
        }
    }
    void rect(const std::array<double, 4>& b, uint32_t argb, int width) {
        line(b[0], b[1], b[2], b[1], argb, width);
        line(b[0], b[3], b[2], b[3], argb, width);
        line(b[0], b[1], b[0], b[3], argb, width);
        line(b[2], b[1], b[2], b[3], argb, width);
    }
};

constexpr uint32_t kRuleColour = 0x1f5fff, kCellColour = 0xe00000, kTextRowColour = 0xff9900;

}  // namespace

std::optional<Error> draw_layout(std::string_view pdf_bytes, const std::optional<std::string>& password,
                                 const ingest::PdfText& pdf, const Pages& pages, int page,
                                 const std::filesystem::path& out) {
    if (page < 1 || page > static_cast<int>(pdf.pages.size()))
        return Error{ErrorCode::no_such_page, "the PDF has no page " + std::to_string(page) + " (it has " + std::to_string(pdf.pages.size()) + ")"};
    std::string pw = password.value_or("");
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(pdf_bytes.data(), static_cast<int>(pdf_bytes.size()), pw, pw));
    std::unique_ptr<poppler::page> p(doc ? doc->create_page(page - 1) : nullptr);
    if (!p) return Error{ErrorCode::pdf_damaged, "page " + std::to_string(page) + " cannot be rendered"};
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_argb32);
    poppler::image img = renderer.render_page(p.get(), kPictureDpi, kPictureDpi);
    if (!img.is_valid()) return Error{ErrorCode::pdf_damaged, "page " + std::to_string(page) + " cannot be rendered"};
    Canvas canvas{img, kPictureDpi / 72};
    for (const ingest::PdfRule& r : pdf.pages[static_cast<size_t>(page) - 1].rules) canvas.line(r.x0, r.y0, r.x1, r.y1, kRuleColour, 1);
    for (const Row& r : pages.rows) {
        if (r.page != page) continue;
        if (r.table < 0) {
            if (r.bbox && !r.blank()) canvas.rect(*r.bbox, kTextRowColour, 1);
            continue;
        }
        for (const Cell& c : r.cells)
            if (c.bbox) canvas.rect(*c.bbox, kCellColour, 2);
    }
    std::filesystem::path tmp = out;
    tmp += ".tmp." + std::to_string(::getpid());
    if (!img.save(tmp.string(), "png")) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        return Error{ErrorCode::output_error, "cannot write " + out.string()};
    }
    std::error_code ec;
    std::filesystem::rename(tmp, out, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        return Error{ErrorCode::output_error, "cannot write " + out.string() + ": " + ec.message()};
    }
    return std::nullopt;
}

}  // namespace hoshin::layout
