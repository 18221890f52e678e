#!/bin/sh
# stack_check.sh — a frame far larger than the runtime's stack reserve
# (17,000 v128 locals at -O0: 272 KiB) in a recursion on the main thread with
# --stack-size 8M ends in the trap "call stack exhausted" (exit 134), not a
# crash; and the code shows why: the frame is probed page by page, and the
# stack-limit check comes before the locals are stored (FileCheck).  Then a
# frame of 24,000 locals, larger than the reserve plus the guard region.
#   stack_check.sh W2N TARGET FILECHECK OBJDUMP RUNNER...
# RUNNER is the command that runs an object (w2n-run, or qemu with the
# target's w2n-run); for the host target the script also tries `w2n run`.
set -eu
w2n=$1 target=$2 filecheck=$3 objdump=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2n-stack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# big_wat N: a recursion through a function with N v128 locals.
big_wat() {
    printf '(module (func $big (export "run") (param i32) (result i32)\n  (local'
    i=0
    while [ $i -lt "$1" ]; do printf ' v128'; i=$((i + 1)); done
    printf ')\n  (local.set 1 (v128.const i32x4 1 2 3 4))\n'
    printf '  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))\n'
    printf '    (else (i32.add (i32x4.extract_lane 0 (local.get %d))\n' "$1"
    printf '      (call $big (i32.sub (local.get 0) (i32.const 1))))))))\n'
}
big_wat 17000 > "$tmp/big.wat"
wat2wasm --enable-all "$tmp/big.wat" -o "$tmp/big.wasm"

W2N_DUMP_IR=1 "$w2n" compile -O0 --target="$target-linux-gnu" "$tmp/big.wasm" -o "$tmp/big.o" \
    2> "$tmp/big.ll"
"$objdump" -d --no-show-raw-insn "$tmp/big.o" > "$tmp/big.s"
case $target in
riscv64)    # LLVM 19 has no stack probes for RISC-V (docs/abi.md, "Stack")
    "$filecheck" --check-prefix=IR "$here/stack_check.checks" < "$tmp/big.ll" ;;
*)
    "$filecheck" --check-prefixes=IR,PROBE "$here/stack_check.checks" < "$tmp/big.ll"
    "$filecheck" --check-prefix="$(echo "$target" | tr a-z A-Z)" "$here/stack_check.checks" \
        < "$tmp/big.s" ;;
esac

# expect_trap OBJECT RUNNER...
expect_trap() {
    obj=$1
    shift
    set +e
    "$@" --stack-size 8M --invoke run "$obj" 100000 > "$tmp/out" 2> "$tmp/err"
    rc=$?
    set -e
    if [ $rc -ne 134 ] || ! grep -q 'call stack exhausted' "$tmp/err"; then
        echo "FAIL: $* --stack-size 8M --invoke run $obj: exit $rc (want 134 and the trap)" >&2
        cat "$tmp/err" >&2
        exit 1
    fi
}
expect_trap "$tmp/big.o" "$@"
if [ "$target" = "$(uname -m)" ]; then
    expect_trap "$tmp/big.o" "$w2n" run
fi

# A frame far past the reserve and the 64 KiB guard span below the stack
# (24,000 locals: 377 KiB).  Without probes (RISC-V) its stores would land
# that far below the stack (a SIGSEGV, exit 139, before frames were
# measured); the frame is measured, recorded and reserved instead.
big_wat 24000 > "$tmp/huge.wat"
wat2wasm --enable-all "$tmp/huge.wat" -o "$tmp/huge.wasm"
"$w2n" compile -O0 --target="$target-linux-gnu" "$tmp/huge.wasm" -o "$tmp/huge.o"
if [ "$target" = riscv64 ]; then
    "$w2n" inspect "$tmp/huge.o" | grep -q '^max frame: *3[89][0-9][0-9][0-9][0-9] bytes' || {
        echo "FAIL: the 24,000-locals object does not record its frame:" >&2
        "$w2n" inspect "$tmp/huge.o" | grep '^max frame' >&2
        exit 1
    }
fi
expect_trap "$tmp/huge.o" "$@"
echo "stack_check $target: ok"
