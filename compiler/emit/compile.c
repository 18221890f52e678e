/*
 * compile.c — the compile pipeline, read top to bottom:
 *
 *   decode -> validate -> lower (one LLVM function per Wasm function)
 *   -> verify -> LLVM new-pass-manager pipeline (default<On>)
 *   -> metadata section and bounds-mode constant -> object file in memory
 *   -> the largest native stack frame, measured in that object, written
 *      into its metadata (frame_record.c) -> the file laid out so that
 *      the loader can map it (object_layout.c) -> seal (SHA-256 trailer,
 *      common/seal.h).
 *
 * The metadata goes in after optimisation so no pass can touch it.  Its
 * global carries !exclude, which makes LLVM emit a non-allocated section: the
 * loader reads it but never maps it.  The bounds-mode constant (abi.h) is
 * how the code states its own mode, which the loader checks against the
 * metadata's flag.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Core.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "codegen.h"
#include "frame_record.h"
#include "object_layout.h"
#include "lower.h"
#include "meta.h"
#include "meta_build.h"
#include "module.h"
#include "partition.h"
#include "seal.h"
#include "target.h"
#include "w2n/compiler.h"

void w2n_compile_options_init(w2n_compile_options *opts) {
    memset(opts, 0, sizeof *opts);
    opts->target = "x86_64-linux-gnu";
    opts->opt_level = 2;
    opts->bounds = W2N_BOUNDS_GUARD;
    opts->wasm_features = w2n_features_default();
}

/* Loop versions need SSA form before their range checks can be built. */
static w2n_status resolve_loop_versions(LLVMModuleRef mod, LLVMTargetMachineRef tm,
                                        w2n_lower_module *lm, w2n_compile_stats *stats,
                                        w2n_error *err) {
    LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
    LLVMErrorRef e = LLVMRunPasses(mod, "function(mem2reg)", tm, po);
    LLVMDisposePassBuilderOptions(po);
    if (e)
        return w2n_codegen_llvm_error(err, "LLVM mem2reg failed", LLVMGetErrorMessage(e));
    w2n_loop_bounds_resolve(lm, stats);
    char *msg = NULL;
    if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg))
        return w2n_codegen_llvm_error(err, "w2n produced invalid LLVM IR (loop versions)", msg);
    LLVMDisposeMessage(msg);
    return W2N_OK;
}

static w2n_status add_metadata(LLVMContextRef ctx, LLVMModuleRef mod, const w2n_module *m,
                               const w2n_target *t, const w2n_compile_options *opts,
                               w2n_error *err) {
    w2n_meta meta;
    w2n_status s = w2n_meta_build(m, t, opts, &meta, err);
    if (s != W2N_OK)
        return s;
    uint8_t *bytes;
    size_t size;
    s = w2n_meta_encode(&meta, &bytes, &size, err);
    w2n_meta_build_free(&meta);
    if (s != W2N_OK)
        return s;
    LLVMValueRef data = LLVMConstStringInContext(ctx, (const char *)bytes, (unsigned)size, 1);
    free(bytes);
    LLVMValueRef g = LLVMAddGlobal(mod, LLVMTypeOf(data), "w2n_module_meta");
    LLVMSetInitializer(g, data);
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    LLVMSetSection(g, W2N_META_SECTION);
    LLVMSetAlignment(g, 8);
    unsigned exclude = LLVMGetMDKindIDInContext(ctx, "exclude", 7);
    LLVMGlobalSetMetadata(g, exclude, LLVMMDNodeInContext2(ctx, NULL, 0));
    /* The code's own statement of its bounds mode: a global constant. */
    LLVMTypeRef i64 = LLVMInt64TypeInContext(ctx);
    LLVMValueRef mode = LLVMAddGlobal(mod, i64, W2N_SYM_BOUNDS_MODE);
    LLVMSetInitializer(mode,
                       LLVMConstInt(i64,
                                    opts->bounds == W2N_BOUNDS_EXPLICIT ? W2N_BOUNDS_MODE_EXPLICIT
                                                                        : W2N_BOUNDS_MODE_GUARD,
                                    0));
    LLVMSetGlobalConstant(mode, 1);
    LLVMSetAlignment(mode, 8);
    /* Keep both: nothing refers to them. */
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0);
    LLVMValueRef kept[2] = {g, mode};
    LLVMValueRef used_init = LLVMConstArray2(ptr, kept, 2);
    LLVMValueRef used = LLVMAddGlobal(mod, LLVMTypeOf(used_init), "llvm.compiler.used");
    LLVMSetInitializer(used, used_init);
    LLVMSetLinkage(used, LLVMAppendingLinkage);
    LLVMSetSection(used, "llvm.metadata");
    return W2N_OK;
}

static void set_module_target(LLVMContextRef ctx, LLVMModuleRef mod, LLVMTargetMachineRef tm,
                              const w2n_target *t) {
    LLVMSetTarget(mod, t->llvm_triple);
    LLVMTargetDataRef dl = LLVMCreateTargetDataLayout(tm);
    char *layout = LLVMCopyStringRepOfTargetData(dl);
    LLVMSetDataLayout(mod, layout);
    LLVMDisposeMessage(layout);
    LLVMDisposeTargetData(dl);
    if (t->abi) {
        LLVMMetadataRef abi = LLVMMDStringInContext2(ctx, t->abi, strlen(t->abi));
        LLVMAddModuleFlag(mod, LLVMModuleFlagBehaviorError, "target-abi", 10, abi);
    }
}

typedef struct metadata_args {
    const w2n_module *m;
    const w2n_target *t;
    const w2n_compile_options *opts;
} metadata_args;

