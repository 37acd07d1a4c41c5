#include "dataset/dataset.h"

#include <sqlite3.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <variant>
#include <vector>

#include "hoshin/version.h"
#include "io/files.h"
#include "parse/profile.h"
#include "ingest/sha256.h"

namespace hoshin::dataset {
extern const char* const kTablesJson;  // data/dataset/tables.json, compiled in
namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

// ---- The tables, described once in data/dataset/tables.json: CSV headers,
// SQLite DDL, the Data Package's Table Schemas and Datasette's metadata all
// come from there.

enum class Type { string, integer };

struct Field {
    std::string name, title, description;
    Type type = Type::string;
    bool required = false;
    bool grade = false;  // one of Metadata::grades
};

struct ForeignKey {
    std::vector<std::string> fields;
    std::string table;
    std::vector<std::string> reference;
};

struct Table {
    std::string name, title, description;
    std::vector<Field> fields;
    std::vector<std::string> primary_key;
    std::vector<ForeignKey> foreign_keys;
    int duplicate_column = -1;  // duplicate_of, filled in by the writer
};

struct Vocabulary {
    ordered_json raw;
    std::vector<Table> tables;
};

const Vocabulary& vocabulary() {
    static const Vocabulary v = [] {
        Vocabulary out;
        out.raw = ordered_json::parse(kTablesJson);
        for (const auto& t : out.raw.at("tables")) {
            Table table;
            table.name = t.at("name").get<std::string>();
            table.title = t.at("title").get<std::string>();
            table.description = t.at("description").get<std::string>();
            for (const auto& f : t.at("fields")) {
                Field field;
                field.name = f.at("name").get<std::string>();
                field.title = f.at("title").get<std::string>();
                field.description = f.at("description").get<std::string>();
                field.type = f.at("type").get<std::string>() == "integer" ? Type::integer : Type::string;
                field.required = f.at("required").get<bool>();
                field.grade = f.value("grade", false);
                if (field.name == "duplicate_of") table.duplicate_column = static_cast<int>(table.fields.size());
                table.fields.push_back(field);
            }
            table.primary_key = t.at("primaryKey").get<std::vector<std::string>>();
            for (const auto& fk : t.at("foreignKeys"))
                table.foreign_keys.push_back({fk.at("fields").get<std::vector<std::string>>(), fk.at("resource").get<std::string>(),
                                              fk.at("reference").get<std::vector<std::string>>()});
            out.tables.push_back(table);
        }
        return out;
    }();
    return v;
}

const std::vector<Table>& tables() { return vocabulary().tables; }

// Table numbers, in the order of tables.json.
enum TableIndex : unsigned char { kDocuments, kOfficers, kBasicPolicy, kGoals, kTargets, kInitiatives, kDivisions, kGradeScale, kUnassigned };
// A record of the search table, which is in SQLite only (no CSV).
constexpr unsigned char kSearchRecord = 255;


using Value = std::variant<std::monostate, std::string, long long>;

Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : Value(); }
Value opt(const std::optional<int>& v) { return v ? Value(static_cast<long long>(*v)) : Value(); }
Value num(long long v) { return Value(v); }
Value str(const std::string& s) { return Value(s); }

// ---- Rows as bytes: [table][count] then per value a tag (0 null, 1 integer,
// 2 text), integers as 8 bytes, text as a 4-byte length and its bytes.

void put_u32(std::string& out, uint32_t v) {
    for (int k = 0; k < 4; ++k) out += static_cast<char>((v >> (8 * k)) & 0xFF);
}

void encode(std::string& out, unsigned char table, const std::vector<Value>& values) {
    out += static_cast<char>(table);
    out += static_cast<char>(values.size());
    for (const Value& v : values) {
        if (const auto* s = std::get_if<std::string>(&v)) {
            out += '\2';
            put_u32(out, static_cast<uint32_t>(s->size()));
            out += *s;
        } else if (const auto* n = std::get_if<long long>(&v)) {
            out += '\1';
            auto u = static_cast<unsigned long long>(*n);
            for (int k = 0; k < 8; ++k) out += static_cast<char>((u >> (8 * k)) & 0xFF);
        } else {
            out += '\0';
        }
    }
}

struct Reader {
    std::string_view bytes;
    size_t at = 0;
    bool ok = true;

    unsigned char byte() {
        if (at >= bytes.size()) return ok = false, 0;
        return static_cast<unsigned char>(bytes[at++]);
    }
    unsigned long long fixed(int n) {
        unsigned long long v = 0;
        for (int k = 0; k < n; ++k) v |= static_cast<unsigned long long>(byte()) << (8 * k);
        return v;
    }
    Value value() {
        switch (byte()) {
            case 0: return Value();
            case 1: return Value(static_cast<long long>(fixed(8)));
            case 2: {
                size_t n = static_cast<size_t>(fixed(4));
                if (!ok || n > bytes.size() - at) return ok = false, Value();
                std::string s(bytes.substr(at, n));
                at += n;
                return Value(std::move(s));
            }
            default: return ok = false, Value();
        }
    }
};

