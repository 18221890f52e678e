#!/bin/sh
# embed_cmake.sh PREFIX SOURCE_DIR WORK_DIR: examples/embed as a CMake project
# of its own against the w2n installed in PREFIX (find_package(w2n),
# w2n_add_wasm_module); run its three programs.
set -eu
prefix=$1 src=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
cmake -S "$src/examples/embed" -B "$work" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_BUILD_TYPE=Release >"$work.configure.log" 2>&1 ||
    { cat "$work.configure.log" >&2; echo "embed_cmake: configuring examples/embed failed" >&2; exit 1; }
cmake --build "$work" -j2 >"$work.build.log" 2>&1 ||
    { cat "$work.build.log" >&2; echo "embed_cmake: building examples/embed failed" >&2; exit 1; }

# The programs must use the installed runtime, not the build tree's.
if ldd "$work/embed" | grep -q 'libw2n-runtime.*=> '"$prefix"; then :; else
    ldd "$work/embed" >&2
    echo "embed_cmake: embed does not load libw2n-runtime from $prefix" >&2
    exit 1
fi
if ldd "$work/embed_static" | grep -q libw2n-runtime; then
    echo "embed_cmake: embed_static should link the runtime statically" >&2
    exit 1
fi

check() { # NAME COMMAND...: the program prints the expected Fibonacci lines
    name=$1; shift
    "$@" > "$work/$name.out"
    tail -n +2 "$work/$name.out" | diff -u "$here/embed.expected" - ||
        { echo "embed_cmake: $name printed something else" >&2; exit 1; }
}
check embed "$work/embed"
check embed_static "$work/embed_static" "$work/guest-explicit.o"
"$work/compile_and_run" "$work/guest.wasm" 50 > "$work/compile_and_run.out"
grep -qx 'fib(50) = 12586269025' "$work/compile_and_run.out" ||
    { cat "$work/compile_and_run.out"; echo "embed_cmake: compile_and_run is wrong" >&2; exit 1; }

# The options of w2n_add_wasm_module: BOUNDS_CHECKS, TARGET_TRIPLE, OUTPUT.
"$prefix/bin/w2n" inspect "$work/guest-explicit.o" | grep -q 'bounds-checks=explicit' ||
    { echo "embed_cmake: guest-explicit.o was not compiled with explicit bounds checks" >&2; exit 1; }
"$prefix/bin/w2n" inspect "$work/boards/guest-aarch64.o" | grep -qx 'triple: *aarch64-linux-gnu' ||
    { echo "embed_cmake: boards/guest-aarch64.o was not compiled for aarch64" >&2; exit 1; }
echo "examples/embed built against $prefix: embed, embed_static and compile_and_run agree"
