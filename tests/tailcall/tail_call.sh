#!/bin/sh
# tail_call.sh — return_call and return_call_indirect are real tail calls
# (tests/tailcall/pingpong.wat, docs/abi.md "Tail calls"):
#  1. the IR has tail (sibling) or musttail calls followed by ret, and the
#     -O0 machine code a jump, not a call (FileCheck, tail_call.checks);
#  2. N mutual tail calls, direct and through the table, run at -O0 and -O2,
#     guard and explicit bounds, in the runtime's default 1 MiB of stack,
#     which ordinary calls would exhaust after some 10^4 frames;
#  3. signatures.wat: results beyond the target's return registers give
#     plain `tail` calls, never musttail (LLVM would abort), still correct;
#  4. `w2n compile --stats` counts the tail calls and those not guaranteed.
#   tail_call.sh W2N TARGET FILECHECK OBJDUMP WAT2WASM N RUNNER...
# RUNNER runs an object (w2n-run, or qemu with the target's w2n-run).
# W2N_TAILCALL_OPT (default "-O0 -O2") chooses the optimisation levels run.
set -eu
w2n=$1 target=$2 filecheck=$3 objdump=$4 wat2wasm=$5 n=$6
shift 6
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2n-tailcall.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$wat2wasm" --enable-tail-call "$here/pingpong.wat" -o "$tmp/pp.wasm"
"$wat2wasm" --enable-tail-call "$here/signatures.wat" -o "$tmp/sig.wasm"

W2N_DUMP_IR=1 "$w2n" compile -O0 --target="$target-linux-gnu" "$tmp/pp.wasm" -o "$tmp/pp.o" \
    2> "$tmp/pp.ll"
"$objdump" -d --no-show-raw-insn "$tmp/pp.o" > "$tmp/pp.s"
case $target in
riscv64) wide=NOWIDE ;;
*) wide=WIDE ;;
esac
"$filecheck" --check-prefixes=IR,$wide "$here/tail_call.checks" < "$tmp/pp.ll"
"$filecheck" --check-prefix="$(echo "$target" | tr a-z A-Z)" "$here/tail_call.checks" < "$tmp/pp.s"
W2N_DUMP_IR=1 "$w2n" compile -O0 --target="$target-linux-gnu" "$tmp/sig.wasm" -o "$tmp/sig.o" \
    2> "$tmp/sig.ll"
"$filecheck" --check-prefix="SIG-$(echo "$target" | tr a-z A-Z)" "$here/tail_call.checks" \
    < "$tmp/sig.ll"

stats() {    # stats WASM WANT: w2n compile --stats counts the tail calls
    got=$("$w2n" compile --stats --target="$target-linux-gnu" "$1" -o "$tmp/stats.o" 2>&1 |
          grep 'tail calls') || true
    if [ "$got" != "$1: $2 not sure to be real tail calls" ]; then
        echo "FAIL: $target compile --stats $1: '$got' (want '$2 ...')" >&2
        exit 1
    fi
}
case $target in
x86_64) stats "$tmp/pp.wasm" "6 tail calls, 0 of them"; stats "$tmp/sig.wasm" "7 tail calls, 4 of them" ;;
aarch64) stats "$tmp/pp.wasm" "6 tail calls, 0 of them"; stats "$tmp/sig.wasm" "7 tail calls, 2 of them" ;;
riscv64) stats "$tmp/pp.wasm" "6 tail calls, 2 of them"; stats "$tmp/sig.wasm" "7 tail calls, 7 of them" ;;
esac

run() {      # run WANT OBJECT EXPORT ARGS...
    want=$1 obj=$2 fn=$3
    shift 3
    set +e
    got=$(env -- $runner --invoke "$fn" "$obj" "$@" 2>&1 | tr '\n' ' ')
    got=${got% }
    rc=$?
    set -e
    if [ $rc -ne 0 ] || [ "$got" != "$want" ]; then
        echo "FAIL: $target $obj: $fn $*: exit $rc, '$got' (want '$want')" >&2
        exit 1
    fi
}

runner="$*"
for opt in ${W2N_TAILCALL_OPT:--O0 -O2}; do
    for bounds in guard explicit; do
        obj="$tmp/pp$opt-$bounds.o"
        "$w2n" compile $opt --bounds-checks=$bounds --target="$target-linux-gnu" "$tmp/pp.wasm" \
            -o "$obj"
        run $((n * 3)) "$obj" ping "$n" 0
        run $((n * 3)) "$obj" ping_indirect "$n" 0
        case $target in
        riscv64) run 10 "$obj" ping_wide 1000 ;;   # stack arguments: not sure here
        *) run 10 "$obj" ping_wide "$n" ;;
        esac
    done
    obj="$tmp/sig$opt.o"
    "$w2n" compile $opt --target="$target-linux-gnu" "$tmp/sig.wasm" -o "$obj"
    run "1 2 3 4 5 6 7" "$obj" r7 1000
    run "1 2 3 4" "$obj" r4 1000
    run "1 2 3 4 5 6 7 8 9" "$obj" r9 1000
    run "4" "$obj" v2 1000
done
echo "tail_call $target: ok (n = $n)"
