#!/usr/bin/env bash
# The HTML diff in a real browser: installs Debian's chromium if missing,
# renders the page headless, checks the DOM it dumps (summary, deletion-first
# marks, Japanese labels, folded unchanged goals, links that resolve from the
# page's own folder), prints it to PDF (unchanged goals unfolded on paper),
# and leaves screenshots in build/test-artifacts/diff.png and diff-en.png.
set -uo pipefail
HOSHIN=$(realpath "$1"); ART=${2:-build/test-artifacts}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if ! command -v chromium >/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null \
        || { echo "FAIL cannot install chromium"; exit 1; }
fi
# Sources in one folder, the report in another, written from a third.
mkdir -p "$T/proj/samples" "$T/proj/reports" "$T/elsewhere"
cp samples/kashiwara_r3_seisakusuishin_end.pdf samples/kashiwara_r4_seisakusuishin_end.txt "$T/proj/samples/"
(cd "$T/elsewhere" && "$HOSHIN" diff ../proj/samples/kashiwara_r3_seisakusuishin_end.pdf ../proj/samples/kashiwara_r4_seisakusuishin_end.txt \
    --format html -o ../proj/reports/diff.html) || exit 1
(cd "$T/elsewhere" && "$HOSHIN" diff ../proj/samples/kashiwara_r3_seisakusuishin_end.pdf ../proj/samples/kashiwara_r4_seisakusuishin_end.txt \
    --format html --lang en -o ../proj/reports/diff-en.html) || exit 1
PAGE="$T/proj/reports/diff.html"
check "self-contained: no network resources" bash -c "! grep -Eq '(src|href)=\"(https?:)?//' '$PAGE'"
CHROME=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
        --disable-component-update --disable-sync --user-data-dir="$T/profile")
timeout 120 "${CHROME[@]}" --dump-dom "file://$PAGE" >"$T/dom.html" 2>/dev/null
timeout 120 "${CHROME[@]}" --dump-dom "file://$T/proj/reports/diff-en.html" >"$T/dom-en.html" 2>/dev/null
check "the browser rendered the page" grep -q '<table class="goals">' "$T/dom.html"
check "Japanese interface by default (lang, labels)" bash -c "grep -q '<html lang=\"ja\">' '$T/dom.html' && grep -q '<th>追加</th><th>削除</th><th>変更</th><th>変更なし</th>' '$T/dom.html' && grep -q '<h2>概要</h2>' '$T/dom.html' && grep -q '<td class=\"field\">達成度 (一覧表)</td>' '$T/dom.html'"
check "--lang en: English labels" bash -c "grep -q '<html lang=\"en\">' '$T/dom-en.html' && grep -q '<th>added</th><th>removed</th>' '$T/dom-en.html'"
check "summary at the top: counts" bash -c "grep -q '<td id=\"added\">1</td><td id=\"removed\">1</td><td id=\"modified\">2</td><td id=\"unchanged\">3</td><td id=\"renumbered\">2</td>' '$T/dom.html'"
check "summary at the top: grade moves" grep -q '<table id="grade-moves">' "$T/dom.html"
check "summary comes before the goals" "${PY:-/usr/bin/python3}" -c "
import sys; d=open('$T/dom.html',encoding='utf-8').read(); sys.exit(0 if 0 <= d.find('id=\"summary\"') < d.find('id=\"changes\"') else 1)"
check "removed goal row" grep -q 'class="goal removed" data-old="4"' "$T/dom.html"
check "renumbered goal says 5 → 4" grep -q 'class="goal unchanged" data-old="5" data-new="4"><td class="status">変更なし<br><span class="renumbered">番号 5 → 4</span>' "$T/dom.html"
check "unchanged goals folded away (closed <details>)" grep -q '<details id="unchanged-goals">' "$T/dom.html"
check "deletion before insertion" "${PY:-/usr/bin/python3}" -c "
import sys; d=open('$T/dom.html',encoding='utf-8').read(); a=d.find('<del>フェイスブック</del>'); b=d.find('<ins>LINE</ins>'); sys.exit(0 if 0 <= a < b else 1)"
check "the added goal shown whole (its targets)" grep -q '<tr class="change" data-field="targets\[1\]"><td class="field">達成目標 1</td><td></td><td><ins>' "$T/dom.html"
check "grade move B -> A badged as up" grep -q '<span class="grade up">A</span>' "$T/dom.html"
# Links, as the browser resolves them against the page's own address.
links_resolve() {
    "${PY:-/usr/bin/python3}" - "$1" "$2" <<'PY'
import os, re, sys, urllib.parse, urllib.request
dom, page = sys.argv[1], sys.argv[2]
hrefs = re.findall(r'<a class="page" href="([^"]+)"', open(dom, encoding="utf-8").read())
assert hrefs, "no page links"
base = "file://" + urllib.request.pathname2url(os.path.abspath(page))
for h in hrefs:
    url = urllib.parse.urljoin(base, h)
    path = urllib.request.url2pathname(urllib.parse.urlparse(url).path)
    assert os.path.isfile(path), url
    assert urllib.parse.urlparse(url).fragment.startswith("page="), url
PY
}
check "goal links open the old PDF from the page's folder (written from elsewhere)" links_resolve "$T/dom.html" "$PAGE"
mv "$T/proj" "$T/moved"
check "links survive moving page and sources together" links_resolve "$T/dom.html" "$T/moved/reports/diff.html"
# Print: unchanged goals are unfolded on paper.
timeout 120 "${CHROME[@]}" --no-pdf-header-footer --print-to-pdf="$T/diff.pdf" "file://$T/moved/reports/diff.html" >/dev/null 2>&1
check "print: the PDF holds the folded unchanged goals" bash -c "pdftotext '$T/diff.pdf' - | tr -d ' \n' | grep -q '指定避難所の機能強化'"
mkdir -p "$ART"
timeout 120 "${CHROME[@]}" --window-size=1280,2000 --screenshot="$ART/diff.png" "file://$T/moved/reports/diff.html" >/dev/null 2>&1
timeout 120 "${CHROME[@]}" --window-size=1280,1200 --screenshot="$ART/diff-en.png" "file://$T/moved/reports/diff-en.html" >/dev/null 2>&1
check "screenshots produced ($ART/diff.png, diff-en.png)" test -s "$ART/diff.png" -a -s "$ART/diff-en.png"
finish
