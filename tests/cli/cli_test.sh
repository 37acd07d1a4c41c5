#!/usr/bin/env bash
# End-to-end checks of `hoshin convert`: exit statuses, one-line errors with
# stable codes, no partial output, the batch carrying on, determinism.
set -uo pipefail
HOSHIN=$(realpath "$1")
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SEED=samples/kashiwara_r3_seisakusuishin.txt

# Usage and meta
"$HOSHIN" --help >"$T/help" 2>&1; check "help exits 0" test $? -eq 0
check "help mentions convert" grep -q convert "$T/help"
check "version" bash -c "'$HOSHIN' --version | grep -qx 'hoshin [0-9.]*'"
"$HOSHIN" >/dev/null 2>&1; check "no subcommand is a usage error" test $? -eq 2
"$HOSHIN" convert --bogus "$SEED" >/dev/null 2>&1; check "unknown option exits 2" test $? -eq 2
"$HOSHIN" convert --format yaml "$SEED" >/dev/null 2>&1; check "bad --format exits 2" test $? -eq 2
"$HOSHIN" convert "$SEED" "$SEED" >/dev/null 2>&1; check "two inputs without -o exits 2" test $? -eq 2
"$HOSHIN" convert --format both "$SEED" >/dev/null 2>&1; check "both without -o exits 2" test $? -eq 2
"$HOSHIN" convert --municipality-code 272214 "$SEED" >/dev/null 2>"$T/err"; check "bad municipality code exits 2" test $? -eq 2
check "bad code message names the option" grep -q -- '--municipality-code' "$T/err"

# One input, JSON on stdout, nothing on stderr
"$HOSHIN" convert "$SEED" >"$T/seed.json" 2>"$T/err"; check "seed converts" test $? -eq 0
check "seed: stderr empty" test ! -s "$T/err"
check "seed: stdout is one JSON document" /usr/bin/python3 -c "import json,sys; d=json.load(open('$T/seed.json')); sys.exit(0 if len(d['goals'])==6 else 1)"
"$HOSHIN" convert --municipality 柏原市 --municipality-code 272213 "$SEED" >"$T/m.json"
check "municipality options" /usr/bin/python3 -c "import json,sys; d=json.load(open('$T/m.json')); sys.exit(0 if d['municipality']=={'name':'柏原市','code':'272213'} else 1)"

# Determinism: byte-identical under different locales and runs
LANG=C LC_ALL=C "$HOSHIN" convert "$SEED" >"$T/c.json"
LANG=ja_JP.UTF-8 LC_ALL=ja_JP.UTF-8 "$HOSHIN" convert "$SEED" >"$T/ja.json" 2>/dev/null
check "same bytes under LANG=C and ja_JP.UTF-8" cmp -s "$T/c.json" "$T/ja.json"
check "same bytes on a second run" cmp -s "$T/c.json" "$T/seed.json"

# Bad inputs: each a one-line error with its code, no output, the rest converted
mkdir -p "$T/in" "$T/out"
cp "$SEED" "$T/in/good.txt"
: >"$T/in/empty.txt"
head -c 4096 /dev/urandom >"$T/in/binary.txt"; printf '\0\0\0' >>"$T/in/binary.txt"
cp tests/data/not_policy.txt "$T/in/notpolicy.txt"
printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n' >"$T/in/scan.pdf"
mkdir "$T/in/adir"
"$HOSHIN" convert "$T/in/missing.txt" "$T/in/adir" "$T/in/empty.txt" "$T/in/binary.txt" "$T/in/notpolicy.txt" \
    "$T/in/scan.pdf" "$T/in/good.txt" -o "$T/out" >"$T/stdout" 2>"$T/err"
