#!/usr/bin/env bash
# The command line as a user meets it: usage errors that name the real
# problem, messages without library internals, diff and timeline warnings,
# links in the HTML diff that resolve from the page's own folder, the
# deletion-first inline diff, --exit-code, stdin, XML on stdout and JSON Lines.
set -uo pipefail
HOSHIN=$(realpath "$1"); PYTHON=${2:-/usr/bin/python3}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# first_line CMD...: runs hoshin with LANG=C, keeps the exit status in $rc and stderr's first line in $err1
first_line() {
    LANG=C LC_ALL=C LC_MESSAGES= "$HOSHIN" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    err1=$(head -n 1 "$T/err")
}
OLD=samples/kashiwara_r3_seisakusuishin_end.txt
NEW=samples/kashiwara_r4_seisakusuishin_end.txt
SEED=samples/kashiwara_r3_seisakusuishin.txt

# Usage errors name the real problem, with the hoshin: prefix, exit 2.
first_line frobnicate
check "unknown subcommand named (exit 2)" test "$rc" -eq 2 -a "$err1" = "hoshin: unknown subcommand 'frobnicate'"
first_line --frob
check "unknown top-level option named (exit 2)" test "$rc" -eq 2 -a "$err1" = "hoshin: unknown option '--frob'"
first_line convert -x "$SEED"
check "unknown subcommand option named (exit 2)" test "$rc" -eq 2 -a "$err1" = "hoshin: convert: unknown option '-x'"
first_line convert -x
check "unknown option before a missing INPUT is named first" test "$rc" -eq 2 -a "$err1" = "hoshin: convert: unknown option '-x'"
first_line convert --timeout abc "$SEED"
check "--timeout abc: not a number (exit 2)" test "$rc" -eq 2 -a "$err1" = "hoshin: convert: --timeout: 'abc' is not a whole number"
first_line convert --timeout 99999999 "$SEED"
check "--timeout out of range says its range" test "$rc" -eq 2 -a "$err1" = "hoshin: convert: --timeout: 99999999 is not in 0..86400"
first_line convert
check "missing INPUT" test "$rc" -eq 2 -a "$err1" = "hoshin: convert: INPUT is required"
first_line convert --format yaml "$SEED"
check "bad --format lists the choices" test "$rc" -eq 2 -a "$err1" = "hoshin: convert: --format: 'yaml' is not one of json, xml, both, jsonl"
first_line
check "no subcommand" test "$rc" -eq 2 -a "$err1" = "hoshin: a subcommand is required (convert, bulk, merge, diff, timeline, layout)"
check "usage errors point to --help" grep -q "^Run 'hoshin --help' for usage.$" "$T/err"
first_line diff "$OLD"
check "diff with one side: NEW is required" test "$rc" -eq 2 -a "$err1" = "hoshin: diff: NEW is required"
first_line convert --password "-x" "$SEED"
check "an option's value that starts with '-' is a value, not an option" test "$rc" -eq 0
LANG=C "$HOSHIN" timeline --help >"$T/tl-help"
check "timeline --help says two or more editions" grep -q "two or more editions" "$T/tl-help"
check "timeline --help no longer says three" bash -c "! grep -qi 'three or more' '$T/tl-help'"

# A JSON without schema_version: what is missing, not library internals.
"$HOSHIN" convert -q "$OLD" >"$T/old.json"
"$PYTHON" -c "
import json,sys; d=json.load(open('$T/old.json')); del d['schema_version']; json.dump(d, open('$T/noversion.json','w'), ensure_ascii=False)
d=json.load(open('$T/old.json')); d['goals'][1]['title']=5; json.dump(d, open('$T/badtitle.json','w'), ensure_ascii=False)"
first_line diff "$T/noversion.json" "$NEW"
check "missing schema_version named (exit 1)" test "$rc" -eq 1 -a "$err1" = "hoshin: $T/noversion.json: error: schema_version is missing [bad-json]"
first_line diff "$T/badtitle.json" "$NEW"
check "a wrongly typed field named with its place" test "$rc" -eq 1 -a "$err1" = "hoshin: $T/badtitle.json: error: goals[1].title must be a string, not a number [bad-json]"
check "no json.exception in messages" bash -c "! grep -q 'json.exception' '$T/err'"

