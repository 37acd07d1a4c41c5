#include "write/json_writer.h"

#include <nlohmann/json.hpp>


namespace hoshin::write {
namespace {

using nlohmann::ordered_json;

ordered_json opt(const std::optional<std::string>& s) { return s ? ordered_json(*s) : ordered_json(nullptr); }
ordered_json opt(const std::optional<int>& v) { return v ? ordered_json(*v) : ordered_json(nullptr); }

ordered_json provenance(const Provenance& p) {
    ordered_json j;
    j["page"] = p.page;
    j["line_start"] = p.line_start;
    j["line_end"] = p.line_end;
    if (p.bbox) {
        j["bbox"] = ordered_json::array({(*p.bbox)[0], (*p.bbox)[1], (*p.bbox)[2], (*p.bbox)[3]});
    } else {
        j["bbox"] = nullptr;
    }
    return j;
}

ordered_json document(const Document& d) {
    ordered_json j;
    j["schema_version"] = d.schema_version;
    j["source"] = {{"path", d.source.path},
                   {"format", d.source.format},
                   {"sha256", d.source.sha256},
                   {"encoding", d.source.encoding},
                   {"pages", d.source.pages}};
    j["municipality"] = {{"name", opt(d.municipality.name)}, {"code", opt(d.municipality.code)}};
    j["title"] = opt(d.title);
    if (d.fiscal_year) {
        j["fiscal_year"] = {{"label", d.fiscal_year->label},
                            {"era", d.fiscal_year->era},
                            {"era_year", d.fiscal_year->era_year},
                            {"gregorian", d.fiscal_year->gregorian}};
    } else {
        j["fiscal_year"] = nullptr;
    }
    ordered_json dept;
    dept["name"] = opt(d.department.name);
    if (d.department.head) {
        dept["head"] = {{"title", opt(d.department.head->title)}, {"name", opt(d.department.head->name)}};
    } else {
        dept["head"] = nullptr;
    }
    dept["officers"] = ordered_json::array();
    for (const Officer& o : d.department.officers)
        dept["officers"].push_back({{"title", opt(o.title)}, {"name", opt(o.name)}, {"portfolio", opt(o.portfolio)}});
    j["department"] = std::move(dept);
    j["basic_policy"] = d.basic_policy;
    j["goals"] = ordered_json::array();
    for (const Goal& g : d.goals) {
        ordered_json goal;
        goal["number"] = g.number;
        if (g.plan_goal) {
            goal["plan_goal"] = {{"number", opt(g.plan_goal->number)}, {"title", opt(g.plan_goal->title)}};
        } else {
            goal["plan_goal"] = nullptr;
        }
        goal["field"] = opt(g.field);
        goal["title"] = g.title;
        goal["summary_grade"] = opt(g.summary_grade);
        goal["targets"] = ordered_json::array();
        for (const Target& t : g.targets) {
            goal["targets"].push_back({{"text", t.text},
                                       {"status", opt(t.status)},
                                       {"grade", opt(t.grade)},
                                       {"provenance", provenance(t.provenance)}});
        }
        goal["initiatives"] = ordered_json::array();
        for (const Initiative& in : g.initiatives) {
            goal["initiatives"].push_back({{"text", in.text},
                                           {"divisions", in.divisions},
                                           {"results", opt(in.results)},
                                           {"provenance", provenance(in.provenance)}});
        }
        goal["evaluation"] = {{"summary", opt(g.evaluation.summary)}, {"grade", opt(g.evaluation.grade)}};
        goal["next_steps"] = opt(g.next_steps);
        goal["provenance"] = provenance(g.provenance);
        j["goals"].push_back(std::move(goal));
    }
    j["grade_scale"] = ordered_json::array();
    for (const GradeLevel& l : d.grade_scale) {
        j["grade_scale"].push_back({{"grade", l.grade},
                                    {"label", l.label},
                                    {"description", opt(l.description)},
                                    {"min_percent", opt(l.min_percent)},
                                    {"max_percent", opt(l.max_percent)}});
    }
    j["unassigned"] = ordered_json::array();
    for (const Unassigned& u : d.unassigned)
        j["unassigned"].push_back({{"text", u.text}, {"provenance", provenance(u.provenance)}});
    j["diagnostics"] = ordered_json::array();
    for (const Diagnostic& x : d.diagnostics) {
        j["diagnostics"].push_back({{"severity", to_string(x.severity)},
                                    {"code", x.code},
                                    {"message", x.message},
                                    {"provenance", x.provenance ? provenance(*x.provenance) : ordered_json(nullptr)}});
    }
    return j;
}

std::string dump(const ordered_json& j) {
    // Invalid UTF-8 never reaches here (decode validates); replace defensively.
    return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string to_json(const Document& doc) { return dump(document(doc)); }

std::string to_json_line(const Document& doc) {
    return document(doc).dump(-1, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string to_json(const std::vector<Document>& docs) {
    ordered_json arr = ordered_json::array();
    for (const Document& d : docs) arr.push_back(document(d));
    return dump(arr);
}

}  // namespace hoshin::write
