#!/bin/sh
# memory_select.sh — the IR of a load names its memory as docs/abi.md says: a
# module with one memory reads memory 0 from vmctx field 0 and never the
# memories array (the fast path of every 2.0 module stays as it was); with two
# memories, memory 0 still comes from field 0 and memory 1 from
# vmctx->memories[1] (FileCheck, memory_select.checks), in both bounds modes.
#   memory_select.sh W2N FILECHECK
set -eu
w2n=$1 filecheck=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2n-memsel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/one.wat" <<'WAT'
(module (memory 1)
  (func (export "load") (param i32) (result i32) (i32.load offset=4 (local.get 0))))
WAT
cat > "$tmp/two.wat" <<'WAT'
(module (memory $a 1) (memory $b 1)
  (func (export "load0") (param i32) (result i32) (i32.load $a (local.get 0)))
  (func (export "load1") (param i32) (result i32) (i32.load $b offset=4 (local.get 0)))
  (func (export "size1") (result i32) (memory.size $b)))
WAT
wat2wasm "$tmp/one.wat" -o "$tmp/one.wasm"
wat2wasm --enable-multi-memory "$tmp/two.wat" -o "$tmp/two.wasm"
for bounds in guard explicit; do
    mode=$(echo "$bounds" | tr a-z A-Z)
    for m in one two; do
        W2N_DUMP_IR=1 "$w2n" compile -O2 --bounds-checks=$bounds "$tmp/$m.wasm" \
            -o "$tmp/$m.o" 2> "$tmp/$m-$bounds.ll"
    done
    "$filecheck" --check-prefix=ONE "$here/memory_select.checks" < "$tmp/one-$bounds.ll"
    "$filecheck" --allow-unused-prefixes --check-prefixes=TWO,$mode "$here/memory_select.checks" < "$tmp/two-$bounds.ll"
    echo "memory selection, $bounds: ok"
done
