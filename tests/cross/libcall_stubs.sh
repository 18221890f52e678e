#!/bin/sh
# libcall_stubs.sh — calls to the C library need no relocation in code at
# load (compiler/emit/libcall_stubs.c): for each target, at -O0 and -O2, in
# both bounds modes, a module whose memory.copy/fill lengths and float
# rounding LLVM turns into library calls compiles to an object whose
# relocations applied at load touch no code, with a stub per library
# function it calls.  What the calls compute is the spec suites' to check
# (bulk.wast, memory_copy.wast, memory_fill.wast on every target).
#   tests/cross/libcall_stubs.sh W2N
set -eu
w2n=$1
work=$(mktemp -d /tmp/w2n_libcall_stubs.XXXXXX)
trap 'rm -rf "$work"' EXIT
cat > "$work/m.wat" <<'WAT'
(module
  (memory (export "mem") 1)
  (func (export "copy") (param i32 i32 i32)
    (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill") (param i32 i32 i32)
    (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "floor") (param f64) (result f64) (f64.floor (local.get 0)))
  (func (export "floorf") (param f32) (result f32) (f32.floor (local.get 0))))
WAT
wat2wasm "$work/m.wat" -o "$work/m.wasm"
fail=0
for target in x86_64-linux-gnu aarch64-linux-gnu riscv64-linux-gnu; do
    for opt in -O0 -O2; do
        for bounds in guard explicit; do
            what="$target $opt $bounds"
            "$w2n" compile "$opt" --bounds-checks=$bounds --target=$target "$work/m.wasm" \
                -o "$work/m.o"
            "$w2n" inspect "$work/m.o" > "$work/inspect.txt"
            if ! grep -q "relocations applied at load, 0 of them in code" "$work/inspect.txt"; then
                echo "FAIL $what: code patched at load:"
                grep "load layout" "$work/inspect.txt"
                fail=1
            elif ! grep -q "w2n.libcall.memmove" "$work/inspect.txt" ||
                 ! grep -q "w2n.libcall.memset" "$work/inspect.txt"; then
                echo "FAIL $what: no stub for memmove or memset"
                fail=1
            else
                echo "ok   $what"
            fi
        done
    done
done
exit $fail
