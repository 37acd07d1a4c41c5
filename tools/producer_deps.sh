#!/usr/bin/env bash
# Installs the Debian 12 packages that write the PDF test corpus (tests/producers/,
# tools/make_producer_corpus.sh) and the PDF benchmark corpus (tools/bench_pdf.sh):
# the producers and their fonts. The build and the tests do not need them: they
# read the PDFs already committed.
set -euo pipefail
PACKAGES=(
  libreoffice-writer-nogui libreoffice-calc-nogui   # Writer tables and Calc sheets (tools/make_pdfs.py)
  chromium wkhtmltopdf                              # HTML tables printed by Blink and by Qt WebKit (tools/make_html_pdfs.py)
  python3-reportlab                                 # a report program's own layout (tools/make_reportlab_pdfs.py)
  fonts-ipaexfont-gothic fonts-ipaexfont-mincho fonts-takao-gothic fonts-noto-cjk
  poppler-utils qpdf                                # pdfinfo/pdffonts/pdftotext reports; the benchmark's page concatenation
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "hoshin: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
