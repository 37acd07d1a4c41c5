#include "diff/diff.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "text/normalize.h"

namespace hoshin::diff {

const char* to_string(GoalStatus status) {
    switch (status) {
        case GoalStatus::added: return "added";
        case GoalStatus::removed: return "removed";
        case GoalStatus::modified: return "modified";
        case GoalStatus::unchanged: return "unchanged";
    }
    return "unchanged";
}
namespace {

// A multiset of n-grams as sorted (hash, count) pairs: the goal matrix
// intersects bags n x m times, so they are merged, not looked up.
using Bag = std::vector<std::pair<uint64_t, int>>;

uint64_t fnv1a(std::string_view s) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

Bag make_bag(std::vector<uint64_t> hashes) {
    std::sort(hashes.begin(), hashes.end());
    Bag out;
    for (uint64_t h : hashes) {
        if (!out.empty() && out.back().first == h) ++out.back().second;
        else out.emplace_back(h, 1);
    }
    return out;
}

double dice(const Bag& a, const Bag& b) {
    long na = 0, nb = 0, both = 0;
    for (const auto& [h, n] : a) na += n;
    for (const auto& [h, n] : b) nb += n;
    if (na + nb == 0) return 1.0;
    for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
        if (a[i].first < b[j].first) ++i;
        else if (b[j].first < a[i].first) ++j;
        else both += std::min(a[i++].second, b[j++].second);
    }
    return 2.0 * static_cast<double>(both) / static_cast<double>(na + nb);
}

Bag char_bigrams(const std::string& key) {
    std::vector<std::string> cps = text::code_points(key);
    std::vector<uint64_t> h;
    if (cps.size() == 1) h.push_back(fnv1a(cps[0]));
    for (size_t i = 1; i < cps.size(); ++i) h.push_back(fnv1a(cps[i - 1] + cps[i]));
    return make_bag(std::move(h));
}

Bag word_bigrams(const std::string& key) {
    std::vector<std::string> w = text::words(key);
    std::vector<uint64_t> h;
    if (w.size() == 1) h.push_back(fnv1a(w[0]));
    for (size_t i = 1; i < w.size(); ++i) h.push_back(fnv1a(w[i - 1] + "\x1F" + w[i]));
    return make_bag(std::move(h));
}

std::string joined(const Goal& g) {
    std::string s;
    for (const Target& t : g.targets) s += t.text + "\n";
    for (const Initiative& i : g.initiatives) s += i.text + "\n";
    return s;
}

std::string plan_goal_text(const Goal& g) {
    if (!g.plan_goal) return {};
    std::string s = g.plan_goal->number ? "(" + std::to_string(*g.plan_goal->number) + ")" : std::string();
    if (g.plan_goal->title) s += (s.empty() ? "" : " ") + *g.plan_goal->title;
    return s;
}

std::optional<std::string> nonempty(std::string s) { return s.empty() ? std::nullopt : std::optional<std::string>(std::move(s)); }

// A text's features, computed once: the goal matrix compares every pair.
struct Features {
    std::string key;
    Bag chars, words;
};

Features features(std::string_view text) {
    Features f;
    f.key = text::match_key(text);
    f.chars = char_bigrams(f.key);
    f.words = word_bigrams(f.key);
    return f;
}

double similarity(const Features& a, const Features& b) {
    if (a.key.empty() && b.key.empty()) return 1.0;
    if (a.key.empty() || b.key.empty()) return 0.0;
    if (a.key == b.key) return 1.0;
    return 0.5 * dice(a.chars, b.chars) + 0.5 * dice(a.words, b.words);
}

struct GoalFeatures {
    Features title, content;
    std::string field, plan;
};

GoalFeatures goal_features(const Goal& g) {
    return GoalFeatures{features(g.title), features(joined(g)), text::match_key(g.field.value_or("")), text::match_key(plan_goal_text(g))};
}

double goal_similarity(const GoalFeatures& a, const GoalFeatures& b) {
    double context = (a.field == b.field ? 0.5 : 0.0) + (a.plan == b.plan ? 0.5 : 0.0);
    return 0.5 * similarity(a.title, b.title) + 0.4 * similarity(a.content, b.content) + 0.1 * context;
}

void text_change(std::vector<FieldChange>& out, const std::string& field, const std::optional<std::string>& a,
                 const std::optional<std::string>& b, bool inline_ops = true) {
    if (same_text(a, b)) return;
    FieldChange c{field, a, b, {}};
    if (inline_ops && a && b) c.inline_ops = inline_diff(*a, *b);
    out.push_back(std::move(c));
}

// Targets or initiatives: matched by their text the same way goals are.
template <class T, class Text, class Fields>
void list_changes(std::vector<FieldChange>& out, const std::string& name, const std::vector<T>& a, const std::vector<T>& b,
                  Text text_of, Fields fields) {
    std::vector<Features> fa, fb;
    for (const T& x : a) fa.push_back(features(text_of(x)));
    for (const T& x : b) fb.push_back(features(text_of(x)));
    std::vector<std::vector<double>> score(a.size(), std::vector<double>(b.size()));
    for (size_t i = 0; i < a.size(); ++i)
        for (size_t j = 0; j < b.size(); ++j) score[i][j] = similarity(fa[i], fb[j]);
    std::vector<int> match = assign(score, kItemMatchThreshold);
    std::vector<bool> taken(b.size(), false);
    for (size_t i = 0; i < a.size(); ++i) {
        if (match[i] < 0) {
            out.push_back(FieldChange{name + "[" + std::to_string(i + 1) + "]", text_of(a[i]), std::nullopt, {}});
            continue;
        }
        size_t j = static_cast<size_t>(match[i]);
        taken[j] = true;
        fields(out, name + "[" + std::to_string(j + 1) + "]", a[i], b[j]);
    }
    for (size_t j = 0; j < b.size(); ++j)
        if (!taken[j]) out.push_back(FieldChange{name + "[" + std::to_string(j + 1) + "]", std::nullopt, text_of(b[j]), {}});
}

std::string divisions_text(const Initiative& i) {
    std::string s;
    for (const std::string& d : i.divisions) s += (s.empty() ? "" : "\xE3\x80\x81") + d;  // ideographic comma
    return s;
}

// Every field of a goal found on one side only, so an added or removed goal
// is shown whole: `added` puts the values on the new side.
std::vector<FieldChange> whole_goal(const Goal& g, bool added) {
    std::vector<FieldChange> out;
    auto put = [&](const std::string& field, const std::optional<std::string>& v) {
        if (!v || v->empty()) return;
        out.push_back(added ? FieldChange{field, std::nullopt, v, {}} : FieldChange{field, v, std::nullopt, {}});
    };
    put("title", g.title);
    put("field", g.field);
    put("plan_goal", nonempty(plan_goal_text(g)));
    put("summary_grade", g.summary_grade);
    for (size_t i = 0; i < g.targets.size(); ++i) {
        std::string at = "targets[" + std::to_string(i + 1) + "]";
        put(at, g.targets[i].text);
        put(at + ".status", g.targets[i].status);
        put(at + ".grade", g.targets[i].grade);
    }
    for (size_t i = 0; i < g.initiatives.size(); ++i) {
        std::string at = "initiatives[" + std::to_string(i + 1) + "]";
        put(at, g.initiatives[i].text);
        put(at + ".divisions", nonempty(divisions_text(g.initiatives[i])));
        put(at + ".results", g.initiatives[i].results);
    }
    put("evaluation.summary", g.evaluation.summary);
    put("evaluation.grade", g.evaluation.grade);
    put("next_steps", g.next_steps);
    return out;
}

std::string key_of(const std::optional<std::string>& s) { return s ? text::match_key(*s) : std::string(); }

// Sides that name different things (both named, keys differ).
bool differ(const std::optional<std::string>& a, const std::optional<std::string>& b) {
    return a && b && key_of(a) != key_of(b);
}

std::vector<Warning> side_warnings(const Side& a, const Side& b) {
    std::vector<Warning> w;
    const Municipality &ma = a.municipality, &mb = b.municipality;
    if ((ma.code && mb.code) ? *ma.code != *mb.code : differ(ma.name, mb.name)) {
        std::string x = ma.name.value_or(ma.code.value_or("")), y = mb.name.value_or(mb.code.value_or(""));
        w.push_back(Warning{"different-municipalities", "the editions are of different municipalities (" + x + ", " + y + ")", {x, y}});
    }
    if (differ(a.department, b.department))
        w.push_back(Warning{"different-departments",
                            "the editions are of different departments (" + *a.department + ", " + *b.department + ")",
                            {*a.department, *b.department}});
    if (a.fiscal_year && b.fiscal_year && b.fiscal_year->gregorian < a.fiscal_year->gregorian)
        w.push_back(Warning{"new-older-than-old",
                            "NEW (" + b.fiscal_year->label + ") is older than OLD (" + a.fiscal_year->label + ")",
                            {b.fiscal_year->label, a.fiscal_year->label}});
    return w;
}


std::vector<FieldChange> goal_changes(const Goal& a, const Goal& b) {
    std::vector<FieldChange> out;
    text_change(out, "title", a.title, b.title);
    text_change(out, "field", a.field, b.field);
    text_change(out, "plan_goal", nonempty(plan_goal_text(a)), nonempty(plan_goal_text(b)));
    text_change(out, "summary_grade", a.summary_grade, b.summary_grade, false);
    list_changes(out, "targets", a.targets, b.targets, [](const Target& t) { return t.text; },
                 [](std::vector<FieldChange>& o, const std::string& at, const Target& x, const Target& y) {
                     text_change(o, at + ".text", x.text, y.text);
                     text_change(o, at + ".status", x.status, y.status);
                     text_change(o, at + ".grade", x.grade, y.grade, false);
                 });
    list_changes(out, "initiatives", a.initiatives, b.initiatives, [](const Initiative& i) { return i.text; },
                 [](std::vector<FieldChange>& o, const std::string& at, const Initiative& x, const Initiative& y) {
                     auto divs = [](const Initiative& i) { return nonempty(divisions_text(i)); };
                     text_change(o, at + ".text", x.text, y.text);
                     text_change(o, at + ".divisions", divs(x), divs(y), false);
                     text_change(o, at + ".results", x.results, y.results);
                 });
    text_change(out, "evaluation.summary", a.evaluation.summary, b.evaluation.summary);
    text_change(out, "evaluation.grade", a.evaluation.grade, b.evaluation.grade, false);
    text_change(out, "next_steps", a.next_steps, b.next_steps);
    return out;
}

}  // namespace

