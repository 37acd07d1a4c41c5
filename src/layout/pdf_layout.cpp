#include "layout/pdf_layout.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "layout/lattice.h"
#include "text/normalize.h"

namespace hoshin::layout {
namespace {

using ingest::PdfPage;
using ingest::PdfWord;

// A gap wider than this many line heights separates cells. A space is about
// half a line height; cell margins (Word: 1.9 mm each side) make a cell gap
// wider than that even when the text fills its cell.
constexpr double kCellGap = 0.65;

// The layout's other thresholds. Lengths in line heights (h) unless in
// points (pt); each was read off the producers' PDFs (tests/producers/).

// A word joins a line when they overlap vertically by this share of the
// smaller height: a raised or lowered box (a superscript, a larger font on
// the same baseline) stays on its line.
constexpr double kLineOverlap = 0.5;
// Page furniture sits in this outer share of the page's height, top or bottom.
constexpr double kFurnitureBand = 0.12;
// A running header stands this far (h) apart from the body below it; a
// table heading repeated on each page sits closer.
constexpr double kHeaderApart = 0.8;
// The page height when Poppler gives none: A4, in points.
constexpr double kA4Height = 842;
// Segment starts this close (pt) are one slot: the same left edge, give or
// take a producer's rounding.
constexpr double kSlotTolerance = 2.0;
// Three segment ends this close (pt) make a slot's right edge (a column's
// full width, where its lines wrap).
constexpr double kEdgeTolerance = 3.0;
// Line tops closer than this (h) are not a pitch (two boxes of one line).
constexpr double kMinPitch = 0.3;
// The line pitch is this low percentile of pitches (the tight, common one)...
constexpr double kLinePitchPercentile = 0.1;
// ...and at most this share of the median line height.
constexpr double kMaxLinePitch = 0.95;
// A pitch above this multiple of the line pitch is between paragraphs or
// rows, not within one; the run pitch, which bounds the lines looked at
// around a line, is their lower quartile plus kRunPitchMargin line pitches.
constexpr double kWiderPitch = 1.15;
constexpr double kRunPitchQuartile = 0.25;
constexpr double kRunPitchMargin = 0.3;
// A line continues the block above when it is no further below than this
// multiple of the line pitch (scaled up for larger text).
constexpr double kMaxLeading = 1.15;
// Room the next word needed on the line above for that line to count as
// full: a CJK character (line-start rules may leave one short), or the
// first Latin word plus a space.
constexpr double kCjkWrapRoom = 1.2;
constexpr double kLatinWrapSpace = 0.3;
// How far (h) left of a line's end another line of its column may end and
// still be "ending together" with it, and where a column to its right starts.
constexpr double kEndSlack = 0.25;
// Two line ends this close (pt) are one edge.
constexpr double kAlignedEnds = 1.5;
// Block boundaries with a pitch under this many line pitches are counted
// for the row pitch (larger ones are page breaks or figures).
constexpr double kMaxBoundaryPitch = 5;
// The row pitch is this quartile of those boundaries, read only when there
// are at least kMinBoundaries of them; an empty line adds kBlankLine line
// pitches to it.
constexpr double kRowPitchQuartile = 0.25;
constexpr size_t kMinBoundaries = 3;
constexpr double kBlankLine = 0.6;

// OCR: the mean of words' confidences, weighted by their characters.
struct Confidence {
    double sum = 0;
    size_t chars = 0;
    void add(const PdfWord& w) {
        if (w.confidence < 0) return;
        size_t n = text::code_point_count(w.text);
        sum += w.confidence * static_cast<double>(n);
        chars += n;
    }
    void add(const Confidence& o) { sum += o.sum, chars += o.chars; }
    std::optional<double> mean() const {
        if (chars == 0) return std::nullopt;
        return std::round(sum / static_cast<double>(chars) * 10) / 10;
    }
};

struct Line {
    double top = 0, bottom = 0;
    std::vector<const PdfWord*> words;
    double height() const { return bottom - top; }
};

struct Segment {
    double x0 = 0, x1 = 0, top = 0, bottom = 0;
    std::string text;
    double first_word_width = 0;  // for the "did the next word fit" test
    size_t slot = 0;
    Confidence confidence;
};

struct SegLine {
    double top = 0, h = 0;
    std::vector<Segment> segs;
};

// Words -> lines: a word joins a line when they overlap vertically by at
// least half the smaller height.
std::vector<Line> build_lines(std::vector<const PdfWord*> words) {
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
            if (overlap >= kLineOverlap * std::min(h, l.height())) {
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

// A gap wider than this many line heights between a table and what comes
// next on its page is an empty line of the document (a paragraph or a row
// right after a table starts within half a line of its rule).
constexpr double kBlankGapTable = 0.45;
// Between two blocks of text, the pitch read off the document tells an empty
// line; a gap of a whole line height is one whatever the pitch statistics
// say (pages whose every text block is set apart, as in a sheet of boxes).
constexpr double kBlankGapText = 1.0;

// A page's drawn tables with the words inside each cell; the other words are
// laid out by alignment.
struct PageTables {
    std::vector<Grid> grids;
    std::vector<std::vector<std::vector<const PdfWord*>>> words;  // [grid][cell]
    std::vector<const PdfWord*> free;
};

PageTables split_tables(const PdfPage& page) {
    PageTables t;
    t.grids = find_grids(page.rules);
    t.words.resize(t.grids.size());
    for (size_t g = 0; g < t.grids.size(); ++g) t.words[g].resize(t.grids[g].cells.size());
    for (const PdfWord& w : page.words) {
        double cx = (w.x0 + w.x1) / 2, cy = (w.y0 + w.y1) / 2;
        bool placed = false;
        for (size_t g = 0; g < t.grids.size() && !placed; ++g) {
            int c = t.grids[g].cell_at(cx, cy);
            if (c < 0) continue;
            t.words[g][static_cast<size_t>(c)].push_back(&w);
            placed = true;
        }
        if (!placed) t.free.push_back(&w);
    }
    return t;
}

// A cell's text: its lines in reading order, joined as wrapped lines are (no
// space between Japanese characters). Returns the number of lines.
int cell_text(const std::vector<const PdfWord*>& words, std::string& out) {
    std::vector<Line> lines = build_lines(words);
    for (const Line& l : lines) text::append_line(out, line_text(l));
    return static_cast<int>(lines.size());
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
        double height = src[p].height > 0 ? src[p].height : kA4Height;
        auto consider = [&](size_t i, bool top) {
            const Line& l = lines[i];
            bool outer = top ? l.bottom < kFurnitureBand * height : l.top > (1 - kFurnitureBand) * height;
            if (!outer) return;
            double gap = lines.size() == 1 ? 1e9
                         : top              ? lines[i + 1].top - l.bottom
                                            : l.top - lines[i - 1].bottom;
            // A running header stands apart from the body (a table heading
            // repeated at the top of each page does not); footers and lone
            // page numbers are furniture however close they sit.
            if (top && gap < kHeaderApart * l.height() && !is_page_number(line_text(l))) return;
            candidates.push_back({p, i, masked(line_text(l))});
        };
        consider(0, true);
        // A page whose only free line is its footer (all else in tables).
        if (lines.size() > 1 || lines[0].top > 0.5 * height) consider(lines.size() - 1, false);
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

// The width the first word needs on a line: Poppler gives a run of Latin
// letters and Japanese without spaces as one word, but a line may break
// after its leading Latin run ("SNS" of "SNSの登録者数…"), so only that
// run counts (prorated by characters).
double first_word_width(const PdfWord& w) {
    std::vector<std::string> cps = text::code_points(w.text);
    size_t n = 0;
    while (n < cps.size() && !text::starts_cjk(cps[n])) ++n;
    double width = w.x1 - w.x0;
    return n == 0 || n == cps.size() ? width : width * static_cast<double>(n) / static_cast<double>(cps.size());
}

SegLine segment(const Line& l) {
    SegLine out;
    out.top = l.top;
    out.h = l.height();
    for (size_t i = 0; i < l.words.size(); ++i) {
        const PdfWord* w = l.words[i];
        bool split = i == 0;
        if (!split) {
            double gap = w->x0 - l.words[i - 1]->x1;
            split = gap > kCellGap * out.h;
        }
        if (split) {
            out.segs.push_back(Segment{w->x0, w->x1, w->y0, w->y1, w->text, first_word_width(*w), 0, {}});
        } else {
            Segment& s = out.segs.back();
            s.text = text::join_words(s.text, w->text, l.words[i - 1]->space_after);
            s.x1 = std::max(s.x1, w->x1);
            s.top = std::min(s.top, w->y0);
            s.bottom = std::max(s.bottom, w->y1);
        }
        out.segs.back().confidence.add(*w);
    }
    return out;
}

// The measures the stream layout reads, taken over all the pages laid out
// together (a part of a file: one department): cell slots, each slot's right
// edge, the median line height and the pitches of lines and runs.
struct Measures {
    std::vector<double> slot_start;  // slots: clusters of segment starts, left to right
    std::map<size_t, double> slot_edge;
    double median_h = 10, line_pitch = 10, run_pitch = 20;
};

double percentile(std::vector<double> v, double q, double fallback) {
    if (v.empty()) return fallback;
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
}

// Segments the lines of every page (letting the lines go) and measures them;
// each segment gets its slot.
Measures measure(std::vector<std::vector<Line>>& pages, std::vector<std::vector<SegLine>>& seg_pages) {
    std::vector<double> starts;
    for (const auto& lines : pages) {
        std::vector<SegLine> sl;
        for (const Line& l : lines) {
            sl.push_back(segment(l));
            for (const Segment& s : sl.back().segs) starts.push_back(s.x0);
        }
        seg_pages.push_back(std::move(sl));
    }
    std::vector<std::vector<Line>>().swap(pages);  // segmented: let go (peak memory)
    // Slots: document-wide clusters of segment starts, left to right.
    std::sort(starts.begin(), starts.end());
    std::vector<double> slot_start;
    for (size_t i = 0; i < starts.size(); ++i)
        if (i == 0 || starts[i] - starts[i - 1] > kSlotTolerance) slot_start.push_back(starts[i]);
    std::vector<double>().swap(starts);
    auto slot_of = [&](double x) {
        auto it = std::upper_bound(slot_start.begin(), slot_start.end(), x);
        return static_cast<size_t>(it - slot_start.begin()) - 1;
    };

    // The right edge of each column in the document: the furthest point at
    // which at least three lines end (full lines of wrapped paragraphs and
    // cells end together; one odd long line must not move the edge).
    std::map<size_t, std::vector<double>> slot_ends;
    for (auto& lines : seg_pages) {
        for (SegLine& l : lines) {
            for (Segment& sg : l.segs) {
                sg.slot = slot_of(sg.x0);
                slot_ends[sg.slot].push_back(sg.x1);
            }
        }
    }
    std::map<size_t, double> slot_edge;
    for (auto& [slot, ends] : slot_ends) {
        std::sort(ends.begin(), ends.end());
        double edge = ends.back();
        for (size_t k = ends.size(); k-- > 2;) {
            if (ends[k] - ends[k - 2] <= kEdgeTolerance) {
                edge = ends[k];
                break;
            }
        }
        slot_edge[slot] = edge;
    }
    slot_ends.clear();

    // Line pitch inside a paragraph or cell (the smallest common pitch, at
    // most a line height) and, below, the pitch between rows with no empty
    // line between them. Both are read off the document: Writer, Calc and
    // Word space lines and table rows differently.
    std::vector<double> pitches, heights;
    for (const auto& lines : seg_pages) {
        for (size_t i = 0; i < lines.size(); ++i) {
            heights.push_back(lines[i].h);
            if (i > 0 && lines[i].top - lines[i - 1].top > kMinPitch * lines[i].h) pitches.push_back(lines[i].top - lines[i - 1].top);
        }
    }
    double median_h = percentile(heights, 0.5, 10);
    double line_pitch = std::min(percentile(pitches, kLinePitchPercentile, median_h), kMaxLinePitch * median_h);

    // Lines closer than this belong to one table or text run (no empty line
    // between them): the lower quartile of the pitches wider than a paragraph's.
    std::vector<double> wider;
    for (double pt : pitches)
        if (pt > kWiderPitch * line_pitch) wider.push_back(pt);
    double run_pitch = percentile(wider, kRunPitchQuartile, 2 * line_pitch) + kRunPitchMargin * line_pitch;
    return Measures{std::move(slot_start), std::move(slot_edge), median_h, line_pitch, run_pitch};
}

// A paragraph, or a row of an unruled table with its wrapped cells.
struct Block {
    std::vector<const SegLine*> lines;
    double pitch_before = 0;  // from the previous block's last line; 0 at a page start
};

// Pass 1: each page's lines into blocks. The pitches between blocks that
// could be rows go to boundary_pitches (for the row pitch).
std::vector<std::vector<Block>> find_blocks(const std::vector<std::vector<SegLine>>& seg_pages, const Measures& m,
                                            std::vector<double>& boundary_pitches) {
    std::vector<std::vector<Block>> page_blocks(seg_pages.size());
    const double median_h = m.median_h, line_pitch = m.line_pitch, run_pitch = m.run_pitch;
    const std::map<size_t, double>& slot_edge = m.slot_edge;
    for (size_t p = 0; p < seg_pages.size(); ++p) {
        const auto& lines = seg_pages[p];

        // Does lines[i] continue `block`? Its lines must be as close as a
        // paragraph's, and every cell it continues must have been full on the
        // line before (a short line ends a paragraph). Full means it reached
        // its column's right edge: in the document (where three lines end
        // together), or around it (two lines of its column end together), or
        // the start of a column to its right in the rows of its table around.
        // (Cell borders, the direct evidence, are graphics, not text.)
        // A line's segments are in x order, so in slot order too.
        auto in_slot = [](const SegLine& l, size_t slot) -> const Segment* {
            auto it = std::lower_bound(l.segs.begin(), l.segs.end(), slot,
                                       [](const Segment& x, size_t v) { return x.slot < v; });
            return it != l.segs.end() && it->slot == slot ? &*it : nullptr;
        };
        auto continues = [&](const std::vector<const SegLine*>& block, size_t i) {
            const SegLine& prev = *block.back();
            const SegLine& next = lines[i];
            double h = std::max(prev.h, next.h);
            double max_pitch = kMaxLeading * line_pitch * std::max(1.0, h / median_h);
            if (next.top - prev.top > max_pitch) return false;
            // The table around: a few lines up and down, no empty line between.
            size_t lo = i - 1, hi = i;
            while (lo > 0 && i - lo < 7 && lines[lo].top - lines[lo - 1].top <= run_pitch) --lo;
            while (hi + 1 < lines.size() && hi - i < 6 && lines[hi + 1].top - lines[hi].top <= run_pitch) ++hi;
            for (const Segment& n : next.segs) {
                const Segment* sp = in_slot(prev, n.slot);
                if (!sp) continue;
                const Segment& s = *sp;
                // A line breaks early only when the next word did not fit;
                // a CJK line may also end a character short (line-start rules).
                double needed = text::starts_cjk(n.text) ? kCjkWrapRoom * h : n.first_word_width + kLatinWrapSpace * h;
                bool full = s.x1 + needed >= slot_edge.at(s.slot);
                // Other lines of this column around it ending together where it
                // ends: the cell's edge, found locally.
                std::vector<double> ends;
                for (size_t k = lo; k <= hi && !full; ++k) {
                    const Segment* o = &lines[k] == &prev ? nullptr : in_slot(lines[k], s.slot);
                    if (o && o->x1 >= s.x1 - kEndSlack * h && o->x1 <= s.x1 + needed) ends.push_back(o->x1);
                }
                std::sort(ends.begin(), ends.end());
                for (size_t k = 1; k < ends.size() && !full; ++k) full = ends[k] - ends[k - 1] <= kAlignedEnds;
                // The start of a column to its right, in rows of the same table
                // (rows with a cell in this column).
                for (size_t k = lo; k <= hi && !full; ++k) {
                    if (!in_slot(lines[k], s.slot)) continue;
                    const auto& segs = lines[k].segs;
                    auto o = std::upper_bound(segs.begin(), segs.end(), s.slot,
                                              [](size_t slot, const Segment& x) { return slot < x.slot; });
                    while (o != segs.end() && o->x0 < s.x1 - kEndSlack * h) ++o;
                    if (o != segs.end() && s.x1 + needed >= o->x0 - kCellGap * h) full = true;
                }
                if (!full) return false;
            }
            return true;
        };

        auto& blocks = page_blocks[p];
        for (size_t i = 0; i < lines.size(); ++i) {
            if (i > 0 && continues(blocks.back().lines, i)) {
                blocks.back().lines.push_back(&lines[i]);
                continue;
            }
            double pitch = i > 0 ? lines[i].top - lines[i - 1].top : 0;
            blocks.push_back(Block{{&lines[i]}, pitch});
            if (pitch > 0 && pitch < kMaxBoundaryPitch * line_pitch) boundary_pitches.push_back(pitch);
        }
    }
    return page_blocks;
}

double round2(double v) { return std::round(v * 100) / 100; }
std::array<double, 4> rounded(const std::array<double, 4>& b) { return {round2(b[0]), round2(b[1]), round2(b[2]), round2(b[3])}; }

// A block's row: its lines' segments joined per slot, so columns line up
// across rows.
std::optional<Error> fill_block_row(Row& row, const Block& block, size_t slot_count) {
    std::map<size_t, std::string> by_slot;
    std::array<double, 4> box{1e9, 1e9, -1e9, -1e9};
    Confidence confidence;
    for (const SegLine* l : block.lines) {
        for (const Segment& sg : l->segs) {
            confidence.add(sg.confidence);
            text::append_line(by_slot[sg.slot], sg.text);
            box = {std::min(box[0], sg.x0), std::min(box[1], sg.top), std::max(box[2], sg.x1), std::max(box[3], sg.bottom)};
        }
    }
    // Cells sit at their slot, so columns line up across rows. With more
    // slots than a row may have cells (no table could), they are packed.
    bool packed = slot_count > kMaxCellsPerRow;
    if (packed && by_slot.size() > kMaxCellsPerRow)
        return Error{ErrorCode::too_many_cells, "more than " + std::to_string(kMaxCellsPerRow) + " cells in a row", 0, row.page};
    row.cells.resize(by_slot.empty() ? 0 : packed ? by_slot.size() : by_slot.rbegin()->first + 1);
    size_t next = 0;
    for (auto& [slot, t] : by_slot) {
        Cell& c = row.cells[packed ? next++ : slot];
        c.text = text::clean(t);
        c.key = text::match_key(c.text);
    }
    row.bbox = rounded(box);
    row.confidence = confidence.mean();
    return std::nullopt;
}

// A row of a drawn table: the grid's cells that open in it (first_cell up
// to end_cell), each with its words' text, box and spans.
void fill_grid_row(Row& row, const Grid& grid, const std::vector<std::vector<const PdfWord*>>& words, size_t first_cell,
                   size_t end_cell) {
    row.cells.resize(static_cast<size_t>(grid.columns()));
    std::array<double, 4> box{1e9, 1e9, -1e9, -1e9};
    Confidence confidence;
    for (size_t c = first_cell; c < end_cell; ++c) {
        const GridCell& gc = grid.cells[c];
        for (const PdfWord* w : words[c]) confidence.add(*w);
        Cell& cell = row.cells[static_cast<size_t>(gc.col)];
        std::string t;
        cell.lines = cell_text(words[c], t);
        cell.text = text::clean(t);
        cell.key = text::match_key(cell.text);
        cell.bbox = rounded(gc.box);
        cell.row_span = gc.row_span;
        cell.col_span = gc.col_span;
        box = {std::min(box[0], gc.box[0]), std::min(box[1], gc.box[1]), std::max(box[2], gc.box[2]), std::max(box[3], gc.box[3])};
    }
    row.bbox = rounded(box);
    row.confidence = confidence.mean();
}

// What goes down a page: blocks and rows of drawn tables, by their tops.
struct Item {
    double top = 0, bottom = 0;
    const Block* block = nullptr;
    size_t grid = 0;
    int grid_row = 0;
    size_t first_cell = 0, end_cell = 0;  // the grid's cells opening in this row
};

// A page's items in their order down the page; its tables are added to
// `tables` (table_index: each grid's index there).
std::vector<Item> page_items(const std::vector<Block>& blocks, const PageTables& pt, int page, std::vector<Table>& tables,
                             std::vector<size_t>& table_index) {
    std::vector<Item> items;
    for (const Block& b : blocks) {
        const SegLine* last = b.lines.back();
        items.push_back(Item{b.lines.front()->top, last->top + last->h, &b, 0, 0, 0, 0});
    }
    table_index.resize(pt.grids.size());
    for (size_t g = 0; g < pt.grids.size(); ++g) {
        const Grid& grid = pt.grids[g];
        table_index[g] = tables.size();
        Table table{page, grid.xs, grid.ys};
        for (double& x : table.columns) x = round2(x);
        for (double& y : table.rows) y = round2(y);
        tables.push_back(std::move(table));
        // Cells are sorted by row: each grid row that opens cells is one run.
        for (size_t c = 0; c < grid.cells.size();) {
            size_t end = c;
            while (end < grid.cells.size() && grid.cells[end].row == grid.cells[c].row) ++end;
            auto r = static_cast<size_t>(grid.cells[c].row);
            items.push_back(Item{grid.ys[r], grid.ys[r + 1], nullptr, g, grid.cells[c].row, c, end});
            c = end;
        }
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.top < b.top; });
    return items;
}

}  // namespace

std::vector<std::string> top_lines(const PdfPage& page, size_t count) {
    std::vector<const PdfWord*> words;
    words.reserve(page.words.size());
    for (const PdfWord& w : page.words) words.push_back(&w);
    std::vector<std::string> out;
    for (const Line& l : build_lines(std::move(words))) {
        if (out.size() >= count) break;
        std::string text = line_text(l);
        if (!is_page_number(text)) out.push_back(text::match_key(text));
    }
    return out;
}

Result<Pages> rows_from_pdf(const ingest::PdfText& pdf, PdfLayoutNotes* notes_out) {
    PdfLayoutNotes notes;
    // Drawn tables first: a word inside a cell belongs to it. The other words
    // are laid out by alignment (stream mode) below.
    std::vector<PageTables> tables;
    std::vector<std::vector<Line>> pages;
    tables.reserve(pdf.pages.size());
    pages.reserve(pdf.pages.size());
    for (const PdfPage& p : pdf.pages) {
        tables.push_back(split_tables(p));
        pages.push_back(build_lines(std::move(tables.back().free)));
    }
    remove_furniture(pages, pdf.pages, notes);

    std::vector<std::vector<SegLine>> seg_pages;
    Measures m = measure(pages, seg_pages);
    const std::vector<double>& slot_start = m.slot_start;
    const double median_h = m.median_h, line_pitch = m.line_pitch;

    std::vector<double> boundary_pitches;
    std::vector<std::vector<Block>> page_blocks = find_blocks(seg_pages, m, boundary_pitches);
    // Rows that follow each other directly are the common case; an empty
    // line between them adds most of a line pitch.
    // With too few boundaries to tell, rows are taken to follow each other
    // like paragraph lines.
    double row_pitch = boundary_pitches.size() < kMinBoundaries ? line_pitch : percentile(boundary_pitches, kRowPitchQuartile, line_pitch);
    double blank_pitch = row_pitch + kBlankLine * line_pitch;

    // Pass 2: one Row per block (cells by slot) and one per row of a drawn
    // table (cells by grid column), in their order down the page; a blank
    // row where the document left an empty line.
    Pages out;
    out.page_count = static_cast<int>(pdf.pages.size());
    int line_no = 0;
    auto push = [&](Row row) -> std::optional<Error> {
        row.line = ++line_no;
        out.rows.push_back(std::move(row));
        if (out.rows.size() > kMaxLines) return Error{ErrorCode::too_many_lines, "more than " + std::to_string(kMaxLines) + " rows"};
        return std::nullopt;
    };
    auto blank = [&](int page) {
        Row blank_row;
        blank_row.page = page;
        blank_row.cells.push_back(Cell{});
        return push(std::move(blank_row));
    };
    for (size_t p = 0; p < page_blocks.size(); ++p) {
        const int page = pdf.first_page + static_cast<int>(p);
        const PageTables& pt = tables[p];
        std::vector<size_t> table_index;
        std::vector<Item> items = page_items(page_blocks[p], pt, page, out.tables, table_index);
        for (size_t k = 0; k < items.size(); ++k) {
            const Item& it = items[k];
            const Item* prev = k > 0 ? &items[k - 1] : nullptr;
            // Between two blocks of text that follow each other, the pitch
            // tells; next to a table, the gap left between them.
            bool stream_pair = prev && prev->block && it.block && prev->block + 1 == it.block;
            bool same_table = prev && !prev->block && !it.block && prev->grid == it.grid;
            bool empty_line = false;
            if (it.block && (!prev || stream_pair))
                empty_line = it.block->pitch_before > blank_pitch || (prev && it.top - prev->bottom > kBlankGapText * median_h);
            else if (prev && !same_table)
                empty_line = it.top - prev->bottom > kBlankGapTable * median_h;
            if (empty_line)
                if (auto e = blank(page)) return *e;
            Row row;
            row.page = page;
            if (it.block) {
                if (auto e = fill_block_row(row, *it.block, slot_start.size())) return *e;
            } else {
                row.table = static_cast<int>(table_index[it.grid]);
                row.table_row = it.grid_row;
                fill_grid_row(row, pt.grids[it.grid], pt.words[it.grid], it.first_cell, it.end_cell);
            }
            if (auto e = push(std::move(row))) return *e;
        }
    }
    if (notes_out) *notes_out = notes;
    return out;
}

}  // namespace hoshin::layout
