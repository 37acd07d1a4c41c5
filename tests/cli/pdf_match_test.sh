#!/usr/bin/env bash
# Each sample PDF (made from a text edition by tools/make_pdfs.py) gives the
# same documents as its text edition, field by field, provenance aside; every
# goal, target and initiative carries a page and a bounding box.
set -euo pipefail
HOSHIN=$(realpath "$1"); PYTHON=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
S=samples
for t in kashiwara_r3_seisakusuishin kashiwara_r3_seisakusuishin_end kashiwara_r3_somu; do
    "$HOSHIN" convert -q "$S/$t.txt" >"$T/$t.txt.json"
done
status=0
check() {  # check PDF TEXT...
    local pdf=$1; shift
    "$HOSHIN" convert -q "$S/$pdf.pdf" >"$T/$pdf.pdf.json"
    local texts=()
    for t in "$@"; do texts+=("$T/$t.txt.json"); done
    if "$PYTHON" tests/cli/compare_docs.py "$T/$pdf.pdf.json" "${texts[@]}"; then
        echo "ok   $pdf.pdf equals ${*/%/.txt}"
    else
        echo "FAIL $pdf.pdf differs from ${*/%/.txt}"; status=1
    fi
}
check kashiwara_r3_seisakusuishin kashiwara_r3_seisakusuishin                 # Writer export
check kashiwara_r3_seisakusuishin_end kashiwara_r3_seisakusuishin_end         # Calc export
check kashiwara_r3_seisakusuishin_pagebreak kashiwara_r3_seisakusuishin_end   # a goal's table across a page break
check kashiwara_r3_compiled kashiwara_r3_seisakusuishin kashiwara_r3_somu     # two departments in one PDF

# A compiled PDF with -o writes one file per department.
"$HOSHIN" convert -q "$S/kashiwara_r3_compiled.pdf" -o "$T/out"
for f in kashiwara_r3_compiled-1.json kashiwara_r3_compiled-2.json kashiwara_r3_compiled-1.xml kashiwara_r3_compiled-2.xml; do
    test -s "$T/out/$f" || { echo "FAIL missing $f"; status=1; }
done
"$PYTHON" -c "import json,sys; d=json.load(open('$T/kashiwara_r3_compiled.pdf.json')); sys.exit(0 if isinstance(d,list) and len(d)==2 else 1)" \
    || { echo "FAIL compiled PDF on stdout is not an array of two"; status=1; }
"$PYTHON" -c "import json,sys; d=json.load(open('$T/kashiwara_r3_seisakusuishin.pdf.json')); sys.exit(0 if isinstance(d,dict) and d['source']['pages']==8 else 1)" \
    || { echo "FAIL single-department PDF on stdout is not one object with 8 pages"; status=1; }
exit $status
