#!/usr/bin/env bash
# hoshin bulk over an archive laid out the usual way: one folder per year
# holding the same file names, PDF and text editions side by side, upper-case
# extensions, a source present twice, and broken files. Every legitimate
# input converts, each broken one fails with its own code, the manifest is as
# documented (its JSON Schema, stat's times), shards merged equal one run,
# search finds what LIKE finds, sqlite-utils detects the index, and the data
# package validates (check_search.py).
set -uo pipefail
HOSHIN=$(realpath "$1"); PYTHON=$2
SRC=$(pwd)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
A=$T/yrs
mkdir -p "$A/R3" "$A/R4/copy"
cp samples/kashiwara_r3_seisakusuishin.txt "$A/R3/政策推進部.txt"
cp samples/kashiwara_r3_seisakusuishin.pdf "$A/R3/政策推進部.pdf"          # its PDF edition, side by side
cp samples/kashiwara_r3_somu.txt "$A/R3/総務部.txt"
cp samples/kashiwara_r4_seisakusuishin_end.txt "$A/R4/政策推進部.txt"      # the same name, the next year
cp samples/kashiwara_r3_seisakusuishin_end.pdf "$A/R4/SEISAKU.PDF"        # upper-case extensions
cp samples/kashiwara_r3_seisakusuishin_end.txt "$A/R4/SEISAKU.TXT"
cp samples/kashiwara_r3_seisakusuishin.txt "$A/R4/copy/政策推進部.txt"     # the R3 source again
: >"$A/R3/empty.txt"; : >"$A/R4/empty.txt"                               # broken, under the same name
printf '%%PDF-1.4\n' >"$A/R4/cut.pdf"
printf 'not a policy\n' >"$A/R4/note.txt"
legit=7

cd "$T"
"$HOSHIN" bulk yrs/R3 yrs/R4 -o out -j 2 --jsonl-status >status.jsonl 2>err.txt
check "broken inputs: exit 1" test $? -eq 1
check "manifest: every input once (11)" test "$(wc -l <out/manifest.jsonl)" -eq 11
check "manifest lines follow schemas/hoshin-manifest-1.schema.json, as stat(2) says" "$PYTHON" - "$SRC/schemas/hoshin-manifest-1.schema.json" <<EOF
import json, os, sys, jsonschema
schema = json.load(open(sys.argv[1]))
entries = [json.loads(l) for l in open("out/manifest.jsonl", encoding="utf-8")]
for e in entries:
    jsonschema.validate(e, schema, format_checker=jsonschema.FormatChecker())
    st = os.stat(os.path.join("yrs", e["path"]))      # path is relative to the base folder, here yrs
    assert e["mtime_ns"] == st.st_mtime_ns and e["size"] == st.st_size, (e["path"], e["mtime_ns"], st.st_mtime_ns)
    assert e["input"] == os.path.join("yrs", e["path"]), e
    for o in e["outputs"]:
        assert os.path.isfile(os.path.join("out", o)), o
assert [e["path"] for e in entries] == sorted(e["path"] for e in entries)
ok = [e for e in entries if e["status"] != "error"]
assert len(ok) == $legit, [(e["path"], e["code"]) for e in entries if e["status"] == "error"]
codes = {e["path"]: e["code"] for e in entries if e["status"] == "error"}
assert codes == {"R3/empty.txt": "empty-input", "R4/empty.txt": "empty-input", "R4/cut.pdf": "pdf-truncated",
                 "R4/note.txt": "not-a-policy-document"}, codes
assert os.path.isfile("out/R3/政策推進部.pdf.json") and os.path.isfile("out/R3/政策推進部.txt.json")
assert os.path.isfile("out/R4/政策推進部.txt.json") and os.path.isfile("out/R4/SEISAKU.PDF.xml")
EOF
check "summary: one line of counts, then each failed input with its code" "$PYTHON" - <<'EOF'
lines = open("err.txt", encoding="utf-8").read().splitlines()
assert lines[0].startswith("hoshin: bulk: 11 inputs: ") and "4 failed" in lines[0], lines[0]
want = {"hoshin: yrs/R3/empty.txt: error: file is empty [empty-input]",
        "hoshin: yrs/R4/empty.txt: error: file is empty [empty-input]"}
assert want <= set(lines), lines
assert any(l.startswith("hoshin: yrs/R4/cut.pdf: error: ") and l.endswith("[pdf-truncated]") for l in lines)
assert any(l.startswith("hoshin: yrs/R4/note.txt: error: ") and l.endswith("[not-a-policy-document]") for l in lines)
assert len(lines) == 5, lines
EOF
check "status lines: one per input" test "$(wc -l <status.jsonl)" -eq 11
check "dataset checks out" "$PYTHON" "$SRC/tests/cli/check_dataset.py" out
check "the source present twice is flagged" test "$(sqlite3 out/dataset/hoshin.sqlite \
    "SELECT count(*) FROM documents d JOIN documents f ON f.document_id = d.duplicate_of
     WHERE d.source_path = 'R4/copy/政策推進部.txt' AND f.source_path = 'R3/政策推進部.txt'")" -eq 1
check "search, sqlite-utils, data package" "$PYTHON" "$SRC/tests/cli/check_search.py" out

