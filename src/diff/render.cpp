// The diff's and the timeline's renderers: JSON (schemas/hoshin-diff-2 and
// hoshin-timeline-2), text, HTML and CSV. They depend only on the data and
// RenderOptions, never on the locale, so output is byte-identical anywhere.
#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "dataset/dataset.h"
#include "diff/diff.h"

namespace hoshin::diff {
namespace {

using nlohmann::ordered_json;

// The words of the HTML and CSV interfaces, in each language (vocabulary:
// the only Japanese in this file).
struct Labels {
    const char8_t *added, *removed, *modified, *unchanged, *renumbered, *summary, *grade_moves, *goal, *item, *old_side,
        *new_side, *changed_goals, *unchanged_goals, *no_changes, *warnings, *status, *page, *none, *municipality,
        *department, *number, *timeline;
    // Field names: title, field, plan_goal, summary_grade, target, status,
    // grade, initiative, divisions, results, evaluation.summary,
    // evaluation.grade, next_steps.
    const char8_t *f_title, *f_field, *f_plan_goal, *f_summary_grade, *f_target, *f_status, *f_grade, *f_initiative,
        *f_divisions, *f_results, *f_evaluation, *f_overall_grade, *f_next_steps;
};

const Labels kJapanese{
    u8"追加", u8"削除", u8"変更", u8"変更なし", u8"番号の変更", u8"概要", u8"達成度の変化", u8"目標", u8"項目", u8"旧",
    u8"新", u8"追加・削除・変更された目標", u8"変更のない目標", u8"変更された目標はありません。", u8"注意", u8"状態",
    u8"p.", u8"(なし)", u8"自治体", u8"部局", u8"番号", u8"目標の推移",
    u8"重点目標", u8"分野", u8"総合計画の目標", u8"達成度 (一覧表)", u8"達成目標", u8"達成状況", u8"達成度",
    u8"具体的取組", u8"所管室・課", u8"取組実績", u8"総合評価・総括", u8"全体の達成度",
    u8"次年度以降に向けて検討すべきこと"};
const Labels kEnglish{
    u8"added", u8"removed", u8"modified", u8"unchanged", u8"renumbered", u8"Summary", u8"Grade moves", u8"goal", u8"item", u8"old", u8"new",
    u8"Goals added, removed or modified", u8"Unchanged goals", u8"No goal changed.", u8"Warnings", u8"status", u8"p.", u8"(none)",
    u8"municipality", u8"department", u8"number", u8"Goals across editions",
    u8"goal", u8"field", u8"plan goal", u8"grade (summary table)", u8"target", u8"status", u8"grade", u8"initiative", u8"divisions",
    u8"results", u8"overall evaluation", u8"overall grade", u8"next steps"};

const Labels& labels(Lang l) { return l == Lang::ja ? kJapanese : kEnglish; }

std::string u(const char8_t* s) { return std::string(reinterpret_cast<const char*>(s)); }

bool is_grade_field(const std::string& field) {
    return field == "summary_grade" || field == "evaluation.grade" ||
           (field.size() > 6 && field.compare(field.size() - 6, 6, ".grade") == 0);
}

bool shown(const GoalDiff& g, const RenderOptions& o) { return !o.only_changes || g.status != GoalStatus::unchanged || g.renumbered(); }

// "targets[2].status" -> "達成目標 2: 達成状況" (or "target 2: status").
std::string field_label(const std::string& field, const Labels& L) {
    static const std::map<std::string, const char8_t* Labels::*> plain = {
        {"title", &Labels::f_title},           {"field", &Labels::f_field},
        {"plan_goal", &Labels::f_plan_goal},   {"summary_grade", &Labels::f_summary_grade},
        {"evaluation.summary", &Labels::f_evaluation}, {"evaluation.grade", &Labels::f_overall_grade},
        {"next_steps", &Labels::f_next_steps}};
    if (auto it = plain.find(field); it != plain.end()) return u(L.*(it->second));
    size_t open = field.find('['), close = field.find(']');
    if (open == std::string::npos || close == std::string::npos) return field;
    std::string list = field.substr(0, open), n = field.substr(open + 1, close - open - 1), rest = field.substr(close + 1);
    std::string out = u(list == "targets" ? L.f_target : L.f_initiative) + " " + n;
    static const std::map<std::string, const char8_t* Labels::*> parts = {
        {".status", &Labels::f_status}, {".grade", &Labels::f_grade}, {".divisions", &Labels::f_divisions}, {".results", &Labels::f_results}};
    if (auto it = parts.find(rest); it != parts.end()) out += ": " + u(L.*(it->second));
    return out;
}

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

std::string number_text(const GoalDiff& g) {
    if (g.renumbered()) return std::to_string(*g.old_number) + " \u2192 " + std::to_string(*g.new_number);
    if (g.new_number) return std::to_string(*g.new_number);
    return g.old_number ? std::to_string(*g.old_number) : "-";
}

const char8_t* status_label(GoalStatus status, const Labels& L) {
    return status == GoalStatus::added ? L.added : status == GoalStatus::removed ? L.removed : status == GoalStatus::modified ? L.modified : L.unchanged;
}

ordered_json opt(const std::optional<std::string>& s) { return s ? ordered_json(*s) : ordered_json(nullptr); }
ordered_json opt_int(const std::optional<int>& v) { return v ? ordered_json(*v) : ordered_json(nullptr); }

ordered_json warnings_json(const std::vector<Warning>& ws) {
    ordered_json a = ordered_json::array();
    for (const Warning& w : ws) a.push_back({{"code", w.code}, {"message", w.message}});
    return a;
}

std::string dump(const ordered_json& j) { return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n"; }

}  // namespace

Lang default_lang(const Side& a, const Side& b) {
    for (const Side* s : {&a, &b})
        for (const auto* t : {&s->department, &s->title})
            if (*t && std::any_of((*t)->begin(), (*t)->end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
                return Lang::ja;
    return Lang::en;
}

std::string relative_href(const std::string& target, const std::string& page_dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path t = fs::weakly_canonical(fs::absolute(target, ec), ec);
    fs::path d = fs::weakly_canonical(fs::absolute(page_dir.empty() ? "." : page_dir, ec), ec);
    fs::path rel = t.lexically_relative(d);
    std::string s = (rel.empty() ? t : rel).generic_string();
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                    c == '_' || c == '~' || c == '/';
        if (keep) out += static_cast<char>(c);
        else out += std::string("%") + hex[c >> 4] + hex[c & 15];
    }
    return out;
}

std::string to_json(const DocumentDiff& d, const RenderOptions& o) {
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
        j["municipality"] = {{"name", opt(s.municipality.name)}, {"code", opt(s.municipality.code)}};
        return j;
    };
    ordered_json j;
    j["schema_version"] = kDiffSchemaVersion;
    j["old"] = side_json(d.old_side);
    j["new"] = side_json(d.new_side);
    ordered_json grade_moves = ordered_json::array();
    for (const GoalDiff& g : d.goals)
        if (g.status == GoalStatus::modified)
            for (const FieldChange& c : g.changes)
                if (is_grade_field(c.field))
                    grade_moves.push_back({{"old_number", opt_int(g.old_number)}, {"new_number", opt_int(g.new_number)},
                                           {"field", c.field}, {"old", opt(c.old_value)}, {"new", opt(c.new_value)}});
    j["summary"] = {{"added", d.added}, {"removed", d.removed}, {"modified", d.modified}, {"unchanged", d.unchanged},
                    {"renumbered", d.renumbered}, {"grade_changes", grade_moves}};
    j["warnings"] = warnings_json(d.warnings);
    j["goals"] = ordered_json::array();
    for (const GoalDiff& g : d.goals) {
        if (!shown(g, o)) continue;
        ordered_json gj;
        gj["status"] = to_string(g.status);
        gj["old_number"] = opt_int(g.old_number);
        gj["new_number"] = opt_int(g.new_number);
        gj["renumbered"] = g.renumbered();
        gj["old_title"] = opt(g.old_title);
        gj["new_title"] = opt(g.new_title);
        gj["similarity"] = g.status == GoalStatus::added || g.status == GoalStatus::removed ? ordered_json(nullptr) : ordered_json(g.similarity);
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
    return dump(j);
}

std::string to_text(const DocumentDiff& d, const RenderOptions& o) {
    auto paint = [&](const char* code, const std::string& s) { return o.color ? std::string("\033[") + code + "m" + s + "\033[0m" : s; };
    auto label = [](const Side& s) { return side_label(s) + " (" + s.source.path + ")"; };
    std::string out = "--- " + label(d.old_side) + "\n+++ " + label(d.new_side) + "\n";
    out += "goals: " + std::to_string(d.added) + " added, " + std::to_string(d.removed) + " removed, " +
           std::to_string(d.modified) + " modified, " + std::to_string(d.unchanged) + " unchanged, " +
           std::to_string(d.renumbered) + " renumbered\n";
    for (const Warning& w : d.warnings) out += "warning: " + w.message + " [" + w.code + "]\n";
    for (const GoalDiff& g : d.goals) {
        if (!shown(g, o)) continue;
        const char* mark = g.status == GoalStatus::added ? "+" : g.status == GoalStatus::removed ? "-" : g.status == GoalStatus::modified ? "~" : "=";
        const char* col = g.status == GoalStatus::added ? "32" : g.status == GoalStatus::removed ? "31" : g.status == GoalStatus::modified ? "33" : "0";
        out += paint(col, std::string(mark) + " goal " + number_text(g) + " " + to_string(g.status)) + "  " +
               (g.new_title ? *g.new_title : g.old_title.value_or("")) + "\n";
        for (const FieldChange& c : g.changes) {
            out += "    " + c.field + ": ";
            if (!c.inline_ops.empty()) {
                for (const InlineOp& op : c.inline_ops) {
                    if (op.kind == InlineOp::Kind::equal) out += op.text;
                    else if (op.kind == InlineOp::Kind::insert) out += paint("32", "{+" + op.text + "+}");
                    else out += paint("31", "[-" + op.text + "-]");
                }
            } else if (!c.old_value) {
                out += paint("32", *c.new_value);
            } else if (!c.new_value) {
                out += paint("31", *c.old_value);
            } else {
                out += paint("31", *c.old_value) + " -> " + paint("32", *c.new_value);
            }
            out += "\n";
        }
    }
    return out;
}

std::string to_html(const DocumentDiff& d, const RenderOptions& o) {
    const Labels& L = labels(o.lang);
    auto link = [&](const std::string& href, const std::optional<Provenance>& p) {
        if (href.empty() || !p || p->page <= 0) return std::string();
        return " <a class=\"page\" href=\"" + html_escape(href) + "#page=" + std::to_string(p->page) + "\">" + u(L.page) +
               std::to_string(p->page) + "</a>";
    };
    std::string h;
    h += std::string("<!DOCTYPE html>\n<html lang=\"") + (o.lang == Lang::ja ? "ja" : "en") + "\">\n<head>\n<meta charset=\"utf-8\">\n";
    h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    h += "<title>hoshin diff: " + html_escape(side_label(d.old_side)) + " / " + html_escape(side_label(d.new_side)) + "</title>\n";
    h += "<style>\n"
         "body{font-family:sans-serif;margin:1.5em;color:#222;line-height:1.5}table{border-collapse:collapse;width:100%;margin:.5em 0 1em}"
         "td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}th{background:#f3f3f3}"
         "table.counts{width:auto}table.counts td{text-align:right;min-width:4em}"
         "tr.added>td{background:#e8f7e8}tr.removed>td{background:#fbe9e9}tr.modified>td{background:#fff8e1}"
         "ins{background:#b7ecb7;text-decoration:underline}del{background:#f5b5b5;text-decoration:line-through}"
         ".grade{display:inline-block;padding:0 .4em;border-radius:.3em;font-weight:bold;background:#ddd;border:1px solid #999}"
         ".up{background:#8bd48b}.down{background:#f19c9c}.status{font-weight:bold;white-space:nowrap}"
         ".field{color:#555;font-size:.9em}.renumbered{font-weight:normal;color:#555}.warnings li{color:#a40}"
         "details>summary{cursor:pointer;font-weight:bold;font-size:1.2em;margin:1em 0}"
         "\n@media print{body{margin:0;font-size:10pt;color:#000}a{color:#000}"
         "details::details-content{content-visibility:visible;block-size:auto}details>summary{list-style:none}"
         "tr{break-inside:avoid}thead{display:table-header-group}th,tr>td{background:none!important}"
         "ins,del{background:none}.grade{background:none}a.page::after{content:\" (\" attr(href) \")\";font-size:.8em}}"
         "\n</style>\n</head>\n<body>\n";
    h += "<h1>" + html_escape(side_label(d.old_side)) + " &rarr; " + html_escape(side_label(d.new_side)) + "</h1>\n";
    h += "<p class=\"sources\">" + u(L.old_side) + ": " + html_escape(d.old_side.source.path) + "<br>" + u(L.new_side) + ": " +
         html_escape(d.new_side.source.path) + "</p>\n";
    // Summary: counts, grade moves, warnings.
    h += "<section id=\"summary\">\n<h2>" + u(L.summary) + "</h2>\n<table class=\"counts\"><tr><th>" + u(L.added) + "</th><th>" +
         u(L.removed) + "</th><th>" + u(L.modified) + "</th><th>" + u(L.unchanged) + "</th><th>" + u(L.renumbered) + "</th></tr>\n";
    h += "<tr><td id=\"added\">" + std::to_string(d.added) + "</td><td id=\"removed\">" + std::to_string(d.removed) +
         "</td><td id=\"modified\">" + std::to_string(d.modified) + "</td><td id=\"unchanged\">" + std::to_string(d.unchanged) +
         "</td><td id=\"renumbered\">" + std::to_string(d.renumbered) + "</td></tr></table>\n";
    std::string moves;
    for (const GoalDiff& g : d.goals) {
        if (g.status != GoalStatus::modified) continue;
        for (const FieldChange& c : g.changes) {
            if (!is_grade_field(c.field)) continue;
            const char* dir = c.old_value && c.new_value ? (*c.new_value < *c.old_value ? "up" : "down") : "";
            moves += "<tr><td>" + number_text(g) + ". " + html_escape(g.new_title.value_or("")) + "</td><td>" +
                     html_escape(field_label(c.field, L)) + "</td><td><span class=\"grade\">" + html_escape(c.old_value.value_or("-")) +
                     "</span></td><td><span class=\"grade " + dir + "\">" + html_escape(c.new_value.value_or("-")) + "</span></td></tr>\n";
        }
    }
    if (!moves.empty())
        h += "<h3>" + u(L.grade_moves) + "</h3>\n<table id=\"grade-moves\"><tr><th>" + u(L.goal) + "</th><th>" + u(L.item) +
             "</th><th>" + u(L.old_side) + "</th><th>" + u(L.new_side) + "</th></tr>\n" + moves + "</table>\n";
    if (!d.warnings.empty()) {
        h += "<h3>" + u(L.warnings) + "</h3>\n<ul class=\"warnings\">\n";
        for (const Warning& w : d.warnings) h += "<li data-code=\"" + w.code + "\">" + html_escape(w.message) + " [" + w.code + "]</li>\n";
        h += "</ul>\n";
    }
    h += "</section>\n";
    auto goal_rows = [&](const GoalDiff& g) {
        std::string r = "<tbody class=\"goal-block\"><tr class=\"goal " + std::string(to_string(g.status)) + "\" data-old=\"" +
                        (g.old_number ? std::to_string(*g.old_number) : "") + "\" data-new=\"" +
                        (g.new_number ? std::to_string(*g.new_number) : "") + "\">";
        r += "<td class=\"status\">" + u(status_label(g.status, L));
        if (g.renumbered())
            r += "<br><span class=\"renumbered\">" + u(L.number) + " " + number_text(g) + "</span>";
        r += "</td>";
        r += "<td>" + (g.old_number ? std::to_string(*g.old_number) + ". " + html_escape(g.old_title.value_or("")) + link(o.old_href, g.old_provenance) : "") + "</td>";
        r += "<td>" + (g.new_number ? std::to_string(*g.new_number) + ". " + html_escape(g.new_title.value_or("")) + link(o.new_href, g.new_provenance) : "") + "</td></tr>\n";
        for (const FieldChange& c : g.changes) {
            r += "<tr class=\"change\" data-field=\"" + html_escape(c.field) + "\"><td class=\"field\">" + html_escape(field_label(c.field, L)) + "</td>";
            if (is_grade_field(c.field) && c.old_value && c.new_value) {
                const char* dir = *c.new_value < *c.old_value ? "up" : "down";
                r += "<td><span class=\"grade\">" + html_escape(*c.old_value) + "</span></td><td><span class=\"grade " + dir + "\">" +
                     html_escape(*c.new_value) + "</span></td></tr>\n";
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
            r += "<td>" + left + "</td><td>" + right + "</td></tr>\n";
        }
        return r + "</tbody>\n";
    };
    std::string head = "<thead><tr><th>" + u(L.status) + "</th><th>" + u(L.old_side) + ": " + html_escape(side_label(d.old_side)) +
                       "</th><th>" + u(L.new_side) + ": " + html_escape(side_label(d.new_side)) + "</th></tr></thead>\n";
    std::string changed, same;
    int same_count = 0;
    for (const GoalDiff& g : d.goals) {
        if (g.status != GoalStatus::unchanged) changed += goal_rows(g);
        else if (shown(g, o)) same += goal_rows(g), ++same_count;
    }
    h += "<section id=\"changes\">\n<h2>" + u(L.changed_goals) + "</h2>\n";
    h += changed.empty() ? "<p>" + u(L.no_changes) + "</p>\n" : "<table class=\"goals\">\n" + head + changed + "</table>\n";
    h += "</section>\n";
    if (same_count > 0)
        h += "<details id=\"unchanged-goals\">\n<summary>" + u(L.unchanged_goals) + " (" + std::to_string(same_count) +
             ")</summary>\n<table class=\"goals\">\n" + head + same + "</table>\n</details>\n";
    h += "</body>\n</html>\n";
    return h;
}

namespace {

// The columns of a timeline table: each fiscal year as often as one
// department has editions of it (a beginning- and an end-of-year edition);
// editions without a year go last, one column each.
struct Column {
    std::optional<int> year;
    std::string heading;
};

std::vector<Column> year_columns(const std::vector<Timeline>& ts, Lang lang, std::vector<std::vector<size_t>>& where) {
    std::map<int, size_t> most;  // year -> columns needed
    std::map<int, std::string> label;
    size_t undated = 0;
    for (const Timeline& t : ts) {
        std::map<int, size_t> n;
        size_t u = 0;
        for (const Side& s : t.editions) {
            if (!s.fiscal_year) {
                ++u;
                continue;
            }
            most[s.fiscal_year->gregorian] = std::max(most[s.fiscal_year->gregorian], ++n[s.fiscal_year->gregorian]);
            label.emplace(s.fiscal_year->gregorian, s.fiscal_year->label);
        }
        undated = std::max(undated, u);
    }
    std::vector<Column> cols;
    std::map<int, size_t> first;
    for (const auto& [y, k] : most) {
        first[y] = cols.size();
        for (size_t i = 0; i < k; ++i) {
            std::string hd = lang == Lang::ja ? label[y] + " (" + std::to_string(y) + ")" : std::to_string(y) + " (" + label[y] + ")";
            if (k > 1) hd += " #" + std::to_string(i + 1);
            cols.push_back(Column{y, hd});
        }
    }
    size_t undated_first = cols.size();
    for (size_t i = 0; i < undated; ++i) cols.push_back(Column{std::nullopt, "?" + std::to_string(i + 1)});
    where.clear();
    for (const Timeline& t : ts) {
        std::vector<size_t> w;
        std::map<int, size_t> n;
        size_t u = 0;
        for (const Side& s : t.editions)
            w.push_back(s.fiscal_year ? first[s.fiscal_year->gregorian] + n[s.fiscal_year->gregorian]++ : undated_first + u++);
        where.push_back(std::move(w));
    }
    return cols;
}

// The latest number and title of a lineage.
std::pair<std::optional<int>, std::string> latest(const std::vector<LineageCell>& row) {
    std::optional<int> n;
    std::string title;
    for (const LineageCell& c : row)
        if (c.number) n = c.number, title = c.title.value_or("");
    return {n, title};
}

}  // namespace

std::string to_json(const std::vector<Timeline>& ts) {
    ordered_json j;
    j["schema_version"] = kDiffSchemaVersion;
    std::vector<Warning> all;
    for (const Timeline& t : ts) all.insert(all.end(), t.warnings.begin(), t.warnings.end());
    j["warnings"] = warnings_json(all);
    j["timelines"] = ordered_json::array();
    for (const Timeline& t : ts) {
        ordered_json tj;
        tj["municipality"] = opt(t.municipality);
        tj["department"] = opt(t.department);
        tj["editions"] = ordered_json::array();
        for (const Side& s : t.editions)
            tj["editions"].push_back({{"path", s.source.path},
                                      {"fiscal_year", s.fiscal_year ? ordered_json(s.fiscal_year->gregorian) : ordered_json(nullptr)},
                                      {"label", s.fiscal_year ? ordered_json(s.fiscal_year->label) : ordered_json(nullptr)},
                                      {"department", opt(s.department)}});
        tj["lineages"] = ordered_json::array();
        for (const auto& row : t.lineages) {
            ordered_json r = ordered_json::array();
            for (const LineageCell& c : row) {
                if (!c.number) {
                    r.push_back(nullptr);
                    continue;
                }
                r.push_back({{"number", *c.number}, {"title", c.title.value_or("")}, {"grade", opt(c.grade)}});
            }
            tj["lineages"].push_back(r);
        }
        j["timelines"].push_back(tj);
    }
    return dump(j);
}

std::string to_text(const std::vector<Timeline>& ts) {
    std::string out;
    for (const Timeline& t : ts) {
        if (ts.size() > 1) out += "== " + t.municipality.value_or("?") + " " + t.department.value_or("?") + "\n";
        for (const Side& s : t.editions) out += side_label(s) + " (" + s.source.path + ")\n";
        for (const auto& row : t.lineages) {
            out += "  ";
            for (const LineageCell& c : row) {
                out += c.number ? std::to_string(*c.number) + ":" + c.grade.value_or("-") : std::string("  -  ");
                out += "  ";
            }
            out += latest(row).second + "\n";
        }
    }
    return out;
}

std::string to_csv(const std::vector<Timeline>& ts, Lang lang) {
    const Labels& L = labels(lang);
    std::vector<std::vector<size_t>> where;
    std::vector<Column> cols = year_columns(ts, lang, where);
    std::string out = "\xEF\xBB\xBF";  // BOM: Excel reads the file as UTF-8
    out += dataset::csv_field(u(L.municipality)) + "," + dataset::csv_field(u(L.department)) + "," + dataset::csv_field(u(L.number)) + "," + dataset::csv_field(u(L.goal));
    for (const Column& c : cols) out += "," + dataset::csv_field(c.heading);
    out += "\r\n";
    for (size_t k = 0; k < ts.size(); ++k) {
        const Timeline& t = ts[k];
        for (const auto& row : t.lineages) {
            auto [n, title] = latest(row);
            std::vector<std::string> cells(cols.size());
            for (size_t e = 0; e < row.size(); ++e)
                if (row[e].number) cells[where[k][e]] = row[e].grade.value_or("-");
            out += dataset::csv_field(t.municipality.value_or("")) + "," + dataset::csv_field(t.department.value_or("")) + "," +
                   (n ? std::to_string(*n) : std::string()) + "," + dataset::csv_field(title);
            for (const std::string& c : cells) out += "," + dataset::csv_field(c);
            out += "\r\n";
        }
    }
    return out;
}

std::string to_html(const std::vector<Timeline>& ts, Lang lang) {
    const Labels& L = labels(lang);
    std::vector<std::vector<size_t>> where;
    std::vector<Column> cols = year_columns(ts, lang, where);
    std::string h = std::string("<!DOCTYPE html>\n<html lang=\"") + (lang == Lang::ja ? "ja" : "en") +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n<title>hoshin timeline</title>\n<style>\n"
                    "body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin-bottom:1.5em}"
                    "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f3f3f3}"
                    "td.grade{text-align:center;font-weight:bold}td.absent{background:#f6f6f6}.num{color:#666;font-weight:normal}"
                    "\n@media print{body{margin:0;font-size:10pt}th,td.absent{background:none}tr{break-inside:avoid}}"
                    "\n</style>\n</head>\n<body>\n<h1>" + u(L.timeline) + "</h1>\n";
    for (size_t k = 0; k < ts.size(); ++k) {
        const Timeline& t = ts[k];
        h += "<section class=\"timeline\">\n<h2>" + html_escape(t.municipality.value_or("")) + " " + html_escape(t.department.value_or("")) + "</h2>\n";
        h += "<table>\n<thead><tr><th>" + u(L.goal) + "</th>";
        for (const Column& c : cols) h += "<th>" + html_escape(c.heading) + "</th>";
        h += "</tr></thead>\n";
        for (const auto& row : t.lineages) {
            auto [n, title] = latest(row);
            std::vector<std::string> cells(cols.size());
            for (size_t e = 0; e < row.size(); ++e)
                if (row[e].number)
                    cells[where[k][e]] = html_escape(row[e].grade.value_or("-")) + " <span class=\"num\">(" + std::to_string(*row[e].number) + ")</span>";
            h += "<tr><td>" + (n ? std::to_string(*n) + ". " : std::string()) + html_escape(title) + "</td>";
            for (const std::string& c : cells) h += c.empty() ? "<td class=\"absent\"></td>" : "<td class=\"grade\">" + c + "</td>";
            h += "</tr>\n";
        }
        h += "</table>\n</section>\n";
    }
    h += "</body>\n</html>\n";
    return h;
}

}  // namespace hoshin::diff
