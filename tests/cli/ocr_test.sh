#!/usr/bin/env bash
# Scanned PDFs (tests/scans/, made by tools/make_scans.py: no text layer)
# convert through OCR: source.ocr says so, items carry confidences, both
# outputs validate against the schemas with tools that are not ours, and the
# fields come out at least as right as when this test was written (the
# figures are in the README; Tesseract's float paths differ a little between
# CPUs, so the floor sits below them).
#   ocr_test.sh HOSHIN PYTHON XMLLINT
set -uo pipefail
HOSHIN=$(realpath "$1"); PYTHON=$2; XMLLINT=$3
. "$(dirname "$0")/lib.sh"

"$HOSHIN" convert -q --format both tests/scans/writer_seisakusuishin_end.pdf tests/scans/chromium_r4_end.pdf -o "$T/out"; status=$?
check "scans convert (exit 0)" test "$status" -eq 0
"$HOSHIN" convert -q samples/kashiwara_r3_seisakusuishin_end.txt >"$T/w_text.json"
"$HOSHIN" convert -q samples/kashiwara_r4_seisakusuishin_end.txt >"$T/c_text.json"
check "JSON valid against policy-document-2" "$PYTHON" -c "
import json, sys, jsonschema
schema = json.load(open('schemas/policy-document-2.schema.json'))
for f in sys.argv[1:]:
    jsonschema.validate(json.load(open(f)), schema, format_checker=jsonschema.FormatChecker())
" "$T"/out/*.json
check "XML valid against policy-document-2.xsd" "$XMLLINT" --noout --schema schemas/policy-document-2.xsd "$T"/out/*.xml
check "source.ocr names the engine, language, dpi and every page" "$PYTHON" -c "
import json, sys
for f in sys.argv[1:]:
    d = json.load(open(f)); o = d['source']['ocr']
    assert o['engine'] == 'tesseract' and o['language'] == 'jpn' and o['dpi'] == 400, o
    assert [p['page'] for p in o['pages']] == list(range(1, d['source']['pages'] + 1)), o['pages']
    assert all(0 < p['confidence'] <= 100 and abs(p['skew']) <= 2 for p in o['pages']), o['pages']
    # the generator turns every page by 0.3-1.5 degrees: deskewing saw it
    assert all(abs(p['skew']) >= 0.2 for p in o['pages']), o['pages']
    assert all(g['provenance']['confidence'] is not None for g in d['goals']), 'a goal without confidence'
" "$T"/out/*.json
check "OCR is said in an info diagnostic" grep -q '"code": "ocr"' "$T/out/writer_seisakusuishin_end.json"
check "no space between Japanese characters in OCR text" "$PYTHON" -c "
import json, re, sys
d = json.load(open(sys.argv[1]))
cjk = '[\u3040-\u30ff\u4e00-\u9fff]'
bad = [p for p in d['basic_policy'] if re.search(cjk + ' ' + cjk, p)]
assert not bad, bad
" "$T/out/writer_seisakusuishin_end.json"
"$PYTHON" tools/ocr_accuracy.py --min 0.72 "$T/out/writer_seisakusuishin_end.json" "$T/w_text.json" \
    "$T/out/chromium_r4_end.json" "$T/c_text.json" >"$T/accuracy"; status=$?
cat "$T/accuracy"
check "field accuracy at least 0.72 (0.757 when written)" test "$status" -eq 0

# --ocr never: the scan is refused with its code; nothing is written.
"$HOSHIN" convert --ocr never tests/scans/chromium_r4_end.pdf >"$T/never.json" 2>"$T/never.err"; status=$?
check "--ocr never: exit 1" test "$status" -eq 1
check "--ocr never: no-text-layer, naming --ocr" grep -q "no-text-layer" "$T/never.err"
check "--ocr never: no output" test ! -s "$T/never.json"
# A PDF with a text layer is not OCR'd by default...
"$HOSHIN" convert -q samples/kashiwara_r3_seisakusuishin.pdf >"$T/text_layer.json"
check "a text layer is read, not OCR'd" "$PYTHON" -c "
import json, sys; d = json.load(open(sys.argv[1])); assert d['source']['ocr'] is None
assert all(g['provenance']['confidence'] is None for g in d['goals'])" "$T/text_layer.json"
# ...unless asked: --ocr always reads every page by OCR.
qpdf --empty --pages samples/kashiwara_r3_seisakusuishin.pdf 1 -- "$T/one_page.pdf"
"$HOSHIN" layout --ocr always "$T/one_page.pdf" >"$T/always.txt"; status=$?
check "--ocr always: layout of a text PDF by OCR (exit 0)" test "$status" -eq 0
check "--ocr always: the title read by OCR" grep -q "運営方針" "$T/always.txt"
# Bulk: the scan converts in a worker; the dataset says it was OCR'd.
mkdir -p "$T/archive"; cp tests/scans/chromium_r4_end.pdf samples/kashiwara_r3_somu.txt "$T/archive/"
"$HOSHIN" bulk -q -j 2 "$T/archive" -o "$T/bulk"; status=$?
check "bulk over a scan and a text: exit 0" test "$status" -eq 0
check "dataset: the scan's OCR engine, dpi and pages; none for the text" test \
    "$(sqlite3 "$T/bulk/dataset/hoshin.sqlite" "select source_path || '|' || coalesce(ocr_engine, '-') || '|' || coalesce(ocr_dpi, '-') || '|' || coalesce(ocr_pages, '-') from documents order by source_path")" \
    = "$(printf 'archive/chromium_r4_end.pdf|tesseract %s jpn|400|10\narchive/kashiwara_r3_somu.txt|-|-|-' "$(pkg-config --modversion tesseract)")"
check "dataset: goals of the scan carry confidences" test \
    "$(sqlite3 "$T/bulk/dataset/hoshin.sqlite" "select count(*) from goals g join documents d using (document_id) where d.ocr_engine is not null and g.confidence between 0 and 100")" -gt 0
# An unknown mode is a usage error.
"$HOSHIN" convert --ocr sometimes tests/scans/chromium_r4_end.pdf >/dev/null 2>&1; status=$?
check "--ocr sometimes: usage error (exit 2)" test "$status" -eq 2
finish
