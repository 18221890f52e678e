#!/bin/sh
# memory_image_test.sh — a module's initial memory as pages of its object
# (common/memory_image.h): `w2n compile` writes the section when the active
# data segments allow it, and instantiation maps it (from the file) or
# copies it (an object read from a pipe); either way the memory holds what
# the segments say, a later segment wins, a write changes only the
# instance's copy, and passive segments still work.  A segment the
# instance decides (global.get) or one that traps gives no image.
#   tests/objects/memory_image_test.sh W2N W2N-RUN SOURCE_DIR
set -u
w2n=$1 run=$2 src=$3
work=$(mktemp -d /tmp/w2n_memory_image.XXXXXX)
trap 'rm -rf "$work"' EXIT
fails=0
ok() { echo "ok   $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }
expect() { # NAME WANT COMMAND...
    name=$1 want=$2
    shift 2
    got=$("$@" 2>&1)
    if [ "$got" = "$want" ]; then ok "$name"; else fail "$name: want '$want', got '$got'"; fi
}
has_image() { readelf -S -W "$1" | grep -q '\.w2n\.memimage'; }
# Segments as wasm-ld writes them: adjacent, dense (a sparse image is not
# written), over 17 pages (an image of 64 KiB or more is mapped, a smaller
# one copied); one of them a later one overwrites in part.
filler=$(printf 'x%.0s' $(seq 70000))
cat > "$work/m.wat" <<WAT
(module
  (memory (export "mem") 2)
  (data (i32.const 1024) "\\01\\02\\03\\04\\05\\06\\07\\08")
  (data (i32.const 1032) "abcdefgh")
  (data (i32.const 1040) "$filler")
  (data (i32.const 71040) "\\ff\\ff\\ff\\ff")
  (data (i32.const 71042) "\\11\\22")
  (data (i32.const 71044) "last")
  (data \$p "passive")
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "init") (param i32)
    (memory.init \$p (local.get 0) (i32.const 0) (i32.const 7))))
WAT
wat2wasm "$work/m.wat" -o "$work/m.wasm" || exit 1
for bounds in guard explicit; do
    "$w2n" compile --bounds-checks=$bounds "$work/m.wasm" -o "$work/m.o" || exit 1
    if [ $bounds = guard ]; then
        if has_image "$work/m.o"; then ok "guard: image written"; else fail "guard: no image"; fi
        expect "guard: inspect names it" \
            "memory image: memory 0, 73728 bytes from 0x0, mapped at instantiation" \
            sh -c "'$w2n' inspect '$work/m.o' | grep '^memory image'"
    elif has_image "$work/m.o" || "$w2n" inspect "$work/m.o" | grep -q '^memory image'; then
        # An explicit-mode memory moves when it grows: it never takes the
        # pages, so the object does not carry them.
        fail "explicit: an image"
    else
        ok "explicit: no image"
    fi
    for how in file pipe; do
        if [ $how = file ]; then obj="$work/m.o"; else obj=/dev/stdin; fi
        r() { if [ $how = file ]; then "$run" "$@"; else "$run" "$@" < "$work/m.o"; fi; }
        what="$bounds, $how"
        expect "$what: first segment" 1 r --invoke load "$obj" 1024
        expect "$what: its neighbour" 97 r --invoke load "$obj" 1032
        expect "$what: before any segment" 0 r --invoke load "$obj" 1023
        expect "$what: a later segment wins" 34 r --invoke load "$obj" 71043
        expect "$what: an earlier one shows around it" 255 r --invoke load "$obj" 71041
        expect "$what: the last page" 116 r --invoke load "$obj" 71047
        expect "$what: past the image" 0 r --invoke load "$obj" 80000
        expect "$what: a write" "" r --invoke store "$obj" 1024 9
        expect "$what: a passive segment" "" r --invoke init "$obj" 100
    done
    # The image, not the segments, is what fills a guard-mode memory: with
    # one byte of the image changed (and the object resealed), the memory
    # shows the change.
    if [ $bounds = guard ]; then
        python3 - "$work/m.o" "$work/tampered.o" "$src/tests/objects" <<'PY' || exit 1
