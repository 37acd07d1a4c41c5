#include <algorithm>
#include <map>

#include "diff/diff.h"

namespace hoshin::diff {

Timeline timeline(std::vector<Document> editions) {
    Timeline t;
    if (!editions.empty()) {
        t.municipality = editions.front().municipality.name ? editions.front().municipality.name : editions.front().municipality.code;
        t.department = editions.front().department.name;
    }
    bool all_dated = std::all_of(editions.begin(), editions.end(), [](const Document& d) { return d.fiscal_year.has_value(); });
    if (!all_dated) {
        t.warnings.push_back(Warning{"no-fiscal-year", "an edition has no fiscal year: kept in the order given", {}});
    } else {
        // By year; in one year the beginning-of-year edition (no evaluation
        // grade yet) before the end-of-year one. Sorted through an index.
        auto graded = [](const Document& d) {
            return std::any_of(d.goals.begin(), d.goals.end(), [](const Goal& g) { return g.evaluation.grade.has_value(); });
        };
        std::vector<std::pair<std::pair<int, bool>, size_t>> years;
        for (size_t k = 0; k < editions.size(); ++k) years.push_back({{editions[k].fiscal_year->gregorian, graded(editions[k])}, k});
        auto before = [](const auto& a, const auto& b) { return a.first < b.first; };
        if (!std::is_sorted(years.begin(), years.end(), before)) {
            std::stable_sort(years.begin(), years.end(), before);
            std::vector<Document> sorted;
            for (const auto& [y, k] : years) sorted.push_back(std::move(editions[k]));
            editions = std::move(sorted);
            t.warnings.push_back(Warning{"editions-reordered", "editions reordered by fiscal year", {}});
        }
    }
    for (const Document& e : editions) t.editions.push_back(side_of(e));
    // lineage index for each goal of the current edition
    std::vector<size_t> current;
    for (size_t k = 0; k < editions.size(); ++k) {
        const Document& doc = editions[k];
        std::vector<size_t> next(doc.goals.size(), SIZE_MAX);
        if (k > 0) {
            DocumentDiff d = diff(editions[k - 1], doc);
            for (const GoalDiff& g : d.goals) {
                if (!g.old_number || !g.new_number) continue;
                // numbers locate the goals (first match by number and title)
                size_t oi = SIZE_MAX, ni = SIZE_MAX;
                for (size_t i = 0; i < editions[k - 1].goals.size(); ++i)
                    if (editions[k - 1].goals[i].number == *g.old_number && editions[k - 1].goals[i].title == g.old_title) oi = i;
                for (size_t i = 0; i < doc.goals.size(); ++i)
                    if (doc.goals[i].number == *g.new_number && doc.goals[i].title == g.new_title) ni = i;
                if (oi != SIZE_MAX && ni != SIZE_MAX && oi < current.size()) next[ni] = current[oi];
            }
        }
        for (size_t i = 0; i < doc.goals.size(); ++i) {
            if (next[i] == SIZE_MAX) {
                next[i] = t.lineages.size();
                t.lineages.push_back(std::vector<LineageCell>(editions.size()));
            }
            const Goal& g = doc.goals[i];
            t.lineages[next[i]][k] = LineageCell{g.number, g.title, g.evaluation.grade ? g.evaluation.grade : g.summary_grade};
        }
        current = std::move(next);
    }
    return t;
}

std::vector<Timeline> timelines(std::vector<Document> documents) {
    std::vector<std::string> order;
    std::map<std::string, std::vector<Document>> groups;
    for (Document& d : documents) {
        std::string key = department_key(d);
        if (!groups.count(key)) order.push_back(key);
        groups[key].push_back(std::move(d));
    }
    std::vector<Timeline> out;
    for (const std::string& key : order) out.push_back(timeline(std::move(groups[key])));
    return out;
}

}  // namespace hoshin::diff
