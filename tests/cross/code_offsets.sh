#!/bin/sh
# code_offsets.sh — abi.h's code arrays (w2n_functions, w2n_trampolines,
# w2n_import_adapters) are offsets that the object's layout resolves in the
# file (compiler/lower/code_offsets.c).  For one target, at -O0 and -O2, in
# both bounds modes: every relocation of the arrays is PC-relative (on
# RISC-V the assembler's ADD32/SUB32 pairs folded into 32_PCREL,
# compiler/emit/label_differences.c), so none is applied at load; and the
# module's exports, host import, table calls and dispatch loop compute what
# they should when RUNNER runs them.
#   tests/cross/code_offsets.sh W2N TARGET RUNNER...
set -eu
w2n=$1
target=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/w2n_code_offsets.XXXXXX)
trap 'rm -rf "$work"' EXIT
wat2wasm "$here/code_offsets.wat" -o "$work/m.wasm"
fail=0
check() { # what expected actual
    if [ "$2" = "$3" ]; then
        echo "ok   $1"
    else
        echo "FAIL $1: expected '$2', got '$3'"
        fail=1
    fi
}
for opt in -O0 -O2; do
    for bounds in guard explicit; do
        what="$target $opt $bounds"
        "$w2n" compile "$opt" --bounds-checks=$bounds --target=$target-linux-gnu \
            "$work/m.wasm" -o "$work/m.o"
        left=$(python3 - "$work/m.o" <<'PY'
import re, subprocess, sys
def readelf(flag):
    return subprocess.run(['readelf', flag, '-W', sys.argv[1]], capture_output=True,
                          text=True, check=True).stdout
arrays = []  # (section index, start, end)
for line in readelf('-s').splitlines():
    f = line.split()
    if len(f) == 8 and f[7] in ('w2n_functions', 'w2n_trampolines', 'w2n_import_adapters'):
        arrays.append((f[6], int(f[1], 16), int(f[1], 16) + int(f[2])))
sections = {}
for line in readelf('-S').splitlines():
    m = re.match(r'\s*\[\s*(\d+)\]\s+(\S+)', line)
    if m:
        sections[m.group(2)] = m.group(1)
pcrel = ('R_X86_64_PC32', 'R_AARCH64_PREL32', 'R_RISCV_32_PCREL', 'R_RISCV_NONE')
bad = found = 0
target = None
for line in readelf('-r').splitlines():
    m = re.match(r"Relocation section '\.rela(\S+)'", line)
    if m:
        target = sections.get(m.group(1))
        continue
    f = line.split()
    if len(f) < 3 or not f[2].startswith('R_'):
        continue
    at = int(f[0], 16)
    if any(sec == target and lo <= at < hi for sec, lo, hi in arrays):
        found += 1
        bad += f[2] not in pcrel
print(bad if found else 'none found')
PY
)
        check "$what: code array relocations not PC-relative" 0 "$left"
        check "$what: interp" 350 "$("$@" --invoke interp "$work/m.o")"
        check "$what: yield" 0 "$("$@" --invoke yield "$work/m.o")"
        check "$what: table[0]" 6 "$("$@" --invoke via_table "$work/m.o" 0 5)"
        check "$what: table[1]" 10 "$("$@" --invoke via_table "$work/m.o" 1 5)"
        trap_text=$("$@" --invoke via_table "$work/m.o" 2 5 2>&1 || true)
        check "$what: table[2]" "w2n: trap: indirect call type mismatch" \
            "$(echo "$trap_text" | head -1)"
    done
done
exit $fail
