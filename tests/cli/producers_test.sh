#!/usr/bin/env bash
# Every PDF of tests/producers/ (the same documents written by independent
# producers: LibreOffice Writer and Calc, Chromium, wkhtmltopdf, ReportLab)
# gives its text editions' documents, field by field, provenance aside
# (tests/cli/compare_docs.py). Each producer folder lists its cases in
# cases.tsv: PDF<TAB>TEXT_EDITION[ TEXT_EDITION...] (text editions in samples/);
# a compiled PDF names several. A cover page's text is not in any text
# edition: it must be kept in unassigned, with its warning, and is then set
# aside by the comparison (--cover).
set -euo pipefail
HOSHIN=$(realpath "$1"); PYTHON=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
status=0; n=0; producers=0
for dir in tests/producers/*/; do
    producer=$(basename "$dir")
    [ -f "$dir/cases.tsv" ] || continue
    producers=$((producers + 1))
    while IFS=$'\t' read -r pdf texts cover; do
        [ -n "$pdf" ] || continue
        n=$((n + 1))
        jsons=()
        for t in $texts; do
            [ -f "$T/$t.json" ] || "$HOSHIN" convert -q "samples/$t" >"$T/$t.json"
            jsons+=("$T/$t.json")
        done
        out="$T/$producer-$pdf.json"
        if ! "$HOSHIN" convert -q "$dir$pdf" >"$out"; then
            echo "FAIL $producer/$pdf: convert failed"; status=1; continue
        fi
        args=()
        [ -n "${cover:-}" ] && args=(--cover "$cover")
        if "$PYTHON" tests/cli/compare_docs.py "${args[@]}" "$out" "${jsons[@]}"; then
            echo "ok   $producer/$pdf equals $texts"
        else
            echo "FAIL $producer/$pdf differs from $texts"; status=1
        fi
    done <"$dir/cases.tsv"
done
echo "$n PDFs from $producers producers"
[ "$producers" -ge 5 ] || { echo "FAIL fewer than five producers in tests/producers"; status=1; }
exit $status
