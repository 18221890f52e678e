/*
 * target.c — a table of targets: triple, baseline CPU and features, ABI,
 * code model.  The baseline is fixed per target so that objects are the same
 * on every host; --cpu and --features only ever add to it on request.
 */
#include "target.h"

#include "cpu.h"
#include "names.h"

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
     * 64-byte fetch window of x86 cores (sieve: 1.5 x native -> 1.07 x). */
    {"x86_64-linux-gnu", "x86_64", "x86_64-unknown-linux-gnu", W2N_ARCH_X86_64, "x86-64", "",
     NULL, LLVMCodeModelSmall, LLVMRelocPIC, 32, true},
    {"aarch64-linux-gnu", "aarch64", "aarch64-unknown-linux-gnu", W2N_ARCH_AARCH64, "generic",
     "+neon,+fp-armv8", NULL, LLVMCodeModelSmall, LLVMRelocStatic, 0, true},
    /* rv64gc, lp64d; no linker relaxation: the loader does not relax.  LLVM 19
     * ignores "probe-stack" on RISC-V (it came in LLVM 20): no probes; the
     * frames are measured and reserved instead (runtime/frame.h). */
    {"riscv64-linux-gnu", "riscv64", "riscv64-unknown-linux-gnu", W2N_ARCH_RISCV64, "generic-rv64",
     "+m,+a,+f,+d,+c,-relax", "lp64d", LLVMCodeModelMedium, LLVMRelocStatic, 0, false},
};

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
    size_t flen = strlen(t->baseline_features) + (features ? strlen(features) : 0) + 2;
    char *all = malloc(flen);
    snprintf(all, flen, "%s%s%s", t->baseline_features,
             (features && *features && *t->baseline_features) ? "," : "", features ? features : "");

    static const LLVMCodeGenOptLevel levels[] = {LLVMCodeGenLevelNone, LLVMCodeGenLevelLess,
                                                 LLVMCodeGenLevelDefault, LLVMCodeGenLevelAggressive};
    LLVMTargetMachineOptionsRef o = LLVMCreateTargetMachineOptions();
    LLVMTargetMachineOptionsSetCPU(o, cpu && *cpu ? cpu : t->baseline_cpu);
    LLVMTargetMachineOptionsSetFeatures(o, all);
    if (t->abi)
        LLVMTargetMachineOptionsSetABI(o, t->abi);
    LLVMTargetMachineOptionsSetCodeGenOptLevel(o, levels[opt_level < 0 ? 0 : opt_level > 3 ? 3 : opt_level]);
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
