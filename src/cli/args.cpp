#include "cli/args.h"

#include <iostream>

namespace hoshin::cli {
namespace {

const CLI::Option* find_long(const CLI::App& app, const std::string& name) {
    for (const CLI::Option* o : app.get_options())
        if (!o->get_lnames().empty() && o->check_lname(name)) return o;
    return nullptr;
}

const CLI::Option* find_short(const CLI::App& app, char c) {
    for (const CLI::Option* o : app.get_options())
        if (!o->get_snames().empty() && o->check_sname(std::string(1, c))) return o;
    return nullptr;
}

bool takes_value(const CLI::Option* o) { return o->get_items_expected_min() > 0; }

bool looks_like_number(const std::string& a) { return a.size() > 1 && a[0] == '-' && (std::isdigit(static_cast<unsigned char>(a[1])) || a[1] == '.'); }

}  // namespace

int Usage::error(const std::string& command, const std::string& message) {
    std::cerr << "hoshin: " << (command.empty() ? "" : command + ": ") << message << "\n" << m_("run-help") << "\n";
    return kUsageError;
}

std::optional<int> Usage::check(CLI::App& app, const std::vector<std::string>& args) {
    CLI::App* scope = nullptr;  // the subcommand, once named
    bool help = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--") break;  // the rest are positionals
        CLI::App& in = scope ? *scope : app;
        if (a.size() > 2 && a[0] == '-' && a[1] == '-') {
            size_t eq = a.find('=');
            std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
            const CLI::Option* o = find_long(in, name);
            if (!o) return error(command_, m_("unknown-option", {a.substr(0, eq)}));
            if (o == app.get_help_ptr() || (scope && o == scope->get_help_ptr())) help = true;
            if (takes_value(o) && eq == std::string::npos) {
                if (i + 1 == args.size()) return help ? std::nullopt : std::optional<int>(error(command_, m_("needs-value", {a})));
                ++i;
            }
            continue;
        }
        if (a.size() > 1 && a[0] == '-' && !looks_like_number(a)) {
            for (size_t k = 1; k < a.size(); ++k) {
                const CLI::Option* o = find_short(in, a[k]);
                if (!o) return error(command_, m_("unknown-option", {"-" + std::string(1, a[k])}));
                if (o == app.get_help_ptr() || (scope && o == scope->get_help_ptr())) help = true;
                if (takes_value(o)) {
                    if (k + 1 == a.size()) {
                        if (i + 1 == args.size()) return help ? std::nullopt : std::optional<int>(error(command_, m_("needs-value", {a})));
                        ++i;
                    }
                    break;
                }
            }
            continue;
        }
        if (scope) continue;  // a positional of the subcommand
        for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
            if (sub->get_name() == a) scope = sub;
        if (!scope) return error("", m_("unknown-subcommand", {a}));
        command_ = a;
    }
    if (!scope && !help) {
        for (const std::string& a : args)
            if (a == "--version") return std::nullopt;
        return error("", m_("subcommand-required"));
    }
    return std::nullopt;
}

int Usage::fail(CLI::App&, const CLI::ParseError& e) {
    std::string what = e.what();
    if (dynamic_cast<const CLI::RequiredError*>(&e)) {
        const std::string tail = " is required";
        if (what.size() > tail.size() && what.compare(what.size() - tail.size(), tail.size(), tail) == 0)
            return error(command_, m_("is-required", {what.substr(0, what.size() - tail.size())}));
    }
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
        size_t colon = what.find(": ");
        std::string extra = colon == std::string::npos ? what : what.substr(colon + 2);
        if (size_t sp = extra.find(' '); sp != std::string::npos) extra.resize(sp);
        return error(command_, m_("unexpected-argument", {extra}));
    }
    return error(command_, what);
}

void localize(CLI::App& app, const Messages& m) {
    if (m.lang() != Lang::ja) return;
    auto f = app.get_formatter();
    f->label("Usage", m("label:usage"));
    f->label("OPTIONS", m("label:options"));
    f->label("SUBCOMMAND", m("label:subcommand"));
    f->label("SUBCOMMANDS", m("label:subcommands"));
    f->label("Positionals", m("label:positionals"));
    f->label("REQUIRED", m("label:required"));
    f->label("TEXT", m("label:text"));
    f->label("INT", m("label:int"));
    app.option_defaults()->group(m("label:option-group"));
}

CLI::Validator one_of(std::vector<std::string> choices, const Messages& m) {
    std::string list;
    for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
    return CLI::Validator(
        [choices, list, &m](std::string& v) -> std::string {
            for (const std::string& c : choices)
                if (v == c) return {};
            return m("not-one-of", {v, list});
        },
        "");
}

CLI::Validator whole_number(int lo, int hi, const Messages& m) {
    return CLI::Validator(
        [lo, hi, &m](std::string& v) -> std::string {
            size_t i = !v.empty() && v[0] == '-' ? 1 : 0;
            bool digits = v.size() > i && v.find_first_not_of("0123456789", i) == std::string::npos;
            if (!digits) return m("not-a-whole-number", {v});
            if (v.size() > 10 || std::stoll(v) < lo || std::stoll(v) > hi)
                return m("out-of-range", {v, std::to_string(lo), std::to_string(hi)});
            return {};
        },
        "");
}

}  // namespace hoshin::cli
