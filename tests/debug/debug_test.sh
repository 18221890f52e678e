#!/bin/sh
# debug_test.sh — debugging on the command line (docs/debugging.md): a
# trap prints a backtrace of Wasm function names with, for an object
# compiled with -g, the C file:line the module's DWARF gives, or the Wasm
# code offset when the module has none, and the native offset without -g;
# and gdb, through the JIT interface, stops at a breakpoint on a C line of a
# Wasm function and shows the Wasm frames.  Exit 77 (skipped) without
# clang-19's wasm32 target; the gdb part is skipped without gdb.
#
#   debug_test.sh W2N W2N_RUN SOURCE_DIR
set -u
w2n=$1 run=$2 src=$3
here=$src/tests/debug
work=$(mktemp -d "${TMPDIR:-/tmp}/w2n-debug.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
ok() { echo "ok   $*"; }
expect() { # NAME FILE SUBSTRING
    if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1: no '$3' in:"; cat "$2"; fi
}

command -v clang-19 >/dev/null && command -v wasm-ld-19 >/dev/null || {
    echo "skipped: clang-19 and wasm-ld-19 are needed"; exit 77; }
# Link with wasm-ld itself: clang's driver runs wasm-opt when optimising,
# which drops the line table.
cp "$here/divide.c" "$work/divide.c"
(cd "$work" && clang-19 --target=wasm32 -O1 -g -c divide.c -o divide.wo) || exit 1
wasm-ld-19 --no-entry --export=compute "$work/divide.wo" -o "$work/divide.wasm" || exit 1
wat2wasm --debug-names "$here/offsets.wat" -o "$work/offsets.wasm" || exit 1

"$w2n" compile -g "$work/divide.wasm" -o "$work/divide-g.o" || exit 1
"$w2n" compile "$work/divide.wasm" -o "$work/divide.o" || exit 1
"$w2n" compile -O0 -g "$work/offsets.wasm" -o "$work/offsets-g.o" || exit 1

"$run" --invoke compute "$work/divide-g.o" 5 > /dev/null 2> "$work/trap-g"
expect "trap with -g names the C line" "$work/trap-g" "#0 compute at divide.c:4:"
"$w2n" run --invoke compute "$work/divide-g.o" 5 > /dev/null 2> "$work/trap-g2"
expect "w2n run prints it too" "$work/trap-g2" "divide.c:4:"
"$run" --invoke compute "$work/divide.o" 5 > /dev/null 2> "$work/trap"
expect "trap without -g names the function" "$work/trap" "#0 compute +0x"
"$run" --invoke outer "$work/offsets-g.o" 5 > /dev/null 2> "$work/trap-wasm"
expect "trap without DWARF: Wasm offsets" "$work/trap-wasm" "#0 inner at wasm offset 0x29"
expect "and the caller's frame" "$work/trap-wasm" "#1 outer at wasm offset 0x2f"
out=$("$run" --invoke compute "$work/divide-g.o" 10)
[ "$out" = 162 ] && ok "-g does not change results" || fail "-g result: $out"
if readelf -S "$work/divide.o" | grep -q debug_; then fail "no -g, yet .debug_ sections"
else ok "no debug sections without -g"; fi

# Faults and explicit traps on every target (--exe, qemu for the others):
# the walk through the signal frame differs per architecture.
wat2wasm --debug-names "$here/faults.wat" -o "$work/faults.wasm" || exit 1
for arch in x86_64 aarch64 riscv64; do
    for bounds in guard explicit; do
        exe=$work/faults-$arch-$bounds
        if ! "$w2n" compile --exe --target=$arch --bounds-checks=$bounds -O0 -g \
            "$work/faults.wasm" -o "$exe" 2> /dev/null; then
            echo "skipped: no --exe runtime for $arch"
            continue
        fi
        case $arch in
        "$(uname -m)") runner= ;;
        *) command -v "qemu-$arch" >/dev/null || { echo "skipped: no qemu-$arch"; continue; }
           runner="qemu-$arch -L /usr/$arch-linux-gnu" ;;
        esac
        $runner "$exe" > /dev/null 2> "$work/fault"
        expect "$arch $bounds: the faulting frame" "$work/fault" "#0 load at wasm offset 0x3a"
        expect "$arch $bounds: its caller" "$work/fault" "#1 mid at wasm offset 0x42"
    done
done

if command -v gdb >/dev/null; then
    gdb -batch -nx -ex 'set breakpoint pending on' -ex "break divide.c:11" -ex run -ex bt \
        --args "$run" --invoke compute "$work/divide-g.o" 10 > "$work/gdb" 2>&1
    expect "gdb stops at the C line" "$work/gdb" "compute () at divide.c:1"
    expect "gdb's backtrace shows the Wasm frame" "$work/gdb" "#0  compute () at divide.c"
    expect "gdb's backtrace reaches the runtime" "$work/gdb" "w2n_call"
else
    echo "skipped: gdb not installed (the JIT interface part)"
fi
echo "$fails failed"
[ "$fails" = 0 ]
