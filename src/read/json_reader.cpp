#include "read/json_reader.h"

#include <nlohmann/json.hpp>

namespace hoshin::read {
namespace {

using nlohmann::json;

struct VersionError {
    int version;
};

// A document that is JSON but not ours: the message names the place
// ("goals[1].title must be a string, not a number").
struct Bad {
    std::string message;
};

// A value with its place in the document, for messages.
struct At {
    const json& v;
    std::string path;

    At operator[](const char* key) const {
        std::string where = path.empty() ? key : path + "." + key;
        if (!v.is_object()) throw Bad{(path.empty() ? std::string("the document") : path) + " must be an object, not " + kind()};
        auto it = v.find(key);
        if (it == v.end()) throw Bad{where + " is missing"};
        return At{*it, where};
    }
    bool null() const { return v.is_null(); }
    // A key that version 1 documents do not have: absent reads as null.
    At optional(const char* key) const {
        static const json kNull;
        if (v.is_object() && !v.contains(key)) return At{kNull, path.empty() ? key : path + "." + key};
        return (*this)[key];
    }
    [[noreturn]] void wrong(const char* expected) const { throw Bad{path + " must be " + expected + ", not " + kind()}; }
    std::string kind() const {
        std::string t = v.type_name();
        if (t == "null") return t;
        return (t == "array" || t == "object" ? "an " : "a ") + t;
    }
    std::string str() const {
        if (!v.is_string()) wrong("a string");
        return v.get<std::string>();
    }
    int integer() const {
        if (!v.is_number_integer()) wrong("a whole number");
        return v.get<int>();
    }
    double number() const {
        if (!v.is_number()) wrong("a number");
        return v.get<double>();
    }
    std::optional<std::string> opt_str() const { return null() ? std::nullopt : std::optional<std::string>(str()); }
    std::optional<int> opt_int() const { return null() ? std::nullopt : std::optional<int>(integer()); }
    template <class F>
    void each(F f) const {
        if (!v.is_array()) wrong("an array");
        for (size_t i = 0; i < v.size(); ++i) f(At{v[i], path + "[" + std::to_string(i) + "]"});
    }
    std::vector<std::string> strings() const {
        std::vector<std::string> out;
        each([&](const At& x) { out.push_back(x.str()); });
        return out;
    }
};

Provenance provenance(const At& j) {
    Provenance p;
    p.page = j["page"].integer();
    p.line_start = j["line_start"].integer();
    p.line_end = j["line_end"].integer();
    At b = j["bbox"];
    if (!b.null()) {
        if (!b.v.is_array() || b.v.size() != 4) throw Bad{b.path + " must be an array of 4 numbers"};
        std::array<double, 4> box{};
        size_t k = 0;
        b.each([&](const At& x) { box[k++] = x.number(); });
        p.bbox = box;
    }
    if (At c = j.optional("confidence"); !c.null()) p.confidence = c.number();
    return p;
}

std::optional<OcrSource> ocr_source(const At& j) {
    if (j.null()) return std::nullopt;
    OcrSource o{j["engine"].str(), j["version"].str(), j["language"].str(), j["dpi"].integer(), {}};
    j["pages"].each([&](const At& p) { o.pages.push_back(OcrPage{p["page"].integer(), p["confidence"].number(), p["skew"].number()}); });
    return o;
}

Document document(const At& j) {
    Document d;
    d.schema_version = j["schema_version"].integer();
    if (d.schema_version < kOldestSchemaVersion || d.schema_version > kSchemaVersion) throw VersionError{d.schema_version};
    d.schema_version = kSchemaVersion;  // read as this version: what version 1 lacks is absent
    At s = j["source"];
    d.source = Source{s["path"].str(), s["format"].str(), s["sha256"].str(), s["encoding"].str(), s["pages"].integer(),
                      ocr_source(s.optional("ocr"))};
    d.municipality = Municipality{j["municipality"]["name"].opt_str(), j["municipality"]["code"].opt_str()};
    d.title = j["title"].opt_str();
    if (At fy = j["fiscal_year"]; !fy.null())
        d.fiscal_year = FiscalYear{fy["label"].str(), fy["era"].str(), fy["era_year"].integer(), fy["gregorian"].integer()};
    At dept = j["department"];
    d.department.name = dept["name"].opt_str();
    if (At h = dept["head"]; !h.null()) d.department.head = Person{h["title"].opt_str(), h["name"].opt_str()};
    dept["officers"].each([&](const At& o) {
        d.department.officers.push_back(Officer{o["title"].opt_str(), o["name"].opt_str(), o["portfolio"].opt_str()});
    });
    d.basic_policy = j["basic_policy"].strings();
    j["goals"].each([&](const At& g) {
        Goal goal;
        goal.number = g["number"].integer();
        if (At pg = g["plan_goal"]; !pg.null()) goal.plan_goal = PlanGoal{pg["number"].opt_int(), pg["title"].opt_str()};
        goal.field = g["field"].opt_str();
        goal.title = g["title"].str();
        goal.summary_grade = g["summary_grade"].opt_str();
        g["targets"].each([&](const At& t) {
            goal.targets.push_back(Target{t["text"].str(), t["status"].opt_str(), t["grade"].opt_str(), provenance(t["provenance"])});
        });
        g["initiatives"].each([&](const At& in) {
            goal.initiatives.push_back(Initiative{in["text"].str(), in["divisions"].strings(), in["results"].opt_str(),
                                                  provenance(in["provenance"])});
        });
        goal.evaluation = Evaluation{g["evaluation"]["summary"].opt_str(), g["evaluation"]["grade"].opt_str()};
        goal.next_steps = g["next_steps"].opt_str();
        goal.provenance = provenance(g["provenance"]);
        d.goals.push_back(std::move(goal));
    });
    j["grade_scale"].each([&](const At& l) {
        d.grade_scale.push_back(GradeLevel{l["grade"].str(), l["label"].str(), l["description"].opt_str(),
                                           l["min_percent"].opt_int(), l["max_percent"].opt_int()});
    });
    j["unassigned"].each([&](const At& x) { d.unassigned.push_back(Unassigned{x["text"].str(), provenance(x["provenance"])}); });
    j["diagnostics"].each([&](const At& x) {
        auto sev = severity_from_string(x["severity"].str());
        if (!sev) throw Bad{x["severity"].path + " is not info, warning or error"};
        std::optional<Provenance> p;
        if (!x["provenance"].null()) p = provenance(x["provenance"]);
        d.diagnostics.push_back(Diagnostic{*sev, x["code"].str(), x["message"].str(), p});
    });
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
                return Error{ErrorCode::nesting_too_deep, "arrays and objects nest more than " + std::to_string(kMaxNesting) + " deep"};
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) return Error{ErrorCode::bad_json, "not valid JSON"};
    try {
        std::vector<Document> out;
        if (j.is_array()) {
            for (size_t i = 0; i < j.size(); ++i) out.push_back(document(At{j[i], "[" + std::to_string(i) + "]"}));
        } else {
            out.push_back(document(At{j, ""}));
        }
        return out;
    } catch (const VersionError& e) {
        return Error{ErrorCode::unsupported_schema_version,
                     "schema_version " + std::to_string(e.version) + " (this build reads " + std::to_string(kOldestSchemaVersion) + " to " + std::to_string(kSchemaVersion) + ")"};
    } catch (const Bad& e) {
        return Error{ErrorCode::bad_json, e.message};
    }
}

Result<Document> from_json(std::string_view text) {
    auto docs = documents_from_json(text);
    if (!docs.ok()) return docs.error();
    if (docs.value().size() != 1) return Error{ErrorCode::bad_json, "expected one document, found " + std::to_string(docs.value().size())};
    return std::move(docs.value().front());
}

}  // namespace hoshin::read
