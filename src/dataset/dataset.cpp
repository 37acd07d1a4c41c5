#include "dataset/dataset.h"

#include <sqlite3.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <variant>
#include <vector>

#include "convert/convert.h"
#include "ingest/sha256.h"

namespace hoshin::dataset {
namespace fs = std::filesystem;

namespace {

// ---- The tables, described once: CSV headers, SQLite DDL and the Data
// Package's Table Schemas all come from here.

enum class Type { string, integer };

struct Field {
    const char* name;
    Type type;
    bool required;
    const char* description;
    bool grade = false;  // enum A-E
};

struct ForeignKey {
    std::vector<const char*> fields;
    const char* table;
    std::vector<const char*> reference;
};

struct Table {
    const char* name;
    const char* description;
    std::vector<Field> fields;
    std::vector<const char*> primary_key;
    std::vector<ForeignKey> foreign_keys;
};

const std::vector<Table>& tables() {
    static const std::vector<Table> t = {
        {"documents", "One row per converted document (a department's operating policy for a fiscal year).",
         {{"document_id", Type::string, true, "Stable key: hash of the source file's SHA-256 and the document's place in it"},
          {"source_path", Type::string, true, "Path of the source file in the archive converted"},
          {"source_sha256", Type::string, true, "SHA-256 of the source file"},
          {"source_format", Type::string, true, "text or pdf"},
          {"source_encoding", Type::string, true, "Character encoding of a text source; pdf for PDF"},
          {"pages", Type::integer, true, "Pages in the source file"},
          {"municipality_name", Type::string, false, "Municipality name as written"},
          {"municipality_code", Type::string, false, "6-digit local government code"},
          {"title", Type::string, false, "Title line as written"},
          {"fiscal_year_label", Type::string, false, "Fiscal year as written (era and year)"},
          {"era", Type::string, false, "Japanese era name"},
          {"era_year", Type::integer, false, "Year of the era"},
          {"fiscal_year", Type::integer, false, "Gregorian year in which the fiscal year begins"},
          {"department", Type::string, false, "Department"},
          {"head_title", Type::string, false, "Title of the department head as written"},
          {"head_name", Type::string, false, "Name of the department head"},
          {"goal_count", Type::integer, true, "Goals in the document"},
          {"unassigned_count", Type::integer, true, "Texts of the document no field took (see the JSON)"},
          {"warning_count", Type::integer, true, "Warnings hoshin raised on the document"}},
         {"document_id"},
         {}},
        {"officers", "Officers of a department other than its head.",
         {{"document_id", Type::string, true, "Document"},
          {"officer_seq", Type::integer, true, "Order in the document, from 1"},
          {"title", Type::string, false, "Title as written"},
          {"name", Type::string, false, "Name"},
          {"portfolio", Type::string, false, "Portfolio, if given"}},
         {"document_id", "officer_seq"},
         {{{"document_id"}, "documents", {"document_id"}}}},
        {"basic_policy", "Paragraphs of the basic policy.",
         {{"document_id", Type::string, true, "Document"},
          {"paragraph_seq", Type::integer, true, "Order in the document, from 1"},
          {"text", Type::string, true, "Paragraph"}},
         {"document_id", "paragraph_seq"},
         {{{"document_id"}, "documents", {"document_id"}}}},
        {"goals", "Goals with their summary and evaluation.",
         {{"document_id", Type::string, true, "Document"},
          {"goal_seq", Type::integer, true, "Order in the document, from 1"},
          {"goal_number", Type::integer, true, "Number the document gives the goal"},
          {"goal_key", Type::string, true, "municipality-or-source/department/fiscal year/number; not stable across renumbering"},
          {"plan_goal_number", Type::integer, false, "Goal of the comprehensive plan it serves"},
          {"plan_goal_title", Type::string, false, "Title of that plan goal"},
          {"field", Type::string, false, "Policy field"},
          {"title", Type::string, true, "Goal title"},
          {"summary_grade", Type::string, false, "Grade in the summary table", true},
          {"evaluation_grade", Type::string, false, "Overall grade on the detail page", true},
          {"evaluation_summary", Type::string, false, "Overall evaluation"},
          {"next_steps", Type::string, false, "To consider for the coming years"},
          {"page", Type::integer, true, "Page of the source where the goal starts"}},
         {"document_id", "goal_seq"},
         {{{"document_id"}, "documents", {"document_id"}}}},
        {"targets", "Targets of a goal for the year with status and grade.",
         {{"document_id", Type::string, true, "Document"},
          {"goal_seq", Type::integer, true, "Goal"},
          {"target_seq", Type::integer, true, "Order in the goal, from 1"},
          {"text", Type::string, true, "Target"},
          {"status", Type::string, false, "Achievement status"},
          {"grade", Type::string, false, "Grade", true}},
         {"document_id", "goal_seq", "target_seq"},
         {{{"document_id", "goal_seq"}, "goals", {"document_id", "goal_seq"}}}},
        {"initiatives", "Initiatives of a goal and their results.",
         {{"document_id", Type::string, true, "Document"},
          {"goal_seq", Type::integer, true, "Goal"},
          {"initiative_seq", Type::integer, true, "Order in the goal, from 1"},
          {"text", Type::string, true, "Initiative"},
          {"results", Type::string, false, "Results"}},
         {"document_id", "goal_seq", "initiative_seq"},
         {{{"document_id", "goal_seq"}, "goals", {"document_id", "goal_seq"}}}},
        {"divisions", "Divisions in charge of an initiative, one per row.",
         {{"document_id", Type::string, true, "Document"},
          {"goal_seq", Type::integer, true, "Goal"},
          {"initiative_seq", Type::integer, true, "Initiative"},
          {"division_seq", Type::integer, true, "Order, from 1"},
          {"division", Type::string, true, "Division"}},
         {"document_id", "goal_seq", "initiative_seq", "division_seq"},
         {{{"document_id", "goal_seq", "initiative_seq"}, "initiatives", {"document_id", "goal_seq", "initiative_seq"}}}},
    };
    return t;
}

using Value = std::variant<std::monostate, std::string, long long>;

Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : Value(); }
Value opt(const std::optional<int>& v) { return v ? Value(static_cast<long long>(*v)) : Value(); }
Value num(long long v) { return Value(v); }
Value str(const std::string& s) { return Value(s); }

struct Sqlite {
    sqlite3* db = nullptr;
    ~Sqlite() {
        if (db) sqlite3_close_v2(db);
    }
};

struct Stmt {
    sqlite3_stmt* stmt = nullptr;
    ~Stmt() {
        if (stmt) sqlite3_finalize(stmt);
    }
};

}  // namespace

