#!/usr/bin/env bash
# Bulk benchmark: N documents, PCT % of them PDF (copied from the
# tools/bench_pdf.sh corpus), the rest text from tools/gen_corpus.py;
# `hoshin bulk` with -j 1 and -j 2: documents/s, peak RSS, and the time to
# --resume a finished run. The -j 1 and -j 2 runs alternate, PAIRS times
# (default 2), so each ratio compares runs made side by side on the same
# machine state.
#   tools/bench_bulk.sh [N [PCT]]   (default 10000 documents, 20 % PDF)
# HOSHIN=path/to/hoshin times another build (e.g. an older commit's) on the
# same corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
PCT=${2:-20}
NPDF=$((N * PCT / 100)); NTXT=$((N - NPDF))
C=build/bench-bulk-corpus-$PCT
if [ -n "${HOSHIN:-}" ]; then
    [ -x "$HOSHIN" ] || { echo "bench_bulk.sh: HOSHIN=$HOSHIN is not an executable" >&2; exit 2; }
else
    HOSHIN=build/hoshin
    [ -x "$HOSHIN" ] || { cmake --preset release >/dev/null && cmake --build --preset release; }
fi
if [ ! -e "$C/.n$N" ]; then
    rm -rf "$C"; mkdir -p "$C/text" "$C/pdf"
    /usr/bin/python3 tools/gen_corpus.py "$C/text" -n "$NTXT" --seed 11 >/dev/null
    [ -e build/bench-pdf-corpus/.n200 ] || bash tools/bench_pdf.sh 200 >/dev/null
    pdfs=(build/bench-pdf-corpus/*.pdf)
    for ((i = 0; i < NPDF; i++)); do
        d="$C/pdf/$((i / 200))"; mkdir -p "$d"
        cp "${pdfs[i % ${#pdfs[@]}]}" "$d/$(printf 'p%05d.pdf' "$i")"
    done
    touch "$C/.n$N"
fi
mb=$(du -sb "$C" | awk '{printf "%.0f", $1 / 1e6}')
run() {  # run ARGS... -> secs, rss, cpu
    local log; log=$(mktemp)
    /usr/bin/time -f '%e %M %P' -o "$log" "$HOSHIN" bulk "$C" -q "$@" 2>/dev/null || true
    read -r secs rss cpu <"$log"; rm -f "$log"
}
PAIRS=${PAIRS:-2}
printf '\n== bulk benchmark: %d documents (%d text, %d PDF), %s MB, %s CPUs\n' "$N" "$NTXT" "$NPDF" "$mb" "$(nproc)"
printf '%-6s %10s %10s %10s %10s %10s %9s\n' pair "-j 1 s" "-j 2 s" "speed-up" "CPU -j 1" "CPU -j 2" "docs/s"
ratios=()
for k in $(seq "$PAIRS"); do
    rm -rf build/bench-bulk-out1 build/bench-bulk-out2
    sync
    run -o build/bench-bulk-out1 -j 1; s1=$secs; r1=$rss; c1=$cpu
    run -o build/bench-bulk-out2 -j 2; s2=$secs; r2=$rss; c2=$cpu
    ratio=$(echo "$s1 / $s2" | bc -l); ratios+=("$ratio")
    printf '%-6s %10.1f %10.1f %9.2fx %10s %10s %9.0f\n' "$k" "$s1" "$s2" "$ratio" "$c1" "$c2" "$(echo "$N / $s2" | bc -l)"
done
run -o build/bench-bulk-out2 -j 2 --resume; sr=$secs
best=$(printf '%s\n' "${ratios[@]}" | sort -g | tail -1); worst=$(printf '%s\n' "${ratios[@]}" | sort -g | head -1)
printf 'peak RSS: -j 1 %.1f MiB, -j 2 %.1f MiB (the parent and one worker, each its own process)\n' \
    "$(echo "$r1 / 1024" | bc -l)" "$(echo "$r2 / 1024" | bc -l)"
printf '%-34s %8.2f s  (%.1f %% of the last -j 2 run)\n' "hoshin bulk -j 2 --resume (done)" "$sr" "$(echo "100 * $sr / $s2" | bc -l)"
printf 'speed-up -j 2 over -j 1: %.2fx to %.2fx over %d pairs (target >= 1.7x)\n' "$worst" "$best" "$PAIRS"
# -j 1 is already two processes (the parent writes the dataset beside its one
# worker): "CPU -j 1" above 100 % is work -j 2 cannot speed up on 2 cores.
