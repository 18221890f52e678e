#!/bin/sh
# cpu_check.sh — the loader refuses code for CPU features the machine lacks,
# naming them, and runs it where they are present: under qemu-user with
# emulated CPUs of known features (aarch64: cortex-a72 vs cortex-a76;
# riscv64: rv64 with and without V), and on this x86-64 host for what cpuid
# says it has; and the compiler refuses a --cpu the loader cannot check.
#   tests/cross/cpu_check.sh W2N SOURCE_DIR
set -u
w2n=$1 src=$2
work=$(mktemp -d /tmp/w2n_cpu_check.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0
printf '(module (func (export "main") (result i32) i32.const 42))\n' >"$work/t.wat"
wat2wasm "$work/t.wat" -o "$work/t.wasm" || exit 2
cc_aarch64=aarch64-linux-gnu-gcc
cc_riscv64=riscv64-linux-gnu-gcc
. "$src/tests/cross/runtime_layout.sh"
for t in aarch64 riscv64; do
    eval cc=\$cc_$t
    # w2n/version.h is generated into the build tree, beside tools/.
    # shellcheck disable=SC2046 # the lists split into words on purpose
    $cc -std=gnu11 -O1 -static $(runtime_includes "$src") -I"$src/tools" \
        -I"$(dirname "$w2n")/../generated" \
        "$src"/tools/w2n_run_main.c "$src"/tools/run_*.c "$src"/tools/output.c \
        $(runtime_sources "$src" wasi) -lm -lpthread \
        -o "$work/w2n-run-$t" 2>"$work/cc.log" || { cat "$work/cc.log"; exit 2; }
done

# expect NAME OUTPUT-PATTERN COMMAND...: the output must match the pattern.
expect() {
    name=$1 pattern=$2
    shift 2
    out=$("$@" 2>&1)
    if printf '%s\n' "$out" | grep -q -- "$pattern"; then
        echo "ok   $name"
    else
        echo "FAIL $name: wanted /$pattern/, got: $out"
        status=1
    fi
}

run_a64() { qemu-aarch64 -cpu "$1" "$work/w2n-run-aarch64" --invoke=main "$2"; }
run_rv() { qemu-riscv64 -cpu "$1" "$work/w2n-run-riscv64" --invoke=main "$2"; }
"$w2n" compile --target=aarch64-linux-gnu --cpu=cortex-a76 "$work/t.wasm" -o "$work/a76.o"
"$w2n" compile --target=aarch64-linux-gnu --cpu=cortex-a72 --features=-aes,-sha2 \
    "$work/t.wasm" -o "$work/pi4.o"
"$w2n" compile --target=riscv64-linux-gnu --features=+v "$work/t.wasm" -o "$work/rvv.o"
"$w2n" compile --target=riscv64-linux-gnu --cpu=sifive-u74 "$work/t.wasm" -o "$work/u74.o"
"$w2n" compile --cpu=x86-64-v2 "$work/t.wasm" -o "$work/v2.o"
"$w2n" compile --features=+avx2 "$work/t.wasm" -o "$work/avx2.o"

expect "a76 code on a76" '^42$' run_a64 cortex-a76 "$work/a76.o"
expect "a76 code on a72 refused" 'lacks CPU features.*dotprod.*--cpu=cortex-a76' \
    run_a64 cortex-a72 "$work/a76.o"
expect "pi4 code on a53" '^42$' run_a64 cortex-a53 "$work/pi4.o"
expect "+v code on rv64 with V" '^42$' run_rv rv64,v=true,vext_spec=v1.0 "$work/rvv.o"
expect "+v code on rv64 without V refused" 'lacks CPU features the object needs: v ' \
    run_rv rv64 "$work/rvv.o"
expect "u74 code on rv64" '^42$' run_rv rv64 "$work/u74.o"
expect "x86-64-v2 code here" '^42$' "$(dirname "$w2n")/w2n-run" --invoke=main "$work/v2.o"
if grep -qw avx2 /proc/cpuinfo; then want='^42$'; else want='lacks CPU features.*avx2'; fi
expect "+avx2 code here" "$want" "$(dirname "$w2n")/w2n-run" --invoke=main "$work/avx2.o"
expect "unknown CPU refused by the compiler" 'unknown --cpu=no-such-cpu for aarch64.*cortex-a76' \
    "$w2n" compile --target=aarch64-linux-gnu --cpu=no-such-cpu "$work/t.wasm" -o "$work/x.o"
[ $status = 0 ] && echo "cpu check: all passed" || echo "cpu check: FAILURES"
exit $status
