#!/usr/bin/env bash
# Every JSON and XML the suite produces is validated by tools that are not
# ours: python3-jsonschema (draft 2020-12) and xmllint --schema (XSD).
set -euo pipefail
HOSHIN=$(realpath "$1"); PYTHON=$2; XMLLINT=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$HOSHIN" convert -q samples/*.txt tests/data/missing_sections.txt tests/data/stray_text.txt -o "$T"
"$HOSHIN" convert -q samples/*.pdf -o "$T/pdf"   # page and bbox provenance, compiled PDFs
for f in "$T"/pdf/*; do cp "$f" "$T/pdf_$(basename "$f")"; done
"$HOSHIN" convert -q --municipality 柏原市 --municipality-code 272213 samples/kashiwara_r3_seisakusuishin.txt >"$T/with_code.json"
n_json=$(ls "$T"/*.json | wc -l); n_xml=$(ls "$T"/*.xml | wc -l)
test "$n_json" -ge 12 && test "$n_xml" -ge 11
"$PYTHON" - "$T" schemas/policy-document-2.schema.json <<'PY'
import glob, json, sys
import jsonschema
schema = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
bad = 0
for f in sorted(glob.glob(sys.argv[1] + "/*.json")):
    errors = list(v.iter_errors(json.load(open(f, encoding="utf-8"))))
    for e in errors[:5]:
        print(f"FAIL {f}: {e.json_path}: {e.message}")
    bad += bool(errors)
    if not errors:
        print(f"ok   {f.rsplit('/', 1)[1]} valid against the JSON Schema")
sys.exit(1 if bad else 0)
PY
for f in "$T"/*.xml; do
    "$XMLLINT" --noout --schema schemas/policy-document-2.xsd "$f"
done
# The schemas reject what they must: a wrong grade in JSON and XML.
sed 's/"grade": "B"/"grade": "F"/' "$T/kashiwara_r3_seisakusuishin_end.json" >"$T/bad.json"
! "$PYTHON" -c "import json,sys,jsonschema; jsonschema.validate(json.load(open('$T/bad.json')), json.load(open('schemas/policy-document-2.schema.json')))" 2>/dev/null
sed 's/grade="B"/grade="F"/' "$T/kashiwara_r3_seisakusuishin_end.xml" >"$T/bad.xml"
! "$XMLLINT" --noout --schema schemas/policy-document-2.xsd "$T/bad.xml" 2>/dev/null
echo "ok   invalid grade rejected by both schemas"
