#!/bin/sh
# ir_check.sh — IR-shape tests: compile a .wat with w2n and match the final
# LLVM IR (W2N_DUMP_IR=1) against FileCheck directives in the same file.
#   ir_check.sh W2N FILECHECK WAT2WASM FILE.wat [SPEC_INTERPRETER]
# A file with a ";; CONVERT: spec-interpreter" line is converted by the
# spec's reference interpreter (wasm -d), for text wabt cannot read yet
# (try_table); without one the test is skipped (exit 77).
# Each line ";; RUN: OPTIONS => PREFIX..." is one compile of FILE with
# `w2n compile OPTIONS`, and one FileCheck run of its IR per PREFIX (the
# checks of one prefix are one ordered sequence; separate prefixes are not).
set -eu
w2n=$1 filecheck=$2 wat2wasm=$3 file=$4 specint=${5:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2n-ir.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if grep -q '^;; CONVERT: spec-interpreter' "$file"; then
    [ -x "$specint" ] || { echo "SKIP: $file needs the spec interpreter" >&2; exit 77; }
    "$specint" -d "$file" -o "$tmp/m.wasm"
else
    "$wat2wasm" --enable-all "$file" -o "$tmp/m.wasm"
fi
runs=$(sed -n 's/^;; RUN: //p' "$file")
[ -n "$runs" ] || { echo "FAIL: $file has no ';; RUN:' line" >&2; exit 1; }
echo "$runs" | while IFS= read -r run; do
    options=${run%%=>*} prefixes=${run#*=>}
    # shellcheck disable=SC2086 # OPTIONS and PREFIXES are words
    W2N_DUMP_IR=1 "$w2n" compile $options "$tmp/m.wasm" -o "$tmp/m.o" 2> "$tmp/m.ll"
    for prefix in $prefixes; do
        if ! "$filecheck" --check-prefix="$prefix" "$file" < "$tmp/m.ll"; then
            echo "FAIL: $file: w2n compile $options, FileCheck --check-prefix=$prefix" >&2
            exit 1
        fi
    done
done
echo "ir_check $(basename "$file"): ok"
