/*
 * target.h — the targets w2n compiles for, as data.
 */
#ifndef W2N_TARGET_H
#define W2N_TARGET_H

#include <stdbool.h>

#include <llvm-c/TargetMachine.h>

#include "w2n/abi.h"
#include "w2n/error.h"
#include "w2n/types.h"

/* Where the C convention passes values in registers, as far as tail calls
 * need to know (docs/abi.md, "Tail calls").  Integer class: i32, i64,
 * references and the vmctx; float class: f32, f64 and v128. */
typedef struct w2n_target_regs {
    unsigned ret_gprs, ret_fprs, ret_total; /* results that come back in registers */
    unsigned arg_gprs, arg_fprs;            /* argument registers */
    bool floats_spill_to_gprs;              /* a float past the last FP register takes a
                                              free integer register (RISC-V) */
    bool v128_in_one_reg;                   /* else a v128 is split into 16 scalars */
    bool musttail_stack_args;               /* musttail between equal prototypes works
                                              with stack arguments too */
} w2n_target_regs;

/* Which of the results the spec permits each relaxed-SIMD instruction gives
 * on this target (docs/relaxed-simd.md).  Fixed per target, never per --cpu,
 * so one object gives the same results on every CPU that runs it; the
 * instructions not named here give their deterministic result everywhere. */
typedef struct w2n_relaxed_choices {
    bool fused_madd;    /* relaxed_madd/nmadd round once (fma), else twice */
    bool select_minmax; /* relaxed_min/max are `a < b ? a : b` (x86 minps), else min/max */
    bool trunc_int_min; /* relaxed_trunc_*_s give -2^31 for NaN and out of range, else saturate */
} w2n_relaxed_choices;

typedef struct w2n_target {
    const char *name;       /* canonical: "x86_64-linux-gnu" */
    const char *short_name; /* "x86_64" */
    const char *llvm_triple;
    w2n_arch arch;
    const char *baseline_cpu;      /* portable default, never the host's */
    const char *baseline_features; /* always added before the user's --features */
    /* LLVM tuning flags for the baseline CPU only (a --cpu brings its own
     * tuning): they change speed, never meaning, and the object does not
     * record them, since any CPU of the target runs the code */
    const char *baseline_tuning;
    const char *abi; /* target ABI name, or NULL */
    LLVMCodeModel code_model;
    LLVMRelocMode reloc_model;
    unsigned loop_align; /* bytes to align loop headers to, or 0: LLVM's choice */
    /* bytes to align the header of a dispatch loop to (one whose body is a
     * large br_table: an interpreter's), or 0: as other loops */
    unsigned dispatch_loop_align;
    /* a br_table dispatch on a byte becomes a table of code addresses and an
     * indirectbr that LLVM copies into every handler
     * (compiler/lower/lower_dispatch.c) */
    bool threaded_dispatch;
    /* bytes to align small functions to (compiler/lower/lower_module.c), or
     * 0: LLVM's choice */
    unsigned small_function_align;
    bool stack_probes; /* LLVM probes large frames page by page here (inline-asm) */
    w2n_target_regs regs;
    w2n_relaxed_choices relaxed;
    /* LLVM passes a swiftcc `swiftself` argument in a callee-saved register
     * here, so functions private to a module keep the vmctx there across
     * calls (compiler/lower/lower_convention.c) */
    bool vmctx_callee_saved;
    /* an instruction that writes a 32-bit register clears its upper half,
     * so 32-bit phis used as addresses are better made 64-bit
     * (compiler/emit/widen_phis.c) */
    bool clears_upper_half;
} w2n_target;

/* Find by canonical name, short name or LLVM triple; NULL if unknown. */
const w2n_target *w2n_target_find(const char *name);
/* Is a call in tail position to a function of type `callee` certain to
 * become a real tail call here, as a musttail call when the caller's
 * prototype is the same (`same_prototype`), else as a sibling call?  Not
 * when the results need a hidden pointer (LLVM 19 aborts on such a
 * musttail), nor when arguments need the stack, except between equal
 * prototypes where the target reuses the caller's argument area. */
bool w2n_target_tail_call_guaranteed(const w2n_target *t, const w2n_functype *callee,
                                     bool same_prototype);
/* Write the comma-separated canonical names of the targets into buf
 * (truncated to size), for messages. */
void w2n_target_names(char *buf, size_t size);
/* Create the LLVM target machine for the target, CPU and extra features. */
w2n_status w2n_target_machine(const w2n_target *t, const char *cpu, const char *features,
                              int opt_level, LLVMTargetMachineRef *out, w2n_error *err);
/* The same, kept by this thread for its next compile (target_cache.c):
 * made once per thread and key, until released not evicted. */
w2n_status w2n_target_machine_acquire(const w2n_target *t, const char *cpu, const char *features,
                                      int opt_level, LLVMTargetMachineRef *out, w2n_error *err);
/* Give back a machine from w2n_target_machine_acquire, on the same thread. */
void w2n_target_machine_release(LLVMTargetMachineRef tm);

#endif
