/*
 * partition.c — a large module compiled as several partitions at once.
 *
 * LLVM's time goes mostly into work per function (the -O2 pipeline, then
 * instruction selection and register allocation), which one LLVMContext
 * cannot share between threads.  So each partition's thread lowers the
 * module into a context of its own, with the bodies of its own functions
 * only (a contiguous range of Wasm functions, planned from the module's
 * code alone), turns every other function and trampoline, and outside
 * partition 0 every non-internal global, into a hidden declaration, then
 * optimises and emits its part.  Nothing is lowered twice and nothing
 * crosses contexts (an earlier cut lowered the whole module once and sent
 * it to the other threads as bitcode: 3.3 s of 17.8 for 100,000
 * functions, docs/performance.md).  Internal helpers and constants are
 * made in every partition that uses them, so calls to them stay local and
 * inlinable; partition 0 also keeps the module's tables and gets the
 * metadata.  object_merge.c joins the parts in partition order.
 *
 * Determinism: the plan depends on the module alone, each part on the plan
 * and the module alone (its facts, front/module_facts.h, are found once
 * for all of them), and the join on the parts in order, so the object
 * is byte-identical whatever the number of threads.  What a module of
 * several partitions loses is inlining across partitions.
 */
#include "partition.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "object_merge.h"

static uint64_t function_weight(const w2n_module *m, uint32_t func_index) {
    const w2n_code *code = &m->codes[func_index - m->nimported_funcs];
    return W2N_PARTITION_FUNCTION_WEIGHT + (code->body_end - code->body_start);
}

void w2n_partition_plan_make(const w2n_module *m, unsigned forced, w2n_partition_plan *plan) {
    memset(plan, 0, sizeof *plan);
    uint32_t lo = m->nimported_funcs, n = m->nfuncs;
    uint64_t total = 0;
    for (uint32_t i = lo; i < n; i++)
        total += function_weight(m, i);
    uint64_t count = total / W2N_PARTITION_WEIGHT;
    if (count > W2N_PARTITION_SIZED_MAX)
        count = W2N_PARTITION_SIZED_MAX;
    if (forced)
        count = forced;
    if (count > n - lo) /* no more partitions than functions */
        count = n - lo;
    plan->count = count < 1 ? 1 : count > W2N_PARTITION_MAX ? W2N_PARTITION_MAX : (unsigned)count;
    /* Contiguous ranges of about equal weight: function i goes to the
     * partition its weight before it falls in, but none is left empty: a
     * range starts at most one partition after the last, and early enough
     * that each partition after it still gets a function. */
    for (unsigned k = 0; k <= plan->count; k++)
        plan->first[k] = n;
    plan->first[0] = lo;
    uint64_t before = 0;
    unsigned part = 0;
    for (uint32_t i = lo; i < n && plan->count > 1; i++) {
        unsigned by_weight = (unsigned)(before * plan->count / total);
        unsigned at_least = plan->count > n - i ? plan->count - (n - i) : 0;
        unsigned next = by_weight > part + 1 ? part + 1 : by_weight;
        next = next < at_least ? at_least : next < part ? part : next;
        if (next != part)
            plan->first[next] = i;
        part = next;
        before += function_weight(m, i);
    }
}

/* Turn a definition into a declaration in place, as LLVM's deleteBody
 * would: the function object stays, so the constant tables that point at it
 * (w2n_functions: one array over every function) are not rebuilt for each
 * function, which would take time quadratic in the module. */
static void make_declaration(LLVMValueRef fn) {
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(fn); b; b = LLVMGetNextBasicBlock(b))
        for (LLVMValueRef i = LLVMGetFirstInstruction(b); i; i = LLVMGetNextInstruction(i))
            if (LLVMGetFirstUse(i))
                LLVMReplaceAllUsesWith(i, LLVMConstNull(LLVMTypeOf(i)));
    /* No instruction is used now, so each can go, then each block. */
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(fn); b; b = LLVMGetNextBasicBlock(b)) {
        LLVMValueRef i;
        while ((i = LLVMGetFirstInstruction(b)))
            LLVMInstructionEraseFromParent(i);
    }
    LLVMBasicBlockRef b;
    while ((b = LLVMGetFirstBasicBlock(fn)))
        LLVMDeleteBasicBlock(b);
    if (LLVMHasPersonalityFn(fn))
        LLVMSetPersonalityFn(fn, NULL);
    LLVMGlobalClearMetadata(fn);
    LLVMSetLinkage(fn, LLVMExternalLinkage);
    LLVMSetVisibility(fn, LLVMHiddenVisibility);
}

static int is_local(LLVMValueRef g) {
    LLVMLinkage l = LLVMGetLinkage(g);
    return l == LLVMInternalLinkage || l == LLVMPrivateLinkage;
}

