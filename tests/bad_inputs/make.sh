#!/usr/bin/env bash
# The bad-input corpus (cases.tsv lists each case and what hoshin must do; README.md explains).
#
#   tests/bad_inputs/make.sh --committed   rewrite the committed files in tests/bad_inputs/
#   tests/bad_inputs/make.sh DIR           write the generated cases into DIR
#
# Committed: small, deterministic files made once from the seed sample and
# reviewed. Generated at test time: what git cannot hold (a directory, modes,
# symbolic links), what is random (encryption), and large or slow files
# derived from samples/. Needs python3, iconv and qpdf. Run from the repository root.
set -euo pipefail
SEED=samples/kashiwara_r3_seisakusuishin.txt
GOOD_PDF=samples/kashiwara_r3_seisakusuishin.pdf
PY=/usr/bin/python3

if [ "${1:-}" = "--committed" ]; then
    D=tests/bad_inputs
    : >"$D/zero_bytes.txt"
    : >"$D/empty.pdf"
    # An HTML error page saved under a .pdf name, as a crawler does.
    printf '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1></body></html>\n' >"$D/not_a_pdf.pdf"
    iconv -f UTF-8 -t EUC-JP "$SEED" >"$D/euc_jp.txt"
    iconv -f UTF-8 -t UTF-16LE "$SEED" >"$D/utf16le_no_bom.txt"
    iconv -f UTF-8 -t UTF-16BE "$SEED" >"$D/utf16be_no_bom.txt"
    "$PY" - "$SEED" "$D" <<'EOF'
import sys
seed = open(sys.argv[1], "rb").read()
d = sys.argv[2]
lines = seed.split(b"\n")
# NUL bytes in the middle of line 12, as a damaged copy has.
nul = lines[:]
nul[11] = nul[11][:30] + b"\x00\x00\x00\x00" + nul[11][30:]
open(f"{d}/nul_bytes.txt", "wb").write(b"\n".join(nul))
# Invalid UTF-8: a Latin-1 byte on line 12 and a character cut in two on line 30.
bad = lines[:]
bad[11] = bad[11][:30] + b"\xe9" + bad[11][30:]
bad[29] = bad[29] + b"\xe3\x81"
open(f"{d}/invalid_utf8.txt", "wb").write(b"\n".join(bad))
EOF
    # A scanned page: a filled rectangle and no text.
    cat >"$D/image_only.pdf" <<'PDF'
%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj
4 0 obj << /Length 27 >> stream
0.5 g 100 100 300 400 re f
endstream endobj
trailer << /Root 1 0 R >>
%%EOF
PDF
    qpdf --empty --deterministic-id "$D/no_pages.pdf"
    exit 0
fi

OUT=${1:?usage: make.sh --committed | make.sh DIR}
mkdir -p "$OUT"
size=$(stat -c %s "$GOOD_PDF")
for pct in 10 50 90; do head -c $((size * pct / 100)) "$GOOD_PDF" >"$OUT/truncated_$pct.pdf"; done
"$PY" - "$GOOD_PDF" "$OUT" <<'EOF'
import sys, zlib
good = open(sys.argv[1], "rb").read()
out = sys.argv[2]
# A wrong startxref offset and garbled xref entries: Poppler rebuilds the table.
i = good.rfind(b"startxref")
k = good.rfind(b"\nxref")
open(f"{out}/broken_xref.pdf", "wb").write(good[:k] + good[k:i].replace(b"0000", b"9999") + b"startxref\n12345\n%%EOF\n")
# Objects that are no longer objects: nothing to rebuild from.
open(f"{out}/damaged_objects.pdf", "wb").write(good.replace(b"obj", b"jbo"))

def pdf(content, flate=False):
    body = content.encode()
    filt = b""
    if flate:
        body, filt = zlib.compress(body, 9), b" /Filter /FlateDecode"
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
            b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
            b"4 0 obj << /Length " + str(len(body)).encode() + filt + b" >> stream\n" + body +
            b"endstream endobj\n5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n")

