#!/bin/sh
# run_cross.sh — stand in for `w2n run` on another target: compile the first
# .wasm argument with the host's w2n for TARGET, then run the object with
# that target's w2n-run under qemu-user, passing every other argument on.
#   run_cross.sh W2N TARGET W2N_RUN [OPTIONS...] FILE.wasm [ARGS...]
set -eu
w2n=$1 target=$2 w2n_run=$3
shift 3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2n-cross.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=$#
done=0
i=0
while [ $i -lt $n ]; do
    a=$1
    shift
    i=$((i + 1))
    case $a in
    *.wasm)
        if [ $done = 0 ]; then
            # The object keeps the module's file name: the program sees it
            # as argv[0], as with `w2n run FILE.wasm`.
            obj=$tmp/$(basename "$a")
            "$w2n" compile --target="$target-linux-gnu" "$a" -o "$obj" || exit 125
            a=$obj
            done=1
        fi ;;
    esac
    set -- "$@" "$a"
done
set +e
"qemu-$target" -L "/usr/$target-linux-gnu" "$w2n_run" "$@"
rc=$?
rm -rf "$tmp"
exit $rc
