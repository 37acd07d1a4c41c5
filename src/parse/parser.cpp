#include "parse/parser.h"

#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <map>
#include <set>

#include "text/era.h"
#include "text/normalize.h"

namespace hoshin::parse {
namespace {

using layout::Cell;
using layout::Row;

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> to_int(std::string_view s) {
    if (!all_digits(s) || s.size() > 6) return std::nullopt;
    return std::stoi(std::string(s));
}

// "(5)" -> 5 (on a match key, so full-width forms are already folded).
std::optional<int> parenthesised_number(std::string_view key) {
    if (key.size() >= 3 && key.front() == '(' && key.back() == ')') key = key.substr(1, key.size() - 2);
    return to_int(key);
}

void extend(Provenance& p, const Row& r) {
    if (p.line_start == 0) {
        p = r.provenance();
        return;
    }
    p.line_end = std::max(p.line_end, r.line);
    if (r.confidence) p.confidence = p.confidence ? std::min(*p.confidence, *r.confidence) : *r.confidence;
    if (p.bbox && r.bbox && r.page == p.page) {
        auto& b = *p.bbox;
        const auto& o = *r.bbox;
        b = {std::min(b[0], o[0]), std::min(b[1], o[1]), std::max(b[2], o[2]), std::max(b[3], o[3])};
    }
}

// In place: a paragraph of many wrapped lines must not be copied per line.
void append(std::string& field, const std::string& text, bool paragraph) {
    if (field.empty()) {
        field = text;
    } else if (paragraph) {
        field += '\n';
        field += text;
    } else {
        text::append_line(field, text);
    }
}

void append(std::optional<std::string>& field, const std::string& text, bool paragraph) {
    if (!field) field.emplace();
    append(*field, text, paragraph);
}

struct SummaryEntry {
    int number = 0;
    size_t first_row = 0, last_row = 0;  // row indexes
    size_t number_col = 0;
    int plan_title_col = -1, field_col = -1;  // where a wrapped cell continues
    std::optional<PlanGoal> plan_goal;
    std::optional<std::string> field;
    std::string title;
    std::optional<std::string> grade;
    Provenance provenance;
};

// The text after the shortest prefix whose match key is `key`.
std::optional<std::string> after_prefix(const std::string& text, const std::string& key) {
    std::string prefix;
    for (const std::string& cp : text::code_points(text)) {
        prefix += cp;
        std::string k = text::match_key(prefix);
        if (k == key) return text::clean(text.substr(prefix.size()));
        if (k.size() > key.size() || key.compare(0, k.size(), k) != 0) return std::nullopt;
    }
    return std::nullopt;
}

bool same_cells(const Row& a, const Row& b) {
    auto fa = a.filled(), fb = b.filled();
    if (fa.size() != fb.size()) return false;
    for (size_t k = 0; k < fa.size(); ++k)
        if (fa[k]->key != fb[k]->key) return false;
    return true;
}

struct GoalRow {
    int number = 0;
    std::string title;
};

// What parse_goal_body tracks down a goal's detail page.
struct GoalBody {
    Goal& goal;
    std::vector<Label> columns;  // the labels over the columns of the rows below
    bool fresh_target = false, fresh_initiative = false;  // the next text opens a new item
    bool blank_before = false;  // an empty line before this row, after content
    bool any_content = false;   // content since the labels were opened
};

class Parser {
public:
    Parser(const std::vector<Row>& rows, const Profile& p) : rows_(rows), p_(p), used_(rows.size(), false) {}

    Result<Document> run();
    bool landmark(const Row& r) const { return is_landmark(r); }
    bool title_row(const Row& r) const {
        for (const Cell& c : r.cells)
            for (const std::string& m : p_.title_markers)
                if (!c.key.empty() && c.key.find(m) != std::string::npos) return true;
        return false;
    }

private:
    // Landmarks
    std::optional<std::pair<Section, std::string>> section_marker(const Row& r, bool* known) const;
    bool is_detail_department(const Row& r) const;
    std::optional<GoalRow> goal_row(const Row& r) const;
    bool is_landmark(const Row& r) const;
    // The first non-blank row of a page after the first (where a table's
    // heading row is repeated).
    bool at_page_top(size_t i) const {
        for (size_t k = i; k-- > 0;) {
            if (rows_[k].page != rows_[i].page) return true;
            if (!rows_[k].blank()) return false;
        }
        return false;
    }

    // Stages
    void parse_header(size_t begin, size_t end);
    void parse_basic_policy(size_t begin, size_t end);
    void parse_summary(size_t begin, size_t end);
    void parse_grade_scale(size_t begin, size_t end);
    void parse_details(size_t begin, size_t end);
    void parse_goal_body(Goal& goal, size_t begin, size_t end);
    // parse_goal_body's steps, row by row.
    void apply(GoalBody& b, Label label, const Cell& cell, const Row& r);
    void apply_to_target(GoalBody& b, Label label, const Cell& cell, const Row& r);
    template <class Item>
    void open_or_continue(std::vector<Item>& items, bool& fresh, Item item, const Row& r, bool blank_before);
    void apply_to_initiative(GoalBody& b, Label label, const Cell& cell, const Row& r);
    void grade_into(GoalBody& b, std::optional<std::string>& slot, const char* what, const Cell& cell, const Row& r);
    void open_columns(GoalBody& b, std::vector<Label> labels);
    void label_value_pairs(GoalBody& b, const Row& r, const std::vector<Label>& labels, size_t first);
    bool label_in_cell(GoalBody& b, const Row& r, size_t first);
    void content_row(GoalBody& b, const Row& r);
    void merge_summary();

