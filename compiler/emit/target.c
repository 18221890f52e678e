/*
 * target.c — a table of targets: triple, baseline CPU and features, ABI,
 * code model.  The baseline is fixed per target so that objects are the same
 * on every host; --cpu and --features only ever add to it on request.
 */
#include "target.h"

#include "cpu.h"
#include "names.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Core.h>
#include <llvm-c/Support.h>
#include <llvm-c/Target.h>

static const w2n_target targets[] = {
    /* PIC: RIP-relative jump tables and constants, so an object loads
     * anywhere, not only in the low 2 GiB that absolute 32-bit forms need.
     * Loops at 32 bytes: LLVM's 16 let a small hot loop straddle the
     * 64-byte fetch window of x86 cores (sieve: 1.5 x native -> 1.07 x);
     * dispatch loops (an interpreter's switch) at 64, since their time
     * follows where the dispatch falls in a line (docs/performance.md,
     * "The bytecode interpreter: the dispatch loop at a line's start");
     * a dispatch on an opcode byte is threaded, a copy in every handler
     * (bytecode: 1.18 -> 0.83 x native, "The bytecode interpreter, session 14");
     * small functions at 64, so each spans the fewest such windows
     * (recursion's fib: 0.91 -> 0.75 s).
     * Registers (tail calls): results as LLVM 19 returns a literal struct,
     * rax, rdx, rcx and xmm0-3; arguments rdi, rsi, rdx, rcx, r8, r9 and
     * xmm0-7.  Relaxed SIMD: the x86-64 baseline has no FMA (a fused madd
     * would be a libm call per lane, and --cpu must not change results), but
     * minps and maxps are the `a < b ? a : b` choice, and cvttps2dq/cvttpd2dq
     * the -2^31 one of signed truncation.
     * Tuning: LLVM's generic x86-64 splits a three-part LEA (base + index*s
     * + disp) in two, for the Intel cores from Sandy Bridge to Skylake where
     * it takes 3 cycles; later Intel and AMD cores take 1-2.  A Wasm address
     * is such a 32-bit sum (`node + 8 + 4*c`), so the split adds a cycle to
     * chains of dependent loads (linked: 1.07 -> 1.01 x native; the kernels'
     * geomean 0.99 of the split's; docs/performance.md, "slow-3ops-lea"). */
    {"x86_64-linux-gnu",
     "x86_64",
     "x86_64-unknown-linux-gnu",
     W2N_ARCH_X86_64,
     "x86-64",
     "",
     "-slow-3ops-lea",
     NULL,
     LLVMCodeModelSmall,
     LLVMRelocPIC,
     32,
     64,
     true,
     64,
     true,
     {3, 4, 7, 6, 8, false, true, true},
     {false, true, true},
     true /* swiftself: r13 */,
     true},
    /* x0-x7 and v0-v7, for results and arguments.  NEON has fmla; fmin/fmax
     * are Wasm's min/max, fcvtzs saturates. */
    {"aarch64-linux-gnu",
     "aarch64",
     "aarch64-unknown-linux-gnu",
     W2N_ARCH_AARCH64,
     "generic",
     "+neon,+fp-armv8",
     "",
     NULL,
     LLVMCodeModelSmall,
     LLVMRelocStatic,
     0,
     0,
     false,
     0,
     true,
     {8, 8, 16, 8, 8, false, true, true},
     {true, false, false},
     true /* swiftself: x20 */,
     true},
    /* rv64gc, lp64d; no linker relaxation: the loader does not relax.  LLVM 19
     * ignores "probe-stack" on RISC-V (it came in LLVM 20): no probes; the
     * frames are measured and reserved instead (common/frame.h).
     * Registers: two results in a0/a1 or fa0/fa1; arguments a0-a7 and
     * fa0-fa7; a v128 (no V extension in the baseline) is split into 16
     * scalars; no musttail with stack arguments (LLVM 19 aborts).  F and D
     * have fmadd (V has vfmacc). */
    {"riscv64-linux-gnu",
     "riscv64",
     "riscv64-unknown-linux-gnu",
     W2N_ARCH_RISCV64,
     "generic-rv64",
     "+m,+a,+f,+d,+c,-relax",
     "",
     "lp64d",
     LLVMCodeModelMedium,
     LLVMRelocStatic,
     0,
     0,
     false,
     0,
     false,
     {2, 2, 2, 8, 8, true, false, false},
     {true, false, false},
     false /* LLVM 19 has no swiftcc for RISC-V */,
     false /* 32-bit results are sign-extended */},
};

static bool is_float(w2n_valtype t) { return t == W2N_F32 || t == W2N_F64 || t == W2N_V128; }

/* Do values of `types` fit in gprs/fprs registers (and `total` in all)? */
static bool fit_in_registers(const w2n_target_regs *r, const w2n_valtype *types, uint32_t n,
                             unsigned gprs, unsigned fprs, unsigned total, unsigned used_gprs) {
    unsigned g = used_gprs, fl = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (types[i] == W2N_V128 && !r->v128_in_one_reg)
            return false;
        if (is_float(types[i]))
            fl++;
        else
            g++;
    }
    if (fl > fprs && r->floats_spill_to_gprs) {
        g += fl - fprs;
        fl = fprs;
    }
    return g <= gprs && fl <= fprs && g + fl <= total;
}

