#!/bin/sh
# multi_memory.sh — the two-memory module multi_memory.wat, compiled by the
# host's w2n for each target in both bounds-check modes at -O0 and -O2, run by
# multi_memory_driver.c (copies a block from memory 1 to memory 0 and checks
# the checksum, then every memory instruction on memory 1): natively on
# x86-64, under qemu-user for aarch64 and riscv64.  The driver is built with
# the target's gcc straight from the runtime's sources.
#   tests/cross/multi_memory.sh W2N [TARGET...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
w2n=$1
shift
work=$(mktemp -d /tmp/w2n_multi_memory.XXXXXX)
trap 'rm -rf "$work"' EXIT
targets=${*:-x86_64 aarch64 riscv64}
wat2wasm --enable-multi-memory "$here/multi_memory.wat" -o "$work/mm.wasm"
status=0
for t in $targets; do
    case $t in
    x86_64) cc=gcc; run="" ;;
    aarch64) cc=aarch64-linux-gnu-gcc; run="qemu-aarch64" ;;
    riscv64) cc=riscv64-linux-gnu-gcc; run="qemu-riscv64" ;;
    *) echo "unknown target $t"; exit 2 ;;
    esac
    if ! command -v "$cc" >/dev/null; then
        echo "$t: $cc not installed"; status=1; continue
    fi
    $cc -std=gnu11 -O2 -Wall -Wextra -Wno-unused-parameter -static -I"$root/include" \
        -I"$root/runtime" "$here/multi_memory_driver.c" "$root"/runtime/*.c -lm -lpthread \
        -o "$work/driver-$t"
    for bounds in guard explicit; do
        for opt in -O0 -O2; do
            obj="$work/mm-$t-$bounds$opt.o"
            "$w2n" compile $opt --target=$t-linux-gnu --bounds-checks=$bounds \
                "$work/mm.wasm" -o "$obj"
            echo "== $t $bounds $opt"
            if ! $run "$work/driver-$t" "$obj"; then status=1; fi
        done
    done
done
[ $status = 0 ] && echo "multi-memory: all targets passed" || echo "multi-memory: FAILURES"
exit $status