# A page whose content stream (compressed to about 200 KB) draws 5 million
# strokes: Poppler interprets each one, about 4 s here and in pdftotext alike,
# so --timeout 1 stops it. (Scattered words were the slow case while hoshin
# used Poppler's quadratic reading-order pass; it no longer does.)
open(f"{out}/slow_page.pdf", "wb").write(
    pdf("BT /F1 12 Tf 1 0 0 1 50 800 Tm (x) Tj ET\n" + "10 10 m 20 20 l S\n" * 5000000, flate=True))
# 60 lines of 1,000 letters: more than the 50,000 characters Poppler keeps of a page.
open(f"{out}/too_much_text.pdf", "wb").write(pdf("BT /F1 0.2 Tf 1 0 0 1 10 800 Tm\n" + ("(" + "x" * 1000 + ") Tj 0 -0.3 Td\n") * 60 + "ET\n"))

def image_pdf(media, width, height, data, filt):
    page = b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R" % media
    draw = (b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % media).ljust(40)
    image = b"5 0 obj << /Type /XObject /Subtype /Image /Width %d /Height %d" % (width, height)
    image += b" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /" + filt + b" /Length %d >> stream\n" % len(data)
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" + page +
            b" /Resources << /XObject << /Im0 5 0 R >> >> >> endobj\n"
            b"4 0 obj << /Length 40 >> stream\n" + draw + b"\nendstream endobj\n" + image + data +
            b"\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

# Scans that OCR must refuse or bound. A page 7 m square (one grey pixel
# drawn over it): at 400 dpi its image would be 12 billion pixels.
open(f"{out}/huge_page.pdf", "wb").write(image_pdf((20000, 20000), 1, 1, zlib.compress(b"\xc0"), b"FlateDecode"))
# An A4 page drawing a 20,000 x 20,000 pixel image (400 MB once decoded,
# 390 KB compressed): rendered down to the page's 400 dpi, no text in it.
open(f"{out}/huge_image.pdf", "wb").write(image_pdf((595, 842), 20000, 20000, zlib.compress(b"\xff" * (20000 * 20000), 9), b"FlateDecode"))
# A scan whose JPEG is damaged: its data cut off a third of the way in.
scan = open("tests/scans/chromium_r4_end.pdf", "rb").read()
at = scan.find(b"/DCTDecode")
start = scan.find(b"stream", at) + 7
end = scan.find(b"endstream", start)
cut = start + (end - start) // 3
open(f"{out}/damaged_scan.pdf", "wb").write(scan[:cut] + b"\x00" * (end - cut) + scan[end:])
EOF
qpdf --encrypt secret owner 256 -- "$GOOD_PDF" "$OUT/encrypted.pdf"
# A compiled PDF whose last page fails: its two departments are read and
# rendered before that page is, and must not be written.
qpdf --empty --deterministic-id --pages samples/kashiwara_r3_compiled.pdf "$OUT/too_much_text.pdf" -- "$OUT/booklet_bad_last_page.pdf"
# kMaxPages + 1 pages.
qpdf --empty --pages $(for _ in $(seq 2001); do echo tests/bad_inputs/image_only.pdf; done) -- "$OUT/too_many_pages.pdf" 2>/dev/null || test -s "$OUT/too_many_pages.pdf"
# A directory where a file is expected.
mkdir -p "$OUT/a_directory.pdf"
# A file nobody may read (the test runs hoshin as another user when it is root).
cp "$SEED" "$OUT/unreadable.txt"
chmod 000 "$OUT/unreadable.txt"
# A named pipe: reading it would block for ever.
rm -f "$OUT/named_pipe.txt"
mkfifo "$OUT/named_pipe.txt"
# A symbolic link loop, for bulk mode: loop/back -> loop.
mkdir -p "$OUT/loop"
ln -sfn .. "$OUT/loop/back"
ln -sfn self_link.txt "$OUT/self_link.txt"