# Reruns give the same bytes, in another locale too (created comes from the inputs).
LANG=ja_JP.UTF-8 LC_ALL=ja_JP.UTF-8 "$HOSHIN" bulk yrs/R3 yrs/R4 -o again -j 1 -q 2>/dev/null
check "a rerun (-j 1, ja_JP.UTF-8) writes the same files" diff -r -x hoshin.sqlite out again
check "... and the same database" cmp -s <(sqlite3 out/dataset/hoshin.sqlite .dump) <(sqlite3 again/dataset/hoshin.sqlite .dump)
SOURCE_DATE_EPOCH=1700000000 "$HOSHIN" bulk yrs/R3 yrs/R4 -o epoch -q --license CC0-1.0 --publisher 柏原市政策推進部 \
    --source-url https://www.city.kashiwara.osaka.jp/ 2>/dev/null
check "SOURCE_DATE_EPOCH and the metadata options reach datapackage.json" "$PYTHON" -c "
import json; p = json.load(open('epoch/dataset/datapackage.json'))
assert p['created'] == '2023-11-14T22:13:20Z', p['created']
assert p['licenses'][0]['name'] == 'CC0-1.0' and p['licenses'][0]['path'].startswith('https://creativecommons.org/publicdomain/zero/')
assert p['contributors'][0] == {'title': '柏原市政策推進部', 'role': 'publisher'}
assert p['sources'][0]['path'] == 'https://www.city.kashiwara.osaka.jp/'"

# Shards, merged, equal one run: manifest, outputs and dataset; DEST stands alone.
"$HOSHIN" bulk yrs/R3 yrs/R4 -o s1 --shard 1/2 -q 2>/dev/null
"$HOSHIN" bulk yrs/R3 yrs/R4 -o s2 --shard 2/2 -q 2>/dev/null
"$HOSHIN" merge s1 s2 -o merged 2>merge.err
check "merge: exit 1 (the failed inputs are merged too)" test $? -eq 1
check "merge: the summary lists the failures" grep -q 'yrs/R4/cut.pdf: error: .*\[pdf-truncated\]' merge.err
rm -rf s1 s2
check "merge of shards equals one run (every file)" diff -r -x hoshin.sqlite out merged
check "merge of shards equals one run (database)" cmp -s <(sqlite3 out/dataset/hoshin.sqlite .dump) <(sqlite3 merged/dataset/hoshin.sqlite .dump)
"$HOSHIN" bulk yrs/R3 -o s1 -q 2>/dev/null
cp out/manifest.jsonl before.jsonl
"$HOSHIN" merge out s1 -o out 2>merge.err
check "merge A B -o A: refused (exit 1, output-is-input)" test $? -eq 1
check "merge A B -o A: says why" grep -q '\[output-is-input\]$' merge.err
check "merge A B -o A: A's manifest untouched" cmp -s before.jsonl out/manifest.jsonl

# Options refused before any work.
"$HOSHIN" bulk yrs -o bad --encoding FOO 2>enc.err
check "--encoding FOO: usage error (exit 2)" test $? -eq 2
check "--encoding FOO: nothing written" test ! -e bad
check "--encoding FOO: one message" grep -q 'FOO' enc.err
"$HOSHIN" bulk yrs/R3 yrs/R4 -o prof -q --profile "$SRC/data/profiles/default.json" 2>/dev/null
check "--profile: the built-in profile given as a file gives the same documents" diff -r -x hoshin.sqlite out/R3 prof/R3
# The dataset's grade checks come from the profile: one with an S grade
# above A gives S in the SQLite CHECK and the Data Package's enum.
"$PYTHON" -c "
import json; p = json.load(open('$SRC/data/profiles/default.json'))
p['grades'] = ['S'] + p['grades']; json.dump(p, open('s_profile.json', 'w'), ensure_ascii=False)"
"$HOSHIN" bulk yrs/R3 -o sprof -q --profile s_profile.json 2>/dev/null
check "--profile with grade S: the SQLite check allows S" \
    bash -c "sqlite3 sprof/dataset/hoshin.sqlite '.schema goals' | grep -q \"evaluation_grade IN ('S', 'A', 'B', 'C', 'D', 'E')\""
check "--profile with grade S: the Data Package's enum has S first" "$PYTHON" -c "
import json, sys
p = json.load(open('sprof/dataset/datapackage.json'))
enums = [f['constraints']['enum'] for r in p['resources'] for f in r['schema']['fields'] if 'enum' in f.get('constraints', {})]
sys.exit(0 if enums and all(e == ['S', 'A', 'B', 'C', 'D', 'E'] for e in enums) else 1)"
check "without --profile: A to E" bash -c "sqlite3 prof/dataset/hoshin.sqlite '.schema targets' | grep -q \"grade IN ('A', 'B', 'C', 'D', 'E')\""
# Shards made with that profile merge under its grades, not the built-in A-E.
"$HOSHIN" bulk yrs/R3 -o ss1 --shard 1/2 -q --profile s_profile.json 2>/dev/null
"$HOSHIN" bulk yrs/R3 -o ss2 --shard 2/2 -q --profile s_profile.json 2>/dev/null
"$HOSHIN" merge ss1 ss2 -o smerged 2>smerge.err
check "merge of --profile shards: the dataset is built" test -s smerged/dataset/hoshin.sqlite
check "merge of --profile shards: their grades (S first) in the checks" \
    bash -c "sqlite3 smerged/dataset/hoshin.sqlite '.schema goals' | grep -q \"evaluation_grade IN ('S', 'A', 'B', 'C', 'D', 'E')\""
printf '{' >broken_profile.json
"$HOSHIN" bulk yrs -o bad --profile broken_profile.json 2>/dev/null
check "--profile with a broken profile: usage error (exit 2)" test $? -eq 2
finish
