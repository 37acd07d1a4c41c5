#!/usr/bin/env bash
# Installs the Debian 12 packages hoshin builds and tests with, if missing.
#   tools/deps.sh            the build and test packages (and the ja_JP.UTF-8 locale)
#   tools/deps.sh PKG...     those packages instead (tools/producer_deps.sh)
set -euo pipefail
PACKAGES=(
  cmake ninja-build g++ pkg-config          # build
  libicu-dev libpugixml-dev nlohmann-json3-dev libcli11-dev libpoppler-cpp-dev  # libraries
  libpoppler-private-dev                    # Poppler's core: the drawn rules of tables (TextOutputDev)
  poppler-data                              # CMaps for Japanese CID fonts without ToUnicode
  unicode-data                              # EquivalentUnifiedIdeograph.txt: radicals a font's ToUnicode gives for ideographs
  libgtest-dev                              # unit tests
  python3 python3-jsonschema libxml2-utils  # schema validation by tools that are not ours
  qpdf                                      # makes encrypted and empty PDFs in the tests
  libtesseract-dev libleptonica-dev         # OCR of scanned pages (Tesseract's C++ API; Leptonica: deskew, table rules)
  tesseract-ocr-jpn                         # Tesseract's Japanese language data
  libsqlite3-dev sqlite3                    # the dataset's database; its shell reads it in the tests
  sqlite-utils                              # tests: reads the dataset as Datasette would (detect_fts, search)
  libssl-dev                                # libcrypto: SHA-256 of every input (CPU SHA extensions)
  clang libclang-rt-14-dev                  # libFuzzer for the fuzz targets (tools/fuzz)
  locales                                   # ja_JP.UTF-8: output must not depend on the locale
  procps                                    # pgrep: the tests find and kill a conversion child
  bc time                                   # the benchmark scripts: arithmetic, peak RSS (tools/bench*.sh)
  groff-base poppler-utils                  # tests: the man page is checked by groff, the printed HTML diff read by pdftotext
)
[ $# -gt 0 ] && PACKAGES=("$@")
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
[ $# -gt 0 ] && exit 0
# The Japanese locale the locale-independence test runs under.
if ! locale -a 2>/dev/null | grep -qi '^ja_JP\.utf-\?8$'; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO localedef -i ja_JP -f UTF-8 ja_JP.UTF-8
fi
