/*
 * target.h — the targets w2n compiles for, as data.
 */
#ifndef W2N_TARGET_H
#define W2N_TARGET_H

#include <stdbool.h>

#include <llvm-c/TargetMachine.h>

#include "w2n/abi.h"
#include "w2n/error.h"

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
    const char *name;             /* canonical: "x86_64-linux-gnu" */
    const char *short_name;       /* "x86_64" */
    const char *llvm_triple;
    w2n_arch arch;
    const char *baseline_cpu;     /* portable default, never the host's */
    const char *baseline_features;/* always added before the user's --features */
    const char *abi;              /* target ABI name, or NULL */
    LLVMCodeModel code_model;
    LLVMRelocMode reloc_model;
    unsigned loop_align;          /* bytes to align loop headers to, or 0: LLVM's choice */
    bool stack_probes;            /* LLVM probes large frames page by page here (inline-asm) */
    w2n_relaxed_choices relaxed;
} w2n_target;

/* Find by canonical name, short name or LLVM triple; NULL if unknown. */
const w2n_target *w2n_target_find(const char *name);
/* Write the comma-separated canonical names of the targets into buf
 * (truncated to size), for messages. */
void w2n_target_names(char *buf, size_t size);
/* Create the LLVM target machine for the target, CPU and extra features. */
w2n_status w2n_target_machine(const w2n_target *t, const char *cpu, const char *features,
                              int opt_level, LLVMTargetMachineRef *out, w2n_error *err);

#endif
