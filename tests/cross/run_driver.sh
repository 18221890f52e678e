#!/bin/sh
# run_driver.sh — build a runtime-only C driver with each target's gcc
# straight from the runtime's sources, compile one module with the host's w2n
# for that target in both bounds-check modes at -O0 and -O2, and run the
# driver on each object: natively on x86-64, under qemu-user for aarch64 and
# riscv64.  Shared by far_load.sh and multi_memory.sh.
#   tests/cross/run_driver.sh NAME DRIVER.c MODULE.wasm W2N [TARGET...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/driver_build.sh"
name=$1 driver=$2 module=$3 w2n=$4
shift 4
work=$(mktemp -d /tmp/w2n_run_driver.XXXXXX)
trap 'rm -rf "$work"' EXIT
targets=${*:-x86_64 aarch64 riscv64}
status=0
for t in $targets; do
    build_driver "$t" "$driver" "$work/driver-$t" "$w2n" || { status=1; continue; }
    for bounds in guard explicit; do
        for opt in -O0 -O2; do
            obj="$work/module-$t-$bounds$opt.o"
            "$w2n" compile $opt --target=$t-linux-gnu --bounds-checks=$bounds \
                "$module" -o "$obj"
            echo "== $t $bounds $opt"
            if ! $run "$work/driver-$t" "$obj"; then status=1; fi
        done
    done
done
[ $status = 0 ] && echo "$name: all targets passed" || echo "$name: FAILURES"
exit $status
