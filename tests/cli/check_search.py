#!/usr/bin/env python3
"""Checks a bulk dataset as a portal, a searcher and Datasette would use it,
with readers that are not hoshin's.

usage: check_search.py OUT
- Search: words of 1, 2, 3 and 5 characters drawn from the indexed texts are
  looked up with the dataset's own search query (search.sql, the one
  metadata.json gives Datasette) and with a brute-force LIKE over the same
  rows; recall must be 1.0. ASCII words are also searched in full width
  (the query side is normalised like the index). Prints the figures.
- sqlite-utils (Debian's python3 package) detects the FTS table of
  search_text and searches it; highlight() marks the phrase.
- Every search row points at the goal, target or initiative it came from.
- datapackage.json: the portal metadata is there (licences, sources,
  contributors, created), every resource is read with the encoding it
  declares (headers must come out clean), and its rows are loaded into
  SQLite STRICT tables built from the Table Schema: SQLite checks the types,
  required cells, enums, primary keys and foreign keys.
- metadata.json (Datasette) describes every table and carries the query.
"""
import csv
import json
import os
import random
import re
import sqlite3
import sys
import unicodedata

import sqlite_utils

out = sys.argv[1]
ds = os.path.join(out, "dataset")
db_path = os.path.join(ds, "hoshin.sqlite")
problems = []
con = sqlite3.connect(db_path)
query = open(os.path.join(ds, "search.sql"), encoding="utf-8").read().rstrip().rstrip(";")

# ---- Recall against LIKE.
rows = con.execute("SELECT rowid, text FROM search_text").fetchall()
if not rows:
    problems.append("search_text is empty")
rng = random.Random(11)
samples_per_length = 40


def like(q):
    esc = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return {r for (r,) in con.execute("SELECT rowid FROM search_text WHERE text LIKE ? ESCAPE '\\'", ("%" + esc + "%",))}


def found(q):
    return {r[-1] for r in con.execute(query, {"q": q})}


def word_chars(s):
    return all(unicodedata.category(c)[0] in "LN" for c in s)


stats = {}
for n in (1, 2, 3, 5):
    words = set()
    for _ in range(samples_per_length * 50):
        if len(words) >= samples_per_length:
            break
        _, text = rng.choice(rows)
        if len(text) < n:
            continue
        k = rng.randrange(len(text) - n + 1)
        w = text[k:k + n]
        if word_chars(w):
            words.add(w)
    hit = total = extra = 0
    for w in sorted(words):
        want, got = like(w), found(w)
        total += len(want)
        hit += len(want & got)
        extra += len(got - want)
        if want - got:
            problems.append(f"search for {w!r} misses {len(want - got)} of {len(want)} rows LIKE finds")
    stats[n] = (len(words), total, hit, extra)
    recall = hit / total if total else 1.0
    print(f"     search, {n}-character words: {len(words)} words, {total} rows by LIKE, recall {recall:.3f}, {extra} rows beyond LIKE")

# The query side is normalised like the index: full-width ASCII finds the same rows.
ascii_words = sorted({m.group(0) for _, t in rows for m in re.finditer(r"[A-Za-z]{3,}", t)})[:10]
for w in ascii_words:
    wide = "".join(chr(ord(c) + 0xFEE0) for c in w)
    if found(wide) != found(w) or not found(w):
        problems.append(f"full-width {wide!r} does not find what {w!r} finds")
print(f"     full-width queries checked: {len(ascii_words)} ({', '.join(ascii_words[:4])}...)")
for w in ("防災", "避難", "危機管理課"):
    if like(w) and found(w) != like(w):
        problems.append(f"{w} is not found as LIKE finds it")

# ---- sqlite-utils: the FTS table is detected and searchable; highlight works.
db = sqlite_utils.Database(db_path)
fts = db["search_text"].detect_fts()
if fts != "search":
    problems.append(f"sqlite-utils detect_fts(search_text) gives {fts!r}, not 'search'")
else:
    probe = next((t[k:k + 4] for _, t in rows for k in range(len(t) - 3) if word_chars(t[k:k + 4])), None)
    if probe:
        hits = list(db["search_text"].search(f'"{probe}"'))
        if not hits or not all(probe.lower() in h["text"].lower() for h in hits):
            problems.append(f"sqlite-utils search for {probe!r} finds nothing or the wrong rows")
        marked = con.execute("SELECT highlight(search, 0, '[', ']') FROM search WHERE search MATCH ?", (f'"{probe}"',)).fetchone()
        if not marked or f"[{probe}" not in marked[0] and f"[{probe.lower()}" not in marked[0].lower():
            problems.append("highlight() does not mark the phrase")