    // Bookkeeping
    void use(size_t i) { used_[i] = true; }
    void unassigned(const std::string& text, const Provenance& prov, const std::string& why);
    void diag(Severity s, std::string code, std::string message, std::optional<Provenance> prov = std::nullopt);
    void collect_leftovers();

    const std::vector<Row>& rows_;
    const Profile& p_;
    std::vector<bool> used_;
    Document doc_;
    std::vector<SummaryEntry> summary_;
    bool saw_summary_ = false, saw_basic_policy_ = false, saw_grade_scale_ = false;
    size_t dropped_diagnostics_ = 0;
};

void Parser::diag(Severity s, std::string code, std::string message, std::optional<Provenance> prov) {
    if (doc_.diagnostics.size() >= kMaxDiagnostics) {
        ++dropped_diagnostics_;
        return;
    }
    doc_.diagnostics.push_back(Diagnostic{s, std::move(code), std::move(message), std::move(prov)});
}

void Parser::unassigned(const std::string& text, const Provenance& prov, const std::string& why) {
    if (text.empty()) return;
    doc_.unassigned.push_back(Unassigned{text, prov});
    diag(Severity::warning, "unassigned-text", why + ": text kept in unassigned", prov);
}

std::optional<std::pair<Section, std::string>> Parser::section_marker(const Row& r, bool* known) const {
    auto filled = r.filled();
    if (filled.empty()) return std::nullopt;
    const std::string& t = filled.front()->text;
    for (const std::string& open : p_.section_open) {
        if (t.rfind(open, 0) != 0) continue;
        for (const std::string& close : p_.section_close) {
            size_t at = t.find(close, open.size());
            if (at == std::string::npos) continue;
            std::string name = text::match_key(t.substr(open.size(), at - open.size()));
            std::string rest = text::clean(t.substr(at + close.size()));
            for (size_t k = 1; k < filled.size(); ++k) rest = text::join_lines(rest, filled[k]->text);
            Section s = p_.section(name);
            if (known) *known = s != Section::none;
            return std::pair{s, rest};
        }
    }
    return std::nullopt;
}

bool Parser::is_detail_department(const Row& r) const {
    auto filled = r.filled();
    return !filled.empty() && p_.label(filled.front()->key) == Label::department;
}

std::optional<GoalRow> Parser::goal_row(const Row& r) const {
    auto filled = r.filled();
    if (filled.empty()) return std::nullopt;
    const std::string& key = filled.front()->key;
    for (const std::string& label : p_.goal_labels) {
        if (key.rfind(label, 0) != 0) continue;
        std::string rest = key.substr(label.size());
        size_t next = 1;
        if (rest.empty() && filled.size() > 1 && all_digits(filled[1]->key)) rest = filled[next++]->key;
        auto number = to_int(rest);
        if (!number) continue;
        GoalRow g;
        g.number = *number;
        for (size_t k = next; k < filled.size(); ++k) g.title = text::join_lines(g.title, filled[k]->text);
        return g;
    }
    return std::nullopt;
}

bool Parser::is_landmark(const Row& r) const {
    return section_marker(r, nullptr) || is_detail_department(r) || goal_row(r);
}

void Parser::parse_header(size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
        const Row& r = rows_[i];
        if (r.blank() || r.rule()) continue;
        auto filled = r.filled();
        bool is_title = false;
        if (!doc_.title) {
            for (const Cell* c : filled)
                for (const std::string& m : p_.title_markers) is_title = is_title || c->key.find(m) != std::string::npos;
        }
        if (is_title) {
            doc_.title = r.joined();
            use(i);
            continue;
        }
        // Label/value pairs: department, its head, and officers.
        std::vector<std::pair<std::string, std::string>> pairs;  // (label text, value)
        std::vector<const Cell*> leftover;
        if (filled.size() == 1) {
            auto [head, rest] = text::split_head(filled[0]->text);
            if (!rest.empty() && (p_.has(p_.header_department, text::match_key(head)) ||
                                  p_.has(p_.header_head, text::match_key(head)))) {
                pairs.emplace_back(head, text::clean(rest));
            } else {
                leftover.push_back(filled[0]);
            }
        } else {
            for (size_t k = 0; k + 1 < filled.size(); k += 2) pairs.emplace_back(filled[k]->text, filled[k + 1]->text);
            if (filled.size() % 2 == 1) leftover.push_back(filled.back());
        }
        for (auto& [label, value] : pairs) {
            std::string key = text::match_key(label);
            if (p_.has(p_.header_department, key)) {
                if (doc_.department.name && *doc_.department.name != value) {
                    unassigned(label + " " + value, r.provenance(), "second department name in the header");
                } else {
                    doc_.department.name = value;
                }
            } else if (p_.has(p_.header_head, key)) {
                if (doc_.department.head) {
                    unassigned(label + " " + value, r.provenance(), "second department head in the header");
                } else {
                    doc_.department.head = Person{label, value};
                }
            } else {
                auto [name, portfolio] = split_portfolio(value);
                doc_.department.officers.push_back(Officer{label, name, portfolio});
            }
        }
        for (const Cell* c : leftover) unassigned(c->text, r.provenance(), "header text that is not a label/value pair");
        use(i);
    }
}

void Parser::parse_basic_policy(size_t begin, size_t end) {
    saw_basic_policy_ = true;
    std::string paragraph;
    for (size_t i = begin; i <= end; ++i) {
        if (i == end || rows_[i].blank()) {
            if (!paragraph.empty()) doc_.basic_policy.push_back(std::move(paragraph));
            paragraph.clear();
            continue;
        }
        if (rows_[i].rule()) continue;
        text::append_line(paragraph, rows_[i].joined());
        use(i);
    }
}

void Parser::parse_summary(size_t begin, size_t end) {
    saw_summary_ = true;
    SummaryEntry* cur = nullptr;
    int grade_col = -1;
    // Cells of a goal's first row that are not understood yet: a heading cell
    // such as "<era year> achievement" may wrap, or break across a page, and
    // be completed by the rows that follow.
    struct Pending {
        size_t col;
        std::string text;
        Provenance provenance;
    };
    std::vector<Pending> pending;
    auto grade_heading = [&](const std::string& key) {
        return p_.has_within(p_.grade_column_labels, key);
    };
    auto flush_pending = [&] {
        for (const Pending& c : pending) unassigned(c.text, c.provenance, "unexpected cell in the goal summary table");
        pending.clear();
    };
    for (size_t i = begin; i < end; ++i) {
        const Row& r = rows_[i];
        if (r.blank() || r.rule()) continue;
        const auto& cells = r.cells;
        // The number opens a goal's row; PDF rows may hold empty cells before it.
        size_t first = 0;
        while (first < cells.size() && cells[first].key.empty()) ++first;
        if (auto number = to_int(cells[first].key)) {
            // A table's heading row repeated at the top of the next page.
            bool repeated = false;
            if (at_page_top(i))
                for (const SummaryEntry& e : summary_) repeated = repeated || same_cells(rows_[e.first_row], r);
            if (repeated) {
                use(i);
                continue;
            }
            flush_pending();
            summary_.push_back(SummaryEntry{});
            cur = &summary_.back();
            cur->number = *number;
            cur->first_row = cur->last_row = i;
            cur->number_col = first;
            cur->provenance = r.provenance();
            grade_col = -1;
            for (size_t k = first + 1; k < cells.size(); ++k) {
                const std::string& key = cells[k].key;
                if (key.empty()) continue;
                // The next filled cell, if it is a value (PDF rows have empty
                // cells between columns).
                auto next_value = [&](size_t at) -> std::optional<size_t> {
                    while (at < cells.size() && cells[at].key.empty()) ++at;
                    if (at >= cells.size() || p_.has(p_.plan_goal_labels, cells[at].key) ||
                        p_.has(p_.field_labels, cells[at].key))
                        return std::nullopt;
                    return at;
                };
                if (p_.has(p_.plan_goal_labels, key)) {
                    PlanGoal pg;
                    if (auto at = next_value(k + 1)) {
                        if (auto n = parenthesised_number(cells[*at].key)) {
                            pg.number = n;
                            k = *at;
                        }
                    }
                    if (auto at = next_value(k + 1)) {
                        k = *at;
                        pg.title = cells[k].text;
                        cur->plan_title_col = static_cast<int>(k);
                    }
                    cur->plan_goal = pg;
                } else if (p_.has(p_.field_labels, key)) {
                    if (auto at = next_value(k + 1)) {
                        k = *at;
                        cur->field = cells[k].text;
                        cur->field_col = static_cast<int>(k);
                    }
                } else if (grade_heading(key)) {
                    grade_col = static_cast<int>(k);
                } else {
                    pending.push_back(Pending{k, cells[k].text, r.provenance()});
                }
            }
            use(i);
        } else if (cur && first > cur->number_col) {
            for (size_t k = first; k < cells.size(); ++k) {
                if (cells[k].text.empty()) continue;
                auto open = std::find_if(pending.begin(), pending.end(), [&](const Pending& c) { return c.col == k; });
                if (open != pending.end()) {
                    open->text = text::join_lines(open->text, cells[k].text);
                    if (grade_heading(text::match_key(open->text))) {
                        grade_col = static_cast<int>(k);
                        pending.erase(open);
                    }
                    continue;
                }
                if (static_cast<int>(k) == grade_col) {
                    if (auto g = p_.grade(cells[k].key); g && !cur->grade) {
                        cur->grade = g;
                    } else if (g) {
                        unassigned(cells[k].text, r.provenance(), "second grade for one goal in the summary table");
                    } else {
                        doc_.unassigned.push_back(Unassigned{cells[k].text, r.provenance()});
                        diag(Severity::warning, "invalid-grade",
                             "goal " + std::to_string(cur->number) + ": '" + cells[k].text +
                                 "' is not a grade of the scale (summary table); text kept in unassigned",
                             r.provenance());
                    }
                } else if (static_cast<int>(k) == cur->plan_title_col && cur->plan_goal) {
                    append(cur->plan_goal->title, cells[k].text, false);
                } else if (static_cast<int>(k) == cur->field_col) {
                    append(cur->field, cells[k].text, false);
                } else {
                    append(cur->title, cells[k].text, false);
                }
            }
            extend(cur->provenance, r);
            cur->last_row = i;
            use(i);
        }
    }
    flush_pending();
}

void Parser::parse_grade_scale(size_t begin, size_t end) {
    saw_grade_scale_ = true;
    for (size_t i = begin; i < end; ++i) {
        const Row& r = rows_[i];
        if (r.blank() || r.rule()) continue;
        if (auto level = parse_grade_line(r.joined(), p_)) {
            doc_.grade_scale.push_back(std::move(*level));
            use(i);
        }
    }
}

void Parser::parse_details(size_t begin, size_t end) {
    std::optional<size_t> goal_start;
    auto close_goal = [&](size_t stop) {
        if (!goal_start) return;
        const Row& r = rows_[*goal_start];
        auto g = goal_row(r);
        Goal goal;
        goal.number = g->number;
        goal.title = g->title;
        goal.provenance = r.provenance();
        use(*goal_start);
        parse_goal_body(goal, *goal_start + 1, stop);
        for (size_t k = *goal_start + 1; k < stop; ++k)
            if (!rows_[k].blank() && !rows_[k].rule() && !is_detail_department(rows_[k])) extend(goal.provenance, rows_[k]);
        doc_.goals.push_back(std::move(goal));
        goal_start.reset();
    };
    for (size_t i = begin; i < end; ++i) {
        const Row& r = rows_[i];
        if (is_detail_department(r)) {
            // Not a goal boundary: a table's repeated heading row brings it
            // back in the middle of a goal that continues on the next page.
            auto filled = r.filled();
            if (filled.size() >= 2) {
                const std::string& name = filled[1]->text;
                if (!doc_.department.name) {
                    doc_.department.name = name;
                } else if (text::match_key(name) != text::match_key(*doc_.department.name)) {
                    diag(Severity::warning, "department-mismatch",
                         "detail page names department '" + name + "', the header '" + *doc_.department.name + "'",
                         r.provenance());
                }
            }
            for (size_t k = 2; k < filled.size(); ++k)
                unassigned(filled[k]->text, r.provenance(), "extra cell after the department name");
            use(i);
        } else if (goal_row(r)) {
            close_goal(i);
            if (doc_.goals.size() > kMaxGoals) return;
            goal_start = i;
        }
    }
    close_goal(end);
}

// A division cell may name several divisions, split at the profile's separators.
std::vector<std::string> split_divisions(const std::string& text, const std::vector<std::string>& separators) {
    std::vector<std::string> parts{text};
    for (const std::string& sep : separators) {
        std::vector<std::string> next;
        for (const std::string& part : parts) {
            size_t s = 0, at;
            while ((at = part.find(sep, s)) != std::string::npos) {
                next.push_back(part.substr(s, at - s));
                s = at + sep.size();
            }
            next.push_back(part.substr(s));
        }
        parts = std::move(next);
    }
    std::vector<std::string> out;
    for (const std::string& part : parts) {
        std::string d = text::clean(part);
        if (!d.empty()) out.push_back(d);
    }
    return out;
}

void Parser::grade_into(GoalBody& b, std::optional<std::string>& slot, const char* what, const Cell& cell, const Row& r) {
    auto g = p_.grade(cell.key);
    if (!g) {
        doc_.unassigned.push_back(Unassigned{cell.text, r.provenance()});
        diag(Severity::warning, "invalid-grade",
             "goal " + std::to_string(b.goal.number) + ": '" + cell.text + "' is not a grade of the scale (" + what +
                 "); text kept in unassigned",
             r.provenance());
    } else if (slot) {
        unassigned(cell.text, r.provenance(), std::string("second grade for one ") + what);
    } else {
        slot = g;
    }
}

// An item's own text (a target's or an initiative's): a new item when one is
// due (its column was just opened, or there is none yet), else the last one
// continued.
template <class Item>
void Parser::open_or_continue(std::vector<Item>& items, bool& fresh, Item item, const Row& r, bool blank_before) {
    if (fresh || items.empty()) {
        items.push_back(std::move(item));
        fresh = false;
        return;
    }
    append(items.back().text, item.text, blank_before);
    extend(items.back().provenance, r);
}

// A target, its status or its grade.
void Parser::apply_to_target(GoalBody& b, Label label, const Cell& cell, const Row& r) {
    Goal& goal = b.goal;
    if (label == Label::target) {
        open_or_continue(goal.targets, b.fresh_target, Target{cell.text, std::nullopt, std::nullopt, r.provenance()}, r, b.blank_before);
        return;
    }
    if (goal.targets.empty()) {
        unassigned(cell.text, r.provenance(), "achievement status before any target");
        return;
    }
    if (label == Label::status) append(goal.targets.back().status, cell.text, b.blank_before);
    else grade_into(b, goal.targets.back().grade, "target", cell, r);
    extend(goal.targets.back().provenance, r);
}

// An initiative, its results or its divisions.
void Parser::apply_to_initiative(GoalBody& b, Label label, const Cell& cell, const Row& r) {
    Goal& goal = b.goal;
    if (label == Label::initiative) {
        open_or_continue(goal.initiatives, b.fresh_initiative, Initiative{cell.text, {}, std::nullopt, r.provenance()}, r,
                         b.blank_before);
        return;
    }
    if (goal.initiatives.empty()) {
        unassigned(cell.text, r.provenance(), "initiative results or division before any initiative");
        return;
    }
    if (label == Label::results) {
        append(goal.initiatives.back().results, cell.text, b.blank_before);
    } else {
        for (std::string& d : split_divisions(cell.text, p_.division_separators)) goal.initiatives.back().divisions.push_back(std::move(d));
    }
    extend(goal.initiatives.back().provenance, r);
}

// A cell's text, to the field its label names.
void Parser::apply(GoalBody& b, Label label, const Cell& cell, const Row& r) {
    switch (label) {
        case Label::target:
        case Label::status:
        case Label::grade:
            apply_to_target(b, label, cell, r);
            return;
        case Label::initiative:
        case Label::results:
        case Label::division:
            apply_to_initiative(b, label, cell, r);
            return;
        case Label::summary:
            append(b.goal.evaluation.summary, cell.text, b.blank_before);
            return;
        case Label::overall_grade:
            grade_into(b, b.goal.evaluation.grade, "goal", cell, r);
            return;
        case Label::next_steps:
            append(b.goal.next_steps, cell.text, b.blank_before);
            return;
        case Label::none:
        case Label::department:
        case Label::goal:
            unassigned(cell.text, r.provenance(), "text under no label");
            return;
    }
}

void Parser::open_columns(GoalBody& b, std::vector<Label> labels) {
    b.columns = std::move(labels);
    for (Label l : b.columns) {
        b.fresh_target = b.fresh_target || l == Label::target;
        b.fresh_initiative = b.fresh_initiative || l == Label::initiative;
    }
    b.blank_before = false;
    b.any_content = false;
}

// Label/value pairs on one row (division label | division name), from the
// first filled cell, which is a label.
void Parser::label_value_pairs(GoalBody& b, const Row& r, const std::vector<Label>& labels, size_t first) {
    Label pending = Label::none;
    for (size_t k = first; k < r.cells.size(); ++k) {
        if (r.cells[k].key.empty()) continue;
        if (labels[k] != Label::none) {
            if (pending != Label::none) open_columns(b, {pending});
            pending = labels[k];
            continue;
        }
        open_columns(b, {pending});
        apply(b, pending, r.cells[k], r);
        b.any_content = true;
        pending = Label::none;
    }
}

// A label and its value in one cell (division label, a space, the division
// name; or the label run into its value). False when the cell holds none.
bool Parser::label_in_cell(GoalBody& b, const Row& r, size_t first) {
    auto [head, rest] = text::split_head(r.cells[first].text);
    Label l = rest.empty() ? Label::none : p_.label(text::match_key(head));
    if (l == Label::none) {
        for (const std::string& label : p_.joined_labels) {
            if (r.cells[first].key.rfind(label, 0) != 0 || r.cells[first].key.size() == label.size()) continue;
            if (auto value = after_prefix(r.cells[first].text, label)) {
                l = p_.label(label);
                rest = *value;
                break;
            }
        }
    }
    if (l == Label::none) return false;
    open_columns(b, {l});
    Cell value;
    value.text = text::clean(rest);
    value.key = text::match_key(rest);
    apply(b, l, value, r);
    b.any_content = true;
    return true;
}

// A content row: each cell goes to the label above its column, the target
// and initiative columns first, so a new item exists before its status.
void Parser::content_row(GoalBody& b, const Row& r) {
    if (b.columns.empty()) {
        unassigned(r.joined(), r.provenance(), "text before any label on goal " + std::to_string(b.goal.number) + "'s page");
        return;
    }
    std::vector<size_t> order;
    for (size_t k = 0; k < r.cells.size(); ++k)
        if (!r.cells[k].key.empty() && k < b.columns.size() && (b.columns[k] == Label::target || b.columns[k] == Label::initiative))
            order.push_back(k);
    for (size_t k = 0; k < r.cells.size(); ++k)
        if (std::find(order.begin(), order.end(), k) == order.end()) order.push_back(k);
    for (size_t k : order) {
        if (r.cells[k].key.empty()) continue;
        apply(b, k < b.columns.size() ? b.columns[k] : Label::none, r.cells[k], r);
    }
    b.any_content = true;
    b.blank_before = false;
}

void Parser::parse_goal_body(Goal& goal, size_t begin, size_t end) {
    GoalBody b{goal, {}};
    for (size_t i = begin; i < end; ++i) {
        const Row& r = rows_[i];
        if (r.blank()) {
            b.blank_before = b.any_content;
            continue;
        }
        use(i);
        if (r.rule()) continue;
        if (is_detail_department(r)) {  // checked by parse_details
            // A department row opens the next goal's page, and what follows it
            // belongs to no label yet; only a table heading repeated at the top
            // of a page continues the current goal's columns.
            if (!at_page_top(i)) b.columns.clear();
            continue;
        }
        std::vector<Label> labels(r.cells.size(), Label::none);
        size_t n_filled = 0, n_labels = 0;
        for (size_t k = 0; k < r.cells.size(); ++k) {
            if (r.cells[k].key.empty()) continue;
            ++n_filled;
            labels[k] = p_.label(r.cells[k].key);
            if (labels[k] != Label::none) ++n_labels;
        }
        if (n_labels == n_filled) {  // a header row: labels only
            // A table's heading row repeated at the top of the next page
            // continues the block it heads; it opens nothing new.
            if (at_page_top(i) && labels == b.columns) continue;
            open_columns(b, std::move(labels));
            continue;
        }
        size_t first = 0;
        while (r.cells[first].key.empty()) ++first;
        if (labels[first] != Label::none) {
            label_value_pairs(b, r, labels, first);
            continue;
        }
        if (n_filled == 1 && label_in_cell(b, r, first)) continue;
        content_row(b, r);
    }
}

void Parser::merge_summary() {
    std::map<int, const SummaryEntry*> by_number;
    for (const SummaryEntry& e : summary_) {
        if (!by_number.emplace(e.number, &e).second) {
            diag(Severity::warning, "duplicate-goal-number",
                 "goal " + std::to_string(e.number) + " appears twice in the summary table; the second row is kept in unassigned",
                 e.provenance);
            for (size_t k = e.first_row; k <= e.last_row; ++k)
                if (!rows_[k].blank()) doc_.unassigned.push_back(Unassigned{rows_[k].joined(), rows_[k].provenance()});
        }
    }
    std::set<int> seen;
    for (Goal& g : doc_.goals) {
        if (!seen.insert(g.number).second)
            diag(Severity::warning, "duplicate-goal-number",
                 "goal " + std::to_string(g.number) + " has two detail pages", g.provenance);
        auto it = by_number.find(g.number);
        if (it == by_number.end()) {
            if (saw_summary_)
                diag(Severity::warning, "summary-mismatch",
                     "goal " + std::to_string(g.number) + " has a detail page but no row in the summary table", g.provenance);
            continue;
        }
        const SummaryEntry& e = *it->second;
        g.plan_goal = e.plan_goal;
        g.field = e.field;
        g.summary_grade = e.grade;
        if (text::match_key(e.title) != text::match_key(g.title)) {
            diag(Severity::warning, "summary-mismatch",
                 "goal " + std::to_string(g.number) + ": summary table title '" + e.title +
                     "' differs from the detail page title '" + g.title + "'",
                 g.provenance);
        }
        if (e.grade && g.evaluation.grade && *e.grade != *g.evaluation.grade) {
            diag(Severity::warning, "grade-mismatch",
                 "goal " + std::to_string(g.number) + ": summary table grade " + *e.grade +
                     " differs from the detail page grade " + *g.evaluation.grade,
                 g.provenance);
        }
    }
    for (const SummaryEntry& e : summary_) {
        if (seen.count(e.number)) continue;
        seen.insert(e.number);
        diag(Severity::warning, "summary-mismatch",
             "goal " + std::to_string(e.number) + " is in the summary table but has no detail page", e.provenance);
        Goal g;
        g.number = e.number;
        g.plan_goal = e.plan_goal;
        g.field = e.field;
        g.title = e.title;
        g.summary_grade = e.grade;
        g.provenance = e.provenance;
        doc_.goals.push_back(std::move(g));
    }
}

void Parser::collect_leftovers() {
    for (size_t i = 0; i < rows_.size(); ++i) {
        const Row& r = rows_[i];
        if (used_[i] || r.blank() || r.rule()) continue;
        unassigned(r.joined(), r.provenance(), "line taken by no field");
    }
}

Result<Document> Parser::run() {
    const size_t n = rows_.size();
    size_t first = n;
    bool any_marker = false;
    for (size_t i = 0; i < n; ++i) {
        bool known = false;
        if (section_marker(rows_[i], &known) && known) any_marker = true;
        if (goal_row(rows_[i])) any_marker = true;
        if (first == n && is_landmark(rows_[i])) first = i;
    }
    if (!any_marker) {
        return Error{ErrorCode::not_a_policy_document,
                     "none of the policy document markers (sections such as the basic policy or goal headings) found"};
    }
    parse_header(0, first);

    size_t i = first;
    while (i < n && !is_detail_department(rows_[i]) && !goal_row(rows_[i])) {
        bool known = false;
        auto marker = section_marker(rows_[i], &known);
        size_t j = i + 1;
        while (j < n && !is_landmark(rows_[j])) ++j;
        if (!marker) {  // not expected: the loop stops at detail rows, so this is a section marker
            ++i;
            continue;
        }
        use(i);
        if (!marker->second.empty()) {
            if (marker->first == Section::basic_policy) {
                doc_.basic_policy.push_back(marker->second);
            } else {
                unassigned(marker->second, rows_[i].provenance(), "text after a section marker");
            }
        }
        switch (marker->first) {
            case Section::basic_policy: parse_basic_policy(i + 1, j); break;
            case Section::goal_summary: parse_summary(i + 1, j); break;
            case Section::grade_scale: parse_grade_scale(i + 1, j); break;
            case Section::none:
                diag(Severity::warning, "unknown-section",
                     "section '" + rows_[i].joined() + "' is not in the profile; it and its text are kept in unassigned",
                     rows_[i].provenance());
                doc_.unassigned.push_back(Unassigned{rows_[i].joined(), rows_[i].provenance()});
                break;
        }
        i = j;
    }
    if (i < n) parse_details(i, n);
    merge_summary();
    if (doc_.goals.size() > kMaxGoals) {  // detail pages and summary-only goals alike
        return Error{ErrorCode::too_many_goals, "more than " + std::to_string(kMaxGoals) + " goals"};
    }

    if (!doc_.title) diag(Severity::warning, "missing-title", "no title line naming the operating policy");
    for (size_t k = 0; k < first && !doc_.fiscal_year; ++k) doc_.fiscal_year = text::find_fiscal_year(rows_[k].joined());
    if (doc_.title) {
        if (auto fy = text::find_fiscal_year(*doc_.title)) doc_.fiscal_year = fy;
    }
    if (!doc_.fiscal_year) diag(Severity::warning, "missing-fiscal-year", "no fiscal year (era year) in the header");
    if (!doc_.department.name) diag(Severity::warning, "missing-department", "no department name");
    if (!saw_basic_policy_) diag(Severity::warning, "missing-section", "no basic policy section");
    if (!saw_summary_) diag(Severity::warning, "missing-section", "no goal summary table");
    if (!saw_grade_scale_) diag(Severity::warning, "missing-section", "no achievement grade scale");
    if (doc_.goals.empty()) diag(Severity::warning, "missing-section", "no goals");
    collect_leftovers();
    if (auto city = infer_city(rows_, p_)) {
        doc_.municipality.name = city;
        diag(Severity::info, "municipality-inferred",
             "municipality '" + *city + "' inferred from the text, the only city it names");
    }
    std::stable_sort(doc_.unassigned.begin(), doc_.unassigned.end(), [](const Unassigned& a, const Unassigned& b) {
        return std::pair{a.provenance.page, a.provenance.line_start} < std::pair{b.provenance.page, b.provenance.line_start};
    });
    if (dropped_diagnostics_ > 0) {
        doc_.diagnostics.back() = Diagnostic{Severity::warning, "too-many-diagnostics",
                                             std::to_string(dropped_diagnostics_ + 1) +
                                                 " further diagnostics dropped (limit " +
                                                 std::to_string(kMaxDiagnostics) + ")",
                                             std::nullopt};
    }
    return std::move(doc_);
}

}  // namespace

