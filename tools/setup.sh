#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages), builds hoshin, and runs the
# main job: convert everything in samples/ into out/. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
mkdir -p out
# Exit status 1 only if some sample failed to convert.
build/hoshin convert samples/*.txt -o out
echo "hoshin: converted $(ls samples/*.txt | wc -l) samples into out/ ($(ls out | wc -l) files)" >&2
