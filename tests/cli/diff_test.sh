#!/usr/bin/env bash
# hoshin diff on the seed's end-of-year edition and its following year
# (tools/make_following_year.py): every expected match and change, the JSON
# valid against schemas/hoshin-diff-1.schema.json, sources or converted files.
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
jsonschema.Draft202012Validator(json.load(open("schemas/hoshin-diff-1.schema.json"))).validate(d)
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
check("inline diff: フェイスブック deleted, LINE inserted",
      {"op": "delete", "text": "フェイスブック"} in ops and {"op": "insert", "text": "LINE"} in ops)
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
"$HOSHIN" diff "$OLD" "$NEW" --color | grep -q $'\033\[3' && echo "ok   --color colours" || { echo "FAIL --color"; status=1; }
# Directories: paired by municipality and department; the unpaired reported.
mkdir -p "$T/a" "$T/b"
cp "$OLD" samples/kashiwara_r3_somu.txt "$T/a/"; cp "$NEW" "$T/b/"
"$HOSHIN" diff "$T/a" "$T/b" --format json >"$T/dir.json"
"$PYTHON" - "$T/dir.json" <<'PY' && echo "ok   directories: pairs and unpaired departments" || { echo "FAIL directory diff"; exit 1; }
import json, sys, jsonschema
d = json.load(open(sys.argv[1], encoding="utf-8"))
schema = json.load(open("schemas/hoshin-diff-1.schema.json"))
for pair in d["pairs"]:
    jsonschema.Draft202012Validator(schema).validate(pair)
assert len(d["pairs"]) == 1 and d["pairs"][0]["summary"]["added"] == 1
assert [x["key"] for x in d["removed_departments"]] == ["柏原市/総務部"] and d["added_departments"] == []
PY
[ $? -eq 0 ] || status=1
# Three editions: each goal's lineage.
"$HOSHIN" timeline samples/kashiwara_r3_seisakusuishin.txt "$OLD" "$NEW" --format json | "$PYTHON" -c "
import json,sys
t=json.load(sys.stdin); rows=t['lineages']
fire=[r for r in rows if r[0] and r[0]['number']==5][0]
sys.exit(0 if len(t['editions'])==3 and len(rows)==7 and fire[2]['number']==4 and fire[1]['grade']=='B' else 1)" \
    && echo "ok   timeline: lineage across renumbering, grades by year" || { echo "FAIL timeline"; status=1; }
exit $status