std::pair<std::string, std::optional<std::string>> split_portfolio(const std::string& text) {
    static const std::pair<std::string, std::string> kParens[] = {{"(", ")"}, {"\xEF\xBC\x88", "\xEF\xBC\x89"}};
    for (const auto& [open, close] : kParens) {
        if (text.size() <= close.size() || text.compare(text.size() - close.size(), close.size(), close) != 0) continue;
        size_t at = text.rfind(open);
        if (at == std::string::npos || at == 0) continue;
        std::string inner = text::clean(text.substr(at + open.size(), text.size() - close.size() - at - open.size()));
        std::string name = text::clean(text.substr(0, at));
        if (inner.empty() || name.empty()) continue;
        return {name, inner};
    }
    return {text, std::nullopt};
}

std::optional<GradeLevel> parse_grade_line(const std::string& line, const Profile& p) {
    std::vector<std::string> cps = text::code_points(line);
    size_t i = 0;
    auto key_at = [&](size_t k) { return k < cps.size() ? text::match_key(cps[k]) : std::string(); };
    while (i < cps.size() && (key_at(i).empty() || Profile::contains(p.list_bullets, key_at(i)))) ++i;
    if (i >= cps.size()) return std::nullopt;
    auto grade = p.grade(key_at(i));
    if (!grade) return std::nullopt;
    ++i;
    while (i < cps.size() && key_at(i).empty()) ++i;
    if (key_at(i) == ":" || key_at(i) == "." || key_at(i) == "=") ++i;
    else if (i > 0 && !text::match_key(cps[i - 1]).empty()) return std::nullopt;  // "AB..." is not a legend line
    std::string rest;
    for (size_t k = i; k < cps.size(); ++k) rest += cps[k];
    GradeLevel level;
    level.grade = *grade;
    size_t open = std::string::npos, open_len = 0;
    for (const char* o : {"(", "\xEF\xBC\x88"}) {
        size_t at = rest.find(o);
        if (at < open) open = at, open_len = std::string(o).size();
    }
    if (open == std::string::npos) {
        level.label = text::clean(rest);
    } else {
        level.label = text::clean(rest.substr(0, open));
        std::string desc = rest.substr(open + open_len);
        for (const char* c : {")", "\xEF\xBC\x89"}) {
            std::string close(c);
            if (desc.size() >= close.size() && desc.compare(desc.size() - close.size(), close.size(), close) == 0) {
                desc.resize(desc.size() - close.size());
                break;
            }
        }
        level.description = text::clean(desc);
        if (level.description->empty()) level.description.reset();
    }
    if (level.label.empty()) return std::nullopt;
    // Percent bounds: "70% ijou 100% miman" (at least / below), "50% miman", "100%".
    std::string key = level.description ? text::match_key(*level.description) : std::string();
    for (size_t at = key.find(p.percent_sign); !p.percent_sign.empty() && at != std::string::npos;
         at = key.find(p.percent_sign, at + 1)) {
        size_t s = at;
        while (s > 0 && std::isdigit(static_cast<unsigned char>(key[s - 1]))) --s;
        auto value = to_int(key.substr(s, at - s));
        if (!value || *value > 100) continue;
        std::string after = key.substr(at + p.percent_sign.size());
        if (!p.at_least.empty() && after.rfind(p.at_least, 0) == 0) level.min_percent = value;
        else if (!p.over.empty() && after.rfind(p.over, 0) == 0) level.min_percent = value;
        else if (!p.below.empty() && after.rfind(p.below, 0) == 0) level.max_percent = value;
        else level.min_percent = level.max_percent = value;
    }
    return level;
}

