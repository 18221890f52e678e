#!/bin/sh
# embed_pkgconfig.sh PREFIX SOURCE_DIR WORK_DIR: examples/embed built with
# plain cc and the flags of the installed w2n-runtime.pc / w2n.pc, against
# the shared runtime, the static one (w2n-runtime-static.pc) and the compiler
# library.
set -eu
prefix=$1 src=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
ex=$src/examples/embed
rm -rf "$work" && mkdir -p "$work"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
pc() { pkg-config "$@" || { echo "embed_pkgconfig: pkg-config $* failed" >&2; exit 1; }; }

libdir=$(pc --variable=libdir w2n-runtime)
[ "$(cd "$libdir" && pwd)" = "$(cd "$prefix/lib" && pwd)" ] ||
    { echo "embed_pkgconfig: libdir $libdir is not under $prefix" >&2; exit 1; }

wat2wasm "$ex/guest.wat" -o "$work/guest.wasm"
"$prefix/bin/w2n" compile "$work/guest.wasm" -o "$work/guest.o"

# shellcheck disable=SC2046 # pkg-config's output is a list of words
cc -Wall -Werror "$ex/embed.c" -o "$work/embed" $(pc --cflags --libs w2n-runtime) \
   -Wl,-rpath,"$libdir"
# shellcheck disable=SC2046
cc -Wall -Werror "$ex/embed.c" -o "$work/embed_static" $(pc --cflags --libs w2n-runtime-static)
# shellcheck disable=SC2046
cc -Wall -Werror "$ex/compile_and_run.c" -o "$work/compile_and_run" \
   $(pc --cflags --libs w2n w2n-runtime) -Wl,-rpath,"$libdir"

if ldd "$work/embed_static" | grep -q libw2n-runtime; then
    echo "embed_pkgconfig: embed_static should link the runtime statically" >&2
    exit 1
fi
for prog in embed embed_static; do
    "$work/$prog" "$work/guest.o" > "$work/$prog.out"
    tail -n +2 "$work/$prog.out" | diff -u "$here/embed.expected" - ||
        { echo "embed_pkgconfig: $prog printed something else" >&2; exit 1; }
done
"$work/compile_and_run" "$work/guest.wasm" 50 | grep -qx 'fib(50) = 12586269025' ||
    { echo "embed_pkgconfig: compile_and_run is wrong" >&2; exit 1; }
echo "examples/embed built with pkg-config against $prefix: shared, static and compiler agree"
