#!/bin/sh
# code_offsets.sh — tables of code addresses are offsets that the object's
# layout resolves in the file (compiler/lower/code_offsets.c): abi.h's code
# arrays, the code of a table nothing can change, and an interpreter's
# threaded dispatch.  For one target, at -O0 and -O2, in both bounds
# modes: each entry is a PC-relative relocation (on RISC-V the assembler's
# ADD32/SUB32 pairs folded into 32_PCREL, compiler/emit/label_differences.c),
# none is applied at load (only RISC-V's .eh_frame pairs and LLVM's own
# jump tables are), and the module's table calls, host import and dispatch
# loop compute what they should when RUNNER runs them.
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
        applied=$("$w2n" inspect "$work/m.o" | sed -n 's/.*file; \([0-9]*\) of .*/\1/p')
        # What only the loader can apply: RISC-V's .eh_frame pairs, and the
        # 64-bit entries of LLVM's own jump tables on RISC-V (static model).
        expected=$(readelf -r -W "$work/m.o" |
            awk '/^Relocation section/ { eh = ($3 == "'"'"'.rela.eh_frame'"'"'") }
                 eh && /R_RISCV_(ADD|SUB)32/ { n++ }
                 /R_RISCV_64 +[0-9a-f]+ \.L/ { n++ } END { print n + 0 }')
        check "$what: relocations applied at load" "$expected" "$applied"
        left=$(readelf -r -W "$work/m.o" |
            awk '/^Relocation section/ { data = ($3 ~ /rodata|data\.rel\.ro/) }
                 data && / w2n_/ && !/R_X86_64_PC32|R_AARCH64_PREL32|R_RISCV_32_PCREL/ { n++ }
                 data && /R_RISCV_(ADD|SUB)32/ { n++ } END { print n + 0 }')
        check "$what: code addresses in read-only data not PC-relative" 0 "$left"
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
