#!/usr/bin/env bash
# The bad-input corpus (tests/bad_inputs/cases.tsv): each case alone, the
# whole corpus in one convert batch and in bulk mode, read-only output,
# output == input, and byte-identical results under LANG=C and ja_JP.UTF-8
# (messages are translated there; their files, lines and codes are the same).
set -uo pipefail
HOSHIN=$(realpath "$1")
PY=${2:-/usr/bin/python3}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
chmod 755 "$T"  # another user (nobody) runs some cases
SEED=samples/kashiwara_r3_seisakusuishin.txt
GOOD_PDF=samples/kashiwara_r3_seisakusuishin.pdf
bash tests/bad_inputs/make.sh "$T/generated" || { echo "FAIL make.sh"; exit 1; }
ln -s "$(pwd)/tests/bad_inputs" "$T/committed"
ln -s "$(pwd)/tests/slow_inputs" "$T/slow"

# As an unprivileged user when we are root: file modes mean nothing to root.
as_nobody() {
    if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; else "$@"; fi
}
LOCALES=("C" "ja_JP.UTF-8")
check "locale ja_JP.UTF-8 is installed (tools/deps.sh makes it)" bash -c "locale -a 2>/dev/null | grep -qi '^ja_JP\.utf-\?8\$'"

# Converts the case's input in a fresh output folder under each locale and
# checks status, message, outputs, and that both locales agree byte for byte.
run_case() {
    local input=$1 options=$2 want_exit=$3 code=$4 n=$5
    local path="$T/$input" args=() runner=()
    case "$options" in
        -) ;;
        @nobody) runner=(as_nobody) ;;
        *) args=("$options") ;;
    esac
    local loc first=""
    for loc in "${LOCALES[@]}"; do
        local out="$T/case$n.$loc"
        mkdir -p "$out"; chmod 777 "$out"
        LANG=$loc LC_ALL=$loc "${runner[@]}" timeout 120 "$HOSHIN" convert "${args[@]}" "$path" -o "$out" >"$out.stdout" 2>"$out.stderr"
        echo $? >"$out.status"
        if [ -z "$first" ]; then first=$out; continue; fi
        # Messages are in the locale's language; file, line, severity and code are not.
        check "$input ($options): same files, lines, severities and codes on stderr under LANG=C and $loc" \
            cmp -s <(sed -E 's/: (error|warning): .* \[/: \1: [/' "$first.stderr") <(sed -E 's/: (error|warning): .* \[/: \1: [/' "$out.stderr")
        check "$input ($options): same outputs under LANG=C and $loc" diff -r "$first" "$out"
    done
    local out=$first status
    status=$(cat "$out.status")
    check "$input ($options): exit $want_exit (got $status)" test "$status" -eq "$want_exit"
    check "$input ($options): no temporary file" bash -c "! ls -A '$out' | grep -q '\.tmp\.'"
    if [ "$want_exit" -eq 1 ]; then
        check "$input ($options): one line, [$code]" test "$(wc -l <"$out.stderr")" -eq 1 -a \
            "$(grep -cE "^hoshin: $path(:[0-9]+)?: error: .+ \[$code\]\$" "$out.stderr")" -eq 1
        check "$input ($options): no output file" test -z "$(ls -A "$out")"
    else
        check "$input ($options): JSON and XML written" test -s "$out/$(basename "${input%.*}").json" -a -s "$out/$(basename "${input%.*}").xml"
        if [ "$code" = "-" ]; then
            check "$input ($options): no message" test ! -s "$out.stderr"
        else
            # OCR'd text is not exact: a scan's case names a warning it gives, perhaps among others.
            want=1; case $input in *scan*) want=$(grep -cE "^hoshin: $path(:[0-9]+)?: warning: .+ \[$code\]\$" "$out.stderr"); [ "$want" -ge 1 ] || want=1 ;; esac
            check "$input ($options): warnings only, [$code]" test "$(grep -vcE "^hoshin: $path(:[0-9]+)?: warning: .+ \[[a-z0-9-]+\]\$" "$out.stderr")" -eq 0 -a \
                "$(grep -cE "^hoshin: $path(:[0-9]+)?: warning: .+ \[$code\]\$" "$out.stderr")" -eq "$want"
        fi
    fi
}
n=0
while IFS=$'\t' read -r input options want_exit code what; do
    case "$input" in '#'*|'') continue ;; esac
    n=$((n + 1))
    run_case "$input" "$options" "$want_exit" "$code" "$n"
