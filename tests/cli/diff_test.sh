#!/usr/bin/env bash
# hoshin diff on the seed's end-of-year edition and its following year
# (tools/make_following_year.py): every expected match and change, the JSON
# valid against schemas/hoshin-diff-2.schema.json, sources or converted files.
set -uo pipefail
HOSHIN=$(realpath "$1"); PYTHON=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
OLD=samples/kashiwara_r3_seisakusuishin_end.txt
NEW=samples/kashiwara_r4_seisakusuishin_end.txt
"$HOSHIN" diff "$OLD" "$NEW" --format json -o "$T/d.json" || exit 1
"$HOSHIN" convert -q "$OLD" >"$T/old.json"
"$HOSHIN" convert -q "$NEW" -o "$T" --format xml
"$HOSHIN" diff "$T/old.json" "$T/kashiwara_r4_seisakusuishin_end.xml" --format json >"$T/d2.json" || exit 1
"$PYTHON" - "$T" <<'PY'
import json, sys, jsonschema
t = sys.argv[1]
d = json.load(open(f"{t}/d.json", encoding="utf-8"))
jsonschema.Draft202012Validator(json.load(open("schemas/hoshin-diff-2.schema.json"))).validate(d)
fails = []
def check(name, ok):
    print(("ok   " if ok else "FAIL ") + name)
    if not ok: fails.append(name)
s = d["summary"]
check("summary: 1 added, 1 removed, 2 modified, 3 unchanged",
      (s["added"], s["removed"], s["modified"], s["unchanged"]) == (1, 1, 2, 3))
by = {(g["old_number"], g["new_number"]): g for g in d["goals"]}
check("renumbered goals matched with both numbers (5->4, 6->5)", (5, 4) in by and (6, 5) in by
      and by[(5, 4)]["status"] == "unchanged" and by[(6, 5)]["status"] == "unchanged")
check("dropped goal 4 is removed", by.get((4, None), {}).get("status") == "removed")
check("new goal 6 is added", by.get((None, 6), {}).get("status") == "added")
g2 = by[(2, 2)]
ch = {c["field"]: c for c in g2["changes"]}
check("goal 2 reworded in its initiative", g2["status"] == "modified" and "initiatives[1].text" in ch)
ops = ch["initiatives[1].text"]["inline"]
check("inline diff: フェイスブック deleted, then LINE inserted",
      ops.index({"op": "delete", "text": "フェイスブック"}) + 1 == ops.index({"op": "insert", "text": "LINE"}))
check("renumbered goals flagged and counted", by[(5, 4)]["renumbered"] and not by[(3, 3)]["renumbered"] and s["renumbered"] == 2)
added = {c["field"]: c for c in by[(None, 6)]["changes"]}
check("the added goal is listed whole (title, targets, initiatives), old side null",
      "title" in added and "targets[1]" in added and "initiatives[1]" in added and "initiatives[1].divisions" in added
      and all(c["old"] is None and c["new"] for c in added.values()))
removed = by[(4, None)]["changes"]
check("the removed goal is listed whole, new side null",
      any(c["field"] == "targets[1]" for c in removed) and all(c["new"] is None and c["old"] for c in removed))
check("grade moves only for matched goals", all(m["old_number"] is not None and m["new_number"] is not None for m in s["grade_changes"]))
check("no warnings between editions of one department", d["warnings"] == [])
moves = {(m["old_number"], m["field"]): (m["old"], m["new"]) for m in s["grade_changes"]}
check("grade movement B -> A is first-class", moves.get((1, "evaluation.grade")) == ("B", "A")
      and moves.get((1, "summary_grade")) == ("B", "A"))
check("goal 3 unchanged with similarity 1", by[(3, 3)]["status"] == "unchanged" and by[(3, 3)]["similarity"] == 1.0)
d2 = json.load(open(f"{t}/d2.json", encoding="utf-8"))
check("converted JSON and XML inputs give the same goals", d2["goals"] == d["goals"])
sys.exit(1 if fails else 0)
PY
status=$?
# A document diffed with itself has no changes; width-only edits are no changes.
"$HOSHIN" diff "$OLD" "$OLD" --format json | "$PYTHON" -c "
import json,sys; s=json.load(sys.stdin)['summary']; sys.exit(0 if s['modified']==0 and s['added']==0 and s['removed']==0 else 1)" \
    && echo "ok   a document diffed with itself has no changes" || { echo "FAIL self diff"; status=1; }
"$HOSHIN" diff samples/kashiwara_r3_seisakusuishin.txt samples/kashiwara_r3_seisakusuishin_cp932.txt --format json | "$PYTHON" -c "
import json,sys; s=json.load(sys.stdin)['summary']; sys.exit(0 if s['unchanged']==6 else 1)" \
    && echo "ok   full-width digits and CRLF are no changes" || { echo "FAIL width-only changes counted"; status=1; }
