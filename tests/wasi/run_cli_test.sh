#!/bin/sh
# run_cli_test.sh — the `run` command line of w2n and w2n-run: exit codes,
# --invoke values, and one clear stderr line for each kind of failure; also
# --version on every tool and subcommand, and the one --bounds-checks parser.
#
#   run_cli_test.sh W2N W2N_RUN DIR VERSION
# DIR holds cli_*.wasm (built from the .wat files next to this script);
# VERSION is CMake's project(VERSION).
set -u
w2n=$1 run=$2 dir=$3 version=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/w2n-cli.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

# check NAME WANT_STATUS WANT_STDOUT WANT_STDERR_SUBSTRING COMMAND...
. "$(dirname "$0")/../cli_check.sh"

nl='
'
inv=$dir/cli_invoke.wasm
check "invoke add" 0 "1" "" "$w2n" run --invoke add "$inv" 2 0xffffffff
check "invoke mix" 0 "nan${nl}-5${nl}1.5" "" "$w2n" run --invoke mix "$inv" -5 1.5 nan
check "invoke v128" 0 "0x00000002000000030000000400000000" "" \
    "$w2n" run --invoke vec "$inv" 0x000000010000000200000003ffffffff
check "invoke no results" 0 "" "" "$w2n" run --invoke=nothing "$inv"
# The trap's line, then its backtrace (tests/debug checks that in detail).
check "invoke trap" 134 "" "w2n: trap: integer divide by zero" \
    sh -c '"$@" 2>"$0"; s=$?; head -1 "$0" >&2; exit $s' "$work/trap.err" \
    "$w2n" run --invoke div "$inv" 1 0
check_has "invoke trap backtrace" 0 "#0 func[" "" grep -F "#0 func[" "$work/trap.err"
check "unknown export" 1 "" "unknown export: nope" "$w2n" run --invoke nope "$inv"
check "export not a function" 1 "" "export g is not a function" "$w2n" run --invoke g "$inv"
check "too few arguments" 1 "" "add expects 2 arguments, got 1" "$w2n" run --invoke add "$inv" 1
check "bad argument" 1 "" "'x' is not a valid i32" "$w2n" run --invoke add "$inv" 1 x
check "i32 out of range" 1 "" "is not a valid i32" "$w2n" run --invoke add "$inv" 1 4294967296
check "no _start" 1 "" "no _start function" "$w2n" run "$inv"
check "unknown WASI import" 1 "" "unknown import: wasi_snapshot_preview1.foo" \
    "$w2n" run "$dir/cli_bad_import.wasm"
check "proc_exit status" 42 "hi" "" "$w2n" run "$dir/cli_exit.wasm"
check "proc_exit in start" 9 "" "" "$w2n" run "$dir/cli_start_exit.wasm"
check "missing file" 1 "" "missing.wasm: no such file" "$w2n" run "$work/missing.wasm"
check "directory" 1 "" "is a directory" "$w2n" run "$work"
printf 'garbage!' >"$work/junk"
check "neither object nor wasm" 1 "" "not a compiled object or a .wasm module" \
    "$w2n" run "$work/junk"
head -c 30 "$dir/cli_exit.wasm" >"$work/truncated.wasm"
check "malformed wasm" 1 "" "truncated.wasm: offset" "$w2n" run "$work/truncated.wasm"
check "unknown option" 2 "" "unknown option '--frob'" "$w2n" run --frob "$inv"
check "no file" 2 "" "no FILE to run" "$w2n" run
check "bad --dir" 1 "" "cannot open directory '$work/none'" \
    "$w2n" run --dir "$work/none" "$dir/cli_exit.wasm"
check "w2n-run refuses .wasm" 1 "" "a .wasm module; compile it" "$run" "$inv"
check "w2n --version" 0 "w2n $version" "" "$w2n" --version
check "w2n-run --version" 0 "w2n-run $version" "" "$run" --version
for c in compile run validate inspect; do
    check "w2n $c --version" 0 "w2n $c $version" "" "$w2n" "$c" --version
