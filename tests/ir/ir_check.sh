#!/bin/sh
# ir_check.sh — IR-shape tests: compile a .wat with w2n and match the final
# LLVM IR (W2N_DUMP_IR=1) against FileCheck directives in the same file.
#   ir_check.sh W2N FILECHECK WAT2WASM FILE.wat [OBJDUMP]
# (WAT2WASM may be the reference interpreter, .../wasm.exe, for 3.0 text.)
# Each line ";; RUN: OPTIONS => PREFIX..." is one compile of FILE with
# `w2n compile OPTIONS`, and one FileCheck run of its IR per PREFIX (the
# checks of one prefix are one ordered sequence; separate prefixes are not).
set -eu
w2n=$1 filecheck=$2 wat2wasm=$3 file=$4 objdump=${5:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2n-ir.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

case $wat2wasm in
*/wasm.exe) "$wat2wasm" -d "$file" -o "$tmp/m.wasm" ;; # the reference interpreter
*) "$wat2wasm" --enable-all "$file" -o "$tmp/m.wasm" ;;
esac
runs=$(sed -n 's/^;; RUN: //p' "$file")
versioned=$(sed -n 's/^;; RUN-VERSIONED: //p' "$file")
asm=$(sed -n 's/^;; RUN-ASM: //p' "$file")
[ -n "$runs$versioned$asm" ] || { echo "FAIL: $file has no ';; RUN:' line" >&2; exit 1; }
# check WHICH RUNS: one compile per line of RUNS and one FileCheck per
# prefix, of the final IR (WHICH = final) or of the IR as loop versioning
# leaves it, before LLVM's passes (versioned, W2N_DUMP_VERSIONED_IR; the
# lines ";; RUN-VERSIONED: OPTIONS => PREFIX..."): what was lowered; or of
# the object's disassembly (asm, OBJDUMP -d; ";; RUN-ASM: ..."), for what
# the back end's tuning decides.
check() {
    [ -n "$2" ] || return 0
    echo "$2" | while IFS= read -r run; do
        options=${run%%=>*} prefixes=${run#*=>}
        if [ "$1" = final ]; then
            # shellcheck disable=SC2086 # OPTIONS are words
            W2N_DUMP_IR=1 "$w2n" compile $options "$tmp/m.wasm" -o "$tmp/m.o" 2> "$tmp/m.ll"
        elif [ "$1" = asm ]; then
            # shellcheck disable=SC2086
            "$w2n" compile $options "$tmp/m.wasm" -o "$tmp/m.o"
            "$objdump" -d --no-show-raw-insn "$tmp/m.o" > "$tmp/m.ll"
        else
            # shellcheck disable=SC2086
            W2N_DUMP_VERSIONED_IR="$tmp/m.ll" "$w2n" compile $options "$tmp/m.wasm" -o "$tmp/m.o"
        fi
        for prefix in $prefixes; do
            if ! "$filecheck" --check-prefix="$prefix" "$file" < "$tmp/m.ll"; then
                echo "FAIL: $file: w2n compile $options ($1 IR), FileCheck --check-prefix=$prefix" >&2
                exit 1
            fi
        done
    done
}
check versioned "$versioned"
check final "$runs"
if [ -n "$asm" ] && [ -z "$objdump" ]; then
    echo "FAIL: $file has ';; RUN-ASM:' lines and no OBJDUMP was given" >&2
    exit 1
fi
check asm "$asm"
echo "ir_check $(basename "$file"): ok"
