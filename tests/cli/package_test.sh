#!/usr/bin/env bash
# The library as others use it: `cmake --install` of this build into a
# scratch prefix, a separate project (tests/package/consumer) found it with
# find_package(hoshin CONFIG), built against its public headers only, and
# converting the seed through the API gives what `hoshin convert` gives.
set -uo pipefail
BUILD=$(realpath "$1"); HOSHIN=$(realpath "$2")
SRC=$(pwd)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SEED=samples/kashiwara_r3_seisakusuishin.txt
cmake --install "$BUILD" --prefix "$T/prefix" >"$T/install.log" 2>&1
check "cmake --install into a prefix" test $? -eq 0
check "installed: the public headers, not src/'s" bash -c "test -f '$T/prefix/include/hoshin/hoshin.h' && test -f '$T/prefix/include/hoshin/version.h' && ! test -e '$T/prefix/include/convert'"
cmake -S "$SRC/tests/package/consumer" -B "$T/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$T/prefix" >"$T/configure.log" 2>&1
check "find_package(hoshin CONFIG REQUIRED) finds the installed package" test $? -eq 0
# The consumer sees only the installed headers: hoshin's src/ is not on its include path.
cmake --build "$T/consumer" >"$T/build.log" 2>&1
check "a program builds against hoshin::hoshin" test $? -eq 0
check "its include path is the prefix, not hoshin's source tree" bash -c "! grep -q -- '-I$SRC/src' '$T/consumer/build.ninja'"
"$T/consumer/consumer" "$SEED" >"$T/api.json" 2>"$T/api.err"
check "the API converts the seed" test $? -eq 0
"$HOSHIN" convert -q "$SEED" >"$T/cli.json"
check "the API's JSON is the command line's" cmp -s "$T/api.json" "$T/cli.json"
check "the version comes from project(VERSION)" grep -q "^hoshin $("$HOSHIN" --version | cut -d' ' -f2): 1 document(s)$" "$T/api.err"
"$T/consumer/consumer" "$T/missing.txt" 2>"$T/missing.err"
check "an error comes back with its code" bash -c "[ $? -eq 1 ] && grep -q '^not-found: ' '$T/missing.err'"
[ -s "$T/build.log" ] && [ "$fails" -gt 0 ] && tail -20 "$T/configure.log" "$T/build.log"
finish
