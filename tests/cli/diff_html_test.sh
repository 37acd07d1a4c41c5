#!/usr/bin/env bash
# The HTML diff in a real browser: installs Debian's chromium if missing,
# renders the page headless, checks the DOM it dumps, and leaves a screenshot
# in build/test-artifacts/diff.png.
set -uo pipefail
HOSHIN=$(realpath "$1"); ART=${2:-build/test-artifacts}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if ! command -v chromium >/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null \
        || { echo "FAIL cannot install chromium"; exit 1; }
fi
"$HOSHIN" diff samples/kashiwara_r3_seisakusuishin_end.pdf samples/kashiwara_r4_seisakusuishin_end.txt --format html -o "$T/diff.html" || exit 1
fails=0
check() {
    local name=$1; shift
    if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
check "self-contained: no network resources" bash -c "! grep -Eq '(src|href)=\"(https?:)?//' '$T/diff.html'"
CHROME=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
        --disable-component-update --disable-sync --user-data-dir="$T/profile")
timeout 120 "${CHROME[@]}" --dump-dom "file://$T/diff.html" >"$T/dom.html" 2>/dev/null
check "the browser rendered the page" grep -q '<table>' "$T/dom.html"
check "summary counts" grep -q '<span id="added">1</span> added, <span id="removed">1</span> removed' "$T/dom.html"
check "removed goal row" grep -q 'class="goal removed" data-old="4"' "$T/dom.html"
check "renumbered goal row (5 -> 4)" grep -q 'class="goal unchanged" data-old="5" data-new="4"' "$T/dom.html"
check "deletion marked" grep -q '<del>フェイスブック</del>' "$T/dom.html"
check "insertion marked" grep -q '<ins>LINE</ins>' "$T/dom.html"
check "grade move B -> A badged as up" grep -q '<span class="grade up">A</span>' "$T/dom.html"
check "goals link to their page in the old PDF" grep -q 'kashiwara_r3_seisakusuishin_end.pdf#page=' "$T/dom.html"
mkdir -p "$ART"
timeout 120 "${CHROME[@]}" --window-size=1280,2400 --screenshot="$ART/diff.png" "file://$T/diff.html" >/dev/null 2>&1
check "screenshot produced ($ART/diff.png)" test -s "$ART/diff.png"
echo "$fails failure(s)"
test "$fails" -eq 0
