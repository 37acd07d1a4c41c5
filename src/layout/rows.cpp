#include "layout/rows.h"

#include "text/normalize.h"

namespace hoshin::layout {

// On match keys: a cell of only ignorable characters (U+200B, U+00AD) is empty.
bool Row::blank() const {
    for (const Cell& c : cells)
        if (!c.key.empty()) return false;
    return true;
}

bool Row::rule() const {
    bool any = false;
    for (const Cell& c : cells) {
        if (c.key.empty()) continue;
        if (c.key.find_first_not_of("-=_") != std::string::npos) return false;
        any = true;
    }
    return any;
}

std::vector<const Cell*> Row::filled() const {
    std::vector<const Cell*> out;
    for (const Cell& c : cells)
        if (!c.key.empty()) out.push_back(&c);
    return out;
}

std::string Row::joined() const {
    std::string out;
    for (const Cell* c : filled()) {
        if (!out.empty()) out += ' ';
        out += c->text;
    }
    return out;
}

namespace {

// The end of the line at `from`: the next CR, LF or form feed. (A plain loop:
// string_view::find_first_of calls memchr once per byte of the text.)
size_t line_end(std::string_view s, size_t from) {
    for (size_t i = from; i < s.size(); ++i)
        if (s[i] == '\n' || s[i] == '\r' || s[i] == '\f') return i;
    return std::string_view::npos;
}

}  // namespace

Result<Pages> rows_from_text(std::string_view utf8) {
    Pages pages;
    int page = 1, line = 0;
    size_t i = 0;
    while (i <= utf8.size()) {
        size_t end = line_end(utf8, i);
        if (end == std::string_view::npos) end = utf8.size();
        std::string_view content = utf8.substr(i, end - i);
        bool at_eof = end == utf8.size();
        if (!(at_eof && content.empty())) {
            ++line;
            if (pages.rows.size() >= kMaxLines)
                return Error{ErrorCode::too_many_lines, "more than " + std::to_string(kMaxLines) + " lines", line};
            if (content.size() > kMaxLineBytes)
                return Error{ErrorCode::line_too_long, "line longer than " + std::to_string(kMaxLineBytes) + " bytes", line};
            Row row;
            row.page = page;
            row.line = line;
            size_t s = 0;
            while (true) {
                size_t t = content.find('\t', s);
                std::string_view cell = content.substr(s, t == std::string_view::npos ? std::string_view::npos : t - s);
                Cell c;
                c.text = text::clean(cell);
                if (!c.text.empty()) c.key = text::match_key(c.text);
                row.cells.push_back(std::move(c));
                if (row.cells.size() > kMaxCellsPerRow)
                    return Error{ErrorCode::too_many_cells, "more than " + std::to_string(kMaxCellsPerRow) + " cells in a row", line};
                if (t == std::string_view::npos) break;
                s = t + 1;
            }
            pages.rows.push_back(std::move(row));
        }
        if (at_eof) break;
        char sep = utf8[end];
        i = end + 1;
        if (sep == '\r' && i < utf8.size() && utf8[i] == '\n') ++i;
        if (sep == '\f') {
            // A form feed at the start of a line only starts a page; in the
            // middle of one it also ends the line.
            ++page;
            if (content.empty()) --line, pages.rows.pop_back();
        }
    }
    // A final form feed (pdftotext ends every page with one) opens no page.
    if (!utf8.empty() && utf8.back() == '\f' && page > 1) --page;
    pages.page_count = page;
    return pages;
}

}  // namespace hoshin::layout
