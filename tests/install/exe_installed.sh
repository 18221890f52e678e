#!/bin/sh
# exe_installed.sh PREFIX SRC WORK: the installed w2n links `--exe`
# executables from the installed runtime (PREFIX/LIBDIR/w2n/TRIPLE), with no
# build tree to fall back on (W2N_RUNTIME_DIR unset, run from elsewhere).
set -eu
prefix=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work"
wat2wasm "$src/tests/tools/hello.wat" -o hello.wasm
unset W2N_RUNTIME_DIR
"$prefix/bin/w2n" compile --exe hello.wasm -o hello
out=$(./hello)
[ "$out" = "hello from wasm" ] || { echo "exe_installed: printed '$out'" >&2; exit 1; }
echo "exe_installed: ok; installed runtimes: $(ls "$prefix"/lib*/w2n | tr '\n' ' ')"
