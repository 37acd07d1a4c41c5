#include "layout/pdf_layout.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "text/normalize.h"

namespace hoshin::layout {
namespace {

using ingest::PdfPage;
using ingest::PdfWord;

struct Line {
    double top = 0, bottom = 0;
    std::vector<const PdfWord*> words;
    double height() const { return bottom - top; }
    double x0() const { return words.front()->x0; }
    double x1() const { return words.back()->x1; }
};

struct Segment {
    double x0 = 0, x1 = 0, top = 0, bottom = 0;
    std::string text;
    double first_word_width = 0;  // for the "did the next word fit" test
    size_t slot = 0;
};

struct SegLine {
    double top = 0, bottom = 0, h = 0;
    std::vector<Segment> segs;
};

// Words -> lines: a word joins a line when they overlap vertically by at
// least half the smaller height.
std::vector<Line> build_lines(const PdfPage& page) {
    std::vector<const PdfWord*> words;
    words.reserve(page.words.size());
    for (const PdfWord& w : page.words) words.push_back(&w);
    std::stable_sort(words.begin(), words.end(), [](const PdfWord* a, const PdfWord* b) {
        return a->y0 + a->y1 < b->y0 + b->y1;
    });
    std::vector<Line> lines;
    for (const PdfWord* w : words) {
        double h = w->y1 - w->y0;
        bool joined = false;
        // Look back a few lines: a slightly raised box may sort after the
        // next line's first word.
        for (size_t k = lines.size(); k-- > 0 && k + 3 >= lines.size();) {
            Line& l = lines[k];
            double overlap = std::min(l.bottom, w->y1) - std::max(l.top, w->y0);
            if (overlap >= 0.5 * std::min(h, l.height())) {
                l.words.push_back(w);
                l.top = std::min(l.top, w->y0);
                l.bottom = std::max(l.bottom, w->y1);
                joined = true;
                break;
            }
        }
        if (!joined) lines.push_back(Line{w->y0, w->y1, {w}});
    }
    for (Line& l : lines) {
        std::stable_sort(l.words.begin(), l.words.end(), [](const PdfWord* a, const PdfWord* b) { return a->x0 < b->x0; });
    }
    std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.top < b.top; });
    return lines;
}

std::string line_text(const Line& l) {
    std::string s;
    for (size_t i = 0; i < l.words.size(); ++i) {
        s = text::join_words(s, l.words[i]->text, i > 0 && l.words[i - 1]->space_after);
    }
    return s;
}

bool is_page_number(const std::string& text) {
    std::string key = text::match_key(text);
    bool digit = false;
    for (char c : key) {
        if (c >= '0' && c <= '9') digit = true;
        else if (std::string_view("-/().|pagePAGE").find(c) == std::string_view::npos) return false;
    }
    return digit && key.size() <= 12;
}

std::string masked(const std::string& text) {
    std::string k = text::match_key(text);
    for (char& c : k)
        if (c >= '0' && c <= '9') c = '#';
    return k;
}

// Page numbers and running headers/footers are not content. A running line
// sits in the outer band of the page, is the first (or last) line there,
// stands apart from the body, and repeats on at least half of the pages.
void remove_furniture(std::vector<std::vector<Line>>& pages, const std::vector<PdfPage>& src, PdfLayoutNotes& notes) {
    struct Candidate {
        size_t page, line;
        std::string key;
    };
    std::vector<Candidate> candidates;
    for (size_t p = 0; p < pages.size(); ++p) {
        auto& lines = pages[p];
        if (lines.empty()) continue;
        double height = src[p].height > 0 ? src[p].height : 842;
        auto consider = [&](size_t i, bool top) {
            const Line& l = lines[i];
            bool outer = top ? l.bottom < 0.12 * height : l.top > 0.88 * height;
            if (!outer) return;
            double gap = lines.size() == 1 ? 1e9
                         : top              ? lines[i + 1].top - l.bottom
                                            : l.top - lines[i - 1].bottom;
            if (gap < 0.8 * l.height()) return;  // part of the body
            candidates.push_back({p, i, masked(line_text(l))});
        };
        consider(0, true);
        if (lines.size() > 1) consider(lines.size() - 1, false);
    }
    std::map<std::string, std::set<size_t>> pages_with;
    for (const Candidate& c : candidates) pages_with[c.key].insert(c.page);
    std::set<std::pair<size_t, size_t>> drop;
    for (const Candidate& c : candidates) {
        const Line& l = pages[c.page][c.line];
        if (is_page_number(line_text(l))) {
            drop.insert({c.page, c.line});
            ++notes.page_numbers_removed;
        } else if (pages.size() >= 2 && pages_with[c.key].size() >= std::max<size_t>(2, (pages.size() + 1) / 2)) {
            drop.insert({c.page, c.line});
            ++notes.running_lines_removed;
        }
    }
    for (auto it = drop.rbegin(); it != drop.rend(); ++it) pages[it->first].erase(pages[it->first].begin() + it->second);
}

