#!/usr/bin/env python3
"""Checks a bulk dataset with readers that are not hoshin's.

usage: check_dataset.py OUT
- datapackage.json follows the Frictionless field rules: every CSV column is
  described, in order; values parse as their types; required cells are
  present; enums hold; primary keys are unique; foreign keys resolve.
- CSV files are UTF-8 with a BOM, RFC 4180 (python's csv module reads them).
- Row counts and keys agree with the JSON documents the manifest lists.
- hoshin.sqlite (read with the sqlite3 CLI) holds the same row counts, has no
  foreign-key violations, and its FTS5 index finds Japanese words.
"""
import csv
import json
import os
import subprocess
import sys

out = sys.argv[1]
ds = os.path.join(out, "dataset")
pkg = json.load(open(os.path.join(ds, "datapackage.json"), encoding="utf-8"))
problems = []
rows = {}
assert pkg["profile"] == "tabular-data-package"
for res in pkg["resources"]:
    path = os.path.join(ds, res["path"])
    raw = open(path, "rb").read()
    if not raw.startswith(b"\xef\xbb\xbf"):
        problems.append(f"{res['path']}: no UTF-8 BOM")
    if res.get("encoding") != "utf-8-sig":
        problems.append(f"{res['path']}: encoding {res.get('encoding')!r} would leave the BOM in the first header")
    with open(path, encoding=res["encoding"], newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        fields = res["schema"]["fields"]
        if header != [f["name"] for f in fields]:
            problems.append(f"{res['path']}: header {header} is not the described fields")
        table = []
        for n, record in enumerate(reader, 2):
            if len(record) != len(fields):
                problems.append(f"{res['path']}:{n}: {len(record)} cells for {len(fields)} fields")
                continue
            row = {}
            for field, cell in zip(fields, record):
                c = field.get("constraints", {})
                if cell in res["schema"].get("missingValues", [""]):
                    if c.get("required"):
                        problems.append(f"{res['path']}:{n}: {field['name']} is required")
                    row[field["name"]] = None
                    continue
                if field["type"] == "integer":
                    try:
                        value = int(cell)
                    except ValueError:
                        problems.append(f"{res['path']}:{n}: {field['name']}={cell!r} is not an integer")
                        continue
                    if str(value) != cell:
                        problems.append(f"{res['path']}:{n}: {field['name']}={cell!r} is not a canonical integer")
                else:
                    value = cell
                    if value != value.strip():
                        problems.append(f"{res['path']}:{n}: {field['name']} has layout white space")
                if "enum" in c and value not in c["enum"]:
                    problems.append(f"{res['path']}:{n}: {field['name']}={value!r} not in {c['enum']}")
                row[field["name"]] = value
            table.append(row)
    rows[res["name"]] = table
    pk = res["schema"]["primaryKey"]
    keys = [tuple(r[k] for k in pk) for r in table]
    if len(keys) != len(set(keys)):
        problems.append(f"{res['path']}: primary key {pk} not unique")
for res in pkg["resources"]:
    for fk in res["schema"].get("foreignKeys", []):
        target = {tuple(r[k] for k in fk["reference"]["fields"]) for r in rows[fk["reference"]["resource"]]}
        for r in rows[res["name"]]:
            if tuple(r[k] for k in fk["fields"]) not in target:
                problems.append(f"{res['path']}: {fk['fields']} {tuple(r[k] for k in fk['fields'])} has no {fk['reference']['resource']} row")
                break

# Against the JSON documents.
docs = []
for line in open(os.path.join(out, "manifest.jsonl"), encoding="utf-8"):
    e = json.loads(line)
    if e["status"] == "error":
        continue
    for o in e["outputs"]:
        if o.endswith(".json"):
            d = json.load(open(os.path.join(out, o), encoding="utf-8"))
            docs.append(d)
expect = {
    "documents": len(docs),
    "officers": sum(len(d["department"]["officers"]) for d in docs),
    "basic_policy": sum(len(d["basic_policy"]) for d in docs),
    "goals": sum(len(d["goals"]) for d in docs),
    "targets": sum(len(g["targets"]) for d in docs for g in d["goals"]),
    "initiatives": sum(len(g["initiatives"]) for d in docs for g in d["goals"]),
    "divisions": sum(len(i["divisions"]) for d in docs for g in d["goals"] for i in g["initiatives"]),
    "grade_scale": sum(len(d["grade_scale"]) for d in docs),
    "unassigned": sum(len(d["unassigned"]) for d in docs),
}
for table, n in expect.items():
    if len(rows[table]) != n:
        problems.append(f"{table}.csv has {len(rows[table])} rows, the JSON documents {n}")
if sorted(r["title"] for r in rows["goals"]) != sorted(g["title"] for d in docs for g in d["goals"]):
    problems.append("goal titles differ between goals.csv and the JSON documents")
# Goal, target and initiative rows carry their document's municipality, department and year.
by_id = {r["document_id"]: r for r in rows["documents"]}
for table in ("goals", "targets", "initiatives"):
    for r in rows[table]:
        d = by_id[r["document_id"]]
        if (r["municipality_name"], r["department"], r["fiscal_year"]) != (d["municipality_name"], d["department"], d["fiscal_year"]):
            problems.append(f"{table}.csv: a row's municipality, department or year is not its document's")
            break
# A source present twice is flagged, pointing at the first (in path order) with the same content.
first = {}
for r in sorted(rows["documents"], key=lambda r: r["source_path"]):
    key = (r["source_sha256"], r["source_part"])
    want = first.get(key)
    if r["duplicate_of"] != want:
        problems.append(f"documents.csv: {r['source_path']} duplicate_of {r['duplicate_of']} (expected {want})")
    first.setdefault(key, r["document_id"])

# SQLite, through the sqlite3 command-line shell.
db = os.path.join(ds, "hoshin.sqlite")
def sql(q):
    return subprocess.run(["sqlite3", db, q], check=True, capture_output=True, text=True).stdout.strip()
for table, n in expect.items():
    if int(sql(f"SELECT count(*) FROM {table}")) != n:
        problems.append(f"sqlite {table} row count differs")
if sql("PRAGMA foreign_key_check"):
    problems.append("sqlite foreign key violations")
if docs and any("防災" in g["title"] for d in docs for g in d["goals"]):
    hits = sql("SELECT count(*) FROM search WHERE search MATCH '防災計画'")
    if int(hits) < 1:
        problems.append("FTS5 search finds no 防災計画")

for p in problems[:30]:
    print("FAIL " + p)
print(f"{'ok  ' if not problems else 'FAIL'} dataset: {len(docs)} documents, {sum(len(t) for t in rows.values())} rows in {len(rows)} tables")
sys.exit(1 if problems else 0)
