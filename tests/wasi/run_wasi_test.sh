#!/bin/sh
# run_wasi_test.sh — run one tests/wasi program in a fresh sandbox and check it.
#
#   run_wasi_test.sh expect  NAME WASM EXPECTED RUNNER...
#       run WASM with RUNNER (e.g. ".../w2n run") and compare with EXPECTED
#   run_wasi_test.sh compare NAME WASM NODE_SCRIPT RUNNER...
#       run WASM with RUNNER and with node NODE_SCRIPT, compare the two
#
# Every run gets a new temporary directory holding
#   box/            preopened as /sandbox; data.txt, and symlinks escape ->
#                   ../outside, direct -> ../outside/secret.txt, abs -> /etc
#   outside/        next to it, must stay unreachable: secret.txt
# the same stdin, and per program the arguments and environment below.  The
# output compared is stdout, then stderr lines as "stderr: ...", the exit
# status as "[exit N]", and what outside/ holds afterwards.
set -u

mode=$1 name=$2 wasm=$3 ref=$4
shift 4

# run_one OUT RUNNER...: run the program once, write the compared text to OUT.
run_one() {
    out=$1
    shift
    dir=$(mktemp -d "${TMPDIR:-/tmp}/w2n-wasi-$name.XXXXXX") || exit 1
    mkdir -p "$dir/box" "$dir/outside"
    printf 'line one\nline two\n' >"$dir/box/data.txt"
    printf 'top secret\n' >"$dir/outside/secret.txt"
    ln -s ../outside "$dir/box/escape"
    ln -s ../outside/secret.txt "$dir/box/direct"
    ln -s /etc "$dir/box/abs"
    printf 'first line of stdin\nsecond line\n' >"$dir/stdin.txt"
    set -- "$@" --dir box::/sandbox
    case $name in
    args_env) set -- "$@" --env W2N_TEST=hello --env EMPTY= "$wasm" first "second arg" "" ;;
    exit_code) set -- "$@" "$wasm" 7 ;;
    *) set -- "$@" "$wasm" ;;
    esac
    (cd "$dir" && "$@" <stdin.txt >stdout.txt 2>stderr.txt; echo "[exit $?]" >status.txt)
    {
        cat "$dir/stdout.txt"
        # A trap's backtrace depends on the engine and the code: not compared.
        grep -v -e '^backtrace (innermost first):$' -e '^  #[0-9]' "$dir/stderr.txt" |
            sed 's/^/stderr: /'
        cat "$dir/status.txt"
        printf '[outside: %s]\n' "$(cd "$dir/outside" && ls -A | tr '\n' ' ')"
    } >"$out"
    rm -rf "$dir"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/w2n-wasi-out.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
run_one "$work/actual" "$@"
case $mode in
expect) cp "$ref" "$work/expected" ;;
compare) run_one "$work/expected" node --no-warnings "$ref" ;;
*) echo "run_wasi_test.sh: unknown mode $mode" >&2; exit 2 ;;
esac
if ! diff -u "$work/expected" "$work/actual"; then
    echo "run_wasi_test.sh: $name: output differs (- expected, + actual)" >&2
    exit 1
fi
