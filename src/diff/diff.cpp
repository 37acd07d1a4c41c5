#include "diff/diff.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "text/normalize.h"

namespace hoshin::diff {
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
    std::vector<int> match = assign(score, 0.3);
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
                     auto divs = [](const Initiative& i) {
                         std::string s;
                         for (const std::string& d : i.divisions) s += (s.empty() ? "" : "\xE3\x80\x81") + d;  // ideographic comma
                         return nonempty(s);
                     };
                     text_change(o, at + ".text", x.text, y.text);
                     text_change(o, at + ".divisions", divs(x), divs(y), false);
                     text_change(o, at + ".results", x.results, y.results);
                 });
    text_change(out, "evaluation.summary", a.evaluation.summary, b.evaluation.summary);
    text_change(out, "evaluation.grade", a.evaluation.grade, b.evaluation.grade, false);
    text_change(out, "next_steps", a.next_steps, b.next_steps);
    return out;
}

Side side(const Document& d) { return Side{d.source, d.title, d.fiscal_year, d.department.name}; }

bool is_grade_field(const std::string& field) {
    return field == "summary_grade" || field == "evaluation.grade" ||
           (field.size() > 6 && field.compare(field.size() - 6, 6, ".grade") == 0);
}

}  // namespace

bool same_text(const std::optional<std::string>& a, const std::optional<std::string>& b) {
    if (!a || !b) return !a && !b;
    return text::match_key(*a) == text::match_key(*b);
}

double similarity(std::string_view a, std::string_view b) { return similarity(features(a), features(b)); }

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
        } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
            push(InlineOp::Kind::insert, b[j++]);
        } else {
            push(InlineOp::Kind::remove, a[i++]);
        }
    }
    return ops;
}

DocumentDiff diff(const Document& old_doc, const Document& new_doc) {
    DocumentDiff d;
    d.old_side = side(old_doc);
    d.new_side = side(new_doc);
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
            g.status = "removed";
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
        g.status = g.changes.empty() ? "unchanged" : "modified";
        matched.push_back(std::move(g));
    }
    for (size_t j = 0; j < B.size(); ++j) {
        if (taken[j]) continue;
        GoalDiff g;
        g.status = "added";
        g.new_number = B[j].number;
        g.new_title.emplace(B[j].title);
        g.new_provenance = B[j].provenance;
        matched.push_back(std::move(g));
    }
    std::stable_sort(matched.begin(), matched.end(), [](const GoalDiff& x, const GoalDiff& y) { return x.new_number < y.new_number; });
    d.goals = std::move(matched);
    for (GoalDiff& g : removed) d.goals.push_back(std::move(g));
    for (const GoalDiff& g : d.goals) {
        if (g.status == "added") ++d.added;
        else if (g.status == "removed") ++d.removed;
        else if (g.status == "modified") ++d.modified;
        else ++d.unchanged;
    }
    return d;
}

