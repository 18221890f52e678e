/*
 * compile.c — the compile pipeline, read top to bottom:
 *
 *   decode -> validate -> the module's facts (one walk of every body)
 *   -> lower (one LLVM function per Wasm function)
 *   -> verify -> LLVM new-pass-manager pipeline (default<On>)
 *   -> metadata section and bounds-mode constant -> stubs for library
 *      calls -> object file in memory
 *   -> the largest native stack frame, measured in that object, written
 *      into its metadata (frame_record.c) -> calls to the library pointed
 *      at the stubs (libcall_stubs.c) -> the file laid out so that
 *      the loader can map it (object_layout.c) -> seal (SHA-256 trailer,
 *      common/seal.h).
 *
 * A large module is planned into partitions before it is lowered
 * (partition.c): each is lowered, verified, optimised and emitted on its
 * own thread in its own context, the same steps as a whole module's.
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
#include "initial_memory.h"
#include "label_differences.h"
#include "libcall_stubs.h"
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
    w2n_codegen_excluded_blob(mod, "w2n_module_meta", W2N_META_SECTION, bytes, size, 8);
    free(bytes);
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
    w2n_codegen_keep(mod, &mode, 1); /* nothing refers to it */
    /* Only a guard-mode memory stays put, so only it can take the image's
     * pages; an explicit-mode object would carry them for nothing. */
    if (opts->bounds != W2N_BOUNDS_EXPLICIT)
        w2n_initial_memory_add(mod, m);
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
static int codegen_level(const w2n_module *m, const w2n_module_facts *facts,
                         const w2n_compile_options *opts) {
    if (opts->opt_level == 0 || w2n_opt_budget_module_exceeded(m))
        return 0;
    for (uint32_t i = 0; i < m->nfuncs - m->nimported_funcs; i++)
        if (w2n_opt_budget_exceeded(&m->codes[i], &facts->funcs[i]))
            return 0;
    return opts->opt_level;
}

/* Past the function budget: the short pipeline and -O0 back end (opt_budget.c). */
/* Merge each address's bounds checks (bounds_merge.h)?  In explicit mode,
 * where every access has one, and only when no memory is 64-bit, whose
 * addresses the merge cannot bound. */
static bool merge_checks(const w2n_module *m, const w2n_compile_options *opts) {
    if (opts->bounds != W2N_BOUNDS_EXPLICIT)
        return false;
    for (uint32_t i = 0; i < m->nmemories; i++)
        if (m->memories[i].is64)
            return false;
    return true;
}

static bool many_functions(const w2n_module *m, const w2n_compile_options *opts) {
    return opts->opt_level > 0 && w2n_opt_budget_module_exceeded(m);
}

/* What lowering a module, or partition k of it, needs. */
typedef struct lower_args {
    const w2n_module *m;
    const w2n_module_facts *facts; /* one record, read by every partition */
    const w2n_target *t;
    const w2n_compile_options *opts;
    const w2n_partition_plan *plan;
    w2n_compile_stats stats[W2N_PARTITION_MAX]; /* each partition's, summed at the end */
} lower_args;

/* Lower partition k (the whole module when the plan has one) into mod,
 * verify it and resolve its loop versions: IR ready to optimise. */
static w2n_status lower_part(unsigned k, LLVMContextRef ctx, LLVMModuleRef mod,
                             LLVMTargetMachineRef tm, void *arg, w2n_error *err) {
    lower_args *a = arg;
    /* Names of local values only help a reader of the IR; a module past the
     * function budget has too many functions for one to read them all. */
    if (many_functions(a->m, a->opts))
        LLVMContextSetDiscardValueNames(ctx, 1);
    set_module_target(ctx, mod, tm, a->t);
    w2n_lower_module lm;
    w2n_lower_module_init(&lm, a->m, a->facts, a->opts, ctx, mod);
    if (a->plan->count > 1) {
        lm.bodies_first = a->plan->first[k];
        lm.bodies_end = a->plan->first[k + 1];
    }
    w2n_status s = a->opts->debug_info ? w2n_lower_debug_begin(&lm, err) : W2N_OK;
    if (s == W2N_OK)
        s = w2n_lower_module_body(&lm, err);
    w2n_lower_debug_end(&lm);
    if (s == W2N_OK && a->plan->count > 1)
        w2n_partition_reduce(&lm, a->plan, k);
    char *msg = NULL;
    if (s == W2N_OK && LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg))
        s = w2n_codegen_llvm_error(err, "w2n produced invalid LLVM IR", msg);
    else if (msg)
        LLVMDisposeMessage(msg);
    w2n_compile_stats *stats = &a->stats[k];
    if (s == W2N_OK && lm.nvloops)
        s = resolve_loop_versions(mod, tm, &lm, stats, err);
    stats->tail_calls = lm.tail_calls;
    stats->tail_calls_unsure = lm.tail_calls_unsure;
    w2n_lower_module_free(&lm);
    return s;
}

