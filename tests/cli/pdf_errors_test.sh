#!/usr/bin/env bash
# Bad PDFs, made here from a good sample: each gives one error line with its
# stable code, exit 1, no output file, no crash; the good input still converts.
set -uo pipefail
HOSHIN=$(realpath "$1")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
GOOD=samples/kashiwara_r3_seisakusuishin.pdf
fails=0
check() {
    local name=$1; shift
    if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
mkdir -p "$T/in" "$T/out"
cp "$GOOD" "$T/in/good.pdf"
qpdf --encrypt secret owner 256 -- "$GOOD" "$T/in/locked.pdf"
qpdf --encrypt "" owner 256 -- "$GOOD" "$T/in/owner_only.pdf"      # opens without a password
size=$(stat -c %s "$GOOD")
for pct in 10 50 90; do head -c $((size * pct / 100)) "$GOOD" >"$T/in/cut$pct.pdf"; done
qpdf --empty "$T/in/nopages.pdf"
printf 'this is not a PDF at all\n' >"$T/in/fake.pdf"
# A page with a drawn rectangle and no text, as a scan without OCR would be.
cat >"$T/scan_src.pdf" <<'PDF'
%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj
4 0 obj << /Length 35 >> stream
0.5 g 100 100 300 400 re f
endstream endobj
trailer << /Root 1 0 R >>
%%EOF
PDF
qpdf "$T/scan_src.pdf" "$T/in/scan.pdf" 2>/dev/null || test -s "$T/in/scan.pdf"
# Over the limit: kMaxPages + 1 pages.
qpdf --empty --pages $(for i in $(seq 2001); do echo "$T/in/scan.pdf"; done) -- "$T/in/toomanypages.pdf" 2>/dev/null || true
# A broken cross-reference table and garbage objects.
sed 's/obj/jbo/g' "$GOOD" >"$T/in/broken.pdf"

"$HOSHIN" convert "$T/in/"*.pdf -o "$T/out" >"$T/stdout" 2>"$T/err"
check "batch exits 1" test $? -eq 1
for pair in locked:pdf-encrypted cut10:pdf-truncated cut50:pdf-truncated cut90:pdf-truncated \
            nopages:pdf-no-pages fake:not-a-pdf scan:no-text-layer toomanypages:too-many-pages; do
    f=${pair%%:*}; code=${pair#*:}
    check "$f.pdf -> [$code] on one line" test "$(grep -c "^hoshin: $T/in/$f.pdf: error: .* \[$code\]\$" "$T/err")" -eq 1
    check "$f.pdf -> no output" bash -c "! ls '$T/out/$f'.* >/dev/null 2>&1"
done
check "broken.pdf -> one error line" test "$(grep -c "^hoshin: $T/in/broken.pdf: error: " "$T/err")" -eq 1
check "good.pdf converted" test -s "$T/out/good.json"
check "owner-only encryption opens without a password" test -s "$T/out/owner_only.json"
check "no temp files left" bash -c "! ls '$T/out' | grep -q '\.tmp\.'"

"$HOSHIN" convert --password secret "$T/in/locked.pdf" >"$T/unlocked.json" 2>"$T/err"
check "--password opens the encrypted PDF" test $? -eq 0
check "unlocked equals the plain PDF's goals" /usr/bin/python3 -c "
import json,sys
a=json.load(open('$T/unlocked.json')); b=json.load(open('$T/out/good.json'))
sys.exit(0 if a['goals']==b['goals'] else 1)"
"$HOSHIN" convert --password wrong "$T/in/locked.pdf" >/dev/null 2>"$T/err"
check "wrong password exits 1" test $? -eq 1
check "wrong password -> [pdf-bad-password]" grep -q '\[pdf-bad-password\]$' "$T/err"
echo "$fails failure(s)"
test "$fails" -eq 0
