#!/bin/sh
# trust_cli_test.sh — object seals and signatures on the command line:
# `w2n keygen`, `w2n compile --sign`, `--trust` of `w2n run` and `w2n-run`,
# `w2n inspect`'s seal lines, and one clear stderr line with exit 1 for
# every refused object.
#
#   trust_cli_test.sh W2N W2N_RUN
set -u
w2n=$1 run=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/w2n-trust.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
fails=0 count=0

# check NAME WANT_STATUS WANT_STDOUT_SUBSTRING WANT_STDERR_SUBSTRING COMMAND...
# A wanted stderr must be exactly one line containing the substring; none
# wanted means stderr stays empty.
check() {
    name=$1 want_rc=$2 want_out=$3 want_err=$4
    shift 4
    count=$((count + 1))
    "$@" >"$work/out" 2>"$work/err"
    rc=$?
    ok=yes
    [ "$rc" = "$want_rc" ] || ok=no
    [ -z "$want_out" ] || grep -qF -- "$want_out" "$work/out" || ok=no
    if [ -n "$want_err" ]; then
        grep -qF -- "$want_err" "$work/err" && [ "$(wc -l <"$work/err")" -eq 1 ] || ok=no
    elif [ -s "$work/err" ]; then
        ok=no
    fi
    if [ $ok = yes ]; then
        echo "ok   $name"
    else
        fails=$((fails + 1))
        echo "FAIL $name: status $rc (want $want_rc)"
        echo "  stdout: $(cat "$work/out")"
        echo "  want:   $want_out"
        echo "  stderr: $(cat "$work/err")"
        echo "  want:   $want_err"
    fi
}

# A minimal module in binary form: (func (export "two") (result i32) i32.const 2).
printf '\000asm\001\000\000\000\001\005\001\140\000\001\177\003\002\001\000\007\007\001\003two\000\000\012\006\001\004\000\101\002\013' \
    >"$work/m.wasm"

# flip FILE OFFSET: xor one byte with 0x01, in place.
flip() {
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $((b ^ 1)))" |
        dd of="$1" bs=1 seek="$2" count=1 conv=notrunc 2>/dev/null
}

check compile 0 "" "" "$w2n" compile "$work/m.wasm" -o "$work/m.o"
check run_unsigned 0 2 "" "$run" --invoke two "$work/m.o"
check inspect_unsigned 0 "signed:       no" "" "$w2n" inspect "$work/m.o"
check inspect_hash 0 "seal:         matches the content" "" "$w2n" inspect "$work/m.o"
size=$(wc -c <"$work/m.o")
cp "$work/m.o" "$work/bad.o"
flip "$work/bad.o" 0
check flipped_elf_magic 1 "" "not a compiled object" "$run" --invoke two "$work/bad.o"
for at in 20 100 $((size / 2)) $((size - 200)) $((size - 100)) $((size - 1)); do
    cp "$work/m.o" "$work/bad.o"
    flip "$work/bad.o" $at
    check "flipped_byte_$at" 1 "" "SHA-256 does not match its seal" "$run" --invoke two "$work/bad.o"
done
head -c $((size - 1)) "$work/m.o" >"$work/short.o"
check truncated 1 "" "object has no seal" "$run" --invoke two "$work/short.o"

if ! "$w2n" keygen "$work/k" >/dev/null 2>"$work/err"; then
    if grep -q "no signing support" "$work/err"; then
        echo "ok   (signing not built: keygen refuses, signing checks skipped)"
        echo "$((count - fails)) passed, $fails failed"
        [ $fails -eq 0 ]
        exit
    fi
    echo "FAIL keygen: $(cat "$work/err")"
    exit 1
fi
check keygen_other 0 "wrote" "" "$w2n" keygen "$work/k2"
check keygen_no_overwrite 1 "" "File exists" "$w2n" keygen "$work/k"
check keygen_usage 2 "" "usage" "$w2n" keygen
check compile_signed 0 "" "" "$w2n" compile --sign "$work/k" "$work/m.wasm" -o "$work/s.o"
check compile_sign_public_key 1 "" "not a key file" \
    "$w2n" compile --sign "$work/k.pub" "$work/m.wasm" -o "$work/x.o"
check inspect_signed 0 "signed:       yes, by public key" "" "$w2n" inspect "$work/s.o"
check trusted_run 0 2 "" "$run" --trust "$work/k.pub" --invoke two "$work/s.o"
check trusted_w2n_run 0 2 "" "$w2n" run --trust="$work/k.pub" --invoke two "$work/s.o"
check signed_without_trust 0 2 "" "$run" --invoke two "$work/s.o"
check wrong_key 1 "" "signed by another key than the trusted one" \
    "$run" --trust "$work/k2.pub" --invoke two "$work/s.o"
check unsigned_refused 1 "" "object is not signed, and a trusted key is required" \
    "$run" --trust "$work/k.pub" --invoke two "$work/m.o"
check wasm_refused 1 "" "--trust runs only signed objects" \
    "$w2n" run --trust "$work/k.pub" --invoke two "$work/m.wasm"
check secret_key_as_trust 1 "" "not a key file" \
    "$run" --trust "$work/k" --invoke two "$work/s.o"
check missing_key 1 "" "no such file" "$run" --trust "$work/nokey.pub" --invoke two "$work/s.o"
ssize=$(wc -c <"$work/s.o")
cp "$work/s.o" "$work/t.o"
flip "$work/t.o" $((ssize / 2))
check tampered_signed 1 "" "SHA-256 does not match its seal" \
    "$run" --trust "$work/k.pub" --invoke two "$work/t.o"
cp "$work/s.o" "$work/t.o"
flip "$work/t.o" $((ssize - 10))   # inside the signature
check tampered_signature 1 "" "SHA-256 does not match its seal" \
    "$run" --trust "$work/k.pub" --invoke two "$work/t.o"

echo "$((count - fails)) passed, $fails failed"
[ $fails -eq 0 ]