"$HOSHIN" diff "$OLD" "$NEW" --no-color >"$T/plain.txt"
grep -q $'\033' "$T/plain.txt" && { echo "FAIL colour without a terminal"; status=1; } || echo "ok   no colour when not on a terminal"
"$HOSHIN" diff "$OLD" "$NEW" --color >"$T/color.txt"
grep -q $'\033\[3' "$T/color.txt" && echo "ok   --color colours" || { echo "FAIL --color"; status=1; }
grep -q "^= goal 5 → 4 unchanged" "$T/plain.txt" && echo "ok   a renumbered goal says 5 → 4" || { echo "FAIL renumbered in text"; status=1; }
grep -A12 "^+ goal 6 added" "$T/plain.txt" | grep -q "^    targets\[1\]: " \
    && echo "ok   text: the added goal with its targets" || { echo "FAIL added goal whole in text"; status=1; }
"$HOSHIN" diff "$OLD" "$NEW" --no-color --only-changes >"$T/only.txt"
"$HOSHIN" diff "$OLD" "$NEW" --format json --only-changes >"$T/only.json"
{ ! grep -q "^= goal 3 unchanged" "$T/only.txt" && grep -q "^= goal 5 → 4 unchanged" "$T/only.txt" && grep -q "^~ goal 2 modified" "$T/only.txt"; } \
    && echo "ok   --only-changes hides unchanged goals (keeps renumbered ones)" || { echo "FAIL --only-changes text"; status=1; }
"$PYTHON" -c "
import json,sys; d=json.load(open('$T/only.json'))
sys.exit(0 if d['summary']['unchanged']==3 and all(g['status']!='unchanged' or g['renumbered'] for g in d['goals']) and len(d['goals'])==6 else 1)" \
    && echo "ok   --only-changes in JSON: counts kept, unchanged goals left out" || { echo "FAIL --only-changes json"; status=1; }
# A compiled PDF: --department picks the department; without it the error names them.
"$HOSHIN" diff samples/kashiwara_r3_compiled.pdf "$NEW" --format json >"$T/c.json" 2>"$T/c.err"; rc=$?
[ $rc -eq 1 ] && grep -q "\[several-documents\]" "$T/c.err" && grep -q "政策推進部" "$T/c.err" \
    && echo "ok   a compiled PDF without --department: several-documents, naming them" || { echo "FAIL compiled without --department"; status=1; }
"$HOSHIN" diff samples/kashiwara_r3_compiled.pdf "$NEW" --department 政策推進部 --format json >"$T/c.json" 2>"$T/c.err"; rc=$?
"$PYTHON" -c "
import json,sys; d=json.load(open('$T/c.json')); sys.exit(0 if d['old']['department']=='政策推進部' and d['warnings']==[] else 1)" && [ $rc -eq 0 ] \
    && echo "ok   --department takes that department of a compiled PDF" || { echo "FAIL --department"; status=1; }
"$HOSHIN" diff samples/kashiwara_r3_compiled.pdf "$NEW" --department 教育部 >/dev/null 2>"$T/c.err"
grep -q "\[no-such-department\]" "$T/c.err" && echo "ok   --department naming none: no-such-department" || { echo "FAIL no-such-department"; status=1; }
# Standard input: a source or a converted JSON.
"$HOSHIN" diff - "$NEW" --format json <"$OLD" >"$T/stdin.json" && "$PYTHON" -c "
import json,sys; a=json.load(open('$T/stdin.json')); b=json.load(open('$T/d.json'))
sys.exit(0 if a['goals']==b['goals'] and a['old']['source']['path']=='-' else 1)" \
    && echo "ok   diff reads OLD from standard input" || { echo "FAIL diff stdin"; status=1; }
"$HOSHIN" convert -q "$NEW" | "$HOSHIN" diff "$OLD" - --format json >"$T/stdin2.json" && "$PYTHON" -c "
import json,sys; a=json.load(open('$T/stdin2.json')); b=json.load(open('$T/d.json')); sys.exit(0 if a['goals']==b['goals'] else 1)" \
    && echo "ok   diff reads converted JSON from standard input" || { echo "FAIL diff stdin json"; status=1; }
# Directories: paired by municipality and department; the unpaired reported.
mkdir -p "$T/a" "$T/b"
cp "$OLD" samples/kashiwara_r3_somu.txt "$T/a/"; cp "$NEW" "$T/b/"
"$HOSHIN" diff "$T/a" "$T/b" --format json >"$T/dir.json"
"$PYTHON" - "$T/dir.json" <<'PY' && echo "ok   directories: pairs and unpaired departments" || { echo "FAIL directory diff"; exit 1; }
import json, sys, jsonschema
d = json.load(open(sys.argv[1], encoding="utf-8"))
pair_schema = json.load(open("schemas/hoshin-diff-2.schema.json"))
dirs_schema = json.load(open("schemas/hoshin-diff-directories-2.schema.json"))
jsonschema.Draft202012Validator.check_schema(dirs_schema)
# Debian 12's jsonschema (4.10) resolves a $ref into another schema's own
# "#/$defs/..." against the wrong base, so the pairs' reference
# (urn:hoshin:diff:2) is followed here by hand: each pair against that schema.
assert dirs_schema["properties"]["pairs"]["items"] == {"$ref": pair_schema["$id"]}
outer = json.loads(json.dumps(dirs_schema)); outer["properties"]["pairs"]["items"] = {"type": "object"}
validator = jsonschema.Draft202012Validator(outer)
validator.validate(d)
for pair in d["pairs"]:
    jsonschema.Draft202012Validator(pair_schema).validate(pair)