check "batch with bad inputs exits 1" test $? -eq 1
check "batch: stdout empty with -o" test ! -s "$T/stdout"
for pair in missing.txt:not-found adir:is-directory empty.txt:empty-input binary.txt:binary-input \
            notpolicy.txt:not-a-policy-document scan.pdf:pdf-truncated; do
    f=${pair%%:*}; code=${pair#*:}
    check "$f -> [$code] on one line" test "$(grep -c "^hoshin: $T/in/$f: error: .* \[$code\]\$" "$T/err")" -eq 1
    check "$f -> no output" bash -c "! ls '$T/out/${f%.*}'.* >/dev/null 2>&1"
done
check "six error lines in all" test "$(wc -l <"$T/err")" -eq 6
check "good input still converted (json)" test -s "$T/out/good.json"
check "good input still converted (xml)" test -s "$T/out/good.xml"
check "no temp files left" bash -c "! ls '$T/out' | grep -q '\.tmp\.'"

# --format selects the writers
mkdir "$T/fx"
"$HOSHIN" convert --format xml "$SEED" -o "$T/fx"
check "--format xml writes only xml" bash -c "test -s '$T/fx/kashiwara_r3_seisakusuishin.xml' && ! test -e '$T/fx/kashiwara_r3_seisakusuishin.json'"

# A document with sections missing converts, with warnings
"$HOSHIN" convert tests/data/missing_sections.txt >"$T/ms.json" 2>"$T/err"; check "missing sections: exit 0" test $? -eq 0
check "missing sections: warnings name the code" grep -q '\[missing-section\]' "$T/err"
"$HOSHIN" convert -q tests/data/missing_sections.txt >/dev/null 2>"$T/err"; check "--quiet silences warnings" test ! -s "$T/err"

# Output collisions and output == input
mkdir -p "$T/a" "$T/b" "$T/col"
cp "$SEED" "$T/a/doc.txt"; cp "$SEED" "$T/b/doc.txt"
"$HOSHIN" convert "$T/a/doc.txt" "$T/b/doc.txt" -o "$T/col" 2>"$T/err"; check "collision exits 1" test $? -eq 1
check "collision reported" grep -q "^hoshin: $T/b/doc.txt: error: .*\[output-collision\]$" "$T/err"
cp "$SEED" "$T/col/self.json"
"$HOSHIN" convert "$T/col/self.json" -o "$T/col" 2>"$T/err"; check "output == input exits 1" test $? -eq 1
check "output == input reported" grep -q '\[output-is-input\]$' "$T/err"
check "input left intact" cmp -s "$SEED" "$T/col/self.json"

# Outputs placed in batches (256 inputs or half a second, one syncfs each):
# 300 inputs span two batches; every output is there, whole, and no
# temporary file is left.
mkdir -p "$T/many"
for i in $(seq -w 1 300); do cp "$SEED" "$T/many/d$i.txt"; done
"$HOSHIN" convert -q "$T/many"/*.txt -o "$T/many_out"; check "300 inputs: exit 0" test $? -eq 0
check "300 inputs: 600 outputs" test "$(ls "$T/many_out" | grep -c -E '\.(json|xml)$')" -eq 600
check "300 inputs: no temporary file" bash -c "! ls -A '$T/many_out' | grep -q '\.tmp\.'"
check "300 inputs: every JSON whole" /usr/bin/python3 -c "
import glob, json
for f in glob.glob('$T/many_out/*.json'): json.load(open(f, encoding='utf-8'))"

# Ctrl-C (SIGINT) in the middle of a run: the input in flight finishes, what
# was converted is written (JSON and XML of an input, or neither), no
# temporary file is left, exit 130 with a message; the rest is not started.
mkdir -p "$T/more"
for i in $(seq -w 1 3000); do ln -s "$(realpath "$SEED")" "$T/more/d$i.txt"; done
"$HOSHIN" convert -q "$T/more"/*.txt -o "$T/int_out" 2>"$T/int.err" &
pid=$!
for _ in $(seq 100); do [ -n "$(ls -A "$T/int_out" 2>/dev/null)" ] && break; sleep 0.05; done
kill -INT $pid; wait $pid; rc=$?
check "SIGINT: exit 130" test $rc -eq 130
check "SIGINT: one message" grep -q '^hoshin: interrupted' "$T/int.err"
check "SIGINT: no temporary file" bash -c "! ls -A '$T/int_out' | grep -q '\.tmp\.'"
check "SIGINT: some inputs written, not all" bash -c "n=\$(ls '$T/int_out' | grep -c '\.json\$'); [ \$n -gt 0 ] && [ \$n -lt 3000 ]"
check "SIGINT: each written input has its JSON and XML, whole" /usr/bin/python3 -c "
import glob, json, os
for f in glob.glob('$T/int_out/*.json'):
    json.load(open(f, encoding='utf-8'))
    assert os.path.exists(f[:-5] + '.xml'), f
for f in glob.glob('$T/int_out/*.xml'):
    assert os.path.exists(f[:-4] + '.json'), f"

# Output directory not writable (only meaningful when not root)
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$T/ro"; chmod 555 "$T/ro"
    "$HOSHIN" convert "$SEED" -o "$T/ro" 2>"$T/err"; check "read-only output dir exits 1" test $? -eq 1
    check "read-only output reported" grep -q '\[output-error\]$' "$T/err"
fi

finish
