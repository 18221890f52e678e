#!/bin/sh
# interrupt_checks.sh — where --interruptible code checks vmctx->interrupt
# and how --fuel code keeps its counter (docs/security.md, "Stopping
# guests"), seen in the -O2 IR with FileCheck.
#   interrupt_checks.sh W2N FILECHECK WAT2WASM
set -eu
w2n=$1 filecheck=$2 wat2wasm=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2n-stop.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$wat2wasm" --debug-names "$here/checks_input.wat" -o "$tmp/in.wasm"
W2N_DUMP_IR=1 "$w2n" compile -O2 --interruptible "$tmp/in.wasm" -o "$tmp/in.o" 2> "$tmp/int.ll"
"$filecheck" "$here/interrupt_checks.checks" < "$tmp/int.ll"
W2N_DUMP_IR=1 "$w2n" compile -O2 --fuel "$tmp/in.wasm" -o "$tmp/in.o" 2> "$tmp/fuel.ll"
"$filecheck" --check-prefix=FUEL "$here/interrupt_checks.checks" < "$tmp/fuel.ll"
echo PASS
