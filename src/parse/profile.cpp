#include "parse/profile.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "text/normalize.h"

namespace hoshin::parse {

extern const char* const kDefaultProfileJson;  // generated from data/profiles/default.json

namespace {

using nlohmann::json;

std::vector<std::string> keys(const json& j, const char* field) {
    std::vector<std::string> out;
    if (!j.contains(field)) return out;
    for (const auto& v : j.at(field)) {
        std::string k = text::match_key(v.get<std::string>());
        if (!k.empty()) out.push_back(std::move(k));
    }
    // Longest first, so prefix matching prefers the most specific word.
    std::stable_sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return out;
}

std::string key(const json& j, const char* field) {
    return j.contains(field) ? text::match_key(j.at(field).get<std::string>()) : std::string();
}

}  // namespace

bool Profile::contains(const std::vector<std::string>& list, std::string_view key) {
    return std::find(list.begin(), list.end(), key) != list.end();
}

namespace {

// Characters, for edit distances between match keys.
using Chars = std::vector<std::string>;

size_t edit_distance(const Chars& a, const Chars& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

// How many characters OCR may have misread in a word of n: none under 6
// (one slip turns 部(局) into 部(局)長, 達成度 into 達成状況's neighbours),
// one up to 8, two from 9.
size_t slack(size_t n) { return n < 6 ? 0 : n < 9 ? 1 : 2; }

// The one word of `words` nearest `key` within its slack; none when two are
// as near (an ambiguous misreading matches nothing).
template <class It, class Word>
It nearest(It begin, It end, std::string_view key, Word word) {
    Chars k = text::code_points(key);
    It best = end;
    size_t best_d = SIZE_MAX;
    bool tie = false;
    for (It it = begin; it != end; ++it) {
        Chars w = text::code_points(word(*it));
        size_t allowed = slack(w.size());
        if (allowed == 0 || (k.size() > w.size() ? k.size() - w.size() : w.size() - k.size()) > allowed) continue;
        size_t d = edit_distance(k, w);
        if (d > allowed) continue;
        if (d < best_d) best = it, best_d = d, tie = false;
        else if (d == best_d) tie = true;
    }
    return tie ? end : best;
}

}  // namespace

bool Profile::has(const std::vector<std::string>& list, std::string_view key) const {
    if (contains(list, key)) return true;
    if (!ocr_tolerant) return false;
    return nearest(list.begin(), list.end(), key, [](const std::string& w) -> std::string_view { return w; }) != list.end();
}

bool Profile::has_within(const std::vector<std::string>& list, std::string_view key) const {
    for (const std::string& w : list)
        if (key.find(w) != std::string_view::npos) return true;
    if (!ocr_tolerant) return false;
    // A misread word inside the key: any run of the key's characters as
    // long as a word, give or take one, near enough to it.
    // One slip in a word of 4 or more: inside a longer heading there is no
    // neighbouring word to take it for.
    Chars k = text::code_points(key);
    for (const std::string& w : list) {
        Chars cw = text::code_points(w);
        if (cw.size() < 4) continue;
        for (size_t len = cw.size() > 1 ? cw.size() - 1 : 1; len <= cw.size() + 1; ++len)
            for (size_t at = 0; at + len <= k.size(); ++at)
                if (edit_distance(Chars(k.begin() + static_cast<std::ptrdiff_t>(at), k.begin() + static_cast<std::ptrdiff_t>(at + len)), cw) <= 1)
                    return true;
    }
    return false;
}

Label Profile::label(std::string_view key) const {
    auto it = labels.find(std::string(key));
    if (it != labels.end()) return it->second;
    if (!ocr_tolerant) return Label::none;
    auto near = nearest(labels.begin(), labels.end(), key, [](const auto& kv) -> std::string_view { return kv.first; });
    return near == labels.end() ? Label::none : near->second;
}

Section Profile::section(std::string_view key) const {
    auto it = sections.find(std::string(key));
    if (it != sections.end()) return it->second;
    if (!ocr_tolerant) return Section::none;
    auto near = nearest(sections.begin(), sections.end(), key, [](const auto& kv) -> std::string_view { return kv.first; });
    return near == sections.end() ? Section::none : near->second;
}

std::vector<std::string> Profile::grade_names() const {
    std::vector<std::string> out;
    for (const std::string& g : grades) out.push_back(grade(g).value_or(g));
    return out;
}

std::optional<std::string> Profile::grade(std::string_view key) const {
    std::string stripped;
    if (ocr_tolerant) {
        // Stray marks OCR reads beside a grade: anything not a letter or digit.
        int32_t i = 0, n = static_cast<int32_t>(key.size());
        const auto* p = reinterpret_cast<const uint8_t*>(key.data());
        while (i < n) {
            int32_t start = i;
            UChar32 c;
            U8_NEXT(p, i, n, c);
            if (c >= 0 && u_isalnum(c)) stripped.append(key.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
        }
        if (!stripped.empty()) key = stripped;
    }
    for (const std::string& g : grades) {
        if (g == key) {
            std::string out = g;
            std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
            return out;
        }
    }
    return std::nullopt;
}

Result<Profile> load_profile(std::string_view json_text, const std::string& origin) {
    json j = json::parse(json_text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error{ErrorCode::bad_profile, origin + ": profile is not a JSON object"};
    try {
        Profile p;
        p.name = j.value("name", std::string("unnamed"));
        p.title_markers = keys(j, "title_markers");
        const json& sections = j.at("sections");
        for (auto [name, kind] : {std::pair{"basic_policy", Section::basic_policy},
                                  std::pair{"goal_summary", Section::goal_summary},
                                  std::pair{"grade_scale", Section::grade_scale}}) {
            for (const std::string& k : keys(sections, name)) p.sections.emplace(k, kind);
        }
        // Brackets are matched on the text as written, so they stay raw.
        for (const auto& s : j.at("section_open")) p.section_open.push_back(s.get<std::string>());
        for (const auto& s : j.at("section_close")) p.section_close.push_back(s.get<std::string>());
        const json& header = j.at("header");
        p.header_department = keys(header, "department");
        p.header_head = keys(header, "head");
        const json& table = j.at("summary_table");
        p.plan_goal_labels = keys(table, "plan_goal");
        p.field_labels = keys(table, "field");
        p.grade_column_labels = keys(table, "grade_column");
        const json& detail = j.at("detail");
        static const std::pair<const char*, Label> kLabels[] = {
            {"department", Label::department}, {"goal", Label::goal},
            {"target", Label::target},         {"status", Label::status},
            {"grade", Label::grade},           {"initiative", Label::initiative},
            {"results", Label::results},       {"division", Label::division},
            {"summary", Label::summary},       {"overall_grade", Label::overall_grade},
            {"next_steps", Label::next_steps},
        };
        for (const auto& [name, kind] : kLabels) {
            for (const std::string& k : keys(detail, name)) p.labels.emplace(k, kind);
        }
        p.goal_labels = keys(detail, "goal");
        p.joined_labels = keys(detail, "joined_labels");
        for (const auto& g : j.at("grades")) p.grades.push_back(text::match_key(g.get<std::string>()));
        p.list_bullets = keys(j, "list_bullets");
        const json& percent = j.at("percent");
        p.percent_sign = key(percent, "sign");
        p.at_least = key(percent, "at_least");
        p.below = key(percent, "below");
        p.over = key(percent, "over");
        for (const auto& s : j.at("division_separators")) p.division_separators.push_back(s.get<std::string>());
        const json& m = j.at("municipality");
        p.municipality_suffix = key(m, "suffix");
        for (const auto& v : m.at("prefectures")) p.prefectures.push_back(v.get<std::string>());
        p.municipality_min_length = m.value("min_name_length", 2u);
        p.not_municipality_names = keys(m, "not_names");
        if (p.grades.empty() || p.labels.empty() || p.sections.empty())
            return Error{ErrorCode::bad_profile, origin + ": profile lacks grades, labels or sections"};
        return p;
    } catch (const json::exception& e) {
        return Error{ErrorCode::bad_profile, origin + ": " + e.what()};
    }
}

const Profile& default_profile() {
    static const Profile p = [] {
        auto r = load_profile(kDefaultProfileJson, "built-in profile");
        // Compiled in from data/profiles/default.json: failing here is a
        // build defect, never a reason to parse with an empty vocabulary.
        if (!r.ok()) throw std::logic_error("the built-in profile does not load: " + r.error().message);
        return r.value();
    }();
    return p;
}

}  // namespace hoshin::parse