import hashlib, sys
sys.path.insert(0, sys.argv[3])
from set_abi_version import SEAL_SIZE, section
data = bytearray(open(sys.argv[1], 'rb').read())
offset, _ = section(data[:-SEAL_SIZE], '.w2n.memimage')
data[offset + 4096 + 1024] = 42  # header page, then guest address 1024
def save(path):
    hash_at = len(data) - SEAL_SIZE + 16
    data[hash_at:hash_at + 32] = bytes(32)
    data[hash_at:hash_at + 32] = hashlib.sha256(data).digest()
    open(path, 'wb').write(data)
save(sys.argv[2])
data[offset + 24] += 1  # a length that disagrees with the section's size
save(sys.argv[2] + '.bad')
PY
        expect "guard: memory filled from the image (file)" 42 \
            "$run" --invoke load "$work/tampered.o" 1024
        expect "guard: memory filled from the image (pipe)" 42 \
            sh -c "'$run' --invoke load /dev/stdin 1024 < '$work/tampered.o'"
        expect "guard: a malformed image is refused" \
            "w2n-run: $work/tampered.o.bad: section .w2n.memimage is not a memory image of version 1" \
            "$run" --invoke load "$work/tampered.o.bad" 1024
    fi
    # Mapped, not copied, from the file in guard mode (where strace is).
    if [ $bounds = guard ] && command -v strace >/dev/null; then
        if strace -e trace=mmap "$run" --invoke load "$work/m.o" 1024 2>&1 |
            grep -q 'mmap(0x[0-9a-f]*, 73728, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED, [0-9]'; then
            ok "guard: the image's pages are mapped from the object"
        else
            fail "guard: the image's pages are not mapped from the object"
        fi
    fi
    # A write in one run leaves the object as it was for the next.
    before=$(sha256sum < "$work/m.o")
    "$run" --invoke store "$work/m.o" 1024 9 >/dev/null
    expect "$bounds: object unchanged by a write" "$before" sh -c "sha256sum < '$work/m.o'"
    expect "$bounds: next run sees the segment" 1 "$run" --invoke load "$work/m.o" 1024
done
# An image under 64 KiB is copied, not mapped, and inspect says so.
printf '(module (memory 1) (data (i32.const 16) "hello"))' > "$work/s.wat"
wat2wasm "$work/s.wat" -o "$work/s.wasm" && "$w2n" compile "$work/s.wasm" -o "$work/s.o" || exit 1
expect "a small image: inspect" "memory image: memory 0, 4096 bytes from 0x0, copied at instantiation" \
    sh -c "'$w2n' inspect '$work/s.o' | grep '^memory image'"
# What an instance decides, or a segment that traps, gives no image.
cat > "$work/g.wat" <<'WAT'
(module (global $g (import "env" "g") i32) (memory 1)
  (data (global.get $g) "x") (data (i32.const 8) "y"))
WAT
cat > "$work/t.wat" <<'WAT'
(module (memory 1) (data (i32.const 8) "y") (data (i32.const 65535) "zz")
  (func (export "f") (result i32) (i32.const 0)))
WAT
for m in g t; do
    wat2wasm "$work/$m.wat" -o "$work/$m.wasm" && "$w2n" compile "$work/$m.wasm" -o "$work/$m.o" ||
        exit 1
    if has_image "$work/$m.o" || "$w2n" inspect "$work/$m.o" | grep -q '^memory image'; then
        fail "$m: an image"
    else
        ok "$m: no image"
    fi
done
# The trap is the whole report (no frames: no Wasm code ran), status 134.
expect "a segment past the memory traps" "w2n: trap: out of bounds memory access
status 134" sh -c "'$run' --invoke f '$work/t.o' 2>&1; echo status \$?"
[ $fails -eq 0 ] || { echo "$fails checks failed"; exit 1; }