// Column starts seen on several lines (first words, words after wide gaps).
std::vector<double> column_anchors(const std::vector<std::vector<Line>>& pages) {
    std::map<long, int> bins;  // half-point bins
    for (const auto& lines : pages) {
        for (const Line& l : lines) {
            double h = l.height();
            ++bins[std::lround(l.x0() * 2)];
            for (size_t i = 1; i < l.words.size(); ++i)
                if (l.words[i]->x0 - l.words[i - 1]->x1 > 0.9 * h) ++bins[std::lround(l.words[i]->x0 * 2)];
        }
    }
    std::vector<double> anchors;
    for (auto it = bins.begin(); it != bins.end(); ++it) {
        int count = 0;
        for (auto j = bins.lower_bound(it->first - 3); j != bins.end() && j->first <= it->first + 3; ++j) count += j->second;
        if (count >= 3) anchors.push_back(static_cast<double>(it->first) / 2.0);
    }
    return anchors;
}

bool near_anchor(const std::vector<double>& anchors, double x) {
    auto it = std::lower_bound(anchors.begin(), anchors.end(), x - 1.5);
    return it != anchors.end() && *it <= x + 1.5;
}

SegLine segment(const Line& l, const std::vector<double>& anchors) {
    SegLine out;
    out.top = l.top;
    out.bottom = l.bottom;
    out.h = l.height();
    for (size_t i = 0; i < l.words.size(); ++i) {
        const PdfWord* w = l.words[i];
        bool split = i == 0;
        if (!split) {
            double gap = w->x0 - l.words[i - 1]->x1;
            split = gap > 0.9 * out.h || (gap > 0.2 * out.h && near_anchor(anchors, w->x0));
        }
        if (split) {
            out.segs.push_back(Segment{w->x0, w->x1, w->y0, w->y1, w->text, w->x1 - w->x0, 0});
        } else {
            Segment& s = out.segs.back();
            s.text = text::join_words(s.text, w->text, l.words[i - 1]->space_after);
            s.x1 = std::max(s.x1, w->x1);
            s.top = std::min(s.top, w->y0);
            s.bottom = std::max(s.bottom, w->y1);
        }
    }
    return out;
}

bool first_char_is_cjk(const std::string& s) {
    // The joiner's notion of CJK: joining "x" with s adds no space.
    return text::join_lines("x", s).size() == 1 + s.size();
}

}  // namespace