// The unicode61 tokenizer's token characters (its default categories: L*, N*, Co).
bool token_char(UChar32 c) {
    return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK | U_GC_CO_MASK)) != 0;
}

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

std::string iso_utc(long long seconds) {
    std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm {};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Full-text search. The search_text table holds every text in search form;
// `search` (trigram, external content: snippet() and highlight() work)
// finds any phrase of three characters or more, and search_grams (the tokens
// of short_grams: pairs, and single characters at the end of a run;
// contentless, no positions or sizes) the shorter ones. Both
// are built at finish(), once the workers have ended; each gathers up to
// 64 MiB of tokens in memory before writing a segment (hashsize; the
// default 1 MiB makes many small segments for 'optimize' to merge).
// search_fold maps the characters NFKC changes, so SQL can put a query into
// search form where no ICU is at hand (Datasette, the sqlite3 shell).
constexpr const char* kSearchSchema =
    "CREATE TABLE search_text (rowid INTEGER PRIMARY KEY, document_id TEXT NOT NULL REFERENCES documents (document_id), "
    "goal_seq INTEGER, item_seq INTEGER, kind TEXT NOT NULL, municipality_name TEXT, department TEXT, fiscal_year INTEGER, "
    "text TEXT NOT NULL); "
    "CREATE VIRTUAL TABLE search USING fts5(text, content=\"search_text\", content_rowid=\"rowid\", tokenize=\"trigram\"); "
    "CREATE VIRTUAL TABLE search_grams USING fts5(grams, content='', columnsize=0, detail=none, "
    "tokenize='unicode61 remove_diacritics 0'); "
    "CREATE TABLE search_fold (from_text TEXT PRIMARY KEY, to_text TEXT NOT NULL) WITHOUT ROWID; "
    "INSERT INTO search(search, rank) VALUES ('automerge', 0); "
    "INSERT INTO search_grams(search_grams, rank) VALUES ('automerge', 0); "
    "INSERT INTO search(search, rank) VALUES ('hashsize', 67108864); "
    "INSERT INTO search_grams(search_grams, rank) VALUES ('hashsize', 67108864)";

// The query :q in search form, and the rows it finds: trigram phrases for
// three characters or more, a token prefix otherwise (tokens have at most
// two characters, so "防災"* is 防災 alone; "災"* is 災 or a pair it starts;
// a query whose punctuation the tokenizer drops, 、防, is then 防's). A
// character pair that NFKC composes (half-width kana and a sound mark) is
// looked up before single characters.
constexpr const char* kSearchQuery =
    "WITH RECURSIVE\n"
    "  fold(i, s) AS (\n"
    "    SELECT 1, ''\n"
    "    UNION ALL\n"
    "    SELECT i + coalesce((SELECT length(from_text) FROM search_fold WHERE from_text = substr(:q, i, 2)), 1),\n"
    "           s || coalesce((SELECT to_text FROM search_fold WHERE from_text = substr(:q, i, 2)),\n"
    "                         (SELECT to_text FROM search_fold WHERE from_text = substr(:q, i, 1)), substr(:q, i, 1))\n"
    "    FROM fold WHERE i <= length(:q)),\n"
    "  query(q, phrase) AS (SELECT trim(s), '\"' || replace(trim(s), '\"', '\"\"') || '\"' FROM fold ORDER BY i DESC LIMIT 1),\n"
    "  hits(rowid, marked) AS (\n"
    "    SELECT rowid, highlight(search, 0, '[', ']') FROM search\n"
    "    WHERE search MATCH (SELECT phrase FROM query) AND (SELECT length(q) FROM query) >= 3\n"
    "    UNION ALL\n"
    "    SELECT g.rowid, replace(t.text, (SELECT q FROM query), '[' || (SELECT q FROM query) || ']')\n"
    "    FROM search_grams g JOIN search_text t ON t.rowid = g.rowid\n"
    "    WHERE search_grams MATCH (SELECT phrase || '*' FROM query)\n"
    "      AND (SELECT length(q) FROM query) BETWEEN 1 AND 2)\n"
    "SELECT t.municipality_name, t.department, t.fiscal_year, t.kind, t.goal_seq, t.item_seq, h.marked AS text,\n"
    "       t.document_id, t.rowid AS search_rowid\n"
    "FROM hits h JOIN search_text t ON t.rowid = h.rowid\n"
    "ORDER BY t.fiscal_year, t.municipality_name, t.department, t.rowid";

}  // namespace