done
check "compile: bad --bounds-checks" 2 "" \
    "w2n compile: --bounds-checks must be guard or explicit, got 'maybe'" \
    "$w2n" compile --bounds-checks=maybe "$inv"
check "run: bad --bounds-checks" 2 "" "--bounds-checks must be guard or explicit, got 'maybe'" \
    "$w2n" run --bounds-checks=maybe "$inv"
check "run --bounds-checks=explicit" 0 "1" "" \
    "$w2n" run --bounds-checks=explicit --invoke add "$inv" 2 0xffffffff
# An invalid module: the line names the function, offset and instruction
# (w2n_error_format), for validate, compile and run alike.
# (func (param i32 i64) (result i32) local.get 0 local.get 1 i32.add)
printf '\000asm\001\000\000\000\001\007\001\140\002\177\176\001\177\003\002\001\000\012\011\001\007\000\040\000\040\001\152\013' \
    >"$work/bad.wasm"
want="bad.wasm: function 0, offset 0x1e: i32.add: type mismatch"
check "validate names the instruction" 1 "" "$want" "$w2n" validate "$work/bad.wasm"
check "compile names the instruction" 1 "" "$want" "$w2n" compile "$work/bad.wasm" -o "$work/bad.o"
check "run names the instruction" 1 "" "w2n run: $work/$want" "$w2n" run "$work/bad.wasm"
# Resource limits: a grow past one returns -1, a module over one is refused (4).
# Compiled once per bounds mode; w2n-run then runs the objects quickly.
lim=$dir/cli_limits.wasm
for bounds in guard explicit; do
    o=$work/limits-$bounds.o
    "$w2n" compile --bounds-checks=$bounds "$lim" -o "$o" ||
        { fails=$((fails + 1)); echo "FAIL w2n compile $lim ($bounds)"; }
    check "--max-memory: grow to it ($bounds)" 0 "2" "" \
        "$run" --max-memory=192K --invoke grow_memory "$o" 1
    check "--max-memory: grow past it ($bounds)" 0 "-1" "" \
        "$run" --max-memory 192K --invoke grow_memory "$o" 2
    check "--max-table-elements: grow to it ($bounds)" 0 "2" "" \
        "$run" --max-table-elements=4 --invoke grow_table "$o" 2
    check "--max-table-elements: grow past it ($bounds)" 0 "-1" "" \
        "$run" --max-table-elements=4 --invoke grow_table "$o" 3
    for where in grown always never; do
        check "--huge-pages=$where: grow ($bounds)" 0 "2" "" \
            "$run" --huge-pages=$where --invoke grow_memory "$o" 40
    done
done
# Huge pages: the default is on the help screen; a bad placement is a usage error.
check_has "w2n-run --help names the huge-page default" 0 "grown (the default" "" "$run" --help
check "bad --huge-pages" 2 "" "--huge-pages must be grown, always or never, got 'sometimes'" \
    "$run" --huge-pages=sometimes --invoke grow_memory "$work/limits-guard.o" 1
check "--max-memory: module refused" 4 "" \
    "cli_limits.wasm: the module's memory of 131072 bytes exceeds the memory limit of 65536" \
    "$w2n" run --max-memory=64K --invoke grow_memory "$lim" 0
check "w2n-run --max-memory: module refused" 4 "" "exceeds the memory limit of 65536 bytes" \
    "$run" --max-memory=64K --invoke grow_memory "$work/limits-guard.o" 0
check "--max-table-elements: module refused" 4 "" \
    "table of 2 elements exceeds the limit of 1 elements" \
    "$run" --max-table-elements=1 --invoke grow_table "$work/limits-guard.o" 0
check "no limits: grow" 0 "2" "" "$run" --invoke grow_memory "$work/limits-guard.o" 1000
check "--max-memory: malloc returns NULL" 0 "malloc returned NULL within the limit" "" \
    "$w2n" run --max-memory=8M "$dir/mem_limit.wasm" 8388608
