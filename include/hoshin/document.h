// The document model: the schema's structure as plain C++ types. Every
// writer and reader works from it; nothing else passes text between stages.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace hoshin {

inline constexpr int kSchemaVersion = 2;
// The oldest schema version the readers (diff, timeline, merge) still take.
inline constexpr int kOldestSchemaVersion = 1;

// Where something came from. Lines are 1-based over the whole input;
// pages are 1-based (a form feed starts a page in text input). bbox is
// [x0, y0, x1, y1] in PDF points, origin top-left, and only set for PDF.
struct Provenance {
    int page = 0;
    int line_start = 0;
    int line_end = 0;
    std::optional<std::array<double, 4>> bbox;
    // Read by OCR: the lowest of its lines' mean word confidences (0-100).
    std::optional<double> confidence = std::nullopt;
    bool operator==(const Provenance&) const = default;
};

// How a document's pages were read by OCR.
struct OcrPage {
    int page = 0;
    double confidence = 0;  // mean word confidence (0-100), by characters
    double skew = 0;        // degrees of rotation corrected
    bool operator==(const OcrPage&) const = default;
};
struct OcrSource {
    std::string engine = "tesseract";
    std::string version;
    std::string language;
    int dpi = 0;
    std::vector<OcrPage> pages;
    bool operator==(const OcrSource&) const = default;
};

struct Source {
    std::string path;
    std::string format;  // "text" | "pdf"
    std::string sha256;
    std::string encoding;
    int pages = 0;
    std::optional<OcrSource> ocr = std::nullopt;  // some pages were read by OCR
    bool operator==(const Source&) const = default;
};

struct Municipality {
    std::optional<std::string> name;
    std::optional<std::string> code;  // 6-digit local government code
    bool operator==(const Municipality&) const = default;
};

struct FiscalYear {
    std::string label;  // as written, e.g. the era year with its suffix
    std::string era;
    int era_year = 0;
    int gregorian = 0;
    bool operator==(const FiscalYear&) const = default;
};

struct Person {
    std::optional<std::string> title;
    std::optional<std::string> name;
    bool operator==(const Person&) const = default;
};

struct Officer {
    std::optional<std::string> title;
    std::optional<std::string> name;
    std::optional<std::string> portfolio;
    bool operator==(const Officer&) const = default;
};

struct Department {
    std::optional<std::string> name;
    std::optional<Person> head;
    std::vector<Officer> officers;
    bool operator==(const Department&) const = default;
};

struct PlanGoal {
    std::optional<int> number;
    std::optional<std::string> title;
    bool operator==(const PlanGoal&) const = default;
};

struct Target {
    std::string text;
    std::optional<std::string> status;
    std::optional<std::string> grade;
    Provenance provenance;
    bool operator==(const Target&) const = default;
};

struct Initiative {
    std::string text;
    std::vector<std::string> divisions;
    std::optional<std::string> results;
    Provenance provenance;
    bool operator==(const Initiative&) const = default;
};

struct Evaluation {
    std::optional<std::string> summary;
    std::optional<std::string> grade;
    bool operator==(const Evaluation&) const = default;
};

struct Goal {
    int number = 0;
    std::optional<PlanGoal> plan_goal;
    std::optional<std::string> field;
    std::string title;
    std::optional<std::string> summary_grade;
    std::vector<Target> targets;
    std::vector<Initiative> initiatives;
    Evaluation evaluation;
    std::optional<std::string> next_steps;
    Provenance provenance;
    bool operator==(const Goal&) const = default;
};

struct GradeLevel {
    std::string grade;
    std::string label;
    std::optional<std::string> description;
    std::optional<int> min_percent;  // inclusive
    std::optional<int> max_percent;  // exclusive, unless equal to min_percent
    bool operator==(const GradeLevel&) const = default;
};

struct Unassigned {
    std::string text;
    Provenance provenance;
    bool operator==(const Unassigned&) const = default;
};

enum class Severity { info, warning, error };

struct Diagnostic {
    Severity severity = Severity::warning;
    std::string code;  // stable, kebab-case
    std::string message;
    std::optional<Provenance> provenance;
    bool operator==(const Diagnostic&) const = default;
};

struct Document {
    int schema_version = kSchemaVersion;
    Source source;
    Municipality municipality;
    std::optional<std::string> title;
    std::optional<FiscalYear> fiscal_year;
    Department department;
    std::vector<std::string> basic_policy;
    std::vector<Goal> goals;
    std::vector<GradeLevel> grade_scale;
    std::vector<Unassigned> unassigned;
    std::vector<Diagnostic> diagnostics;
    bool operator==(const Document&) const = default;
};

const char* to_string(Severity s);
std::optional<Severity> severity_from_string(std::string_view s);

}  // namespace hoshin
