# gc_refusal.sh — sourced by run_gc_program.sh and benchmarks/gc/run: is a
# failed `w2n compile --wasm-features=+gc` the refusal of a w2n whose GC
# lowering has not landed (or not all of it)?  One line, one of:
#   "w2n compile: --wasm-features: w2n does not support the 'gc' feature"
#       (before the lowering: +gc is a usage error)
#   "... requires the 'gc' feature, which w2n does not support"
#   "... of the 'gc' feature: w2n does not support it yet (issue 17)"
#   "a GC instruction in a constant expression: w2n does not support it yet (issue 17)"
#       (the lowering in part)
# Anything else is a failure of the compiler.
#   gc_refusal ERR-FILE
gc_refusal() {
    [ "$(wc -l <"$1")" -eq 1 ] &&
        grep -Eq "does not support the 'gc' feature\$|requires the 'gc' feature, which w2n does not support\$|w2n does not support it yet \(issue 17\)\$" "$1"
}