std::string to_json(const DocumentDiff& d) {
    using nlohmann::ordered_json;
    auto opt = [](const std::optional<std::string>& s) { return s ? ordered_json(*s) : ordered_json(nullptr); };
    auto opt_int = [](const std::optional<int>& v) { return v ? ordered_json(*v) : ordered_json(nullptr); };
    auto prov = [](const std::optional<Provenance>& p) {
        if (!p) return ordered_json(nullptr);
        ordered_json j = {{"page", p->page}, {"line_start", p->line_start}, {"line_end", p->line_end}};
        j["bbox"] = p->bbox ? ordered_json::array({(*p->bbox)[0], (*p->bbox)[1], (*p->bbox)[2], (*p->bbox)[3]}) : ordered_json(nullptr);
        return j;
    };
    auto side_json = [&](const Side& s) {
        ordered_json j;
        j["source"] = {{"path", s.source.path}, {"format", s.source.format}, {"sha256", s.source.sha256}};
        j["title"] = opt(s.title);
        j["fiscal_year"] = s.fiscal_year ? ordered_json{{"label", s.fiscal_year->label}, {"gregorian", s.fiscal_year->gregorian}} : ordered_json(nullptr);
        j["department"] = opt(s.department);
        return j;
    };
    ordered_json j;
    j["schema_version"] = kDiffSchemaVersion;
    j["old"] = side_json(d.old_side);
    j["new"] = side_json(d.new_side);
    ordered_json grade_moves = ordered_json::array();
    for (const GoalDiff& g : d.goals)
        for (const FieldChange& c : g.changes)
            if (is_grade_field(c.field))
                grade_moves.push_back({{"old_number", opt_int(g.old_number)}, {"new_number", opt_int(g.new_number)},
                                       {"field", c.field}, {"old", opt(c.old_value)}, {"new", opt(c.new_value)}});
    j["summary"] = {{"added", d.added}, {"removed", d.removed}, {"modified", d.modified}, {"unchanged", d.unchanged},
                    {"grade_changes", grade_moves}};
    j["goals"] = ordered_json::array();
    for (const GoalDiff& g : d.goals) {
        ordered_json gj;
        gj["status"] = g.status;
        gj["old_number"] = opt_int(g.old_number);
        gj["new_number"] = opt_int(g.new_number);
        gj["old_title"] = opt(g.old_title);
        gj["new_title"] = opt(g.new_title);
        gj["similarity"] = g.status == "added" || g.status == "removed" ? ordered_json(nullptr) : ordered_json(g.similarity);
        gj["changes"] = ordered_json::array();
        for (const FieldChange& c : g.changes) {
            ordered_json cj = {{"field", c.field}, {"old", opt(c.old_value)}, {"new", opt(c.new_value)}};
            if (c.inline_ops.empty()) {
                cj["inline"] = nullptr;
            } else {
                cj["inline"] = ordered_json::array();
                for (const InlineOp& op : c.inline_ops)
                    cj["inline"].push_back({{"op", op.kind == InlineOp::Kind::equal ? "equal" : op.kind == InlineOp::Kind::insert ? "insert" : "delete"},
                                            {"text", op.text}});
            }
            gj["changes"].push_back(cj);
        }
        gj["old_provenance"] = prov(g.old_provenance);
        gj["new_provenance"] = prov(g.new_provenance);
        j["goals"].push_back(gj);
    }
    return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string to_text(const DocumentDiff& d, bool color) {
    auto paint = [&](const char* code, const std::string& s) { return color ? std::string("\033[") + code + "m" + s + "\033[0m" : s; };
    auto label = [](const Side& s) {
        std::string out = s.department.value_or("?");
        if (s.fiscal_year) out += " " + s.fiscal_year->label;
        return out + " (" + s.source.path + ")";
    };
    std::string out = "--- " + label(d.old_side) + "\n+++ " + label(d.new_side) + "\n";
    out += "goals: " + std::to_string(d.added) + " added, " + std::to_string(d.removed) + " removed, " +
           std::to_string(d.modified) + " modified, " + std::to_string(d.unchanged) + " unchanged\n";
    for (const GoalDiff& g : d.goals) {
        std::string num = (g.old_number ? std::to_string(*g.old_number) : "-") + " -> " + (g.new_number ? std::to_string(*g.new_number) : "-");
        const char* mark = g.status == "added" ? "+" : g.status == "removed" ? "-" : g.status == "modified" ? "~" : "=";
        const char* col = g.status == "added" ? "32" : g.status == "removed" ? "31" : g.status == "modified" ? "33" : "0";
        out += paint(col, std::string(mark) + " goal " + num + " " + g.status) + "  " + (g.new_title ? *g.new_title : g.old_title.value_or("")) + "\n";
        for (const FieldChange& c : g.changes) {
            out += "    " + c.field + ": ";
            if (!c.inline_ops.empty()) {
                for (const InlineOp& op : c.inline_ops) {
                    if (op.kind == InlineOp::Kind::equal) out += op.text;
                    else if (op.kind == InlineOp::Kind::insert) out += paint("32", "{+" + op.text + "+}");
                    else out += paint("31", "[-" + op.text + "-]");
                }
            } else {
                out += paint("31", c.old_value.value_or("(none)")) + " -> " + paint("32", c.new_value.value_or("(none)"));
            }
            out += "\n";
        }
    }
    return out;
}

}  // namespace hoshin::diff

