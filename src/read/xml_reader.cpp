#include "read/xml_reader.h"

#include <pugixml.hpp>

#include <charconv>
#include <cstring>
#include <stdexcept>

#include "write/xml_writer.h"

namespace hoshin::read {
namespace {

struct ShapeError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

pugi::xml_node child(pugi::xml_node n, const char* name) {
    pugi::xml_node c = n.child(name);
    if (!c) throw ShapeError(std::string("<") + n.name() + "> lacks <" + name + ">");
    return c;
}

std::optional<std::string> opt_attr(pugi::xml_node n, const char* name) {
    pugi::xml_attribute a = n.attribute(name);
    if (!a) return std::nullopt;
    return std::string(a.value());
}

std::string req_attr(pugi::xml_node n, const char* name) {
    auto v = opt_attr(n, name);
    if (!v) throw ShapeError(std::string("<") + n.name() + "> lacks attribute " + name);
    return *v;
}

int to_int(const std::string& s, const char* what) {
    int v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) throw ShapeError(std::string("bad integer in ") + what);
    return v;
}

double to_double(const std::string& s, const char* what) {
    double v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) throw ShapeError(std::string("bad number in ") + what);
    return v;
}

std::optional<int> opt_int(pugi::xml_node n, const char* name) {
    auto v = opt_attr(n, name);
    if (!v) return std::nullopt;
    return to_int(*v, name);
}

std::optional<std::string> opt_text(pugi::xml_node n, const char* name) {
    pugi::xml_node c = n.child(name);
    if (!c) return std::nullopt;
    return std::string(c.text().get());
}

std::string req_text(pugi::xml_node n, const char* name) { return std::string(child(n, name).text().get()); }

Provenance provenance(pugi::xml_node n) {
    Provenance p;
    p.page = to_int(req_attr(n, "page"), "page");
    p.line_start = to_int(req_attr(n, "line-start"), "line-start");
    p.line_end = to_int(req_attr(n, "line-end"), "line-end");
    if (auto b = opt_attr(n, "bbox")) {
        std::array<double, 4> box{};
        const char* s = b->data();
        const char* e = s + b->size();
        for (double& v : box) {
            while (s < e && *s == ' ') ++s;
            auto r = std::from_chars(s, e, v);
            if (r.ec != std::errc()) throw ShapeError("bad bbox");
            s = r.ptr;
        }
        p.bbox = box;
    }
    if (auto c = opt_attr(n, "confidence")) p.confidence = to_double(*c, "confidence");
    return p;
}

}  // namespace

