#include "write/json_writer.h"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "text/normalize.h"

namespace hoshin::write {
namespace {

// JSON written straight from the model: building an nlohmann tree and
// serialising it took a quarter of a text conversion. The bytes are exactly
// nlohmann's dump (indent 2, or compact for JSON Lines): the unit tests parse
// every output with nlohmann and dump it again to prove it.
class Out {
public:
    explicit Out(bool pretty) : pretty_(pretty) {}

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }

    void key(std::string_view k) {
        item();
        quote(k);
        s_ += pretty_ ? "\": " : "\":";
        after_key_ = true;
    }
    void str(std::string_view v) {
        value();
        if (!text::valid_utf8(v)) {
            // Never produced by decode; replaced as nlohmann's error handler would.
            s_ += nlohmann::ordered_json(std::string(v)).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
            return;
        }
        s_ += '"';
        escape(v);
        s_ += '"';
    }
    void num(long v) {
        value();
        s_ += std::to_string(v);
    }
    void real(double v) {
        value();
        s_ += nlohmann::ordered_json(v).dump();
    }
    void null() {
        value();
        s_ += "null";
    }
    void opt(const std::optional<std::string>& v) { v ? str(*v) : null(); }
    void opt(const std::optional<int>& v) { v ? num(*v) : null(); }

    // key: value shorthands
    void field(std::string_view k, std::string_view v) { key(k), str(v); }
    void field(std::string_view k, const std::string& v) { key(k), str(v); }
    void field(std::string_view k, const std::optional<std::string>& v) { key(k), opt(v); }
    void field(std::string_view k, const std::optional<int>& v) { key(k), opt(v); }
    void field(std::string_view k, int v) { key(k), num(v); }

    std::string take() { return std::move(s_); }

private:
    void item() {
        if (count_.back()++ > 0) s_ += ',';
        if (pretty_) newline(count_.size() - 1);
    }
    void value() {
        if (after_key_) {
            after_key_ = false;
            return;
        }
        if (count_.size() > 1) item();  // an array element (top level: no separator)
    }
    void open(char c) {
        value();
        s_ += c;
        count_.push_back(0);
    }
    void close(char c) {
        size_t n = count_.back();
        count_.pop_back();
        if (n > 0 && pretty_) newline(count_.size() - 1);
        s_ += c;
    }
    void newline(size_t depth) {
        s_ += '\n';
        s_.append(2 * depth, ' ');
    }
    void quote(std::string_view k) {
        s_ += '"';
        escape(k);
    }
    void escape(std::string_view v) {
        size_t plain = 0;
        for (size_t i = 0; i < v.size(); ++i) {
            auto c = static_cast<unsigned char>(v[i]);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            s_.append(v.substr(plain, i - plain));
            plain = i + 1;
            switch (c) {
                case '"': s_ += "\\\""; break;
                case '\\': s_ += "\\\\"; break;
                case '\b': s_ += "\\b"; break;
                case '\f': s_ += "\\f"; break;
                case '\n': s_ += "\\n"; break;
                case '\r': s_ += "\\r"; break;
                case '\t': s_ += "\\t"; break;
                default: {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    s_ += buf;
                }
            }
        }
        s_.append(v.substr(plain));
    }

