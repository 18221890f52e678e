#!/bin/sh
# stop_cli_test.sh — ending runs from outside: --timeout on code built with
# and without --interruptible (and on a .wasm compiled by `w2n run`), on a
# guest blocked in fd_read, SIGINT and SIGTERM, and --fuel, whose trap must
# come at the same instruction on every run, -O level and bounds mode.
#
#   stop_cli_test.sh W2N W2N_RUN DIR time|fuel
# DIR holds stop_*.wasm (built from the .wat files next to this script).
# `time` checks --timeout and the signals, `fuel` checks --fuel.
set -u
w2n=$1 run=$2 dir=$3 part=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/w2n-stop.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
fails=0 count=0
say() { echo "$1"; }
bad() { fails=$((fails + 1)); echo "FAIL $*"; }
ms() { echo $(($(date +%s%N) / 1000000)); }

# timed COMMAND...: run it, setting rc and t (wall milliseconds).
timed() {
    t0=$(ms)
    "$@" >"$work/out" 2>"$work/err" </dev/null
    rc=$?
    t=$(($(ms) - t0))
}

# stopped NAME WANT_STATUS WANT_STDERR MAX_MS COMMAND...: status, one stderr
# line containing WANT_STDERR, and at most MAX_MS of wall time.  The machine
# is shared, so a run that is right but late is tried once more.
stopped() {
    name=$1 want_rc=$2 want_err=$3 max_ms=$4
    shift 4
    count=$((count + 1))
    timed "$@"
    [ "$t" -gt "$max_ms" ] && timed "$@"
    if [ "$rc" != "$want_rc" ] || ! grep -qF -- "$want_err" "$work/err" ||
       [ "$(wc -l <"$work/err")" -ne 1 ] || [ "$t" -gt "$max_ms" ]; then
        bad "$name: status $rc (want $want_rc), ${t} ms (max $max_ms), stderr: $(cat "$work/err")"
    else
        say "ok   $name (${t} ms)"
    fi
}

"$w2n" compile "$dir/stop_spin.wasm" -o "$work/spin.o" &&
"$w2n" compile --interruptible "$dir/stop_spin.wasm" -o "$work/spin_i.o" &&
"$w2n" compile --bounds-checks=explicit "$dir/stop_spin.wasm" -o "$work/spin_e.o" &&
"$w2n" compile "$dir/stop_read.wasm" -o "$work/read.o" || { echo "FAIL compile"; exit 1; }

if [ "$part" = time ]; then
msg="w2n: timeout: stopped after 1 s"
stopped timeout-plain 124 "$msg" 1100 "$run" --timeout=1 "$work/spin.o"
stopped timeout-interruptible 124 "$msg" 1100 "$run" --timeout=1 "$work/spin_i.o"
stopped timeout-wasm 124 "$msg" 1100 "$w2n" run --timeout=1 "$dir/stop_spin.wasm"
stopped timeout-explicit 124 "stopped after 0.2 s" 500 "$run" --timeout=0.2 "$work/spin_e.o"
stopped timeout-short 124 "stopped after 0.2 s" 500 "$run" --timeout 0.2 "$work/spin.o"

# A FIFO opened read-write has a writer that never writes: fd_read blocks
# until --timeout ends it.
mkfifo "$work/fifo" || exit 1
count=$((count + 1))
t0=$(ms)
"$run" --timeout=0.3 "$work/read.o" <>"$work/fifo" 2>"$work/err"
rc=$?
t=$(($(ms) - t0))
if [ "$rc" != 124 ] || ! grep -qF "stopped after 0.3 s" "$work/err" || [ "$t" -gt 600 ]; then
    bad "timeout-fd_read: status $rc, ${t} ms, stderr: $(cat "$work/err")"
else
    say "ok   timeout-fd_read (${t} ms)"
fi

# Signals: timeout(1) sends them; --preserve-status passes our status on.
stopped sigint 130 "w2n: stopped by SIGINT" 1000 \
    timeout --preserve-status -s INT 0.3 "$run" "$work/spin.o"
stopped sigterm 143 "w2n: stopped by SIGTERM" 1000 \
    timeout --preserve-status -s TERM 0.3 "$run" "$work/spin_i.o"
stopped sigint-wasm 130 "w2n: stopped by SIGINT" 1500 \
    timeout --preserve-status -s INT 0.5 "$w2n" run "$dir/stop_spin.wasm"

fi

if [ "$part" = fuel ]; then
# Fuel: the same budget stops at the same write every time.
fuel_run() {   # fuel_run NAME COMPILE_FLAGS...: prints how many x's came out
    name=$1
    shift
    "$w2n" compile --fuel "$@" "$dir/stop_fuel.wasm" -o "$work/$name.o" || return 1
    "$run" --fuel=5000 "$work/$name.o" >"$work/$name.out" 2>"$work/$name.err"
    echo "$? $(wc -c <"$work/$name.out") $(cat "$work/$name.err")"
}
count=$((count + 1))
a=$(fuel_run f2) b=$(fuel_run f2) c=$(fuel_run f0 -O0) d=$(fuel_run fe --bounds-checks=explicit)
e=$(fuel_run f1 -O1)
case $a in "134 "*" w2n: trap: all fuel consumed") ok=yes ;; *) ok=no ;; esac
if [ "$ok" = yes ] && [ "$a" = "$b" ] && [ "$a" = "$c" ] && [ "$a" = "$d" ] && [ "$a" = "$e" ]; then
    say "ok   fuel-deterministic ($a)"
else
    bad "fuel-deterministic: -O2 '$a', again '$b', -O0 '$c', explicit '$d', -O1 '$e'"
fi
count=$((count + 1))
more=$("$run" --fuel=10000 "$work/f2.o" 2>/dev/null | wc -c)
[ "$more" -gt "$(echo "$a" | cut -d' ' -f2)" ] && say "ok   fuel-more-runs-longer" ||
    bad "fuel-more-runs-longer: $more"
stopped fuel-unmetered-object 1 "compiled without fuel counting" 1000 \
    "$run" --fuel=10 "$work/spin.o"
stopped fuel-wasm 134 "w2n: trap: all fuel consumed" 3000 \
    "$w2n" run --fuel=100 "$dir/stop_spin.wasm"
stopped fuel-bad 2 "--fuel needs a count" 1000 "$run" --fuel=lots "$work/spin.o"
fi
stopped timeout-bad 2 "--timeout needs a positive number" 1000 "$run" --timeout=0 "$work/spin.o"

echo "$((count - fails)) of $count passed"
[ "$fails" -eq 0 ]
