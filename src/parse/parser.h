// parse: rows (from either front end) + a profile -> Document. One parser for
// every input type; it follows the document's structure and reads its words
// from the profile.
#pragma once

#include "layout/rows.h"
#include "model/document.h"
#include "model/error.h"
#include "parse/profile.h"

namespace hoshin::parse {

// Limits on what a document can make the parser do.
inline constexpr size_t kMaxGoals = 500;
inline constexpr size_t kMaxDiagnostics = 500;

// Fills everything but `source` and an explicitly given municipality.
// Error codes: not-a-policy-document, too-many-goals.
Result<Document> parse(const std::vector<layout::Row>& rows, const Profile& profile);

// A compiled file holds several departments' documents one after another;
// each starts at a title row once the one before has had content. Returns
// [begin, end) ranges of rows, one per document.
std::vector<std::pair<size_t, size_t>> split_documents(const std::vector<layout::Row>& rows, const Profile& profile);

// Splits "NAME (PORTFOLIO)" (half- or full-width parentheses) into name and portfolio.
std::pair<std::string, std::optional<std::string>> split_portfolio(const std::string& text);

// Reads a grade legend line such as "- A: LABEL(DESCRIPTION 100%)"; nullopt if it is not one.
std::optional<GradeLevel> parse_grade_line(const std::string& text, const Profile& profile);

// The one city the text names, if exactly one (e.g. Kashiwara-shi).
std::optional<std::string> infer_city(const std::vector<layout::Row>& rows, const Profile& profile);

}  // namespace hoshin::parse
