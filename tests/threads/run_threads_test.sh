#!/bin/sh
# run_threads_test.sh — run one wasi-threads program and compare what it did
# with EXPECTED: its stdout, its stderr lines as "stderr: ...", and the exit
# status as "[exit N]".  A program that hangs fails after $W2N_THREADS_TIMEOUT
# seconds (default 60).
#   run_threads_test.sh EXPECTED COMMAND...
set -u
expected=$1
shift
out=$(mktemp "${TMPDIR:-/tmp}/w2n-threads.XXXXXX") || exit 1
trap 'rm -f "$out" "$out.err"' EXIT
timeout "${W2N_THREADS_TIMEOUT:-60}" "$@" >"$out" 2>"$out.err"
status=$?
# A trap's backtrace depends on the code (tests/debug checks it): not compared.
grep -v -e '^backtrace (innermost first):$' -e '^  #[0-9]' "$out.err" | sed 's/^/stderr: /' >>"$out"
echo "[exit $status]" >>"$out"
if ! diff -u "$expected" "$out"; then
    echo "FAIL: $*" >&2
    exit 1
fi
