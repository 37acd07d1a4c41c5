#!/usr/bin/env bash
# A long compiled PDF is read, laid out and parsed a department at a time
# (README: PDF layout, "One department at a time"): 30 copies of the compiled
# sample (60 departments, over 4 MiB, so Poppler reads it from its file) give
# each department as its text edition does, on stdout and with -o (outputs
# written as they are made, named once the input is done), in the convert
# child and in process, with line numbers running on across departments.
set -uo pipefail
HOSHIN=$(realpath "$1")
PY=${2:-/usr/bin/python3}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COPIES=30
DOCS=$((2 * COPIES))
# Copies under other names: qpdf shares the objects of pages from one file.
for k in $(seq "$COPIES"); do cp samples/kashiwara_r3_compiled.pdf "$T/c$k.pdf"; done
qpdf --empty --deterministic-id --pages $(for k in $(seq "$COPIES"); do echo "$T/c$k.pdf"; done) -- "$T/long.pdf"
check "the booklet is over 4 MiB" test "$(stat -c %s "$T/long.pdf")" -gt $((4 << 20))
"$HOSHIN" convert -q samples/kashiwara_r3_seisakusuishin.txt >"$T/seisakusuishin.json"
"$HOSHIN" convert -q samples/kashiwara_r3_somu.txt >"$T/somu.json"
texts=()
for _ in $(seq "$COPIES"); do texts+=("$T/seisakusuishin.json" "$T/somu.json"); done

"$HOSHIN" convert -q "$T/long.pdf" >"$T/long.json"
check "stdout: exit 0" test $? -eq 0
check "stdout: each of the $DOCS departments equals its text edition" "$PY" tests/cli/compare_docs.py "$T/long.json" "${texts[@]}"
check "line numbers and pages run on across the departments" "$PY" - "$T/long.json" <<'PY'
import json, sys
docs = json.load(open(sys.argv[1]))
firsts = [(d["goals"][0]["provenance"]["page"], d["goals"][0]["provenance"]["line_start"]) for d in docs]
assert all(a < b for a, b in zip(firsts, firsts[1:])), firsts
assert all(d["source"]["pages"] == 360 for d in docs), {d["source"]["pages"] for d in docs}
PY

for timeout in 300 0; do
    out="$T/out$timeout"
    mkdir "$out"
    "$HOSHIN" convert -q --timeout "$timeout" --format both "$T/long.pdf" -o "$out"
    check "-o (--timeout $timeout): exit 0" test $? -eq 0
    check "-o (--timeout $timeout): JSON and XML of long-1 ... long-$DOCS, nothing else" \
        test "$(ls "$out" | wc -l)" -eq $((2 * DOCS)) -a -s "$out/long-1.json" -a -s "$out/long-$DOCS.xml" -a ! -e "$out/long-$((DOCS + 1)).json"
    check "-o (--timeout $timeout): no temporary file" bash -c "! ls -A '$out' | grep -q '\.tmp\.'"
    check "-o (--timeout $timeout): the files are the documents given on stdout" "$PY" - "$T/long.json" "$out" <<'PY'
import json, sys
docs = json.load(open(sys.argv[1]))
for k, d in enumerate(docs, 1):
    assert json.load(open(f"{sys.argv[2]}/long-{k}.json")) == d, k
PY
done
check "-o: the child and the process write the same bytes" diff -r "$T/out300" "$T/out0"
finish
