#!/usr/bin/env bash
# The command line as a user meets it: usage errors that name the real
# problem, messages without library internals, diff and timeline warnings,
# links in the HTML diff that resolve from the page's own folder, the
# deletion-first inline diff, --exit-code, stdin, XML on stdout and JSON Lines.
set -uo pipefail
HOSHIN=$(realpath "$1"); PYTHON=${2:-/usr/bin/python3}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
check() {  # check NAME CONDITION...
    local name=$1; shift
    if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
# first_line CMD...: runs hoshin with LANG=C, keeps the exit status in $rc and stderr's first line in $err1
first_line() {
    LANG=C LC_ALL=C LC_MESSAGES= "$HOSHIN" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    err1=$(head -n 1 "$T/err")
}
OLD=samples/kashiwara_r3_seisakusuishin_end.txt
NEW=samples/kashiwara_r4_seisakusuishin_end.txt
SEED=samples/kashiwara_r3_seisakusuishin.txt

# Usage errors name the real problem, with the hoshin: prefix, exit 2.
first_line frobnicate
check "unknown subcommand named (exit 2)" test "$rc" -eq 2 -a "$err1" = "hoshin: unknown subcommand 'frobnicate'"
first_line --frob
check "unknown top-level option named (exit 2)" test "$rc" -eq 2 -a "$err1" = "hoshin: unknown option '--frob'"
first_line convert -x "$SEED"
check "unknown subcommand option named (exit 2)" test "$rc" -eq 2 -a "$err1" = "hoshin: convert: unknown option '-x'"
first_line convert -x
check "unknown option before a missing INPUT is named first" test "$rc" -eq 2 -a "$err1" = "hoshin: convert: unknown option '-x'"
first_line convert --timeout abc "$SEED"
check "--timeout abc: not a number (exit 2)" test "$rc" -eq 2 -a "$err1" = "hoshin: convert: --timeout: 'abc' is not a whole number"
first_line convert --timeout 99999999 "$SEED"
check "--timeout out of range says its range" test "$rc" -eq 2 -a "$err1" = "hoshin: convert: --timeout: 99999999 is not in 0..86400"
first_line convert
check "missing INPUT" test "$rc" -eq 2 -a "$err1" = "hoshin: convert: INPUT is required"
first_line convert --format yaml "$SEED"
check "bad --format lists the choices" test "$rc" -eq 2 -a "$err1" = "hoshin: convert: --format: 'yaml' is not one of json, xml, both, jsonl"
first_line
check "no subcommand" test "$rc" -eq 2 -a "$err1" = "hoshin: a subcommand is required (convert, bulk, merge, diff, timeline, layout)"
check "usage errors point to --help" grep -q "^Run 'hoshin --help' for usage.$" "$T/err"
first_line diff "$OLD"
check "diff with one side: NEW is required" test "$rc" -eq 2 -a "$err1" = "hoshin: diff: NEW is required"
first_line convert --password "-x" "$SEED"
check "an option's value that starts with '-' is a value, not an option" test "$rc" -eq 0
LANG=C "$HOSHIN" timeline --help >"$T/tl-help"
check "timeline --help says two or more editions" grep -q "two or more editions" "$T/tl-help"
check "timeline --help no longer says three" bash -c "! grep -qi 'three or more' '$T/tl-help'"

# A JSON without schema_version: what is missing, not library internals.
"$HOSHIN" convert -q "$OLD" >"$T/old.json"
"$PYTHON" -c "
import json,sys; d=json.load(open('$T/old.json')); del d['schema_version']; json.dump(d, open('$T/noversion.json','w'), ensure_ascii=False)
d=json.load(open('$T/old.json')); d['goals'][1]['title']=5; json.dump(d, open('$T/badtitle.json','w'), ensure_ascii=False)"
first_line diff "$T/noversion.json" "$NEW"
check "missing schema_version named (exit 1)" test "$rc" -eq 1 -a "$err1" = "hoshin: $T/noversion.json: error: schema_version is missing [bad-json]"
first_line diff "$T/badtitle.json" "$NEW"
check "a wrongly typed field named with its place" test "$rc" -eq 1 -a "$err1" = "hoshin: $T/badtitle.json: error: goals[1].title must be a string, not a number [bad-json]"
check "no json.exception in messages" bash -c "! grep -q 'json.exception' '$T/err'"

# diff of two departments warns; timeline is ordered by fiscal year.
first_line diff samples/kashiwara_r3_somu.txt "$OLD"
check "department mismatch warned (still a diff, exit 0)" test "$rc" -eq 0
check "department mismatch message" grep -q "warning: the editions are of different departments (総務部, 政策推進部) \[different-departments\]" "$T/err"
first_line diff samples/kashiwara_r3_somu.txt "$OLD" --format json
check "department mismatch in the JSON" "$PYTHON" -c "
import json,sys; d=json.load(open('$T/out')); sys.exit(0 if [w['code'] for w in d['warnings']]==['different-departments'] else 1)"
first_line timeline "$NEW" "$OLD" --format json
check "timeline out of order: warned" grep -q "warning: editions reordered by fiscal year \[editions-reordered\]" "$T/err"
check "timeline out of order: oldest first in the output" "$PYTHON" -c "
import json,sys; t=json.load(open('$T/out'))['timelines'][0]; sys.exit(0 if [e['fiscal_year'] for e in t['editions']]==[2021,2022] else 1)"

# The inline diff puts deletions first, in text, JSON and HTML.
"$HOSHIN" diff "$OLD" "$NEW" --no-color >"$T/d.txt"
check "text: [-old-]{+new+}" grep -q '\[-フェイスブック-\]{+LINE+}' "$T/d.txt"
"$HOSHIN" diff "$OLD" "$NEW" --format json >"$T/d.json"
check "JSON: delete before insert" "$PYTHON" -c "
import json,sys
d=json.load(open('$T/d.json'))
bad=[c['field'] for g in d['goals'] for c in g['changes'] for a,b in zip(c['inline'] or [], (c['inline'] or [])[1:]) if a['op']=='insert' and b['op']=='delete']
sys.exit(1 if bad else 0)"

# HTML links resolve from the page's folder, and survive moving page and sources together.
mkdir -p "$T/proj/samples" "$T/proj/reports"
cp samples/kashiwara_r3_seisakusuishin_end.pdf "$NEW" "$T/proj/samples/"
(cd "$T/proj" && "$HOSHIN" diff samples/kashiwara_r3_seisakusuishin_end.pdf samples/kashiwara_r4_seisakusuishin_end.txt \
    --format html -o reports/diff.html) || echo "FAIL html diff"
links_resolve() {  # links_resolve HTML: every page link names an existing file relative to the page
    "$PYTHON" - "$1" <<'PY'
import os, re, sys, urllib.parse
page = sys.argv[1]
hrefs = re.findall(r'<a class="page" href="([^"]+)"', open(page, encoding="utf-8").read())
if not hrefs: sys.exit("no page links")
for h in hrefs:
    assert not h.startswith("/"), h
    target = urllib.parse.unquote(h.split("#")[0])
    if not os.path.isfile(os.path.join(os.path.dirname(page), target)): sys.exit("does not resolve: " + h)
PY
}
check "HTML page links resolve from the page's folder" links_resolve "$T/proj/reports/diff.html"
mv "$T/proj" "$T/moved"
check "HTML page links survive moving page and sources together" links_resolve "$T/moved/reports/diff.html"

# --exit-code: 1 when the editions differ, 0 when they do not.
"$HOSHIN" diff "$OLD" "$NEW" --exit-code >/dev/null; rc=$?
check "--exit-code: differing editions exit 1" test "$rc" -eq 1
"$HOSHIN" diff "$OLD" "$OLD" --exit-code >/dev/null; rc=$?
check "--exit-code: same edition exits 0" test "$rc" -eq 0
"$HOSHIN" diff "$T/missing.json" "$OLD" --exit-code >/dev/null 2>&1; rc=$?
check "--exit-code: an input that fails exits 3" test "$rc" -eq 3

echo "$fails failure(s)"
test "$fails" -eq 0