bool same_text(const std::optional<std::string>& a, const std::optional<std::string>& b) {
    if (!a || !b) return !a && !b;
    return text::match_key(*a) == text::match_key(*b);
}

double similarity(std::string_view a, std::string_view b) { return similarity(features(a), features(b)); }

Side side_of(const Document& d) { return Side{d.source, d.title, d.fiscal_year, d.department.name, d.municipality}; }

std::string department_key(const Document& d) {
    std::string m = d.municipality.code ? *d.municipality.code : key_of(d.municipality.name);
    return m + "/" + key_of(d.department.name);
}

std::vector<int> assign(const std::vector<std::vector<double>>& score, double threshold) {
    size_t rows = score.size(), cols = rows ? score[0].size() : 0;
    size_t n = std::max(rows, cols);
    std::vector<int> result(rows, -1);
    if (n == 0) return result;
    // Hungarian method (potentials, O(n^3)) minimising 1 - score on a square matrix.
    auto cost = [&](size_t i, size_t j) { return i < rows && j < cols ? 1.0 - score[i][j] : 1.0; };
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> u(n + 1), v(n + 1);
    std::vector<size_t> p(n + 1), way(n + 1);
    for (size_t i = 1; i <= n; ++i) {
        p[0] = i;
        size_t j0 = 0;
        std::vector<double> minv(n + 1, inf);
        std::vector<bool> used(n + 1, false);
        do {
            used[j0] = true;
            size_t i0 = p[j0], j1 = 0;
            double delta = inf;
            for (size_t j = 1; j <= n; ++j) {
                if (used[j]) continue;
                double cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                if (cur < minv[j]) minv[j] = cur, way[j] = j0;
                if (minv[j] < delta) delta = minv[j], j1 = j;
            }
            for (size_t j = 0; j <= n; ++j) {
                if (used[j]) u[p[j]] += delta, v[j] -= delta;
                else minv[j] -= delta;
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            size_t j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    for (size_t j = 1; j <= n; ++j) {
        size_t i = p[j] - 1, c = j - 1;
        if (i < rows && c < cols && score[i][c] >= threshold) result[i] = static_cast<int>(c);
    }
    return result;
}

std::vector<InlineOp> inline_diff(std::string_view old_text, std::string_view new_text) {
    std::vector<std::string> a = text::word_segments(old_text), b = text::word_segments(new_text);
    std::vector<std::string> ka, kb;
    for (const auto& s : a) ka.push_back(text::match_key(s));
    for (const auto& s : b) kb.push_back(text::match_key(s));
    // LCS table over segments (texts of one field are short).
    std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
    for (size_t i = a.size(); i-- > 0;)
        for (size_t j = b.size(); j-- > 0;)
            lcs[i][j] = ka[i] == kb[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    std::vector<InlineOp> ops;
    auto push = [&](InlineOp::Kind k, const std::string& s) {
        if (!ops.empty() && ops.back().kind == k) ops.back().text += s;
        else ops.push_back(InlineOp{k, s});
    };
    size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (i < a.size() && j < b.size() && ka[i] == kb[j]) {
            push(InlineOp::Kind::equal, b[j]);
            ++i, ++j;
        } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
            push(InlineOp::Kind::remove, a[i++]);
        } else {
            push(InlineOp::Kind::insert, b[j++]);
        }
    }
    // The walk can still alternate inside one run of changes; each run is
    // given as its whole deletion, then its whole insertion.
    std::vector<InlineOp> out;
    for (size_t k = 0; k < ops.size();) {
        if (ops[k].kind == InlineOp::Kind::equal) {
            out.push_back(std::move(ops[k++]));
            continue;
        }
        InlineOp del{InlineOp::Kind::remove, {}}, ins{InlineOp::Kind::insert, {}};
        for (; k < ops.size() && ops[k].kind != InlineOp::Kind::equal; ++k)
            (ops[k].kind == InlineOp::Kind::remove ? del : ins).text += ops[k].text;
        if (!del.text.empty()) out.push_back(std::move(del));
        if (!ins.text.empty()) out.push_back(std::move(ins));
    }
    return out;
}

DocumentDiff diff(const Document& old_doc, const Document& new_doc) {
    DocumentDiff d;
    d.old_side = side_of(old_doc);
    d.new_side = side_of(new_doc);
    const auto& A = old_doc.goals;
    const auto& B = new_doc.goals;
    std::vector<GoalFeatures> fa, fb;
    for (const Goal& g : A) fa.push_back(goal_features(g));
    for (const Goal& g : B) fb.push_back(goal_features(g));
    std::vector<std::vector<double>> score(A.size(), std::vector<double>(B.size()));
    for (size_t i = 0; i < A.size(); ++i)
        for (size_t j = 0; j < B.size(); ++j) score[i][j] = goal_similarity(fa[i], fb[j]);
    std::vector<int> match = assign(score, kMatchThreshold);
    std::vector<bool> taken(B.size(), false);
    std::vector<GoalDiff> matched, removed;
    for (size_t i = 0; i < A.size(); ++i) {
        GoalDiff g;
        g.old_number = A[i].number;
        g.old_title.emplace(A[i].title);  // emplace: GCC 12 warns (falsely) on assigning a disengaged optional
        g.old_provenance = A[i].provenance;
        if (match[i] < 0) {
            g.status = GoalStatus::removed;
            g.changes = whole_goal(A[i], false);
            removed.push_back(std::move(g));
            continue;
        }
        size_t j = static_cast<size_t>(match[i]);
        taken[j] = true;
        g.new_number = B[j].number;
        g.new_title.emplace(B[j].title);
        g.new_provenance = B[j].provenance;
        g.similarity = std::round(score[i][j] * 1000) / 1000;
        g.changes = goal_changes(A[i], B[j]);
        g.status = g.changes.empty() ? GoalStatus::unchanged : GoalStatus::modified;
        matched.push_back(std::move(g));
    }
    for (size_t j = 0; j < B.size(); ++j) {
        if (taken[j]) continue;
        GoalDiff g;
        g.status = GoalStatus::added;
        g.new_number = B[j].number;
        g.new_title.emplace(B[j].title);
        g.new_provenance = B[j].provenance;
        g.changes = whole_goal(B[j], true);
        matched.push_back(std::move(g));
    }
    std::stable_sort(matched.begin(), matched.end(), [](const GoalDiff& x, const GoalDiff& y) { return x.new_number < y.new_number; });
    d.goals = std::move(matched);
    for (GoalDiff& g : removed) d.goals.push_back(std::move(g));
    for (const GoalDiff& g : d.goals) {
        if (g.status == GoalStatus::added) ++d.added;
        else if (g.status == GoalStatus::removed) ++d.removed;
        else if (g.status == GoalStatus::modified) ++d.modified;
        else ++d.unchanged;
        if (g.renumbered()) ++d.renumbered;
    }
    d.warnings = side_warnings(d.old_side, d.new_side);
    return d;
}

}  // namespace hoshin::diff