std::optional<License> find_license(std::string_view id) {
    static const License known[] = {
        {"CC-BY-4.0", "Creative Commons Attribution 4.0 International", "https://creativecommons.org/licenses/by/4.0/"},
        {"CC0-1.0", "Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"},
        {"CC-BY-SA-4.0", "Creative Commons Attribution Share Alike 4.0 International",
         "https://creativecommons.org/licenses/by-sa/4.0/"},
        {"ODC-By-1.0", "Open Data Commons Attribution License v1.0", "https://opendatacommons.org/licenses/by/1-0/"},
        {"PDDL-1.0", "Open Data Commons Public Domain Dedication & License 1.0", "https://opendatacommons.org/licenses/pddl/1-0/"},
    };
    for (const License& l : known)
        if (id == l.id) return l;
    return std::nullopt;
}

std::vector<std::string> declared_grades(const fs::path& dir) {
    std::vector<std::string> out;
    std::ifstream in(dir / "datapackage.json", std::ios::binary);
    if (!in) return out;
    auto package = nlohmann::json::parse(in, nullptr, false);
    if (package.is_discarded() || !package.contains("resources") || !package["resources"].is_array()) return out;
    // Every grade field has the same enum (Metadata::grades): the first one found.
    try {
        for (const auto& resource : package["resources"]) {
            for (const auto& f : resource.value("/schema/fields"_json_pointer, nlohmann::json::array())) {
                for (const auto& g : f.value("/constraints/enum"_json_pointer, nlohmann::json::array()))
                    if (g.is_string()) out.push_back(g.get<std::string>());
                if (!out.empty()) return out;
            }
        }
    } catch (const nlohmann::json::exception&) {  // not a package this program wrote
        out.clear();
    }
    return out;
}

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

std::string search_form(std::string_view utf8) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) return std::string(utf8);
    icu::UnicodeString in = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    icu::UnicodeString out = nfkc->normalize(in, status);
    if (U_FAILURE(status)) return std::string(utf8);
    std::string result;
    out.toUTF8String(result);
    return result;
}

std::string short_grams(std::string_view text) {
    std::string out;
    int32_t i = 0, n = static_cast<int32_t>(text.size());
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    int32_t prev_start = -1;  // the previous character, when it is a token character
    // Each token character gives the pair it starts, or itself when no token
    // character follows: one token per character.
    auto emit = [&](int32_t from, int32_t to) {
        if (!out.empty()) out += ' ';
        out.append(text.substr(static_cast<size_t>(from), static_cast<size_t>(to - from)));
    };
    int32_t prev_end = -1;
    while (i < n) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, n, c);
        bool token = c >= 0 && token_char(c);
        if (prev_start >= 0) emit(prev_start, token ? i : prev_end);
        prev_start = token ? start : -1;
        prev_end = i;
    }
    if (prev_start >= 0) emit(prev_start, prev_end);
    return out;
}

