#!/bin/sh
# const_limit_cli.sh — a GC constant expression on the command line: the
# object made at instantiation (a global's 1,000,000-byte array) is there
# with the default heap, and past --max-gc-heap instantiation fails with one
# clear line and exit 4, not a trap or a crash.
#
#   const_limit_cli.sh INTERP W2N
set -u
interp=$1 w2n=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/w2n-gc-cli.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

# check NAME WANT_STATUS WANT_STDOUT WANT_STDERR_SUBSTRING COMMAND...
. "$(dirname "$0")/../cli_check.sh"

cat >"$work/m.wat" <<'WAT'
(module
  (type $bytes (array (mut i8)))
  (global $big (ref $bytes) (array.new $bytes (i32.const 7) (i32.const 1000000)))
  (func (export "len") (result i32) (array.len (global.get $big)))
  (func (export "last") (result i32) (array.get_u $bytes (global.get $big) (i32.const 999999))))
WAT
"$interp" -d "$work/m.wat" -o "$work/m.wasm" || exit 1
check compile 0 "" "" "$w2n" compile --wasm-features=+gc "$work/m.wasm" -o "$work/m.o"
check len 0 1000000 "" "$w2n" run --invoke len "$work/m.o"
check last 0 7 "" "$w2n" run --invoke last "$work/m.o"
check limit 4 "" "GC heap limit of 65536 bytes reached (0 bytes live, 1000016 asked)" \
    "$w2n" run --max-gc-heap=65536 --invoke len "$work/m.o"
check_summary