# ---- Each search row names its source row.
where = {
    "target": "SELECT text, status FROM targets WHERE document_id = ? AND goal_seq = ? AND target_seq = ?",
    "status": "SELECT text, status FROM targets WHERE document_id = ? AND goal_seq = ? AND target_seq = ?",
    "initiative": "SELECT text, results FROM initiatives WHERE document_id = ? AND goal_seq = ? AND initiative_seq = ?",
    "results": "SELECT text, results FROM initiatives WHERE document_id = ? AND goal_seq = ? AND initiative_seq = ?",
    "division": "SELECT division, NULL FROM divisions WHERE document_id = ? AND goal_seq = ? AND initiative_seq = ?",
}
kinds = set()
for doc, goal, item, kind, text in con.execute("SELECT document_id, goal_seq, item_seq, kind, text FROM search_text"):
    kinds.add(kind)
    if kind in where:
        cells = [c for r in con.execute(where[kind], (doc, goal, item)) for c in r if c]
        if not any(unicodedata.normalize("NFKC", c) == text for c in cells):
            problems.append(f"search row {kind} {doc}/{goal}/{item} does not match its row")
            break
for k in ("basic_policy", "goal", "target", "status", "initiative", "results", "division", "evaluation", "next_steps"):
    if k not in kinds:
        problems.append(f"no {k} text is indexed")

# ---- The Data Package, read as declared, loaded into STRICT tables.
pkg = json.load(open(os.path.join(ds, "datapackage.json"), encoding="utf-8"))
for key in ("licenses", "sources", "contributors", "created", "title", "description"):
    if not pkg.get(key):
        problems.append(f"datapackage.json has no {key}")
if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", pkg.get("created", "")):
    problems.append("created is not an ISO 8601 UTC time")
if not all(lic.get("name") and (lic.get("path") or lic.get("title")) for lic in pkg.get("licenses", [])):
    problems.append("a licence lacks its name and path")
check = sqlite3.connect(":memory:")
check.execute("PRAGMA foreign_keys = ON")
for res in pkg["resources"]:
    if not res.get("title") or not all(f.get("title") for f in res["schema"]["fields"]):
        problems.append(f"{res['name']}: a resource or field has no title")
    fields = res["schema"]["fields"]
    cols = []
    for f in fields:
        c = f'"{f["name"]}" {"INTEGER" if f["type"] == "integer" else "TEXT"}'
        cons = f.get("constraints", {})
        if cons.get("required"):
            c += " NOT NULL"
        if "enum" in cons:
            c += f' CHECK ("{f["name"]}" IN ({", ".join(repr(v) for v in cons["enum"])}))'
        cols.append(c)
    cols.append("PRIMARY KEY (" + ", ".join(res["schema"]["primaryKey"]) + ")")
    for fk in res["schema"].get("foreignKeys", []):
        cols.append(f"FOREIGN KEY ({', '.join(fk['fields'])}) REFERENCES {fk['reference']['resource']} ({', '.join(fk['reference']['fields'])})")
    check.execute(f"CREATE TABLE {res['name']} ({', '.join(cols)}) STRICT")
    missing = res["schema"].get("missingValues", [""])
    with open(os.path.join(ds, res["path"]), encoding=res["encoding"], newline="") as f:
        reader = csv.reader(f, delimiter=res["dialect"]["delimiter"], quotechar=res["dialect"]["quoteChar"])
        header = next(reader)
        if header != [fl["name"] for fl in fields]:
            problems.append(f"{res['path']} read as {res['encoding']}: header {header[:2]}... is not the fields")
            continue
        try:
            check.executemany(f"INSERT INTO {res['name']} VALUES ({', '.join('?' * len(fields))})",
                              ([None if c in missing else c for c in r] for r in reader))
        except sqlite3.Error as e:
            problems.append(f"{res['path']}: SQLite refuses a row: {e}")
if check.execute("PRAGMA foreign_key_check").fetchall():
    problems.append("foreign keys do not resolve")

# ---- Datasette's metadata.
meta = json.load(open(os.path.join(ds, "metadata.json"), encoding="utf-8"))
tables = meta["databases"]["hoshin"]["tables"]
for res in pkg["resources"]:
    if res["name"] not in tables or not tables[res["name"]].get("title"):
        problems.append(f"metadata.json does not describe {res['name']}")
for view in ("goal_overview", "grade_moves"):
    con.execute(f"SELECT * FROM {view} LIMIT 1").fetchall()
    if view not in tables:
        problems.append(f"metadata.json does not describe the view {view}")
if meta["databases"]["hoshin"]["queries"]["search"]["sql"] != query:
    problems.append("metadata.json's search query is not search.sql")
for key in ("title", "license", "source"):
    if not meta.get(key):
        problems.append(f"metadata.json has no {key}")

for p in problems[:30]:
    print("FAIL " + p)
print(f"{'ok  ' if not problems else 'FAIL'} search and portal checks: {len(rows)} indexed texts")
sys.exit(1 if problems else 0)
