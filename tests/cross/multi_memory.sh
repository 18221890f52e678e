#!/bin/sh
# multi_memory.sh — the two-memory module multi_memory.wat, run by
# multi_memory_driver.c (copies a block from memory 1 to memory 0 and checks
# the checksum, then every memory instruction on memory 1) on each target, in
# both bounds-check modes at -O0 and -O2 (run_driver.sh).
#   tests/cross/multi_memory.sh W2N [TARGET...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
w2n=$1
shift
work=$(mktemp -d /tmp/w2n_multi_memory.XXXXXX)
trap 'rm -rf "$work"' EXIT
wat2wasm --enable-multi-memory "$here/multi_memory.wat" -o "$work/mm.wasm"
"$here/run_driver.sh" multi-memory "$here/multi_memory_driver.c" "$work/mm.wasm" "$w2n" "$@"
