#!/bin/sh
# far_load.sh — a w2n-compiled object mapped farther than any direct branch
# reaches from the runtime and libc (far_load_driver.c) runs correctly, on
# each target, in both bounds-check modes and at -O0 and -O2: natively on
# x86-64, under qemu-user for aarch64 and riscv64 (run_driver.sh: the driver
# is built with the target's gcc straight from the runtime's sources, no
# cross build tree needed; the object comes from the host's w2n).
#   tests/cross/far_load.sh W2N [TARGET...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
w2n=$1
shift
work=$(mktemp -d /tmp/w2n_far_load.XXXXXX)
trap 'rm -rf "$work"' EXIT
wat2wasm "$here/far_load.wat" -o "$work/far.wasm"
"$here/run_driver.sh" "far load" "$here/far_load_driver.c" "$work/far.wasm" "$w2n" "$@"
