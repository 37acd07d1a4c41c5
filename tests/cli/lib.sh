# Sourced by the CLI test scripts: a scratch folder $T, removed on exit
# (made writable first: some tests take permissions away), and
#   check NAME COMMAND...   runs COMMAND, prints "ok   NAME" or "FAIL NAME"
#                           and counts the failures;
#   finish                  prints the count; its status is the script's.
T=$(mktemp -d)
cleanup() { chmod -R u+rwX "$T" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fails=0
check() {
    local name=$1; shift
    if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
finish() {
    echo "$fails failure(s)"
    test "$fails" -eq 0
}