bool w2n_target_tail_call_guaranteed(const w2n_target *t, const w2n_functype *callee,
                                     bool same_prototype) {
    const w2n_target_regs *r = &t->regs;
    /* The results go through registers only; the spill rule is for arguments. */
    w2n_target_regs results = *r;
    results.floats_spill_to_gprs = false;
    if (!fit_in_registers(&results, callee->results, callee->nresults, r->ret_gprs, r->ret_fprs,
                          r->ret_total, 0))
        return false;
    if (same_prototype && r->musttail_stack_args)
        return true;
    return fit_in_registers(r, callee->params, callee->nparams, r->arg_gprs, r->arg_fprs,
                            r->arg_gprs + r->arg_fprs, 1 /* vmctx */);
}

const w2n_target *w2n_target_find(const char *name) {
    if (!name || !*name)
        return &targets[0];
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        if (!strcmp(name, targets[i].name) || !strcmp(name, targets[i].short_name) ||
            !strcmp(name, targets[i].llvm_triple))
            return &targets[i];
    return NULL;
}

void w2n_target_names(char *buf, size_t size) {
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        w2n_names_append(buf, size, targets[i].name);
}

static void init_llvm_targets(void) {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64Target();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64AsmPrinter();
    LLVMInitializeRISCVTargetInfo();
    LLVMInitializeRISCVTarget();
    LLVMInitializeRISCVTargetMC();
    LLVMInitializeRISCVAsmPrinter();
    /* LLVM 19's X86 cmov converter turns a CMOV with a folded memory operand
     * into a branch around the load, even a volatile one (LLVM issues 42267,
     * 219814; fixed after 19).  A guard-mode access that should fault would
     * then not run: keep such CMOVs as they are.  This is LLVM's process-wide
     * option, set once; it changes code speed only, never meaning.
     *
     * Switches of fewer than 16 cases become compare trees (at most four
     * predictable branches) instead of jump tables.  On the AMD Zen 4 we
     * measure on, one jump-table dispatch runs up to 1.5x slower depending
     * only on where its block falls in a 64-byte line, in native code too;
     * the compare tree varied 1.2x over the same placements (see
     * docs/performance.md, "bytecode").  The AArch64 and RISC-V back ends set
     * their own minimum when their subtarget is made, so this is x86's. */
    static const char *const options[] = {"w2n", "-x86-cmov-converter-force-mem-operand=false",
                                          "-min-jump-table-entries=16"};
    LLVMParseCommandLineOptions(3, options, NULL);
}

w2n_status w2n_target_machine(const w2n_target *t, const char *cpu, const char *features,
                              int opt_level, LLVMTargetMachineRef *out, w2n_error *err) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_llvm_targets);

    /* A CPU the runtime's tables do not know would be refused at load time,
     * and one LLVM does not know can abort inside LLVM: refuse it here. */
    if (cpu && *cpu && !w2n_cpu_model_find(t->arch, cpu)) {
        char names[512];
        w2n_cpu_model_names(t->arch, names, sizeof names);
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "unknown --cpu=%s for %s; known: %s", cpu, t->name, names);
    }
    LLVMTargetRef target;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(t->llvm_triple, &target, &msg)) {
        w2n_error_set(err, W2N_ERR_UNSUPPORTED, W2N_NO_OFFSET, "target %s: %s", t->name, msg);
        LLVMDisposeMessage(msg);
        return W2N_ERR_UNSUPPORTED;
    }
    /* baseline, then the baseline CPU's tuning, then the user's: a later
     * entry wins, so --features=+slow-3ops-lea undoes the tuning */
    const char *tuning = cpu && *cpu ? "" : t->baseline_tuning;
    const char *parts[] = {t->baseline_features, tuning, features ? features : ""};
    size_t flen = 1;
    for (size_t i = 0; i < 3; i++)
        flen += strlen(parts[i]) + 1;
    char *all = w2n_xmalloc(flen);
    all[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
        if (!*parts[i])
            continue;
        if (*all)
            strcat(all, ",");
        strcat(all, parts[i]);
    }

    static const LLVMCodeGenOptLevel levels[] = {LLVMCodeGenLevelNone, LLVMCodeGenLevelLess,
                                                 LLVMCodeGenLevelDefault,
                                                 LLVMCodeGenLevelAggressive};
    LLVMTargetMachineOptionsRef o = LLVMCreateTargetMachineOptions();
    LLVMTargetMachineOptionsSetCPU(o, cpu && *cpu ? cpu : t->baseline_cpu);
    LLVMTargetMachineOptionsSetFeatures(o, all);
    if (t->abi)
        LLVMTargetMachineOptionsSetABI(o, t->abi);
    LLVMTargetMachineOptionsSetCodeGenOptLevel(o, levels[opt_level < 0   ? 0
                                                         : opt_level > 3 ? 3
                                                                         : opt_level]);
    LLVMTargetMachineOptionsSetRelocMode(o, t->reloc_model);
    LLVMTargetMachineOptionsSetCodeModel(o, t->code_model);
    *out = LLVMCreateTargetMachineWithOptions(target, t->llvm_triple, o);
    LLVMDisposeTargetMachineOptions(o);
    free(all);
    if (!*out)
        return w2n_error_set(err, W2N_ERR_UNSUPPORTED, W2N_NO_OFFSET,
                             "LLVM cannot create a target machine for %s", t->name);
    return W2N_OK;
}
