#!/bin/sh
# object_versions_test.sh — versioned objects on the command line
# (docs/abi.md): what `w2n compile` records and `w2n inspect` shows, and
# that an object of another major or a later minor (its version word
# rewritten and resealed by set_abi_version.py) is refused with one line
# naming both versions and the remedy.  (ABI 6 has no older minor yet.)
#
#   object_versions_test.sh W2N W2N_RUN SOURCE_DIR
set -u
w2n=$1 run=$2 src=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/w2n-versions.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
ok() { echo "ok   $*"; }

version=$("$w2n" --version | awk '{print $NF}')
wat2wasm "$src/tests/data/examples/fib.wat" -o "$work/fib.wasm" || exit 1
sha=$(sha256sum "$work/fib.wasm" | cut -d' ' -f1)

# What an object records: the w2n version, ABI major.minor, triple, CPU and
# features, bounds mode, options and the module's SHA-256.
"$w2n" compile -O1 --target=aarch64 --cpu=cortex-a72 --features=+crc \
    --bounds-checks=explicit --fuel --wasm-features=-simd "$work/fib.wasm" -o "$work/fib-a64.o" ||
    exit 1
"$w2n" inspect "$work/fib-a64.o" > "$work/inspect" || exit 1
for want in "abi version:  6.5" "compiled by:  w2n $version" "triple:       aarch64-linux-gnu" \
            "opt level:    -O1" "cpu:          cortex-a72" "features:     +crc" \
            "flags:        bounds-checks=explicit, fuel" "module sha256: $sha"; do
    if grep -qxF -- "$want" "$work/inspect"; then ok "inspect: $want"
    else fail "inspect lacks '$want'"; cat "$work/inspect"; fi
done
if grep -qE '^wasm features:.*[ ,]simd(,|$)' "$work/inspect"; then
    fail "inspect: --wasm-features=-simd still lists simd"
elif grep -q '^wasm features: mvp,.*bulk-memory' "$work/inspect"; then
    ok "inspect: wasm features without simd"
else
    fail "inspect: no wasm features line"
fi

# check NAME WANT_STATUS WANT_STDOUT WANT_STDERR COMMAND...: stderr, when
# wanted, is exactly that one line.
check() {
    name=$1 want_rc=$2 want_out=$3 want_err=$4
    shift 4
    "$@" >"$work/out" 2>"$work/err"
    rc=$?
    if [ "$rc" = "$want_rc" ] && [ "$(cat "$work/out")" = "$want_out" ] &&
       [ "$(cat "$work/err")" = "$want_err" ]; then
        ok "$name"
    else
        fail "$name: status $rc (want $want_rc)"
        echo "  stdout: $(cat "$work/out")"
        echo "  stderr: $(cat "$work/err")"
        echo "  want:   $want_err"
    fi
}

if [ "$(uname -m)" = x86_64 ]; then
    "$w2n" compile "$work/fib.wasm" -o "$work/fib.o" || exit 1
    check "a fresh object runs" 0 2880067194370816120 "" "$run" --invoke fib_loop "$work/fib.o" 90
    reads="this runtime (w2n $version) reads ABI 6.0 to 6.5"
    python3 "$here/set_abi_version.py" "$work/fib.o" "$work/major.o" 7 0 || exit 1
    check "a later major is refused" 1 "" \
        "w2n-run: $work/major.o: object has w2n ABI 7.0, $reads: recompile the module with w2n $version" \
        "$run" --invoke fib_loop "$work/major.o" 90
    python3 "$here/set_abi_version.py" "$work/fib.o" "$work/older-major.o" 5 0 || exit 1
    check "an older major is refused" 1 "" \
        "w2n-run: $work/older-major.o: object has w2n ABI 5.0, $reads: recompile the module with w2n $version" \
        "$run" --invoke fib_loop "$work/older-major.o" 90
    python3 "$here/set_abi_version.py" "$work/fib.o" "$work/minor.o" 6 6 || exit 1
    check "a later minor is refused" 1 "" \
        "w2n-run: $work/minor.o: object has w2n ABI 6.6, $reads: recompile the module with w2n $version or run it with the runtime of the w2n that compiled it" \
        "$run" --invoke fib_loop "$work/minor.o" 90
    # Code arrays are offsets since 6.5: a 6.5 object that claims 6.4 is
    # refused by its arrays' sizes, never read as pointers.
    python3 "$here/set_abi_version.py" "$work/fib.o" "$work/claims-6.4.o" 6 4 || exit 1
    check "offsets are not read as pointers" 1 "" \
        "w2n-run: $work/claims-6.4.o: symbol w2n_functions has 8 bytes, but the metadata declares 2 entries (16 bytes)" \
        "$run" --invoke fib_loop "$work/claims-6.4.o" 90
else
    echo "skip the run checks: they run x86_64 objects"
fi

[ $fails -eq 0 ] || { echo "$fails checks failed"; exit 1; }
echo "all checks passed"
