#!/bin/sh
# exe_test.sh W2N ARCH WASM_DIR — tests/wasi programs as standalone
# executables (`w2n compile --exe --target=ARCH`) print, exit and keep to
# their sandbox exactly as under `w2n run`.  Run options reach the
# executable through W2N_RUN_OPTIONS; cross executables run under qemu-ARCH
# (static: no -L sysroot needed).  argv[0] differs by design (the
# executable's name, not the .wasm's) and is left out of the comparison.
set -u
w2n=$1 arch=$2 wasm_dir=$3
host=$(uname -m)
work=$(mktemp -d "${TMPDIR:-/tmp}/w2n-exe.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
emu=""
[ "$arch" = "$host" ] || emu="qemu-$arch"
fails=0

# sandbox DIR: the tree run_wasi_test.sh gives every program.
sandbox() {
    mkdir -p "$1/box" "$1/outside"
    printf 'line one\nline two\n' >"$1/box/data.txt"
    printf 'top secret\n' >"$1/outside/secret.txt"
    ln -s ../outside "$1/box/escape"
    printf 'first line of stdin\nsecond line\n' >"$1/stdin.txt"
}

# collect DIR OUT: what is compared, as run_wasi_test.sh writes it.
collect() {
    {
        grep -v '^argv\[0\]=' "$1/stdout.txt"
        # Native offsets in a trap's backtrace differ per target: names only.
        sed -e 's/^\(  #[0-9]* [^ ]*\) +0x[0-9a-f]*$/\1/' -e 's/^/stderr: /' "$1/stderr.txt"
        cat "$1/status.txt"
        printf '[outside: %s]\n' "$(cd "$1/outside" && ls -A | tr '\n' ' ')"
    } >"$2"
}

for p in args_env exit_code files trap stdin_echo; do
    wasm=$wasm_dir/$p.wasm
    exe=$work/$p-$arch
    if ! "$w2n" compile --exe --target="$arch" "$wasm" -o "$exe"; then
        echo "FAIL: w2n compile --exe --target=$arch $p.wasm"
        fails=$((fails + 1))
        continue
    fi
    opts="--dir box::/sandbox"
    set --
    case $p in
    args_env) opts="$opts --env W2N_TEST=hello --env EMPTY="; set -- first "second arg" "" ;;
    exit_code) set -- 7 ;;
    esac
    ref=$work/ref-$p act=$work/act-$p
    sandbox "$ref"
    sandbox "$act"
    # shellcheck disable=SC2086 # $opts is a list of words
    (cd "$ref" && "$w2n" run $opts "$wasm" "$@" <stdin.txt >stdout.txt 2>stderr.txt
     echo "[exit $?]" >status.txt)
    (cd "$act" && W2N_RUN_OPTIONS="$opts" $emu "$exe" "$@" <stdin.txt >stdout.txt 2>stderr.txt
     echo "[exit $?]" >status.txt)
    collect "$ref" "$ref.txt"
    collect "$act" "$act.txt"
    if ! diff -u "$ref.txt" "$act.txt"; then
        echo "FAIL: $p as an $arch executable differs from w2n run (- w2n run, + executable)"
        fails=$((fails + 1))
    fi
done

# Options baked in at compile time, and a static executable.
"$w2n" compile --exe --target="$arch" --exe-run-options="--dir box::/sandbox" \
    "$wasm_dir/files.wasm" -o "$work/baked" || fails=$((fails + 1))
sandbox "$work/baked-run"
(cd "$work/baked-run" && $emu "$work/baked" >out.txt 2>&1) ||
    { echo "FAIL: baked --dir: $(cat "$work/baked-run/out.txt")"; fails=$((fails + 1)); }
if command -v file >/dev/null && ! file "$work/baked" | grep -q 'statically linked'; then
    echo "FAIL: the executable is not statically linked: $(file "$work/baked")"
    fails=$((fails + 1))
fi

# A bad W2N_RUN_OPTIONS is a usage error of its own.
status=0
W2N_RUN_OPTIONS="--no-such-option" $emu "$work/baked" >/dev/null 2>"$work/err" || status=$?
grep -q "W2N_RUN_OPTIONS" "$work/err" && [ $status = 2 ] ||
    { echo "FAIL: bad W2N_RUN_OPTIONS gave exit $status: $(cat "$work/err")"; fails=$((fails + 1)); }

[ $fails = 0 ] && echo "exe_test: $arch ok"
exit $((fails != 0))
