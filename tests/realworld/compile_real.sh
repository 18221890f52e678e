#!/bin/sh
# compile_real.sh W2N CACHE_DIR — real Rust modules built for
# wasm32-wasip1-threads (napi-rs addons: shared memory, atomics,
# thread-spawn; 1.5 and 2.0 MB) validate and compile at -O2 for the targets
# modules.txt lists, and the objects say what they import.
#
# The packages come from the npm registry (`npm pack`, pinned versions,
# SHA-256 checked) into CACHE_DIR, so a second run needs no network.  With
# neither the cache nor npm and a network, the test is skipped (exit 77) and
# says so; a package whose hash differs fails it.
set -u
w2n=$1 cache=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$cache"
fails=0 done=0
while read -r spec sum path targets; do
    case $spec in ''|'#'*) continue ;; esac
    name=$(echo "$spec" | sed 's/^@//; s/@.*//; s|/|-|')
    version=${spec##*@}
    tgz=$cache/$name-$version.tgz
    if [ ! -f "$tgz" ]; then
        if ! command -v npm >/dev/null; then
            echo "compile_real: SKIPPED: $spec is not in $cache and npm is not installed"
            exit 77
        fi
        if ! (cd "$cache" && npm pack --silent "$spec" >/dev/null 2>npm.err); then
            echo "compile_real: SKIPPED: npm pack $spec failed (no network?): $(tail -1 "$cache/npm.err")"
            exit 77
        fi
    fi
    got=$(sha256sum "$tgz" | cut -d' ' -f1)
    if [ "$got" != "$sum" ]; then
        echo "FAIL: $tgz has SHA-256 $got, modules.txt pins $sum"
        fails=$((fails + 1))
        continue
    fi
    dir=$cache/$name-$version
    mkdir -p "$dir" && tar xzf "$tgz" -C "$dir" "$path"
    wasm=$dir/$path
    size=$(wc -c <"$wasm")
    "$w2n" validate "$wasm" || { echo "FAIL: $spec does not validate"; fails=$((fails + 1)); continue; }
    for t in $(echo "$targets" | tr ',' ' '); do
        obj=$cache/$name-$t.o
        start=$(date +%s)
        if ! "$w2n" compile -O2 --target="$t" "$wasm" -o "$obj"; then
            echo "FAIL: $spec does not compile for $t"
            fails=$((fails + 1))
            continue
        fi
        # The object imports a shared memory (threads) and records its target.
        "$w2n" inspect "$obj" >"$obj.txt"
        grep -q "^  env.memory: memory min [0-9]* max [0-9]* shared$" "$obj.txt" ||
            { echo "FAIL: $spec for $t: no shared memory import"; fails=$((fails + 1)); }
        grep -q "^target: $t" "$obj.txt" || grep -q "$t" "$obj.txt" ||
            { echo "FAIL: $spec: the object is not for $t"; fails=$((fails + 1)); }
        echo "compile_real: $spec ($size bytes) -O2 $t: $(( $(date +%s) - start )) s"
        done=$((done + 1))
    done
done <"$here/modules.txt"
[ $fails = 0 ] && echo "compile_real: $done compiles ok"
exit $((fails != 0))
