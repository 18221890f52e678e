#!/bin/sh
# run_wasm64_test.sh — run a tests/wasm64 program and compare its output.
#
#   run_wasm64_test.sh WASM EXPECTED RUNNER...
#
# Runs "RUNNER... WASM" (e.g. ".../w2n run --bounds-checks=explicit", or
# tests/cross/run_cross.sh for another target) and compares its stdout,
# followed by "[exit N]", with EXPECTED.  A program that exits 77 (the host
# cannot give it what it needs; it says why) makes this script exit 77 too,
# which CTest reports as skipped.
set -u
wasm=$1 expected=$2
shift 2
out=$(mktemp "${TMPDIR:-/tmp}/w2n-wasm64.XXXXXX") || exit 1
"$@" "$wasm" >"$out"
rc=$?
if [ $rc = 77 ]; then
    cat "$out"
    rm -f "$out"
    exit 77
fi
echo "[exit $rc]" >>"$out"
if ! diff -u "$expected" "$out"; then
    rm -f "$out"
    echo "FAIL: $wasm: output differs from $expected"
    exit 1
fi
rm -f "$out"
echo "PASS: $wasm"
