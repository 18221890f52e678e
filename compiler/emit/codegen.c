/*
 * codegen.c — optimise a module and emit its object: the LLVM steps that
 * the whole module (compile.c) or each of its partitions (partition.c) goes
 * through, the same way in both, so that a module of one partition compiles
 * exactly as before partitions existed.
 */
#include "codegen.h"

#include "bounds_merge.h"
#include "float_fences.h"
#include "libcall_stubs.h"
#include "split_vector_loads.h"
#include "target.h"
#include "widen_phis.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Core.h>
#include <llvm-c/Transforms/PassBuilder.h>

w2n_status w2n_codegen_llvm_error(w2n_error *err, const char *what, char *llvm_msg) {
    /* LLVM messages can span lines; keep the first. */
    char *nl = llvm_msg ? strchr(llvm_msg, '\n') : NULL;
    if (nl)
        *nl = 0;
    w2n_error_set(err, W2N_ERR_INTERNAL, W2N_NO_OFFSET, "%s: %s", what, llvm_msg ? llvm_msg : "?");
    if (llvm_msg)
        LLVMDisposeMessage(llvm_msg);
    return W2N_ERR_INTERNAL;
}

/* For a module past the function budget (opt_budget.c): promote locals to
 * registers, and merge the blocks that lowering leaves behind a straight
 * line (a block's end, the function's own), since the -O0 back end pays for
 * each block: about 1 µs a function for SimplifyCFG against 10 µs saved in
 * the back end.  An earlier cut also ran SROA, EarlyCSE and InstCombine:
 * 27 µs a function, and the back end no faster (docs/performance.md). */
static const char short_pipeline[] = "function(mem2reg,simplifycfg)";

w2n_status w2n_codegen_optimize(LLVMModuleRef mod, LLVMTargetMachineRef tm, int level,
                                bool many_functions, bool merge_checks, w2n_error *err) {
    /* GC modules (compiler/lower/lower_gc.c): calls that can collect
     * become statepoints after the optimisation passes, before code
     * generation; the rewriter tracks SSA values only, so locals go to
     * registers first, at -O0 too.  Other modules' pipeline stays what it
     * was. */
    bool gc = false;
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn && !gc; fn = LLVMGetNextFunction(fn))
        gc = LLVMGetGC(fn) != NULL;
    int opt = level < 0 ? 0 : level > 3 ? 3 : level;
    char base[32];
    if (opt > 0 && many_functions)
        memcpy(base, short_pipeline, sizeof short_pipeline);
    else
        snprintf(base, sizeof base, "default<O%d>", opt);
    char pipeline[sizeof short_pipeline + 64];
    snprintf(pipeline, sizeof pipeline, "%s%s%s", gc ? "function(mem2reg)," : "", base,
             gc ? ",rewrite-statepoints-for-gc" : "");
    LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
    if (opt > 0) /* before anything folds */
        w2n_float_fences_add(mod);
    LLVMPassBuilderOptionsSetLoopVectorization(po, level >= 2);
    LLVMPassBuilderOptionsSetSLPVectorization(po, level >= 2);
    LLVMErrorRef e = LLVMRunPasses(mod, pipeline, tm, po);
    LLVMDisposePassBuilderOptions(po);
    if (e)
        return w2n_codegen_llvm_error(err, "LLVM optimisation failed", LLVMGetErrorMessage(e));
    if (merge_checks && opt > 0 && !many_functions) {
        w2n_bounds_merge_checks(mod);
        w2n_split_vector_loads(mod);
    }
    const w2n_target *t = w2n_target_find(LLVMGetTarget(mod));
    if (opt > 0 && !many_functions && t && t->clears_upper_half)
        w2n_widen_address_phis(mod);
    return W2N_OK;
}

void w2n_codegen_keep(LLVMModuleRef mod, const LLVMValueRef *values, unsigned n) {
    LLVMTypeRef ptr = LLVMPointerTypeInContext(LLVMGetModuleContext(mod), 0);
    LLVMValueRef old = LLVMGetNamedGlobal(mod, "llvm.compiler.used");
    unsigned nold = old ? (unsigned)LLVMGetNumOperands(LLVMGetInitializer(old)) : 0;
    LLVMValueRef *all = w2n_xmalloc(sizeof *all * (nold + n));
    for (unsigned i = 0; i < nold; i++)
        all[i] = LLVMGetOperand(LLVMGetInitializer(old), i);
    memcpy(all + nold, values, sizeof *values * n);
    if (old)
        LLVMDeleteGlobal(old);
    LLVMValueRef init = LLVMConstArray2(ptr, all, nold + n);
    LLVMValueRef used = LLVMAddGlobal(mod, LLVMTypeOf(init), "llvm.compiler.used");
    LLVMSetInitializer(used, init);
    LLVMSetLinkage(used, LLVMAppendingLinkage);
    LLVMSetSection(used, "llvm.metadata");
    free(all);
}

LLVMValueRef w2n_codegen_excluded_blob(LLVMModuleRef mod, const char *name, const char *section,
                                       const uint8_t *bytes, size_t size, unsigned align) {
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMValueRef data = LLVMConstStringInContext(ctx, (const char *)bytes, (unsigned)size, 1);
    LLVMValueRef g = LLVMAddGlobal(mod, LLVMTypeOf(data), name);
    LLVMSetInitializer(g, data);
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    LLVMSetSection(g, section);
    LLVMSetAlignment(g, align);
    unsigned exclude = LLVMGetMDKindIDInContext(ctx, "exclude", 7);
    LLVMGlobalSetMetadata(g, exclude, LLVMMDNodeInContext2(ctx, NULL, 0));
    w2n_codegen_keep(mod, &g, 1);
    return g;
}

w2n_status w2n_codegen_emit(LLVMTargetMachineRef tm, LLVMModuleRef mod, uint8_t **out,
                            size_t *out_size, w2n_error *err) {
    char *msg = NULL;
    LLVMMemoryBufferRef buf;
    w2n_libcall_stubs_add(mod);
    if (LLVMTargetMachineEmitToMemoryBuffer(tm, mod, LLVMObjectFile, &msg, &buf))
        return w2n_codegen_llvm_error(err, "LLVM code generation failed", msg);
    size_t size = LLVMGetBufferSize(buf);
    *out = malloc(size ? size : 1);
    if (!*out) {
        LLVMDisposeMemoryBuffer(buf);
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    }
    memcpy(*out, LLVMGetBufferStart(buf), size);
    *out_size = size;
    LLVMDisposeMemoryBuffer(buf);
    return W2N_OK;
}

/* Contexts left to the exit, still reachable (so that leak checkers see no
 * leak); a list because partitions finish on several threads. */
typedef struct kept_context {
    struct kept_context *next;
    LLVMContextRef ctx;
    LLVMModuleRef mod;
} kept_context;

static kept_context *kept_contexts;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

void w2n_codegen_release(LLVMContextRef ctx, LLVMModuleRef mod, bool exiting) {
    kept_context *k = exiting ? malloc(sizeof *k) : NULL;
    if (!k) {
        if (mod)
            LLVMDisposeModule(mod);
        if (ctx)
            LLVMContextDispose(ctx);
        return;
    }
    *k = (kept_context){.ctx = ctx, .mod = mod};
    pthread_mutex_lock(&kept_lock);
    k->next = kept_contexts;
    kept_contexts = k;
    pthread_mutex_unlock(&kept_lock);
}