    bool pretty_;
    bool after_key_ = false;
    std::vector<size_t> count_{0};  // items so far in each open container; [0] is the top level
    std::string s_;
};

void provenance(Out& o, const Provenance& p) {
    o.begin_object();
    o.field("page", p.page);
    o.field("line_start", p.line_start);
    o.field("line_end", p.line_end);
    o.key("bbox");
    if (p.bbox) {
        o.begin_array();
        for (double v : *p.bbox) o.real(v);
        o.end_array();
    } else {
        o.null();
    }
    o.key("confidence");
    if (p.confidence) o.real(*p.confidence);
    else o.null();
    o.end_object();
}

void strings(Out& o, const std::vector<std::string>& v) {
    o.begin_array();
    for (const std::string& s : v) o.str(s);
    o.end_array();
}

void document(Out& o, const Document& d) {
    o.begin_object();
    o.field("schema_version", d.schema_version);
    o.key("source");
    o.begin_object();
    o.field("path", d.source.path);
    o.field("format", d.source.format);
    o.field("sha256", d.source.sha256);
    o.field("encoding", d.source.encoding);
    o.field("pages", d.source.pages);
    o.key("ocr");
    if (const auto& ocr = d.source.ocr) {
        o.begin_object();
        o.field("engine", ocr->engine);
        o.field("version", ocr->version);
        o.field("language", ocr->language);
        o.field("dpi", ocr->dpi);
        o.key("pages");
        o.begin_array();
        for (const OcrPage& p : ocr->pages) {
            o.begin_object();
            o.field("page", p.page);
            o.key("confidence");
            o.real(p.confidence);
            o.key("skew");
            o.real(p.skew);
            o.end_object();
        }
        o.end_array();
        o.end_object();
    } else {
        o.null();
    }
    o.end_object();
    o.key("municipality");
    o.begin_object();
    o.field("name", d.municipality.name);
    o.field("code", d.municipality.code);
    o.end_object();
    o.field("title", d.title);
    o.key("fiscal_year");
    if (d.fiscal_year) {
        o.begin_object();
        o.field("label", d.fiscal_year->label);
        o.field("era", d.fiscal_year->era);
        o.field("era_year", d.fiscal_year->era_year);
        o.field("gregorian", d.fiscal_year->gregorian);
        o.end_object();
    } else {
        o.null();
    }
    o.key("department");
    o.begin_object();
    o.field("name", d.department.name);
    o.key("head");
    if (d.department.head) {
        o.begin_object();
        o.field("title", d.department.head->title);
        o.field("name", d.department.head->name);
        o.end_object();
    } else {
        o.null();
    }
    o.key("officers");
    o.begin_array();
    for (const Officer& x : d.department.officers) {
        o.begin_object();
        o.field("title", x.title);
        o.field("name", x.name);
        o.field("portfolio", x.portfolio);
        o.end_object();
    }
    o.end_array();
    o.end_object();
    o.key("basic_policy");
    strings(o, d.basic_policy);
    o.key("goals");
    o.begin_array();
    for (const Goal& g : d.goals) {
        o.begin_object();
        o.field("number", g.number);
        o.key("plan_goal");
        if (g.plan_goal) {
            o.begin_object();
            o.field("number", g.plan_goal->number);
            o.field("title", g.plan_goal->title);
            o.end_object();
        } else {
            o.null();
        }
        o.field("field", g.field);
        o.field("title", g.title);
        o.field("summary_grade", g.summary_grade);
        o.key("targets");
        o.begin_array();
        for (const Target& t : g.targets) {
            o.begin_object();
            o.field("text", t.text);
            o.field("status", t.status);
            o.field("grade", t.grade);
            o.key("provenance");
            provenance(o, t.provenance);
            o.end_object();
        }
        o.end_array();
        o.key("initiatives");
        o.begin_array();
        for (const Initiative& in : g.initiatives) {
            o.begin_object();
            o.field("text", in.text);
            o.key("divisions");
            strings(o, in.divisions);
            o.field("results", in.results);
            o.key("provenance");
            provenance(o, in.provenance);
            o.end_object();
        }
        o.end_array();
        o.key("evaluation");
        o.begin_object();
        o.field("summary", g.evaluation.summary);
        o.field("grade", g.evaluation.grade);
        o.end_object();
        o.field("next_steps", g.next_steps);
        o.key("provenance");
        provenance(o, g.provenance);
        o.end_object();
    }
    o.end_array();
    o.key("grade_scale");
    o.begin_array();
    for (const GradeLevel& l : d.grade_scale) {
        o.begin_object();
        o.field("grade", l.grade);
        o.field("label", l.label);
        o.field("description", l.description);
        o.field("min_percent", l.min_percent);
        o.field("max_percent", l.max_percent);
        o.end_object();
    }
    o.end_array();
    o.key("unassigned");
    o.begin_array();
    for (const Unassigned& u : d.unassigned) {
        o.begin_object();
        o.field("text", u.text);
        o.key("provenance");
        provenance(o, u.provenance);
        o.end_object();
    }
    o.end_array();
    o.key("diagnostics");
    o.begin_array();
    for (const Diagnostic& x : d.diagnostics) {
        o.begin_object();
        o.field("severity", std::string_view(to_string(x.severity)));
        o.field("code", x.code);
        o.field("message", x.message);
        o.key("provenance");
        if (x.provenance) provenance(o, *x.provenance);
        else o.null();
        o.end_object();
    }
    o.end_array();
    o.end_object();
}

}  // namespace

std::string to_json(const Document& doc) {
    Out o(true);
    document(o, doc);
    return o.take() + "\n";
}

std::string to_json_line(const Document& doc) {
    Out o(false);
    document(o, doc);
    return o.take() + "\n";
}

std::string to_json(const std::vector<Document>& docs) {
    Out o(true);
    o.begin_array();
    for (const Document& d : docs) document(o, d);
    o.end_array();
    return o.take() + "\n";
}

}  // namespace hoshin::write
