#!/bin/sh
# gc_tail_call.sh — tail calls in a module that uses GC (gc_pingpong.wat)
# are real tail calls the collector survives: N steps of mutual
# return_call, return_call_indirect and return_call_ref, each allocating
# while it holds the reference it was given, run at -O0 and -O2, guard and
# explicit bounds, in the runtime's default 1 MiB of stack (ordinary calls
# exhaust it after some 10^4 frames), with a 64 KiB GC heap limit so that
# the collector runs and moves that reference thousands of times in the
# loop (at least N / 10^4 collections, checked).  The IR side is
# tests/ir/gc_tail_call.wat.
#   gc_tail_call.sh W2N TARGET CONVERTER N RUNNER...
# CONVERTER: the reference interpreter (wasm.exe), which reads GC text;
# RUNNER: w2n-gc-run, or qemu with the target's w2n-gc-run.
# W2N_TAILCALL_OPT (default "-O0 -O2") chooses the optimisation levels run.
set -eu
w2n=$1 target=$2 convert=$3 n=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2n-gc-tailcall.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$convert" -d "$here/gc_pingpong.wat" -o "$tmp/pp.wasm"
min=$((n / 10000))
for opt in ${W2N_TAILCALL_OPT:--O0 -O2}; do
    for bounds in guard explicit; do
        obj="$tmp/pp$opt-$bounds.o"
        "$w2n" compile $opt --wasm-features=+gc --bounds-checks=$bounds \
            --target="$target-linux-gnu" "$tmp/pp.wasm" -o "$obj"
        for fn in direct indirect by_ref; do
            set +e
            got=$("$@" --max-gc-heap=65536 "$obj" "$fn" "$n" 2>"$tmp/stats" </dev/null)
            rc=$?
            set -e
            collections=$(sed -n 's/^gc: collections \([0-9]*\),.*/\1/p' "$tmp/stats")
            if [ $rc -ne 0 ] || [ "$got" != 10 ] || [ "${collections:-0}" -lt "$min" ]; then
                echo "FAIL: $target $opt $bounds $fn $n: exit $rc, '$got' (want 10)," \
                    "${collections:-no} collections (want >= $min): $(head -n 1 "$tmp/stats")" >&2
                exit 1
            fi
        done
    done
done
echo "gc_tail_call $target: ok (n = $n, $collections collections per run)"