/* add_metadata for partition 0 of a partitioned module (partition.h). */
static w2n_status add_metadata_to(LLVMContextRef ctx, LLVMModuleRef mod, void *arg,
                                  w2n_error *err) {
    const metadata_args *a = arg;
    return add_metadata(ctx, mod, a->m, a->t, a->opts, err);
}

/* The back end's optimisation level.  LLVM's register coalescer runs even
 * on optnone functions and is quadratic on a huge one, so a module with a
 * function past the optimisation budget (opt_budget.c) is code-generated as
 * at -O0; its other functions are still optimised as IR.  So is a module
 * with too many functions to pay the -O2 back end's cost for each. */
static int codegen_level(const w2n_module *m, const w2n_compile_options *opts) {
    if (opts->opt_level == 0 || w2n_opt_budget_module_exceeded(m))
        return 0;
    for (uint32_t i = 0; i < m->nfuncs - m->nimported_funcs; i++)
        if (w2n_opt_budget_exceeded(m, &m->codes[i]))
            return 0;
    return opts->opt_level;
}

static w2n_status compile_module(const w2n_module *m, const w2n_target *t,
                                 const w2n_compile_options *opts, uint8_t **out, size_t *out_size,
                                 w2n_error *err) {
    LLVMTargetMachineRef tm;
    w2n_status s =
        w2n_target_machine_acquire(t, opts->cpu, opts->features, codegen_level(m, opts), &tm, err);
    if (s != W2N_OK)
        return s;
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext("wasm", ctx);
    set_module_target(ctx, mod, tm, t);

    w2n_lower_module lm;
    w2n_lower_module_init(&lm, m, opts, ctx, mod);
    s = opts->debug_info ? w2n_lower_debug_begin(&lm, err) : W2N_OK;
    if (s == W2N_OK)
        s = w2n_lower_module_body(&lm, err);
    w2n_lower_debug_end(&lm);
    char *msg = NULL;
    if (s == W2N_OK && LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg))
        s = w2n_codegen_llvm_error(err, "w2n produced invalid LLVM IR", msg);
    else if (msg)
        LLVMDisposeMessage(msg);
    w2n_compile_stats stats = {0};
    if (s == W2N_OK && lm.nvloops)
        s = resolve_loop_versions(mod, tm, &lm, &stats, err);
    w2n_partition_plan plan = {.count = 1};
    if (s == W2N_OK)
        s = w2n_partition_plan_make(mod, &lm, opts->partitions, &plan, err);
    if (s == W2N_OK && plan.count > 1) {
        metadata_args margs = {m, t, opts};
        w2n_partition_codegen cg = {.target = t,
                                    .cpu = opts->cpu,
                                    .features = opts->features,
                                    .opt_level = opts->opt_level,
                                    .codegen_level = codegen_level(m, opts),
                                    .many_functions = lm.many_functions,
                                    .threads = opts->threads ? opts->threads : 1,
                                    .finish_first = add_metadata_to,
                                    .finish_arg = &margs,
                                    .dump_ir = getenv("W2N_DUMP_IR") != NULL};
        s = w2n_partition_compile(mod, &plan, &cg, out, out_size, err);
    } else if (s == W2N_OK) {
        s = w2n_codegen_optimize(mod, tm, opts->opt_level, lm.many_functions, err);
        if (s == W2N_OK)
            s = add_metadata(ctx, mod, m, t, opts, err);
        if (getenv("W2N_DUMP_IR")) /* before code generation, so a backend hang still shows it */
            LLVMDumpModule(mod);
        if (s == W2N_OK)
            s = w2n_codegen_emit(tm, mod, out, out_size, err);
    }
    stats.partitions = plan.count;
    if (lm.many_functions)
        stats.many_functions = m->nfuncs - m->nimported_funcs;
    w2n_partition_plan_free(&plan);
    if (s == W2N_OK)
        s = w2n_frame_record(t->arch, *out, *out_size, err);
    if (s == W2N_OK)
        s = w2n_object_layout(out, out_size, err);
    if (s == W2N_OK)
        s = w2n_seal_append(out, out_size, err);
    if (s != W2N_OK && *out) {
        free(*out);
        *out = NULL;
        *out_size = 0;
    }
    stats.tail_calls = lm.tail_calls;
    stats.tail_calls_unsure = lm.tail_calls_unsure;
    if (s == W2N_OK && opts->stats)
        *opts->stats = stats;
    w2n_lower_module_free(&lm);
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
    w2n_target_machine_release(tm);
    return s;
}

w2n_status w2n_compile(const uint8_t *wasm, size_t size, const w2n_compile_options *opts,
                       uint8_t **out_object, size_t *out_size, w2n_error *err) {
    w2n_compile_options defaults;
    if (!opts) {
        w2n_compile_options_init(&defaults);
        opts = &defaults;
    }
    *out_object = NULL;
    *out_size = 0;
    const w2n_target *t = w2n_target_find(opts->target);
    if (!t) {
        char names[128];
        w2n_target_names(names, sizeof names);
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "unknown target '%s' (known: %s)", opts->target, names);
    }
    if (opts->opt_level < 0 || opts->opt_level > 3)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "optimisation level must be 0..3, not %d", opts->opt_level);
    w2n_module m;
    w2n_status s = w2n_decode_features(wasm, size, opts->wasm_features, &m, err);
    if (s != W2N_OK)
        return s;
    s = w2n_validate_module(&m, err);
    if (s == W2N_OK)
        s = compile_module(&m, t, opts, out_object, out_size, err);
    w2n_module_free(&m);
    return s;
}