done <tests/bad_inputs/cases.tsv
check "all $n cases ran" test "$n" -ge 25

# The other subcommands under both locales too (ICU reads LANG for its
# default locale; word breaks in the diff must not depend on it). de_DE is
# not installed for glibc, but ICU takes it from LANG all the same.
for loc in "${LOCALES[@]}" de_DE.UTF-8; do
    for fmt in text json html; do
        LANG=$loc LC_ALL=$loc "$HOSHIN" diff --format $fmt samples/expected/kashiwara_r3_seisakusuishin_end.json \
            samples/expected/kashiwara_r4_seisakusuishin_end.json >"$T/diff.$fmt.$loc" 2>&1
    done
    LANG=$loc LC_ALL=$loc "$HOSHIN" timeline --format json samples/expected/kashiwara_r3_seisakusuishin.json \
        samples/expected/kashiwara_r3_seisakusuishin_end.json samples/expected/kashiwara_r4_seisakusuishin_end.json >"$T/timeline.$loc" 2>&1
    LANG=$loc LC_ALL=$loc "$HOSHIN" bulk -q -j 2 samples -o "$T/bulk.$loc" >/dev/null 2>&1
    rm -f "$T/bulk.$loc/dataset/hoshin.sqlite"  # compared by its content below
done
for loc in ja_JP.UTF-8 de_DE.UTF-8; do
    for fmt in text json html; do check "diff --format $fmt: same under LANG=C and $loc" cmp -s "$T/diff.$fmt.C" "$T/diff.$fmt.$loc"; done
    check "timeline: same under LANG=C and $loc" cmp -s "$T/timeline.C" "$T/timeline.$loc"
    check "bulk outputs, manifest and CSV: same under LANG=C and $loc" diff -r "$T/bulk.C" "$T/bulk.$loc"
done

# What the readable ones say equals the good source's document (all but "source").
same_doc() {
    "$PY" -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
a.pop("source"); b.pop("source")
sys.exit(0 if a == b else 1)' "$1" "$2"
}
"$HOSHIN" convert "$SEED" -o "$T/seed" 2>/dev/null
"$HOSHIN" convert "$GOOD_PDF" -o "$T/seedpdf" 2>/dev/null
for enc in euc_jp utf16le_no_bom utf16be_no_bom; do
    f=$(grep -l . "$T"/case*.C/$enc.json | head -1)
    check "$enc: the seed's document" same_doc "$f" "$T/seed/kashiwara_r3_seisakusuishin.json"
done
f=$(ls "$T"/case*.C/broken_xref.json | head -1)
check "broken_xref: the good PDF's document" same_doc "$f" "$T/seedpdf/kashiwara_r3_seisakusuishin.json"
f=$(ls "$T"/case*.C/invalid_utf8.json | head -1)
check "invalid_utf8: U+FFFD where the bytes were, the rest as the seed" "$PY" - "$f" "$T/seed/kashiwara_r3_seisakusuishin.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
text = json.dumps(a, ensure_ascii=False)
# One in the basic policy (line 12), one kept in unassigned (line 30, a blank line before).
kept = [u for u in a["unassigned"] if u["text"] == "\ufffd"]
sys.exit(0 if text.count("\ufffd") == 2 and kept and kept[0]["provenance"]["line_start"] == 30
         and a["goals"] == b["goals"] and a["department"] == b["department"] else 1)
EOF

