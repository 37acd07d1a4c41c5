#include "write/xml_writer.h"

#include <pugixml.hpp>

#include <charconv>
#include <sstream>

namespace hoshin::write {
namespace {

void attr(pugi::xml_node n, const char* name, const std::string& v) { n.append_attribute(name).set_value(v.c_str()); }
void attr(pugi::xml_node n, const char* name, int v) { attr(n, name, std::to_string(v)); }
void attr(pugi::xml_node n, const char* name, const std::optional<std::string>& v) {
    if (v) attr(n, name, *v);
}
void attr(pugi::xml_node n, const char* name, const std::optional<int>& v) {
    if (v) attr(n, name, *v);
}

void text(pugi::xml_node parent, const char* name, const std::string& v) {
    parent.append_child(name).append_child(pugi::node_pcdata).set_value(v.c_str());
}
void text(pugi::xml_node parent, const char* name, const std::optional<std::string>& v) {
    if (v) text(parent, name, *v);
}

void provenance(pugi::xml_node parent, const Provenance& p) {
    pugi::xml_node n = parent.append_child("provenance");
    attr(n, "page", p.page);
    attr(n, "line-start", p.line_start);
    attr(n, "line-end", p.line_end);
    if (p.bbox) {
        const auto& b = *p.bbox;
        attr(n, "bbox", format_double(b[0]) + " " + format_double(b[1]) + " " + format_double(b[2]) + " " + format_double(b[3]));
    }
    if (p.confidence) attr(n, "confidence", format_double(*p.confidence));
}

}  // namespace

std::string format_double(double v) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string to_xml(const Document& d) {
    pugi::xml_document xml;
    pugi::xml_node decl = xml.append_child(pugi::node_declaration);
    decl.append_attribute("version").set_value("1.0");
    decl.append_attribute("encoding").set_value("UTF-8");
    pugi::xml_node root = xml.append_child("policy-document");
    attr(root, "xmlns", std::string(kXmlNamespace));
    attr(root, "schema-version", d.schema_version);

    pugi::xml_node src = root.append_child("source");
    attr(src, "path", d.source.path);
    attr(src, "format", d.source.format);
    attr(src, "sha256", d.source.sha256);
    attr(src, "encoding", d.source.encoding);
    attr(src, "pages", d.source.pages);
    if (const auto& ocr = d.source.ocr) {
        pugi::xml_node o = src.append_child("ocr");
        attr(o, "engine", ocr->engine);
        attr(o, "version", ocr->version);
        attr(o, "language", ocr->language);
        attr(o, "dpi", ocr->dpi);
        for (const OcrPage& p : ocr->pages) {
            pugi::xml_node pn = o.append_child("page");
            attr(pn, "number", p.page);
            attr(pn, "confidence", format_double(p.confidence));
            attr(pn, "skew", format_double(p.skew));
        }
    }

    pugi::xml_node muni = root.append_child("municipality");
    attr(muni, "name", d.municipality.name);
    attr(muni, "code", d.municipality.code);
    text(root, "title", d.title);
    if (d.fiscal_year) {
        pugi::xml_node fy = root.append_child("fiscal-year");
        attr(fy, "label", d.fiscal_year->label);
        attr(fy, "era", d.fiscal_year->era);
        attr(fy, "era-year", d.fiscal_year->era_year);
        attr(fy, "gregorian", d.fiscal_year->gregorian);
    }
    pugi::xml_node dept = root.append_child("department");
    attr(dept, "name", d.department.name);
    if (d.department.head) {
        pugi::xml_node head = dept.append_child("head");
        attr(head, "title", d.department.head->title);
        attr(head, "name", d.department.head->name);
    }
    pugi::xml_node officers = dept.append_child("officers");
    for (const Officer& o : d.department.officers) {
        pugi::xml_node n = officers.append_child("officer");
        attr(n, "title", o.title);
        attr(n, "name", o.name);
        attr(n, "portfolio", o.portfolio);
    }
    pugi::xml_node bp = root.append_child("basic-policy");
    for (const std::string& p : d.basic_policy) text(bp, "paragraph", p);

    pugi::xml_node goals = root.append_child("goals");
    for (const Goal& g : d.goals) {
        pugi::xml_node n = goals.append_child("goal");
        attr(n, "number", g.number);
        attr(n, "summary-grade", g.summary_grade);
        if (g.plan_goal) {
            pugi::xml_node pg = n.append_child("plan-goal");
            attr(pg, "number", g.plan_goal->number);
            attr(pg, "title", g.plan_goal->title);
        }
        text(n, "field", g.field);
        text(n, "title", g.title);
        pugi::xml_node targets = n.append_child("targets");
        for (const Target& t : g.targets) {
            pugi::xml_node tn = targets.append_child("target");
            attr(tn, "grade", t.grade);
            text(tn, "text", t.text);
            text(tn, "status", t.status);
            provenance(tn, t.provenance);
        }
        pugi::xml_node inits = n.append_child("initiatives");
        for (const Initiative& in : g.initiatives) {
            pugi::xml_node inn = inits.append_child("initiative");
            text(inn, "text", in.text);
            pugi::xml_node divs = inn.append_child("divisions");
            for (const std::string& dv : in.divisions) text(divs, "division", dv);
            text(inn, "results", in.results);
            provenance(inn, in.provenance);
        }
        pugi::xml_node ev = n.append_child("evaluation");
        attr(ev, "grade", g.evaluation.grade);
        text(ev, "summary", g.evaluation.summary);
        text(n, "next-steps", g.next_steps);
        provenance(n, g.provenance);
    }
    pugi::xml_node scale = root.append_child("grade-scale");
    for (const GradeLevel& l : d.grade_scale) {
        pugi::xml_node n = scale.append_child("level");
        attr(n, "grade", l.grade);
        attr(n, "label", l.label);
        attr(n, "min-percent", l.min_percent);
        attr(n, "max-percent", l.max_percent);
        text(n, "description", l.description);
    }
    pugi::xml_node un = root.append_child("unassigned");
    for (const Unassigned& u : d.unassigned) {
        pugi::xml_node n = un.append_child("item");
        text(n, "text", u.text);
        provenance(n, u.provenance);
    }
    pugi::xml_node diags = root.append_child("diagnostics");
    for (const Diagnostic& x : d.diagnostics) {
        pugi::xml_node n = diags.append_child("diagnostic");
        attr(n, "severity", std::string(to_string(x.severity)));
        attr(n, "code", x.code);
        text(n, "message", x.message);
        if (x.provenance) provenance(n, *x.provenance);
    }
    std::ostringstream out;
    out.imbue(std::locale::classic());
    xml.save(out, "  ", pugi::format_indent, pugi::encoding_utf8);
    return out.str();
}

}  // namespace hoshin::write
