#!/usr/bin/env bash
# Throughput benchmark of hoshin on a synthetic corpus.
#
#   tools/bench.sh [N]        (N documents, default 1000; run from anywhere)
#
# 1. Builds hoshin and hoshin_bench (Release, Ninja) if needed.
# 2. Generates N documents into build/bench-corpus with tools/gen_corpus.py,
#    unless a complete corpus of the same N and generator is already there.
# 3. Runs
#    (a) build/hoshin_bench build/bench-corpus  - the in-process pipeline
#        (decode -> rows -> parse -> JSON), pinned to core 0 when taskset works;
#    (b) build/hoshin convert ALL -o build/bench-out -q  - the whole CLI end to
#        end (process start, reading, JSON + XML written atomically), under
#        /usr/bin/time -v for the peak RSS;
#    (c) a naive baseline: one python3 process (standard library only) that
#        reads every file, decodes it, splits lines at tabs and writes
#        json.dumps of that per file into build/bench-baseline-out;
#    (d) the floor of reading and decoding the same files: cat | iconv;
#    and prints a table with the ratios (b)/(c) and (b)/(d). (a), (b) and (d)
#    run pinned to core 0 when taskset works.
# Exit status: 0, or 1 when some document failed to convert (the table is
# still printed), or the failing step's status.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

