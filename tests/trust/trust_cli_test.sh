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

# check_has NAME WANT_STATUS WANT_STDOUT_SUBSTRING WANT_STDERR_SUBSTRING COMMAND...
. "$(dirname "$0")/../cli_check.sh"

# A minimal module in binary form: (func (export "two") (result i32) i32.const 2).
printf '\000asm\001\000\000\000\001\005\001\140\000\001\177\003\002\001\000\007\007\001\003two\000\000\012\006\001\004\000\101\002\013' \
    >"$work/m.wasm"

# flip FILE OFFSET: xor one byte with 0x01, in place.
flip() {
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $((b ^ 1)))" |
        dd of="$1" bs=1 seek="$2" count=1 conv=notrunc 2>/dev/null
}

check_has compile 0 "" "" "$w2n" compile "$work/m.wasm" -o "$work/m.o"
check_has run_unsigned 0 2 "" "$run" --invoke two "$work/m.o"
check_has inspect_unsigned 0 "signed:       no" "" "$w2n" inspect "$work/m.o"
check_has inspect_hash 0 "seal:         matches the content" "" "$w2n" inspect "$work/m.o"
size=$(wc -c <"$work/m.o")
cp "$work/m.o" "$work/bad.o"
flip "$work/bad.o" 0
check_has flipped_elf_magic 1 "" "not a compiled object" "$run" --invoke two "$work/bad.o"
for at in 20 100 $((size / 2)) $((size - 200)) $((size - 100)) $((size - 1)); do
    cp "$work/m.o" "$work/bad.o"
    flip "$work/bad.o" $at
    check_has "flipped_byte_$at" 1 "" "SHA-256 does not match its seal" "$run" --invoke two "$work/bad.o"
done
head -c $((size - 1)) "$work/m.o" >"$work/short.o"
check_has truncated 1 "" "object has no seal" "$run" --invoke two "$work/short.o"

# The seal cache: `w2n compile` enters the object it writes, so its first
# start skips the hash; a write into the file afterwards (its change time
# moves) is still caught by the hash.
mkdir -m 700 "$work/seals"
W2N_SEAL_CACHE="$work/seals"
export W2N_SEAL_CACHE
check_has compile_cached 0 "" "" "$w2n" compile "$work/m.wasm" -o "$work/c.o"
ino=$(stat -c %i "$work/c.o")
check_has compile_entered_the_seal 0 "-$(printf %x "$ino")" "" ls "$work/seals"
entry=$(ls "$work/seals")
check_has run_cached 0 2 "" "$run" --invoke two "$work/c.o"
flip "$work/c.o" $((size / 2))
check_has tampered_after_compile 1 "" "SHA-256 does not match its seal" "$run" --invoke two "$work/c.o"
unset W2N_SEAL_CACHE
check_has compile_no_cache 0 "" "" env W2N_SEAL_CACHE= "$w2n" compile "$work/m.wasm" -o "$work/n.o"
check compile_no_cache_entry 0 "$entry" "" ls "$work/seals"

if ! "$w2n" keygen "$work/k" >/dev/null 2>"$work/err"; then
    if grep -q "no signing support" "$work/err"; then
        echo "ok   (signing not built: keygen refuses, signing checks skipped)"
        check_summary
        exit
    fi
    echo "FAIL keygen: $(cat "$work/err")"
    exit 1
fi
check_has keygen_other 0 "wrote" "" "$w2n" keygen "$work/k2"
check_has keygen_no_overwrite 1 "" "File exists" "$w2n" keygen "$work/k"
check_has keygen_usage 2 "" "usage" "$w2n" keygen
check_has compile_signed 0 "" "" "$w2n" compile --sign "$work/k" "$work/m.wasm" -o "$work/s.o"
check_has compile_sign_public_key 1 "" "not a key file" \
    "$w2n" compile --sign "$work/k.pub" "$work/m.wasm" -o "$work/x.o"
check_has inspect_signed 0 "signed:       yes, by public key" "" "$w2n" inspect "$work/s.o"
check_has trusted_run 0 2 "" "$run" --trust "$work/k.pub" --invoke two "$work/s.o"
check_has trusted_w2n_run 0 2 "" "$w2n" run --trust="$work/k.pub" --invoke two "$work/s.o"
check_has signed_without_trust 0 2 "" "$run" --invoke two "$work/s.o"
check_has wrong_key 1 "" "signed by another key than the trusted one" \
    "$run" --trust "$work/k2.pub" --invoke two "$work/s.o"
check_has unsigned_refused 1 "" "object is not signed, and a trusted key is required" \
    "$run" --trust "$work/k.pub" --invoke two "$work/m.o"
check_has wasm_refused 1 "" "--trust runs only signed objects" \
    "$w2n" run --trust "$work/k.pub" --invoke two "$work/m.wasm"
check_has secret_key_as_trust 1 "" "not a key file" \
    "$run" --trust "$work/k" --invoke two "$work/s.o"
check_has missing_key 1 "" "no such file" "$run" --trust "$work/nokey.pub" --invoke two "$work/s.o"
ssize=$(wc -c <"$work/s.o")
cp "$work/s.o" "$work/t.o"
flip "$work/t.o" $((ssize / 2))
check_has tampered_signed 1 "" "SHA-256 does not match its seal" \
    "$run" --trust "$work/k.pub" --invoke two "$work/t.o"
cp "$work/s.o" "$work/t.o"
flip "$work/t.o" $((ssize - 10))   # inside the signature
check_has tampered_signature 1 "" "SHA-256 does not match its seal" \
    "$run" --trust "$work/k.pub" --invoke two "$work/t.o"

check_summary
