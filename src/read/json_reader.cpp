#include "read/json_reader.h"

#include <nlohmann/json.hpp>

namespace hoshin::read {
namespace {

using nlohmann::json;

struct VersionError {
    int version;
};

std::optional<std::string> opt_str(const json& j, const char* key) {
    const json& v = j.at(key);
    if (v.is_null()) return std::nullopt;
    return v.get<std::string>();
}

std::optional<int> opt_int(const json& j, const char* key) {
    const json& v = j.at(key);
    if (v.is_null()) return std::nullopt;
    return v.get<int>();
}

Provenance provenance(const json& j) {
    Provenance p;
    p.page = j.at("page").get<int>();
    p.line_start = j.at("line_start").get<int>();
    p.line_end = j.at("line_end").get<int>();
    const json& b = j.at("bbox");
    if (!b.is_null()) {
        if (!b.is_array() || b.size() != 4) throw json::other_error::create(501, "bbox must have 4 numbers", &b);
        p.bbox = std::array<double, 4>{b[0].get<double>(), b[1].get<double>(), b[2].get<double>(), b[3].get<double>()};
    }
    return p;
}

Document document(const json& j) {
    Document d;
    d.schema_version = j.at("schema_version").get<int>();
    if (d.schema_version != kSchemaVersion) throw VersionError{d.schema_version};
    const json& s = j.at("source");
    d.source = Source{s.at("path").get<std::string>(), s.at("format").get<std::string>(),
                      s.at("sha256").get<std::string>(), s.at("encoding").get<std::string>(), s.at("pages").get<int>()};
    d.municipality = Municipality{opt_str(j.at("municipality"), "name"), opt_str(j.at("municipality"), "code")};
    d.title = opt_str(j, "title");
    if (const json& fy = j.at("fiscal_year"); !fy.is_null()) {
        d.fiscal_year = FiscalYear{fy.at("label").get<std::string>(), fy.at("era").get<std::string>(),
                                   fy.at("era_year").get<int>(), fy.at("gregorian").get<int>()};
    }
    const json& dept = j.at("department");
    d.department.name = opt_str(dept, "name");
    if (const json& h = dept.at("head"); !h.is_null()) d.department.head = Person{opt_str(h, "title"), opt_str(h, "name")};
    for (const json& o : dept.at("officers"))
        d.department.officers.push_back(Officer{opt_str(o, "title"), opt_str(o, "name"), opt_str(o, "portfolio")});
    d.basic_policy = j.at("basic_policy").get<std::vector<std::string>>();
    for (const json& g : j.at("goals")) {
        Goal goal;
        goal.number = g.at("number").get<int>();
        if (const json& pg = g.at("plan_goal"); !pg.is_null()) goal.plan_goal = PlanGoal{opt_int(pg, "number"), opt_str(pg, "title")};
        goal.field = opt_str(g, "field");
        goal.title = g.at("title").get<std::string>();
        goal.summary_grade = opt_str(g, "summary_grade");
        for (const json& t : g.at("targets"))
            goal.targets.push_back(Target{t.at("text").get<std::string>(), opt_str(t, "status"), opt_str(t, "grade"),
                                          provenance(t.at("provenance"))});
        for (const json& in : g.at("initiatives"))
            goal.initiatives.push_back(Initiative{in.at("text").get<std::string>(),
                                                  in.at("divisions").get<std::vector<std::string>>(),
                                                  opt_str(in, "results"), provenance(in.at("provenance"))});
        goal.evaluation = Evaluation{opt_str(g.at("evaluation"), "summary"), opt_str(g.at("evaluation"), "grade")};
        goal.next_steps = opt_str(g, "next_steps");
        goal.provenance = provenance(g.at("provenance"));
        d.goals.push_back(std::move(goal));
    }
    for (const json& l : j.at("grade_scale"))
        d.grade_scale.push_back(GradeLevel{l.at("grade").get<std::string>(), l.at("label").get<std::string>(),
                                           opt_str(l, "description"), opt_int(l, "min_percent"), opt_int(l, "max_percent")});
    for (const json& u : j.at("unassigned"))
        d.unassigned.push_back(Unassigned{u.at("text").get<std::string>(), provenance(u.at("provenance"))});
    for (const json& x : j.at("diagnostics")) {
        auto sev = severity_from_string(x.at("severity").get<std::string>());
        if (!sev) throw json::other_error::create(503, "unknown severity", &x);
        std::optional<Provenance> p;
        if (!x.at("provenance").is_null()) p = provenance(x.at("provenance"));
        d.diagnostics.push_back(Diagnostic{*sev, x.at("code").get<std::string>(), x.at("message").get<std::string>(), p});
    }
    return d;
}

}  // namespace

Result<std::vector<Document>> documents_from_json(std::string_view text) {
    // Nesting is measured before parsing: a scan over brackets outside strings.
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxNesting)
                return Error{"nesting-too-deep", "arrays and objects nest more than " + std::to_string(kMaxNesting) + " deep"};
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) return Error{"bad-json", "not valid JSON"};
    try {
        std::vector<Document> out;
        if (j.is_array()) {
            for (const json& d : j) out.push_back(document(d));
        } else {
            out.push_back(document(j));
        }
        return out;
    } catch (const VersionError& e) {
        return Error{"unsupported-schema-version",
                     "schema_version " + std::to_string(e.version) + " (this build reads " + std::to_string(kSchemaVersion) + ")"};
    } catch (const json::exception& e) {
        return Error{"bad-json", e.what()};
    }
}

Result<Document> from_json(std::string_view text) {
    auto docs = documents_from_json(text);
    if (!docs.ok()) return docs.error();
    if (docs.value().size() != 1) return Error{"bad-json", "expected one document, found " + std::to_string(docs.value().size())};
    return std::move(docs.value().front());
}

}  // namespace hoshin::read
