#!/bin/sh
# shapes_cli.sh — every shape of endless work (shapes.wat) compiled with and
# without --interruptible for TARGET is ended by --timeout (exit 124) and by
# SIGINT (exit 130), run by RUNNER (w2n-run, or qemu with the target's).
#   shapes_cli.sh W2N WAT2WASM TARGET MAX_MS RUNNER...
# MAX_MS bounds the wall time of a 1 s timeout (more under qemu).
set -u
w2n=$1 wat2wasm=$2 target=$3 max_ms=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/w2n-shapes.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
fails=0
ms() { echo $(($(date +%s%N) / 1000000)); }

"$wat2wasm" "$here/shapes.wat" -o "$work/shapes.wasm" || exit 1
"$w2n" compile --target="$target-linux-gnu" "$work/shapes.wasm" -o "$work/plain.o" &&
"$w2n" compile --target="$target-linux-gnu" --interruptible "$work/shapes.wasm" \
    -o "$work/interruptible.o" || { echo "FAIL compile"; exit 1; }

# check NAME WANT_RC MAX_MS COMMAND...: exit status and wall time; the
# machine is shared, so a run that is right but late is tried once more.
check() {
    name=$1 want=$2 max=$3
    shift 3
    for try in 1 2; do
        t0=$(ms)
        "$@" >/dev/null 2>"$work/err" </dev/null
        rc=$?
        t=$(($(ms) - t0))
        [ "$rc" = "$want" ] && [ "$t" -le "$max" ] && break
    done
    if [ "$rc" = "$want" ] && [ "$t" -le "$max" ]; then
        echo "ok   $name (${t} ms)"
    else
        fails=$((fails + 1))
        echo "FAIL $name: status $rc (want $want), ${t} ms (max $max): $(cat "$work/err")"
    fi
}

for build in plain interruptible; do
    for shape in empty locals recursion br_table counted_inner; do
        check "$build $shape --timeout=1" 124 "$max_ms" \
            "$@" --timeout=1 --invoke "$shape" "$work/$build.o"
        check "$build $shape SIGINT" 130 "$max_ms" \
            timeout --preserve-status -s INT 0.5 "$@" --invoke "$shape" "$work/$build.o"
    done
done
[ "$fails" -eq 0 ] && echo PASS || { echo "$fails failed"; exit 1; }