# The schema is not vacuous: a key without its '/', or a field it does not know, is refused.
bad = json.loads(json.dumps(d)); bad["removed_departments"][0]["key"] = "総務部"
assert not validator.is_valid(bad)
bad = json.loads(json.dumps(d)); bad["moved_departments"] = []
assert not validator.is_valid(bad)
assert len(d["pairs"]) == 1 and d["pairs"][0]["summary"]["added"] == 1
assert [x["key"] for x in d["removed_departments"]] == ["柏原市/総務部"] and d["added_departments"] == []
PY
[ $? -eq 0 ] || status=1
# Three editions: each goal's lineage.
"$HOSHIN" timeline samples/kashiwara_r3_seisakusuishin.txt "$OLD" "$NEW" --format json >"$T/tl.json"
"$PYTHON" - "$T/tl.json" <<'PY' && echo "ok   timeline: lineage across renumbering, grades by year, valid JSON" || { echo "FAIL timeline"; status=1; }
import json, sys, jsonschema
t = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator(json.load(open("schemas/hoshin-timeline-2.schema.json"))).validate(t)
assert t["warnings"] == [] and len(t["timelines"]) == 1
t = t["timelines"][0]
rows = t["lineages"]
fire = [r for r in rows if r[0] and r[0]["number"] == 5][0]
assert len(t["editions"]) == 3 and len(rows) == 7 and fire[2]["number"] == 4 and fire[1]["grade"] == "B"
PY
# Beginning- and end-of-year editions of one year given in reverse: the beginning one first.
"$HOSHIN" timeline "$OLD" samples/kashiwara_r3_seisakusuishin.txt "$NEW" --format json 2>"$T/tl.err" >"$T/tl2.json"
"$PYTHON" -c "
import json,sys; t=json.load(open('$T/tl2.json'))['timelines'][0]
sys.exit(0 if [e['path'] for e in t['editions']]==['samples/kashiwara_r3_seisakusuishin.txt','$OLD','$NEW'] else 1)" \
    && grep -q "\[editions-reordered\]" "$T/tl.err" && echo "ok   timeline: beginning-of-year edition before the end-of-year one" || { echo "FAIL timeline same-year order"; status=1; }
# An archive of years as directories: CSV with one column per fiscal year, HTML with the years as headings.
mkdir -p "$T/arch/R3" "$T/arch/R4"
cp "$OLD" samples/kashiwara_r3_somu.txt "$T/arch/R3/"; cp "$NEW" "$T/arch/R4/"
"$HOSHIN" timeline "$T/arch" --format csv -o "$T/tl.csv" && "$PYTHON" - "$T/tl.csv" <<'PY' && echo "ok   timeline --format csv from a directory: a row per lineage, a column per year" || { echo "FAIL timeline csv"; status=1; }
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
head = rows[0]
assert head[:4] == ["自治体", "部局", "番号", "目標"], head
assert head[4:] == ["令和3年度 (2021)", "令和4年度 (2022)"], head
seisaku = [r for r in rows[1:] if r[1] == "政策推進部"]
somu = [r for r in rows[1:] if r[1] == "総務部"]
assert len(seisaku) == 7 and len(somu) >= 1, (len(seisaku), len(somu))
goal1 = [r for r in seisaku if r[2] == "1"][0]
assert goal1[4:] == ["B", "A"], goal1
dropped = [r for r in seisaku if r[5] == ""]
added = [r for r in seisaku if r[4] == ""]
assert len(dropped) == 1 and len(added) == 1, (dropped, added)
assert all(r[5] == "" for r in somu)
PY
"$HOSHIN" timeline "$T/arch" --format html -o "$T/tl.html" && grep -q "<th>令和3年度 (2021)</th><th>令和4年度 (2022)</th>" "$T/tl.html" \
    && echo "ok   timeline --format html: the years as column headings" || { echo "FAIL timeline html"; status=1; }
"$HOSHIN" timeline "$T/arch" --department 政策推進部 --format json | "$PYTHON" -c "
import json,sys; t=json.load(sys.stdin)['timelines']; sys.exit(0 if len(t)==1 and t[0]['department']=='政策推進部' else 1)" \
    && echo "ok   timeline --department keeps one department" || { echo "FAIL timeline --department"; status=1; }
exit $status