Result<Pages> rows_from_pdf(const ingest::PdfText& pdf, PdfLayoutNotes* notes_out) {
    PdfLayoutNotes notes;
    std::vector<std::vector<Line>> pages;
    pages.reserve(pdf.pages.size());
    for (const PdfPage& p : pdf.pages) pages.push_back(build_lines(p));
    remove_furniture(pages, pdf.pages, notes);

    std::vector<double> anchors = column_anchors(pages);
    std::vector<std::vector<SegLine>> seg_pages;
    std::vector<double> starts;
    for (const auto& lines : pages) {
        std::vector<SegLine> sl;
        for (const Line& l : lines) {
            sl.push_back(segment(l, anchors));
            for (const Segment& s : sl.back().segs) starts.push_back(s.x0);
        }
        seg_pages.push_back(std::move(sl));
    }
    // Slots: document-wide clusters of segment starts, left to right.
    std::sort(starts.begin(), starts.end());
    std::vector<double> slot_start;
    for (size_t i = 0; i < starts.size(); ++i)
        if (i == 0 || starts[i] - starts[i - 1] > 2.0) slot_start.push_back(starts[i]);
    auto slot_of = [&](double x) {
        auto it = std::upper_bound(slot_start.begin(), slot_start.end(), x);
        return static_cast<size_t>(it - slot_start.begin()) - 1;
    };

    Pages out;
    out.page_count = static_cast<int>(pdf.pages.size());
    int line_no = 0;
    for (size_t p = 0; p < seg_pages.size(); ++p) {
        auto& lines = seg_pages[p];
        for (SegLine& l : lines)
            for (Segment& s : l.segs) s.slot = slot_of(s.x0);
        double right_edge = 0;
        for (const SegLine& l : lines)
            for (const Segment& s : l.segs) right_edge = std::max(right_edge, s.x1);

        // Does `next` continue the block whose last line is `prev`?
        auto continues = [&](const SegLine& prev, const SegLine& next, bool* blank_between) {
            double h = std::max(prev.h, next.h);
            double pitch = next.top - prev.top;
            *blank_between = pitch > 1.2 * h;
            if (*blank_between) return false;
            for (const Segment& n : next.segs) {
                for (size_t k = 0; k < prev.segs.size(); ++k) {
                    const Segment& s = prev.segs[k];
                    if (s.slot != n.slot) continue;
                    // The cell's right edge: the next column on either line, or the page's text edge.
                    double edge = right_edge;
                    for (const SegLine* line : {&prev, &next})
                        for (const Segment& o : line->segs)
                            if (o.slot > s.slot) edge = std::min(edge, o.x0 - 0.4 * h);
                    // A line breaks early only when the next word did not fit; a CJK line
                    // may also end a character short (line-start rules).
                    double needed = first_char_is_cjk(n.text) ? 1.2 * h : n.first_word_width + 0.3 * h;
                    if (s.x1 + needed < edge) return false;  // the line before ended early: a new paragraph
                }
            }
            return true;
        };

        std::vector<std::vector<const SegLine*>> blocks;
        std::vector<bool> blank_before;
        for (size_t i = 0; i < lines.size(); ++i) {
            bool blank = false;
            if (i > 0 && continues(*blocks.back().back(), lines[i], &blank)) {
                blocks.back().push_back(&lines[i]);
                continue;
            }
            blocks.push_back({&lines[i]});
            blank_before.push_back(i > 0 && blank);
        }
        for (size_t b = 0; b < blocks.size(); ++b) {
            if (blank_before[b]) {
                Row blank_row;
                blank_row.page = static_cast<int>(p) + 1;
                blank_row.line = ++line_no;
                blank_row.cells.push_back(Cell{});
                out.rows.push_back(std::move(blank_row));
            }
            Row row;
            row.page = static_cast<int>(p) + 1;
            row.line = ++line_no;
            std::map<size_t, std::string> by_slot;
            std::array<double, 4> box{1e9, 1e9, -1e9, -1e9};
            for (const SegLine* l : blocks[b]) {
                for (const Segment& s : l->segs) {
                    by_slot[s.slot] = text::join_lines(by_slot[s.slot], s.text);
                    box = {std::min(box[0], s.x0), std::min(box[1], s.top), std::max(box[2], s.x1), std::max(box[3], s.bottom)};
                }
            }
            size_t n = by_slot.empty() ? 0 : by_slot.rbegin()->first + 1;
            if (n > kMaxCellsPerRow) return Error{"too-many-cells", "more than " + std::to_string(kMaxCellsPerRow) + " cells in a row", 0, row.page};
            row.cells.resize(n);
            for (auto& [slot, t] : by_slot) {
                row.cells[slot].text = text::clean(t);
                row.cells[slot].key = text::match_key(row.cells[slot].text);
            }
            auto round2 = [](double v) { return std::round(v * 100) / 100; };
            row.bbox = std::array<double, 4>{round2(box[0]), round2(box[1]), round2(box[2]), round2(box[3])};
            out.rows.push_back(std::move(row));
            if (out.rows.size() > kMaxLines) return Error{"too-many-lines", "more than " + std::to_string(kMaxLines) + " rows"};
        }
        // Text the layout cannot place (vertical writing) follows its page.
        for (const Unassigned& u : pdf.unplaced) {
            if (u.provenance.page != static_cast<int>(p) + 1) continue;
            Row row;
            row.page = u.provenance.page;
            row.line = ++line_no;
            row.bbox = u.provenance.bbox;
            row.cells.push_back(Cell{text::clean(u.text), text::match_key(u.text)});
            out.rows.push_back(std::move(row));
        }
    }
    if (notes_out) *notes_out = notes;
    return out;
}

}  // namespace hoshin::layout
