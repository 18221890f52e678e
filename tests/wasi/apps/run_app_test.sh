#!/bin/sh
# run_app_test.sh — run one w2pack workload twice, once with the native build
# and once with the wasm32-wasi build under w2n, and require the two runs to
# leave byte-identical results: every file they create, and each command's
# stdout, stderr and exit status.
#
#   run_app_test.sh WORKLOAD APPDIR NATIVE WASM RUNNER...
#
# WORKLOAD  roundtrip, levels, errors or bench (the functions below)
# APPDIR    the w2pack sources (copied in as input, with workloads/*.pks)
# NATIVE    the native executable
# WASM      the .wasm (or compiled object) RUNNER runs, e.g. "w2n run" or
#           "w2n-run"; it gets "--dir ." and the environment as --env.
#           FIRST,REST runs FIRST for the first command and REST for the
#           others: a .wasm then the object compiled from it saves `w2n run`
#           compiling the same module again for every command.
# Each side starts in a fresh directory holding the same inputs; the native
# side runs with an empty environment, like a WASI program.  Every command's
# status must also be the one the workload expects.
set -u
workload=$1 app=$2 native=$3 wasm=$4
shift 4
runner="$*"
work=$(mktemp -d "${TMPDIR:-/tmp}/w2pack-$workload.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
bad=0

# run WANT_STATUS [K=V]... -- ARGS...: one command on the current side.
run() {
    want=$1
    shift
    envs=
    while [ "$1" != -- ]; do
        envs="$envs $1"
        shift
    done
    shift
    n=$((n + 1))
    log=$dir/_logs/$n
    if [ "$side" = native ]; then
        (cd "$dir" && env -i $envs "$native" "$@" >"$log.out" 2>"$log.err"; echo $? >"$log.status")
    else
        wenv=
        for kv in $envs; do wenv="$wenv --env $kv"; done
        module=${wasm%%,*}
        [ $n -gt 1 ] && module=${wasm#*,}
        (cd "$dir" && $runner --dir . $wenv "$module" "$@" >"$log.out" 2>"$log.err"
         echo $? >"$log.status")
    fi
    got=$(cat "$log.status")
    if [ "$got" != "$want" ]; then
        echo "FAIL $side: w2pack $* exited with $got, expected $want"
        sed 's/^/  stderr: /' "$log.err" | head -5
        bad=1
    fi
}

workload_roundtrip() {
    run 0 -- script roundtrip.pks
    run 0 W2PACK_LEVEL=2 W2PACK_BLOCK_KIB=32 -- c -v b.w2p in
    run 0 -- v b.w2p
}

workload_levels() {
    run 0 SRC=src W2PACK_LEVEL=7 -- script levels.pks
}

workload_errors() {
    run 0 -- script errors.pks
    run 2 --
    run 2 W2PACK_LEVEL=x -- t a.w2p
    run 3 -- v bad1.w2p
    run 5 -- script expect_fail.pks
}

workload_bench() {
    run 0 -- bench -m 2 -r 2
    run 0 -- bench -m 1 -l 9 -b 64 -s 7
}

for side in native wasm; do
    dir=$work/$side
    n=0
    mkdir -p "$dir/_logs" "$dir/src"
    cp "$app"/*.c "$app"/*.h "$dir/src/"
    cp "$app"/workloads/*.pks "$dir/"
    start=$(date +%s)
    "workload_$workload"
    echo "$side: $n commands, $(($(date +%s) - start)) s"
done

(cd "$work/native" && find . | sort) >"$work/native.list"
(cd "$work/wasm" && find . | sort) >"$work/wasm.list"
if ! diff -u "$work/native.list" "$work/wasm.list"; then
    echo "FAIL: the two runs left different files (- native, + wasm)"
    bad=1
fi
files=0
for f in $(cat "$work/native.list"); do
    [ -f "$work/native/$f" ] || continue
    files=$((files + 1))
    if ! cmp "$work/native/$f" "$work/wasm/$f"; then
        bad=1
        case $f in
        ./_logs/*) diff -u "$work/native/$f" "$work/wasm/$f" | head -20 ;;
        esac
    fi
done
echo "$files files compared"
[ $bad = 0 ] && echo "byte-identical" || echo "FAILED"
exit $bad