std::optional<std::string> infer_city(const std::vector<Row>& rows, const Profile& p) {
    if (p.municipality_suffix.empty()) return std::nullopt;
    std::set<std::string> found;
    const std::string& suffix = p.municipality_suffix;
    for (const Row& r : rows) {
        for (const Cell& c : r.cells) {
            const std::string& t = c.text;
            for (size_t at = t.find(suffix); at != std::string::npos; at = t.find(suffix, at + suffix.size())) {
                // Yokkaichi-shi ends in the suffix twice: the inner one is part of the name.
                if (t.compare(at + suffix.size(), suffix.size(), suffix) == 0) continue;
                // The run of Han characters before the suffix...
                const auto* bytes = reinterpret_cast<const uint8_t*>(t.data());
                int32_t s = static_cast<int32_t>(at);
                // A city name and its prefecture are short: look back a bounded way.
                for (int steps = 0; s > 0 && steps < 12; ++steps) {
                    int32_t prev = s;
                    UChar32 ch;
                    U8_PREV(bytes, 0, prev, ch);
                    UErrorCode status = U_ZERO_ERROR;
                    if (ch < 0 || uscript_getScript(ch, &status) != USCRIPT_HAN) break;
                    s = prev;
                }
                std::string name = t.substr(static_cast<size_t>(s), at - static_cast<size_t>(s));
                // ...without a leading prefecture (Osaka-fu Kashiwara-shi -> Kashiwara-shi).
                for (const std::string& pref : p.prefectures) {
                    size_t pos = name.rfind(pref);
                    if (pos != std::string::npos) name.erase(0, pos + pref.size());
                }
                icu::UnicodeString u = icu::UnicodeString::fromUTF8(name);
                int32_t count = u.countChar32();
                if (count < static_cast<int32_t>(p.municipality_min_length) || count > 5) continue;
                if (Profile::contains(p.not_municipality_names, text::match_key(name))) continue;
                found.insert(name + suffix);
            }
        }
    }
    if (found.size() == 1) return *found.begin();
    return std::nullopt;
}