# diff of two departments warns; timeline is ordered by fiscal year.
first_line diff samples/kashiwara_r3_somu.txt "$OLD"
check "department mismatch warned (still a diff, exit 0)" test "$rc" -eq 0
check "department mismatch message" grep -q "warning: the editions are of different departments (総務部, 政策推進部) \[different-departments\]" "$T/err"
first_line diff samples/kashiwara_r3_somu.txt "$OLD" --format json
check "department mismatch in the JSON" "$PYTHON" -c "
import json,sys; d=json.load(open('$T/out')); sys.exit(0 if [w['code'] for w in d['warnings']]==['different-departments'] else 1)"
first_line timeline "$NEW" "$OLD" --format json
check "timeline out of order: warned" grep -q "warning: editions reordered by fiscal year \[editions-reordered\]" "$T/err"
check "timeline out of order: oldest first in the output" "$PYTHON" -c "
import json,sys; t=json.load(open('$T/out'))['timelines'][0]; sys.exit(0 if [e['fiscal_year'] for e in t['editions']]==[2021,2022] else 1)"

# The inline diff puts deletions first, in text, JSON and HTML.
"$HOSHIN" diff "$OLD" "$NEW" --no-color >"$T/d.txt"
check "text: [-old-]{+new+}" grep -q '\[-フェイスブック-\]{+LINE+}' "$T/d.txt"
"$HOSHIN" diff "$OLD" "$NEW" --format json >"$T/d.json"
check "JSON: delete before insert" "$PYTHON" -c "
import json,sys
d=json.load(open('$T/d.json'))
bad=[c['field'] for g in d['goals'] for c in g['changes'] for a,b in zip(c['inline'] or [], (c['inline'] or [])[1:]) if a['op']=='insert' and b['op']=='delete']
sys.exit(1 if bad else 0)"

# HTML links resolve from the page's folder, and survive moving page and sources together.
mkdir -p "$T/proj/samples" "$T/proj/reports"
cp samples/kashiwara_r3_seisakusuishin_end.pdf "$NEW" "$T/proj/samples/"
(cd "$T/proj" && "$HOSHIN" diff samples/kashiwara_r3_seisakusuishin_end.pdf samples/kashiwara_r4_seisakusuishin_end.txt \
    --format html -o reports/diff.html) || echo "FAIL html diff"
links_resolve() {  # links_resolve HTML: every page link names an existing file relative to the page
    "$PYTHON" - "$1" <<'PY'
import os, re, sys, urllib.parse
page = sys.argv[1]
hrefs = re.findall(r'<a class="page" href="([^"]+)"', open(page, encoding="utf-8").read())
if not hrefs: sys.exit("no page links")
for h in hrefs:
    assert not h.startswith("/"), h
    target = urllib.parse.unquote(h.split("#")[0])
    if not os.path.isfile(os.path.join(os.path.dirname(page), target)): sys.exit("does not resolve: " + h)
PY
}
check "HTML page links resolve from the page's folder" links_resolve "$T/proj/reports/diff.html"
mv "$T/proj" "$T/moved"
check "HTML page links survive moving page and sources together" links_resolve "$T/moved/reports/diff.html"

# --exit-code: 1 when the editions differ, 0 when they do not.
"$HOSHIN" diff "$OLD" "$NEW" --exit-code >/dev/null; rc=$?
check "--exit-code: differing editions exit 1" test "$rc" -eq 1
"$HOSHIN" diff "$OLD" "$OLD" --exit-code >/dev/null; rc=$?
check "--exit-code: same edition exits 0" test "$rc" -eq 0
"$HOSHIN" diff "$T/missing.json" "$OLD" --exit-code >/dev/null 2>&1; rc=$?
check "--exit-code: an input that fails exits 3" test "$rc" -eq 3

