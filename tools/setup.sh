#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages), builds hoshin, and runs the
# main job: convert everything in samples/ into out/. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
# Text and PDF editions of a sample share a name, so they go to two folders.
build/hoshin convert -q samples/*.txt -o out/text
build/hoshin convert -q samples/*.pdf -o out/pdf
echo "hoshin: converted $(ls samples/*.txt samples/*.pdf | wc -l) samples into out/text and out/pdf ($(ls out/text out/pdf | grep -c '\.json$') documents)" >&2
