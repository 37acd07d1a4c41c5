#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs the whole
# test suite (unit tests, CLI, goldens, schema validation) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci
