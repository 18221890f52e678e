#!/bin/sh
# reloc_smoke.sh — end-to-end loader check on all three targets.
#
# For each target: clang-19 compiles reloc_smoke_obj.c the way w2n's compiler
# emits code (static relocation model, small code model, medany on RISC-V),
# and once more with -fPIC for the GOT relocation forms; a static driver
# built with the target's gcc from the loader's sources loads each object,
# calls its functions and checks the results, natively (x86-64) or under
# qemu-user.  Run from anywhere: tests/cross/reloc_smoke.sh [TARGET...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/w2n_reloc_smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$here/runtime_layout.sh"
# The loader alone: the ELF reader and relocations of common/, the image.
srcs="common/error.c common/elf.c runtime/loader/image.c runtime/loader/libcalls.c runtime/loader/personality.c runtime/loader/lsda.c
      runtime/loader/line_map.c runtime/loader/gdb_jit.c runtime/loader/load_phases.c
      common/image_layout.c common/memory_image.c common/dwarf_line.c common/grow.c
      common/byte_cursor.c common/reloc.c
      common/reloc_x86_64.c common/reloc_aarch64.c common/reloc_riscv64.c"
targets=${*:-x86_64 aarch64 riscv64}
status=0
for t in $targets; do
    case $t in
    x86_64) cc=gcc; run=""; cflags="" ;;
    aarch64) cc=aarch64-linux-gnu-gcc; run="qemu-aarch64"; cflags="" ;;
    riscv64) cc=riscv64-linux-gnu-gcc; run="qemu-riscv64"; cflags="-mcmodel=medany" ;;
    *) echo "unknown target $t"; exit 2 ;;
    esac
    set --
    for s in $srcs; do set -- "$@" "$root/$s"; done
    # shellcheck disable=SC2046 # the list splits into words on purpose
    $cc -std=gnu11 -O2 -Wall -Wextra -Wno-unused-parameter -static $(runtime_includes "$root") \
        "$here/reloc_smoke_driver.c" "$@" -lm -o "$work/driver-$t"
    for pic in -fno-pic -fPIC; do
        obj="$work/obj-$t$pic.o"
        clang-19 -c -O2 $pic --target=$t-linux-gnu $cflags "$here/reloc_smoke_obj.c" -o "$obj"
        echo "== $t $pic: $(llvm-readelf-19 -r "$obj" | awk '/R_/ {print $3}' | sort -u | tr '\n' ' ')"
        if ! $run "$work/driver-$t" "$obj"; then status=1; fi
    done
done
[ $status = 0 ] && echo "reloc smoke: all targets passed" || echo "reloc smoke: FAILURES"
exit $status
