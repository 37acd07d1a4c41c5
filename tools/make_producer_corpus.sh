#!/usr/bin/env bash
# Rebuilds tests/producers/: the sample text editions written as PDF by five
# independent producers, and each folder's cases.tsv (what producers_test reads).
#   bash tools/producer_deps.sh          # the producers and fonts (not needed by the tests)
#   bash tools/make_producer_corpus.sh [writer|calc|chromium|wkhtmltopdf|reportlab ...]
# The PDFs are deterministic for a given set of package versions (dates and /ID
# fixed); a rebuild after a package upgrade may change bytes, never fields:
# producers_test says whether they still give their text editions' documents.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3            # Debian's Python: python3-reportlab lives there
S=samples
END=$S/kashiwara_r3_seisakusuishin_end.txt
want=("$@"); [ ${#want[@]} -gt 0 ] || want=(writer calc chromium wkhtmltopdf reportlab)
export TZ=UTC

for p in "${want[@]}"; do
    case $p in
    writer)
        d=tests/producers/writer; mkdir -p $d
        # Noto Serif CJK (OpenType CFF), narrow padding, goal numbers and titles spanned
        $PY tools/make_pdfs.py --no-check $S/kashiwara_r3_seisakusuishin.txt -o $d/seisakusuishin.pdf \
            --font "Noto Serif CJK JP" --cell-padding 0.8 --span-summary
        # TakaoPGothic (proportional), wide padding, goal 2's table broken over a page
        $PY tools/make_pdfs.py --no-check $END -o $d/seisakusuishin_end.pdf \
            --font TakaoPGothic --cell-padding 3.0 --split-goal 2
        $PY tools/make_pdfs.py --no-check $S/kashiwara_r4_seisakusuishin_end.txt -o $d/r4_end.pdf \
            --font IPAexMincho --span-summary
        $PY tools/make_pdfs.py --no-check --compile $END $S/kashiwara_r3_somu.txt -o $d/compiled.pdf \
            --font "Noto Serif CJK JP" --span-summary
        printf '%s\n' "seisakusuishin.pdf	kashiwara_r3_seisakusuishin.txt" \
            "seisakusuishin_end.pdf	kashiwara_r3_seisakusuishin_end.txt" \
            "r4_end.pdf	kashiwara_r4_seisakusuishin_end.txt" \
            "compiled.pdf	kashiwara_r3_seisakusuishin_end.txt kashiwara_r3_somu.txt" >$d/cases.tsv
        ;;
    calc)
        d=tests/producers/calc; mkdir -p $d
        $PY tools/make_pdfs.py --no-check --calc $S/kashiwara_r3_seisakusuishin.txt -o $d/seisakusuishin.pdf \
            --font TakaoPGothic
        $PY tools/make_pdfs.py --no-check --calc $S/kashiwara_r4_seisakusuishin_end.txt -o $d/r4_end.pdf \
            --font IPAexMincho
        $PY tools/make_pdfs.py --no-check --calc --compile $END $S/kashiwara_r3_somu.txt -o $d/compiled.pdf \
            --font TakaoGothic
        printf '%s\n' "seisakusuishin.pdf	kashiwara_r3_seisakusuishin.txt" \
            "r4_end.pdf	kashiwara_r4_seisakusuishin_end.txt" \
            "compiled.pdf	kashiwara_r3_seisakusuishin_end.txt kashiwara_r3_somu.txt" >$d/cases.tsv
        ;;
    chromium | wkhtmltopdf)
        $PY tools/make_html_pdfs.py --no-check --corpus --producer "$p" >/dev/null ;;
    reportlab)
        $PY tools/make_reportlab_pdfs.py --no-check --corpus ;;
    *)
        echo "make_producer_corpus: unknown producer $p" >&2; exit 2 ;;
    esac
    echo "tests/producers/$p rebuilt" >&2
done
