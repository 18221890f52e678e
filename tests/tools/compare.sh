#!/bin/sh
# compare.sh W2N WAT2WASM SRCDIR — checks `w2n compare` end to end.
set -eu
W2N=$1 WAT2WASM=$2 SRC=$3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
for m in hello fac only; do "$WAT2WASM" "$SRC/$m.wat" -o $m.wasm; done
fail() { echo "FAIL: $*"; cat out.txt; exit 1; }
expect_row() { grep -Eq "^$1 .*$2" out.txt || fail "row $1 does not say '$2'"; }
have_node=$(command -v node >/dev/null && echo yes || echo no)
have_interp=$(command -v wasm-interp >/dev/null && echo yes || echo no)

# An export without parameters among several: wabt's interpreter runs a
# copy of the module that exports only it.
"$W2N" compare --runs 2 fac.wasm --invoke fac20 > out.txt || fail "fac20: exit $?"
[ $have_interp = no ] || expect_row wasm-interp same

# A WASI command: every engine that runs WASI gives the same output.
"$W2N" compare --runs 2 hello.wasm > out.txt || fail "hello: exit $?"
expect_row w2n reference
[ $have_node = no ] || expect_row node same

# Results of every type, with arguments; wabt's interpreter cannot pass them.
"$W2N" compare --runs 2 fac.wasm --invoke mix 5 1 > out.txt || fail "mix: exit $?"
[ $have_node = no ] || expect_row node same
[ $have_interp = no ] || expect_row wasm-interp "skipped: wasm-interp passes no arguments"

# Floats from wabt's interpreter (six decimals) agree; JSON and SVG written.
"$W2N" compare --runs 3 --json r.json --svg r.svg only.wasm --invoke answer > out.txt ||
    fail "answer: exit $?"
[ $have_interp = no ] || expect_row wasm-interp same
python3 - <<'PY' || fail "JSON"
import json
r = json.load(open("r.json"))
assert r["mode"] == "invoke" and r["export"] == "answer" and r["outputs_agree"] is True
w = r["engines"][0]
assert w["name"] == "w2n" and len(w["total_samples"]) == 3 and w["total_seconds"] > 0
PY
grep -q '^<svg' r.svg || fail "SVG"

# An engine that answers differently: exit 1 and the difference named.
printf '#!/bin/sh\necho 41\n' > fake.sh
chmod +x fake.sh
status=0
"$W2N" compare --runs 1 --engines w2n --engine fake="$WORK/fake.sh" fac.wasm --invoke fac 5 \
    > out.txt || status=$?
[ $status = 1 ] || fail "a different result gave exit $status, not 1"
expect_row fake "results differ: 41, w2n 120"
grep -q "OUTPUTS DIFFER" out.txt || fail "no OUTPUTS DIFFER line"

# Usage errors exit 2; a missing export exits 1.
status=0; "$W2N" compare --runs 0 fac.wasm > out.txt 2>&1 || status=$?
[ $status = 2 ] || fail "--runs 0 gave exit $status"
status=0; "$W2N" compare fac.wasm --invoke nosuch > out.txt 2>&1 || status=$?
[ $status = 1 ] || fail "a missing export gave exit $status"
grep -q "exports no function 'nosuch'" out.txt || fail "missing-export message"
echo "compare.cli: ok (node: $have_node, wasm-interp: $have_interp)"