std::vector<std::pair<size_t, size_t>> split_documents(const std::vector<layout::Row>& rows, const Profile& profile) {
    Parser probe(rows, profile);
    std::vector<std::pair<size_t, size_t>> out;
    size_t start = 0;
    bool content = false;
    bool text = false;  // a non-blank row since start
    for (size_t i = 0; i < rows.size(); ++i) {
        // In a PDF each department starts a page; a title line elsewhere (a
        // running footer naming the report) starts nothing.
        bool starts_page = !rows[i].bbox || i == 0 || rows[i - 1].page != rows[i].page;
        // Pages before the first title holding no section (a cover, which may
        // name the report itself) are a part of their own.
        bool cover_before = !content && out.empty() && text && rows[start].page < rows[i].page;
        if ((content || cover_before) && starts_page && probe.title_row(rows[i])) {
            out.emplace_back(start, i);
            start = i;
            content = false;
            text = false;
        }
        content = content || probe.landmark(rows[i]);
        text = text || !rows[i].blank();
    }
    out.emplace_back(start, rows.size());
    return out;
}

Result<Document> parse(const std::vector<layout::Row>& rows, const Profile& profile) {
    // Rows read by OCR carry a confidence: their labels may be misread.
    if (std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.confidence.has_value(); })) {
        Profile tolerant = profile;
        tolerant.ocr_tolerant = true;
        return Parser(rows, tolerant).run();
    }
    return Parser(rows, profile).run();
}

}  // namespace hoshin::parse