Result<Document> from_xml(std::string_view text) {
    pugi::xml_document xml;
    pugi::xml_parse_result parsed = xml.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) return Error{ErrorCode::bad_xml, std::string(parsed.description()) + " at byte " + std::to_string(parsed.offset)};
    struct DepthWalker : pugi::xml_tree_walker {
        bool too_deep = false;
        bool for_each(pugi::xml_node& node) override {
            if (node.type() != pugi::node_element) return true;
            too_deep = depth() >= kMaxNesting;  // depth() of the root element is 0
            return !too_deep;
        }
    } walker;
    xml.traverse(walker);
    if (walker.too_deep)
        return Error{ErrorCode::nesting_too_deep, "elements nest more than " + std::to_string(kMaxNesting) + " deep"};
    try {
        pugi::xml_node root = xml.child("policy-document");
        if (!root) throw ShapeError("root element is not <policy-document>");
        if (std::strcmp(root.attribute("xmlns").value(), write::kXmlNamespace) != 0 &&
            std::strcmp(root.attribute("xmlns").value(), write::kXmlNamespaceV1) != 0)
            throw ShapeError(std::string("namespace is not ") + write::kXmlNamespace);
        Document d;
        d.schema_version = to_int(req_attr(root, "schema-version"), "schema-version");
        if (d.schema_version < kOldestSchemaVersion || d.schema_version > kSchemaVersion)
            return Error{ErrorCode::unsupported_schema_version, "schema-version " + std::to_string(d.schema_version)};
        d.schema_version = kSchemaVersion;  // read as this version: what version 1 lacks is absent
        pugi::xml_node s = child(root, "source");
        d.source = Source{req_attr(s, "path"), req_attr(s, "format"), req_attr(s, "sha256"), req_attr(s, "encoding"),
                          to_int(req_attr(s, "pages"), "pages")};
        if (pugi::xml_node o = s.child("ocr")) {
            OcrSource ocr{req_attr(o, "engine"), req_attr(o, "version"), req_attr(o, "language"), to_int(req_attr(o, "dpi"), "dpi"), {}};
            for (pugi::xml_node p : o.children("page"))
                ocr.pages.push_back(OcrPage{to_int(req_attr(p, "number"), "number"), to_double(req_attr(p, "confidence"), "confidence"),
                                            to_double(req_attr(p, "skew"), "skew")});
            d.source.ocr = std::move(ocr);
        }
        pugi::xml_node m = child(root, "municipality");
        d.municipality = Municipality{opt_attr(m, "name"), opt_attr(m, "code")};
        d.title = opt_text(root, "title");
        if (pugi::xml_node fy = root.child("fiscal-year")) {
            d.fiscal_year = FiscalYear{req_attr(fy, "label"), req_attr(fy, "era"), to_int(req_attr(fy, "era-year"), "era-year"),
                                       to_int(req_attr(fy, "gregorian"), "gregorian")};
        }
        pugi::xml_node dept = child(root, "department");
        d.department.name = opt_attr(dept, "name");
        if (pugi::xml_node h = dept.child("head")) d.department.head = Person{opt_attr(h, "title"), opt_attr(h, "name")};
        for (pugi::xml_node o : child(dept, "officers").children("officer"))
            d.department.officers.push_back(Officer{opt_attr(o, "title"), opt_attr(o, "name"), opt_attr(o, "portfolio")});
        for (pugi::xml_node p : child(root, "basic-policy").children("paragraph")) d.basic_policy.emplace_back(p.text().get());
        for (pugi::xml_node g : child(root, "goals").children("goal")) {
            Goal goal;
            goal.number = to_int(req_attr(g, "number"), "number");
            goal.summary_grade = opt_attr(g, "summary-grade");
            if (pugi::xml_node pg = g.child("plan-goal")) goal.plan_goal = PlanGoal{opt_int(pg, "number"), opt_attr(pg, "title")};
            goal.field = opt_text(g, "field");
            goal.title = req_text(g, "title");
            for (pugi::xml_node t : child(g, "targets").children("target"))
                goal.targets.push_back(Target{req_text(t, "text"), opt_text(t, "status"), opt_attr(t, "grade"),
                                              provenance(child(t, "provenance"))});
            for (pugi::xml_node in : child(g, "initiatives").children("initiative")) {
                Initiative i;
                i.text = req_text(in, "text");
                for (pugi::xml_node dv : child(in, "divisions").children("division")) i.divisions.emplace_back(dv.text().get());
                i.results = opt_text(in, "results");
                i.provenance = provenance(child(in, "provenance"));
                goal.initiatives.push_back(std::move(i));
            }
            pugi::xml_node ev = child(g, "evaluation");
            goal.evaluation = Evaluation{opt_text(ev, "summary"), opt_attr(ev, "grade")};
            goal.next_steps = opt_text(g, "next-steps");
            goal.provenance = provenance(child(g, "provenance"));
            d.goals.push_back(std::move(goal));
        }
        for (pugi::xml_node l : child(root, "grade-scale").children("level"))
            d.grade_scale.push_back(GradeLevel{req_attr(l, "grade"), req_attr(l, "label"), opt_text(l, "description"),
                                               opt_int(l, "min-percent"), opt_int(l, "max-percent")});
        for (pugi::xml_node u : child(root, "unassigned").children("item"))
            d.unassigned.push_back(Unassigned{req_text(u, "text"), provenance(child(u, "provenance"))});
        for (pugi::xml_node x : child(root, "diagnostics").children("diagnostic")) {
            auto sev = severity_from_string(req_attr(x, "severity"));
            if (!sev) throw ShapeError("unknown severity");
            std::optional<Provenance> p;
            if (pugi::xml_node pn = x.child("provenance")) p = provenance(pn);
            d.diagnostics.push_back(Diagnostic{*sev, req_attr(x, "code"), req_text(x, "message"), p});
        }
        return d;
    } catch (const ShapeError& e) {
        return Error{ErrorCode::bad_xml, e.what()};
    }
}

}  // namespace hoshin::read