# One convert batch over every input: each fails alone, the good ones convert.
# The scans OCR reads for seconds are left out: --timeout 1 would stop them
# (their own cases above run without it).
SLOW_OCR='damaged_scan|huge_image'
mapfile -t inputs < <(grep -v '^#' tests/bad_inputs/cases.tsv | cut -f1 | sort -u | grep -v unreadable | grep -vE "$SLOW_OCR" | sed "s|^|$T/|")
"$HOSHIN" convert --timeout 1 "${inputs[@]}" "$SEED" -o "$T/batch" >/dev/null 2>"$T/batch.err"
check "batch: exit 1" test $? -eq 1
check "batch: the good input converted" test -s "$T/batch/kashiwara_r3_seisakusuishin.json"
failing=$(grep -v '^#' tests/bad_inputs/cases.tsv | grep -vE "$SLOW_OCR" | awk -F'\t' '$3 == 1 && $1 !~ /unreadable/ {print $1}' | sort -u | wc -l)
check "batch: one error line per failing input ($failing)" test "$(grep -c ': error: ' "$T/batch.err")" -eq "$failing"
check "batch: no temporary file" bash -c "! ls -A '$T/batch' | grep -q '\.tmp\.'"

# Bulk mode over the whole corpus, with a symbolic link loop among the folders.
mkdir -p "$T/archive"
cp -r "$T/generated/." "$T/archive/"
cp tests/bad_inputs/*.txt tests/bad_inputs/*.pdf "$T/archive/"
mkdir -p "$T/archive/good"; cp "$SEED" "$T/archive/good/"; cp "$GOOD_PDF" "$T/archive/good/seed_pdf.pdf"
mv "$T/archive/unreadable.txt" "$T/unreadable.txt"  # root reads it; run separately below
rm -f "$T/archive/damaged_scan.pdf" "$T/archive/huge_image.pdf"  # minutes of OCR under --timeout 1
timeout 300 "$HOSHIN" bulk -j 2 --timeout 1 "$T/archive" -o "$T/bulk" >/dev/null 2>"$T/bulk.err"
status=$?
check "bulk: exit 1 (got $status)" test $status -eq 1
check "bulk: every input in the manifest, once" "$PY" - "$T/bulk/manifest.jsonl" "$T/archive" tests/bad_inputs/cases.tsv <<'EOF'
import json, os, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
paths = [e["path"] for e in entries]
assert len(paths) == len(set(paths)), "duplicates"
want = {}
for line in open(sys.argv[3]):
    if line.startswith("#") or not line.strip():
        continue
    name, options, status, code, _ = line.rstrip("\n").split("\t")
    name = name.split("/", 1)[1]
    if options != "-" or name in ("unreadable.txt", "a_directory.pdf", "damaged_scan.pdf", "huge_image.pdf"):
        continue  # options differ in bulk; a directory is searched, not converted
    name = "archive/" + name  # manifest paths start with the input folder
    want[name] = (status, code)
got = {e["path"]: e for e in entries}
for name, (status, code) in want.items():
    e = got.get(name)
    assert e, f"{name} missing"
    if status == "1":
        assert e["status"] == "error" and e["code"] == code, (name, e["status"], e.get("code"))
        assert not e["outputs"], name
    else:
        assert e["status"] in ("ok", "warning"), (name, e["status"])
for g in ("archive/good/kashiwara_r3_seisakusuishin.txt", "archive/good/seed_pdf.pdf"):
    assert got[g]["status"] == "ok", g
# The loop: loop/back is a link to the archive itself and is not followed.
assert not any(p.startswith("archive/loop/") for p in paths), "followed the loop"
assert got["archive/slow_page.pdf"]["code"] == "timeout"
EOF
check "bulk: the good inputs' outputs exist" test -s "$T/bulk/archive/good/kashiwara_r3_seisakusuishin.txt.json"
check "bulk: no output for a failed input" bash -c "! ls '$T/bulk/archive/truncated_50.'* '$T/bulk/archive/slow_page.'* >/dev/null 2>&1"
check "bulk: no temporary file" bash -c "! find '$T/bulk' -name '*.tmp.*' | grep -q ."
check "bulk: dataset holds the documents read" test "$(sqlite3 "$T/bulk/dataset/hoshin.sqlite" 'select count(*) from documents')" -eq \
    "$(grep -cE '"status":"(ok|warning)"' "$T/bulk/manifest.jsonl")"

# Encryption with an owner password only opens without one; the right user
# password opens the encrypted case, giving the plain PDF's document.
qpdf --encrypt "" owner 256 -- "$GOOD_PDF" "$T/owner_only.pdf"
"$HOSHIN" convert "$T/owner_only.pdf" >"$T/owner_only.json" 2>/dev/null
check "owner-password-only PDF converts" same_doc "$T/owner_only.json" "$T/seedpdf/kashiwara_r3_seisakusuishin.json"
"$HOSHIN" convert --password secret "$T/generated/encrypted.pdf" >"$T/unlocked.json" 2>/dev/null
check "--password opens the encrypted PDF" same_doc "$T/unlocked.json" "$T/seedpdf/kashiwara_r3_seisakusuishin.json"

# An unreadable input among readable ones, in bulk, as a user who cannot read it.
mkdir -p "$T/ur_in" "$T/ur_out"; chmod 777 "$T/ur_out"
cp "$SEED" "$T/ur_in/a.txt"; cp "$T/unreadable.txt" "$T/ur_in/b.txt" 2>/dev/null || cp "$SEED" "$T/ur_in/b.txt"
chmod 000 "$T/ur_in/b.txt"; chmod 755 "$T/ur_in"
as_nobody "$HOSHIN" bulk -j 1 "$T/ur_in" -o "$T/ur_out" >/dev/null 2>&1
check "bulk, unreadable input: exit 1" test $? -eq 1
check "bulk, unreadable input: recorded, the other converted" "$PY" -c "
import json,sys
e={j['path']:j for j in map(json.loads, open('$T/ur_out/manifest.jsonl'))}
sys.exit(0 if e['ur_in/b.txt']['code']=='unreadable' and e['ur_in/a.txt']['status']=='ok' else 1)"

# A read-only output folder: convert and bulk both fail cleanly, writing nothing.
mkdir -p "$T/ro"; chmod 555 "$T/ro"
as_nobody "$HOSHIN" convert "$SEED" -o "$T/ro" >/dev/null 2>"$T/ro.err"
check "read-only output: convert exits 1" test $? -eq 1
check "read-only output: convert says [output-error] once" test "$(grep -c "error: .*\[output-error\]$" "$T/ro.err")" -eq 1
as_nobody "$HOSHIN" bulk "$SEED" -o "$T/ro" >/dev/null 2>"$T/ro.err"
check "read-only output: bulk exits 1" test $? -eq 1
check "read-only output: bulk says [output-error]" grep -q "error: .*\[output-error\]$" "$T/ro.err"
check "read-only output: nothing written" test -z "$(ls -A "$T/ro")"

# A conversion process that dies (here: killed) fails only its input; a fresh
# process takes the next one. convert's child, then a bulk worker.
kill_child_of() {  # waits for the process to have a child, then kills the child
    local parent=$1 child=""
    for _ in $(seq 100); do
        child=$(pgrep -P "$parent" | head -1)
        [ -n "$child" ] && break
        sleep 0.1
    done
    sleep 0.5
    [ -n "$child" ] && kill -KILL "$child"
}
"$HOSHIN" convert --timeout 60 "$T/generated/slow_page.pdf" "$SEED" -o "$T/crash" >/dev/null 2>"$T/crash.err" &
pid=$!
kill_child_of $pid
wait $pid
check "convert, child killed: exit 1" test $? -eq 1
check "convert, child killed: [worker-crashed] for that input" \
    grep -q "^hoshin: $T/generated/slow_page.pdf: error: .*signal 9.*\[worker-crashed\]$" "$T/crash.err"
check "convert, child killed: the next input converted" test -s "$T/crash/kashiwara_r3_seisakusuishin.json"
mkdir -p "$T/crash_in"; cp "$T/generated/slow_page.pdf" "$T/crash_in/a.pdf"; cp "$SEED" "$T/crash_in/b.txt"
"$HOSHIN" bulk -j 1 --timeout 60 "$T/crash_in" -o "$T/crash_bulk" >/dev/null 2>&1 &
pid=$!
kill_child_of $pid
wait $pid
check "bulk, worker killed: exit 1" test $? -eq 1
check "bulk, worker killed: [worker-crashed] for that input, the next converted" "$PY" -c "
import json,sys
e={j['path']:j for j in map(json.loads, open('$T/crash_bulk/manifest.jsonl'))}
sys.exit(0 if e['crash_in/a.pdf']['code']=='worker-crashed' and e['crash_in/b.txt']['status']=='ok' else 1)"
# A worker whose time is up is replaced: the next input goes to the new one.
"$HOSHIN" bulk -q -j 1 --timeout 1 "$T/crash_in" -o "$T/time_bulk" >/dev/null 2>&1
check "bulk, time up: exit 1" test $? -eq 1
check "bulk, time up: [timeout] for that input, the next converted" "$PY" -c "
import json,sys
e={j['path']:j for j in map(json.loads, open('$T/time_bulk/manifest.jsonl'))}
sys.exit(0 if e['crash_in/a.pdf']['code']=='timeout' and e['crash_in/b.txt']['status']=='ok' else 1)"

# A file name that is not UTF-8 (Shift_JIS, as Windows archives have): converted,
# recorded with U+FFFD in the JSON, never an abort.
mkdir -p "$T/sjis_in"
SJIS_NAME=$(printf '\x90\xad\x8d\xf4.txt')  # 政策 in Shift_JIS
cp "$SEED" "$T/sjis_in/$SJIS_NAME"
"$HOSHIN" bulk -q "$T/sjis_in" -o "$T/sjis_out" >/dev/null 2>"$T/sjis.err"
check "non-UTF-8 file name: bulk exits 0" test $? -eq 0
check "non-UTF-8 file name: manifest is UTF-8, the name with U+FFFD" "$PY" -c "
import json,sys
e=[json.loads(l) for l in open('$T/sjis_out/manifest.jsonl', encoding='utf-8')]
sys.exit(0 if len(e)==1 and e[0]['status']=='ok' and '\ufffd' in e[0]['path'] else 1)"
"$HOSHIN" convert "$T/sjis_in/$SJIS_NAME" >"$T/sjis.json" 2>/dev/null
check "non-UTF-8 file name: convert gives valid JSON" "$PY" -c "import json; json.load(open('$T/sjis.json', encoding='utf-8'))"

# SIGTERM to the whole process group (timeout(1), systemd): the input in
# flight finishes and is recorded as what it is, not as a crash.
mkdir -p "$T/term_in"; cp "$T/generated/slow_page.pdf" "$T/term_in/a.pdf"; cp "$SEED" "$T/term_in/b.txt"
timeout --preserve-status -s TERM 1 "$HOSHIN" bulk -j 1 --timeout 600 "$T/term_in" -o "$T/term_out" >/dev/null 2>&1
check "SIGTERM to the group: bulk exits 130" test $? -eq 130
check "SIGTERM to the group: the input in flight finished (not worker-crashed)" "$PY" -c "
import json,sys
e={j['path']:j for j in map(json.loads, open('$T/term_out/manifest.jsonl'))}
sys.exit(0 if e['term_in/a.pdf']['code']=='not-a-policy-document' and 'term_in/b.txt' not in e else 1)"
"$HOSHIN" bulk -q -j 1 --resume "$T/term_in" -o "$T/term_out" >/dev/null 2>&1
check "SIGTERM to the group: --resume finishes the rest" grep -q '"path":"term_in/b.txt".*"status":"ok"' "$T/term_out/manifest.jsonl"

# A parent killed outright takes its conversion child with it (no orphan
# running on without a time limit): convert's child, then a bulk worker. The
# slow page keeps the child busy for seconds, so it cannot end on its own
# within the half second the check waits.
alive() { [ -e "/proc/$1" ] && ! grep -qE '^[0-9]+ \(.*\) Z' "/proc/$1/stat" 2>/dev/null; }  # a zombie is dead
for mode in convert bulk; do
    if [ $mode = convert ]; then
        "$HOSHIN" convert --timeout 600 "$T/generated/slow_page.pdf" >/dev/null 2>&1 &
    else
        "$HOSHIN" bulk -j 1 --timeout 600 "$T/crash_in" -o "$T/orphan_out" >/dev/null 2>&1 &
    fi
    pid=$!
    child=""
    for _ in $(seq 100); do child=$(pgrep -P $pid | head -1); [ -n "$child" ] && break; sleep 0.1; done
    sleep 0.5  # the child is now inside the slow conversion, not waiting on its socket
    kill -KILL $pid; wait $pid 2>/dev/null
    gone=no
    for _ in $(seq 5); do alive "$child" || { gone=yes; break; }; sleep 0.1; done
    check "$mode: SIGKILL of the parent ends its child at once" test -n "$child" -a "$gone" = yes
    [ -n "$child" ] && kill -KILL "$child" 2>/dev/null  # an orphan, if the check failed
done

# diff over directories holding bad files: each is named, the good pair is still diffed.
mkdir -p "$T/dold" "$T/dnew"
cp samples/expected/kashiwara_r3_seisakusuishin_end.json "$T/dold/"
cp samples/expected/kashiwara_r4_seisakusuishin_end.json "$T/dnew/"
head -c 500 samples/expected/kashiwara_r3_somu.json >"$T/dold/cut.json"
ln -s loop.json "$T/dold/loop.json"
python3 -c "print('[' * 100 + ']' * 100)" >"$T/dnew/deep.json"
"$HOSHIN" diff --format json "$T/dold" "$T/dnew" >"$T/ddiff.json" 2>"$T/ddiff.err"
check "diff of directories with bad files: exit 1" test $? -eq 1
check "diff: truncated JSON named [bad-json]" grep -q "^hoshin: $T/dold/cut.json: error: .*\[bad-json\]$" "$T/ddiff.err"
check "diff: link loop named [unreadable]" grep -q "^hoshin: $T/dold/loop.json: error: symbolic link loop \[unreadable\]$" "$T/ddiff.err"
check "diff: deep nesting named [nesting-too-deep]" grep -q "^hoshin: $T/dnew/deep.json: error: .*\[nesting-too-deep\]$" "$T/ddiff.err"
check "diff: the good pair is diffed" "$PY" -c "import json,sys; sys.exit(0 if len(json.load(open('$T/ddiff.json'))['pairs']) == 1 else 1)"

# The output path equal to the input: refused, the input left intact.
mkdir -p "$T/self"
cp "$SEED" "$T/self/doc.json"
"$HOSHIN" convert "$T/self/doc.json" -o "$T/self" >/dev/null 2>"$T/self.err"
check "output == input: convert exits 1" test $? -eq 1
check "output == input: [output-is-input]" grep -q "^hoshin: $T/self/doc.json: error: .*\[output-is-input\]$" "$T/self.err"
check "output == input: input intact" cmp -s "$SEED" "$T/self/doc.json"
cp "$T/seed/kashiwara_r3_seisakusuishin.json" "$T/self/old.json"
"$HOSHIN" diff "$T/self/old.json" "$T/seed/kashiwara_r3_seisakusuishin.json" -o "$T/self/old.json" >/dev/null 2>"$T/self.err"
check "output == input: diff exits 1" test $? -eq 1
check "output == input: diff says [output-is-input]" grep -q "\[output-is-input\]$" "$T/self.err"
check "output == input: diff's input intact" cmp -s "$T/self/old.json" "$T/seed/kashiwara_r3_seisakusuishin.json"

finish
