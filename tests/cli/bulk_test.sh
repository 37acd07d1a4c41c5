#!/usr/bin/env bash
# hoshin bulk: a tree of good and bad inputs, the manifest, the dataset
# (checked by python's csv module and the sqlite3 shell), -j 1 = -j 2,
# resume after SIGINT and SIGKILL equals an uninterrupted run, shards + merge.
set -uo pipefail
HOSHIN=$(realpath "$1"); PYTHON=$2
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$T/in/text" "$T/in/pdf/deeper"
cp samples/*.txt "$T/in/text/"
cp samples/kashiwara_r3_seisakusuishin.pdf samples/kashiwara_r3_compiled.pdf "$T/in/pdf/"
cp samples/kashiwara_r3_seisakusuishin_end.pdf "$T/in/pdf/deeper/"
printf 'not a policy\n' >"$T/in/text/note.txt"
printf '%%PDF-1.4\n' >"$T/in/pdf/cut.pdf"
ln -s .. "$T/in/pdf/loop"                     # a symlink loop
printf 'ignored\n' >"$T/in/text/readme.md"    # not .txt/.pdf

# Inputs: the text samples, 3 PDFs, 2 bad files and 1 missing path.
n_txt=$(ls samples/*.txt | wc -l); n_in=$((n_txt + 3 + 2)); n_all=$((n_in + 1))
"$HOSHIN" bulk "$T/in" "$T/missing.txt" -o "$T/out1" -j 1 --jsonl-status >"$T/status1" 2>"$T/err1"
check "bad inputs: exit 1" test $? -eq 1
check "summary names the failures" grep -q "3 failed" "$T/err1"
check "manifest accounts for every input ($n_all)" test "$(wc -l <"$T/out1/manifest.jsonl")" -eq "$n_all"
check "one status line per input" test "$(wc -l <"$T/status1")" -eq "$n_all"
check "outputs mirror the tree" test -s "$T/out1/in/pdf/deeper/kashiwara_r3_seisakusuishin_end.pdf.json"
check "compiled PDF gives two documents" test -s "$T/out1/in/pdf/kashiwara_r3_compiled.pdf-2.xml"
check "failed inputs have no outputs" bash -c "! ls '$T/out1/in/text/note'.* '$T/out1/in/pdf/cut'.* 2>/dev/null"
check "no temp files left" bash -c "! find '$T/out1' -name '*.tmp*' | grep -q ."
check "error codes recorded" bash -c "grep -q '\"code\":\"not-a-policy-document\"' '$T/out1/manifest.jsonl' && grep -q '\"code\":\"pdf-truncated\"' '$T/out1/manifest.jsonl' && grep -q '\"code\":\"not-found\"' '$T/out1/manifest.jsonl'"
check "dataset checks out" "$PYTHON" tests/cli/check_dataset.py "$T/out1"

"$HOSHIN" bulk "$T/in" "$T/missing.txt" -o "$T/out2" -j 2 -q 2>/dev/null
same_output() {  # every file but the SQLite database byte-identical
    diff -r -x hoshin.sqlite "$1" "$2" >/dev/null
}
check "-j 2 gives the same files as -j 1" same_output "$T/out1" "$T/out2"

# Resume: a finished run skips everything; --force redoes everything.
"$HOSHIN" bulk "$T/in" -o "$T/out1" --resume 2>"$T/err"
check "resume of a finished run skips all" grep -q "$n_in skipped as done" "$T/err"
"$HOSHIN" bulk "$T/in" -o "$T/out1" --resume --force 2>"$T/err"
check "--force redoes them" grep -q "0 skipped as done" "$T/err"
printf '{"path":"in/text/kashiwara_r3_somu.txt","inp' >>"$T/out1/manifest.jsonl"   # a torn last line
"$HOSHIN" bulk "$T/in" -o "$T/out1" --resume 2>"$T/err"
check "a torn manifest line is tolerated" grep -q "$n_in skipped as done" "$T/err"

# Interrupted runs, resumed, equal an uninterrupted one.
"$PYTHON" tools/gen_corpus.py "$T/corpus" -n 1500 --seed 3 >/dev/null
"$HOSHIN" bulk "$T/corpus" -o "$T/full" -j 2 -q
for sig in INT KILL; do
    rm -rf "$T/cut"
    setsid "$HOSHIN" bulk "$T/corpus" -o "$T/cut" -j 2 -q &
    pid=$!
    for _ in $(seq 200); do
        [ -f "$T/cut/manifest.jsonl" ] && [ "$(wc -l <"$T/cut/manifest.jsonl")" -ge 300 ] && break
        sleep 0.02
    done
    kill -"$sig" -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    status=$?
    [ "$sig" = INT ] && check "SIGINT: exit 130 after the in-flight inputs" test "$status" -eq 130
    lines=$(wc -l <"$T/cut/manifest.jsonl")
    check "SIG$sig stopped the run half-way ($lines of 1500 recorded)" test "$lines" -lt 1500
    check "SIG$sig left no empty output" bash -c "! find '$T/cut' -name '*.json' -size 0 | grep -q ."
    [ "$sig" = INT ] && check "SIGINT left no temp file" bash -c "! find '$T/cut' -name '*.tmp.*' | grep -q ."
    "$HOSHIN" bulk "$T/corpus" -o "$T/cut" -j 2 -q --resume 2>/dev/null
    check "SIG$sig: the resumed run removed the killed run's temp files" bash -c "! find '$T/cut' -name '*.tmp.*' | grep -q ."
    check "SIG$sig + --resume equals an uninterrupted run" same_output "$T/full" "$T/cut"
done

# Shards, merged, hold the same dataset as one run.
"$HOSHIN" bulk "$T/corpus" -o "$T/s1" --shard 1/2 -q
"$HOSHIN" bulk "$T/corpus" -o "$T/s2" --shard 2/2 -q
check "shards split the inputs" test "$(( $(wc -l <"$T/s1/manifest.jsonl") + $(wc -l <"$T/s2/manifest.jsonl") ))" -eq 1500
"$HOSHIN" merge "$T/s1" "$T/s2" -o "$T/merged" 2>/dev/null
check "merged outputs, manifest and dataset equal the single run's" diff -r -x hoshin.sqlite "$T/full" "$T/merged"
check "merged database equals the single run's" cmp -s <(sqlite3 "$T/full/dataset/hoshin.sqlite" .dump) <(sqlite3 "$T/merged/dataset/hoshin.sqlite" .dump)
check "merged dataset checks out" "$PYTHON" tests/cli/check_dataset.py "$T/merged"
"$HOSHIN" bulk "$T/corpus" -o "$T/x" --shard 3/2 2>/dev/null
check "bad --shard is a usage error" test $? -eq 2
# On a terminal, a progress line (script(1) gives the run a pseudo-terminal).
if command -v script >/dev/null; then
    script -qfec "'$HOSHIN' bulk '$T/corpus' -o '$T/tty' -j 2" /dev/null >"$T/tty.log" 2>&1
    check "progress on a terminal: done/total, rate, ETA" grep -q "inputs, .*/s, ETA" "$T/tty.log"
fi
"$HOSHIN" bulk "$T/corpus" -o "$T/notty" -j 2 2>"$T/notty.log"
check "no terminal: one summary line" test "$(wc -l <"$T/notty.log")" -eq 1
finish
