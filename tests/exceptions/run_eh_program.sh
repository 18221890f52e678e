#!/bin/sh
# run_eh_program.sh — compile one exception-handling program for a target and
# bounds mode, call each export that EXPECTED names with `w2n-run --invoke`,
# and compare what happened with EXPECTED, whose lines read
#     EXPORT ARG... => RESULT...                 (the printed results, in order)
#     EXPORT ARG... => [exit N] STDERR-LINE      (a trap, an uncaught exception)
# '#' lines are comments.  RUNNER is w2n-run, or qemu-T -L ... w2n-run.
#   run_eh_program.sh EXPECTED W2N TARGET BOUNDS WASM RUNNER...
set -u
expected=$1 w2n=$2 target=$3 bounds=$4 wasm=$5
shift 5
dir=$(mktemp -d "${TMPDIR:-/tmp}/w2n-eh.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
obj=$dir/program.o
if ! "$w2n" compile --target="$target-linux-gnu" --bounds-checks="$bounds" -o "$obj" "$wasm"; then
    echo "FAIL: w2n compile $wasm" >&2
    exit 1
fi
grep -v '^#' "$expected" | grep -v '^$' | while IFS= read -r line; do
    call=${line%% => *}
    name=${call%% *} args=
    [ "$name" = "$call" ] || args=${call#* }
    # Options come before FILE, the export's arguments after it.
    # shellcheck disable=SC2086  # the arguments are words
    timeout "${W2N_EH_TIMEOUT:-60}" "$@" --invoke "$name" "$obj" $args >"$dir/out" \
        2>"$dir/err" </dev/null
    status=$?
    printf '%s => ' "$call"
    if [ "$status" -eq 0 ]; then
        tr '\n' ' ' <"$dir/out" | sed 's/ $//'
    else
        printf '[exit %s] %s' "$status" "$(head -n 1 "$dir/err")"
    fi
    echo
done >"$dir/got"
if ! grep -v '^#' "$expected" | grep -v '^$' | diff -u - "$dir/got"; then
    echo "FAIL: $wasm ($target, $bounds)" >&2
    exit 1
fi