check "--max-open-files" 0 "opened 6, the last fd 9, then: No file descriptors available
after a close: the same number again" "" \
    "$w2n" run --max-open-files=10 --dir "$work::/sandbox" "$dir/fd_limit.wasm"
check "bad --max-memory" 2 "" "--max-memory needs a positive size in bytes such as 64M, got '0'" \
    "$w2n" run --max-memory=0 "$lim"
if "$w2n" compile "$dir/cli_exit.wasm" -o "$work/cli_exit.o" 2>"$work/err"; then
    check "w2n-run object" 42 "hi" "" "$run" "$work/cli_exit.o"
    check "compile --stats" 0 "" "cli_exit.wasm: 0 loops with a fast version, 0 of them" \
        "$w2n" compile --stats "$dir/cli_exit.wasm" -o "$work/stats.o"
    check "w2n run object" 42 "hi" "" "$w2n" run "$work/cli_exit.o"
    # A pipe has no size: the one file reader reads it to its end.
    check "w2n-run object from a pipe" 42 "hi" "" \
        sh -c 'cat "$1" | "$2" /dev/stdin' sh "$work/cli_exit.o" "$run"
    check "w2n inspect: bounds mode" 0 "flags:        bounds-checks=guard" "" \
        sh -c '"$1" inspect "$2" | grep "^flags:"' sh "$w2n" "$work/cli_exit.o"
    # The seal cache is on by default: verified seals go to
    # $XDG_CACHE_HOME/w2n/seals (mode 0700), once the file is 2 s old;
    # an empty W2N_SEAL_CACHE turns it off.
    cp "$work/cli_exit.o" "$work/cached.o"
    sleep 2
    check "seal cache off" 42 "hi" "" \
        env XDG_CACHE_HOME="$work/nocache" W2N_SEAL_CACHE= "$run" "$work/cached.o"
    check "seal cache made nothing when off" 1 "" "" test -e "$work/nocache"
    check "seal cache default" 42 "hi" "" \
        env -u W2N_SEAL_CACHE XDG_CACHE_HOME="$work/xdg" "$run" "$work/cached.o"
    check "seal cache entry" 0 "700 1" "" \
        sh -c 'echo "$(stat -c %a "$1") $(ls "$1" | wc -l)"' sh "$work/xdg/w2n/seals"
    check "seal cache vouches" 42 "hi" "" \
        env -u W2N_SEAL_CACHE XDG_CACHE_HOME="$work/xdg" "$run" "$work/cached.o"
    head -c 64 "$work/cli_exit.o" >"$work/cut.o"
    check "w2n-run truncated object" 1 "" "cut.o:" "$run" "$work/cut.o"
    # --perf-map: the file is named after the process, so run it in the background.
    count=$((count + 1))
    "$run" --perf-map "$work/cli_exit.o" >/dev/null 2>&1 &
    pid=$!
    wait $pid
    if grep -Eq '^[0-9a-f]+ [0-9a-f]+ w2n_f[0-9]+$' "/tmp/perf-$pid.map"; then
        echo "ok   --perf-map"
    else
        fails=$((fails + 1))
        echo "FAIL --perf-map: /tmp/perf-$pid.map: $(cat "/tmp/perf-$pid.map" 2>&1)"
    fi
    rm -f "/tmp/perf-$pid.map"
    count=$((count + 1))
    if "$run" --time-instantiate "$work/cli_exit.o" >"$work/out" 2>&1 &&
       grep -Eq '^load_us=[0-9.]+$' "$work/out" && grep -Eq '^instantiate_us=[0-9.]+$' "$work/out" &&
       grep -Eq '^load_phases_us: open=[0-9.]+ seal=[0-9.]+ .*map=[0-9.]+ relocate=[0-9.]+' "$work/out" &&
       [ "$(wc -l <"$work/out")" -eq 3 ]; then
        echo "ok   --time-instantiate"
    else
        fails=$((fails + 1))
        echo "FAIL --time-instantiate: $(cat "$work/out")"
    fi
else
    fails=$((fails + 1))
    echo "FAIL w2n compile cli_exit.wasm: $(cat "$work/err")"
fi
check_summary
