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
  python3-pil img2pdf                               # scans of our PDFs: grey, skewed, speckled, image-only (tools/make_scans.py)
)
exec bash "$(dirname "$0")/deps.sh" "${PACKAGES[@]}"
