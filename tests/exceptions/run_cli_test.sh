#!/bin/sh
# run_cli_test.sh — `w2n run` and `w2n-run` on uncaught exceptions: one line
# naming the tag (its export name, or its index) and the payload, exit 135; a
# caught one runs normally.
#   run_cli_test.sh W2N W2N_RUN SPEC_INTERPRETER
set -u
w2n=$1 w2n_run=$2 specint=$3
here=$(dirname "$0")
work=$(mktemp -d "${TMPDIR:-/tmp}/w2n-exn-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/../cli_check.sh"

cat >"$work/m.wat" <<'WAT'
(module
  (tag $e (export "my-error") (param i32 f64))
  (tag $quiet)
  (func $deep (param i32)
    (if (i32.eqz (local.get 0)) (then (throw $e (i32.const 42) (f64.const 1.5))))
    (call $deep (i32.sub (local.get 0) (i32.const 1))))
  (func (export "deep") (call $deep (i32.const 20)))
  (func (export "quiet") (throw $quiet))
  (func (export "caught") (result i32)
    (block $h (result i32 f64)
      (try_table (catch $e $h) (call $deep (i32.const 20)))
      (unreachable))
    (drop)))
WAT
[ -x "$specint" ] || { echo "SKIP: no spec interpreter at $specint"; exit 77; }
"$specint" -d "$work/m.wat" -o "$work/run.wasm" || exit 1
"$w2n" compile "$work/run.wasm" -o "$work/run.o" || exit 1

check "w2n run: uncaught, exported tag" 135 "" \
    'w2n: uncaught exception of tag "my-error" (i32 42, f64 1.5)' \
    "$w2n" run --invoke deep "$work/run.wasm"
check "w2n-run: uncaught, exported tag" 135 "" \
    'w2n: uncaught exception of tag "my-error" (i32 42, f64 1.5)' \
    "$w2n_run" --invoke deep "$work/run.o"
check "w2n-run: uncaught, tag by index" 135 "" "w2n: uncaught exception of tag 1" \
    "$w2n_run" --invoke quiet "$work/run.o"
check "w2n-run: caught" 0 "42" "" "$w2n_run" --invoke caught "$work/run.o"
check_summary