std::string document_rows(const Document& d, const std::string& source_key, size_t index_in_file) {
    std::string out;
    std::string id = document_id(source_key, d, index_in_file);
    long long warnings = 0;
    for (const Diagnostic& x : d.diagnostics) warnings += x.severity == Severity::warning;
    const FiscalYear* fy = d.fiscal_year ? &*d.fiscal_year : nullptr;
    const Person* head = d.department.head ? &*d.department.head : nullptr;
    const Value year = fy ? num(fy->gregorian) : Value();
    const Value town = opt(d.municipality.name), dept = opt(d.department.name);
    Value ocr_engine, ocr_dpi, ocr_pages, ocr_confidence;
    if (const auto& ocr = d.source.ocr) {
        ocr_engine = str(ocr->engine + " " + ocr->version + " " + ocr->language);
        ocr_dpi = num(ocr->dpi);
        ocr_pages = num(static_cast<long long>(ocr->pages.size()));
        double sum = 0;
        for (const OcrPage& p : ocr->pages) sum += p.confidence;
        if (!ocr->pages.empty()) ocr_confidence = num(std::llround(sum / static_cast<double>(ocr->pages.size())));
    }
    // Whole percent: the dataset's values are integers and text.
    auto confidence = [](const Provenance& p) { return p.confidence ? num(std::llround(*p.confidence)) : Value(); };
    encode(out, kDocuments,
           {str(id), str(source_key), num(static_cast<long long>(index_in_file) + 1), str(d.source.sha256), str(d.source.format),
            str(d.source.encoding), num(d.source.pages), ocr_engine, ocr_dpi, ocr_pages, ocr_confidence, town, opt(d.municipality.code), opt(d.title),
            fy ? str(fy->label) : Value(), fy ? str(fy->era) : Value(), fy ? num(fy->era_year) : Value(), year, dept,
            head ? opt(head->title) : Value(), head ? opt(head->name) : Value(), num(static_cast<long long>(d.goals.size())),
            num(static_cast<long long>(d.unassigned.size())), num(warnings), Value()});
    // Every text, in search form, with where it is.
    auto search = [&](const char* kind, const Value& goal, const Value& item, const std::optional<std::string>& text) {
        if (!text || text->empty()) return;
        std::string form = search_form(*text);
        encode(out, kSearchRecord, {str(id), goal, item, str(kind), town, dept, year, str(form)});
    };
    long long seq = 0;
    for (const Officer& o : d.department.officers) encode(out, kOfficers, {str(id), num(++seq), opt(o.title), opt(o.name), opt(o.portfolio)});
    seq = 0;
    for (const std::string& p : d.basic_policy) {
        encode(out, kBasicPolicy, {str(id), num(++seq), str(p)});
        search("basic_policy", Value(), num(seq), p);
    }
    long long g = 0;
    for (const Goal& goal : d.goals) {
        ++g;
        const PlanGoal* pg = goal.plan_goal ? &*goal.plan_goal : nullptr;
        encode(out, kGoals,
               {str(id), num(g), town, dept, year, num(goal.number), str(goal_key(d, goal)), pg ? opt(pg->number) : Value(),
                pg ? opt(pg->title) : Value(), opt(goal.field), str(goal.title), opt(goal.summary_grade), opt(goal.evaluation.grade),
                opt(goal.evaluation.summary), opt(goal.next_steps), num(goal.provenance.page), confidence(goal.provenance), Value()});
        search("goal", num(g), Value(), goal.title);
        search("evaluation", num(g), Value(), goal.evaluation.summary);
        search("next_steps", num(g), Value(), goal.next_steps);
        long long t = 0;
        for (const Target& target : goal.targets) {
            ++t;
            encode(out, kTargets, {str(id), num(g), num(t), town, dept, year, num(goal.number), str(target.text), opt(target.status),
                                   opt(target.grade), num(target.provenance.page), confidence(target.provenance)});
            search("target", num(g), num(t), target.text);
            search("status", num(g), num(t), target.status);
        }
        long long i = 0;
        for (const Initiative& in : goal.initiatives) {
            ++i;
            encode(out, kInitiatives,
                   {str(id), num(g), num(i), town, dept, year, num(goal.number), str(in.text), opt(in.results), num(in.provenance.page)});
            search("initiative", num(g), num(i), in.text);
            search("results", num(g), num(i), in.results);
            long long k = 0;
            for (const std::string& div : in.divisions) {
                encode(out, kDivisions, {str(id), num(g), num(i), num(++k), str(div)});
                search("division", num(g), num(i), div);
            }
        }
    }
    seq = 0;
    for (const GradeLevel& level : d.grade_scale)
        encode(out, kGradeScale, {str(id), num(++seq), str(level.grade), str(level.label), opt(level.description),
                                  opt(level.min_percent), opt(level.max_percent)});
    seq = 0;
    for (const Unassigned& u : d.unassigned) {
        encode(out, kUnassigned, {str(id), num(++seq), str(u.text), num(u.provenance.page), num(u.provenance.line_start),
                                  num(u.provenance.line_end)});
        search("unassigned", Value(), num(seq), u.text);
    }
    return out;
}

struct Writer::Impl {
    fs::path dir;
    Metadata metadata;
    std::vector<std::ofstream> csv;
    std::vector<fs::path> csv_tmp;
    Sqlite sqlite;
    fs::path sqlite_tmp;
    std::vector<std::unique_ptr<Stmt>> insert;
    Stmt search_text;
    long long search_rows = 0;
    size_t docs = 0;
    // The first document of each source content (SHA-256 and place in the
    // file): a later one with the same is a duplicate. About 90 bytes a document.
    std::map<std::string, std::string> first_of;
    std::optional<std::string> duplicate_of;  // of the document being added
    std::set<std::string> municipalities;
    std::optional<long long> newest_ns;

