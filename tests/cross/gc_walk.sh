#!/bin/sh
# gc_walk.sh — the GC's stack walk (runtime/gc/stack_walk.c) on each target:
# llc-19 compiles tests/data/stackmaps/walk.ll for the target, the target's
# gcc builds gc_walk_driver.c from the runtime's sources, and the driver runs
# (natively on x86-64, under qemu-user for aarch64 and riscv64).
#   tests/cross/gc_walk.sh LLC W2N [TARGET...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/driver_build.sh"
llc=$1 w2n=$2
shift 2
work=$(mktemp -d /tmp/w2n_gc_walk.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0
for t in ${*:-x86_64 aarch64 riscv64}; do
    build_driver "$t" "$here/gc_walk_driver.c" "$work/driver-$t" "$w2n" || { status=1; continue; }
    # RISC-V: rv64gc with the lp64d ABI, as w2n's target table (the loader
    # checks the ELF flags).
    abi=""
    [ "$t" = riscv64 ] && abi="-mattr=+m,+a,+f,+d,+c -target-abi=lp64d"
    # shellcheck disable=SC2086 # $abi splits into options on purpose
    "$llc" -mtriple="$t-linux-gnu" $abi -filetype=obj "$here/../data/stackmaps/walk.ll" \
        -o "$work/walk-$t.o"
    if ! $run "$work/driver-$t" "$work/walk-$t.o"; then status=1; fi
done
[ $status = 0 ] && echo "gc_walk: all targets passed" || echo "gc_walk: FAILURES"
exit $status