/* The partitions' counts, added up. */
static w2n_compile_stats sum_stats(const lower_args *a) {
    w2n_compile_stats sum = {0};
    for (unsigned k = 0; k < a->plan->count; k++) {
        const w2n_compile_stats *p = &a->stats[k];
        sum.loops_versioned += p->loops_versioned;
        sum.loops_checked += p->loops_checked;
        sum.accesses_covered += p->accesses_covered;
        sum.loops_separated += p->loops_separated;
        sum.tail_calls += p->tail_calls;
        sum.tail_calls_unsure += p->tail_calls_unsure;
    }
    sum.partitions = a->plan->count;
    if (many_functions(a->m, a->opts))
        sum.many_functions = a->m->nfuncs - a->m->nimported_funcs;
    return sum;
}

/* One partition: lowered, optimised and emitted here, in one context. */
static w2n_status compile_whole(lower_args *a, uint8_t **out, size_t *out_size, w2n_error *err) {
    LLVMTargetMachineRef tm;
    w2n_status s = w2n_target_machine_acquire(a->t, a->opts->cpu, a->opts->features,
                                              codegen_level(a->m, a->facts, a->opts), &tm, err);
    if (s != W2N_OK)
        return s;
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext("wasm", ctx);
    s = lower_part(0, ctx, mod, tm, a, err);
    if (s == W2N_OK)
        s = w2n_codegen_optimize(mod, tm, a->opts->opt_level, many_functions(a->m, a->opts),
                                 merge_checks(a->m, a->opts), err);
    if (s == W2N_OK)
        s = add_metadata(ctx, mod, a->m, a->t, a->opts, err);
    if (getenv("W2N_DUMP_IR")) /* before code generation, so a backend hang still shows it */
        LLVMDumpModule(mod);
    if (s == W2N_OK)
        s = w2n_codegen_emit(tm, mod, out, out_size, err);
    w2n_codegen_release(ctx, mod, a->opts->exiting);
    w2n_target_machine_release(tm);
    return s;
}

static w2n_status compile_module(const w2n_module *m, const w2n_module_facts *facts,
                                 const w2n_target *t, const w2n_compile_options *opts,
                                 uint8_t **out, size_t *out_size, w2n_error *err) {
    w2n_partition_plan plan;
    w2n_partition_plan_make(m, opts->partitions, &plan);
    lower_args *la = calloc(1, sizeof *la);
    if (!la)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    *la = (lower_args){.m = m, .facts = facts, .t = t, .opts = opts, .plan = &plan};
    w2n_status s;
    if (plan.count > 1) {
        metadata_args margs = {m, t, opts};
        w2n_partition_codegen cg = {.target = t,
                                    .cpu = opts->cpu,
                                    .features = opts->features,
                                    .opt_level = opts->opt_level,
                                    .codegen_level = codegen_level(m, facts, opts),
                                    .many_functions = many_functions(m, opts),
                                    .merge_checks = merge_checks(m, opts),
                                    .exiting = opts->exiting,
                                    .threads = opts->threads ? opts->threads : 1,
                                    .lower = lower_part,
                                    .lower_arg = la,
                                    .finish_first = add_metadata_to,
                                    .finish_arg = &margs,
                                    .dump_ir = getenv("W2N_DUMP_IR") != NULL};
        s = w2n_partition_compile(&plan, &cg, out, out_size, err);
    } else {
        s = compile_whole(la, out, out_size, err);
    }
    w2n_compile_stats stats = sum_stats(la);
    free(la);
    if (s == W2N_OK)
        s = w2n_frame_record(t->arch, *out, *out_size, err);
    if (s == W2N_OK && w2n_libcall_stubs_redirect(*out, *out_size, err) < 0)
        s = err->code;
    if (s == W2N_OK && w2n_label_differences_fold(*out, *out_size, err) < 0)
        s = err->code;
    if (s == W2N_OK)
        s = w2n_object_layout(out, out_size, err);
    if (s == W2N_OK)
        s = w2n_seal_append(out, out_size, err);
    if (s != W2N_OK && *out) {
        free(*out);
        *out = NULL;
        *out_size = 0;
    }
    if (s == W2N_OK && opts->stats)
        *opts->stats = stats;
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
    /* What the whole module uses, once, before it is partitioned. */
    w2n_module_facts facts = {0};
    if (s == W2N_OK)
        s = w2n_module_facts_compute(&m, &facts, err);
    if (s == W2N_OK)
        s = compile_module(&m, &facts, t, opts, out_object, out_size, err);
    w2n_module_facts_free(&facts);
    w2n_module_free(&m);
    return s;
}
