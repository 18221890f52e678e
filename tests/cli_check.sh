# cli_check.sh — check() for the command-line test scripts, sourced by
# tests/trust/trust_cli_test.sh and tests/wasi/run_cli_test.sh.  The sourcing
# script sets $work (a scratch directory); this file starts the tally.
#
#   check NAME WANT_STATUS WANT_STDOUT WANT_STDERR COMMAND...
#       stdout must be exactly WANT_STDOUT (empty: nothing);
#   check_has NAME WANT_STATUS WANT_STDOUT_SUBSTRING WANT_STDERR COMMAND...
#       stdout must contain the substring (empty: anything);
# and for both, a non-empty WANT_STDERR must be exactly one line of stderr
# containing it, an empty one means stderr stays empty.  check_summary prints
# the tally and is true when nothing failed: make it the script's last command.
fails=0 count=0

cli_check_run() {
    mode=$1 name=$2 want_rc=$3 want_out=$4 want_err=$5
    shift 5
    count=$((count + 1))
    "$@" >"$work/out" 2>"$work/err"
    rc=$?
    out=$(cat "$work/out")
    err=$(cat "$work/err")
    ok=yes
    [ "$rc" = "$want_rc" ] || ok=no
    if [ "$mode" = exact ]; then
        [ "$out" = "$want_out" ] || ok=no
    else
        [ -z "$want_out" ] || printf '%s' "$out" | grep -qF -- "$want_out" || ok=no
    fi
    if [ -n "$want_err" ]; then
        printf '%s' "$err" | grep -qF -- "$want_err" && [ "$(wc -l <"$work/err")" -eq 1 ] || ok=no
    elif [ -n "$err" ]; then
        ok=no
    fi
    if [ $ok = yes ]; then
        echo "ok   $name"
    else
        fails=$((fails + 1))
        echo "FAIL $name: status $rc (want $want_rc)"
        echo "  stdout: $out"
        echo "  want:   $want_out"
        echo "  stderr: $err"
        echo "  want:   $want_err"
    fi
}

check() { cli_check_run exact "$@"; }
check_has() { cli_check_run substring "$@"; }

check_summary() {
    echo "$((count - fails)) of $count passed"
    [ "$fails" -eq 0 ]
}
