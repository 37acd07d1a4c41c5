#!/usr/bin/env bash
# Every sample converts to exactly its reviewed output in samples/expected/,
# and the CP932/full-width variant carries the same content as the seed.
set -euo pipefail
HOSHIN=$(realpath "$1")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$HOSHIN" convert -q samples/*.txt -o "$T"
status=0
for f in samples/expected/*; do
    if ! cmp -s "$f" "$T/$(basename "$f")"; then
        echo "FAIL $(basename "$f") differs from the reviewed output:"
        diff -u "$f" "$T/$(basename "$f")" | head -40
        status=1
    else
        echo "ok   $(basename "$f")"
    fi
done
for f in "$T"/*; do
    [ -e "samples/expected/$(basename "$f")" ] || { echo "FAIL no reviewed output for $(basename "$f")"; status=1; }
done
/usr/bin/python3 - "$T" <<'PY' || status=1
import json, sys, unicodedata
out = sys.argv[1]
def norm(x):
    if isinstance(x, dict): return {k: norm(v) for k, v in x.items() if k != "source"}
    if isinstance(x, list): return [norm(v) for v in x]
    if isinstance(x, str): return unicodedata.normalize("NFKC", x).replace(" ", "")
    return x
seed = json.load(open(f"{out}/kashiwara_r3_seisakusuishin.json"))
cp = json.load(open(f"{out}/kashiwara_r3_seisakusuishin_cp932.json"))
assert cp["source"]["encoding"] == "Shift_JIS", cp["source"]
assert norm(seed) == norm(cp), "CP932 variant differs from the seed in content"
print("ok   CP932 + CRLF + full-width variant has the seed's content")
PY
exit $status
