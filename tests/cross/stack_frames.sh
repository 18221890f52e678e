#!/bin/sh
# stack_frames.sh — frames larger than the runtime's stack reserve, on the
# main thread and on threads with small stacks, end in "call stack
# exhausted" with the memory below each stack intact, on each target
# (stack_frames_driver.c); on RISC-V, where LLVM 19 does not probe frames,
# this holds because the frame is measured and reserved (docs/abi.md,
# "Stack").  The module: 24,000 v128 locals at -O0, a 377 KiB frame, in a
# recursion.  The driver is built with the target's gcc straight from the
# runtime's sources; the object comes from the host's w2n.
#   tests/cross/stack_frames.sh W2N [TARGET...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/driver_build.sh"
w2n=$1
shift
work=$(mktemp -d "${TMPDIR:-/tmp}/w2n_stack_frames.XXXXXX")
trap 'rm -rf "$work"' EXIT
targets=${*:-x86_64 aarch64 riscv64}
{
    printf '(module (func $big (export "run") (param i32) (result i32)\n  (local'
    i=0
    while [ $i -lt 24000 ]; do printf ' v128'; i=$((i + 1)); done
    printf ')\n  (local.set 1 (v128.const i32x4 1 2 3 4))\n'
    printf '  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))\n'
    printf '    (else (i32.add (i32x4.extract_lane 0 (local.get 24000))\n'
    printf '      (call $big (i32.sub (local.get 0) (i32.const 1))))))))\n'
} > "$work/big.wat"
wat2wasm --enable-all "$work/big.wat" -o "$work/big.wasm"
status=0
for t in $targets; do
    build_driver "$t" "$here/stack_frames_driver.c" "$work/driver-$t" "$w2n" ||
        { status=1; continue; }
    "$w2n" compile -O0 --target="$t-linux-gnu" "$work/big.wasm" -o "$work/big-$t.o"
    echo "== $t"
    if ! $run "$work/driver-$t" "$work/big-$t.o"; then status=1; fi
done
[ $status = 0 ] && echo "stack frames: all targets passed" || echo "stack frames: FAILURES"
exit $status
