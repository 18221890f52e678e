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

/* LLVM's calling convention numbers (llvm/IR/CallingConv.h; LLVM-C names
 * only some of them). */
#define W2N_LLVM_CCONV 0
#define W2N_LLVM_TAILCC 18

/* Where a target's calling convention passes values in registers, as far as
 * tail calls need to know (docs/abi.md, "Tail calls"). */
typedef struct w2n_target_regs {
    unsigned ret_gprs, ret_fprs, ret_total; /* results: integer/reference, float/vector, both */
    unsigned arg_gprs, arg_fprs;           /* arguments, vmctx included (C convention only) */
    bool v128_in_one_reg;                  /* else a v128 is split into scalars */
} w2n_target_regs;

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
    /* The convention of every compiled function (the native entry):
     * W2N_LLVM_TAILCC where LLVM 19 has it, whose musttail calls hold for any
     * two signatures; else the C convention, where LLVM makes a tail call
     * only when every argument travels in a register. */
    unsigned call_conv;
    w2n_target_regs regs;
} w2n_target;

/* Find by canonical name, short name or LLVM triple; NULL if unknown. */
const w2n_target *w2n_target_find(const char *name);
/* Can a call to a function of type `callee` in tail position be made a real
 * tail call here, guaranteed, whatever the caller's signature?  Otherwise
 * LLVM 19 would refuse (abort on) a musttail, or silently make a normal call:
 * results that do not fit in return registers on every target, and on a
 * C-convention target arguments that do not all fit in registers. */
bool w2n_target_tail_call_guaranteed(const w2n_target *t, const w2n_functype *callee);
/* Write the comma-separated canonical names of the targets into buf
 * (truncated to size), for messages. */
void w2n_target_names(char *buf, size_t size);
/* Create the LLVM target machine for the target, CPU and extra features. */
w2n_status w2n_target_machine(const w2n_target *t, const char *cpu, const char *features,
                              int opt_level, LLVMTargetMachineRef *out, w2n_error *err);

#endif
