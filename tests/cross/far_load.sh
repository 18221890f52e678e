#!/bin/sh
# far_load.sh — a w2n-compiled object mapped farther than any direct branch
# reaches from the runtime and libc (far_load_driver.c) runs correctly, on
# each target, in both bounds-check modes and at -O0 and -O2: natively on
# x86-64, under qemu-user for aarch64 and riscv64.  The driver is built
# with the target's gcc straight from the runtime's sources (no cross build
# tree needed); the object comes from the host's w2n.
#   tests/cross/far_load.sh W2N [TARGET...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
w2n=$1
shift
work=$(mktemp -d /tmp/w2n_far_load.XXXXXX)
trap 'rm -rf "$work"' EXIT
targets=${*:-x86_64 aarch64 riscv64}
wat2wasm "$here/far_load.wat" -o "$work/far.wasm"
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
    # w2n/version.h (the metadata decoder names the version) is generated beside tools/.
    $cc -std=gnu11 -O2 -Wall -Wextra -Wno-unused-parameter -static -I"$root/include" \
        -I"$root/runtime" -I"$(dirname "$w2n")/../generated" \
        "$here/far_load_driver.c" "$root"/runtime/*.c -lm -lpthread \
        -o "$work/driver-$t"
    for bounds in guard explicit; do
        for opt in -O0 -O2; do
            obj="$work/far-$t-$bounds$opt.o"
            "$w2n" compile $opt --target=$t-linux-gnu --bounds-checks=$bounds \
                "$work/far.wasm" -o "$obj"
            echo "== $t $bounds $opt"
            if ! $run "$work/driver-$t" "$obj"; then status=1; fi
        done
    done
done
[ $status = 0 ] && echo "far load: all targets passed" || echo "far load: FAILURES"
exit $status
