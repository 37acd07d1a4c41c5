#!/usr/bin/env bash
# Diff benchmark: two 100-goal documents (converted JSON, so the figure is the
# diff itself), and a directory of 1,000 document pairs (a generated year and
# its edited following year).
#   tools/bench_diff.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/hoshin ] && [ -x build/hoshin_bench ] || { cmake --preset release >/dev/null && cmake --build --preset release; }
B=build/bench-diff; rm -rf "$B"; mkdir -p "$B/a" "$B/b"
/usr/bin/python3 - "$B" <<'PY'
import random, re, sys
out = sys.argv[1]
random.seed(5)
seed = open("samples/kashiwara_r3_seisakusuishin_end.txt", encoding="utf-8").read()
head, rest = seed.split("【重点目標】", 1)
summary, rest = rest.split("【達成度について】", 1)
legend, details = rest.split("\n部(局)名\t", 1)
pages = ["部(局)名\t" + p if not p.startswith("部(局)名\t") else p for p in ("部(局)名\t" + details).split("\n部(局)名\t")]
rows = re.findall(r"(\d+\t目標\t[^\n]*\n\t[^\n]*\n?)", summary)
words = ["地域", "防災", "子育て", "観光", "交通", "福祉", "教育", "環境", "行政", "財政", "広報", "医療", "産業", "文化"]
def make(n, shift):
    rs, ps = [], []
    for k in range(1, n + 1):
        src = (k - 1) % 6
        tag = words[k % len(words)] + words[(k * 7) % len(words)] + str(k)
        title_old = re.search(r"\n\t([^\t\n]*)", rows[src]).group(1)
        title = tag + title_old
        if shift and k % 10 == 0:
            title = title.replace(words[k % len(words)], "デジタル")
        r = re.sub(r"^\d+", str(k), rows[src]).replace(title_old, title)
        p = re.sub(r"重点目標 \d+", f"重点目標 {k}", pages[src]).replace(title_old, title)
        rs.append(r); ps.append(p)
    if shift:  # drop one, add one, swap two
        del rs[50], ps[50]
        rs[10], rs[11] = rs[11], rs[10]
    return head + "【重点目標】\n\n" + "".join(rs) + "\n【達成度について】" + legend + "\n" + "\n".join(p.rstrip("\n") + "\n" for p in ps)
open(f"{out}/goals100_old.txt", "w", encoding="utf-8").write(make(100, False))
open(f"{out}/goals100_new.txt", "w", encoding="utf-8").write(make(100, True))
PY
build/hoshin convert -q "$B/goals100_old.txt" -o "$B" --format json
build/hoshin convert -q "$B/goals100_new.txt" -o "$B" --format json
/usr/bin/python3 tools/gen_corpus.py "$B/a" -n 1000 --seed 21 >/dev/null
# The following year: one word changed in every document, one goal line edited.
/usr/bin/python3 - "$B" <<'PY'
import glob, os, sys
b = sys.argv[1]
for f in sorted(glob.glob(f"{b}/a/*.txt")):
    raw = open(f, "rb").read()
    enc = "cp932" if b"\r\n" in raw else "utf-8-sig"
    t = raw.decode(enc).replace("フェイスブック", "LINE").replace("達成状況\t達成度\n", "達成状況\t達成度\n", 1)
    open(f"{b}/b/" + os.path.basename(f), "wb").write(t.encode(enc))
PY
mkdir -p "$B/ja" "$B/jb"
build/hoshin convert -q "$B"/a/*.txt -o "$B/ja" --format json
build/hoshin convert -q "$B"/b/*.txt -o "$B/jb" --format json
build/hoshin diff "$B/goals100_old.json" "$B/goals100_new.json" --format json -o "$B/d100.json"
summary=$(/usr/bin/python3 -c "import json; s=json.load(open('$B/d100.json'))['summary']; print(s['added'],'added',s['removed'],'removed',s['modified'],'modified',s['unchanged'],'unchanged')")
inproc=$(build/hoshin_bench --diff "$B/goals100_old.json" "$B/goals100_new.json")
# Whole processes (start-up included), the mean of 20.
start=$(date +%s.%N); for i in $(seq 20); do build/hoshin diff "$B/goals100_old.json" "$B/goals100_new.json" --format json >/dev/null; done; end=$(date +%s.%N)
per=$(echo "($end - $start) * 1000 / 20" | bc -l)
tdir=$( { /usr/bin/time -f '%e' build/hoshin diff "$B/ja" "$B/jb" --format json -o "$B/ddir.json"; } 2>&1 | tail -1 )
pairs=$(/usr/bin/python3 -c "import json; print(len(json.load(open('$B/ddir.json'))['pairs']))")
printf '\n== diff benchmark (%s CPUs)\n' "$(nproc)"
printf 'two 100-goal documents: %s\n' "$inproc"
printf '  as a whole hoshin diff process (start-up, ICU data and reading both JSON files included): %.1f ms (mean of 20; %s)\n' "$per" "$summary"
printf 'directory of %s document pairs (converted JSON): %.2f s, %.1f ms per pair\n' "$pairs" "$tdir" "$(echo "$tdir * 1000 / $pairs" | bc -l)"
