#!/usr/bin/env bash
# How many generated PDFs give exactly their text edition's document
# (tests/cli/compare_docs.py: field by field, provenance aside). Uses the
# corpus tools/bench_pdf.sh builds (LibreOffice needed only to build it).
#   tools/pdf_accuracy.sh [N]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
C=build/bench-pdf-corpus
[ -e "$C/.n$N" ] || bash tools/bench_pdf.sh "$N" >/dev/null
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok=0; bad=0
for f in "$C"/*.pdf; do
    n=$(basename "$f" .pdf)
    build/hoshin convert -q "$f" >"$T/p.json" 2>/dev/null || true
    build/hoshin convert -q "$C/txt/$n.txt" >"$T/t.json"
    if /usr/bin/python3 tests/cli/compare_docs.py "$T/p.json" "$T/t.json" >"$T/diff"; then
        ok=$((ok + 1))
    else
        bad=$((bad + 1))
        kind=?; for l in "$C"/*.list; do grep -q "/$n.txt" "$l" && kind=$(basename "$l" .list); done
        echo "$n ($kind): $(head -1 "$T/diff" | cut -c1-140)"
    fi
done
echo "equal to the text edition: $ok of $((ok + bad)) PDFs"
for l in "$C"/*.list; do echo "  $(basename "$l" .list): $(wc -l <"$l") PDFs"; done
