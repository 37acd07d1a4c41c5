#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs the whole
# test suite (unit tests, CLI, goldens, schema validation, PDF, bulk, diff and
# the browser test) with CTest; then the same suite under ASan + UBSan, the
# process-pool tests (bulk, bad inputs, CLI) under ThreadSanitizer, and every
# fuzz target for a short, bounded time (tools/fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan
ctest --preset asan-ubsan
cmake --preset tsan >/dev/null
cmake --build --preset tsan
ctest --preset tsan
bash tools/fuzz "${HOSHIN_FUZZ_SECONDS:-10}"