namespace hoshin::diff {
namespace {

std::string html_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string side_label(const Side& s) {
    std::string out = s.department.value_or("?");
    if (s.fiscal_year) out += " " + s.fiscal_year->label;
    return out;
}

// A link to the goal's page in its PDF, when the source is one.
std::string page_link(const Side& s, const std::optional<Provenance>& p) {
    if (!p || s.source.format != "pdf") return {};
    return " <a class=\"page\" href=\"" + html_escape(s.source.path) + "#page=" + std::to_string(p->page) + "\">p." +
           std::to_string(p->page) + "</a>";
}

}  // namespace

std::string to_html(const DocumentDiff& d) {
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>hoshin diff: " +
         html_escape(side_label(d.old_side)) + " / " + html_escape(side_label(d.new_side)) + "</title>\n";
    h += "<style>\n"
         "body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;width:100%}"
         "td,th{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}"
         "th{background:#f3f3f3}.added{background:#e8f7e8}.removed{background:#fbe9e9}.modified{background:#fff8e1}"
         "ins{background:#b7ecb7;text-decoration:none}del{background:#f5b5b5}"
         ".grade{display:inline-block;padding:0 .4em;border-radius:.3em;font-weight:bold;background:#ddd}"
         ".up{background:#8bd48b}.down{background:#f19c9c}.status{font-weight:bold}.field{color:#555;font-size:.9em}"
         "\n</style>\n</head>\n<body>\n";
    h += "<h1>" + html_escape(side_label(d.old_side)) + " &rarr; " + html_escape(side_label(d.new_side)) + "</h1>\n";
    h += "<p id=\"summary\">goals: <span id=\"added\">" + std::to_string(d.added) + "</span> added, <span id=\"removed\">" +
         std::to_string(d.removed) + "</span> removed, <span id=\"modified\">" + std::to_string(d.modified) +
         "</span> modified, <span id=\"unchanged\">" + std::to_string(d.unchanged) + "</span> unchanged</p>\n";
    h += "<table>\n<tr><th>status</th><th>" + html_escape(side_label(d.old_side)) + " (" + html_escape(d.old_side.source.path) +
         ")</th><th>" + html_escape(side_label(d.new_side)) + " (" + html_escape(d.new_side.source.path) + ")</th></tr>\n";
    for (const GoalDiff& g : d.goals) {
        h += "<tr class=\"goal " + g.status + "\" data-old=\"" + (g.old_number ? std::to_string(*g.old_number) : "") +
             "\" data-new=\"" + (g.new_number ? std::to_string(*g.new_number) : "") + "\">";
        h += "<td class=\"status\">" + g.status + "</td>";
        h += "<td>" + (g.old_number ? std::to_string(*g.old_number) + ". " + html_escape(g.old_title.value_or("")) + page_link(d.old_side, g.old_provenance) : "") + "</td>";
        h += "<td>" + (g.new_number ? std::to_string(*g.new_number) + ". " + html_escape(g.new_title.value_or("")) + page_link(d.new_side, g.new_provenance) : "") + "</td></tr>\n";
        for (const FieldChange& c : g.changes) {
            h += "<tr class=\"change\"><td class=\"field\">" + html_escape(c.field) + "</td>";
            if (is_grade_field(c.field)) {
                std::string o = c.old_value.value_or("-"), n = c.new_value.value_or("-");
                const char* dir = c.old_value && c.new_value ? (*c.new_value < *c.old_value ? "up" : "down") : "";
                h += "<td><span class=\"grade\">" + html_escape(o) + "</span></td><td><span class=\"grade " + dir + "\">" +
                     html_escape(n) + "</span></td></tr>\n";
                continue;
            }
            std::string left, right;
            if (!c.inline_ops.empty()) {
                for (const InlineOp& op : c.inline_ops) {
                    if (op.kind != InlineOp::Kind::insert) left += op.kind == InlineOp::Kind::remove ? "<del>" + html_escape(op.text) + "</del>" : html_escape(op.text);
                    if (op.kind != InlineOp::Kind::remove) right += op.kind == InlineOp::Kind::insert ? "<ins>" + html_escape(op.text) + "</ins>" : html_escape(op.text);
                }
            } else {
                if (c.old_value) left = "<del>" + html_escape(*c.old_value) + "</del>";
                if (c.new_value) right = "<ins>" + html_escape(*c.new_value) + "</ins>";
            }
            h += "<td>" + left + "</td><td>" + right + "</td></tr>\n";
        }
    }
    h += "</table>\n</body>\n</html>\n";
    return h;
}

Timeline timeline(const std::vector<Document>& editions) {
    Timeline t;
    for (const Document& e : editions) t.editions.push_back(side(e));
    // lineage index for each goal of the current edition
    std::vector<size_t> current;
    for (size_t k = 0; k < editions.size(); ++k) {
        const Document& doc = editions[k];
        std::vector<size_t> next(doc.goals.size(), SIZE_MAX);
        if (k > 0) {
            DocumentDiff d = diff(editions[k - 1], doc);
            for (const GoalDiff& g : d.goals) {
                if (!g.old_number || !g.new_number) continue;
                // numbers locate the goals (first match by number and title)
                size_t oi = SIZE_MAX, ni = SIZE_MAX;
                for (size_t i = 0; i < editions[k - 1].goals.size(); ++i)
                    if (editions[k - 1].goals[i].number == *g.old_number && editions[k - 1].goals[i].title == g.old_title) oi = i;
                for (size_t i = 0; i < doc.goals.size(); ++i)
                    if (doc.goals[i].number == *g.new_number && doc.goals[i].title == g.new_title) ni = i;
                if (oi != SIZE_MAX && ni != SIZE_MAX && oi < current.size()) next[ni] = current[oi];
            }
        }
        for (size_t i = 0; i < doc.goals.size(); ++i) {
            if (next[i] == SIZE_MAX) {
                next[i] = t.lineages.size();
                t.lineages.push_back(std::vector<LineageCell>(editions.size()));
            }
            const Goal& g = doc.goals[i];
            t.lineages[next[i]][k] = LineageCell{g.number, g.title, g.evaluation.grade ? g.evaluation.grade : g.summary_grade};
        }
        current = std::move(next);
    }
    return t;
}

std::string to_json(const Timeline& t) {
    using nlohmann::ordered_json;
    ordered_json j;
    j["schema_version"] = kDiffSchemaVersion;
    j["editions"] = ordered_json::array();
    for (const Side& s : t.editions)
        j["editions"].push_back({{"path", s.source.path},
                                 {"fiscal_year", s.fiscal_year ? ordered_json(s.fiscal_year->gregorian) : ordered_json(nullptr)},
                                 {"department", s.department ? ordered_json(*s.department) : ordered_json(nullptr)}});
    j["lineages"] = ordered_json::array();
    for (const auto& row : t.lineages) {
        ordered_json r = ordered_json::array();
        for (const LineageCell& c : row) {
            if (!c.number) {
                r.push_back(nullptr);
                continue;
            }
            r.push_back({{"number", *c.number}, {"title", c.title.value_or("")}, {"grade", c.grade ? ordered_json(*c.grade) : ordered_json(nullptr)}});
        }
        j["lineages"].push_back(r);
    }
    return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string to_text(const Timeline& t) {
    std::string out;
    for (const Side& s : t.editions) out += side_label(s) + " (" + s.source.path + ")\n";
    for (const auto& row : t.lineages) {
        std::string title;
        for (const LineageCell& c : row)
            if (c.title) title = *c.title;
        out += "  ";
        for (const LineageCell& c : row) {
            out += c.number ? std::to_string(*c.number) + ":" + c.grade.value_or("-") : std::string("  -  ");
            out += "  ";
        }
        out += title + "\n";
    }
    return out;
}

}  // namespace hoshin::diff
