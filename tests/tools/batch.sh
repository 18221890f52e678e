#!/bin/sh
# batch.sh W2N WAT2WASM — `w2n compile` of many inputs: -j N, the cache,
# progress lines, exit statuses.
set -eu
W2N=$1 WAT2WASM=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
fail() { echo "FAIL: $*"; cat err.txt 2>/dev/null; exit 1; }
for i in 1 2 3 4 5; do
    echo "(module (func (export \"f\") (result i32) (i32.const $i)))" > m$i.wat
    "$WAT2WASM" m$i.wat -o m$i.wasm
done
printf '\0asm\1\0\0\0\1\377' > bad.wasm

# -j2 gives the objects -j1 gives, byte for byte; plain progress lines off a terminal.
"$W2N" compile -j1 m*.wasm -o seq 2> err.txt || fail "-j1"
"$W2N" compile -j2 m*.wasm -o par 2> err.txt || fail "-j2"
for i in 1 2 3 4 5; do cmp -s seq/m$i.o par/m$i.o || fail "m$i.o differs between -j1 and -j2"; done
grep -q '^w2n compile: \[5/5\] m[0-9].wasm: ok$' err.txt || fail "no progress line"
grep -q '5 inputs in .*: 5 compiled, 0 from the cache, 0 failed' err.txt || fail "summary"

# The cache: a second build takes every object from it, unchanged.
"$W2N" compile -j2 --cache-dir cache m*.wasm -o c1 2> err.txt || fail "cache fill"
[ "$(ls cache | wc -l)" = 5 ] || fail "cache holds $(ls cache | wc -l) entries, not 5"
"$W2N" compile -j2 --cache-dir cache m*.wasm -o c2 2> err.txt || fail "cache hit"
grep -q ': 0 compiled, 5 from the cache, 0 failed' err.txt || fail "not all from the cache"
for i in 1 2 3 4 5; do cmp -s seq/m$i.o c2/m$i.o || fail "cached m$i.o differs"; done

# Other options are other entries; a damaged entry is compiled again and replaced.
"$W2N" compile --cache-dir cache -O1 m1.wasm -o o1.o 2> err.txt || fail "-O1"
[ "$(ls cache | wc -l)" = 6 ] || fail "-O1 did not add an entry"
for e in cache/*.o; do printf 'X' | dd of="$e" bs=1 seek=64 conv=notrunc 2>/dev/null; done
"$W2N" compile --cache-dir cache m1.wasm m2.wasm -o c3 2> err.txt || fail "damaged cache"
grep -q ': 2 compiled, 0 from the cache' err.txt || fail "a damaged entry was used"
cmp -s seq/m1.o c3/m1.o || fail "recompiled m1.o differs"
"$W2N" compile --cache-dir cache m1.wasm m2.wasm -o c4 2> err.txt || fail "repaired cache"
grep -q ': 0 compiled, 2 from the cache' err.txt || fail "the damaged entries were not replaced"

# One bad input: exit 1, the others still compiled, the failure named.
status=0
"$W2N" compile -j3 m1.wasm bad.wasm m2.wasm -o mixed 2> err.txt || status=$?
[ $status = 1 ] || fail "a bad input gave exit $status"
[ -f mixed/m1.o ] && [ -f mixed/m2.o ] && [ ! -f mixed/bad.o ] || fail "outputs of a mixed batch"
grep -q 'bad.wasm: FAILED' err.txt || fail "the failure is not in the progress"

# Usage: exit 2.
status=0; "$W2N" compile -j x m1.wasm 2> err.txt || status=$?
[ $status = 2 ] || fail "-j x gave exit $status"
echo "batch: ok"