std::string csv_field(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string document_id(const std::string& source_key, const Document& doc, size_t index_in_file) {
    return ingest::sha256_hex(source_key + '\0' + doc.source.sha256 + ":" + std::to_string(index_in_file)).substr(0, 20);
}

std::string goal_key(const Document& doc, const Goal& goal) {
    std::string who = doc.municipality.code    ? *doc.municipality.code
                      : doc.municipality.name ? *doc.municipality.name
                                              : doc.source.path;
    std::string year = doc.fiscal_year ? std::to_string(doc.fiscal_year->gregorian) : std::string("unknown");
    return who + "/" + doc.department.name.value_or("unknown") + "/" + year + "/" + std::to_string(goal.number);
}

struct Writer::Impl {
    fs::path dir;
    std::vector<std::ofstream> csv;
    std::vector<fs::path> csv_tmp;
    Sqlite sqlite;
    fs::path sqlite_tmp;
    std::vector<std::unique_ptr<Stmt>> insert;
    Stmt fts, fts_text;
    long long search_rows = 0;
    size_t docs = 0;

    std::optional<Error> sql(const std::string& statement) {
        char* err = nullptr;
        if (sqlite3_exec(sqlite.db, statement.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string message = err ? err : "unknown";
            sqlite3_free(err);
            return Error{"dataset-error", "SQLite: " + message};
        }
        return std::nullopt;
    }

    std::optional<Error> row(size_t table, const std::vector<Value>& values) {
        std::string line;
        Stmt& st = *insert[table];
        sqlite3_reset(st.stmt);
        for (size_t k = 0; k < values.size(); ++k) {
            if (k) line += ',';
            int col = static_cast<int>(k) + 1;
            if (const auto* s = std::get_if<std::string>(&values[k])) {
                line += csv_field(*s);
                sqlite3_bind_text(st.stmt, col, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
            } else if (const auto* n = std::get_if<long long>(&values[k])) {
                line += std::to_string(*n);
                sqlite3_bind_int64(st.stmt, col, *n);
            } else {
                sqlite3_bind_null(st.stmt, col);
            }
        }
        line += "\r\n";
        csv[table] << line;
        if (sqlite3_step(st.stmt) != SQLITE_DONE)
            return Error{"dataset-error", std::string("SQLite insert into ") + tables()[table].name + ": " + sqlite3_errmsg(sqlite.db)};
        return std::nullopt;
    }

    std::optional<Error> search(const char* kind, const std::string& doc, long long goal, const std::optional<std::string>& text) {
        if (!text || text->empty()) return std::nullopt;
        ++search_rows;
        sqlite3_reset(fts.stmt);
        sqlite3_bind_int64(fts.stmt, 1, search_rows);
        sqlite3_bind_text(fts.stmt, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(fts.stmt, 3, doc.data(), static_cast<int>(doc.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(fts.stmt, 4, goal);
        if (sqlite3_step(fts.stmt) != SQLITE_DONE) return Error{"dataset-error", std::string("SQLite FTS: ") + sqlite3_errmsg(sqlite.db)};
        sqlite3_reset(fts_text.stmt);
        sqlite3_bind_int64(fts_text.stmt, 1, search_rows);
        sqlite3_bind_text(fts_text.stmt, 2, text->data(), static_cast<int>(text->size()), SQLITE_TRANSIENT);
        if (sqlite3_step(fts_text.stmt) != SQLITE_DONE) return Error{"dataset-error", std::string("SQLite FTS: ") + sqlite3_errmsg(sqlite.db)};
        return std::nullopt;
    }
};

Writer::Writer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Writer::~Writer() {
    if (!impl_) return;
    std::error_code ec;
    for (const fs::path& p : impl_->csv_tmp) fs::remove(p, ec);
    // An unfinished dataset (an interrupted run): statements first, then the
    // database, then its file.
    impl_->insert.clear();
    for (Stmt* st : {&impl_->fts, &impl_->fts_text}) {
        if (st->stmt) sqlite3_finalize(st->stmt);
        st->stmt = nullptr;
    }
    if (impl_->sqlite.db) {
        sqlite3_close_v2(impl_->sqlite.db);
        impl_->sqlite.db = nullptr;
    }
    if (!impl_->sqlite_tmp.empty()) fs::remove(impl_->sqlite_tmp, ec);
}

size_t Writer::documents() const { return impl_->docs; }

Result<std::unique_ptr<Writer>> Writer::open(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Error{"output-error", "cannot create " + dir.string() + ": " + ec.message()};
    auto impl = std::make_unique<Impl>();
    impl->dir = dir;
    const std::string bom = "\xEF\xBB\xBF";  // Excel in Japan opens UTF-8 right only with it
    for (const Table& t : tables()) {
        fs::path tmp = dir / (std::string(".") + t.name + ".csv.tmp");
        impl->csv_tmp.push_back(tmp);
        impl->csv.emplace_back(tmp, std::ios::binary | std::ios::trunc);
        if (!impl->csv.back()) return Error{"output-error", "cannot write " + tmp.string()};
        std::string header;
        for (const Field& f : t.fields) header += (header.empty() ? "" : ",") + std::string(f.name);
        impl->csv.back() << bom << header << "\r\n";
    }
    impl->sqlite_tmp = dir / ".hoshin.sqlite.tmp";
    fs::remove(impl->sqlite_tmp, ec);
    if (sqlite3_open(impl->sqlite_tmp.c_str(), &impl->sqlite.db) != SQLITE_OK)
        return Error{"output-error", "cannot create " + impl->sqlite_tmp.string()};
    if (auto e = impl->sql("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON; BEGIN")) return *e;
    for (const Table& t : tables()) {
        std::string ddl = std::string("CREATE TABLE ") + t.name + " (";
        std::string placeholders;
        for (const Field& f : t.fields) {
            ddl += std::string(f.name) + (f.type == Type::integer ? " INTEGER" : " TEXT") + (f.required ? " NOT NULL" : "");
            if (f.grade) ddl += std::string(" CHECK (") + f.name + " IN ('A','B','C','D','E'))";
            ddl += ", ";
            placeholders += placeholders.empty() ? "?" : ", ?";
        }
        ddl += "PRIMARY KEY (";
        for (size_t k = 0; k < t.primary_key.size(); ++k) ddl += (k ? ", " : "") + std::string(t.primary_key[k]);
        ddl += ")";
        for (const ForeignKey& fk : t.foreign_keys) {
            ddl += ", FOREIGN KEY (";
            for (size_t k = 0; k < fk.fields.size(); ++k) ddl += (k ? ", " : "") + std::string(fk.fields[k]);
            ddl += std::string(") REFERENCES ") + fk.table + " (";
            for (size_t k = 0; k < fk.reference.size(); ++k) ddl += (k ? ", " : "") + std::string(fk.reference[k]);
            ddl += ")";
        }
        ddl += ")";
        if (auto e = impl->sql(ddl)) return *e;
        auto st = std::make_unique<Stmt>();
        std::string insert = std::string("INSERT INTO ") + t.name + " VALUES (" + placeholders + ")";
        if (sqlite3_prepare_v2(impl->sqlite.db, insert.c_str(), -1, &st->stmt, nullptr) != SQLITE_OK)
            return Error{"dataset-error", std::string("SQLite: ") + sqlite3_errmsg(impl->sqlite.db)};
        impl->insert.push_back(std::move(st));
    }
    // Trigram tokens find Japanese words of three or more characters without
    // a dictionary (queries of one or two characters need LIKE instead).
    // Contentless: the texts are in their tables already; search_source says
    // where each indexed text comes from.
    if (auto e = impl->sql("CREATE TABLE search_source (rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
                           "document_id TEXT NOT NULL, goal_seq INTEGER NOT NULL); "
                           "CREATE VIRTUAL TABLE search USING fts5(text, content = '', tokenize = 'trigram'); "
                           "INSERT INTO search(search, rank) VALUES ('automerge', 0)"))
        return *e;
    if (sqlite3_prepare_v2(impl->sqlite.db, "INSERT INTO search_source VALUES (?, ?, ?, ?)", -1, &impl->fts.stmt, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(impl->sqlite.db, "INSERT INTO search(rowid, text) VALUES (?, ?)", -1, &impl->fts_text.stmt, nullptr) != SQLITE_OK)
        return Error{"dataset-error", std::string("SQLite: ") + sqlite3_errmsg(impl->sqlite.db)};
    return std::unique_ptr<Writer>(new Writer(std::move(impl)));
}

std::optional<Error> Writer::add(const Document& d, const std::string& source_key, size_t index_in_file) {
    Impl& w = *impl_;
    std::string id = document_id(source_key, d, index_in_file);
    long long warnings = 0;
    for (const Diagnostic& x : d.diagnostics) warnings += x.severity == Severity::warning;
    const FiscalYear* fy = d.fiscal_year ? &*d.fiscal_year : nullptr;
    const Person* head = d.department.head ? &*d.department.head : nullptr;
    if (auto e = w.row(0, {str(id), str(source_key), str(d.source.sha256), str(d.source.format), str(d.source.encoding),
                           num(d.source.pages), opt(d.municipality.name), opt(d.municipality.code), opt(d.title),
                           fy ? str(fy->label) : Value(), fy ? str(fy->era) : Value(), fy ? num(fy->era_year) : Value(),
                           fy ? num(fy->gregorian) : Value(), opt(d.department.name), head ? opt(head->title) : Value(),
                           head ? opt(head->name) : Value(), num(static_cast<long long>(d.goals.size())),
                           num(static_cast<long long>(d.unassigned.size())), num(warnings)}))
        return e;
    long long seq = 0;
    for (const Officer& o : d.department.officers)
        if (auto e = w.row(1, {str(id), num(++seq), opt(o.title), opt(o.name), opt(o.portfolio)})) return e;
    seq = 0;
    for (const std::string& p : d.basic_policy)
        if (auto e = w.row(2, {str(id), num(++seq), str(p)})) return e;
    long long g = 0;
    for (const Goal& goal : d.goals) {
        ++g;
        const PlanGoal* pg = goal.plan_goal ? &*goal.plan_goal : nullptr;
        if (auto e = w.row(3, {str(id), num(g), num(goal.number), str(goal_key(d, goal)), pg ? opt(pg->number) : Value(),
                               pg ? opt(pg->title) : Value(), opt(goal.field), str(goal.title), opt(goal.summary_grade),
                               opt(goal.evaluation.grade), opt(goal.evaluation.summary), opt(goal.next_steps),
                               num(goal.provenance.page)}))
            return e;
        if (auto e = w.search("goal", id, g, goal.title)) return e;
        long long t = 0;
        for (const Target& target : goal.targets) {
            if (auto e = w.row(4, {str(id), num(g), num(++t), str(target.text), opt(target.status), opt(target.grade)})) return e;
            if (auto e = w.search("target", id, g, target.text)) return e;
        }
        long long i = 0;
        for (const Initiative& in : goal.initiatives) {
            if (auto e = w.row(5, {str(id), num(g), num(++i), str(in.text), opt(in.results)})) return e;
            if (auto e = w.search("initiative", id, g, in.text)) return e;
            if (auto e = w.search("results", id, g, in.results)) return e;
            long long k = 0;
            for (const std::string& div : in.divisions)
                if (auto e = w.row(6, {str(id), num(g), num(i), num(++k), str(div)})) return e;
        }
    }
    ++w.docs;
    return std::nullopt;
}

std::optional<Error> Writer::finish() {
    Impl& w = *impl_;
    for (const Table& t : tables()) {
        for (const ForeignKey& fk : t.foreign_keys) {
            std::string cols;
            for (const char* f : fk.fields) cols += (cols.empty() ? "" : ", ") + std::string(f);
            if (auto e = w.sql(std::string("CREATE INDEX ") + t.name + "_" + fk.table + " ON " + t.name + " (" + cols + ")")) return e;
        }
    }
    // Segments are merged once here rather than while inserting.
    if (auto e = w.sql("INSERT INTO search(search) VALUES ('optimize'); "
                       "CREATE INDEX documents_year ON documents (municipality_code, department, fiscal_year); COMMIT"))
        return e;
    w.insert.clear();
    sqlite3_finalize(w.fts.stmt);
    w.fts.stmt = nullptr;
    sqlite3_finalize(w.fts_text.stmt);
    w.fts_text.stmt = nullptr;
    if (sqlite3_close(w.sqlite.db) != SQLITE_OK) return Error{"dataset-error", "SQLite: cannot close the database"};
    w.sqlite.db = nullptr;
    std::error_code ec;
    for (size_t k = 0; k < w.csv.size(); ++k) {
        w.csv[k].close();
        if (!w.csv[k]) return Error{"output-error", "cannot write " + w.csv_tmp[k].string()};
        fs::rename(w.csv_tmp[k], w.dir / (std::string(tables()[k].name) + ".csv"), ec);
        if (ec) return Error{"output-error", "cannot rename " + w.csv_tmp[k].string() + ": " + ec.message()};
    }
    w.csv_tmp.clear();
    fs::rename(w.sqlite_tmp, w.dir / "hoshin.sqlite", ec);
    if (ec) return Error{"output-error", "cannot rename " + w.sqlite_tmp.string() + ": " + ec.message()};
    w.sqlite_tmp.clear();

    // The Frictionless Data Package, from the same table descriptions.
    nlohmann::ordered_json pkg;
    pkg["profile"] = "tabular-data-package";
    pkg["name"] = "hoshin-operating-policies";
    pkg["title"] = "Municipal operating policies (bukyoku unei houshin) as open data";
    pkg["version"] = kDatasetVersion;
    pkg["sources"] = nlohmann::ordered_json::array({{{"title", "Converted by hoshin " + std::string(kVersion)}}});
    pkg["resources"] = nlohmann::ordered_json::array();
    for (const Table& t : tables()) {
        nlohmann::ordered_json r;
        r["name"] = t.name;
        r["path"] = std::string(t.name) + ".csv";
        r["profile"] = "tabular-data-resource";
        r["description"] = t.description;
        r["format"] = "csv";
        r["mediatype"] = "text/csv";
        r["encoding"] = "utf-8";
        r["dialect"] = {{"delimiter", ","}, {"lineTerminator", "\r\n"}, {"quoteChar", "\""}, {"doubleQuote", true}, {"header", true}};
        nlohmann::ordered_json fields = nlohmann::ordered_json::array();
        for (const Field& f : t.fields) {
            nlohmann::ordered_json field = {{"name", f.name}, {"type", f.type == Type::integer ? "integer" : "string"}, {"description", f.description}};
            nlohmann::ordered_json constraints = nlohmann::ordered_json::object();
            if (f.required) constraints["required"] = true;
            if (f.grade) constraints["enum"] = {"A", "B", "C", "D", "E"};
            if (!constraints.empty()) field["constraints"] = constraints;
            fields.push_back(field);
        }
        r["schema"]["fields"] = fields;
        r["schema"]["primaryKey"] = t.primary_key;
        if (!t.foreign_keys.empty()) {
            nlohmann::ordered_json fks = nlohmann::ordered_json::array();
            for (const ForeignKey& fk : t.foreign_keys)
                fks.push_back({{"fields", fk.fields}, {"reference", {{"resource", fk.table}, {"fields", fk.reference}}}});
            r["schema"]["foreignKeys"] = fks;
        }
        r["schema"]["missingValues"] = {""};
        pkg["resources"].push_back(r);
    }
    if (auto e = write_file_atomic(w.dir / "datapackage.json", pkg.dump(2) + "\n")) return e;
    return std::nullopt;
}

}  // namespace hoshin::dataset