# Standard input, XML on stdout, JSON Lines.
"$HOSHIN" convert "$SEED" >"$T/seed.json"
"$HOSHIN" convert - <"$SEED" >"$T/stdin.json"; rc=$?
check "convert - reads standard input (exit 0)" test "$rc" -eq 0
check "convert -: the same document, source.path '-'" "$PYTHON" -c "
import json,sys; a=json.load(open('$T/seed.json')); b=json.load(open('$T/stdin.json'))
sys.exit(0 if b['source']['path']=='-' and a['goals']==b['goals'] and a['source']['sha256']==b['source']['sha256'] else 1)"
mkdir -p "$T/o"
cat "$SEED" | "$HOSHIN" convert -q - -o "$T/o"
check "convert - -o DIR writes stdin.json and stdin.xml" test -s "$T/o/stdin.json" -a -s "$T/o/stdin.xml"
"$HOSHIN" convert - </dev/null >/dev/null 2>"$T/err" ; rc=$?
check "an empty standard input fails with empty-input" bash -c "[ $rc -eq 1 ] && grep -q '^hoshin: -: error: .*\[empty-input\]$' '$T/err'" </dev/null
first_line convert - - 
check "standard input twice is a usage error" test "$rc" -eq 2
mkdir -p "$T/x"
"$HOSHIN" convert -q "$SEED" -o "$T/x" --format xml
"$HOSHIN" convert --format xml "$SEED" >"$T/seed.xml"; rc=$?
check "--format xml without -o: the XML on stdout, same bytes as the file" bash -c "[ $rc -eq 0 ] && cmp -s '$T/seed.xml' '$T/x/kashiwara_r3_seisakusuishin.xml'"
first_line convert --format xml samples/kashiwara_r3_compiled.pdf
check "XML on stdout of a compiled PDF: several-documents" bash -c "[ $rc -eq 1 ] && grep -q '\[several-documents\]' '$T/err'"
"$HOSHIN" convert -q --format jsonl "$SEED" samples/kashiwara_r3_somu.txt "$T/nothing.txt" samples/kashiwara_r3_compiled.pdf >"$T/all.jsonl" 2>"$T/err"; rc=$?
check "--format jsonl: a failed input exits 1 and says so" bash -c "[ $rc -eq 1 ] && grep -q 'nothing.txt: error: .*\[not-found\]' '$T/err'"
check "--format jsonl: one compact line per document, in input order" "$PYTHON" -c "
import json,sys
lines=open('$T/all.jsonl',encoding='utf-8').read().split('\n')
assert lines[-1]=='', 'ends with a newline'
docs=[json.loads(l) for l in lines[:-1]]
seed=json.load(open('$T/seed.json'))
assert docs[0]==seed and docs[1]['department']['name']=='総務部' and len(docs)>=4, len(docs)
assert all(d['source']['path']=='samples/kashiwara_r3_compiled.pdf' for d in docs[2:])
"
first_line convert --format jsonl "$SEED" -o "$T/o"
check "--format jsonl with -o is a usage error" test "$rc" -eq 2

# Japanese messages and help when the locale is Japanese; codes, files and severities unchanged.
LANG=ja_JP.UTF-8 LC_ALL= LC_MESSAGES= "$HOSHIN" --help >"$T/ja-help"
check "--help in Japanese under LANG=ja_JP.UTF-8" bash -c "grep -q '^使い方:$' '$T/ja-help' && grep -q '^コード:$' '$T/ja-help'"
LANG=ja_JP.UTF-8 "$HOSHIN" convert --help >"$T/ja-convert-help"
check "convert --help in Japanese" bash -c "grep -q 'オプション' '$T/ja-convert-help' && grep -q '標準入力' '$T/ja-convert-help'"
LANG=ja_JP.UTF-8 "$HOSHIN" frobnicate 2>"$T/ja-err"; rc=$?
check "a usage error in Japanese (exit 2)" bash -c "[ $rc -eq 2 ] && grep -qx \"hoshin: 不明なサブコマンドです: 'frobnicate'\" '$T/ja-err'"
: >"$T/empty.txt"
LANG=ja_JP.UTF-8 "$HOSHIN" convert "$T/empty.txt" 2>"$T/ja-err" >/dev/null; rc=$?
check "a file's error in Japanese, file, severity and code kept" bash -c "[ $rc -eq 1 ] && grep -qx 'hoshin: $T/empty.txt: error: 0 バイトのファイルです (file is empty) \[empty-input\]' '$T/ja-err'"
LC_ALL=C LANG=ja_JP.UTF-8 "$HOSHIN" frobnicate 2>"$T/c-err"
check "LC_ALL=C wins over LANG (English)" grep -q "unknown subcommand" "$T/c-err"
LANG=ja_JP.UTF-8 "$HOSHIN" diff samples/kashiwara_r3_somu.txt "$OLD" 2>"$T/ja-err" >/dev/null
check "a diff warning in Japanese" grep -q "warning: 部局の異なる版を比べています (総務部, 政策推進部) \[different-departments\]" "$T/ja-err"
LANG=ja_JP.UTF-8 "$HOSHIN" diff "$OLD" "$NEW" --format json >"$T/ja.json"
"$HOSHIN" diff "$OLD" "$NEW" --format json >"$T/c.json"
check "data does not depend on the locale" cmp -s "$T/ja.json" "$T/c.json"
check "every message key the CLI uses is in messages.tsv" "$PYTHON" -c "
import re,sys
keys={l.split('\t')[0] for l in open('src/cli/messages.tsv',encoding='utf-8') if not l.startswith('#')}
used=set()
for f in ['src/cli/main.cpp','src/cli/args.cpp','src/cli/commands.cpp']:
    used|=set(re.findall(r'\b(?:m_?|tr)\(\"([a-z:.-]+)\"', open(f).read()))