    std::optional<Error> sql(const std::string& statement) {
        char* err = nullptr;
        if (sqlite3_exec(sqlite.db, statement.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string message = err ? err : "unknown";
            sqlite3_free(err);
            return Error{ErrorCode::dataset_error, "SQLite: " + message};
        }
        return std::nullopt;
    }

    // The value outlives the statement's step (SQLITE_STATIC: not copied).
    static void bind(sqlite3_stmt* st, int col, const Value& v) {
        if (const auto* s = std::get_if<std::string>(&v))
            sqlite3_bind_text(st, col, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
        else if (const auto* n = std::get_if<long long>(&v))
            sqlite3_bind_int64(st, col, *n);
        else
            sqlite3_bind_null(st, col);
    }

    std::optional<Error> step(sqlite3_stmt* st, std::string_view what) {
        if (sqlite3_step(st) != SQLITE_DONE) {
            Error e{ErrorCode::dataset_error, "SQLite " + std::string(what) + ": " + sqlite3_errmsg(sqlite.db)};
            sqlite3_reset(st);
            return e;
        }
        sqlite3_reset(st);
        return std::nullopt;
    }

    std::optional<Error> row(size_t table, std::vector<Value>& values) {
        const Table& t = tables()[table];
        if (values.size() != t.fields.size()) return Error{ErrorCode::dataset_error, "a row of " + t.name + " has the wrong number of values"};
        if (table == kDocuments) {
            const auto* id = std::get_if<std::string>(&values[0]);
            const auto* sha = std::get_if<std::string>(&values[3]);
            const auto* part = std::get_if<long long>(&values[2]);
            if (!id || !sha || !part) return Error{ErrorCode::dataset_error, "a documents row lacks its keys"};
            auto [it, fresh] = first_of.emplace(*sha + ":" + std::to_string(*part), *id);
            duplicate_of = fresh ? std::nullopt : std::optional<std::string>(it->second);
            if (const auto* town = std::get_if<std::string>(&values[7])) municipalities.insert(*town);
            ++docs;
        }
        if (t.duplicate_column >= 0) values[static_cast<size_t>(t.duplicate_column)] = duplicate_of ? Value(*duplicate_of) : Value();
        std::string line;
        sqlite3_stmt* st = insert[table]->stmt;
        for (size_t k = 0; k < values.size(); ++k) {
            if (k) line += ',';
            if (const auto* s = std::get_if<std::string>(&values[k])) line += csv_field(*s);
            else if (const auto* n = std::get_if<long long>(&values[k])) line += std::to_string(*n);
            bind(st, static_cast<int>(k) + 1, values[k]);
        }
        line += "\r\n";
        csv[table] << line;
        return step(st, t.name);
    }

    // document_id, goal_seq, item_seq, kind, municipality, department, year, text
    std::optional<Error> search_row(const std::vector<Value>& values) {
        if (values.size() != 8) return Error{ErrorCode::dataset_error, "a search row has the wrong number of values"};
        ++search_rows;
        sqlite3_bind_int64(search_text.stmt, 1, search_rows);
        for (size_t k = 0; k < 8; ++k) bind(search_text.stmt, static_cast<int>(k) + 2, values[k]);
        return step(search_text.stmt, "search_text");
    }
    // Every character NFKC changes, and each half-width kana with a sound
    // mark NFKC composes into one.
    std::optional<Error> fold_table() {
        Stmt st;
        if (sqlite3_prepare_v2(sqlite.db, "INSERT INTO search_fold VALUES (?, ?)", -1, &st.stmt, nullptr) != SQLITE_OK)
            return Error{ErrorCode::dataset_error, std::string("SQLite: ") + sqlite3_errmsg(sqlite.db)};
        auto utf8 = [](std::initializer_list<UChar32> cps) {
            icu::UnicodeString u;
            for (UChar32 c : cps) u.append(c);
            std::string s;
            u.toUTF8String(s);
            return s;
        };
        auto add = [&](const std::string& from) -> std::optional<Error> {
            std::string to = search_form(from);
            if (to == from) return std::nullopt;
            sqlite3_bind_text(st.stmt, 1, from.data(), static_cast<int>(from.size()), SQLITE_TRANSIENT);
            sqlite3_bind_text(st.stmt, 2, to.data(), static_cast<int>(to.size()), SQLITE_TRANSIENT);
            return step(st.stmt, "search_fold");
        };
        constexpr UChar32 kLastBmp = 0xFFFF, kHalfwidthKanaFirst = 0xFF61, kHalfwidthKanaLast = 0xFF9D;
        constexpr UChar32 kVoicedMark = 0xFF9E, kSemiVoicedMark = 0xFF9F;
        for (UChar32 c = 1; c <= kLastBmp; ++c) {
            if (U_IS_SURROGATE(c) || u_charType(c) == U_UNASSIGNED) continue;
            if (auto e = add(utf8({c}))) return e;
        }
        for (UChar32 c = kHalfwidthKanaFirst; c <= kHalfwidthKanaLast; ++c)
            for (UChar32 mark : {kVoicedMark, kSemiVoicedMark}) {
                std::string pair = utf8({c, mark});
                if (icu::UnicodeString::fromUTF8(search_form(pair)).countChar32() == 1)
                    if (auto e = add(pair)) return e;
            }
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
    if (impl_->search_text.stmt) sqlite3_finalize(impl_->search_text.stmt);
    impl_->search_text.stmt = nullptr;
    if (impl_->sqlite.db) {
        sqlite3_close_v2(impl_->sqlite.db);
        impl_->sqlite.db = nullptr;
    }
    if (!impl_->sqlite_tmp.empty()) fs::remove(impl_->sqlite_tmp, ec);
}

size_t Writer::documents() const { return impl_->docs; }

void Writer::note_input_time(long long mtime_ns) {
    if (!impl_->newest_ns || mtime_ns > *impl_->newest_ns) impl_->newest_ns = mtime_ns;
}

Result<std::unique_ptr<Writer>> Writer::open(const fs::path& dir, const Metadata& metadata) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Error{ErrorCode::output_error, "cannot create " + dir.string() + ": " + ec.message()};
    auto impl = std::make_unique<Impl>();
    impl->dir = dir;
    impl->metadata = metadata;
    if (impl->metadata.grades.empty()) impl->metadata.grades = parse::default_profile().grade_names();
    std::string grade_list;  // SQL: 'A', 'B', ...
    for (const std::string& g : impl->metadata.grades) {
        char* quoted = sqlite3_mprintf("%Q", g.c_str());
        grade_list += (grade_list.empty() ? "" : ", ") + std::string(quoted ? quoted : "''");
        sqlite3_free(quoted);
    }
    const std::string bom = "\xEF\xBB\xBF";  // Excel in Japan opens UTF-8 right only with it
    for (const Table& t : tables()) {
        fs::path tmp = dir / ("." + t.name + ".csv.tmp");
        impl->csv_tmp.push_back(tmp);
        impl->csv.emplace_back(tmp, std::ios::binary | std::ios::trunc);
        if (!impl->csv.back()) return Error{ErrorCode::output_error, "cannot write " + tmp.string()};
        std::string header;
        for (const Field& f : t.fields) header += (header.empty() ? "" : ",") + f.name;
        impl->csv.back() << bom << header << "\r\n";
    }
    impl->sqlite_tmp = dir / ".hoshin.sqlite.tmp";
    fs::remove(impl->sqlite_tmp, ec);
    if (sqlite3_open(impl->sqlite_tmp.c_str(), &impl->sqlite.db) != SQLITE_OK)
        return Error{ErrorCode::output_error, "cannot create " + impl->sqlite_tmp.string()};
    if (auto e = impl->sql("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON; PRAGMA user_version=" +
                           std::to_string(kDatasetVersion) + "; BEGIN"))
        return *e;
    for (const Table& t : tables()) {
        std::string ddl = "CREATE TABLE " + t.name + " (";
        std::string placeholders;
        for (const Field& f : t.fields) {
            ddl += f.name + (f.type == Type::integer ? " INTEGER" : " TEXT") + (f.required ? " NOT NULL" : "");
            if (f.grade) ddl += " CHECK (" + f.name + " IN (" + grade_list + "))";
            ddl += ", ";
            placeholders += placeholders.empty() ? "?" : ", ?";
        }
        ddl += "PRIMARY KEY (";
        for (size_t k = 0; k < t.primary_key.size(); ++k) ddl += (k ? ", " : "") + t.primary_key[k];
        ddl += ")";
        for (const ForeignKey& fk : t.foreign_keys) {
            ddl += ", FOREIGN KEY (";
            for (size_t k = 0; k < fk.fields.size(); ++k) ddl += (k ? ", " : "") + fk.fields[k];
            ddl += ") REFERENCES " + fk.table + " (";
            for (size_t k = 0; k < fk.reference.size(); ++k) ddl += (k ? ", " : "") + fk.reference[k];
            ddl += ")";
        }
        ddl += ")";
        if (auto e = impl->sql(ddl)) return *e;
        auto st = std::make_unique<Stmt>();
        std::string insert = "INSERT INTO " + t.name + " VALUES (" + placeholders + ")";
        if (sqlite3_prepare_v2(impl->sqlite.db, insert.c_str(), -1, &st->stmt, nullptr) != SQLITE_OK)
            return Error{ErrorCode::dataset_error, std::string("SQLite: ") + sqlite3_errmsg(impl->sqlite.db)};
        impl->insert.push_back(std::move(st));
    }
    if (auto e = impl->sql(kSearchSchema)) return *e;
    if (sqlite3_prepare_v2(impl->sqlite.db, "INSERT INTO search_text VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &impl->search_text.stmt,
                           nullptr) != SQLITE_OK)
        return Error{ErrorCode::dataset_error, std::string("SQLite: ") + sqlite3_errmsg(impl->sqlite.db)};
    return std::unique_ptr<Writer>(new Writer(std::move(impl)));
}

std::optional<Error> Writer::add(const Document& d, const std::string& source_key, size_t index_in_file) {
    return add_rows(document_rows(d, source_key, index_in_file));
}

std::optional<Error> Writer::add_rows(std::string_view rows) {
    Reader r{rows};
    std::vector<Value> values;
    while (r.ok && r.at < rows.size()) {
        unsigned char table = r.byte();
        size_t count = r.byte();
        values.clear();
        for (size_t k = 0; k < count && r.ok; ++k) values.push_back(r.value());
        if (!r.ok) break;
        if (table == kSearchRecord) {
            if (auto e = impl_->search_row(values)) return e;
        } else if (table < tables().size()) {
            if (auto e = impl_->row(table, values)) return e;
        } else {
            r.ok = false;
        }
    }
    if (!r.ok) return Error{ErrorCode::dataset_error, "malformed dataset rows from a worker"};
    return std::nullopt;
}

namespace {
// SQL hoshin_grams(text): short_grams of a text.
void grams_function(sqlite3_context* ctx, int, sqlite3_value** argv) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    if (!text) return sqlite3_result_null(ctx);
    std::string grams = short_grams(std::string_view(text, static_cast<size_t>(sqlite3_value_bytes(argv[0]))));
    sqlite3_result_text(ctx, grams.data(), static_cast<int>(grams.size()), SQLITE_TRANSIENT);
}
}  // namespace

std::optional<Error> Writer::finish() {
    Impl& w = *impl_;
    const ordered_json& vocab = vocabulary().raw;
    for (const Table& t : tables()) {
        for (const ForeignKey& fk : t.foreign_keys) {
            std::string cols;
            for (const std::string& f : fk.fields) cols += (cols.empty() ? "" : ", ") + f;
            if (auto e = w.sql("CREATE INDEX " + t.name + "_" + fk.table + " ON " + t.name + " (" + cols + ")")) return e;
        }
    }
    for (const auto& v : vocab.at("views"))
        if (auto e = w.sql("CREATE VIEW " + v.at("name").get<std::string>() + " AS " + v.at("sql").get<std::string>())) return e;
    if (auto e = w.fold_table()) return e;
    // The search indexes are built here, in one pass over search_text each,
    // rather than a row at a time as documents come in: at about half the
    // cost (tokens gathered in one large in-memory table, no per-row
    // statements). hoshin_grams exists only on this connection.
    if (sqlite3_create_function(w.sqlite.db, "hoshin_grams", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, grams_function, nullptr,
                                nullptr) != SQLITE_OK)
        return Error{ErrorCode::dataset_error, std::string("SQLite: ") + sqlite3_errmsg(w.sqlite.db)};
    if (auto e = w.sql("INSERT INTO search(search) VALUES ('rebuild'); "
                       "INSERT INTO search_grams(rowid, grams) SELECT rowid, hoshin_grams(text) FROM search_text; "
                       "INSERT INTO search(search) VALUES ('optimize'); INSERT INTO search_grams(search_grams) VALUES ('optimize'); "
                       "CREATE INDEX search_text_goal ON search_text (document_id, goal_seq); "
                       "CREATE INDEX documents_year ON documents (municipality_code, department, fiscal_year); "
                       "CREATE INDEX goals_year ON goals (municipality_name, department, goal_number, fiscal_year); COMMIT"))
        return e;
    w.insert.clear();
    sqlite3_finalize(w.search_text.stmt);
    w.search_text.stmt = nullptr;
    if (sqlite3_close(w.sqlite.db) != SQLITE_OK) return Error{ErrorCode::dataset_error, "SQLite: cannot close the database"};
    w.sqlite.db = nullptr;
    std::error_code ec;
    for (size_t k = 0; k < w.csv.size(); ++k) {
        w.csv[k].close();
        if (!w.csv[k]) return Error{ErrorCode::output_error, "cannot write " + w.csv_tmp[k].string()};
        fs::rename(w.csv_tmp[k], w.dir / (tables()[k].name + ".csv"), ec);
        if (ec) return Error{ErrorCode::output_error, "cannot rename " + w.csv_tmp[k].string() + ": " + ec.message()};
    }
    w.csv_tmp.clear();
    fs::rename(w.sqlite_tmp, w.dir / "hoshin.sqlite", ec);
    if (ec) return Error{ErrorCode::output_error, "cannot rename " + w.sqlite_tmp.string() + ": " + ec.message()};
    w.sqlite_tmp.clear();

    // What both metadata files say of the whole.
    constexpr long long kNanosecondsPerSecond = 1'000'000'000;
    long long created = w.metadata.created ? *w.metadata.created : w.newest_ns ? *w.newest_ns / kNanosecondsPerSecond : 0;
    std::string publisher = w.metadata.publisher.value_or("");
    if (!w.metadata.publisher)
        for (const std::string& m : w.municipalities) publisher += (publisher.empty() ? "" : ", ") + m;
    auto license = find_license(w.metadata.license);
    ordered_json lic = {{"name", w.metadata.license}};
    if (license) lic["path"] = license->url, lic["title"] = license->title;
    ordered_json source = {{"title", "部局運営方針(原本: PDF・テキスト)"}};
    if (w.metadata.source_url) source["path"] = *w.metadata.source_url;
    ordered_json converter = {{"title", std::string("hoshin ") + kVersion}, {"role", "wrangler"}};

    // The Frictionless Data Package, from the same table descriptions.
    const ordered_json& about = vocab.at("package");
    ordered_json pkg;
    pkg["profile"] = "tabular-data-package";
    pkg["name"] = about.at("name");
    pkg["title"] = about.at("title");
    pkg["description"] = about.at("description");
    pkg["keywords"] = about.at("keywords");
    pkg["version"] = std::to_string(kDatasetVersion);
    pkg["created"] = iso_utc(created);
    pkg["licenses"] = ordered_json::array({lic});
    pkg["sources"] = ordered_json::array({source});
    pkg["contributors"] = ordered_json::array();
    if (!publisher.empty()) pkg["contributors"].push_back({{"title", publisher}, {"role", "publisher"}});
    pkg["contributors"].push_back(converter);
    pkg["resources"] = ordered_json::array();
    for (const Table& t : tables()) {
        ordered_json r;
        r["name"] = t.name;
        r["path"] = t.name + ".csv";
        r["profile"] = "tabular-data-resource";
        r["title"] = t.title;
        r["description"] = t.description;
        r["format"] = "csv";
        r["mediatype"] = "text/csv";
        // The files begin with a BOM for Excel; "utf-8-sig" tells a reader
        // that follows the declaration (Python's codecs, frictionless) to
        // drop it, so the first header is "document_id", not "\ufeffdocument_id".
        r["encoding"] = "utf-8-sig";
        r["dialect"] = {{"delimiter", ","}, {"lineTerminator", "\r\n"}, {"quoteChar", "\""}, {"doubleQuote", true}, {"header", true}};
        ordered_json fields = ordered_json::array();
        for (const Field& f : t.fields) {
            ordered_json field = {{"name", f.name}, {"title", f.title}, {"type", f.type == Type::integer ? "integer" : "string"},
                                  {"description", f.description}};
            ordered_json constraints = ordered_json::object();
            if (f.required) constraints["required"] = true;
            if (f.grade) constraints["enum"] = w.metadata.grades;
            if (!constraints.empty()) field["constraints"] = constraints;
            fields.push_back(field);
        }
        r["schema"]["fields"] = fields;
        r["schema"]["primaryKey"] = t.primary_key;
        if (!t.foreign_keys.empty()) {
            ordered_json fks = ordered_json::array();
            for (const ForeignKey& fk : t.foreign_keys)
                fks.push_back({{"fields", fk.fields}, {"reference", {{"resource", fk.table}, {"fields", fk.reference}}}});
            r["schema"]["foreignKeys"] = fks;
        }
        r["schema"]["missingValues"] = {""};
        pkg["resources"].push_back(r);
    }
    if (auto e = write_file_atomic(w.dir / "datapackage.json", pkg.dump(2) + "\n")) return e;

    // Datasette's metadata.json (datasette hoshin.sqlite -m metadata.json):
    // titles, descriptions, licence and source, the search query.
    const ordered_json& search = vocab.at("search");
    ordered_json meta;
    meta["title"] = about.at("title");
    meta["description"] = about.at("description");
    meta["license"] = license ? license->title : w.metadata.license;
    if (license) meta["license_url"] = license->url;
    meta["source"] = publisher.empty() ? source.at("title").get<std::string>() : publisher;
    if (w.metadata.source_url) meta["source_url"] = *w.metadata.source_url;
    ordered_json db;
    db["tables"] = ordered_json::object();
    for (const Table& t : tables()) {
        ordered_json tm = {{"title", t.title}, {"description", t.description}};
        for (const Field& f : t.fields) tm["columns"][f.name] = f.title + ": " + f.description;
        db["tables"][t.name] = tm;
    }
    for (const auto& v : vocab.at("views"))
        db["tables"][v.at("name").get<std::string>()] = {{"title", v.at("title")}, {"description", v.at("description")}};
    db["tables"]["search_text"] = {{"title", search.at("table_title")}, {"description", search.at("table_description")},
                                   {"fts_table", "search"}, {"fts_pk", "rowid"}, {"searchmode", "escaped"}};
    for (const char* hidden : {"search", "search_grams", "search_fold"}) db["tables"][hidden] = {{"hidden", true}};
    db["queries"]["search"] = {{"title", search.at("title")}, {"description", search.at("description")}, {"sql", kSearchQuery}};
    meta["databases"]["hoshin"] = db;
    if (auto e = write_file_atomic(w.dir / "metadata.json", meta.dump(2) + "\n")) return e;
    // The same query for the sqlite3 shell: .parameter set :q WORD, then .read search.sql
    if (auto e = write_file_atomic(w.dir / "search.sql", std::string(kSearchQuery) + ";\n")) return e;
    return std::nullopt;
}

}  // namespace hoshin::dataset