N=${1:-1000}
if ! [[ $N =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: tools/bench.sh [N]   (N: number of documents, default 1000)" >&2
    exit 2
fi

BUILD=build
CORPUS=$BUILD/bench-corpus
OUT=$BUILD/bench-out
BASE_OUT=$BUILD/bench-baseline-out
LOGDIR=$BUILD/bench-logs
GEN=tools/gen_corpus.py

# Standard-library python only; prefer the system one over whatever is on PATH.
if [[ -x /usr/bin/python3 ]]; then PY=/usr/bin/python3; else PY=$(command -v python3); fi
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "bench: $TIME (GNU time) is required for peak RSS" >&2; exit 2; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# ---------------------------------------------------------------- 1. build
# Someone else may be building in build/ at the same time; a failed ninja run
# (e.g. a lock, or a half-written file of the other build) is retried.
configure_if_needed() {
    if [[ ! -f $BUILD/build.ninja ]] ||
        ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD/CMakeCache.txt" 2>/dev/null; then
        cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release
    fi
}
build() {
    local attempt log=$1
    for attempt in 1 2 3 4 5; do
        if { configure_if_needed && ninja -C "$BUILD" hoshin hoshin_bench; } >"$log" 2>&1; then
            return 0
        fi
        echo "bench: build attempt $attempt failed:" >&2
        tail -n 15 "$log" | sed 's/^/  | /' >&2
        if grep -qiE 'lock|busy|temporarily unavailable' "$log"; then
            echo "bench: looks like a concurrent build; retrying" >&2
        fi
        [[ $attempt -lt 5 ]] && sleep $((attempt * 5))
    done
    echo "bench: build failed (log: $log)" >&2
    return 1
}

mkdir -p "$BUILD" 2>/dev/null || true
BUILD_LOG=$(mktemp "${TMPDIR:-/tmp}/hoshin-bench-build.XXXXXX")
trap 'rm -f "$BUILD_LOG"' EXIT
echo "== build ($BUILD, Release)"
build "$BUILD_LOG"
grep -E '^ninja: no work to do|^\[[0-9]+/[0-9]+\] Linking' "$BUILD_LOG" | tail -n 3 | sed 's/^/   /' || true
mkdir -p "$LOGDIR"

# ---------------------------------------------------------------- 2. corpus
gen_sha=$(sha256sum "$GEN" | cut -d' ' -f1)
corpus_ok() {
    local stamp=$CORPUS/.gen_corpus
    [[ -f $stamp ]] || return 1
    grep -qx "n=$N" "$stamp" && grep -qx "sha256=$gen_sha" "$stamp" || return 1
    local count
    count=$(find "$CORPUS" -maxdepth 1 -name 'doc_*.txt' -type f | wc -l)
    [[ $count -eq $N ]]
}
if corpus_ok; then
    echo "== corpus: $CORPUS ($N documents, up to date)"
else
    echo "== corpus: generating $N documents into $CORPUS"
    rm -rf "$CORPUS"
    "$PY" "$GEN" "$CORPUS" -n "$N" --seed 1 | sed 's/^/   /'
fi
mapfile -t FILES < <(find "$CORPUS" -maxdepth 1 -name '*.txt' -type f | LC_ALL=C sort)
NDOCS=${#FILES[@]}
BYTES=$(find "$CORPUS" -maxdepth 1 -name '*.txt' -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
MB=$(awk -v b="$BYTES" 'BEGIN { printf "%.2f", b / 1e6 }')

# ---------------------------------------------------------------- 3a. in-process
PIN=()
PIN_NOTE="not pinned (taskset unavailable)"
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
    PIN=(taskset -c 0)
    PIN_NOTE="pinned to core 0"
fi
echo "== (a) $BUILD/hoshin_bench $CORPUS  [$PIN_NOTE]"
bench_rc=0
BENCH_OUT=$("${PIN[@]}" "$BUILD/hoshin_bench" "$CORPUS" 2>&1) || bench_rc=$?
sed 's/^/   /' <<<"$BENCH_OUT"
# "text: 1000 documents, 5991 goals, 11.02 MB: 0.701 s -> 1427 documents/s, 15.72 MB/s (one core...)"
# "failed: N" only when some failed
a_failed=$(sed -nE 's/^failed: ([0-9]+)$/\1/p' <<<"$BENCH_OUT")
a_failed=${a_failed:-0}
a_secs=$(sed -nE 's/^text: .* MB: ([0-9.]+) s -> .*/\1/p' <<<"$BENCH_OUT")
a_dps=$(sed -nE 's/.*-> +([0-9.]+) documents\/s.*/\1/p' <<<"$BENCH_OUT")
a_mbs=$(sed -nE 's/.* ([0-9.]+) MB\/s.*/\1/p' <<<"$BENCH_OUT")
if [[ -z $a_secs ]]; then
    echo "bench: hoshin_bench exited with status $bench_rc and printed no timing" >&2
    exit 1
fi

# ---------------------------------------------------------------- 3b. CLI end to end
rm -rf "$OUT"
mkdir -p "$OUT"
CLI_LOG=$LOGDIR/cli-stderr.log
CLI_TIME=$LOGDIR/cli-time.txt
# Use one command line when it fits comfortably, xargs otherwise.
arg_bytes=$(printf '%s\0' "${FILES[@]}" | wc -c)
arg_max=$(getconf ARG_MAX 2>/dev/null || echo 131072)
env_bytes=$(env | wc -c)
cli_rc=0
t0=$(now)
if ((arg_bytes + env_bytes + 65536 < arg_max / 2)); then
    CLI_MODE="one process"
    echo "== (b) $TIME -v $BUILD/hoshin convert $CORPUS/*.txt -o $OUT -q  [$CLI_MODE]"
    "$TIME" -v -o "$CLI_TIME" "${PIN[@]}" "$BUILD/hoshin" convert "${FILES[@]}" -o "$OUT" -q 2>"$CLI_LOG" || cli_rc=$?
else
    CLI_MODE="xargs batches"
    echo "== (b) ... | $TIME -v xargs -0 $BUILD/hoshin convert -o $OUT -q  [$CLI_MODE]"
    printf '%s\0' "${FILES[@]}" |
        "$TIME" -v -o "$CLI_TIME" "${PIN[@]}" xargs -0 "$BUILD/hoshin" convert -o "$OUT" -q 2>"$CLI_LOG" || cli_rc=$?
fi
t1=$(now)
b_secs=$(elapsed "$t0" "$t1")
b_rss_kb=$(sed -nE 's/^\s*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$CLI_TIME")
b_user=$(sed -nE 's/^\s*User time \(seconds\): ([0-9.]+)/\1/p' "$CLI_TIME")
b_sys=$(sed -nE 's/^\s*System time \(seconds\): ([0-9.]+)/\1/p' "$CLI_TIME")
b_json=$(find "$OUT" -maxdepth 1 -name '*.json' -type f | wc -l)
b_xml=$(find "$OUT" -maxdepth 1 -name '*.xml' -type f | wc -l)
b_errors=$(grep -c ': error' "$CLI_LOG" || true)
b_failed=$((NDOCS - b_json))
echo "   exit status $cli_rc; $b_json JSON + $b_xml XML written; $b_errors error line(s) (log: $CLI_LOG)"
if [[ $b_errors -gt 0 ]]; then
    head -n 5 "$CLI_LOG" | sed 's/^/   | /'
fi

# ---------------------------------------------------------------- 3c. baseline
rm -rf "$BASE_OUT"
mkdir -p "$BASE_OUT"
BASE_TIME=$LOGDIR/baseline-time.txt
echo "== (c) $PY -c <read, decode, split lines at tabs, json.dumps, write>  [baseline]"
base_rc=0
t0=$(now)
"$TIME" -v -o "$BASE_TIME" "$PY" -c '
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
n = 0
for name in sorted(os.listdir(src)):
    if not name.endswith(".txt"):
        continue
    with open(os.path.join(src, name), "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp932", errors="replace")
    rows = [line.split("\t") for line in text.splitlines()]
    with open(os.path.join(dst, name[:-4] + ".json"), "w", encoding="utf-8") as f:
        f.write(json.dumps({"file": name, "lines": rows}, ensure_ascii=False))
    n += 1
print(n)
' "$CORPUS" "$BASE_OUT" >"$LOGDIR/baseline-stdout.txt" || base_rc=$?
t1=$(now)
c_secs=$(elapsed "$t0" "$t1")
c_rss_kb=$(sed -nE 's/^\s*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$BASE_TIME")
c_docs=$(cat "$LOGDIR/baseline-stdout.txt" 2>/dev/null || echo 0)
echo "   exit status $base_rc; $c_docs files dumped"
if [[ $base_rc -ne 0 ]]; then
    echo "bench: baseline failed" >&2
    exit 1
fi

# ---------------------------------------------------------------- 3d. floor
# The floor of reading and decoding the same files: cat into iconv (one
# process each, one pass over the bytes, a real conversion), on the same core.
echo "== (d) cat $CORPUS/*.txt | iconv -c -f UTF-8 -t UTF-16LE >/dev/null  [floor, $PIN_NOTE]"
t0=$(now)
printf '%s\0' "${FILES[@]}" | "${PIN[@]}" xargs -0 cat | "${PIN[@]}" iconv -c -f UTF-8 -t UTF-16LE >/dev/null || true
t1=$(now)
d_secs=$(elapsed "$t0" "$t1")

# ---------------------------------------------------------------- table
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
mbps() { awk -v m="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.2f", m / s; else print "-" }'; }
mib() { awk -v k="$1" 'BEGIN { if (k != "") printf "%.1f MiB", k / 1024; else print "-" }'; }
ratio=$(awk -v b="$b_secs" -v c="$c_secs" 'BEGIN { if (c > 0) printf "%.2f", b / c; else print "-" }')
ratio_a=$(awk -v a="$a_secs" -v c="$c_secs" 'BEGIN { if (c > 0) printf "%.2f", a / c; else print "-" }')

echo
echo "== hoshin benchmark: $NDOCS documents, $MB MB ($(nproc) CPUs, $(uname -m))"
printf '%-36s %9s %10s %8s %11s %7s\n' "run" "wall s" "docs/s" "MB/s" "peak RSS" "failed"
printf '%-36s %9s %10s %8s %11s %7s\n' "(a) hoshin_bench, in-process" "$a_secs" "${a_dps:-?}" "${a_mbs:-?}" "-" "${a_failed:-?}"
printf '%-36s %9s %10s %8s %11s %7s\n' "(b) hoshin convert, CLI end to end" "$b_secs" "$(rate "$NDOCS" "$b_secs")" \
    "$(mbps "$MB" "$b_secs")" "$(mib "$b_rss_kb")" "$b_failed"
printf '%-36s %9s %10s %8s %11s %7s\n' "(c) python3 naive line->JSON dump" "$c_secs" "$(rate "$NDOCS" "$c_secs")" \
    "$(mbps "$MB" "$c_secs")" "$(mib "$c_rss_kb")" "-"
printf '%-36s %9s %10s %8s %11s %7s\n' "(d) cat | iconv (reading the bytes)" "$d_secs" "$(rate "$NDOCS" "$d_secs")" \
    "$(mbps "$MB" "$d_secs")" "-" "-"
echo "(a): $PIN_NOTE; (b): $PIN_NOTE, $CLI_MODE, user ${b_user:-?} s + sys ${b_sys:-?} s, JSON+XML, renamed into place in batches after one syncfs each"
echo "ratio hoshin CLI / baseline: ${ratio}x   (in-process hoshin_bench / baseline: ${ratio_a}x)"
echo "ratio hoshin CLI / floor (cat | iconv): $(awk -v b="$b_secs" -v d="$d_secs" 'BEGIN { if (d > 0) printf "%.1f", b / d; else print "-" }')x   (target: 2,000 documents/s on one core)"

if [[ ${a_failed:-1} -ne 0 || $b_failed -ne 0 ]]; then
    exit 1
fi