missing=sorted(used-keys); print(missing) if missing else None; sys.exit(1 if missing or len(used)<30 else 0)"
check "help.en.txt and help.ja.txt list the same codes" bash -c "cmp -s <(sed -n '/^Codes:$/,\$p' src/cli/help.en.txt | grep '^  [a-z]') <(sed -n '/^コード:$/,\$p' src/cli/help.ja.txt | grep '^  [a-z]')"

# The README's usage block and code table are --help's, exactly.
LANG=C "$HOSHIN" --help >"$T/help"
check "README usage block = --help usage" cmp <(sed -n '/^## Usage$/,/^```$/p' README.md | sed -n '/^```sh$/,/^```$/p' | sed '1d;$d') \
    <(sed -n '/^Usage:$/,/^$/p' "$T/help" | sed '1d;$d')
readme_codes() {
    "$PYTHON" -c "
import re
lines=open('README.md',encoding='utf-8').read().split('\n')
i=lines.index('| code | meaning |')+2
while lines[i].startswith('|'):
    code, meaning = [c.strip() for c in lines[i].strip().strip('|').split(' | ', 1)]
    clean = lambda t: re.sub(r'\[([^\]]+)\]\([^)]+\)', r'\1', t.replace('\`', ''))
    print('  ' + clean(code)); print('      ' + clean(meaning)); i += 1"
}
check "README code table = --help codes" cmp <(readme_codes) <(sed -n '/^Codes:$/,$p' "$T/help" | sed 1d)

# The man page and the completion offer exactly each command's options.
MAN=$(dirname "$HOSHIN")/hoshin.1
check "man page built beside the binary, groff finds no problem" bash -c "test -s '$MAN' && [ -z \"\$(groff -k -Tutf8 -man -ww -z '$MAN' 2>&1)\" ]"
for cmd in convert bulk merge diff timeline layout; do
    LANG=C "$HOSHIN" $cmd --help | grep -oE '(^|[ ,])--?[a-z][a-z-]*' | tr -d ' ,' | sort -u >"$T/opts.$cmd"
    bash -c "source src/cli/hoshin.bash; COMP_WORDS=(hoshin $cmd -); COMP_CWORD=2; _hoshin; printf '%s\n' \"\${COMPREPLY[@]}\"" | sort -u >"$T/comp.$cmd"
    check "bash completion of '$cmd' = its --help options" cmp -s "$T/opts.$cmd" "$T/comp.$cmd"
    check "man page lists the options of '$cmd'" "$PYTHON" -c "
import sys
man = open('$MAN', encoding='utf-8').read().replace('\\\\-', '-')
sys.exit(0 if all(o in man for o in open('$T/opts.$cmd').read().split()) else 1)"
done
cmake --install "$(dirname "$HOSHIN")" --prefix "$T/inst" >/dev/null 2>&1
check "cmake --install puts the binary, the man page and the completion in place" \
    test -x "$T/inst/bin/hoshin" -a -s "$T/inst/share/man/man1/hoshin.1" -a -s "$T/inst/share/bash-completion/completions/hoshin"
bash -c "source src/cli/hoshin.bash; COMP_WORDS=(hoshin ti); COMP_CWORD=1; _hoshin; echo \"\${COMPREPLY[@]}\"" >"$T/comp"
check "completion of a command name" grep -qx timeline "$T/comp"
bash -c "source src/cli/hoshin.bash; COMP_WORDS=(hoshin timeline --format ''); COMP_CWORD=3; _hoshin; echo \"\${COMPREPLY[@]}\"" >"$T/comp"
check "completion of --format values per command" grep -qx "text json csv html" "$T/comp"

finish
