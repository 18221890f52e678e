#!/bin/sh
# run_gc_program.sh — one GC stress program (tests/gc/NAME.wat) against its
# expected answers (NAME.expected), whose lines read
#     EXPORT ARG... => RESULT...            (i32 arguments; results in decimal)
#     EXPORT ARG... => (none)               (the call returns nothing)
#     EXPORT ARG... => trap: MESSAGE        (the call traps with MESSAGE)
#     #! max-gc-heap=BYTES min-collections=N
# ('#' lines are comments).  Three modes:
#
#   run_gc_program.sh interp INTERP WAT EXPECTED
#       the reference interpreter runs every call: its answers must be the
#       expected ones (so the file is right today, before w2n compiles GC);
#   run_gc_program.sh expect INTERP WAT EXPECTED
#       print the file with the interpreter's answers (to write a new one);
#   run_gc_program.sh w2n INTERP WAT EXPECTED W2N TARGET BOUNDS RUNNER...
#       w2n compiles the program and RUNNER (w2n-gc-run, or qemu-T -L ...
#       w2n-gc-run) runs every call with the heap limit: the same answers,
#       and at least min-collections collections over all the calls.  Any
#       compile failure fails (GC is on by default; --wasm-features=+gc
#       stays so that the command says what it needs).
set -u
mode=$1 interp=$2 wat=$3 expected=$4
shift 4
dir=$(mktemp -d "${TMPDIR:-/tmp}/w2n-gc.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
grep -v '^#' "$expected" | grep -v '^$' >"$dir/calls"
directive=$(grep '^#!' "$expected" | head -n 1)
heap=$(echo "$directive" | sed -n 's/.*max-gc-heap=\([0-9]*\).*/\1/p')
min=$(echo "$directive" | sed -n 's/.*min-collections=\([0-9]*\).*/\1/p')

# The interpreter's script: the module, then each call in order; calls
# that must trap are assert_trap and those that return nothing
# assert_return (both silent when right), the others print
# "RESULT : [TYPES]" (digits grouped by '_', several results in brackets).
interp_answers() {
    cp "$wat" "$dir/script.wast"
    while IFS= read -r line; do
        call=${line%% => *} want=${line#* => }
        set -- $call
        name=$1
        shift
        inv="(invoke \"$name\""
        for arg in "$@"; do inv="$inv (i32.const $arg)"; done
        inv="$inv)"
        case $want in
        "trap: "*) echo "(assert_trap $inv \"${want#trap: }\")" ;;
        "(none)") echo "(assert_return $inv)" ;;
        *) echo "$inv" ;;
        esac
    done <"$dir/calls" >>"$dir/script.wast"
    if ! timeout "${W2N_GC_TIMEOUT:-1200}" "$interp" "$dir/script.wast" >"$dir/printed" 2>&1; then
        echo "FAIL: the reference interpreter on $wat:" >&2
        cat "$dir/printed" >&2
        exit 1
    fi
    sed 's/ : \[.*\]$//; s/_//g; s/^\[//; s/\]$//' "$dir/printed" >"$dir/values"
    exec 3<"$dir/values"
    while IFS= read -r line; do
        want=${line#* => }
        case $want in
        "trap: "* | "(none)") echo "$line" ;;
        *) IFS= read -r got <&3; echo "${line%% => *} => $got" ;;
        esac
    done <"$dir/calls"
    exec 3<&-
}

compare() { # GOT-FILE WHAT
    if ! diff -u "$dir/calls" "$1"; then
        echo "FAIL: $wat: $2 differs from $expected" >&2
        exit 1
    fi
}

case $mode in
interp)
    interp_answers >"$dir/got"
    compare "$dir/got" "the reference interpreter"
    echo "ok: $(wc -l <"$dir/calls") calls of $(basename "$wat") as the interpreter answers"
    exit 0
    ;;
expect)
    grep '^#' "$expected"
    interp_answers
    exit 0
    ;;
w2n) ;;
*)
    echo "usage: run_gc_program.sh interp|expect|w2n ..." >&2
    exit 2
    ;;
esac

w2n=$1 target=$2 bounds=$3
shift 3
if ! "$interp" -d "$wat" -o "$dir/program.wasm" >"$dir/err" 2>&1; then
    echo "FAIL: the reference interpreter cannot convert $wat:" >&2
    cat "$dir/err" >&2
    exit 1
fi
if ! "$w2n" compile --wasm-features=+gc --target="$target-linux-gnu" --bounds-checks="$bounds" \
    -o "$dir/program.o" "$dir/program.wasm" >"$dir/err" 2>&1; then
    echo "FAIL: w2n compile $wat ($target, $bounds):" >&2
    cat "$dir/err" >&2
    exit 1
fi
collections=0
while IFS= read -r line; do
    call=${line%% => *}
    # shellcheck disable=SC2086  # the arguments are words
    timeout "${W2N_GC_TIMEOUT:-1200}" "$@" ${heap:+--max-gc-heap=$heap} "$dir/program.o" \
        $call >"$dir/out" 2>"$dir/stats" </dev/null
    status=$?
    if [ "$status" -ne 0 ]; then
        echo "$call => [exit $status] $(head -n 1 "$dir/stats")"
        continue
    fi
    echo "$call => $(cat "$dir/out")"
    n=$(sed -n 's/^gc: collections \([0-9]*\),.*/\1/p' "$dir/stats" | tail -n 1)
    collections=$((collections + ${n:-0}))
    sed -n 's/^gc: /  /p' "$dir/stats" | sed "s|^|$call:|" >&2
done <"$dir/calls" >"$dir/got"
compare "$dir/got" "w2n ($target, $bounds)"
if [ -n "$min" ] && [ "$collections" -lt "$min" ]; then
    echo "FAIL: $wat: $collections collections with a heap of $heap bytes, expected" \
        "at least $min" >&2
    exit 1
fi
echo "ok: $(basename "$wat") ($target, $bounds): $collections collections"