void w2n_partition_reduce(w2n_lower_module *lm, const w2n_partition_plan *plan, unsigned k) {
    LLVMModuleRef mod = lm->mod;
    /* Module-level things other than internal helpers belong to partition 0. */
    if (k != 0) {
        LLVMValueRef next;
        for (LLVMValueRef g = LLVMGetFirstGlobal(mod); g; g = next) {
            next = LLVMGetNextGlobal(g);
            size_t len;
            const char *name = LLVMGetValueName2(g, &len);
            if (len > 5 && !strncmp(name, "llvm.", 5)) {
                LLVMDeleteGlobal(g);
            } else if (!is_local(g) && LLVMGetInitializer(g)) {
                LLVMSetInitializer(g, NULL);
                LLVMSetLinkage(g, LLVMExternalLinkage);
                LLVMSetVisibility(g, LLVMHiddenVisibility);
            }
        }
        for (LLVMValueRef f = LLVMGetFirstFunction(mod); f; f = next) {
            next = LLVMGetNextFunction(f);
            if (!LLVMIsDeclaration(f) && !is_local(f))
                make_declaration(f);
        }
    }
    const w2n_module *m = lm->m;
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        char name[48];
        snprintf(name, sizeof name, "w2n_tramp_%u", i);
        LLVMValueRef fns[2] = {lm->funcs[i], LLVMGetNamedFunction(mod, name)};
        bool own = i >= plan->first[k] && i < plan->first[k + 1];
        for (int j = 0; j < 2; j++) {
            if (!fns[j])
                continue;
            if (own) {
                LLVMSetLinkage(fns[j], LLVMExternalLinkage);
                LLVMSetVisibility(fns[j], LLVMHiddenVisibility);
            } else {
                make_declaration(fns[j]);
            }
        }
    }
}

typedef struct part_result {
    w2n_status st;
    w2n_error err;
    uint8_t *object;
    size_t size;
    LLVMContextRef ctx; /* kept only to dump the IR */
    LLVMModuleRef mod;
} part_result;

typedef struct part_jobs {
    const w2n_partition_plan *plan;
    const w2n_partition_codegen *cg;
    unsigned next; /* the next partition to take (atomic) */
    part_result *results;
} part_jobs;

/* Lower, optimise and emit partition k in a context of its own. */
static w2n_status compile_part(const w2n_partition_codegen *cg, unsigned k, part_result *r) {
    LLVMTargetMachineRef tm;
    w2n_status st = w2n_target_machine_acquire(cg->target, cg->cpu, cg->features, cg->codegen_level,
                                               &tm, &r->err);
    if (st != W2N_OK)
        return st;
    r->ctx = LLVMContextCreate();
    r->mod = LLVMModuleCreateWithNameInContext("wasm", r->ctx);
    st = cg->lower(k, r->ctx, r->mod, tm, cg->lower_arg, &r->err);
    if (st == W2N_OK)
        st = w2n_codegen_optimize(r->mod, tm, cg->opt_level, cg->many_functions, cg->merge_checks,
                                  &r->err);
    if (st == W2N_OK && k == 0)
        st = cg->finish_first(r->ctx, r->mod, cg->finish_arg, &r->err);
    if (st == W2N_OK)
        st = w2n_codegen_emit(tm, r->mod, &r->object, &r->size, &r->err);
    w2n_target_machine_release(tm);
    return st;
}

static void *part_worker(void *arg) {
    part_jobs *jobs = arg;
    for (;;) {
        unsigned k = __atomic_fetch_add(&jobs->next, 1, __ATOMIC_RELAXED);
        if (k >= jobs->plan->count)
            return NULL;
        part_result *r = &jobs->results[k];
        r->st = compile_part(jobs->cg, k, r);
        if (!jobs->cg->dump_ir) {
            w2n_codegen_release(r->ctx, r->mod, jobs->cg->exiting);
            r->mod = NULL;
            r->ctx = NULL;
        }
    }
}

/* Run the jobs on up to cg->threads threads, this one included. */
static void run_parts(part_jobs *jobs) {
    unsigned nthreads =
        jobs->cg->threads < jobs->plan->count ? jobs->cg->threads : jobs->plan->count;
    pthread_t tids[W2N_PARTITION_MAX];
    unsigned started = 0;
    for (unsigned t = 1; t < nthreads; t++)
        if (pthread_create(&tids[started], NULL, part_worker, jobs) == 0)
            started++; /* a thread that cannot start leaves its work to the others */
    part_worker(jobs);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
}

static w2n_status join_parts(const part_jobs *jobs, uint8_t **out, size_t *out_size,
                             w2n_error *err) {
    unsigned n = jobs->plan->count;
    for (unsigned k = 0; k < n; k++)
        if (jobs->results[k].st != W2N_OK) {
            if (err)
                *err = jobs->results[k].err;
            return jobs->results[k].st;
        }
    w2n_object_part parts[W2N_PARTITION_MAX];
    for (unsigned k = 0; k < n; k++)
        parts[k] = (w2n_object_part){jobs->results[k].object, jobs->results[k].size};
    return w2n_object_merge(parts, n, out, out_size, err);
}

w2n_status w2n_partition_compile(const w2n_partition_plan *plan, const w2n_partition_codegen *cg,
                                 uint8_t **out, size_t *out_size, w2n_error *err) {
    *out = NULL;
    *out_size = 0;
    part_result results[W2N_PARTITION_MAX];
    memset(results, 0, sizeof results);
    part_jobs jobs = {.plan = plan, .cg = cg, .results = results};
    run_parts(&jobs);
    w2n_status st = join_parts(&jobs, out, out_size, err);
    for (unsigned k = 0; k < plan->count; k++) {
        if (results[k].mod) {
            fprintf(stderr, "; partition %u of %u\n", k, plan->count);
            LLVMDumpModule(results[k].mod);
            LLVMDisposeModule(results[k].mod);
        }
        if (results[k].ctx)
            LLVMContextDispose(results[k].ctx);
        free(results[k].object);
    }
    return st;
}
