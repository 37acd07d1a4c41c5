#include "layout/lattice.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <numeric>

#include "layout/rows.h"

namespace hoshin::layout {
namespace {

// A merged rule: at `pos` across its direction, from `lo` to `hi` along it.
struct Rule {
    double pos = 0, lo = 0, hi = 0;
};

struct Disjoint {
    std::vector<size_t> parent;
    explicit Disjoint(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
    size_t find(size_t i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    }
    void join(size_t a, size_t b) {
        a = find(a), b = find(b);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
};

// Rules within kRuleSnap of each other across their direction become one
// line at their mean position; pieces along it that overlap or nearly meet
// become one rule.
std::vector<Rule> merge(std::vector<Rule> rules) {
    std::sort(rules.begin(), rules.end(), [](const Rule& a, const Rule& b) {
        return a.pos != b.pos ? a.pos < b.pos : a.lo < b.lo;
    });
    std::vector<Rule> out;
    for (size_t i = 0; i < rules.size();) {
        size_t j = i + 1;
        double sum = rules[i].pos;
        while (j < rules.size() && rules[j].pos - rules[j - 1].pos <= kRuleSnap && rules[j].pos - rules[i].pos <= 2 * kRuleSnap) {
            sum += rules[j].pos;
            ++j;
        }
        double pos = sum / static_cast<double>(j - i);
        std::vector<Rule> line(rules.begin() + static_cast<std::ptrdiff_t>(i), rules.begin() + static_cast<std::ptrdiff_t>(j));
        std::sort(line.begin(), line.end(), [](const Rule& a, const Rule& b) { return a.lo < b.lo; });
        Rule cur{pos, line[0].lo, line[0].hi};
        for (size_t k = 1; k < line.size(); ++k) {
            if (line[k].lo <= cur.hi + kRuleJoin) {
                cur.hi = std::max(cur.hi, line[k].hi);
            } else {
                out.push_back(cur);
                cur = Rule{pos, line[k].lo, line[k].hi};
            }
        }
        out.push_back(cur);
        i = j;
    }
    return out;
}

// Positions within kRuleSnap of each other, as one (their mean).
std::vector<double> boundaries(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    std::vector<double> out;
    for (size_t i = 0; i < v.size();) {
        size_t j = i + 1;
        double sum = v[i];
        while (j < v.size() && v[j] - v[j - 1] <= kRuleSnap) sum += v[j++];
        out.push_back(sum / static_cast<double>(j - i));
        i = j;
    }
    return out;
}

bool meet(const Rule& h, const Rule& v) {
    return v.pos >= h.lo - kRuleJoin && v.pos <= h.hi + kRuleJoin && h.pos >= v.lo - kRuleJoin && h.pos <= v.hi + kRuleJoin;
}

// Whether the rules along one boundary cover at least kSideCoverage of [lo, hi].
bool drawn(const std::vector<const Rule*>& along, double lo, double hi) {
    double covered = 0;
    for (const Rule* r : along) covered += std::max(0.0, std::min(hi, r->hi) - std::max(lo, r->lo));
    return covered >= kSideCoverage * (hi - lo);
}

// The rules on each boundary (those within kRuleSnap of it).
std::vector<std::vector<const Rule*>> by_boundary(const std::vector<const Rule*>& rules, const std::vector<double>& at) {
    std::vector<std::vector<const Rule*>> out(at.size());
    for (const Rule* r : rules) {
        auto it = std::lower_bound(at.begin(), at.end(), r->pos - kRuleSnap);
        for (; it != at.end() && *it <= r->pos + kRuleSnap; ++it) out[static_cast<size_t>(it - at.begin())].push_back(r);
    }
    return out;
}

// One table: the rules of one group that meet each other.
std::optional<Grid> grid_of(const std::vector<const Rule*>& hs, const std::vector<const Rule*>& vs) {
    Grid g;
    std::vector<double> x, y;
    for (const Rule* v : vs) x.push_back(v->pos);
    for (const Rule* h : hs) y.push_back(h->pos);
    g.xs = boundaries(std::move(x));
    g.ys = boundaries(std::move(y));
    if (g.xs.size() < 2 || g.ys.size() < 2 || g.xs.size() - 1 > kMaxCellsPerRow) return std::nullopt;
    const size_t nc = g.xs.size() - 1, nr = g.ys.size() - 1;
    // Which sides of each grid square are drawn.
    auto on_x = by_boundary(vs, g.xs), on_y = by_boundary(hs, g.ys);
    auto v_side = [&](size_t r, size_t c) { return drawn(on_x[c], g.ys[r], g.ys[r + 1]); };  // left of column c
    auto h_side = [&](size_t r, size_t c) { return drawn(on_y[r], g.xs[c], g.xs[c + 1]); };  // top of row r
    std::vector<char> left((nc + 1) * nr), top(nc * (nr + 1));
    for (size_t r = 0; r < nr; ++r)
        for (size_t c = 0; c <= nc; ++c) left[r * (nc + 1) + c] = v_side(r, c);
    for (size_t r = 0; r <= nr; ++r)
        for (size_t c = 0; c < nc; ++c) top[r * nc + c] = h_side(r, c);
    // Squares with no side drawn between them are one region.
    Disjoint regions(nr * nc);
    for (size_t r = 0; r < nr; ++r) {
        for (size_t c = 0; c < nc; ++c) {
            if (c + 1 < nc && !left[r * (nc + 1) + c + 1]) regions.join(r * nc + c, r * nc + c + 1);
            if (r + 1 < nr && !top[(r + 1) * nc + c]) regions.join(r * nc + c, (r + 1) * nc + c);
        }
    }
    struct Extent {
        size_t r0 = SIZE_MAX, c0 = SIZE_MAX, r1 = 0, c1 = 0, squares = 0;
    };
    std::vector<Extent> extent(nr * nc);
    for (size_t r = 0; r < nr; ++r) {
        for (size_t c = 0; c < nc; ++c) {
            Extent& e = extent[regions.find(r * nc + c)];
            e.r0 = std::min(e.r0, r), e.c0 = std::min(e.c0, c), e.r1 = std::max(e.r1, r), e.c1 = std::max(e.c1, c);
            ++e.squares;
        }
    }
    for (size_t id = 0; id < extent.size(); ++id) {
        const Extent& e = extent[id];
        if (e.squares == 0) continue;
        // A cell is a closed rectangle: an open region is outside the table
        // (beside a shorter row, or an undrawn gap between two tables).
        if (e.squares != (e.r1 - e.r0 + 1) * (e.c1 - e.c0 + 1)) continue;
        bool closed = true;
        for (size_t c = e.c0; c <= e.c1 && closed; ++c) closed = top[e.r0 * nc + c] && top[(e.r1 + 1) * nc + c];
        for (size_t r = e.r0; r <= e.r1 && closed; ++r) closed = left[r * (nc + 1) + e.c0] && left[r * (nc + 1) + e.c1 + 1];
        if (!closed) continue;
        GridCell cell;
        cell.row = static_cast<int>(e.r0), cell.col = static_cast<int>(e.c0);
        cell.row_span = static_cast<int>(e.r1 - e.r0 + 1), cell.col_span = static_cast<int>(e.c1 - e.c0 + 1);
        cell.box = {g.xs[e.c0], g.ys[e.r0], g.xs[e.c1 + 1], g.ys[e.r1 + 1]};
        g.cells.push_back(cell);
    }
    if (g.cells.size() < 2) return std::nullopt;  // a frame, not a table
    std::sort(g.cells.begin(), g.cells.end(), [](const GridCell& a, const GridCell& b) {
        return a.row != b.row ? a.row < b.row : a.col < b.col;
    });
    g.owner.assign(nr * nc, -1);
    for (size_t k = 0; k < g.cells.size(); ++k) {
        const GridCell& c = g.cells[k];
        for (int r = c.row; r < c.row + c.row_span; ++r)
            for (int col = c.col; col < c.col + c.col_span; ++col) g.owner[static_cast<size_t>(r) * nc + static_cast<size_t>(col)] = static_cast<int>(k);
    }
    return g;
}

}  // namespace

int Grid::cell_at(double x, double y) const {
    if (xs.size() < 2 || ys.size() < 2 || x < xs.front() || x > xs.back() || y < ys.front() || y > ys.back()) return -1;
    auto index = [](const std::vector<double>& v, double p) {
        size_t i = static_cast<size_t>(std::upper_bound(v.begin(), v.end(), p) - v.begin());
        return std::min(i == 0 ? 0 : i - 1, v.size() - 2);
    };
    return owner[index(ys, y) * (xs.size() - 1) + index(xs, x)];
}

std::vector<Grid> find_grids(const std::vector<ingest::PdfRule>& rules) {
    if (rules.size() > ingest::kMaxRulesPerPage) return {};
    std::vector<Rule> h_in, v_in;
    for (const ingest::PdfRule& r : rules) {
        if (r.horizontal()) h_in.push_back(Rule{r.y0, r.x0, r.x1});
        else v_in.push_back(Rule{r.x0, r.y0, r.y1});
    }
    std::vector<Rule> hs = merge(std::move(h_in)), vs = merge(std::move(v_in));
    // Tables: groups of rules that meet.
    Disjoint groups(hs.size() + vs.size());
    for (size_t i = 0; i < hs.size(); ++i)
        for (size_t j = 0; j < vs.size(); ++j)
            if (meet(hs[i], vs[j])) groups.join(i, hs.size() + j);
    std::vector<std::vector<const Rule*>> group_h(hs.size() + vs.size()), group_v(hs.size() + vs.size());
    for (size_t i = 0; i < hs.size(); ++i) group_h[groups.find(i)].push_back(&hs[i]);
    for (size_t j = 0; j < vs.size(); ++j) group_v[groups.find(hs.size() + j)].push_back(&vs[j]);
    std::vector<Grid> out;
    for (size_t id = 0; id < group_h.size(); ++id) {
        if (group_h[id].size() < 2 || group_v[id].size() < 2) continue;
        if (auto g = grid_of(group_h[id], group_v[id])) out.push_back(std::move(*g));
    }
    std::sort(out.begin(), out.end(), [](const Grid& a, const Grid& b) {
        return a.ys.front() != b.ys.front() ? a.ys.front() < b.ys.front() : a.xs.front() < b.xs.front();
    });
    return out;
}

}  // namespace hoshin::layout
