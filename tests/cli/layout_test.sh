#!/usr/bin/env bash
# hoshin layout: the JSON form (tables, cells with boxes, spans and line
# counts), the debugging picture (--png), and their errors.
set -euo pipefail
HOSHIN=$(realpath "$1"); PYTHON=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL $*"; exit 1; }

# A Writer PDF whose summary table spans each goal number over two rows and
# each goal title over five columns, with a theme cell wrapped to 4 lines.
PDF=tests/producers/writer/seisakusuishin.pdf
"$HOSHIN" layout "$PDF" --format json -o "$T/layout.json" || fail "layout --format json"
"$HOSHIN" layout "$PDF" --format json >"$T/again.json"
cmp -s "$T/layout.json" "$T/again.json" || fail "layout JSON differs between -o and stdout, or between runs"
"$PYTHON" - "$T/layout.json" <<'PY' || fail "layout JSON"
import json, re, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["pages"] == 8, d["pages"]
tables = {t["table"]: t for t in d["tables"]}
assert tables, "no tables found"
cells = [(r, c) for r in d["rows"] if r["table"] is not None for c in r["cells"]]
for r, c in cells:
    t = tables[r["table"]]
    x0, y0, x1, y1 = c["bbox"]
    assert t["columns"][0] - 0.01 <= x0 < x1 <= t["columns"][-1] + 0.01, (r["page"], c)
    assert t["rows"][0] - 0.01 <= y0 < y1 <= t["rows"][-1] + 0.01, (r["page"], c)
    assert t["page"] == r["page"]
    assert c["col"] + c["col_span"] <= len(t["columns"]) - 1, c
    assert r["table_row"] + c["row_span"] <= len(t["rows"]) - 1, c
numbers = [c["text"] for r, c in cells if c["row_span"] == 2]
# (Writer draws goal 4's pair split by the page break as two cells)
assert numbers[:5] == ["1", "2", "3", "5", "6"], numbers
titles = [c["text"] for r, c in cells if c["col_span"] == 5 and r["page"] == 1]
assert titles[0] == "民間企業や大学とのさらなる連携", titles
wrapped = [c for r, c in cells if c["lines"] >= 3]
assert wrapped, "no cell of three lines or more"
for c in wrapped:
    # lines of a cell join without a space between Japanese characters
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff] [\u3040-\u30ff\u4e00-\u9fff]", c["text"]), c["text"]
assert any(c["text"] == "みんなでつくる暮らし続けられるまち" for c in wrapped)
# text outside tables: rows with no table and no cell spans
free = [r for r in d["rows"] if r["table"] is None and r["cells"]]
assert any(r["cells"][0]["text"] == "【基本方針】" for r in free)
PY

# The picture: page 1 at 144 dpi (A4: 1191 x 1684), a PNG.
"$HOSHIN" layout "$PDF" --png 1 -o "$T/page1.png" || fail "layout --png"
"$PYTHON" - "$T/page1.png" <<'PY' || fail "layout --png: not a 1191 x 1684 PNG"
import struct, sys
b = open(sys.argv[1], "rb").read()
assert b[:8] == b"\x89PNG\r\n\x1a\n" and b[12:16] == b"IHDR"
assert struct.unpack(">II", b[16:24]) == (1191, 1684), struct.unpack(">II", b[16:24])
PY

# Errors: --png without -o is a usage error; a page the PDF lacks and a text
# input fail with their codes and write nothing.
set +e
"$HOSHIN" layout "$PDF" --png 1 >"$T/out" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "--png without -o: exit $rc, not 2"
[ ! -s "$T/out" ] || fail "--png without -o wrote to stdout"
set +e
"$HOSHIN" layout "$PDF" --png 99 -o "$T/p99.png" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "--png 99: exit $rc, not 1"
grep -q "^hoshin: $PDF: error: .*\[no-such-page\]$" "$T/err" || fail "--png 99: $(cat "$T/err")"
[ ! -e "$T/p99.png" ] || fail "--png 99 wrote a file"
set +e
"$HOSHIN" layout samples/kashiwara_r3_seisakusuishin.txt --png 1 -o "$T/txt.png" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "--png of a text: exit $rc, not 1"
grep -q "\[not-a-pdf\]$" "$T/err" || fail "--png of a text: $(cat "$T/err")"
[ ! -e "$T/txt.png" ] || fail "--png of a text wrote a file"
[ -z "$(ls -A "$T" | grep -v -e '^layout.json$' -e '^again.json$' -e '^page1.png$' -e '^out$' -e '^err$')" ] ||
    fail "temporary files left: $(ls -A "$T")"

# A text edition's layout: one-line cells, no tables.
"$HOSHIN" layout samples/kashiwara_r3_seisakusuishin.txt --format json >"$T/text.json"
"$PYTHON" -c "
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
assert d['tables'] == [] and all(c['lines'] == 1 for r in d['rows'] for c in r['cells'])
" "$T/text.json" || fail "layout JSON of a text edition"
echo "layout: ok"
