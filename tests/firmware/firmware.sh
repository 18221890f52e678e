#!/bin/sh
# firmware.sh W2N WAT2WASM ARCH SRC_DIR INCLUDE_DIR GENERATED_DIR STAGE_DIR — a
# static firmware-style program (firmware.c) links the object of app.wat and
# the target's static runtime, calls the exports through the header that
# `w2n compile --header` wrote, and prints firmware.expected; cross targets
# under qemu.
set -eu
w2n=$1 wat2wasm=$2 arch=$3 src=$4 inc=$5 gen=$6 stage=$7
work=$(mktemp -d "${TMPDIR:-/tmp}/w2n-firmware.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
"$wat2wasm" "$src/app.wat" -o app.wasm
"$w2n" compile --target="$arch" --header app.wasm -o app.o
grep -q 'static inline w2n_status app_fib(app_module \*m, int32_t a0, int32_t \*r0' app.h ||
    { echo "app.h lacks app_fib"; exit 1; }
cat >embed.S <<'ASM'
	.section .rodata.app_object,"a"
	.balign 64
	.globl app_object, app_object_end
app_object:
	.incbin "app.o"
app_object_end:
	.section .note.GNU-stack,"",%progbits
ASM
host=$(uname -m)
cc=cc emu=""
if [ "$arch" != "$host" ]; then cc=$arch-linux-gnu-gcc emu=qemu-$arch; fi
runtime=$stage/$arch-linux-gnu
# shellcheck disable=SC2046 # link.txt is a list of words
"$cc" -static -O2 -Wall -Wextra -Werror -I. -I"$inc" -I"$gen" -o firmware "$src/firmware.c" \
    embed.S "$runtime/libw2n-runtime.a" $(cat "$runtime/link.txt")
$emu ./firmware >out.txt
diff -u "$src/firmware.expected" out.txt
echo "firmware: $arch ok"
